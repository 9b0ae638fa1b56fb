//! What runs cost as time passes (SPEC §2.1, §6), on the engine's clock moved forward instead of
//! waited for: an idle scheduled run between reference refreshes makes at most five calls and no
//! write; the reference data is read again after an hour, at once on Sync now, within the run when
//! an order needs a store the cache does not know or ShipStation refuses a push the cached data
//! allowed, and on the run after a refusal met data read in the same run.

use std::sync::Arc;
use std::time::Duration;

use connector::clock::{Clock, ManualClock};
use connector::schedule::{Schedule, SyncCommand};
use connector::{RunSummary, SyncEvent};
use sandbox::demo_data;
use sandbox::shipstation::StoreRecord;
use serde_json::json;

use crate::support::{self, World};

/// How long a test waits for a run to end before it fails.
const DEADLINE: Duration = Duration::from_secs(60);

/// The default schedule's interval.
pub(crate) const INTERVAL: chrono::Duration = chrono::Duration::minutes(15);

/// The summary of the next run that ends.
pub(crate) async fn next_run(
    events: &mut tokio::sync::broadcast::Receiver<SyncEvent>,
) -> RunSummary {
    tokio::time::timeout(DEADLINE, async {
        loop {
            match events.recv().await {
                Ok(SyncEvent::RunFinished { summary }) => return *summary,
                Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                Err(e) => panic!("the engine's events ended: {e}"),
            }
        }
    })
    .await
    .expect("a run ends within the deadline")
}

/// Moves the clock to the schedule's next run and returns that run's summary.
pub(crate) async fn next_scheduled_run(
    schedule: &Schedule,
    clock: &ManualClock,
    events: &mut tokio::sync::broadcast::Receiver<SyncEvent>,
) -> RunSummary {
    let due = tokio::time::timeout(DEADLINE, schedule.planned_after(clock.now()))
        .await
        .expect("the schedule plans its next run")
        .expect("the schedule runs");
    clock.advance(due - clock.now());
    next_run(events).await
}

fn calls(summary: &RunSummary) -> u64 {
    summary.shipstation_calls + summary.quipt_calls
}

#[tokio::test]
async fn scheduled_runs_start_an_interval_apart_however_long_each_takes() {
    let world = World::new(0).await;
    world.add_order("Q-CADENCE", json!({}));
    // One Quipt call per 50 s: each call of the run after the first waits for Quipt's window, so
    // the run lasts minutes of the engine's time.
    world
        .sandbox
        .quipt
        .set_rate_limit(1, Duration::from_secs(50));
    let clock = world.clock();
    let connector = Arc::new(world.connector_on(&clock));
    let mut events = connector.subscribe();
    let began = clock.now();
    let schedule = Schedule::spawn(connector.clone(), INTERVAL.to_std().unwrap(), false);

    let first = next_run(&mut events).await;
    assert_eq!(first.created, 1, "{:?}", first.error);
    let took = clock.now() - began;
    assert!(
        took >= chrono::Duration::minutes(1),
        "the run waited for Quipt's window: it took {took}"
    );
    let due = tokio::time::timeout(DEADLINE, schedule.planned_after(began))
        .await
        .expect("the schedule plans its next run")
        .expect("the schedule runs");
    assert_eq!(
        due,
        began + INTERVAL,
        "the next run starts an interval after the last one started, not after it ended ({took} later)"
    );
    schedule.send(SyncCommand::Stop).await;
}

