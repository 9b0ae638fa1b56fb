//! Orders Quipt closes another way while they are held or failed here (another warehouse ships
//! them, a manual shipment), and retries that find nothing to do: over the following runs they
//! leave the orders needing the operator and are not read again for ever.

use connector::clock::ManualClock;
use connector::{Connector, Health, RunOutcome, TimelineKind, Trigger};
use serde_json::json;

use crate::support::{self, World};

/// The next scheduled run, 15 minutes on.
async fn next_run(connector: &Connector, clock: &ManualClock) -> connector::RunSummary {
    clock.advance(chrono::Duration::minutes(15));
    support::run(connector, Trigger::Schedule).await
}

/// Quipt orders read one by one (`GET …/id/{id}`) since the simulator's statistics were reset.
fn reads_by_id(world: &World) -> u64 {
    world
        .sandbox
        .quipt
        .stats()
        .by_endpoint
        .iter()
        .filter(|(endpoint, _)| endpoint.contains("/id/"))
        .map(|(_, n)| *n)
        .sum()
}

/// A world where only Reno is synced (the Columbus warehouse ships its orders itself), on a
/// clock of its own, with one Columbus order `number`, to be held on the first run: its Quipt id.
async fn held_for_columbus(number: &str) -> (World, ManualClock, String) {
    let mut world = World::new(0).await;
    world.settings.warehouses.codes = vec!["98765".into()];
    let clock = world.clock();
    let held = world.add_order(
        number,
        json!({"Warehouse": {"Id": "w-col", "Code": "98766", "DisplayName": "Columbus DC"}}),
    );
    (world, clock, held)
}

#[tokio::test]
async fn held_and_failed_orders_quipt_ships_another_way_leave_the_orders_needing_the_operator() {
    let (world, clock, held) = held_for_columbus("Q-COLUMBUS").await;
    let failed = world.add_order("Q-REFUSED-BY-SS", json!({}));
    world
        .sandbox
        .shipstation
        .fail_orders_matching(Some("Q-REFUSED".into()));
    let connector = world.connector_on(&clock);
    let first = support::run(&connector, Trigger::Schedule).await;
    assert_eq!(first.outcome, RunOutcome::Attention, "{first:?}");
    let state = |number: &str| {
        let row = world.order(number).order;
        (row.state.as_str(), row.reason_code.map(|c| c.as_str()))
    };
    assert_eq!(state("Q-COLUMBUS"), ("held", Some("warehouse_not_synced")));
    assert_eq!(state("Q-REFUSED-BY-SS"), ("failed", Some("rejected")));

    // Columbus ships its order; the refused one is shipped by hand in Quipt.
    world.ship_elsewhere(&clock, &held, "COLUMBUS-1").await;
    world.ship_elsewhere(&clock, &failed, "BY-HAND-1").await;
    let second = next_run(&connector, &clock).await;
    assert_eq!(
        second.outcome,
        RunOutcome::Ok,
        "nothing is left for the operator (exit code 0): {second:?}"
    );
    for number in ["Q-COLUMBUS", "Q-REFUSED-BY-SS"] {
        let order = world.order(number);
        assert_eq!(
            (order.order.state.as_str(), order.order.reason.as_deref()),
            ("shipped", None),
            "{number} is shipped, with no reason left to fix"
        );
        assert!(
            order
                .timeline
                .iter()
                .any(|e| e.kind == TimelineKind::ShippedInQuipt),
            "{number}: the timeline says Quipt shipped it another way: {:?}",
            order.timeline
        );
        assert!(
            world.shipstation_orders(number).is_empty(),
            "{number} was never sent to ShipStation"
        );
    }
    let status = connector.status().expect("the history reads");
    assert!(
        status.attention.is_empty(),
        "the dashboard lists no held or failed order: {:?}",
        status.attention
    );
    assert_eq!(status.health, Health::Ok, "{}", status.health_reason);

    world.sandbox.quipt.reset_stats();
    let third = next_run(&connector, &clock).await;
    assert_eq!(third.outcome, RunOutcome::Ok);
    assert_eq!(
        reads_by_id(&world),
        0,
        "the order that failed is not read again on every run"
    );
}

#[tokio::test]
async fn a_retry_that_finds_nothing_to_do_is_done_and_the_order_is_not_read_again() {
    let world = World::new(0).await;
    let clock = world.clock();
    world.add_order("Q-RETRY-PUSHED", json!({}));
    let connector = world.connector_on(&clock);
    support::run(&connector, Trigger::Schedule).await;
    assert_eq!(world.order("Q-RETRY-PUSHED").order.state.as_str(), "pushed");

    assert_eq!(
        connector.retry(Some("Q-RETRY-PUSHED")).expect("retry"),
        1,
        "the operator retries an order that needs nothing"
    );
    world.sandbox.quipt.reset_stats();
    next_run(&connector, &clock).await;
    assert_eq!(reads_by_id(&world), 1, "the retry reads the order again");
    let row = world.order("Q-RETRY-PUSHED").order;
    assert_eq!(
        (row.state.as_str(), row.retry),
        ("pushed", false),
        "nothing to redo: the retry is done"
    );

    world.sandbox.quipt.reset_stats();
    next_run(&connector, &clock).await;
    assert_eq!(
        reads_by_id(&world),
        0,
        "the next runs do not read it again (nor keep a re-read slot for it)"
    );
}

