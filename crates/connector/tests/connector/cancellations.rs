//! Cancellations from Quipt to ShipStation (the ShipStation → Quipt direction is in
//! `settings_scenarios`, once per cancel mode).

use connector::outcome::Trigger;
use rstest::rstest;
use sandbox::shipstation::LabelRequest;
use serde_json::json;

use crate::support::{self, World};

#[tokio::test]
async fn an_order_cancelled_in_quipt_is_cancelled_in_shipstation() {
    let world = World::new(0).await;
    let id = world.add_order("Q-QCANCEL", json!({}));
    world.sync().await;
    // What the warehouse set on the order in ShipStation meanwhile: the cancellation sends
    // ShipStation's own copy back, and an update replaces the whole order.
    let handling = json!({
        "weight": {"value": 24.0, "units": "ounces"},
        "packageCode": "flat_rate_envelope",
        "confirmation": "signature",
        "customerNotes": "leave at the back door",
        "gift": true,
        "giftMessage": "Happy birthday"
    });
    let ss_id = world.shipstation_order("Q-QCANCEL").order_id;
    world
        .sandbox
        .shipstation
        .edit_order(ss_id, handling.as_object().unwrap().clone())
        .expect("a user edits the order in ShipStation");
    world
        .sandbox
        .quipt
        .cancel_order(&id, "buyer changed their mind")
        .unwrap();
    let summary = world.sync().await;
    assert_eq!(summary.cancelled_in_shipstation, 1);
    let cancelled = world.shipstation_order("Q-QCANCEL");
    assert_eq!(cancelled.order_status, "cancelled");
    for (field, value) in handling.as_object().unwrap() {
        assert_eq!(
            &cancelled.json[field], value,
            "the cancellation keeps the {field} set in ShipStation"
        );
    }
    assert_eq!(world.order("Q-QCANCEL").order.state.as_str(), "cancelled");
}

#[tokio::test]
async fn an_order_cancelled_in_quipt_after_shipping_is_a_conflict_for_the_operator() {
    let world = World::new(0).await;
    support::shipped_then_cancelled_in_quipt(&world, "Q-LATECANCEL").await;
    world.sync().await;
    assert_eq!(
        world.shipstation_order("Q-LATECANCEL").order_status,
        "shipped",
        "a shipped order is never changed"
    );
    let row = world.order("Q-LATECANCEL").order;
    assert_eq!(row.state.as_str(), "conflict", "recorded for the operator");
    assert!(
        row.reason.unwrap_or_default().contains("shipped"),
        "the reason says it already shipped"
    );
}

#[tokio::test]
async fn an_order_whose_push_answer_was_lost_is_still_cancelled_in_shipstation() {
    let world = World::new(0).await;
    let id = world.add_order("Q-LOSTANSWER", json!({}));
    world.sync().await;
    // What a kill right after the `createorders` call leaves: ShipStation has the order, our
    // history only the attempt (state pending, no ShipStation id).
    let db = connector::store::open(&world.paths().database()).unwrap();
    let changed = db
        .execute(
            "UPDATE orders SET state = 'pending', ss_order_id = NULL WHERE quipt_id = ?1",
            [&id],
        )
        .unwrap();
    assert_eq!(changed, 1, "the order's row exists");
    drop(db);

    world
        .sandbox
        .quipt
        .cancel_order(&id, "buyer changed their mind")
        .unwrap();
    world.sync().await;
    assert_cancelled_once(
        &world,
        "Q-LOSTANSWER",
        "cancelled by orderKey, not pushed twice",
    );
}

/// ShipStation holds the order once, cancelled, and the history says it is cancelled.
fn assert_cancelled_once(world: &World, number: &str, why: &str) {
    let orders = world.shipstation_orders(number);
    assert_eq!(orders.len(), 1, "{number}: {why}");
    assert_eq!(orders[0].order_status, "cancelled", "{number}");
    assert_eq!(
        world.order(number).order.state.as_str(),
        "cancelled",
        "{number}"
    );
}

#[tokio::test]
async fn an_order_cancelled_before_any_push_is_not_sent_to_shipstation() {
    let world = World::new(0).await;
    world.sync().await; // the cursor exists, so Quipt cancellations are read
    world.add_order("Q-NEVERPUSHED", json!({"Status": 16}));
    world.sync().await;
    assert!(
        world.shipstation_orders("Q-NEVERPUSHED").is_empty(),
        "an order ShipStation never had is not created there as cancelled"
    );
}

