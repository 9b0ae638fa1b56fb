//! The engine's own promises: one run at a time (Sync now joins), progress events, the schedule,
//! drift alerts, and orders deleted in ShipStation.

use std::sync::Arc;
use std::time::Duration;

use connector::schedule::{Schedule, SyncCommand};
use connector::{RunOptions, SyncEvent, Trigger};
use serde_json::json;

use crate::support::World;

const NOW: RunOptions = RunOptions {
    dry_run: false,
    trigger: Trigger::SyncNow,
    refresh_reference: false,
};

#[tokio::test]
async fn sync_now_during_a_run_joins_it_instead_of_starting_a_second_one() {
    let world = World::new(0).await;
    for i in 0..30 {
        world.add_order(&format!("Q-JOIN-{i}"), json!({}));
    }
    world.sandbox.quipt.set_latency(Duration::from_millis(5));
    let connector = world.connector();
    let (first, second) = tokio::join!(connector.sync(NOW), connector.sync(NOW));
    let (first, second) = (first.unwrap(), second.unwrap());
    assert_eq!(first.run_id, second.run_id, "both callers get the same run");
    assert_eq!(
        connector.runs(10).unwrap().len(),
        1,
        "only one run was recorded"
    );
    assert_eq!(first.created, 30);
}

#[tokio::test]
async fn a_run_reports_progress_per_pass_and_its_summary() {
    let world = World::new(0).await;
    for i in 0..5 {
        world.add_order(&format!("Q-PROG-{i}"), json!({}));
    }
    let connector = world.connector();
    let mut events = connector.subscribe();
    let summary = connector.sync(NOW).await.unwrap();
    let mut seen = Vec::new();
    while let Ok(event) = events.try_recv() {
        seen.push(event);
    }
    assert!(
        matches!(seen.first(), Some(SyncEvent::RunStarted { .. })),
        "the run announces itself"
    );
    let pushed = seen.iter().any(|e| {
        matches!(
            e,
            SyncEvent::Progress {
                pass: connector::events::Pass::OrdersOut,
                done: 5,
                total: 5
            }
        )
    });
    assert!(pushed, "orders-out progress reaches 5 of 5: {seen:?}");
    match seen.last() {
        Some(SyncEvent::RunFinished { summary: finished }) => {
            assert_eq!(finished.run_id, summary.run_id)
        }
        other => panic!("the last event is the run's summary, got {other:?}"),
    }
}

#[tokio::test]
async fn the_schedule_runs_on_sync_now_pauses_and_resumes() {
    let world = World::new(0).await;
    world.add_order("Q-SCHED", json!({}));
    let connector = Arc::new(world.connector());
    let schedule = Schedule::spawn(connector.clone(), Duration::from_secs(3600), true);
    assert!(schedule.state().paused, "a paused schedule starts paused");
    assert_eq!(
        schedule.state().next_run_at,
        None,
        "nothing is scheduled while paused"
    );
    let summary = schedule
        .sync_now()
        .await
        .expect("the schedule answers")
        .expect("the run completes");
    assert_eq!(summary.created, 1, "Sync now works while paused");
    schedule.send(SyncCommand::Resume).await;
    let mut events = connector.subscribe();
    // Resuming runs at once; wait for that run to finish (bounded by the test's own deadline).
    let finished = tokio::time::timeout(Duration::from_secs(30), async {
        loop {
            if let Ok(SyncEvent::RunFinished { summary }) = events.recv().await {
                return summary;
            }
        }
    })
    .await
    .expect("the resumed schedule runs");
    assert_eq!(finished.created, 0, "nothing new to push");
    assert!(!schedule.state().paused);
    schedule.send(SyncCommand::Stop).await;
}

/// `orders` Quipt orders and a schedule whose first run has started (its id) and waits on Quipt:
/// each answer takes 10 s, far longer than the tests wait; with the engine's events since.
async fn a_schedule_run_waiting_on_quipt(
    orders: usize,
) -> (
    World,
    Arc<connector::Connector>,
    Schedule,
    i64,
    tokio::sync::broadcast::Receiver<SyncEvent>,
) {
    let world = World::new(0).await;
    for i in 0..orders {
        world.add_order(&format!("Q-WAITING-{i}"), json!({}));
    }
    world.sandbox.quipt.set_latency(Duration::from_secs(10));
    let connector = Arc::new(world.connector());
    let mut events = connector.subscribe();
    let schedule = Schedule::spawn(connector.clone(), Duration::from_secs(3600), false);
    let started = tokio::time::timeout(Duration::from_secs(30), async {
        loop {
            if let Ok(SyncEvent::RunStarted { run_id, .. }) = events.recv().await {
                return run_id;
            }
        }
    })
    .await
    .expect("the schedule's first run starts at once");
    (world, connector, schedule, started, events)
}

