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

use connector::schedule::{Schedule, SyncCommand};
use connector::settings::{ScheduleSettings, Settings};
use connector::{Connector, SyncEvent, startup};

use crate::stop_signals::StopSignals;

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
    let config_file = paths.config_file.clone();
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
    let mut applied = connector.settings().schedule.clone();
    if let Some(minutes) = args.interval_minutes {
        applied.interval_minutes = minutes;
    }
    applied.interval_minutes = applied.interval_minutes.max(1);
    let printer = tokio::spawn(print_runs(connector.subscribe()));
    let mut stop = StopSignals::install()?;
    let schedule = Schedule::spawn(
        connector.clone(),
        every(applied.interval_minutes),
        applied.paused,
    );
    output::say!(
        "syncing every {} minutes{}; Ctrl-C stops",
        applied.interval_minutes,
        if applied.paused { " (paused)" } else { "" }
    );
    let mut file = SettingsFile::new(config_file, args.interval_minutes.is_some());
    let mut look = tokio::time::interval(SettingsFile::LOOK_EVERY);
    let signal = loop {
        tokio::select! {
            signal = stop.next() => break signal,
            _ = look.tick() => file.follow(&schedule, &mut applied).await,
        }
    };
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

fn every(minutes: u32) -> Duration {
    Duration::from_secs(u64::from(minutes) * 60)
}

/// The settings file as the daemon follows it: an edit of `schedule.paused` or
/// `schedule.interval_minutes` takes effect without a restart, as every other setting does on
/// the next run (the engine reads the file again before each run, but the schedule decides
/// whether and when there is a next run). An interval given on the command line stays.
struct SettingsFile {
    path: std::path::PathBuf,
    interval_fixed: bool,
    modified: Option<std::time::SystemTime>,
}

impl SettingsFile {
    /// How often the file's modification time is looked at.
    const LOOK_EVERY: Duration = Duration::from_secs(2);

    fn new(path: std::path::PathBuf, interval_fixed: bool) -> Self {
        let modified = Self::modified(&path);
        Self {
            path,
            interval_fixed,
            modified,
        }
    }

    fn modified(path: &std::path::Path) -> Option<std::time::SystemTime> {
        std::fs::metadata(path).and_then(|m| m.modified()).ok()
    }

    /// When the file changed since the last look, applies its schedule to the running one. A file
    /// that does not read is left to the next run, whose summary says why.
    async fn follow(&mut self, schedule: &Schedule, applied: &mut ScheduleSettings) {
        let modified = Self::modified(&self.path);
        if modified == self.modified {
            return;
        }
        self.modified = modified;
        let Ok(settings) = Settings::load(&self.path) else {
            return;
        };
        let mut wanted = settings.schedule;
        if self.interval_fixed {
            wanted.interval_minutes = applied.interval_minutes;
        }
        wanted.interval_minutes = wanted.interval_minutes.max(1);
        if wanted.interval_minutes != applied.interval_minutes {
            schedule
                .send(SyncCommand::SetInterval(every(wanted.interval_minutes)))
                .await;
            tracing::info!(
                minutes = wanted.interval_minutes,
                "the settings file changed the schedule's interval"
            );
            output::say!(
                "settings file: syncing every {} minutes from now",
                wanted.interval_minutes
            );
        }
        if wanted.paused != applied.paused {
            let (command, said) = if wanted.paused {
                (SyncCommand::Pause, "paused: no scheduled run until resumed")
            } else {
                (SyncCommand::Resume, "resumed: a run starts now")
            };
            schedule.send(command).await;
            tracing::info!("the settings file changed the schedule: {said}");
            output::say!("settings file: {said}");
        }
        *applied = wanted;
    }
}

/// One line per finished run and per health change, until the engine's events end.
async fn print_runs(mut events: tokio::sync::broadcast::Receiver<SyncEvent>) {
    loop {
        match events.recv().await {
            Ok(SyncEvent::RunFinished { summary }) => output::say!(
                "run {}: {} ({} created, {} updated, {} held, {} failed; tracking {} reported, {} withdrawn; cancellations {} to Quipt, {} to ShipStation; {} in conflict){}",
                summary.run_id,
                summary.outcome,
                summary.created,
                summary.updated,
                summary.held,
                summary.failed,
                summary.tracking_reported,
                summary.tracking_withdrawn,
                summary.cancelled_in_quipt,
                summary.cancelled_in_shipstation,
                summary.conflicts,
                summary
                    .error
                    .as_deref()
                    .map(|e| format!(": {}", output::visible(e)))
                    .unwrap_or_default()
            ),
            Ok(SyncEvent::HealthChanged { from, to }) => output::say!("health: {from:?} → {to:?}"),
            Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
            Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
        }
    }
}