#[tokio::test]
async fn a_cancellation_shipstation_refused_is_sent_again_and_lands_once() {
    let world = World::new(0).await;
    let id = world.add_order("Q-CXL-REFUSED", json!({}));
    world.sync().await;
    world
        .sandbox
        .quipt
        .cancel_order(&id, "buyer changed their mind")
        .unwrap();
    world
        .sandbox
        .shipstation
        .fail_orders_matching(Some("Q-CXL-REFUSED".into()));
    let refused = world.sync().await;
    assert_eq!(
        (refused.failed, refused.cancelled_in_shipstation),
        (1, 0),
        "ShipStation refused the cancelled copy"
    );
    assert_eq!(
        world.order("Q-CXL-REFUSED").order.state.as_str(),
        "failed",
        "recorded with ShipStation's reason: {:?}",
        world.order("Q-CXL-REFUSED").order.reason
    );
    assert_eq!(
        world.shipstation_order("Q-CXL-REFUSED").order_status,
        "awaiting_shipment",
        "the order is still to ship there: the cancellation must not be forgotten"
    );

    world.sandbox.shipstation.fail_orders_matching(None);
    let retried = world.sync().await;
    assert_eq!(
        retried.cancelled_in_shipstation, 1,
        "the next run sends the cancellation again: {:?}",
        retried.error
    );
    assert_cancelled_once(
        &world,
        "Q-CXL-REFUSED",
        "one order in ShipStation, not a second",
    );
    assert_eq!(
        world.sync().await.cancelled_in_shipstation,
        0,
        "and only once"
    );
}

#[rstest]
#[case::no_part_shipped(false)]
#[case::a_part_already_shipped(true)]
#[tokio::test]
async fn a_quipt_cancellation_of_an_order_split_in_shipstation_reaches_every_part(
    #[case] part_shipped: bool,
) {
    let world = World::new(0).await;
    let id = world.add_order("Q-SPLITCXL", json!({}));
    world.sync().await;
    let parent = world.shipstation_order("Q-SPLITCXL").order_id;
    let child = world
        .sandbox
        .shipstation
        .split_order(parent, &["Q-SPLITCXL-L2".to_string()])
        .expect("the warehouse splits the order");
    if part_shipped {
        world
            .sandbox
            .shipstation
            .create_label(
                child,
                LabelRequest {
                    tracking_number: "SPLIT-PART-1".into(),
                    ..Default::default()
                },
            )
            .expect("one part ships");
    }
    world
        .sandbox
        .quipt
        .cancel_order(&id, "buyer changed their mind")
        .unwrap();
    world.sync().await;

    let statuses: Vec<(i64, String)> = world
        .shipstation_orders("Q-SPLITCXL")
        .into_iter()
        .map(|o| (o.order_id, o.order_status))
        .collect();
    assert_eq!(statuses.len(), 2, "the order and its part: {statuses:?}");
    let (shipped, cancelled) = if part_shipped { (1, 1) } else { (0, 2) };
    let count = |status: &str| statuses.iter().filter(|(_, s)| s == status).count();
    assert_eq!(
        (count("shipped"), count("cancelled")),
        (shipped, cancelled),
        "no part of a cancelled order is left to ship: {statuses:?}"
    );
    let row = world.order("Q-SPLITCXL").order;
    let expected = if part_shipped {
        "conflict"
    } else {
        "cancelled"
    };
    assert_eq!(
        row.state.as_str(),
        expected,
        "a part that already went out is the operator's to settle with the buyer: {:?}",
        row.reason
    );
    if part_shipped {
        let timeline = world.order("Q-SPLITCXL").timeline;
        assert!(
            timeline
                .iter()
                .any(|e| e.kind == connector::TimelineKind::Conflict
                    && e.message
                        .contains(&format!("shipped in ShipStation (order {child})"))),
            "the conflict names the part that shipped ({child}): {timeline:#?}"
        );
    }
    let report = world.connector().reconcile().await.unwrap();
    assert!(
        report.cancel_mismatch.is_empty(),
        "the reconciliation does not call it a cancellation Quipt still owes: {:?}",
        report.cancel_mismatch
    );
}

