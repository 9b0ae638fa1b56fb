//! `diagnostics [--output FILE] [--json]`: writes the support bundle (logs, redacted settings, recent
//! history, manifest; no secret) and prints its path, so an operator can attach it to a ticket.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use crate::output;

/// Arguments of `diagnostics`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to write the `.zip` (default: `quipt-shipstation-diagnostics-<time>.zip` in the
    /// current directory).
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Print the report (entries, redaction counts, problems) as JSON instead of the path.
    #[arg(long)]
    json: bool,
}

/// Writes the bundle; prints its path on stdout and what could not be collected on stderr.
pub fn run(args: Args, paths: &connector::Paths) -> anyhow::Result<ExitCode> {
    let out = args.output.unwrap_or_else(|| {
        PathBuf::from(connector::diagnostics::default_file_name(chrono::Utc::now()))
    });
    let logs = connector::logging::log_dir(paths);
    let report = connector::diagnostics::export(paths, &logs, &out)
        .with_context(|| format!("writing the diagnostics bundle {}", out.display()))?;
    tracing::info!(
        archive = %report.archive.display(),
        entries = report.files.len(),
        secrets_replaced = report.secrets_replaced,
        "diagnostics bundle written"
    );
    if args.json {
        output::json(&report);
    } else {
        for problem in &report.problems {
            eprintln!("note: {problem}");
        }
        println!("{}", report.archive.display());
    }
    Ok(ExitCode::SUCCESS)
}
