//! Reconciliation (SPEC §2, on demand and daily): the two sides compared, for the operator. It
//! writes nothing to either API; each completed report is recorded in the history, so the dashboard
//! shows the latest and the daily one knows when it is next due.

use std::collections::HashSet;

use futures::StreamExt;
use serde::Serialize;

use crate::error::Result;
use crate::store::reconciliations::{NewReconciliation, ReconciliationTrigger};
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
    /// Cancelled on one side and open on the other, either way (a soft cancel in Quipt — the order
    /// Open, its lines "Cancelled By Warehouse" — agrees with a cancelled ShipStation order); an
    /// order Quipt no longer has but ShipStation could still ship is one too.
    pub cancel_mismatch: Vec<Finding>,
    /// Orders held or failed, with their reasons: listed apart, since they are the operator's to
    /// fix rather than a disagreement between the sides.
    pub held: Vec<OrderRow>,
}

impl ReconcileReport {
    /// Whether the two sides agree (held orders are listed apart and do not count).
    pub fn is_clean(&self) -> bool {
        self.missing_in_shipstation.is_empty()
            && self.shipped_without_tracking.is_empty()
            && self.cancel_mismatch.is_empty()
    }
}

/// Compares both sides with the history and records the report with what started it.
///
/// # Errors
/// When either API fails after retries (nothing is recorded then), or SQLite fails.
pub async fn reconcile(ctx: &Context, trigger: ReconciliationTrigger) -> Result<ReconcileReport> {
    let report = compare(ctx).await?;
    let json = serde_json::to_string(&report).expect("a report always serializes");
    store::reconciliations::insert(
        &ctx.db(),
        &NewReconciliation {
            trigger,
            missing_in_shipstation: report.missing_in_shipstation.len(),
            shipped_without_tracking: report.shipped_without_tracking.len(),
            cancel_mismatch: report.cancel_mismatch.len(),
            held: report.held.len(),
            report_json: &json,
        },
        ctx.now(),
    )?;
    Ok(report)
}

/// What the comparison needs of one of our orders that ShipStation has shipped or cancelled, or
/// still open while Quipt does not list it as ready. Of the others only the key is kept: a daily
/// reconciliation lists every order of a large account.
struct Ours {
    quipt_id: String,
    order_number: String,
    status: shipstation::OrderStatus,
}

