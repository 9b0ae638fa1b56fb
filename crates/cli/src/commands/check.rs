//! `check`: the settings and each wizard check against the live APIs.

use std::process::ExitCode;

use connector::{Connector, Settings};

use crate::output;

/// Arguments of `check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print the results as JSON.
    #[arg(long)]
    json: bool,
}

/// Exit 0 when every check passes, 1 otherwise.
pub async fn run(args: Args, paths: &connector::Paths) -> anyhow::Result<ExitCode> {
    let settings = Settings::load(&paths.config_file)?;
    let credentials = connector::credentials::Credentials::load()?;
    let connector = Connector::open(paths.clone(), settings, &credentials)?;
    let results = connector.check().await;
    if args.json {
        output::json(&results);
    } else {
        output::say!("settings: ok ({})", paths.config_file.display());
        for r in &results {
            output::say!(
                "{} {}: {}",
                if r.ok { "ok  " } else { "FAIL" },
                r.step,
                r.message
            );
            for d in &r.details {
                output::say!("       {d}");
            }
        }
    }
    Ok(if results.iter().all(|r| r.ok) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
