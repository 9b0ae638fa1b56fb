//! The acknowledgement backlog (SPEC §2.2, issue 13) at Quipt's default limit, 120 calls a minute,
//! on one clock for every world: tracking and cancellations go through in every run while the
//! backlog is worked off across runs, the backlog shows in the progress and the dashboard, and
//! each order is accepted exactly once.

use std::time::Duration;

use connector::clock::ManualClock;
use connector::events::Pass;
use connector::{Connector, RunSummary, SyncEvent, Trigger};
use serde_json::json;

use crate::support::{self, World};

/// Orders of the first sync: more than the acknowledgement lane's share of one run takes.
const ORDERS: usize = 300;

/// A schedule of two minutes: the lane gets one minute a run, some 120 acknowledgements.
const INTERVAL_MINUTES: u32 = 2;

async fn scheduled_run(connector: &Connector, clock: &ManualClock) -> RunSummary {
    let summary = support::run(connector, Trigger::Schedule).await;
    assert!(
        summary.error.is_none(),
        "the run fails: {:?}",
        summary.error
    );
    clock.advance(chrono::Duration::minutes(i64::from(INTERVAL_MINUTES)));
    summary
}

#[tokio::test]
async fn tracking_and_a_cancellation_go_through_while_a_backlog_of_acknowledgements_is_worked_off_once_each()
 {
    let mut world = World::new(0).await;
    world
        .sandbox
        .quipt
        .set_rate_limit(120, Duration::from_secs(60));
    world.settings.schedule.interval_minutes = INTERVAL_MINUTES;
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    let mut events = connector.subscribe();
    let numbers: Vec<String> = (1..=ORDERS).map(|n| format!("Q-ACK-{n:04}")).collect();
    let ids: Vec<String> = numbers
        .iter()
        .map(|n| world.add_order(n, json!({})))
        .collect();

    let first = scheduled_run(&connector, &clock).await;
    assert_eq!(
        first.created, ORDERS as u64,
        "the first sync pushes every order"
    );
    assert!(
        first.acknowledged > 0 && first.acknowledgements_left > 0,
        "the first run acknowledges what its share of the run allows ({}) and leaves a backlog ({})",
        first.acknowledged,
        first.acknowledgements_left
    );
    let mut acknowledging = Vec::new();
    while let Ok(event) = events.try_recv() {
        if let SyncEvent::Progress {
            pass: Pass::Acknowledging,
            done,
            total,
        } = event
        {
            acknowledging.push((done, total));
        }
    }
    assert!(
        acknowledging.contains(&(40, ORDERS as u64)),
        "the progress says 'Acknowledging in Quipt 40/{ORDERS}': {:?}",
        acknowledging.last()
    );
    assert_eq!(
        connector.status().unwrap().acknowledging,
        first.acknowledgements_left,
        "the dashboard shows the backlog"
    );

    // During the backlog: a label for one order, a cancellation in ShipStation for another.
    world.print_label(&numbers[ORDERS - 1], "BACKLOG-TRK-1");
    let cancelled = world.shipstation_order(&numbers[ORDERS - 2]).order_id;
    world.sandbox.shipstation.cancel_order(cancelled).unwrap();
    let second = scheduled_run(&connector, &clock).await;
    assert_eq!(
        second.tracking_reported, 1,
        "the label reaches Quipt in the next run, backlog or not"
    );
    assert_eq!(
        second.cancelled_in_quipt, 1,
        "the ShipStation cancellation reaches Quipt in the next run, backlog or not"
    );
    assert!(
        second.acknowledgements_left > 0,
        "and the backlog was still there ({} left)",
        second.acknowledgements_left
    );

    let mut runs = 2;
    while connector.status().unwrap().acknowledging > 0 {
        runs += 1;
        assert!(runs <= 10, "the backlog is worked off within a few runs");
        scheduled_run(&connector, &clock).await;
    }
    let accepted = world.sandbox.quipt.stats().effects.acknowledge;
    // The shipped and the cancelled order left the backlog when they closed, accepted or not.
    let closed = [&ids[ORDERS - 1], &ids[ORDERS - 2]];
    for id in &ids {
        let times = accepted.get(id).copied().unwrap_or(0);
        if closed.contains(&id) {
            assert!(times <= 1, "a closed order accepted {times} times");
        } else {
            assert_eq!(
                times, 1,
                "order {id} accepted in Quipt {times} times: each order ShipStation has is accepted exactly once"
            );
        }
    }
}