/// Compares Quipt's ready orders and ShipStation's orders with the history.
async fn compare(ctx: &Context) -> Result<ReconcileReport> {
    let mut report = ReconcileReport::default();
    let mut ss_keys = HashSet::new();
    let mut closed = Vec::new();
    let mut open = Vec::new();
    {
        let api = ctx.shipstation.orders();
        let mut stream = std::pin::pin!(api.list_all(shipstation::OrderQuery {
            page_size: Some(500),
            ..Default::default()
        }));
        while let Some(order) = stream.next().await {
            let order = match order {
                Ok(order) => order,
                // ShipStation has it, whatever else of it does not read (the passes note it).
                Err(shipstation::Error::UnreadableRow(row)) => {
                    ss_keys.extend(row.order_key);
                    continue;
                }
                Err(e) => return Err(e.into()),
            };
            let Some(key) = order.order_key else {
                continue;
            };
            ss_keys.insert(key.0.clone());
            let Some(id) = crate::mapping::quipt_id_of(&key) else {
                continue;
            };
            let ours = Ours {
                quipt_id: id.to_string(),
                order_number: order.order_number,
                status: order.order_status,
            };
            match order.order_status {
                shipstation::OrderStatus::Shipped | shipstation::OrderStatus::Cancelled => {
                    closed.push(ours);
                }
                shipstation::OrderStatus::AwaitingPayment
                | shipstation::OrderStatus::AwaitingShipment
                | shipstation::OrderStatus::PendingFulfillment
                | shipstation::OrderStatus::OnHold => open.push(ours),
                shipstation::OrderStatus::RejectedFulfillment
                | shipstation::OrderStatus::Unknown => {}
            }
        }
    }

    let mut statuses = vec![quipt::OrderStatus::Open];
    if ctx.settings().orders.push_validating {
        statuses.push(quipt::OrderStatus::Pending);
    }
    let query = quipt::OrderQuery {
        statuses,
        ..Default::default()
    };
    let api = ctx.quipt.orders();
    let mut ready = HashSet::new();
    let mut stream = std::pin::pin!(api.list_all(query, quipt::MAX_PAGE_SIZE));
    while let Some(order) = stream.next().await {
        let order = match order {
            Ok(order) => order,
            // Held for it by the orders-out pass, and listed among the held orders.
            Err(quipt::Error::UnreadableOrder(unreadable)) => {
                ready.extend(unreadable.id);
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        ready.insert(order.id.0.clone());
        let key = crate::mapping::order_key_for(&order.id);
        let row = store::orders::get(&ctx.db(), &order.id.0)?;
        // Held orders are listed on their own; a settled one is the operator's, not a finding.
        let held = row
            .as_ref()
            .is_some_and(|r| r.state.needs_attention() || r.state == OrderState::Settled);
        // Cancelled here after ShipStation cancelled it; a soft cancel leaves the Quipt order
        // Open with its lines "Cancelled By Warehouse", which agrees.
        let cancelled_here = row
            .as_ref()
            .is_some_and(|r| r.state == OrderState::Cancelled);
        if cancelled_here && crate::mapping::cancel::is_soft_cancelled(&order) {
            continue;
        }
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

    open.retain(|o| !ready.contains(&o.quipt_id));
    report
        .cancel_mismatch
        .extend(open_in_shipstation_only(ctx, open).await?);

    for order in closed {
        // The operator settled this order's conflict outside the connector: whatever ShipStation
        // says of it is theirs, and would otherwise be a finding every day for good.
        if store::orders::get(&ctx.db(), &order.quipt_id)?
            .is_some_and(|r| r.state == OrderState::Settled)
        {
            continue;
        }
        let tracked = store::tracking::for_order(&ctx.db(), &order.quipt_id)?
            .iter()
            .any(|t| t.state == store::tracking::TrackingState::Reported);
        if order.status == shipstation::OrderStatus::Shipped && !tracked {
            report.shipped_without_tracking.push(Finding {
                order_number: order.order_number,
                quipt_id: Some(order.quipt_id),
                detail: "shipped in ShipStation, no tracking reported to Quipt yet".into(),
            });
        } else if order.status == shipstation::OrderStatus::Cancelled
            // An order in conflict (a part of it shipped, a cancellation Quipt refused) is listed
            // among the held orders, with the reason that says which side did what.
            && store::orders::get(&ctx.db(), &order.quipt_id)?
                .is_some_and(|r| r.state != OrderState::Cancelled && !r.state.needs_attention())
        {
            report.cancel_mismatch.push(Finding {
                order_number: order.order_number,
                quipt_id: Some(order.quipt_id),
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

/// Of our orders still open in ShipStation that Quipt does not list as ready, those Quipt cancelled
/// (or no longer has): the warehouse could still ship them. Each is read by id, since listing every
/// cancelled Quipt order would read the account's whole past; there are normally none, as the next
/// run sends the cancellation. An order the operator settled is theirs; one held, failed or in
/// conflict is listed among the held orders.
async fn open_in_shipstation_only(ctx: &Context, open: Vec<Ours>) -> Result<Vec<Finding>> {
    let mut findings = Vec::new();
    for order in open {
        // Settled by the operator, or in conflict (listed among the held orders, with the reason
        // that says which side did what): not a finding of its own.
        if store::orders::get(&ctx.db(), &order.quipt_id)?
            .is_some_and(|r| r.state == OrderState::Settled || r.state.needs_attention())
        {
            continue;
        }
        let id = quipt::OrderId(order.quipt_id.clone());
        let detail = match ctx.quipt.orders().get(&id).await {
            Ok(q) if q.status == quipt::OrderStatus::Canceled => {
                "cancelled in Quipt but open in ShipStation"
            }
            Ok(_) => continue,
            Err(e) if e.status() == Some(404) => {
                "no longer in Quipt (deleted there?) but open in ShipStation"
            }
            // Quipt would not give this one order: not a disagreement the comparison can tell.
            Err(e) if e.is_refusal() => continue,
            Err(e) => return Err(e.into()),
        };
        findings.push(Finding {
            order_number: order.order_number,
            quipt_id: Some(order.quipt_id),
            detail: detail.into(),
        });
    }
    Ok(findings)
}
