//! What the engine tells its callers while it works. The desktop shell forwards these to the webview
//! unchanged and the CLI prints them; nobody re-derives state from log lines.

use serde::Serialize;

use crate::health::Health;

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
}

impl Pass {
    /// The name used in cursors, logs and the UI.
    pub fn as_str(self) -> &'static str {
        match self {
            Pass::Reference => "reference",
            Pass::OrdersOut => "orders_out",
            Pass::TrackingBack => "tracking_back",
            Pass::Cancellations => "cancellations",
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
        summary: Box<crate::sync::summary::RunSummary>,
    },
    /// The health changed (emitted only on a change, so the tray and notifications don't flash).
    HealthChanged {
        /// Before.
        from: Health,
        /// After.
        to: Health,
    },
}
