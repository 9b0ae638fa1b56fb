//! `reconcile [--json]`: both sides compared with the history.

use std::process::ExitCode;

use connector::Connector;

use crate::output;

/// Arguments of `reconcile`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print as JSON.
    #[arg(long)]
    json: bool,
}

/// Prints the report; exit 0 when the sides agree and nothing is held, 2 when something needs the
/// operator (a disagreement, or orders held or failed, listed apart).
pub async fn run(args: Args, paths: connector::Paths) -> anyhow::Result<ExitCode> {
    let connector = Connector::from_paths(paths)?;
    let report = connector.reconcile().await?;
    if args.json {
        output::json(&report);
    } else {
        let sections = [
            (
                "ready in Quipt but missing in ShipStation",
                &report.missing_in_shipstation,
            ),
            (
                "shipped in ShipStation without tracking in Quipt",
                &report.shipped_without_tracking,
            ),
            (
                "cancelled on one side but open on the other",
                &report.cancel_mismatch,
            ),
        ];
        for (title, findings) in sections {
            output::say!("{title}: {}", findings.len());
            for f in findings {
                output::say!("  {:<20} {}", f.order_number, f.detail);
            }
        }
        output::say!("held or failed: {}", report.held.len());
        for o in &report.held {
            output::say!(
                "  {:<20} {:<9} {}",
                o.order_number,
                o.state.as_str(),
                o.reason.as_deref().unwrap_or("")
            );
        }
    }
    Ok(if report.is_clean() && report.held.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(super::ATTENTION)
    })
}