#[tokio::test]
async fn an_idle_scheduled_run_between_reference_refreshes_makes_at_most_five_calls_and_no_write() {
    let world = World::new(0).await;
    world.add_order("Q-IDLE-1", json!({}));
    let clock = world.clock();
    let connector = Arc::new(world.connector_on(&clock));
    let mut events = connector.subscribe();
    let schedule = Schedule::spawn(connector.clone(), INTERVAL.to_std().unwrap(), false);

    let first = next_run(&mut events).await;
    assert_eq!(first.created, 1, "the first run pushes the order");

    // Three runs at the schedule's interval, all within the hour the reference data is trusted.
    for n in 1..=3 {
        world.sandbox.shipstation.reset_stats();
        world.sandbox.quipt.reset_stats();
        let idle = next_scheduled_run(&schedule, &clock, &mut events).await;
        let (ss, quipt) = (
            world.sandbox.shipstation.stats(),
            world.sandbox.quipt.stats(),
        );
        assert!(
            calls(&idle) <= 5 && ss.total + quipt.total <= 5,
            "idle run {n} ({} min after the first) made {:?} {:?}",
            n * 15,
            ss.per_endpoint,
            quipt.by_endpoint
        );
        let writes = ss
            .per_endpoint
            .iter()
            .chain(quipt.by_endpoint.iter())
            .filter(|(endpoint, _)| !endpoint.starts_with("GET"))
            .count();
        assert_eq!(writes, 0, "an idle run writes nothing to either API");
    }

    // An hour after the first read, the reference data is read again.
    let hourly = next_scheduled_run(&schedule, &clock, &mut events).await;
    assert!(
        hourly.shipstation_calls >= 3 + 4,
        "an hour later stores, warehouses, carriers and services are read again: {} ShipStation calls",
        hourly.shipstation_calls
    );
    let idle = next_scheduled_run(&schedule, &clock, &mut events).await;
    assert!(
        calls(&idle) <= 5,
        "and trusted again for the next hour: {} calls",
        calls(&idle)
    );

    let now = schedule
        .sync_now()
        .await
        .expect("the schedule answers")
        .expect("the run is recorded");
    assert!(
        now.shipstation_calls >= 3 + 4,
        "Sync now reads the reference data at once: {} ShipStation calls",
        now.shipstation_calls
    );
    schedule.send(SyncCommand::Stop).await;
}

/// The demo account's ShipStation stores, as the simulator holds them.
fn demo_stores() -> Vec<StoreRecord> {
    demo_data::SHIPSTATION_STORES
        .iter()
        .map(|(id, name, active)| StoreRecord {
            store_id: *id,
            store_name: (*name).into(),
            marketplace_id: 0,
            marketplace_name: "ShipStation".into(),
            active: *active,
        })
        .collect()
}

#[tokio::test]
async fn an_order_for_a_store_the_cache_does_not_know_yet_is_pushed_in_the_same_run() {
    let mut world = World::new(0).await;
    world.add_order("Q-KNOWN", json!({}));
    world.sync().await;

    // The operator creates a store in ShipStation for a new channel and chooses it in Settings,
    // minutes after the reference data was read.
    let mut stores = demo_stores();
    stores.push(StoreRecord {
        store_id: 10010,
        store_name: "Walmart Store".into(),
        marketplace_id: 0,
        marketplace_name: "ShipStation".into(),
        active: true,
    });
    world.sandbox.shipstation.set_stores(stores);
    world
        .settings
        .stores
        .channel_store_ids
        .insert("Walmart".into(), 10010);
    world.add_order(
        "Q-WALMART",
        json!({"Partner": {"Id": "p-wal", "Code": "WAL", "Name": "Walmart"}}),
    );

    let summary = world.sync().await;
    assert_eq!(
        (summary.created, summary.held),
        (1, 0),
        "the store unknown to the cached data is looked up at once, not held for up to an hour"
    );
    assert_eq!(
        world.shipstation_order("Q-WALMART").store_id,
        10010,
        "the order is in the new store"
    );
}

#[tokio::test]
async fn a_push_refused_for_a_store_gone_since_the_data_was_read_is_held_for_it_in_the_same_run() {
    let world = World::new(0).await;
    world.add_order("Q-BEFORE", json!({}));
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    let run = || support::run(&connector, connector::Trigger::Schedule);
    run().await;
    let store = world.shipstation_order("Q-BEFORE").store_id;

    // Minutes after the reference data was read, the store is deleted in ShipStation.
    let stores: Vec<StoreRecord> = demo_stores()
        .into_iter()
        .filter(|s| s.store_id != store)
        .collect();
    world.sandbox.shipstation.set_stores(stores);
    world.add_order("Q-AFTER", json!({}));
    clock.advance(INTERVAL);
    world.sandbox.shipstation.reset_stats();
    let summary = run().await;
    assert_eq!(
        world.sandbox.shipstation.stats().calls("GET /stores"),
        1,
        "the refusal makes the run read the stores again at once, not the next run"
    );
    assert_eq!(
        (summary.created, summary.held, summary.failed),
        (0, 1, 0),
        "the order is held for the store gone, in the run that was refused: {:?}",
        summary.alerts
    );
    assert!(
        summary
            .alerts
            .iter()
            .any(|a| a == &format!("ShipStation has no store with ID {store}")),
        "the run that met the refusal raises the drift alert: {:?}",
        summary.alerts
    );
    let after = world.order("Q-AFTER");
    assert_eq!(
        after.order.state,
        connector::store::orders::OrderState::Held,
        "held, not failed: {:?}",
        after.order.reason
    );
}