/// What changed since an order was pushed, so that the mapping would hold it now.
#[derive(Debug, Clone, Copy)]
enum SinceThePush {
    StoreDeactivated,
    WarehouseUnticked,
    CarrierDisconnected,
}

#[rstest]
#[case::its_store_became_inactive(SinceThePush::StoreDeactivated)]
#[case::its_warehouse_was_unticked(SinceThePush::WarehouseUnticked)]
#[case::its_carrier_was_disconnected(SinceThePush::CarrierDisconnected)]
#[tokio::test]
async fn a_quipt_cancellation_reaches_shipstation_whatever_the_mapping_says_now(
    #[case] change: SinceThePush,
) {
    let mut world = World::new(0).await;
    let id = world.add_order("Q-PASTMAP", json!({}));
    world.sync().await;
    let pushed = world.shipstation_order("Q-PASTMAP");
    match change {
        SinceThePush::StoreDeactivated => world
            .sandbox
            .shipstation
            .set_store_active(pushed.store_id, false)
            .unwrap(),
        SinceThePush::WarehouseUnticked => world.settings.warehouses.codes.retain(|c| c != "98765"),
        SinceThePush::CarrierDisconnected => {
            assert!(
                world.sandbox.shipstation.remove_carrier("ups"),
                "UPS was connected"
            );
        }
    }
    world
        .sandbox
        .quipt
        .cancel_order(&id, "buyer changed their mind")
        .unwrap();
    let summary = world.dry_run().await; // reads the reference data afresh, as Sync now does
    assert_eq!(
        summary.held, 0,
        "a cancellation is never held by the mapping: {:?}",
        summary.preview
    );
    let summary = world.sync().await;
    assert_eq!(
        summary.cancelled_in_shipstation, 1,
        "{change:?}: {summary:?}"
    );
    let cancelled = world.shipstation_order("Q-PASTMAP");
    assert_eq!(cancelled.order_status, "cancelled");
    assert_eq!(
        (
            &cancelled.json["items"],
            &cancelled.json["shipTo"],
            &cancelled.json["advancedOptions"]["warehouseId"]
        ),
        (
            &pushed.json["items"],
            &pushed.json["shipTo"],
            &pushed.json["advancedOptions"]["warehouseId"]
        ),
        "ShipStation's own copy was sent back: everything but the status is as it was"
    );
    assert_eq!(world.order("Q-PASTMAP").order.state.as_str(), "cancelled");
}

#[tokio::test]
async fn an_order_gone_from_quipt_and_cancelled_in_shipstation_is_a_conflict_and_the_cancellations_after_it_are_applied()
 {
    let world = World::new(0).await;
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    let (_, other) =
        support::pushed_then_gone_from_quipt(&world, &connector, "Q-GONE-CANCEL", "Q-NEXT-CANCEL")
            .await;
    // Cancelled in ShipStation in this order, so the pass meets the gone order first.
    world.cancel_in_shipstation("Q-GONE-CANCEL");
    clock.advance(chrono::Duration::minutes(1));
    world.cancel_in_shipstation("Q-NEXT-CANCEL");
    clock.advance(chrono::Duration::minutes(14));

    let summary = support::run(&connector, Trigger::Schedule).await;
    support::assert_gone_recorded(&world, &summary, "Q-GONE-CANCEL");
    assert_eq!(
        summary.cancelled_in_quipt, 1,
        "the cancellation listed after the gone order is applied in the same run"
    );
    assert_eq!(
        world.order("Q-NEXT-CANCEL").order.state.as_str(),
        "cancelled"
    );
    assert_eq!(
        world.soft_cancels(&other),
        Some(1),
        "the other order is soft-cancelled in Quipt once"
    );

    for _ in 0..3 {
        clock.advance(chrono::Duration::minutes(15));
        let later = support::run(&connector, Trigger::Schedule).await;
        support::assert_gone_recorded(&world, &later, "Q-GONE-CANCEL");
    }
}

