//! Pass 4: what changed in ShipStation since the cursor. Orders cancelled there get the configured
//! cancel mode applied in Quipt (soft: cancel shipment; hard: reject the remaining quantity); split
//! orders are noted so their updates are not sent and they are left intact; an order back to
//! `awaiting_shipment` after tracking was reported has its voided labels withdrawn.

use futures::StreamExt;
use shipstation::OrderStatus as SsStatus;

use crate::error::Result;
use crate::events::Pass;
use crate::mapping;
use crate::outcome::{Reason, ReasonCode, TimelineKind};
use crate::settings::CancelMode;
use crate::store::{self, orders::OrderRow, orders::OrderState, tracking::TrackingState};

use super::cursor::Cursor;
use super::tracking_back::{self, Package};
use super::{Read, Run};

/// Runs the pass.
pub(crate) async fn run(run: &mut Run<'_>) -> Result<()> {
    let ctx = run.ctx;
    let mut cursor = Cursor::read(run, Pass::Cancellations.as_str())?;
    let query = shipstation::OrderQuery {
        modify_date_start: Some(super::since(cursor.at(), run)),
        sort_by: Some(shipstation::SortBy::ModifyDate),
        sort_dir: Some(shipstation::SortDir::Asc),
        page_size: Some(500),
        ..Default::default()
    };
    // Streamed, not collected: after a large push every order we created is in this list.
    let mut done = 0;
    let api = ctx.shipstation.orders();
    let mut stream = std::pin::pin!(api.list_all(query));
    while let Some(order) = stream.next().await {
        let order = match order {
            Ok(order) => order,
            Err(shipstation::Error::UnreadableRow(row)) => {
                if unreadable(run, &row)? {
                    cursor.stop_at(row.modify_date);
                }
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        if let Some(modified) = order.modify_date {
            cursor.saw(
                modified,
                run.now(),
                &format_args!(
                    "ShipStation order {} ({})",
                    order.order_number, order.order_id.0
                ),
            );
        }
        // Only our orders: the key we set, or (split children) a known order number.
        if order
            .order_key
            .as_ref()
            .and_then(mapping::quipt_id_of)
            .is_some()
            || order.advanced_options.merged_or_split
        {
            handle(run, &order).await?;
        }
        done += 1;
        if done % 100 == 0 {
            run.progress(Pass::Cancellations, done, 0);
        }
    }
    cursor.commit(run)
}

/// An order ShipStation listed in a form the connector cannot read
/// ([`shipstation::UnreadableRow`]): what changed of it there (a cancellation) waits. One of ours
/// is noted on its timeline, said once; one naming no order at all is a run alert. Returns whether
/// the listing must read it again: then the caller's cursor stops at it, for a day
/// ([`super::cursor::READ_AGAIN_FOR`]).
fn unreadable(run: &mut Run<'_>, row: &shipstation::UnreadableRow) -> Result<bool> {
    let message = format!(
        "{row}; what changed of it in ShipStation is not carried to Quipt until it reads (read again every run for a day)"
    );
    tracing::warn!("{message}");
    let key = row.order_key.clone().map(shipstation::OrderKey);
    if key.is_none() && row.order_id.is_none() && row.order_number.is_none() {
        run.summary.alerts.push(message);
        return Ok(true);
    }
    let Some(ours) =
        tracking_back::join_by(run, key.as_ref(), row.order_id, row.order_number.as_deref())?
    else {
        return Ok(false);
    };
    run.in_transaction(|tx, at| {
        super::note_refused_read(tx, run.id, &ours.quipt_id, &message, at)
    })?;
    Ok(true)
}

/// Our order for ShipStation's `order`: by its key, or (a part split off it) by its number.
pub(crate) fn row_for(run: &Run<'_>, order: &shipstation::Order) -> Result<Option<OrderRow>> {
    let db = run.ctx.db();
    if let Some(id) = order.order_key.as_ref().and_then(mapping::quipt_id_of)
        && let Some(row) = store::orders::get(&db, id)?
    {
        return Ok(Some(row));
    }
    let mut rows = store::orders::by_number(&db, &order.order_number)?;
    Ok(if rows.len() == 1 { rows.pop() } else { None })
}

/// Records ShipStation's status of one of our orders and whether the warehouse split it there
/// (said on its timeline the first time); whether either changed. A dry run records nothing.
pub(crate) fn record_status(
    run: &Run<'_>,
    row: &OrderRow,
    order: &shipstation::Order,
) -> Result<bool> {
    let split = order.advanced_options.merged_or_split;
    let status = order.order_status;
    let changed = row.shipstation_status() != Some(status) || (split && !row.split);
    if !run.dry_run && changed {
        store::orders::record_shipstation_status(&run.ctx.db(), &row.quipt_id, status, split)?;
        if split && !row.split {
            note_split(run, row, order)?;
        }
    }
    Ok(changed)
}

/// Says on the order's timeline that the warehouse split it in ShipStation.
pub(crate) fn note_split(run: &Run<'_>, row: &OrderRow, order: &shipstation::Order) -> Result<()> {
    store::timeline::append(
        &run.ctx.db(),
        &row.quipt_id,
        run.id,
        TimelineKind::Split,
        &format!(
            "split in ShipStation (order {}): left intact, updates not sent",
            order.order_id.0
        ),
        run.now(),
    )
}

/// Handles one of our orders as ShipStation has it now: records its status and split, and carries
/// a cancellation or voided labels to Quipt.
pub(crate) async fn handle(run: &mut Run<'_>, order: &shipstation::Order) -> Result<()> {
    let Some(row) = row_for(run, order)? else {
        return Ok(());
    };
    let split = order.advanced_options.merged_or_split;
    let changed = record_status(run, &row, order)?;
    match order.order_status {
        // A cancellation the operator settled is not applied again each time the order is seen;
        // one made in ShipStation since is news, and applied.
        SsStatus::Cancelled
            if !matches!(row.state, OrderState::Cancelled)
                && (row.state != OrderState::Settled || changed) =>
        {
            if split {
                split_cancelled(run, &row, order).await
            } else {
                cancel_in_quipt(run, &row, order.order_id.0, Ended::Cancelled).await
            }
        }
        SsStatus::AwaitingShipment | SsStatus::OnHold | SsStatus::AwaitingPayment
            if row.state == OrderState::Shipped && changed =>
        {
            withdraw_voided(run, &row, order).await
        }
        _ => Ok(()),
    }
}

/// What the parts of an order the warehouse split in ShipStation add up to, once one of them was
/// cancelled there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SplitEnd {
    /// A part is still open there: the warehouse may still ship it.
    Open,
    /// Every part is cancelled: the order is, as an order cancelled whole.
    Cancelled,
    /// No part is open, one is cancelled and another shipped (by their ShipStation ids).
    PartShipped {
        /// A part cancelled.
        cancelled: i64,
        /// A part shipped.
        shipped: i64,
    },
}

/// What the parts of the split order `parent` (the ShipStation order we created) add up to, from
/// the orders ShipStation lists under its number (`listed`: the parent and the parts split off
/// it, `parentId` = its id; others of the same number are not its parts). Pure.
pub(crate) fn split_end(parent: i64, listed: &[shipstation::Order]) -> SplitEnd {
    let parts: Vec<&shipstation::Order> = listed
        .iter()
        .filter(|o| {
            o.order_id.0 == parent || o.advanced_options.parent_id.map(|p| p.0) == Some(parent)
        })
        .collect();
    let find = |status: SsStatus| {
        parts
            .iter()
            .find(|o| o.order_status == status)
            .map(|o| o.order_id.0)
    };
    let open = parts
        .iter()
        .any(|o| !matches!(o.order_status, SsStatus::Shipped | SsStatus::Cancelled));
    match (open, find(SsStatus::Cancelled), find(SsStatus::Shipped)) {
        (false, Some(_), None) => SplitEnd::Cancelled,
        (false, Some(cancelled), Some(shipped)) => SplitEnd::PartShipped { cancelled, shipped },
        _ => SplitEnd::Open,
    }
}

/// A part of an order the warehouse split in ShipStation was cancelled there ([`split_end`]):
/// once every part is cancelled, the cancel mode's action is applied in Quipt as for an order
/// cancelled whole; while a part is open, nothing yet. A part cancelled while another shipped is
/// a conflict for the operator, said once: what is left to ship in Quipt is not for the connector
/// to cancel line by line.
async fn split_cancelled(
    run: &mut Run<'_>,
    row: &OrderRow,
    order: &shipstation::Order,
) -> Result<()> {
    let Some(parent) = row.ss_order_id else {
        return Ok(());
    };
    let listed = run
        .ctx
        .shipstation
        .orders()
        .find_by_number(&order.order_number)
        .await?;
    match split_end(parent, &listed) {
        SplitEnd::Open => Ok(()),
        SplitEnd::Cancelled => cancel_in_quipt(run, row, parent, Ended::Cancelled).await,
        SplitEnd::PartShipped { cancelled, shipped } => {
            let message = format!(
                "split in ShipStation: part {cancelled} was cancelled there while part {shipped} \
                 shipped; cancel what is left of it in Quipt, then mark it settled"
            );
            let said = row.state == OrderState::Conflict && row.reason.as_deref() == Some(&message);
            if said || run.dry_run {
                return Ok(());
            }
            cancel_refused(run, &row.quipt_id, message)
        }
    }
}

/// The order went back to awaiting shipment after tracking was reported: its labels were voided.
async fn withdraw_voided(
    run: &mut Run<'_>,
    row: &OrderRow,
    order: &shipstation::Order,
) -> Result<()> {
    let query = shipstation::ShipmentQuery {
        order_id: Some(order.order_id),
        include_shipment_items: true,
        ..Default::default()
    };
    let shipments = run.ctx.shipstation.shipments().list(&query).await?;
    for shipment in shipments.items {
        let package: Package = shipment.into();
        if package.voided {
            let reported = store::tracking::get(&run.ctx.db(), &package.external_id)?
                .is_some_and(|t| t.state == TrackingState::Reported);
            if reported {
                tracking_back::withdraw(run, &row.quipt_id, &package.external_id).await?;
            }
        }
    }
    Ok(())
}

/// Whether a cancellation in Quipt was sent by this run, or found done (by an earlier run whose
/// answer was lost, or in Quipt itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Applied {
    Sent,
    Already,
}

