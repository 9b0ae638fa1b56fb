//! Reading a secret from the operator: from a terminal with echo off, so the secret never shows
//! on the screen (or in a screen recording, or the terminal's scrollback); from a pipe or a file
//! as the line it holds, for scripts. Never from the command line, where it would land in the
//! shell's history and in `ps`.

use std::io::{BufRead, IsTerminal, Write};

use zeroize::Zeroizing;

/// Prints `prompt` on stderr and reads one line from standard input, without its line end and
/// surrounding spaces. On a terminal the typed characters are not echoed.
///
/// # Errors
/// When standard input cannot be read or the terminal's echo cannot be switched.
pub fn read_secret(prompt: &str) -> std::io::Result<Zeroizing<String>> {
    let stdin = std::io::stdin();
    let mut line = Zeroizing::new(String::new());
    if stdin.is_terminal() {
        // Echo goes off before the prompt shows, so nothing typed after the prompt is echoed.
        let _echo_off = EchoOff::new(&stdin)?;
        prompt_on_stderr(prompt)?;
        stdin.lock().read_line(&mut line)?;
        // The Enter the operator typed was not echoed either.
        eprintln!();
    } else {
        prompt_on_stderr(prompt)?;
        stdin.lock().read_line(&mut line)?;
    }
    Ok(Zeroizing::new(line.trim().to_string()))
}

fn prompt_on_stderr(prompt: &str) -> std::io::Result<()> {
    eprint!("{prompt}");
    std::io::stderr().flush()
}

/// The terminal's echo switched off until dropped.
#[cfg(unix)]
struct EchoOff<'a> {
    stdin: &'a std::io::Stdin,
    original: nix::sys::termios::Termios,
}

#[cfg(unix)]
impl<'a> EchoOff<'a> {
    fn new(stdin: &'a std::io::Stdin) -> std::io::Result<Self> {
        use nix::sys::termios::{LocalFlags, SetArg, tcgetattr, tcsetattr};
        let original = tcgetattr(stdin).map_err(std::io::Error::from)?;
        let mut silent = original.clone();
        silent.local_flags.remove(LocalFlags::ECHO);
        tcsetattr(stdin, SetArg::TCSAFLUSH, &silent).map_err(std::io::Error::from)?;
        Ok(Self { stdin, original })
    }
}

#[cfg(unix)]
impl Drop for EchoOff<'_> {
    fn drop(&mut self) {
        use nix::sys::termios::{SetArg, tcsetattr};
        let _ = tcsetattr(self.stdin, SetArg::TCSANOW, &self.original);
    }
}

/// Elsewhere (the CLI is built for Unix; the Windows build is the app) the terminal is left as it
/// is.
#[cfg(not(unix))]
struct EchoOff;

#[cfg(not(unix))]
impl EchoOff {
    fn new(_stdin: &std::io::Stdin) -> std::io::Result<Self> {
        Ok(Self)
    }
}