#[tokio::test]
async fn an_order_quipt_will_not_give_when_cancelled_in_shipstation_is_a_conflict_and_the_cancellations_after_it_are_applied()
 {
    let world = World::new(0).await;
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    world.add_order("Q-NOREAD-CANCEL", json!({}));
    let other = world.add_order("Q-NOREAD-CNEXT", json!({}));
    support::run(&connector, Trigger::Schedule).await;
    // Cancelled in ShipStation in this order, so the pass meets the unreadable order first.
    world.cancel_in_shipstation("Q-NOREAD-CANCEL");
    clock.advance(chrono::Duration::minutes(1));
    world.cancel_in_shipstation("Q-NOREAD-CNEXT");
    clock.advance(chrono::Duration::minutes(14));
    world.refuse_next_read_by_id();

    let summary = support::run(&connector, Trigger::Schedule).await;
    assert_eq!(
        (
            summary.outcome,
            summary.cancelled_in_quipt,
            summary.conflicts
        ),
        (connector::RunOutcome::Attention, 1, 1),
        "one order Quipt would not give does not fail the run: {:?}",
        summary.error
    );
    assert_eq!(
        world.soft_cancels(&other),
        Some(1),
        "the cancellation listed after it is applied in the same run"
    );
    let row = world.order("Q-NOREAD-CANCEL").order;
    assert_eq!(
        (row.state.as_str(), row.reason_code.map(|c| c.as_str())),
        ("conflict", Some("cancel_refused")),
        "the operator sees the cancellation Quipt did not get"
    );
    assert!(
        row.reason
            .as_deref()
            .is_some_and(|r| r.contains("would not give the order to cancel it")),
        "{:?}",
        row.reason
    );

    connector.retry(Some("Q-NOREAD-CANCEL")).unwrap();
    clock.advance(chrono::Duration::minutes(15));
    support::run(&connector, Trigger::Schedule).await;
    assert_eq!(
        world.order("Q-NOREAD-CANCEL").order.state.as_str(),
        "cancelled",
        "the operator's retry applies the cancellation"
    );
}

/// A package of one of the order's two lines ships (its tracking reported to Quipt first, or not
/// yet), then the buyer cancels in Quipt: the rest is put on hold in ShipStation, not cancelled
/// under a live label, and the order stays one conflict over the following runs, without any
/// cancellation sent to Quipt on the connector's own account or the tracking sent on every run.
#[rstest]
#[case::reported_first(true, "cancel_after_ship")]
#[case::not_reported_yet(false, "tracking_refused")]
#[tokio::test]
async fn an_order_cancelled_in_quipt_after_a_package_of_it_shipped_is_held_in_shipstation_and_stays_a_conflict(
    #[case] reported_first: bool,
    #[case] code: &str,
) {
    let world = World::new(0).await;
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    let id = world.add_order("Q-PART-CANCEL", json!({}));
    support::run(&connector, Trigger::Schedule).await;
    let ss = world.shipstation_order("Q-PART-CANCEL");
    world
        .sandbox
        .shipstation
        .create_label(
            ss.order_id,
            support::package("PART-1", "Q-PART-CANCEL-L1", 2),
        )
        .unwrap();
    if reported_first {
        clock.advance(chrono::Duration::minutes(15));
        let shipped = support::run(&connector, Trigger::Schedule).await;
        assert_eq!(shipped.tracking_reported, 1, "{shipped:?}");
    }
    world
        .sandbox
        .quipt
        .cancel_order(&id, "the buyer cancelled")
        .expect("Quipt cancels the open order");
    let ship = "POST /v2/orders/fulfillment/{id}/shipments";
    let ship_calls = || world.sandbox.quipt.stats().by_endpoint.get(ship).copied();
    let before = ship_calls();

    for run in 1..=3 {
        clock.advance(chrono::Duration::minutes(15));
        let summary = support::run(&connector, Trigger::Schedule).await;
        assert_eq!(
            (summary.cancelled_in_quipt, summary.cancelled_in_shipstation),
            (0, 0),
            "run {run}: nothing is cancelled on either side on the connector's own account: {summary:?}"
        );
        assert_eq!(
            summary.conflicts,
            u64::from(run == 1),
            "run {run}: one order, one conflict, counted in the run that found it: {summary:?}"
        );
        assert_eq!(
            world.shipstation_order("Q-PART-CANCEL").order_status,
            "on_hold",
            "run {run}: the rest is held in ShipStation, not cancelled under a live label"
        );
        let row = world.order("Q-PART-CANCEL").order;
        assert_eq!(
            (row.state.as_str(), row.reason_code.map(|c| c.as_str())),
            ("conflict", Some(code)),
            "run {run}: a conflict for the operator to settle with the buyer: {:?}",
            row.reason
        );
    }
    let timeline = world.order("Q-PART-CANCEL").timeline;
    assert!(
        timeline.iter().any(|e| e
            .message
            .contains("a package of it already shipped in ShipStation")),
        "the timeline says a package shipped before the cancellation: {timeline:#?}"
    );
    let sent = ship_calls().unwrap_or(0) - before.unwrap_or(0);
    assert!(
        sent <= 1,
        "the tracking is not sent to Quipt on every run: {sent} calls"
    );
    let effects = world.sandbox.quipt.stats().effects;
    assert_eq!(
        (effects.cancel_shipment.get(&id), effects.reject.get(&id)),
        (None, None),
        "no cancellation was sent to Quipt"
    );
}

