//! What a run does at most once a day, when the last time is a day old or it never happened: the
//! deletion check, the reconciliation (SPEC §2) and the pruning of old timeline events (§3). The
//! first two cost a listing of every order, too much for every 15-minute run and too little to
//! need a schedule of their own; the pruning runs even after a failed run.

use chrono::{DateTime, Utc};
use futures::StreamExt;
use shipstation::OrderStatus as SsStatus;

use crate::error::Result;
use crate::reconcile;
use crate::store::{self, reconciliations::ReconciliationTrigger};

use super::Run;
use super::cancellations;

/// How often a daily check runs.
pub const EVERY: chrono::Duration = chrono::Duration::hours(24);

/// The cursor that remembers when the deletion check last ran.
const DELETION_CURSOR: &str = "deletions";

/// The cursor that remembers when old timeline events were last pruned.
const RETENTION_CURSOR: &str = "retention";

/// Timeline events deleted per transaction.
const PRUNE_BATCH: u32 = 500;

/// Whether a daily check last done at `last` (`None`: never) is due at `now`.
pub fn is_due(last: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    last.is_none_or(|at| now - at >= EVERY)
}

/// The day's checks of both accounts, when due; a dry run does neither. The pruning is apart
/// ([`retention`]): it needs no API, so it runs whatever the passes met.
pub(crate) async fn run(run: &mut Run<'_>) -> Result<()> {
    if run.dry_run {
        return Ok(());
    }
    deletions(run).await?;
    reconciliation(run).await
}

/// Deletes timeline events older than `history.retention_days`, once a day, in small transactions
/// with the history handed back between them (the dashboard reads on its own connection
/// meanwhile); a dry run prunes nothing.
pub(crate) async fn retention(run: &mut Run<'_>) -> Result<()> {
    if run.dry_run {
        return Ok(());
    }
    let ctx = run.ctx;
    let now = run.now();
    if !is_due(store::cursors::get(&ctx.db(), RETENTION_CURSOR)?, now) {
        return Ok(());
    }
    let days = i64::from(run.settings.history.retention_days.max(1));
    let before = now - chrono::Duration::days(days);
    let mut pruned = 0;
    loop {
        // One batch per lock of the history, so a run's other writers and Sync now are not held up.
        let n = store::timeline::prune_before(&ctx.db(), before, PRUNE_BATCH)?;
        pruned += n;
        if n < u64::from(PRUNE_BATCH) {
            break;
        }
        tokio::task::yield_now().await;
    }
    if pruned > 0 {
        tracing::info!(
            pruned,
            days,
            "pruned timeline events older than the retention"
        );
    }
    store::cursors::advance(&ctx.db(), RETENTION_CURSOR, now)?;
    Ok(())
}

/// Orders deleted in ShipStation vanish from its lists without a trace in the modified-orders list,
/// so once a day the open orders are listed and each order we pushed that is missing is looked up:
/// a 404 means deleted, and the cancel mode is applied in Quipt as for a cancellation.
async fn deletions(run: &mut Run<'_>) -> Result<()> {
    let ctx = run.ctx;
    let last = store::cursors::get(&ctx.db(), DELETION_CURSOR)?;
    let now = run.now();
    if !is_due(last, now) {
        return Ok(());
    }
    let candidates = store::orders::open_in_shipstation(&ctx.db())?;
    if !candidates.is_empty() {
        let mut open = std::collections::HashSet::new();
        for status in [
            SsStatus::AwaitingShipment,
            SsStatus::AwaitingPayment,
            SsStatus::OnHold,
        ] {
            let query = shipstation::OrderQuery {
                order_status: Some(status),
                page_size: Some(500),
                ..Default::default()
            };
            let api = ctx.shipstation.orders();
            let mut stream = std::pin::pin!(api.list_all(query));
            while let Some(order) = stream.next().await {
                match order {
                    Ok(order) => {
                        open.insert(order.order_id.0);
                    }
                    // Listed among the open ones, whatever else of it does not read.
                    Err(shipstation::Error::UnreadableRow(row)) => open.extend(row.order_id),
                    Err(e) => return Err(e.into()),
                }
            }
        }
        for row in candidates {
            let Some(ss_order_id) = row.ss_order_id else {
                continue;
            };
            if open.contains(&ss_order_id) {
                continue;
            }
            match ctx
                .shipstation
                .orders()
                .get(shipstation::OrderId(ss_order_id))
                .await
            {
                Err(e) if e.status() == Some(404) => {
                    cancellations::cancel_in_quipt(
                        run,
                        &row,
                        ss_order_id,
                        cancellations::Ended::Deleted,
                    )
                    .await?;
                }
                Err(e) => return Err(e.into()),
                Ok(order) => cancellations::handle(run, &order).await?,
            }
        }
    }
    store::cursors::advance(&ctx.db(), DELETION_CURSOR, now)?;
    Ok(())
}

/// Reconciles when the latest reconciliation, daily or on demand, is a day old. A failure (an API
/// down) is a warning in the run's summary, not a failed run: the orders were synced, nothing is
/// recorded, so the next run tries again.
async fn reconciliation(run: &mut Run<'_>) -> Result<()> {
    let last = store::reconciliations::latest(&run.ctx.db())?
        .and_then(|latest| store::parse_ts(&latest.at));
    if !is_due(last, run.now()) {
        return Ok(());
    }
    if let Err(e) = reconcile::reconcile(run.ctx, ReconciliationTrigger::Daily).await {
        run.summary.warnings.push(format!(
            "daily reconciliation not done, tried again next run: {e}"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    #[rstest]
    #[case::never_done(None, true)]
    #[case::done_an_hour_ago(Some(1), false)]
    #[case::done_just_under_a_day_ago(Some(23), false)]
    #[case::done_a_day_ago(Some(24), true)]
    #[case::done_a_week_ago(Some(24 * 7), true)]
    fn a_daily_check_is_due_once_a_day(#[case] hours_ago: Option<i64>, #[case] due: bool) {
        let now = Utc::now();
        let last = hours_ago.map(|h| now - chrono::Duration::hours(h));
        assert_eq!(is_due(last, now), due, "last done {hours_ago:?} hours ago");
    }

    #[test]
    fn a_clock_set_back_does_not_make_it_due() {
        let now = Utc::now();
        assert!(
            !is_due(Some(now + chrono::Duration::hours(2)), now),
            "a last time in the future (the clock moved back) waits for the day to pass"
        );
    }
}
