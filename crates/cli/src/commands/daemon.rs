//! `daemon`: the schedule in the foreground, until Ctrl-C.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use connector::{Connector, SyncEvent, schedule::Schedule};

/// Arguments of `daemon`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Minutes between runs (default: the settings' schedule.interval_minutes).
    #[arg(long)]
    interval_minutes: Option<u32>,
}

/// Runs the schedule, printing one line per finished run.
pub async fn run(args: Args, paths: connector::Paths) -> anyhow::Result<ExitCode> {
    let connector = Arc::new(Connector::from_paths(paths)?);
    let minutes = args
        .interval_minutes
        .unwrap_or(connector.settings().schedule.interval_minutes)
        .max(1);
    let mut events = connector.subscribe();
    let schedule = Schedule::spawn(
        connector.clone(),
        Duration::from_secs(u64::from(minutes) * 60),
        connector.settings().schedule.paused,
    );
    println!("syncing every {minutes} minutes; Ctrl-C stops");
    loop {
        tokio::select! {
            _ = tokio::signal::ctrl_c() => break,
            event = events.recv() => match event {
                Ok(SyncEvent::RunFinished { summary }) => println!(
                    "run {}: {} ({} created, {} updated, {} held, {} failed, {} tracking)",
                    summary.run_id, summary.outcome, summary.created, summary.updated, summary.held, summary.failed, summary.tracking_reported
                ),
                Ok(SyncEvent::HealthChanged { from, to }) => println!("health: {from:?} → {to:?}"),
                Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                Err(_) => break,
            }
        }
    }
    schedule.send(connector::schedule::SyncCommand::Stop).await;
    Ok(ExitCode::SUCCESS)
}
