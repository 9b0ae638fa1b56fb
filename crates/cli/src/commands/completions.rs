//! `completions <shell>`: the shell completion script for bash, zsh or fish, generated from the
//! clap definitions, on standard output. The `.deb` installs all three (`scripts/package.sh`);
//! this is for other installations (`quipt-shipstation completions zsh > ~/.zfunc/_quipt-shipstation`).

use std::io::Write;
use std::process::ExitCode;

/// The shells the package ships completions for.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Shell {
    /// bash (`/usr/share/bash-completion/completions/quipt-shipstation`).
    Bash,
    /// zsh (`/usr/share/zsh/vendor-completions/_quipt-shipstation`).
    Zsh,
    /// fish (`/usr/share/fish/vendor_completions.d/quipt-shipstation.fish`).
    Fish,
}

/// `completions`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell to complete for.
    shell: Shell,
}

/// Prints the completion script of `command` for the shell (a reader that stops early, as `head`
/// does, ends it quietly).
pub fn run(args: &Args, mut command: clap::Command) -> ExitCode {
    let shell = match args.shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
    };
    let name = command.get_name().to_string();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, name, &mut script);
    match std::io::stdout().write_all(&script) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot write the completion script: {e}");
            ExitCode::from(1)
        }
    }
}
