//! `settle <order> [--note TEXT]`: mark a conflict the operator settled outside the connector.

use std::process::ExitCode;

use connector::Settle;
use connector::history::History;

use crate::output;

/// Arguments of `settle`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Quipt order number or id of an order in conflict.
    order: String,
    /// How it was settled, kept in the order's timeline.
    #[arg(long, value_name = "TEXT")]
    note: Option<String>,
}

/// Settles the conflict; exit 1 when the order is unknown or not in conflict, saying why. Local:
/// the history alone, no credentials.
pub fn run(args: Args, paths: connector::Paths) -> anyhow::Result<ExitCode> {
    let answer = History::open(&paths.database())?.settle(&args.order, args.note.as_deref())?;
    Ok(match answer {
        Settle::Settled { .. } => {
            output::say!("{answer}");
            ExitCode::SUCCESS
        }
        Settle::Unknown | Settle::NotAConflict { .. } => {
            // The order number comes from Quipt: shown, not obeyed, like every server text.
            eprintln!("error: {}", output::visible(&answer.to_string()));
            ExitCode::from(1)
        }
    })
}
