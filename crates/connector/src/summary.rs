//! The run summary (SPEC §2.5): counts, API calls per service, the rate budget seen, duration and
//! outcome. The CLI's `--json`, the dashboard and the history all show this one shape, and the
//! history keeps it with each run.

use serde::{Deserialize, Serialize};

use crate::outcome::{RunOutcome, named};

/// What a run did. Stored with the run, so it reads back what older versions wrote: a field they
/// did not write takes its default.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(default)]
pub struct RunSummary {
    /// The run's id in the history (0 for a dry run).
    pub run_id: i64,
    /// Whether nothing was written to either API.
    pub dry_run: bool,
    /// Ok, attention (completed, but something needs the operator) or failed.
    pub outcome: RunOutcome,
    /// Why the run failed.
    pub error: Option<String>,
    /// Orders created in ShipStation (in a dry run: that would be created).
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
    /// Orders ShipStation has that are still to be acknowledged in Quipt when the run ended (the
    /// backlog the next runs work off).
    pub acknowledgements_left: u64,
    /// Shipments and fulfilments reported to Quipt.
    pub tracking_reported: u64,
    /// Reports withdrawn after a voided label.
    pub tracking_withdrawn: u64,
    /// Orders cancelled in ShipStation whose cancellation was applied in Quipt.
    pub cancelled_in_quipt: u64,
    /// Orders cancelled in Quipt and set `cancelled` in ShipStation.
    pub cancelled_in_shipstation: u64,
    /// Orders whose copy ShipStation still had to ship was put on hold there (a line on hold or a
    /// cancellation requested in Quipt, or shipped in Quipt another way), or found on hold.
    pub held_in_shipstation: u64,
    /// Orders a refusal (by Quipt or ShipStation) or a cancellation after shipping made a
    /// conflict of in this run: each once, however many of its passes met it. Every order needing
    /// the operator, these included, is in [`RunSummary::attention_total`].
    pub conflicts: u64,
    /// Orders needing attention in the whole history after this run.
    pub attention_total: u64,
    /// Alerts for the operator: drift of the reference data, an order Quipt sent that cannot
    /// even be named. Any of them ends the run asking for the operator.
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
    /// 429s Quipt answered (its limit is per token: another application using the same API user
    /// spends it too). Older summaries lack it.
    #[serde(default)]
    pub quipt_rate_limited: u64,
    /// ShipStation's rate limit per window, as last seen.
    pub rate_limit: Option<u32>,
    /// ShipStation's remaining budget, as last seen.
    pub rate_remaining: Option<u32>,
    /// Milliseconds spent waiting for the rate budget.
    pub paced_wait_ms: u64,
    /// Duration of the run.
    pub duration_ms: u64,
    /// A fingerprint of the settings and reference data the mapping decided with (absent before
    /// orders were read): when the next run's differs, orders held for a setting are planned
    /// again.
    pub mapping_fingerprint: Option<String>,
    /// Dry run only: what would happen to each order, the first [`PREVIEW_LIMIT`] of them (absent
    /// when empty, so the UI gets it optional).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub preview: Vec<PreviewItem>,
    /// Dry run only: orders planned beyond the preview's limit, so a list cut short says how many
    /// more there are.
    pub preview_more: u64,
}

/// The most orders a dry run lists one by one; its counts cover every order.
pub const PREVIEW_LIMIT: usize = 100;

named! {
    /// What a dry run would do with an order.
    pub enum PreviewAction {
        /// Create it in ShipStation.
        Create = "create",
        /// Update it in ShipStation.
        Update = "update",
        /// Set it cancelled in ShipStation.
        Cancel = "cancel",
        /// Hold it.
        Hold = "hold",
        /// Put ShipStation's copy on hold there, so that the warehouse does not ship it (a line
        /// on hold or a cancellation requested in Quipt, or shipped in Quipt another way).
        HoldInShipstation = "hold in ShipStation",
    }
}

/// One line of a dry-run preview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct PreviewItem {
    /// Quipt order number.
    pub order_number: String,
    /// What would happen.
    pub action: PreviewAction,
    /// Why, or what was substituted.
    pub detail: String,
}

impl RunSummary {
    /// Whether the run completed but something needs the operator (the CLI's exit code 2).
    pub fn needs_attention(&self) -> bool {
        self.outcome == RunOutcome::Attention
    }

    /// Adds one order to a dry run's preview, or counts it beyond the limit.
    pub(crate) fn preview(&mut self, order_number: &str, action: PreviewAction, detail: String) {
        if self.preview.len() < PREVIEW_LIMIT {
            self.preview.push(PreviewItem {
                order_number: order_number.to_string(),
                action,
                detail,
            });
        } else {
            self.preview_more += 1;
        }
    }
}
