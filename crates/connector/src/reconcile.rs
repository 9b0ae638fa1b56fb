//! Reconciliation (SPEC §2): the two sides compared, for the operator. It writes nothing.

use std::collections::HashSet;

use futures::StreamExt;
use serde::Serialize;

use crate::error::Result;
use crate::store::{self, orders::OrderFilter, orders::OrderRow, orders::OrderState};
use crate::sync::Context;

/// One order in a reconciliation list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Quipt order number.
    pub order_number: String,
    /// Quipt id, when known.
    pub quipt_id: Option<String>,
    /// What is wrong.
    pub detail: String,
}

/// The reconciliation report.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ReconcileReport {
    /// Ready in Quipt but not in ShipStation (never pushed, or deleted there).
    pub missing_in_shipstation: Vec<Finding>,
    /// Shipped in ShipStation but without tracking in Quipt.
    pub shipped_without_tracking: Vec<Finding>,
    /// Cancelled on one side and open on the other.
    pub cancel_mismatch: Vec<Finding>,
    /// Orders held or failed, with their reasons.
    pub held: Vec<OrderRow>,
}

impl ReconcileReport {
    /// Whether both sides agree and nothing is held.
    pub fn is_clean(&self) -> bool {
        self.missing_in_shipstation.is_empty()
            && self.shipped_without_tracking.is_empty()
            && self.cancel_mismatch.is_empty()
            && self.held.is_empty()
    }
}

/// Compares Quipt's ready orders and ShipStation's orders with the history.
///
/// # Errors
/// When either API fails after retries.
pub async fn reconcile(ctx: &Context) -> Result<ReconcileReport> {
    let mut report = ReconcileReport::default();
    let mut ss_orders = Vec::new();
    {
        let api = ctx.shipstation.orders();
        let mut stream = std::pin::pin!(api.list_all(shipstation::OrderQuery {
            page_size: Some(500),
            ..Default::default()
        }));
        while let Some(order) = stream.next().await {
            ss_orders.push(order?);
        }
    }
    let ss_keys: HashSet<&str> = ss_orders
        .iter()
        .filter_map(|o| o.order_key.as_ref())
        .map(|k| k.0.as_str())
        .collect();

    let mut statuses = vec![quipt::OrderStatus::Open];
    if ctx.settings.orders.push_validating {
        statuses.push(quipt::OrderStatus::Pending);
    }
    let query = quipt::OrderQuery {
        statuses,
        ..Default::default()
    };
    let api = ctx.quipt.orders();
    let mut stream = std::pin::pin!(api.list_all(query, quipt::MAX_PAGE_SIZE));
    while let Some(order) = stream.next().await {
        let order = order?;
        let key = crate::mapping::order_key_for(&order.id);
        let row = store::orders::get(&ctx.db(), &order.id.0)?;
        let held = row.as_ref().is_some_and(|r| r.state.needs_attention());
        let cancelled_here = row
            .as_ref()
            .is_some_and(|r| r.state == OrderState::Cancelled);
        if cancelled_here {
            report.cancel_mismatch.push(Finding {
                order_number: order.order_number.clone(),
                quipt_id: Some(order.id.0.clone()),
                detail: "cancelled in ShipStation but open in Quipt".into(),
            });
        } else if !ss_keys.contains(key.0.as_str()) && !held {
            let detail = if row.as_ref().is_some_and(|r| r.ss_order_id.is_some()) {
                "pushed before but no longer in ShipStation (deleted there?)"
            } else {
                "ready in Quipt, not yet in ShipStation"
            };
            report.missing_in_shipstation.push(Finding {
                order_number: order.order_number.clone(),
                quipt_id: Some(order.id.0.clone()),
                detail: detail.into(),
            });
        }
    }

    for order in &ss_orders {
        let Some(id) = order
            .order_key
            .as_ref()
            .and_then(crate::mapping::quipt_id_of)
        else {
            continue;
        };
        let tracked = store::tracking::for_order(&ctx.db(), id)?
            .iter()
            .any(|t| t.state == store::tracking::TrackingState::Reported);
        if order.order_status == shipstation::OrderStatus::Shipped && !tracked {
            report.shipped_without_tracking.push(Finding {
                order_number: order.order_number.clone(),
                quipt_id: Some(id.to_string()),
                detail: "shipped in ShipStation, no tracking reported to Quipt yet".into(),
            });
        }
        if order.order_status == shipstation::OrderStatus::Cancelled
            && store::orders::get(&ctx.db(), id)?
                .is_some_and(|r| !matches!(r.state, OrderState::Cancelled))
        {
            report.cancel_mismatch.push(Finding {
                order_number: order.order_number.clone(),
                quipt_id: Some(id.to_string()),
                detail: "cancelled in ShipStation, not yet cancelled in Quipt".into(),
            });
        }
    }
    report.held = store::orders::list(
        &ctx.db(),
        &OrderFilter {
            attention: true,
            limit: Some(10_000),
            ..Default::default()
        },
    )?;
    Ok(report)
}