#[tokio::test]
async fn a_push_shipstation_refuses_makes_the_next_run_read_the_reference_data_again_once() {
    let world = World::new(0).await;
    world.add_order("Q-REFUSED", json!({}));
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    let run = || support::run(&connector, connector::Trigger::Schedule);
    world
        .sandbox
        .shipstation
        .fail_orders_matching(Some("Q-REFUSED".into()));
    let refused = run().await;
    assert_eq!(refused.failed, 1, "ShipStation refused the order");

    clock.advance(INTERVAL);
    world.sandbox.shipstation.reset_stats();
    let after = run().await;
    let stores_read = |world: &World| world.sandbox.shipstation.stats().calls("GET /stores");
    assert_eq!(
        stores_read(&world),
        1,
        "the run after a refusal reads the stores again (the refused order is retried: {} failed)",
        after.failed
    );

    clock.advance(INTERVAL);
    world.sandbox.shipstation.reset_stats();
    run().await;
    assert_eq!(
        stores_read(&world),
        0,
        "refused again with fresh reference data: the order is the problem, not the account's \
         stores, so the data is not read on every run"
    );

    world.sandbox.shipstation.fail_orders_matching(None);
    clock.advance(INTERVAL);
    let healed = run().await;
    assert_eq!(healed.created, 1, "once ShipStation takes it, it is pushed");
}

#[tokio::test]
async fn a_refusal_held_back_for_the_reference_re_read_is_recorded_when_a_later_batch_goes_unanswered()
 {
    let world = World::new(0).await;
    world.add_order("Q-EARLIER", json!({}));
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    let run = || support::run(&connector, connector::Trigger::Schedule);
    run().await;

    // A run of two batches on the cached reference data: ShipStation refuses an order of the
    // first, and the second never gets an answer.
    let batch = connector::sync::orders_out::BATCH;
    world.add_order("Q-REFUSED", json!({}));
    // Changed a second before the others, so that Quipt lists it in the first batch.
    clock.advance(chrono::Duration::seconds(1));
    for i in 0..batch {
        world.add_order(&format!("Q-BATCH-{i:03}"), json!({}));
    }
    world
        .sandbox
        .shipstation
        .fail_orders_matching(Some("Q-REFUSED".into()));
    world
        .sandbox
        .shipstation
        .fail_route("POST /orders/createorders", 1, 1_000, None);
    clock.advance(INTERVAL);
    let cut_short = run().await;
    assert_eq!(
        cut_short.outcome,
        connector::RunOutcome::Failed,
        "without ShipStation's answer to the second batch the run fails: {:?}",
        cut_short.error
    );
    let refused = world.order("Q-REFUSED").order;
    assert_eq!(
        refused.state,
        connector::store::orders::OrderState::Failed,
        "the refusal is recorded, not left pending as if its push were still under way: {:?}",
        refused.reason
    );
    assert!(
        refused
            .reason
            .as_deref()
            .is_some_and(|r| r.contains("ShipStation refused")),
        "with ShipStation's reason: {:?}",
        refused.reason
    );

    world.sandbox.shipstation.clear_faults();
    clock.advance(INTERVAL);
    world.sandbox.shipstation.reset_stats();
    let next = run().await;
    assert_eq!(
        world.sandbox.shipstation.stats().calls("GET /stores"),
        1,
        "the run cut short left the reference data to be read again, as the refusal asks"
    );
    assert_eq!(
        (next.created, next.failed),
        (2, 0),
        "the next run pushes the refused order and the one of the unanswered batch: {:?}",
        next.error
    );
}

