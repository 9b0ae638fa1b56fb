//! Retry (SPEC §2): the operator re-queues one held, failed or conflicting order, or all of them,
//! and the next run redoes **what failed** — decided by [`redo`] from the order's reason:
//!
//! | the order's reason | the next run |
//! |---|---|
//! | Quipt refused its tracking, or ShipStation listed a label of it that did not read | reads the order's shipments and fulfilments again and reports them |
//! | Quipt could not withdraw a voided label | withdraws it again |
//! | Quipt refused a cancellation from ShipStation | reads the ShipStation order again and applies its state |
//! | anything else (held, failed, gone, cancelled after shipping) | reads the Quipt order again and plans it (pass 2) |
//!
//! A conflict the operator marked settled ([`crate::settle`]) is not re-queued: nothing to retry.

use futures::StreamExt;

use crate::error::Result;
use crate::outcome::{ReasonCode, TimelineKind};
use crate::store::{self, orders::OrderRow, orders::OrderState, tracking::TrackingState};

use super::Run;
use super::cancellations;
use super::tracking_back::{self, Package};

/// What a retry of an order redoes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Redo {
    /// Read the order from Quipt again and plan it (push, hold, cancel).
    Replan,
    /// Report the order's shipments and fulfilments to Quipt.
    ReportTracking,
    /// Withdraw the order's voided labels in Quipt.
    WithdrawVoided,
    /// Apply ShipStation's state of the order (a cancellation) in Quipt.
    ApplyShipStationState,
}

/// What a retry redoes for an order standing for `reason`. Pure.
pub fn redo(reason: Option<ReasonCode>) -> Redo {
    match reason {
        Some(ReasonCode::TrackingRefused | ReasonCode::LabelUnreadable) => Redo::ReportTracking,
        Some(ReasonCode::VoidNotWithdrawn) => Redo::WithdrawVoided,
        Some(ReasonCode::CancelRefused) => Redo::ApplyShipStationState,
        _ => Redo::Replan,
    }
}

/// The reasons whose retry is not a re-plan (the store keeps those orders out of pass 2's reads).
pub fn not_replanned() -> Vec<ReasonCode> {
    ReasonCode::ALL
        .iter()
        .copied()
        .filter(|code| redo(Some(*code)) != Redo::Replan)
        .collect()
}

/// Redoes what failed for every order flagged for retry whose retry is not a re-plan. A failure
/// that can pass (an API down) ends the run and the flag stays for the next one.
pub(crate) async fn run(run: &mut Run<'_>) -> Result<()> {
    if run.dry_run {
        return Ok(());
    }
    let rows = store::orders::retry_flagged(&run.ctx.db(), &not_replanned())?;
    for row in rows {
        match redo(row.reason_code) {
            Redo::Replan => {}
            Redo::ReportTracking => report_tracking(run, &row).await?,
            Redo::WithdrawVoided => withdraw_voided(run, &row).await?,
            Redo::ApplyShipStationState => apply_shipstation_state(run, &row).await?,
        }
        store::orders::clear_retry(&run.ctx.db(), &row.quipt_id)?;
    }
    Ok(())
}

async fn report_tracking(run: &mut Run<'_>, row: &OrderRow) -> Result<()> {
    let Some(ss_order_id) = row.ss_order_id.map(shipstation::OrderId) else {
        return Ok(());
    };
    let ctx = run.ctx;
    let mut packages: Vec<Package> = Vec::new();
    let mut unreadable = tracking_back::Unreadable::default();
    {
        let api = ctx.shipstation.shipments();
        let mut stream = std::pin::pin!(api.list_all(shipstation::ShipmentQuery {
            order_id: Some(ss_order_id),
            include_shipment_items: true,
            ..Default::default()
        }));
        while let Some(s) = stream.next().await {
            match s {
                Ok(s) => packages.push(s.into()),
                Err(shipstation::Error::UnreadableRow(row)) => unreadable.keep(*row),
                Err(e) => return Err(e.into()),
            }
        }
    }
    {
        let api = ctx.shipstation.fulfillments();
        let mut stream = std::pin::pin!(api.list_all(shipstation::FulfillmentQuery {
            order_id: Some(ss_order_id),
            ..Default::default()
        }));
        while let Some(f) = stream.next().await {
            match f {
                Ok(f) => packages.push(f.into()),
                Err(shipstation::Error::UnreadableRow(row)) => unreadable.keep(*row),
                Err(e) => return Err(e.into()),
            }
        }
    }
    for package in &packages {
        tracking_back::handle(run, package, tracking_back::Asked::Retry).await?;
    }
    unreadable.record(run)
}

