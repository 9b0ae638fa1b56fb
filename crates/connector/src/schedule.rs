//! The background schedule: one `select!` loop over the next tick and a command channel. Sync now
//! is a command, so it joins the running run instead of starting a second one (and reads the
//! reference data afresh); runs start an interval apart (from start to start), failures back off,
//! and a run that panics is a failure like any other
//! ([`crate::panics`]): the loop goes on. The ticks are on the engine's clock
//! ([`crate::clock`]): wall-clock aware, and movable in tests.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::FutureExt;
use serde::Serialize;
use tokio::sync::{mpsc, oneshot, watch};

use crate::Connector;
use crate::error::Result;
use crate::outcome::{RunOutcome, Trigger};
use crate::settings::ScheduleSettings;
use crate::summary::RunSummary;
use crate::sync::RunOptions;

/// What the schedule can be told.
#[derive(Debug)]
pub enum SyncCommand {
    /// Run now (or join the running run) and answer with its summary.
    SyncNow(Option<oneshot::Sender<Result<RunSummary>>>),
    /// Stop running on the schedule (Sync now still works).
    Pause,
    /// Resume the schedule.
    Resume,
    /// Change the interval.
    SetInterval(Duration),
    /// End the loop.
    Stop,
    /// Hand the schedule over to another process (the app's lighter self): once no run is going,
    /// answered with the state as it stands and the loop ends; answered `None` and the loop goes
    /// on, its plan unchanged, when commands wait behind it (the operator acting meanwhile).
    HandOver(oneshot::Sender<Option<ScheduleState>>),
}

/// The schedule's state, for the dashboard and the tray.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ScheduleState {
    /// Whether the schedule is paused.
    pub paused: bool,
    /// When the next scheduled run starts (none while paused).
    pub next_run_at: Option<DateTime<Utc>>,
    /// The interval between runs, in minutes.
    pub interval_minutes: u64,
}

/// Capped exponential backoff after failed runs, with jitter so that many workstations do not retry
/// in step.
#[derive(Debug, Clone)]
pub struct Backoff {
    base: Duration,
    cap: Duration,
    failures: u32,
}

impl Backoff {
    /// A backoff starting at `base`, never longer than `cap`.
    pub fn new(base: Duration, cap: Duration) -> Self {
        Self {
            base,
            cap,
            failures: 0,
        }
    }

    /// The delay before the next attempt after one more failure.
    pub fn next_delay(&mut self) -> Duration {
        let exp = self.base.saturating_mul(1u32 << self.failures.min(16));
        self.failures += 1;
        let capped = exp.min(self.cap);
        let jitter = capped.mul_f64(0.1 * f64::from(rand_fraction()));
        capped.saturating_sub(jitter)
    }

    /// Back to the start after a success.
    pub fn reset(&mut self) {
        self.failures = 0;
    }
}

fn rand_fraction() -> f32 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    (nanos % 1000) as f32 / 1000.0
}

/// A handle on a running schedule.
#[derive(Debug, Clone)]
pub struct Schedule {
    commands: mpsc::Sender<SyncCommand>,
    state: watch::Receiver<ScheduleState>,
    task: tokio::task::AbortHandle,
}

impl Schedule {
    /// Starts the loop on the current tokio runtime. The first run starts at once unless paused.
    pub fn spawn(connector: Arc<Connector>, interval: Duration, paused: bool) -> Self {
        Self::spawn_from(connector, interval, paused, None)
    }

    /// Starts the loop with its first run at `first_run` (at once when `None` or past): a process
    /// that continues another's schedule (the app handing over to a lighter process of itself)
    /// keeps its cadence instead of running at start.
    pub fn spawn_from(
        connector: Arc<Connector>,
        interval: Duration,
        paused: bool,
        first_run: Option<DateTime<Utc>>,
    ) -> Self {
        let (commands, mut rx) = mpsc::channel(16);
        let (state_tx, state) = watch::channel(ScheduleState {
            paused,
            next_run_at: None,
            interval_minutes: interval.as_secs() / 60,
        });
        let task = tokio::spawn(async move {
            let clock = connector.clock();
            let mut interval = interval;
            let mut paused = paused;
            let mut backoff = Backoff::new(Duration::from_secs(30), interval);
            let mut delay = first_run
                .and_then(|at| (at - clock.now()).to_std().ok())
                .unwrap_or_default();
            loop {
                let next = clock.now() + chrono::Duration::from_std(delay).unwrap_or_default();
                state_tx.send_replace(ScheduleState {
                    paused,
                    next_run_at: (!paused).then_some(next),
                    interval_minutes: interval.as_secs() / 60,
                });
                running(&connector, Some((interval, paused)));
                let reply = tokio::select! {
                    _ = clock.sleep_until(next), if !paused => None,
                    command = rx.recv() => match command {
                        None | Some(SyncCommand::Stop) => break,
                        Some(SyncCommand::Pause) => { paused = true; delay = interval; continue }
                        Some(SyncCommand::Resume) => { paused = false; delay = Duration::ZERO; continue }
                        Some(SyncCommand::SetInterval(d)) => { interval = d; delay = d; continue }
                        Some(SyncCommand::SyncNow(reply)) => Some(reply),
                        Some(SyncCommand::HandOver(reply)) => {
                            if rx.is_empty() {
                                let _ = reply.send(Some(state_tx.borrow().clone()));
                                break;
                            }
                            let _ = reply.send(None);
                            delay = (next - clock.now()).to_std().unwrap_or_default();
                            continue
                        }
                    },
                };
                // Sync now also reads stores, warehouses and carriers afresh (SPEC §2.1).
                let sync_now = reply.is_some();
                let began = clock.now();
                let run = connector.sync(RunOptions {
                    dry_run: false,
                    trigger: if sync_now {
                        Trigger::SyncNow
                    } else {
                        Trigger::Schedule
                    },
                    refresh_reference: sync_now,
                });
                // A bug outside the passes (which record their own) must not end the loop either.
                let result = AssertUnwindSafe(run)
                    .catch_unwind()
                    .await
                    .unwrap_or_else(|payload| Err(crate::panics::from_payload(&*payload)));
                delay = match &result {
                    Ok(summary) if summary.outcome != RunOutcome::Failed => {
                        backoff.reset();
                        // Runs start an interval apart, however long each takes (a run may spend
                        // half the interval on Quipt's acknowledgement backlog): a label printed
                        // during one reaches Quipt within an interval. One that took longer than
                        // the interval is followed at once.
                        let next = began + chrono::Duration::from_std(interval).unwrap_or_default();
                        (next - clock.now()).to_std().unwrap_or_default()
                    }
                    _ => backoff.next_delay(),
                };
                if let Some(Some(reply)) = reply {
                    let _ = reply.send(result);
                }
            }
            running(&connector, None);
        })
        .abort_handle();
        Self {
            commands,
            state,
            task,
        }
    }