#[tokio::test]
async fn reference_data_shipstation_cannot_give_now_comes_from_the_cache_however_old_and_the_run_says_so()
 {
    let world = World::new(0).await;
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    let shipstation = &world.sandbox.shipstation;
    let run = || support::run(&connector, connector::Trigger::Schedule);

    // Nothing cached yet: without the stores no order can be mapped, and the run fails saying why.
    shipstation.fail_route("GET /stores", 0, 1_000, Some(503));
    world.add_order("Q-REF-FIRST", json!({}));
    let first = run().await;
    assert_eq!(first.outcome, connector::RunOutcome::Failed);
    assert!(
        first.error.as_deref().unwrap_or_default().contains("503"),
        "{:?}",
        first.error
    );
    shipstation.clear_faults();
    clock.advance(INTERVAL);
    assert_eq!(
        run().await.created,
        1,
        "once the stores read, the order goes"
    );

    // Two hours on the cache is stale, and ShipStation fails on its stores: the run goes on with
    // the stores it read before, and says so.
    clock.advance(chrono::Duration::hours(2));
    shipstation.fail_route("GET /stores", 0, 1_000, Some(503));
    world.add_order("Q-REF-STALE", json!({}));
    let stale = run().await;
    assert_ne!(
        stale.outcome,
        connector::RunOutcome::Failed,
        "{:?}",
        stale.error
    );
    assert_eq!(stale.created, 1, "the new order is pushed");
    assert!(
        stale
            .warnings
            .iter()
            .any(|w| w.contains("could not be read again") && w.contains("503")),
        "the run says it used the stores read before: {:?}",
        stale.warnings
    );

    // A key ShipStation refuses is not hidden behind the cache: the run fails with it.
    clock.advance(chrono::Duration::hours(2));
    shipstation.fail_route("GET /stores", 0, 1_000, Some(401));
    let refused = run().await;
    assert_eq!(refused.outcome, connector::RunOutcome::Failed);
    assert!(
        refused.error.as_deref().unwrap_or_default().contains("401"),
        "the run fails with the refusal: {:?}",
        refused.error
    );
}

#[tokio::test]
async fn a_reread_shipstation_fails_on_is_tried_once_a_run_and_the_cache_keeps_when_it_was_read() {
    let world = World::new(0).await;
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    let shipstation = &world.sandbox.shipstation;
    let run = || support::run(&connector, connector::Trigger::Schedule);
    world.add_order("Q-REREAD-FIRST", json!({}));
    assert_eq!(run().await.created, 1);
    let read_at = clock.now();

    // On the cached data, one order meets a warehouse it does not know and ShipStation refuses
    // another: both call for reading the data again, and ShipStation fails on its stores.
    clock.advance(INTERVAL);
    world.add_order(
        "Q-REREAD-UNKNOWN-WH",
        json!({"Warehouse": {"Id": "w-ovf", "Code": "55555", "DisplayName": "Overflow"}}),
    );
    world.add_order("Q-REREAD-REFUSED", json!({}));
    shipstation.fail_orders_matching(Some("Q-REREAD-REFUSED".into()));
    shipstation.fail_route("GET /stores", 0, 1_000, Some(503));
    shipstation.reset_stats();
    let second = run().await;
    assert_ne!(
        second.outcome,
        connector::RunOutcome::Failed,
        "{:?}",
        second.error
    );
    let retries = u64::from(shipstation::retry::RetryPolicy::default().max_retries);
    assert_eq!(
        shipstation.stats().calls("GET /stores"),
        1 + retries,
        "the stores are asked for once in the run (with the client's retries), not again for the refusal"
    );
    let said: Vec<&String> = second
        .warnings
        .iter()
        .filter(|w| w.contains("could not be read again after") && w.contains("503"))
        .collect();
    assert_eq!(said.len(), 1, "the run says so once: {:?}", second.warnings);

    // The next run must read them again, cannot, and says when those it uses were read; an order
    // meeting a warehouse they do not know does not have them asked for again in that run.
    clock.advance(INTERVAL);
    world.add_order(
        "Q-REREAD-UNKNOWN-WH-2",
        json!({"Warehouse": {"Id": "w-ovf2", "Code": "55556", "DisplayName": "Overflow 2"}}),
    );
    shipstation.reset_stats();
    let third = run().await;
    assert_eq!(
        shipstation.stats().calls("GET /stores"),
        1 + retries,
        "the stores are asked for once in the run"
    );
    let when = read_at.format("%Y-%m-%d %H:%M UTC").to_string();
    assert!(
        third
            .warnings
            .iter()
            .any(|w| w.contains("this run used those read at") && w.contains(&when)),
        "the warning gives when the stores were read ({when}): {:?}",
        third.warnings
    );
    let unknown = world.order("Q-REREAD-UNKNOWN-WH-2").order;
    assert_eq!(
        (unknown.state, unknown.reason_code),
        (
            connector::store::orders::OrderState::Held,
            Some(connector::ReasonCode::UnmatchedWarehouse)
        ),
        "held for the warehouse the data read earlier does not know, not pushed nor failed: {:?}",
        unknown.reason
    );
}