async fn withdraw_voided(run: &mut Run<'_>, row: &OrderRow) -> Result<()> {
    let flagged: Vec<String> = store::tracking::for_order(&run.ctx.db(), &row.quipt_id)?
        .into_iter()
        .filter(|t| t.state == TrackingState::VoidFlagged)
        .map(|t| t.external_id)
        .collect();
    for external_id in flagged {
        tracking_back::withdraw(run, &row.quipt_id, &external_id).await?;
    }
    Ok(())
}

async fn apply_shipstation_state(run: &mut Run<'_>, row: &OrderRow) -> Result<()> {
    let Some(ss_order_id) = row.ss_order_id else {
        return Ok(());
    };
    match run
        .ctx
        .shipstation
        .orders()
        .get(shipstation::OrderId(ss_order_id))
        .await
    {
        Ok(order) => cancellations::handle(run, &order).await,
        Err(e) if e.status() == Some(404) => {
            cancellations::cancel_in_quipt(run, row, ss_order_id, cancellations::Ended::Deleted)
                .await
        }
        Err(e) => Err(e.into()),
    }
}

/// Flags one order (by Quipt id or order number; not one marked settled) or, with `None`, every
/// held and failed order for the next run, noting the request in each order's timeline; returns how many were flagged.
///
/// # Errors
/// When SQLite fails.
pub fn request(
    conn: &rusqlite::Connection,
    order: Option<&str>,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<usize> {
    let ids: Vec<String> = match order {
        None => store::orders::held_or_failed(conn)?,
        // A conflict the operator settled is closed: a retry would only re-open it.
        Some(search) => store::orders::find(conn, search)?
            .into_iter()
            .filter(|r| r.state != OrderState::Settled)
            .map(|r| r.quipt_id)
            .collect(),
    };
    let mut n = 0;
    for id in &ids {
        let flagged = store::orders::request_retry(conn, Some(id))?;
        if flagged > 0 {
            store::timeline::append(
                conn,
                id,
                None,
                TimelineKind::RetryRequested,
                "retry requested: the next run redoes what failed",
                at,
            )?;
        }
        n += flagged;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    #[rstest]
    #[case::refused_tracking_is_reported_again(
        Some(ReasonCode::TrackingRefused),
        Redo::ReportTracking
    )]
    #[case::an_unreadable_label_is_read_again(
        Some(ReasonCode::LabelUnreadable),
        Redo::ReportTracking
    )]
    #[case::a_void_not_withdrawn_is_withdrawn_again(
        Some(ReasonCode::VoidNotWithdrawn),
        Redo::WithdrawVoided
    )]
    #[case::a_refused_cancellation_is_applied_again(
        Some(ReasonCode::CancelRefused),
        Redo::ApplyShipStationState
    )]
    #[case::a_hold_is_planned_again(Some(ReasonCode::NoStoreForChannel), Redo::Replan)]
    #[case::a_refused_push_is_pushed_again(Some(ReasonCode::Rejected), Redo::Replan)]
    #[case::a_push_shipstation_failed_on_is_pushed_again(
        Some(ReasonCode::FailsOnOrder),
        Redo::Replan
    )]
    #[case::an_unanswered_push_is_pushed_again(Some(ReasonCode::Unreachable), Redo::Replan)]
    #[case::a_cancel_after_ship_is_looked_at_again(Some(ReasonCode::CancelAfterShip), Redo::Replan)]
    #[case::no_reason_is_planned_again(None, Redo::Replan)]
    fn a_retry_redoes_what_failed(#[case] reason: Option<ReasonCode>, #[case] expected: Redo) {
        assert_eq!(redo(reason), expected, "{reason:?}");
    }
}