    /// Sends a command; a stopped schedule ignores it.
    pub async fn send(&self, command: SyncCommand) {
        let _ = self.commands.send(command).await;
    }

    /// Runs now (or joins the running run) and waits for the summary.
    ///
    /// # Errors
    /// The run's error.
    pub async fn sync_now(&self) -> Option<Result<RunSummary>> {
        let (tx, rx) = oneshot::channel();
        self.send(SyncCommand::SyncNow(Some(tx))).await;
        rx.await.ok()
    }

    /// Hands the schedule over ([`SyncCommand::HandOver`]): waits for the run in progress, then ends
    /// the loop and returns its state; `None` when commands came first (the loop goes on) or the
    /// loop had already ended.
    pub async fn hand_over(&self) -> Option<ScheduleState> {
        let (tx, rx) = oneshot::channel();
        self.send(SyncCommand::HandOver(tx)).await;
        rx.await.ok().flatten()
    }

    /// Ends the loop and resolves once it has ended: a run in progress finishes first (a caller
    /// that cannot wait that long drops this future; the run is then abandoned with the process,
    /// which is safe: the next start marks it interrupted and every write is safe to redo).
    pub async fn stop(&self) {
        self.send(SyncCommand::Stop).await;
        self.ended().await;
    }

    /// Ends the loop at once, abandoning a run in progress where it waits (on an API, the run
    /// lock), and resolves once the loop has ended: nothing of that run is sent, written or
    /// published afterwards. Safe as a crash is: the history keeps the run as started (the next
    /// run marks it interrupted) and every write is safe to redo. For an engine whose accounts
    /// and data go away now (the demo, when it is left), where waiting for [`Schedule::stop`]
    /// would hold the operator for a run nobody will look at.
    pub async fn abandon(&self) {
        self.task.abort();
        self.ended().await;
    }

    /// Resolves once the loop has ended (its state's sender goes with it).
    async fn ended(&self) {
        let mut state = self.state.clone();
        while state.changed().await.is_ok() {}
    }

    /// The current state.
    pub fn state(&self) -> ScheduleState {
        self.state.borrow().clone()
    }

    /// The state as it changes (a pause, a resume, the next run planned): the app's tray follows it.
    pub fn watch(&self) -> watch::Receiver<ScheduleState> {
        self.state.clone()
    }

    /// Waits until the schedule has planned a run later than `after` (it plans the next one when
    /// a run ends or a command changes it), and returns when that run is due; `None` once the
    /// schedule stopped or while it is paused.
    pub async fn planned_after(&self, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let mut state = self.state.clone();
        let planned = state
            .wait_for(|s| s.paused || s.next_run_at.is_some_and(|at| at > after))
            .await
            .ok()?;
        planned.next_run_at
    }
}

/// Tells the engine the schedule running in this process, `None` once it ended: the health is
/// judged against its interval and pause, which a daemon's `--interval-minutes` or a command
/// may have set apart from the settings file ([`crate::sync::Context::schedule`]).
fn running(connector: &Connector, schedule: Option<(Duration, bool)>) {
    let schedule = schedule.map(|(interval, paused)| ScheduleSettings {
        interval_minutes: u32::try_from(interval.as_secs() / 60).unwrap_or(u32::MAX),
        paused,
    });
    *connector
        .ctx
        .running_schedule
        .write()
        .unwrap_or_else(|poisoned| poisoned.into_inner()) = schedule;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_then_stays_under_its_cap_and_resets_after_success() {
        let mut b = Backoff::new(Duration::from_secs(30), Duration::from_secs(300));
        let first = b.next_delay();
        let second = b.next_delay();
        assert!(first <= Duration::from_secs(30) && first >= Duration::from_secs(27));
        assert!(second > first, "the second delay is longer");
        for _ in 0..10 {
            assert!(
                b.next_delay() <= Duration::from_secs(300),
                "never beyond the cap"
            );
        }
        b.reset();
        assert!(
            b.next_delay() <= Duration::from_secs(30),
            "a success starts over"
        );
    }
}
