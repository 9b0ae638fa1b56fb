//! Mark settled: a conflict the operator dealt with outside the connector closes, the screen says
//! all is well again, and nothing re-opens it by itself.

use connector::{Health, RunOutcome, Settle, TimelineKind, Trigger};
use serde_json::json;

use crate::support::{self, World};

#[tokio::test]
async fn a_conflict_settled_with_the_buyer_leaves_the_screen_green_and_stays_settled() {
    let world = World::new(0).await;
    support::shipped_then_cancelled_in_quipt(&world, "Q-SETTLE").await;
    assert_eq!(
        world.sync().await.outcome,
        RunOutcome::Attention,
        "the conflict asks for the operator"
    );
    let connector = world.connector();
    assert_eq!(
        connector.health().unwrap(),
        Health::Warning,
        "amber while the conflict is open"
    );

    let answer = connector
        .settle("Q-SETTLE", Some("buyer keeps the parcel, refunded by hand"))
        .unwrap();
    assert_eq!(
        answer,
        Settle::Settled {
            order_numbers: vec!["Q-SETTLE".into()]
        },
        "the conflict is settled"
    );
    assert_eq!(
        connector.health().unwrap(),
        Health::Ok,
        "the health is green once the operator settled the only conflict"
    );
    assert!(
        connector.status().unwrap().attention.is_empty(),
        "nothing is left in the dashboard's attention list"
    );
    let detail = world.order("Q-SETTLE");
    assert_eq!(detail.order.state.as_str(), "settled");
    assert!(
        detail
            .order
            .reason
            .as_deref()
            .is_some_and(|r| r.contains("shipped")),
        "the history still says what was settled: {:?}",
        detail.order.reason
    );
    let entry = detail
        .timeline
        .iter()
        .find(|e| e.kind == TimelineKind::Settled)
        .expect("the timeline shows the settlement");
    assert!(
        entry
            .message
            .contains("buyer keeps the parcel, refunded by hand"),
        "the timeline carries the operator's note: {}",
        entry.message
    );

    assert_eq!(
        connector.retry(Some("Q-SETTLE")).unwrap(),
        0,
        "Retry on a settled order queues nothing"
    );
    let writes = world.shipstation_order("Q-SETTLE").writes;
    let next = world.sync().await;
    assert_eq!(
        (next.outcome, next.attention_total, next.conflicts),
        (RunOutcome::Ok, 0, 0),
        "the next run ends Ok (exit 0), not Attention: {:?}",
        next.error
    );
    assert_eq!(world.order("Q-SETTLE").order.state.as_str(), "settled");
    assert_eq!(
        world.shipstation_order("Q-SETTLE").writes,
        writes,
        "ShipStation's shipped order is left alone"
    );
    assert_eq!(
        world.connector().health().unwrap(),
        Health::Ok,
        "still green after the run"
    );
}

#[tokio::test]
async fn only_an_order_in_conflict_can_be_marked_settled() {
    let world = World::new(0).await;
    world.add_order("Q-FINE", json!({}));
    world.sync().await;
    let connector = world.connector();
    assert_eq!(
        connector.settle("Q-FINE", None).unwrap(),
        Settle::NotAConflict {
            order_number: "Q-FINE".into(),
            state: connector::store::orders::OrderState::Pushed
        },
        "an order in ShipStation has nothing to settle"
    );
    assert_eq!(world.order("Q-FINE").order.state.as_str(), "pushed");
    assert!(
        !world
            .order("Q-FINE")
            .timeline
            .iter()
            .any(|e| e.kind == TimelineKind::Settled),
        "a refused settlement writes nothing"
    );
    assert_eq!(
        connector.settle("Q-NOSUCH", None).unwrap(),
        Settle::Unknown,
        "an unknown order is said to be unknown"
    );
}