#[tokio::test]
async fn an_order_shipstation_lists_unreadably_is_noted_once_and_its_cancellation_reaches_quipt_once_it_reads()
 {
    let world = World::new(0).await;
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    let sync = || support::run(&connector, Trigger::Cli);
    let id = world.add_order("Q-SS-GARBLED", json!({}));
    world.add_order("Q-SS-OTHER", json!({}));
    sync().await;
    world.cancel_in_shipstation("Q-SS-GARBLED");
    world
        .sandbox
        .shipstation
        .garble_rows(sandbox::shipstation::GarbledRow {
            order_number: "Q-SS-GARBLED".into(),
            pointer: "/advancedOptions".into(),
            value: json!("not an object"),
        });
    clock.advance(chrono::Duration::minutes(15));
    let summary = sync().await;
    assert_ne!(
        summary.outcome,
        connector::outcome::RunOutcome::Failed,
        "one order ShipStation lists unreadably does not fail the run: {:?}",
        summary.error
    );
    assert_eq!(
        world.soft_cancels(&id),
        None,
        "nothing guessed from an order that did not read"
    );
    let noted = |world: &World| {
        world
            .order("Q-SS-GARBLED")
            .timeline
            .iter()
            .filter(|e| e.message.contains("advancedOptions"))
            .count()
    };
    assert_eq!(
        noted(&world),
        1,
        "its timeline says ShipStation's copy did not read"
    );
    // The account goes on: an order changed since moves the runs' window on.
    world.cancel_in_shipstation("Q-SS-OTHER");
    clock.advance(chrono::Duration::hours(2));
    sync().await;
    assert_eq!(noted(&world), 1, "said once");

    world.sandbox.shipstation.clear_faults();
    clock.advance(chrono::Duration::hours(3));
    sync().await;
    assert_eq!(
        world.soft_cancels(&id),
        Some(1),
        "hours later, far beyond the runs' overlap, the cancellation made in ShipStation reaches Quipt once it reads"
    );
}

#[tokio::test]
async fn when_shipstation_refuses_to_hold_the_rest_of_a_partly_shipped_order_the_conflict_says_so()
{
    let world = World::new(0).await;
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    let id = world.add_order("Q-PART-NOHOLD", json!({}));
    support::run(&connector, Trigger::Schedule).await;
    let ss = world.shipstation_order("Q-PART-NOHOLD");
    world
        .sandbox
        .shipstation
        .create_label(
            ss.order_id,
            support::package("NOHOLD-1", "Q-PART-NOHOLD-L1", 2),
        )
        .unwrap();
    clock.advance(chrono::Duration::minutes(15));
    support::run(&connector, Trigger::Schedule).await;
    world
        .sandbox
        .quipt
        .cancel_order(&id, "the buyer cancelled")
        .expect("Quipt cancels the open order");
    world
        .sandbox
        .shipstation
        .fail_orders_matching(Some("Q-PART-NOHOLD".into()));
    clock.advance(chrono::Duration::minutes(15));
    support::run(&connector, Trigger::Schedule).await;
    assert_ne!(
        world.shipstation_order("Q-PART-NOHOLD").order_status,
        "on_hold",
        "ShipStation refused the hold"
    );
    let reason = world
        .order("Q-PART-NOHOLD")
        .order
        .reason
        .unwrap_or_default();
    assert!(
        reason.contains("refused to put the rest on hold") && !reason.contains("is put on hold"),
        "the operator is told the rest is not held, and to hold it: {reason}"
    );
}