#[tokio::test]
async fn a_held_order_quipt_shipped_out_of_the_listing_s_sight_is_found_within_a_day() {
    let (world, clock, held) = held_for_columbus("Q-COLUMBUS-OLD").await;
    let connector = world.connector_on(&clock);
    support::run(&connector, Trigger::Schedule).await;
    assert_eq!(world.order("Q-COLUMBUS-OLD").order.state.as_str(), "held");

    // Shipped in Quipt with a change time the listing's cursor is past: what a history from before
    // Shipped orders were listed holds, or a change Quipt dates back.
    world.ship_elsewhere(&clock, &held, "COLUMBUS-OLD-1").await;
    let mut order = world.sandbox.quipt.order(&held).expect("the order");
    order.modified_at -= chrono::Duration::hours(2);
    world.sandbox.quipt.insert_order(order);
    let soon = next_run(&connector, &clock).await;
    assert_eq!(
        world.order("Q-COLUMBUS-OLD").order.state.as_str(),
        "held",
        "the listing does not see it: {soon:?}"
    );

    clock.advance(chrono::Duration::hours(24));
    let next_day = support::run(&connector, Trigger::Schedule).await;
    let order = world.order("Q-COLUMBUS-OLD");
    assert_eq!(
        order.order.state.as_str(),
        "shipped",
        "within a day the held order is read by id and closed as shipped: {next_day:?}"
    );
    assert!(
        order
            .timeline
            .iter()
            .any(|e| e.kind == TimelineKind::ShippedInQuipt),
        "{:?}",
        order.timeline
    );
    assert_eq!(next_day.outcome, RunOutcome::Ok, "{next_day:?}");
}

#[tokio::test]
async fn an_order_in_shipstation_that_quipt_ships_another_way_is_put_on_hold_there_not_shipped_twice()
 {
    let world = World::new(0).await;
    let id = world.add_order("Q-TWICE", json!({}));
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    support::run(&connector, Trigger::Schedule).await;
    assert_eq!(
        world.shipstation_order("Q-TWICE").order_status,
        "awaiting_shipment"
    );

    // Another warehouse ships it through Quipt while ShipStation still has it to ship.
    world.ship_elsewhere(&clock, &id, "ELSEWHERE-TWICE").await;
    clock.advance(chrono::Duration::minutes(15));
    let preview = connector
        .sync(connector::RunOptions {
            dry_run: true,
            trigger: Trigger::SyncNow,
            refresh_reference: false,
        })
        .await
        .unwrap();
    assert!(
        preview.preview.iter().any(|p| p.order_number == "Q-TWICE"
            && p.action == connector::summary::PreviewAction::HoldInShipstation),
        "the dry run says ShipStation's copy would be put on hold: {:?}",
        preview.preview
    );
    assert_eq!(
        preview.created
            + preview.updated
            + preview.held
            + preview.cancelled_in_shipstation
            + preview.held_in_shipstation,
        preview.preview.len() as u64 + preview.preview_more,
        "its counts add up to the orders it lists: {preview:?}"
    );
    assert_eq!(
        world.shipstation_order("Q-TWICE").order_status,
        "awaiting_shipment",
        "and does not do it"
    );
    let summary = support::run(&connector, Trigger::Schedule).await;
    let copy = world.shipstation_order("Q-TWICE");
    assert_eq!(
        copy.order_status, "on_hold",
        "ShipStation's copy is put on hold so the warehouse does not ship it a second time"
    );
    assert_eq!(summary.held_in_shipstation, 1, "and the run counts it");
    let detail = world.order("Q-TWICE");
    assert_eq!(
        (
            detail.order.state.as_str(),
            detail.order.reason_code.map(|c| c.as_str())
        ),
        ("conflict", Some("shipped_elsewhere")),
        "the operator is asked to cancel it in ShipStation or settle it: {:?}",
        detail.order.reason
    );
    assert_eq!(
        summary.outcome,
        RunOutcome::Attention,
        "and the run says so"
    );

    let writes = copy.writes;
    next_run(&connector, &clock).await;
    assert_eq!(
        world.shipstation_order("Q-TWICE").writes,
        writes,
        "once on hold and in conflict, nothing more is sent"
    );
}