#[tokio::test]
async fn an_order_gone_from_quipt_once_settled_is_not_a_conflict_again() {
    let world = World::new(0).await;
    let connector = world.connector();
    support::pushed_then_gone_from_quipt(&world, &connector, "Q-GONE-S", "Q-STAYS").await;
    world.connector().retry(Some("Q-GONE-S")).unwrap();
    let summary = support::run(&connector, Trigger::Cli).await;
    support::assert_gone_recorded(&world, &summary, "Q-GONE-S");

    assert!(matches!(
        connector.settle("Q-GONE-S", None).unwrap(),
        Settle::Settled { .. }
    ));
    let next = support::run(&connector, Trigger::Schedule).await;
    assert_eq!(
        next.outcome,
        RunOutcome::Ok,
        "the order Quipt no longer has asks for nothing once settled: {:?}",
        next.error
    );
    assert_eq!(world.order("Q-GONE-S").order.state.as_str(), "settled");
}

#[tokio::test]
async fn a_package_quipt_keeps_refusing_stays_settled_and_a_new_one_ships_the_order() {
    let mut world = World::new(0).await;
    world.settings.orders.push_validating = true;
    let clock = world.clock();
    let engine = world.connector_on(&clock);
    let sync = || support::run(&engine, Trigger::Cli);
    // Still validating in Quipt: pushed as awaiting payment, and Quipt refuses its shipments.
    let id = world.add_order("Q-REFUSED-S", json!({"Status": 2}));
    sync().await;
    let first = world.print_label("Q-REFUSED-S", "1ZREFUSED");
    assert_eq!(sync().await.conflicts, 1, "Quipt refused the tracking");

    engine
        .settle("Q-REFUSED-S", Some("shipped it by hand in Quipt"))
        .unwrap();
    // The refused label is read again (the window of the tracking pass overlaps the last run's).
    let again = sync().await;
    assert_eq!(
        (again.outcome, again.conflicts),
        (RunOutcome::Ok, 0),
        "the refused label seen again does not re-open the settled conflict"
    );
    assert_eq!(world.order("Q-REFUSED-S").order.state.as_str(), "settled");

    // The refused label is voided and a new one printed, once Quipt accepts shipments: news, and
    // the order ships as usual.
    world.sandbox.quipt.clear_validation(&id).unwrap();
    clock.advance(chrono::Duration::minutes(5));
    world.sandbox.shipstation.void_shipment(first).unwrap();
    world.print_label("Q-REFUSED-S", "1ZSECOND");
    let shipped = sync().await;
    assert_eq!(
        (shipped.outcome, shipped.tracking_reported),
        (RunOutcome::Ok, 1),
        "the new label is reported to Quipt: {:?}",
        shipped.error
    );
    assert_eq!(
        world.order("Q-REFUSED-S").order.state.as_str(),
        "shipped",
        "a new package reported ships the settled order"
    );
}

#[tokio::test]
async fn a_cancellation_quipt_refused_once_settled_is_not_applied_again_when_the_order_is_seen_again()
 {
    let world = World::new(0).await;
    let clock = world.clock();
    let engine = world.connector_on(&clock);
    let sync = || support::run(&engine, Trigger::Cli);
    let id = world.add_order("Q-CANCEL-S", json!({}));
    sync().await;
    // Shipped in Quipt another way, then cancelled in ShipStation: Quipt cannot cancel it.
    world.ship_elsewhere(&clock, &id, "ELSEWHERE-1").await;
    world.cancel_in_shipstation("Q-CANCEL-S");
    sync().await;
    let row = world.order("Q-CANCEL-S").order;
    assert_eq!(
        (row.state.as_str(), row.reason_code.map(|c| c.as_str())),
        ("conflict", Some("cancel_refused")),
        "Quipt refused the cancellation"
    );

    engine.settle("Q-CANCEL-S", Some("buyer keeps it")).unwrap();
    // The cancelled order is listed again (the window of the cancellations pass overlaps the last
    // run's): no news, so the settled conflict stays settled.
    let again = sync().await;
    assert_eq!(
        (again.outcome, again.conflicts),
        (RunOutcome::Ok, 0),
        "the cancellation seen again is not applied again: {:?}",
        again.error
    );
    assert_eq!(world.order("Q-CANCEL-S").order.state.as_str(), "settled");
}