#[tokio::test]
async fn an_abandoned_schedule_ends_at_once_mid_run_and_the_next_run_marks_that_run_interrupted() {
    let (world, connector, schedule, started, mut events) =
        a_schedule_run_waiting_on_quipt(5).await;

    tokio::time::timeout(Duration::from_secs(5), schedule.abandon())
        .await
        .expect("abandoning does not wait for the run waiting on Quipt");
    assert!(
        schedule.sync_now().await.is_none(),
        "the loop has ended: Sync now gets no answer from it"
    );
    let mut after = Vec::new();
    while let Ok(event) = events.try_recv() {
        after.push(event);
    }
    assert!(
        !after
            .iter()
            .any(|e| matches!(e, SyncEvent::RunFinished { .. })),
        "the abandoned run reports no end: {after:?}"
    );
    let run = |id: i64| {
        connector
            .runs(10)
            .unwrap()
            .into_iter()
            .find(|r| r.id == id)
            .expect("the run is in the history")
    };
    assert_eq!(
        run(started).outcome,
        connector::RunOutcome::Running,
        "the history keeps the abandoned run as started, as a crash leaves it"
    );

    world.sandbox.quipt.set_latency(Duration::ZERO);
    let next = tokio::time::timeout(Duration::from_secs(30), connector.sync(NOW))
        .await
        .expect("the run lock and the engine's gate were let go")
        .expect("the next run completes");
    assert_eq!(
        next.created, 5,
        "the next run pushes what the abandoned one did not"
    );
    assert_eq!(
        run(started).outcome,
        connector::RunOutcome::Interrupted,
        "the next run marks the abandoned one interrupted"
    );
}

/// Sync now joins the run going on; when that run ends without a summary (abandoned here, as when
/// the demo is left; a panic or the history failing end one the same way), the operator's request
/// is not answered with nothing or with an older run: it runs one of its own.
#[tokio::test]
async fn sync_now_joined_to_a_run_that_ends_without_a_summary_runs_one_of_its_own() {
    use futures::FutureExt;
    let (world, connector, schedule, started, _events) = a_schedule_run_waiting_on_quipt(3).await;

    let mut sync_now = std::pin::pin!(connector.sync(NOW));
    assert!(
        sync_now.as_mut().now_or_never().is_none(),
        "Sync now during the schedule's run waits to join it"
    );
    tokio::time::timeout(Duration::from_secs(5), schedule.abandon())
        .await
        .expect("the schedule's run is abandoned");
    world.sandbox.quipt.set_latency(Duration::ZERO);
    let own = tokio::time::timeout(Duration::from_secs(30), sync_now)
        .await
        .expect("the joined request goes on once the run it joined ended")
        .expect("it runs a sync of its own");
    assert_ne!(
        own.run_id, started,
        "not the abandoned run's (which has no summary)"
    );
    assert_eq!(own.created, 3, "its own run pushed the orders");
}

#[tokio::test]
async fn an_inactive_store_raises_an_alert_and_holds_only_its_orders() {
    let world = World::new(0).await;
    world
        .sandbox
        .shipstation
        .set_store_active(10002, false)
        .unwrap();
    world.add_order(
        "Q-DRIFT-EBAY",
        json!({"Partner": {"Id": "p-ebay", "Code": "EBAY", "Name": "eBay"}}),
    );
    world.add_order("Q-DRIFT-AMZ", json!({}));
    let summary = world.sync().await;
    assert!(
        summary
            .alerts
            .iter()
            .any(|a| a.contains("10002") && a.contains("inactive")),
        "the alert names the store: {:?}",
        summary.alerts
    );
    assert_eq!(
        world
            .order("Q-DRIFT-EBAY")
            .order
            .reason_code
            .map(|c| c.as_str()),
        Some("store_inactive")
    );
    world.shipstation_order("Q-DRIFT-AMZ");
    assert_eq!(
        world.connector().health().unwrap(),
        connector::Health::Warning,
        "drift turns the health amber"
    );
}

#[tokio::test]
async fn an_order_deleted_in_shipstation_gets_the_cancel_mode_in_quipt_on_the_daily_check() {
    let world = World::new(0).await;
    let id = world.add_order("Q-DELETED", json!({}));
    world.sync().await;
    let ss = world.shipstation_order("Q-DELETED");
    world.sandbox.shipstation.delete_order(ss.order_id).unwrap();
    // A day later (the check's cursor moved back by hand).
    let db = connector::store::open(&world.paths().database()).unwrap();
    db.execute("DELETE FROM cursors WHERE pass = 'deletions'", [])
        .unwrap();
    drop(db);
    let summary = world.sync().await;
    assert_eq!(
        summary.cancelled_in_quipt, 1,
        "the deletion is treated as a cancellation"
    );
    let quipt = world.sandbox.quipt.order(&id).unwrap();
    assert!(
        quipt.lines.iter().all(|l| l.sub_status == Some(95)),
        "soft cancel applied in Quipt"
    );
    let timeline = world.order("Q-DELETED").timeline;
    assert!(
        timeline
            .iter()
            .any(|e| e.message.contains("deleted in ShipStation")),
        "the timeline says why"
    );
}
