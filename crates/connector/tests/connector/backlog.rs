//! The acknowledgement backlog (SPEC §2.2, issue 13) at Quipt's default limit, 120 calls a minute,
//! on one clock for every world: tracking and cancellations go through in every run while the
//! backlog is worked off across runs, the backlog shows in the progress and the dashboard, and
//! each order is accepted exactly once — also one shipped before its turn; one Quipt closed
//! before its turn leaves the backlog with a note, and one Quipt no longer lists is read by id. An
//! acceptance Quipt does not answer while the order ships holds back no tracking, and one whose
//! answer was lost is read back, not sent again.

use std::time::Duration;

use connector::clock::ManualClock;
use connector::events::Pass;
use connector::{Connector, RunSummary, SyncEvent, TimelineKind, Trigger};
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

/// A clean account at Quipt's default limit (120 calls a minute) on the short schedule.
async fn at_quipt_s_default_limit() -> World {
    let mut world = World::new(0).await;
    world
        .sandbox
        .quipt
        .set_rate_limit(120, Duration::from_secs(60));
    world.settings.schedule.interval_minutes = INTERVAL_MINUTES;
    world
}

#[tokio::test]
async fn tracking_and_a_cancellation_go_through_while_a_backlog_of_acknowledgements_is_worked_off_once_each()
 {
    let world = at_quipt_s_default_limit().await;
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

    // During the backlog: a label for one order, a cancellation in ShipStation for another, both
    // still waiting for their acceptance.
    let waiting = not_accepted(&world, &ids);
    assert!(waiting.len() >= 2, "a backlog of {} orders", waiting.len());
    let (shipped, cancelled) = (waiting[waiting.len() - 1], waiting[waiting.len() - 2]);
    world.print_label(&numbers[shipped], "BACKLOG-TRK-1");
    let cancelled_in_ss = world.shipstation_order(&numbers[cancelled]).order_id;
    world
        .sandbox
        .shipstation
        .cancel_order(cancelled_in_ss)
        .unwrap();
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
    for (i, id) in ids.iter().enumerate() {
        let times = accepted.get(id).copied().unwrap_or(0);
        if i == cancelled {
            // Soft-cancelled in Quipt (Cancelled By Warehouse) before its turn: an acceptance
            // now would say the warehouse takes what it has just cancelled.
            assert_eq!(
                times, 0,
                "an order cancelled before its turn is not accepted afterwards"
            );
            assert_noted(&world, &numbers[i], "cancelled by warehouse in Quipt");
        } else {
            assert_eq!(
                times, 1,
                "order {id} accepted in Quipt {times} times: each order ShipStation has is accepted exactly once, one shipped before its turn too"
            );
        }
    }
}

/// The positions of the orders of `ids` Quipt has not accepted yet, oldest first.
fn not_accepted(world: &World, ids: &[String]) -> Vec<usize> {
    let accepted = world.sandbox.quipt.stats().effects.acknowledge;
    (0..ids.len())
        .filter(|i| !accepted.contains_key(&ids[*i]))
        .collect()
}

/// The order's timeline says why it was not accepted (`why`) and it left the backlog.
fn assert_noted(world: &World, number: &str, why: &str) {
    let detail = world.order(number);
    assert!(
        detail.order.acknowledged,
        "{number}: its acknowledgement is settled, so it leaves the backlog"
    );
    assert!(
        detail
            .timeline
            .iter()
            .any(|e| e.kind == TimelineKind::NotAcknowledged && e.message.contains(why)),
        "{number}: the timeline says it was {why} before its acceptance: {:?}",
        detail.timeline
    );
}

#[tokio::test]
async fn backlog_orders_quipt_no_longer_lists_are_read_by_id_and_settled_by_their_state_in_quipt() {
    let mut world = at_quipt_s_default_limit().await;
    world.settings.orders.push_validating = true;
    let clock = world.clock();
    let numbers: Vec<String> = (1..=160).map(|n| format!("Q-BYID-{n:04}")).collect();
    let mut ids: Vec<String> = numbers
        .iter()
        .map(|n| world.add_order(n, json!({})))
        .collect();
    // Three orders listed (and so pushed and queued) last: one Quipt will ship another way, one
    // a Quipt user will cancel, one still validating (Pending).
    clock.advance(chrono::Duration::seconds(1));
    let shipped = world.add_order("Q-BYID-SHIPPED", json!({}));
    let cancelled = world.add_order("Q-BYID-CANCELLED", json!({}));
    let pending = world.add_order("Q-BYID-PENDING", json!({"Status": 2}));

    let first = scheduled_run(&world.connector_on(&clock), &clock).await;
    assert_eq!(first.created, 163, "the first sync pushes every order");
    let accepted = world.sandbox.quipt.stats().effects.acknowledge;
    for id in [&shipped, &cancelled, &pending] {
        assert!(
            !accepted.contains_key(id),
            "order {id} waits in the backlog for a later run"
        );
    }

    // Before the next run: the order ships in Quipt by another route, a Quipt user cancels one,
    // and pending orders are turned off, so Quipt's listing of eligible orders returns none of
    // the three.
    world.ship_elsewhere(&clock, &shipped, "ELSEWHERE-1").await;
    world
        .sandbox
        .quipt
        .cancel_order(&cancelled, "the buyer changed their mind")
        .expect("a Quipt user cancels it");
    world.settings.orders.push_validating = false;
    let connector = world.connector_on(&clock);

    let mut runs = 1;
    while connector.status().unwrap().acknowledging > 0 {
        runs += 1;
        assert!(
            runs <= 5,
            "the backlog empties: orders Quipt no longer lists are read by id, not counted forever"
        );
        scheduled_run(&connector, &clock).await;
    }
    let accepted = world.sandbox.quipt.stats().effects.acknowledge;
    assert_eq!(
        accepted.get(&pending).copied(),
        Some(1),
        "the order still Pending after pending orders were turned off is open in Quipt: accepted once"
    );
    for (id, number, why) in [
        (&shipped, "Q-BYID-SHIPPED", "shipped in Quipt"),
        (&cancelled, "Q-BYID-CANCELLED", "cancelled in Quipt"),
    ] {
        assert_eq!(
            accepted.get(id),
            None,
            "{number} was closed in Quipt before its turn: nothing is sent"
        );
        assert_noted(&world, number, why);
    }
    ids.push(pending);
    for id in &ids {
        assert_eq!(
            accepted.get(id).copied(),
            Some(1),
            "order {id}: each open order ShipStation has is accepted exactly once"
        );
    }

    // The backlog is gone for good: an idle run reads nothing for it.
    world.sandbox.quipt.reset_stats();
    let idle = scheduled_run(&connector, &clock).await;
    assert_eq!(idle.acknowledgements_left, 0, "no backlog is left");
    let by_id = world
        .sandbox
        .quipt
        .stats()
        .by_endpoint
        .keys()
        .filter(|k| k.contains("/id/"))
        .count();
    assert_eq!(by_id, 0, "an idle run reads no order by id");
}

