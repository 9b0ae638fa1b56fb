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
        ss.total <= 4,
        "the second run lists no more than its passes need (orders, shipments, voided shipments, fulfilments), made {:?}",
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

#[tokio::test]
async fn a_soft_cancel_agrees_with_the_cancelled_shipstation_order_and_held_orders_are_listed_apart()
 {
    let world = World::new(0).await;
    assert_eq!(
        world.settings.cancel.mode,
        connector::settings::CancelMode::Soft
    );
    let soft = world.add_order("Q-REC-SOFT", json!({}));
    world.add_order(
        "Q-REC-NOSTREET",
        json!({"ShipTo": {"Attention": "Ada", "City": "Reno", "Country": {"ISO": "US"}}}),
    );
    world.sync().await;
    let ss = world.shipstation_order("Q-REC-SOFT");
    world.sandbox.shipstation.cancel_order(ss.order_id).unwrap();
    let summary = world.sync().await;
    assert_eq!(
        summary.cancelled_in_quipt, 1,
        "the soft cancel reached Quipt"
    );
    let in_quipt = world.sandbox.quipt.order(&soft).expect("the Quipt order");
    assert_eq!(
        in_quipt.status, 4,
        "a soft cancel leaves the Quipt order Open (Cancelled By Warehouse)"
    );

    let report = world.connector().reconcile().await.unwrap();
    assert!(
        report.cancel_mismatch.is_empty(),
        "a soft-cancelled Quipt order agrees with a cancelled ShipStation order: {:?}",
        report.cancel_mismatch
    );
    assert_eq!(report.held.len(), 1, "the held order is listed apart");
    assert!(
        report.is_clean(),
        "clean: the sides agree, whatever is held ({report:?})"
    );
    let last = world.last_reconciliation().expect("recorded");
    assert!(
        last.clean && last.held == 1 && last.findings == 0,
        "the dashboard shows it clean with one held order: {last:?}"
    );
}

#[tokio::test]
async fn findings_turn_the_health_amber_until_a_clean_reconciliation() {
    let world = World::new(0).await;
    world.add_order("Q-REC-GONE", json!({}));
    world.sync().await;
    assert_eq!(world.connector().health().unwrap(), connector::Health::Ok);
    // Deleted in ShipStation behind the connector's back: a disagreement until the deletion check
    // applies the cancel mode.
    let ss = world.shipstation_order("Q-REC-GONE");
    world.sandbox.shipstation.delete_order(ss.order_id).unwrap();
    let report = world.connector().reconcile().await.unwrap();
    assert_eq!(report.missing_in_shipstation.len(), 1, "{report:?}");
    let status = world.connector().status().unwrap();
    assert_eq!(
        (status.health, status.health_reason.as_str()),
        (
            connector::Health::Warning,
            "the last reconciliation found 1 disagreement between Quipt and ShipStation"
        ),
        "findings turn the health amber"
    );

    // A day later the deletion check applies the cancel mode in Quipt, then the run reconciles.
    let clock = world.clock();
    clock.advance(chrono::Duration::hours(25));
    world
        .connector_on(&clock)
        .sync(connector::RunOptions {
            dry_run: false,
            trigger: connector::Trigger::Schedule,
            refresh_reference: false,
        })
        .await
        .unwrap();
    let last = world.last_reconciliation().expect("reconciled");
    assert!(last.clean, "the sides agree again: {last:?}");
    assert_eq!(
        world.connector().health().unwrap(),
        connector::Health::Ok,
        "a clean reconciliation turns it green again"
    );
}

#[tokio::test]
async fn an_order_quipt_cancelled_or_lost_while_shipstation_still_has_it_open_is_a_finding_until_the_cancellation_reaches_shipstation()
 {
    let world = World::new(0).await;
    let cancelled = world.add_order("Q-REC-QCANCEL", json!({}));
    let gone = world.add_order("Q-REC-QGONE", json!({}));
    world.add_order("Q-REC-OPEN", json!({}));
    world.sync().await;
    world
        .sandbox
        .quipt
        .cancel_order(&cancelled, "the buyer changed their mind")
        .expect("Quipt cancels the open order");
    world
        .sandbox
        .quipt
        .remove_order(&gone)
        .expect("the order vanishes from Quipt");

    // Before the next run sends the cancellation, the warehouse could still ship both.
    let report = world.connector().reconcile().await.unwrap();
    let mut found: Vec<_> = report
        .cancel_mismatch
        .iter()
        .map(|f| (f.order_number.as_str(), f.detail.as_str()))
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            (
                "Q-REC-QCANCEL",
                "cancelled in Quipt but open in ShipStation"
            ),
            (
                "Q-REC-QGONE",
                "no longer in Quipt (deleted there?) but open in ShipStation"
            ),
        ],
        "the operator is told which orders ShipStation could still ship: {report:?}"
    );
    assert!(!report.is_clean());

    // The next run cancels ShipStation's copy of the cancelled order. The operator cancels the
    // lost one there by hand; the run after that finds it gone from Quipt, a conflict they settle.
    world.sync().await;
    assert_eq!(
        world.shipstation_order("Q-REC-QCANCEL").order_status,
        "cancelled",
        "the cancellation reached ShipStation"
    );
    world.cancel_in_shipstation("Q-REC-QGONE");
    world.sync().await;
    world
        .connector()
        .settle("Q-REC-QGONE", Some("cancelled in ShipStation by hand"))
        .expect("the lost order is a conflict the operator can settle");
    let report = world.connector().reconcile().await.unwrap();
    assert!(
        report.is_clean(),
        "the sides agree once ShipStation's copy is cancelled and the lost order settled: {report:?}"
    );
}
