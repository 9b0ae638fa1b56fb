//! Reconciliation, daily and on demand (SPEC §2): recorded in the history, shown in the status, due
//! again a day after the latest one, and never the reason a sync run fails.

use std::time::Duration;

use connector::store::reconciliations::{ReconciliationRow, ReconciliationTrigger};
use serde_json::json;

use crate::support::World;

impl World {
    /// The latest reconciliation as the dashboard shows it.
    fn last_reconciliation(&self) -> Option<ReconciliationRow> {
        self.connector()
            .status()
            .expect("the status is readable")
            .last_reconciliation
    }

    /// Moves every recorded reconciliation back by `hours`, as if the day had passed.
    fn age_reconciliations(&self, hours: i64) {
        let db = connector::store::open(&self.paths().database()).unwrap();
        let at = connector::store::ts(chrono::Utc::now() - chrono::Duration::hours(hours));
        db.execute("UPDATE reconciliations SET at = ?1", [at])
            .unwrap();
    }
}

#[tokio::test]
async fn the_first_sync_reconciles_and_the_next_one_the_same_day_does_not() {
    let world = World::new(0).await;
    world.add_order("Q-REC-1", json!({}));
    world.sync().await;
    let first = world
        .last_reconciliation()
        .expect("the first sync records a reconciliation");
    assert_eq!(first.trigger, ReconciliationTrigger::Daily);
    assert!(
        first.clean,
        "the pushed order is in ShipStation and nothing is held: {first:?}"
    );

    world.sandbox.shipstation.reset_stats();
    world.sync().await;
    assert_eq!(
        world.last_reconciliation().map(|r| r.id),
        Some(first.id),
        "no second reconciliation within the day"
    );
    let ss = world.sandbox.shipstation.stats();
    assert!(
        ss.total <= 3,
        "the second run lists no more than its passes need, made {:?}",
        ss.per_endpoint
    );
}

#[tokio::test]
async fn a_day_after_the_last_reconciliation_the_next_sync_reconciles_again() {
    let world = World::new(0).await;
    world.add_order("Q-REC-DAY", json!({}));
    world.sync().await;
    let first = world.last_reconciliation().expect("reconciled");
    world.age_reconciliations(25);
    world.sync().await;
    let second = world.last_reconciliation().expect("reconciled");
    assert_ne!(second.id, first.id, "a day later the sync reconciles again");
    assert_eq!(second.trigger, ReconciliationTrigger::Daily);
}

#[tokio::test]
async fn an_on_demand_reconciliation_is_recorded_and_counts_as_the_days() {
    let world = World::new(0).await;
    world.add_order("Q-REC-ASK", json!({}));
    world.sync().await;
    world.age_reconciliations(25);
    let report = world
        .connector()
        .reconcile()
        .await
        .expect("both APIs answer");
    assert!(report.is_clean(), "{report:?}");
    let asked = world.last_reconciliation().expect("recorded");
    assert_eq!(asked.trigger, ReconciliationTrigger::OnDemand);

    world.sync().await;
    assert_eq!(
        world.last_reconciliation().map(|r| r.id),
        Some(asked.id),
        "the operator's reconciliation an instant ago is the day's"
    );
}

#[tokio::test]
async fn an_order_deleted_in_shipstation_shows_in_the_next_daily_reconciliation() {
    let world = World::new(0).await;
    world.add_order("Q-REC-GONE", json!({}));
    world.add_order("Q-REC-KEPT", json!({}));
    world.sync().await;
    let ss = world.shipstation_order("Q-REC-GONE");
    world.sandbox.shipstation.delete_order(ss.order_id).unwrap();
    world.age_reconciliations(25);
    world.sync().await;

    let last = world.last_reconciliation().expect("reconciled");
    assert_eq!(
        (last.missing_in_shipstation, last.findings, last.clean),
        (1, 1, false),
        "the dashboard shows the deleted order as missing in ShipStation: {last:?}"
    );
}

#[tokio::test]
async fn a_reconciliation_that_cannot_reach_quipt_warns_and_is_tried_on_the_next_run() {
    let world = World::new(0).await;
    world.add_order("Q-REC-DOWN", json!({}));
    world.sync().await;
    world.sync().await; // reads back the acknowledgements: the next run is idle
    let before = world.last_reconciliation().expect("reconciled");
    world.age_reconciliations(25);
    // Another application spends Quipt's budget for the hour after the run's one order listing, so
    // the reconciliation's listing is refused for longer than the client waits.
    world
        .sandbox
        .quipt
        .set_rate_limit(1, Duration::from_secs(3600));
    let summary = world.sync().await;
    assert_eq!(
        summary.outcome,
        connector::RunOutcome::Ok,
        "the orders were synced: the run does not fail ({:?})",
        summary.error
    );
    assert!(
        summary
            .warnings
            .iter()
            .any(|w| w.contains("reconciliation")),
        "the summary says why there was no reconciliation: {:?}",
        summary.warnings
    );
    assert_eq!(
        world.last_reconciliation().map(|r| r.id),
        Some(before.id),
        "nothing is recorded for a reconciliation that did not complete"
    );

    world
        .sandbox
        .quipt
        .set_rate_limit(100_000, Duration::from_secs(60));
    let summary = world.sync().await;
    assert!(summary.warnings.is_empty(), "{:?}", summary.warnings);
    assert_ne!(
        world.last_reconciliation().map(|r| r.id),
        Some(before.id),
        "the next run reconciles"
    );
}