#[tokio::test]
async fn an_acceptance_quipt_does_not_answer_while_shipping_is_noted_and_the_tracking_still_reaches_quipt()
 {
    let world = World::new(0).await;
    let id = world.add_order("Q-UNANSWERED", json!({}));
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    let run = || support::run(&connector, Trigger::Schedule);
    // Quipt's acknowledgement endpoint stops answering (every other call is served).
    let acknowledgements = "POST /v2/orders/fulfillment/{id}/acknowledgements";
    world
        .sandbox
        .quipt
        .fail_route(acknowledgements, 0, 1_000, None);
    let first = run().await;
    assert_eq!(first.created, 1, "the order reaches ShipStation");
    assert!(
        !world.order("Q-UNANSWERED").order.acknowledged,
        "and still owes its acceptance"
    );

    world.print_label("Q-UNANSWERED", "UNANSWERED-TRK-1");
    clock.advance(crate::cadence::INTERVAL);
    let second = run().await;
    assert_eq!(
        second.tracking_reported, 1,
        "the label's tracking is reported although the acceptance before it went unanswered: {:?}",
        second.error
    );
    let shipped = world.sandbox.quipt.stats().effects.ship;
    assert_eq!(
        shipped.get(&id).copied(),
        Some(1),
        "Quipt has the shipment, once"
    );
    let detail = world.order("Q-UNANSWERED");
    assert!(
        detail
            .timeline
            .iter()
            .any(|e| e.kind == TimelineKind::AcknowledgeFailed),
        "the order's timeline notes the unanswered acceptance: {:?}",
        detail.timeline
    );
    assert_eq!(
        second.outcome,
        connector::RunOutcome::Ok,
        "left to the lane, the acceptance fails nothing: shipped now, the order owes none"
    );
    assert_noted(&world, "Q-UNANSWERED", "shipped in Quipt");
    assert_eq!(
        world.sandbox.quipt.stats().effects.acknowledge.get(&id),
        None,
        "and no acceptance reached Quipt after its shipment"
    );
}

#[tokio::test]
async fn an_acceptance_whose_answer_was_lost_is_read_back_not_sent_again() {
    let world = World::new(0).await;
    let id = world.add_order("Q-ACK-LOST", json!({}));
    let quipt = &world.sandbox.quipt;
    // Quipt accepts the lines and the answer never arrives (the connection drops after the write).
    quipt.lose_answer_next(1, Some(sandbox::quipt::Write::Acknowledge));
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    let first = support::run(&connector, Trigger::Schedule).await;
    let calls = quipt.stats().by_endpoint;
    assert_eq!(
        (
            calls.get("POST /v2/orders/fulfillment/{id}/acknowledgements"),
            calls.get("GET /v2/orders/fulfillment/id/{id}")
        ),
        (Some(&1), Some(&1)),
        "sent once, its answer lost, the order read back instead of the write sent blindly again: {calls:?}"
    );
    clock.advance(chrono::Duration::minutes(15));
    let second = support::run(&connector, Trigger::Schedule).await;
    assert_eq!(
        quipt.stats().effects.acknowledge.get(&id).copied(),
        Some(1),
        "the lines are accepted once, whatever the runs said: {:?} / {:?}",
        first.error,
        second.error
    );
    assert!(
        world
            .order("Q-ACK-LOST")
            .timeline
            .iter()
            .any(|e| e.kind == TimelineKind::Acknowledged),
        "the history knows it was accepted"
    );
    assert_eq!(
        (first.outcome, second.outcome, second.acknowledgements_left),
        (connector::RunOutcome::Ok, connector::RunOutcome::Ok, 0),
        "a lost answer fails no run: {:?} / {:?}",
        first.error,
        second.error
    );
}
