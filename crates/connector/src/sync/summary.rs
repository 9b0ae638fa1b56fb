//! The run summary (SPEC §2.5): counts, API calls per service, the rate budget seen, duration and
//! outcome. The CLI's `--json`, the dashboard and the history all show this one shape.

use serde::Serialize;

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct RunSummary {
    /// The run's id in the history (0 for a dry run).
    pub run_id: i64,
    /// Whether nothing was written to either API.
    pub dry_run: bool,
    /// `ok`, `attention` (completed, but orders need the operator) or `failed`.
    pub outcome: String,
    /// Why the run failed.
    pub error: Option<String>,
    /// Orders created in ShipStation.
    pub created: u64,
    /// Orders updated in ShipStation (content changed, or status cleared in Quipt).
    pub updated: u64,
    /// Orders seen again without a change.
    pub unchanged: u64,
    /// Orders held by this run.
    pub held: u64,
    /// Orders ShipStation or Quipt refused in this run.
    pub failed: u64,
    /// Orders acknowledged (Accepted) in Quipt.
    pub acknowledged: u64,
    /// Shipments and fulfilments reported to Quipt.
    pub tracking_reported: u64,
    /// Reports withdrawn after a voided label.
    pub tracking_withdrawn: u64,
    /// Orders cancelled in ShipStation whose cancellation was applied in Quipt.
    pub cancelled_in_quipt: u64,
    /// Orders cancelled in Quipt and set `cancelled` in ShipStation.
    pub cancelled_in_shipstation: u64,
    /// New conflicts for the operator.
    pub conflicts: u64,
    /// Orders needing attention in the whole history after this run.
    pub attention_total: u64,
    /// Drift alerts from the reference data.
    pub alerts: Vec<String>,
    /// What the run could not do but will try again without the operator, such as the daily
    /// reconciliation while an API is down (absent when empty; older summaries lack it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// ShipStation requests made.
    pub shipstation_calls: u64,
    /// Quipt requests made.
    pub quipt_calls: u64,
    /// 429s ShipStation answered.
    pub rate_limited: u64,
    /// ShipStation's rate limit per window, as last seen.
    pub rate_limit: Option<u32>,
    /// ShipStation's remaining budget, as last seen.
    pub rate_remaining: Option<u32>,
    /// Milliseconds spent waiting for the rate budget.
    pub paced_wait_ms: u64,
    /// Duration of the run.
    pub duration_ms: u64,
    /// Dry run only: what would happen to each order (absent when empty, so the UI gets it optional).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub preview: Vec<PreviewItem>,
}

/// One line of a dry-run preview.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct PreviewItem {
    /// Quipt order number.
    pub order_number: String,
    /// `create`, `update`, `cancel` or `hold`.
    pub action: &'static str,
    /// Why, or what was substituted.
    pub detail: String,
}

impl RunSummary {
    /// Whether the run completed but orders need the operator (the CLI's exit code 2).
    pub fn needs_attention(&self) -> bool {
        self.outcome == "attention"
    }
}
