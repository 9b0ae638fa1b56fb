//! `daemon`: the schedule in the foreground, until Ctrl-C or SIGTERM (a service manager's stop).
//! Started before the keyring is unlocked (a user service at login), it waits for it.
//! Either lets the run in progress finish, up to [`GRACE`]; a second signal, or the grace running
//! out, abandons it, which is safe: the next start marks it interrupted, and every write it may
//! have made is one that is safe to redo (orders upserted by `orderKey`, shipments by
//! `ExternalId`). Exit 0 either way: stopping is not a failure.

use crate::output;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use connector::{Connector, SyncEvent, schedule::Schedule, startup};

/// How long a stop waits for the run in progress (under systemd's default 90-second stop timeout).
pub const GRACE: Duration = Duration::from_secs(60);

/// Arguments of `daemon`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Minutes between runs (default: the settings' schedule.interval_minutes).
    #[arg(long)]
    interval_minutes: Option<u32>,
}

/// Runs the schedule, printing one line per finished run.
pub async fn run(args: Args, paths: connector::Paths) -> anyhow::Result<ExitCode> {
    // Started at login before the keyring is unlocked: wait for it rather than fail for good.
    let mut told = false;
    let open = move || Connector::from_paths(paths.clone());
    let connector = startup::open_when_keyring_opens(open, startup::KEYRING_RETRY, |e| {
        if !std::mem::replace(&mut told, true) {
            tracing::warn!(target: connector::logging::FILE_ONLY, "{}", startup::waiting_message(e));
            output::say!("{}", startup::waiting_message(e));
        }
    })
    .await?;
    if told {
        tracing::info!("the keyring is open: syncing starts");
    }
    let connector = Arc::new(connector);
    let minutes = args
        .interval_minutes
        .unwrap_or(connector.settings().schedule.interval_minutes)
        .max(1);
    let printer = tokio::spawn(print_runs(connector.subscribe()));
    let mut stop = StopSignals::install()?;
    let schedule = Schedule::spawn(
        connector.clone(),
        Duration::from_secs(u64::from(minutes) * 60),
        connector.settings().schedule.paused,
    );
    output::say!("syncing every {minutes} minutes; Ctrl-C stops");
    let signal = stop.next().await;
    tracing::info!("{signal}: stopping the schedule");
    output::say!(
        "{signal}: stopping (a run in progress finishes first, up to {} s)",
        GRACE.as_secs()
    );
    let finished = tokio::select! {
        _ = schedule.stop() => true,
        _ = tokio::time::sleep(GRACE) => false,
        _ = stop.next() => false,
    };
    if finished {
        // The loop has let go of the engine: its events end once this last handle goes, after
        // the printer has shown the run that just finished.
        drop(connector);
        let _ = tokio::time::timeout(Duration::from_secs(5), printer).await;
        output::say!("stopped");
    } else {
        tracing::warn!(
            "the run in progress was abandoned; the next start marks it interrupted and redoes what it had not finished"
        );
        output::say!(
            "stopped; the run in progress was abandoned (the next start redoes what it had not finished)"
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// One line per finished run and per health change, until the engine's events end.
async fn print_runs(mut events: tokio::sync::broadcast::Receiver<SyncEvent>) {
    loop {
        match events.recv().await {
            Ok(SyncEvent::RunFinished { summary }) => output::say!(
                "run {}: {} ({} created, {} updated, {} held, {} failed, {} tracking)",
                summary.run_id,
                summary.outcome,
                summary.created,
                summary.updated,
                summary.held,
                summary.failed,
                summary.tracking_reported
            ),
            Ok(SyncEvent::HealthChanged { from, to }) => output::say!("health: {from:?} → {to:?}"),
            Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
            Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
        }
    }
}

/// Ctrl-C, and on Unix SIGTERM, as one stream of stop requests.
struct StopSignals {
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
}

impl StopSignals {
    fn install() -> anyhow::Result<Self> {
        Ok(Self {
            #[cfg(unix)]
            terminate: tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?,
        })
    }

    /// The next stop request, named.
    async fn next(&mut self) -> &'static str {
        #[cfg(unix)]
        {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => "interrupted",
                _ = self.terminate.recv() => "terminated",
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
            "interrupted"
        }
    }
}
