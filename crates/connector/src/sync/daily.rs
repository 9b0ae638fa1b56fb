//! What a run does at most once a day, when the last time is a day old or it never happened: the
//! deletion check ([`super::cancellations`]) and the reconciliation (SPEC §2). Both cost a listing of
//! every order, too much for every 15-minute run and too little to need a schedule of their own.

use chrono::{DateTime, Utc};

use crate::error::Result;
use crate::reconcile;
use crate::store::{self, reconciliations::ReconciliationTrigger};

use super::Run;

/// How often a daily check runs.
pub const EVERY: chrono::Duration = chrono::Duration::hours(24);

/// Whether a daily check last done at `last` (`None`: never) is due at `now`.
pub fn is_due(last: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    last.is_none_or(|at| now - at >= EVERY)
}

/// Reconciles when the latest reconciliation, daily or on demand, is a day old. A failure (an API
/// down) is a warning in the run's summary, not a failed run: the orders were synced, nothing is
/// recorded, so the next run tries again.
pub(crate) async fn reconciliation(run: &mut Run<'_>) -> Result<()> {
    if run.dry_run {
        return Ok(());
    }
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
