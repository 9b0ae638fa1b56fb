//! What the engine tells its callers while it works. The desktop shell forwards these to the webview
//! unchanged and the CLI prints them; nobody re-derives state from log lines. Every event is also
//! written to the log (see [`Events::send`]), so the files support reads tell the story the screen
//! told.

use serde::Serialize;
use tokio::sync::broadcast;

use crate::health::Health;
use crate::outcome::RunOutcome;
use crate::summary::RunSummary;

/// The passes of a run, in order (SPEC §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum Pass {
    /// Stores, warehouses, carriers, services.
    Reference,
    /// Quipt orders to ShipStation.
    OrdersOut,
    /// Shipments and fulfilments back to Quipt.
    TrackingBack,
    /// Cancellations from ShipStation to Quipt.
    Cancellations,
    /// Orders ShipStation accepted, acknowledged in Quipt (the acknowledgement lane).
    Acknowledging,
}

impl Pass {
    /// The name used in cursors, logs and the UI.
    pub fn as_str(self) -> &'static str {
        match self {
            Pass::Reference => "reference",
            Pass::OrdersOut => "orders_out",
            Pass::TrackingBack => "tracking_back",
            Pass::Cancellations => "cancellations",
            Pass::Acknowledging => "acknowledging",
        }
    }

    /// What the pass does, for a progress line ("Acknowledging in Quipt 40/138"); the app's
    /// `ui/src/format.ts` says the same.
    pub fn label(self) -> &'static str {
        match self {
            Pass::Reference => "Reading stores, warehouses and carriers",
            Pass::OrdersOut => "Sending orders to ShipStation",
            Pass::TrackingBack => "Bringing tracking back to Quipt",
            Pass::Cancellations => "Checking cancellations",
            Pass::Acknowledging => "Acknowledging in Quipt",
        }
    }
}

/// An event of the sync engine.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum SyncEvent {
    /// A run began.
    RunStarted {
        /// The run's id in the history (0 for a dry run that records nothing).
        run_id: i64,
        /// Whether nothing will be written to either API.
        dry_run: bool,
    },
    /// Progress within a pass; `total` is 0 while unknown.
    Progress {
        /// The pass.
        pass: Pass,
        /// Items done.
        done: u64,
        /// Items in this pass.
        total: u64,
    },
    /// An order was held; the reason says what to fix.
    OrderHeld {
        /// Quipt order number.
        order_number: String,
        /// Why.
        reason: String,
    },
    /// A run ended.
    RunFinished {
        /// The run's summary.
        summary: Box<RunSummary>,
    },
    /// The health changed (emitted only on a change, so the tray and notifications don't flash).
    HealthChanged {
        /// Before.
        from: Health,
        /// After.
        to: Health,
    },
}

/// The engine's event channel. Sending logs the event first, so a run, its holds and its outcome
/// reach the log files whether or not a window or terminal is listening.
#[derive(Debug, Clone)]
pub struct Events(broadcast::Sender<SyncEvent>);

impl Default for Events {
    fn default() -> Self {
        // Progress comes in bursts; a subscriber more than this far behind skips ahead (Lagged).
        Self(broadcast::channel(1024).0)
    }
}

impl Events {
    /// Logs `event` and hands it to every subscriber (none listening is fine).
    pub fn send(&self, event: SyncEvent) {
        event.log();
        let _ = self.0.send(event);
    }

    /// Events from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<SyncEvent> {
        self.0.subscribe()
    }
}

impl SyncEvent {
    /// One log line: progress at debug (it is noise in a file), holds and attention at warn, failures
    /// at error, the rest at info.
    fn log(&self) {
        match self {
            SyncEvent::RunStarted { run_id, dry_run } => {
                tracing::info!(run_id, dry_run, "sync run started");
            }
            SyncEvent::Progress { pass, done, total } => {
                tracing::debug!(pass = pass.as_str(), done, total, "progress");
            }
            SyncEvent::OrderHeld {
                order_number,
                reason,
            } => tracing::warn!(order = %order_number, "order held: {reason}"),
            SyncEvent::RunFinished { summary } => {
                let s = summary.as_ref();
                let line = format!(
                    "sync run {} finished: {}; created {}, updated {}, held {}, failed {}, \
                     tracking reported {}, tracking withdrawn {}, cancelled in Quipt {}, \
                     cancelled in ShipStation {}, conflicts {}; {} ShipStation calls \
                     ({} rate-limited) and {} Quipt calls ({} rate-limited), {} ms",
                    s.run_id,
                    s.outcome,
                    s.created,
                    s.updated,
                    s.held,
                    s.failed,
                    s.tracking_reported,
                    s.tracking_withdrawn,
                    s.cancelled_in_quipt,
                    s.cancelled_in_shipstation,
                    s.conflicts,
                    s.shipstation_calls,
                    s.rate_limited,
                    s.quipt_calls,
                    s.quipt_rate_limited,
                    s.duration_ms,
                );
                match (s.outcome, &s.error) {
                    (RunOutcome::Failed, Some(error)) => tracing::error!("{line}: {error}"),
                    (RunOutcome::Failed, None) => tracing::error!("{line}"),
                    (RunOutcome::Attention, _) => {
                        tracing::warn!("{line}; {} orders need attention", s.attention_total);
                    }
                    _ => tracing::info!("{line}"),
                }
                for alert in &s.alerts {
                    tracing::warn!(run = s.run_id, "reference data: {alert}");
                }
                for warning in &s.warnings {
                    tracing::warn!(run = s.run_id, "{warning}");
                }
            }
            SyncEvent::HealthChanged { from, to } => match to {
                Health::Ok | Health::FirstSync => tracing::info!(?from, ?to, "health changed"),
                Health::Warning | Health::Failing => {
                    tracing::warn!(?from, ?to, "health changed");
                }
            },
        }
    }
}