/// How one of our orders ended in ShipStation, which its cancellation in Quipt is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ended {
    /// Set `cancelled` there.
    Cancelled,
    /// Gone from there (the daily deletion check, or a retry that found it gone).
    Deleted,
}

impl Ended {
    /// The words the cancellation's reason in Quipt and the order's timeline use.
    fn as_str(self) -> &'static str {
        match self {
            Ended::Cancelled => "cancelled",
            Ended::Deleted => "deleted",
        }
    }
}

/// Applies the configured cancel mode in Quipt to an order that ended in ShipStation as `how`.
pub(crate) async fn cancel_in_quipt(
    run: &mut Run<'_>,
    row: &OrderRow,
    ss_order_id: i64,
    how: Ended,
) -> Result<()> {
    let ctx = run.ctx;
    if run.dry_run {
        run.summary.cancelled_in_quipt += 1;
        return Ok(());
    }
    let id = quipt::OrderId(row.quipt_id.clone());
    let reason = format!("{} in ShipStation (order {ss_order_id})", how.as_str());
    let mode = run.settings.cancel.mode;
    // Look first: after a crash the cancellation may already be done, and Quipt refuses to cancel
    // a cancelled or shipped order.
    let result = match run.read_quipt_order(&row.quipt_id).await? {
        Read::Gone => return Ok(()),
        Read::Refused(e) => Err(format!(
            "{reason} but Quipt would not give the order to cancel it: {e}"
        )),
        Read::Order(current) => {
            let already = match mode {
                CancelMode::Soft => mapping::cancel::is_soft_cancelled(&current),
                CancelMode::Hard => current.status == quipt::OrderStatus::Canceled,
            };
            if already || current.status == quipt::OrderStatus::Canceled {
                Ok(Applied::Already)
            } else if current.status == quipt::OrderStatus::Shipped {
                Err(format!("{reason} but already shipped in Quipt"))
            } else {
                let call = match mode {
                    CancelMode::Soft => {
                        let cancel = quipt::CancelShipment {
                            reason: reason.clone(),
                            external_id: Some(format!("ss-cancel-{ss_order_id}")),
                        };
                        ctx.quipt.orders().cancel_shipment(&id, &cancel).await
                    }
                    CancelMode::Hard => ctx.quipt.orders().cancel_quantity(&current, &reason).await,
                };
                match call {
                    Ok(()) => Ok(Applied::Sent),
                    Err(e) if !e.is_refusal() => return Err(e.into()),
                    Err(e) => Err(format!("{reason} but Quipt refused the cancellation: {e}")),
                }
            }
        }
    };
    match result {
        Ok(applied) => {
            let what = match (applied, mode) {
                (Applied::Sent, CancelMode::Soft) => {
                    "soft cancel: shipment cancelled in Quipt (Cancelled By Warehouse)"
                }
                (Applied::Sent, CancelMode::Hard) => {
                    "hard cancel: remaining quantity rejected in Quipt (buyer refunded)"
                }
                (Applied::Already, _) => "Quipt already had it cancelled: nothing sent",
            };
            if applied == Applied::Sent {
                run.summary.cancelled_in_quipt += 1;
            }
            run.record_state(
                &row.quipt_id,
                OrderState::Cancelled,
                None,
                TimelineKind::CancelledInQuipt,
                format!("{reason}; {what}"),
            )
        }
        Err(message) => cancel_refused(run, &row.quipt_id, message),
    }
}

/// Records that a cancellation made in ShipStation could not be carried to Quipt, for this reason
/// (`message`): a conflict for the operator, counted once in the run.
fn cancel_refused(run: &mut Run<'_>, quipt_id: &str, message: String) -> Result<()> {
    run.count_conflict(quipt_id);
    run.record_state(
        quipt_id,
        OrderState::Conflict,
        Some(Reason::new(ReasonCode::CancelRefused, message.clone())),
        TimelineKind::Conflict,
        message,
    )
}
