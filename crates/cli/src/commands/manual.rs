//! `manual --out-dir DIR` (hidden): writes the manual pages, generated from the clap definitions —
//! `quipt-shipstation.1` and one `quipt-shipstation-<command>.1` per command — for the `.deb`
//! (`scripts/package.sh` compresses them into `/usr/share/man/man1`).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

/// `manual`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to write the pages (created if missing).
    #[arg(long)]
    out_dir: PathBuf,
}

/// Writes every page of `command` into the directory.
///
/// # Errors
/// When the directory or a page cannot be written.
pub fn run(args: &Args, command: clap::Command) -> anyhow::Result<ExitCode> {
    std::fs::create_dir_all(&args.out_dir)
        .with_context(|| format!("cannot create {}", args.out_dir.display()))?;
    clap_mangen::generate_to(command, &args.out_dir).with_context(|| {
        format!(
            "cannot write the manual pages in {}",
            args.out_dir.display()
        )
    })?;
    Ok(ExitCode::SUCCESS)
}
