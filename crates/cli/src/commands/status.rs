//! `status [--json]`: health, last run, last reconciliation, today's counts and what needs
//! attention. Read from the history alone: no settings, credential or keyring needed.

use std::process::ExitCode;

use connector::history::History;

use crate::output;

/// Arguments of `status`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print as JSON.
    #[arg(long)]
    json: bool,
}

/// Prints the status; exit 0 when healthy (or the first sync is still going), 2 when something
/// needs the operator, 1 when failing.
pub fn run(args: Args, paths: connector::Paths) -> anyhow::Result<ExitCode> {
    // How long without a successful run is too long follows the schedule: the settings file is
    // read for it alone, and a missing or broken one leaves the default.
    let schedule = connector::Settings::load(&paths.config_file)
        .map(|s| s.schedule)
        .unwrap_or_default();
    let status = History::open(&paths.database())?
        .with_schedule(schedule)
        .status()?;
    if args.json {
        output::json(&status);
    } else {
        output::say!("health: {:?} ({})", status.health, status.health_reason);
        match &status.last_run {
            Some(run) => output::say!(
                "last run: #{} {} at {} ({})",
                run.id,
                run.outcome,
                run.started_at,
                run.trigger
            ),
            None => output::say!("last run: never"),
        }
        if let Some(run) = &status.last_success {
            output::say!(
                "last successful sync: {}",
                run.finished_at.as_deref().unwrap_or(&run.started_at)
            );
        }
        match &status.last_reconciliation {
            Some(r) if r.clean => {
                output::say!(
                    "last reconciliation: clean at {} ({}); {} held or failed",
                    r.at,
                    r.trigger.as_str(),
                    r.held
                );
            }
            Some(r) => output::say!(
                "last reconciliation: {} findings at {} ({}): {} missing in ShipStation, \
                 {} shipped without tracking, {} cancelled on one side only; {} held or failed",
                r.findings,
                r.at,
                r.trigger.as_str(),
                r.missing_in_shipstation,
                r.shipped_without_tracking,
                r.cancel_mismatch,
                r.held
            ),
            None => output::say!("last reconciliation: never"),
        }
        output::say!(
            "today: {} pushed, {} shipped",
            status.pushed_today,
            status.shipped_today
        );
        if status.acknowledging > 0 {
            output::say!("acknowledging {} orders in Quipt", status.acknowledging);
        }
        let counts: Vec<String> = status
            .counts
            .iter()
            .map(|(s, n)| format!("{} {n}", s.as_str()))
            .collect();
        output::say!("orders: {}", counts.join(", "));
        for order in &status.attention {
            output::say!(
                "  {:<20} {:<9} {}",
                order.order_number,
                order.state.as_str(),
                order.reason.as_deref().unwrap_or("")
            );
        }
    }
    Ok(match status.health {
        connector::Health::Ok | connector::Health::FirstSync => ExitCode::SUCCESS,
        connector::Health::Warning => ExitCode::from(super::ATTENTION),
        connector::Health::Failing => ExitCode::from(1),
    })
}