/// As above, then the warehouse voids the one label that had shipped: nothing of the order is on
/// its way any more, so the buyer's cancellation reaches ShipStation within two runs, instead of
/// the rest waiting on hold there for the operator.
#[rstest]
#[case::reported_first(true)]
#[case::not_reported_yet(false)]
#[tokio::test]
async fn once_the_only_live_label_of_an_order_cancelled_in_quipt_is_voided_shipstation_cancels_it(
    #[case] reported_first: bool,
) {
    let world = World::new(0).await;
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    let sync = || support::run(&connector, Trigger::Schedule);
    let id = world.add_order("Q-PART-VOID", json!({}));
    sync().await;
    let ss = world.shipstation_order("Q-PART-VOID");
    let label = world
        .sandbox
        .shipstation
        .create_label(ss.order_id, support::package("PV-1", "Q-PART-VOID-L1", 2))
        .unwrap();
    if reported_first {
        clock.advance(chrono::Duration::minutes(15));
        sync().await;
    }
    world
        .sandbox
        .quipt
        .cancel_order(&id, "the buyer cancelled")
        .expect("Quipt cancels the open order");
    clock.advance(chrono::Duration::minutes(15));
    sync().await;
    assert_eq!(
        world.shipstation_order("Q-PART-VOID").order_status,
        "on_hold",
        "held while a package of it is on its way"
    );

    world.sandbox.shipstation.void_shipment(label).unwrap();
    for _ in 0..2 {
        clock.advance(chrono::Duration::minutes(15));
        sync().await;
    }
    assert_eq!(
        world.shipstation_order("Q-PART-VOID").order_status,
        "cancelled",
        "nothing of it ships any more: the cancellation made in Quipt reached ShipStation"
    );
    let row = world.order("Q-PART-VOID").order;
    assert_eq!(
        row.state.as_str(),
        "cancelled",
        "the order is no conflict any more: {:?}",
        row.reason
    );
}

/// The warehouse splits an order in ShipStation, then cancels its parts there: once every part is
/// cancelled, the cancel mode's action reaches Quipt, once; a part cancelled while another
/// shipped is a conflict for the operator instead (nothing cancelled in Quipt line by line).
#[rstest]
#[case::every_part_cancelled(false)]
#[case::one_part_shipped(true)]
#[tokio::test]
async fn a_split_order_cancelled_in_shipstation_is_cancelled_in_quipt_once_no_part_is_left(
    #[case] one_part_shipped: bool,
) {
    let world = World::new(0).await;
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    let sync = || support::run(&connector, Trigger::Schedule);
    let id = world.add_order("Q-SPLIT-GONE", json!({}));
    sync().await;
    let shipstation = &world.sandbox.shipstation;
    let parent = world.shipstation_order("Q-SPLIT-GONE").order_id;
    let child = shipstation
        .split_order(parent, &["Q-SPLIT-GONE-L2".to_string()])
        .unwrap();
    clock.advance(chrono::Duration::minutes(15));
    sync().await;

    shipstation.cancel_order(parent).unwrap();
    clock.advance(chrono::Duration::minutes(15));
    sync().await;
    assert_eq!(
        world.soft_cancels(&id),
        None,
        "a part is still open there: nothing cancelled in Quipt yet"
    );

    if one_part_shipped {
        shipstation
            .create_label(child, support::package("SG-2", "Q-SPLIT-GONE-L2", 1))
            .unwrap();
    } else {
        shipstation.cancel_order(child).unwrap();
    }
    for _ in 0..2 {
        clock.advance(chrono::Duration::minutes(15));
        sync().await;
    }
    let row = world.order("Q-SPLIT-GONE").order;
    if one_part_shipped {
        assert_eq!(
            world.soft_cancels(&id),
            None,
            "nothing cancelled in Quipt on a guess"
        );
        assert_eq!(
            (
                row.state.as_str(),
                row.reason
                    .as_deref()
                    .is_some_and(|r| r.contains("cancelled there while part"))
            ),
            ("conflict", true),
            "the operator is told a part was cancelled while another shipped: {:?}",
            row.reason
        );
    } else {
        assert_eq!(
            world.soft_cancels(&id),
            Some(1),
            "every part cancelled: the soft cancel reached Quipt, once"
        );
        assert_eq!(row.state.as_str(), "cancelled");
    }
}
