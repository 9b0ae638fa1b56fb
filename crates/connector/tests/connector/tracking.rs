//! Tracking back: labels, mark-as-shipped, several packages, voids, split orders.

use connector::outcome::{RunOutcome, Trigger};
use sandbox::shipstation::{LabelRequest, MarkShippedRequest};
use serde_json::json;

use crate::support::{self, World};

#[tokio::test]
async fn a_label_in_shipstation_reaches_quipt_once_with_its_tracking_number() {
    let world = World::new(0).await;
    let id = world.add_order("Q-TRK-1", json!({}));
    world.sync().await;
    let ss = world.shipstation_order("Q-TRK-1");
    world
        .sandbox
        .shipstation
        .create_label(
            ss.order_id,
            LabelRequest {
                tracking_number: "1Z999AA10123456784".into(),
                ..Default::default()
            },
        )
        .unwrap();
    let summary = world.sync().await;
    assert_eq!(summary.tracking_reported, 1);
    let quipt = world.sandbox.quipt.order(&id).unwrap();
    assert_eq!(quipt.shipments.len(), 1, "one shipment in Quipt");
    assert_eq!(
        quipt.shipments[0].tracking_number.as_deref(),
        Some("1Z999AA10123456784")
    );
    let carrier = quipt.shipments[0]
        .carrier_method
        .as_ref()
        .and_then(|m| m.carrier.as_ref())
        .and_then(|c| c.code.as_deref());
    assert_eq!(
        carrier,
        Some("UPS"),
        "the shipment names its carrier in Quipt's own codes (the label is UPS)"
    );
    assert_eq!(
        quipt.status, 8,
        "every line shipped: the Quipt order is Shipped"
    );
    assert_eq!(
        world.sync().await.tracking_reported,
        0,
        "tracking is reported once"
    );
    let found = world
        .connector()
        .order("1Z999AA10123456784")
        .unwrap()
        .expect("the order is found by its tracking number");
    assert_eq!(found.order.order_number, "Q-TRK-1");
    assert_eq!(found.order.state.as_str(), "shipped");
}

#[tokio::test]
async fn several_packages_of_one_order_are_all_reported() {
    let world = World::new(0).await;
    let id = world.add_order("Q-TRK-MULTI", json!({}));
    world.sync().await;
    let ss = world.shipstation_order("Q-TRK-MULTI");
    let label = support::package;
    world
        .sandbox
        .shipstation
        .create_label(ss.order_id, label("TRK-A", "Q-TRK-MULTI-L1", 2))
        .unwrap();
    world.sync().await;
    let quipt = world.sandbox.quipt.order(&id).unwrap();
    assert_eq!(quipt.status, 4, "one line left: still open in Quipt");
    world
        .sandbox
        .shipstation
        .create_label(ss.order_id, label("TRK-B", "Q-TRK-MULTI-L2", 1))
        .unwrap();
    world.sync().await;
    let quipt = world.sandbox.quipt.order(&id).unwrap();
    let numbers: Vec<_> = quipt
        .shipments
        .iter()
        .filter_map(|s| s.tracking_number.clone())
        .collect();
    assert_eq!(numbers, ["TRK-A", "TRK-B"], "both packages are reported");
    assert_eq!(quipt.status, 8, "fully shipped");
}

#[tokio::test]
async fn mark_as_shipped_in_shipstation_reports_the_fulfillment() {
    let world = World::new(0).await;
    let id = world.add_order("Q-FUL-1", json!({}));
    world.sync().await;
    let ss = world.shipstation_order("Q-FUL-1");
    world
        .sandbox
        .shipstation
        .mark_shipped(
            ss.order_id,
            MarkShippedRequest {
                tracking_number: Some("FUL-123".into()),
                carrier_code: Some("fedex".into()),
                ship_date: None,
            },
        )
        .unwrap();
    let summary = world.sync().await;
    assert_eq!(summary.tracking_reported, 1);
    let quipt = world.sandbox.quipt.order(&id).unwrap();
    assert_eq!(
        quipt.shipments[0].tracking_number.as_deref(),
        Some("FUL-123")
    );
    assert_eq!(quipt.status, 8);
}

#[tokio::test]
async fn a_voided_label_is_withdrawn_in_quipt_and_a_new_label_reported() {
    let world = World::new(0).await;
    let id = world.add_order("Q-VOID", json!({}));
    world.sync().await;
    let ss = world.shipstation_order("Q-VOID");
    let shipment = world
        .sandbox
        .shipstation
        .create_label(
            ss.order_id,
            LabelRequest {
                tracking_number: "VOID-1".into(),
                ..Default::default()
            },
        )
        .unwrap();
    world.sync().await;
    world.sandbox.shipstation.void_shipment(shipment).unwrap();
    let summary = world.sync().await;
    assert_eq!(
        summary.tracking_withdrawn, 1,
        "the voided label is withdrawn"
    );
    let quipt = world.sandbox.quipt.order(&id).unwrap();
    assert!(
        quipt.shipments.iter().all(|s| s.voided),
        "Quipt's shipment is voided"
    );
    assert_eq!(quipt.status, 4, "the order is open again in Quipt");
    world
        .sandbox
        .shipstation
        .create_label(
            ss.order_id,
            LabelRequest {
                tracking_number: "VOID-2".into(),
                ..Default::default()
            },
        )
        .unwrap();
    world.sync().await;
    let live = live_tracking(&world, &id);
    assert_eq!(
        live,
        ["VOID-2"],
        "the new label is reported, the voided one stays withdrawn"
    );
}

#[tokio::test]
async fn a_label_voided_two_days_after_printing_on_an_order_that_keeps_another_label_is_withdrawn()
{
    let world = World::new(0).await;
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    let sync = || support::run(&connector, connector::Trigger::Schedule);
    let id = world.add_order("Q-LATE-VOID", json!({}));
    sync().await;
    let ss = world.shipstation_order("Q-LATE-VOID");
    let label = support::package;
    let shipstation = &world.sandbox.shipstation;
    // Two packages of one mug each are printed; the cap will go in a third.
    let first = shipstation
        .create_label(ss.order_id, label("LATE-A", "Q-LATE-VOID-L1", 1))
        .unwrap();
    shipstation
        .create_label(ss.order_id, label("LATE-B", "Q-LATE-VOID-L1", 1))
        .unwrap();
    clock.advance(chrono::Duration::minutes(15));
    assert_eq!(sync().await.tracking_reported, 2, "both packages reported");

    // Two days of quiet runs, then the first label is voided; the order, awaiting its third
    // package all along, is not modified in ShipStation by the void.
    // Meanwhile the account goes on: another order is pushed and shipped.
    for hour in 0..8 {
        clock.advance(chrono::Duration::hours(6));
        if hour == 4 {
            world.add_order("Q-LATE-OTHER", json!({}));
        }
        sync().await;
        if hour == 4 {
            world.print_label("Q-LATE-OTHER", "OTHER-1");
        }
    }
    shipstation.void_shipment(first).unwrap();
    clock.advance(chrono::Duration::minutes(15));
    let summary = sync().await;
    assert_eq!(
        summary.tracking_withdrawn, 1,
        "a label voided two days after printing is withdrawn in Quipt"
    );
    let live = live_tracking(&world, &id);
    assert_eq!(live, ["LATE-B"], "only the second label is live in Quipt");
    assert_eq!(
        world.order("Q-LATE-VOID").order.state.as_str(),
        "shipped",
        "the order keeps a package on its way, so it stays shipped"
    );
    clock.advance(chrono::Duration::minutes(15));
    assert_eq!(
        sync().await.tracking_withdrawn,
        0,
        "the void is withdrawn once"
    );
}

#[tokio::test]
async fn a_split_order_is_left_intact_and_both_parts_tracking_reaches_quipt() {
    let world = World::new(0).await;
    let id = world.add_order("Q-SPLIT", json!({}));
    world.sync().await;
    let parent = world.shipstation_order("Q-SPLIT");
    let child = world
        .sandbox
        .shipstation
        .split_order(parent.order_id, &["Q-SPLIT-L2".to_string()])
        .unwrap();
    world.sync().await;
    // An update in Quipt must not overwrite the split order.
    let address = serde_json::from_value(json!({"StreetLine1": "9 Other St", "City": "Reno", "PostalCode": "89501", "Attention": "Ada Lovelace", "Country": {"ISO": "US"}})).unwrap();
    world
        .sandbox
        .quipt
        .edit_ship_to(&id, Some(address))
        .unwrap();
    let summary = world.sync().await;
    assert_eq!(summary.updated, 0, "updates of split orders are not sent");
    world
        .sandbox
        .shipstation
        .create_label(
            parent.order_id,
            LabelRequest {
                tracking_number: "SPLIT-A".into(),
                ..Default::default()
            },
        )
        .unwrap();
    world
        .sandbox
        .shipstation
        .create_label(
            child,
            LabelRequest {
                tracking_number: "SPLIT-B".into(),
                ..Default::default()
            },
        )
        .unwrap();
    world.sync().await;
    let quipt = world.sandbox.quipt.order(&id).unwrap();
    let mut numbers: Vec<_> = quipt
        .shipments
        .iter()
        .filter_map(|s| s.tracking_number.clone())
        .collect();
    numbers.sort();
    assert_eq!(
        numbers,
        ["SPLIT-A", "SPLIT-B"],
        "both parts' tracking reaches Quipt"
    );
    assert_eq!(quipt.status, 8);
    let found = world
        .connector()
        .order(&child.to_string())
        .unwrap()
        .map(|d| d.order.order_number);
    assert_eq!(
        found.as_deref(),
        Some("Q-SPLIT"),
        "the part's own ShipStation order id finds the order in the history"
    );
}

#[tokio::test]
async fn retry_after_quipt_refused_the_tracking_reports_it_again_and_pushes_nothing() {
    let mut world = World::new(0).await;
    world.settings.orders.push_validating = true;
    let clock = world.clock();
    let engine = world.connector_on(&clock);
    let sync = || support::run(&engine, connector::Trigger::Cli);
    // Still validating in Quipt: pushed as awaiting payment, and Quipt refuses its shipments.
    let id = world.add_order("Q-TRK-RETRY", json!({"Status": 2}));
    sync().await;
    world.print_label("Q-TRK-RETRY", "1ZRETRY");
    let refused = sync().await;
    assert_eq!(refused.conflicts, 1, "Quipt refused the tracking");
    let row = world.order("Q-TRK-RETRY").order;
    assert_eq!(
        (row.state.as_str(), row.reason_code.map(|c| c.as_str())),
        ("conflict", Some("tracking_refused"))
    );

    // Later labels move the tracking cursor on, half an hour after this one: it falls out of the
    // window read again.
    clock.advance(chrono::Duration::minutes(30));
    let db = connector::store::open(&world.paths().database()).unwrap();
    let later = connector::store::ts(connector::clock::Clock::now(&clock));
    db.execute(
        "UPDATE cursors SET value = ?1 WHERE pass = 'tracking_back'",
        [later],
    )
    .unwrap();
    drop(db);
    world.sandbox.quipt.clear_validation(&id).unwrap();
    assert_eq!(
        sync().await.tracking_reported,
        0,
        "a label out of the window read again is not reported by itself"
    );

    // The operator cleared the validation in Quipt; now they press Retry.
    assert_eq!(
        world.connector().retry(Some("Q-TRK-RETRY")).unwrap(),
        1,
        "one order queued"
    );
    let writes_before = world.shipstation_order("Q-TRK-RETRY").writes;
    let retried = sync().await;
    assert_eq!(
        (retried.tracking_reported, retried.updated, retried.failed),
        (1, 0, 0),
        "the retry reports the tracking that failed, it does not push the order again"
    );
    assert_eq!(
        world.shipstation_order("Q-TRK-RETRY").writes,
        writes_before,
        "ShipStation's order is untouched"
    );
    let quipt = world.sandbox.quipt.order(&id).unwrap();
    assert_eq!(
        quipt.shipments.len(),
        1,
        "Quipt has the tracking once: {:?}",
        quipt.shipments
    );
    let detail = world.order("Q-TRK-RETRY");
    assert_eq!(detail.order.state.as_str(), "shipped");
    assert!(
        detail
            .timeline
            .iter()
            .any(|e| e.kind == connector::TimelineKind::RetryRequested),
        "the timeline shows the retry was asked for"
    );
    assert!(!detail.order.retry, "the retry is done");
}

#[tokio::test]
async fn retry_after_quipt_refused_to_withdraw_a_voided_label_withdraws_it_and_pushes_nothing() {
    let world = World::new(0).await;
    let id = world.add_order("Q-VOID-RETRY", json!({}));
    world.sync().await;
    let shipment = world.print_label("Q-VOID-RETRY", "VOIDR-1");
    assert_eq!(world.sync().await.tracking_reported, 1);

    // Quipt refuses to withdraw shipments of the order for now.
    let void = "POST /v2/orders/fulfillment/{id}/shipments/{externalId}/void";
    world.sandbox.quipt.fail_route(void, 0, 1_000, Some(400));
    world.sandbox.shipstation.void_shipment(shipment).unwrap();
    let refused = world.sync().await;
    assert_eq!(
        (refused.conflicts, refused.tracking_withdrawn),
        (1, 0),
        "Quipt refused to withdraw the voided label"
    );
    let row = world.order("Q-VOID-RETRY").order;
    assert_eq!(
        (row.state.as_str(), row.reason_code.map(|c| c.as_str())),
        ("conflict", Some("void_not_withdrawn"))
    );

    // Quipt takes withdrawals again; the operator presses Retry.
    world.sandbox.quipt.clear_faults();
    assert_eq!(
        world.connector().retry(Some("Q-VOID-RETRY")).unwrap(),
        1,
        "one order queued"
    );
    let writes_before = world.shipstation_order("Q-VOID-RETRY").writes;
    let retried = world.sync().await;
    assert_eq!(
        (
            retried.tracking_withdrawn,
            retried.updated,
            retried.failed,
            retried.conflicts
        ),
        (1, 0, 0, 0),
        "the retry withdraws the voided label, it does not push the order again"
    );
    assert_eq!(
        world.shipstation_order("Q-VOID-RETRY").writes,
        writes_before,
        "ShipStation's order is untouched"
    );
    assert!(
        live_tracking(&world, &id).is_empty(),
        "Quipt has no live tracking left for the voided label"
    );
    let detail = world.order("Q-VOID-RETRY");
    assert_ne!(
        detail.order.state.as_str(),
        "conflict",
        "the conflict is resolved"
    );
    assert!(!detail.order.retry, "the retry is done");
}

/// The tracking numbers of the order's shipments in Quipt that are not voided.
fn live_tracking(world: &World, id: &str) -> Vec<String> {
    world
        .sandbox
        .quipt
        .order(id)
        .unwrap()
        .shipments
        .iter()
        .filter(|s| !s.voided)
        .filter_map(|s| s.tracking_number.clone())
        .collect()
}

#[tokio::test]
async fn an_order_gone_from_quipt_and_marked_shipped_is_a_conflict_and_the_labels_after_it_are_reported()
 {
    let world = World::new(0).await;
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    let (_, other) =
        support::pushed_then_gone_from_quipt(&world, &connector, "Q-GONE-SHIP", "Q-NEXT-SHIP")
            .await;
    // Marked as shipped (a fulfilment names no items, so its lines are read from Quipt), then
    // another order's label.
    world
        .sandbox
        .shipstation
        .mark_shipped(
            world.shipstation_order("Q-GONE-SHIP").order_id,
            MarkShippedRequest {
                tracking_number: Some("FUL-GONE".into()),
                ..Default::default()
            },
        )
        .expect("the user marks it shipped in ShipStation");
    clock.advance(chrono::Duration::minutes(1));
    world.print_label("Q-NEXT-SHIP", "TRK-AFTER-GONE");
    clock.advance(chrono::Duration::minutes(14));

    let summary = support::run(&connector, Trigger::Schedule).await;
    support::assert_gone_recorded(&world, &summary, "Q-GONE-SHIP");
    assert_eq!(summary.tracking_reported, 1, "the other label is reported");
    let shipped = world.sandbox.quipt.order(&other).unwrap();
    assert_eq!(
        shipped
            .shipments
            .iter()
            .map(|s| s.tracking_number.as_deref())
            .collect::<Vec<_>>(),
        [Some("TRK-AFTER-GONE")],
        "the label printed after the gone order's reaches Quipt in the same run"
    );

    clock.advance(chrono::Duration::minutes(15));
    let later = support::run(&connector, Trigger::Schedule).await;
    support::assert_gone_recorded(&world, &later, "Q-GONE-SHIP");
}

/// An order's state and reason code as the dashboard lists them.
fn standing(world: &World, number: &str) -> (String, Option<&'static str>) {
    let row = world.order(number).order;
    (
        row.state.as_str().to_string(),
        row.reason_code.map(|c| c.as_str()),
    )
}

#[tokio::test]
async fn a_void_quipt_could_not_withdraw_stays_a_conflict_when_a_later_package_of_the_order_is_reported()
 {
    let world = World::new(0).await;
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    let id = world.add_order("Q-VOID-LATER", json!({}));
    support::run(&connector, Trigger::Schedule).await;
    let order_id = world.shipstation_order("Q-VOID-LATER").order_id;
    let first = world
        .sandbox
        .shipstation
        .create_label(order_id, support::package("VOID-P1", "Q-VOID-LATER-L1", 2))
        .unwrap();
    clock.advance(chrono::Duration::minutes(15));
    support::run(&connector, Trigger::Schedule).await;
    assert_eq!(live_tracking(&world, &id), ["VOID-P1"]);

    // The first label is voided, and Quipt refuses to withdraw it.
    let void = "POST /v2/orders/fulfillment/{id}/shipments/{externalId}/void";
    world.sandbox.quipt.fail_route(void, 0, 1_000, Some(400));
    world.sandbox.shipstation.void_shipment(first).unwrap();
    clock.advance(chrono::Duration::minutes(15));
    support::run(&connector, Trigger::Schedule).await;
    assert_eq!(
        standing(&world, "Q-VOID-LATER"),
        ("conflict".into(), Some("void_not_withdrawn"))
    );

    // The next day the other line ships in a package of its own.
    clock.advance(chrono::Duration::days(1));
    world
        .sandbox
        .shipstation
        .create_label(order_id, support::package("VOID-P2", "Q-VOID-LATER-L2", 1))
        .unwrap();
    clock.advance(chrono::Duration::minutes(15));
    let later = support::run(&connector, Trigger::Schedule).await;
    assert_eq!(later.tracking_reported, 1, "the later package is reported");
    assert_eq!(
        standing(&world, "Q-VOID-LATER"),
        ("conflict".into(), Some("void_not_withdrawn")),
        "the void Quipt kept is still the operator's: the dead tracking is live in Quipt"
    );
    assert_eq!(
        later.outcome,
        RunOutcome::Attention,
        "the run still asks for the operator"
    );
    let status = connector.status().unwrap();
    assert!(
        status
            .attention
            .iter()
            .any(|o| o.order_number == "Q-VOID-LATER"),
        "the dashboard still lists it"
    );

    // Quipt takes voids again; the operator presses Retry.
    world.sandbox.quipt.clear_faults();
    connector.retry(Some("Q-VOID-LATER")).unwrap();
    clock.advance(chrono::Duration::minutes(15));
    let retried = support::run(&connector, Trigger::Schedule).await;
    assert_eq!(retried.tracking_withdrawn, 1, "the void is withdrawn");
    assert_eq!(live_tracking(&world, &id), ["VOID-P2"]);
    assert_eq!(
        standing(&world, "Q-VOID-LATER"),
        ("shipped".into(), None),
        "settled: shipped by its live package"
    );
}

#[tokio::test]
async fn a_package_quipt_refused_stays_a_conflict_when_another_package_of_the_order_is_reported() {
    let world = World::new(0).await;
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    let id = world.add_order("Q-REFUSED-PKG", json!({}));
    support::run(&connector, Trigger::Schedule).await;
    let order_id = world.shipstation_order("Q-REFUSED-PKG").order_id;
    for (tracking, line, quantity) in [
        ("REF-P1", "Q-REFUSED-PKG-L1", 2),
        ("REF-P2", "Q-REFUSED-PKG-L2", 1),
    ] {
        world
            .sandbox
            .shipstation
            .create_label(order_id, support::package(tracking, line, quantity))
            .unwrap();
        clock.advance(chrono::Duration::minutes(1));
    }
    // Quipt refuses the first package's shipment, once.
    let ship = "POST /v2/orders/fulfillment/{id}/shipments";
    world.sandbox.quipt.fail_route(ship, 0, 1, Some(400));
    clock.advance(chrono::Duration::minutes(13));
    let run = support::run(&connector, Trigger::Schedule).await;
    assert_eq!(
        (run.tracking_reported, run.conflicts),
        (1, 1),
        "one package reported, one refused: {run:?}"
    );
    assert_eq!(live_tracking(&world, &id), ["REF-P2"]);
    assert_eq!(
        standing(&world, "Q-REFUSED-PKG"),
        ("conflict".into(), Some("tracking_refused")),
        "the package reported after the refused one does not clear its conflict"
    );

    // Seen again by the next runs (their window overlaps) it is no news: not sent again, and
    // the same conflict not counted again.
    let ship_calls = || {
        world
            .sandbox
            .quipt
            .stats()
            .by_endpoint
            .get(ship)
            .copied()
            .unwrap_or(0)
    };
    let sent = ship_calls();
    for _ in 0..2 {
        clock.advance(chrono::Duration::minutes(1));
        let idle = support::run(&connector, Trigger::Schedule).await;
        assert_eq!((idle.tracking_reported, idle.conflicts), (0, 0), "{idle:?}");
    }
    assert_eq!(
        ship_calls(),
        sent,
        "the refused package is not sent on every run"
    );

    // The operator's retry sends it.
    connector.retry(Some("Q-REFUSED-PKG")).unwrap();
    clock.advance(chrono::Duration::minutes(1));
    let again = support::run(&connector, Trigger::Schedule).await;
    assert_eq!(again.tracking_reported, 1, "{again:?}");
    assert_eq!(
        standing(&world, "Q-REFUSED-PKG"),
        ("shipped".into(), None),
        "settled once the refused package is reported"
    );
}

#[tokio::test]
async fn an_order_quipt_will_not_give_when_marked_shipped_is_a_tracking_conflict_the_labels_after_it_are_reported_and_a_retry_sends_it()
 {
    let world = World::new(0).await;
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    let refused = world.add_order("Q-NOREAD-SHIP", json!({}));
    let other = world.add_order("Q-NOREAD-NEXT", json!({}));
    support::run(&connector, Trigger::Schedule).await;
    // Marked as shipped (a fulfilment names no items, so its lines are read from Quipt), then
    // another order's label.
    world
        .sandbox
        .shipstation
        .mark_shipped(
            world.shipstation_order("Q-NOREAD-SHIP").order_id,
            MarkShippedRequest {
                tracking_number: Some("FUL-NOREAD".into()),
                ..Default::default()
            },
        )
        .expect("the user marks it shipped in ShipStation");
    clock.advance(chrono::Duration::minutes(1));
    world.print_label("Q-NOREAD-NEXT", "TRK-AFTER-NOREAD");
    clock.advance(chrono::Duration::minutes(14));
    // Quipt refuses to give that one order, once.
    world.refuse_next_read_by_id();

    let summary = support::run(&connector, Trigger::Schedule).await;
    assert_eq!(
        (
            summary.outcome,
            summary.tracking_reported,
            summary.conflicts
        ),
        (connector::RunOutcome::Attention, 1, 1),
        "one order Quipt would not give does not fail the run: {:?}",
        summary.error
    );
    assert_eq!(
        live_tracking(&world, &other),
        ["TRK-AFTER-NOREAD"],
        "the label printed after it reaches Quipt in the same run"
    );
    let row = world.order("Q-NOREAD-SHIP").order;
    assert_eq!(
        (row.state.as_str(), row.reason_code.map(|c| c.as_str())),
        ("conflict", Some("tracking_refused")),
        "the operator sees the tracking Quipt did not get"
    );
    let reason = row.reason.unwrap_or_default();
    assert!(
        reason.contains("would not give the order for tracking FUL-NOREAD")
            && reason.contains("403"),
        "the reason says what Quipt refused: {reason}"
    );

    // The operator's retry sends it.
    connector.retry(Some("Q-NOREAD-SHIP")).unwrap();
    clock.advance(chrono::Duration::minutes(15));
    support::run(&connector, Trigger::Schedule).await;
    assert_eq!(live_tracking(&world, &refused), ["FUL-NOREAD"]);
    assert_eq!(
        standing(&world, "Q-NOREAD-SHIP"),
        ("shipped".into(), None),
        "settled once the tracking is reported"
    );
}

#[tokio::test]
async fn a_retry_of_an_order_whose_packages_quipt_refused_sends_every_one_and_pushes_nothing() {
    let world = World::new(0).await;
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    let id = world.add_order("Q-RETRY-PKGS", json!({}));
    support::run(&connector, Trigger::Schedule).await;
    // Two packages of the first line; the second line is still to ship, so the order stays open
    // in ShipStation.
    let order_id = world.shipstation_order("Q-RETRY-PKGS").order_id;
    for tracking in ["RP-A", "RP-B"] {
        world
            .sandbox
            .shipstation
            .create_label(order_id, support::package(tracking, "Q-RETRY-PKGS-L1", 1))
            .unwrap();
    }
    let ship = "POST /v2/orders/fulfillment/{id}/shipments";
    world.sandbox.quipt.fail_route(ship, 0, 2, Some(400));
    clock.advance(chrono::Duration::minutes(15));
    let refused = support::run(&connector, Trigger::Schedule).await;
    assert_eq!(refused.conflicts, 1, "{refused:?}");

    // Changed in Quipt since (so the next listing reads it), then the operator's Retry.
    world.change_city(&id, "Sparks");
    let writes = world.shipstation_order("Q-RETRY-PKGS").writes;
    connector.retry(Some("Q-RETRY-PKGS")).unwrap();
    clock.advance(chrono::Duration::minutes(15));
    let retried = support::run(&connector, Trigger::Schedule).await;
    assert_eq!(
        retried.tracking_reported, 2,
        "both refused packages are sent: {retried:?}"
    );
    let mut live = live_tracking(&world, &id);
    live.sort();
    assert_eq!(live, ["RP-A", "RP-B"]);
    assert_eq!(
        world.shipstation_order("Q-RETRY-PKGS").writes,
        writes,
        "the retry of a tracking refusal pushes nothing to ShipStation"
    );
    assert_eq!(
        standing(&world, "Q-RETRY-PKGS"),
        ("shipped".into(), None),
        "settled once its packages are in Quipt"
    );
}

/// Three orders pushed, two labelled in ShipStation, the labels of one of them listed with a
/// `voided` ShipStation's contract does not describe ("false"), the third (`Q-TRK-LATER`) to be
/// labelled later; the Quipt ids of (the garbled one, the other labelled one).
async fn one_label_listed_unreadably(
    world: &World,
    sync: impl AsyncFn() -> connector::RunSummary,
) -> (String, String) {
    let garbled = world.add_order("Q-TRK-GARBLED", json!({}));
    let clean = world.add_order("Q-TRK-CLEAN", json!({}));
    world.add_order("Q-TRK-LATER", json!({}));
    sync().await;
    world.print_label("Q-TRK-GARBLED", "1ZGARBLED");
    world.print_label("Q-TRK-CLEAN", "1ZCLEAN");
    world
        .sandbox
        .shipstation
        .garble_rows(sandbox::shipstation::GarbledRow {
            order_number: "Q-TRK-GARBLED".into(),
            pointer: "/voided".into(),
            value: json!("false"),
        });
    (garbled, clean)
}

#[tokio::test]
async fn a_label_shipstation_lists_unreadably_is_a_conflict_of_its_order_while_the_others_report_and_it_reports_once_it_reads()
 {
    let world = World::new(0).await;
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    let sync = || support::run(&connector, Trigger::Cli);
    let (garbled, clean) = one_label_listed_unreadably(&world, sync).await;

    clock.advance(chrono::Duration::minutes(15));
    let summary = sync().await;
    assert_ne!(
        summary.outcome,
        RunOutcome::Failed,
        "one label ShipStation sends unreadably does not fail the run: {:?}",
        summary.error
    );
    assert_eq!(
        world.sandbox.quipt.order(&clean).unwrap().shipments.len(),
        1,
        "the other order's tracking reached Quipt"
    );
    assert!(
        world
            .sandbox
            .quipt
            .order(&garbled)
            .unwrap()
            .shipments
            .is_empty(),
        "nothing was guessed for the label that did not read"
    );
    assert_eq!(summary.conflicts, 1, "the order needs the operator's eyes");
    let order = world.order("Q-TRK-GARBLED");
    assert_eq!(
        (
            order.order.state.as_str(),
            order.order.reason_code.map(|c| c.as_str())
        ),
        ("conflict", Some("label_unreadable")),
        "the order says why"
    );
    let reason = order.order.reason.unwrap_or_default();
    assert!(
        reason.contains("voided") && reason.contains("Q-TRK-GARBLED"),
        "the reason names the label's order and the field that did not read: {reason}"
    );

    // The account goes on: labels printed since move the runs' window on.
    world.print_label("Q-TRK-LATER", "1ZLATER");
    clock.advance(chrono::Duration::hours(2));
    let again = sync().await;
    assert_eq!(
        again.conflicts, 0,
        "said once, not every run it is read again"
    );
    assert_eq!(
        world.order("Q-TRK-GARBLED").timeline.len(),
        order.timeline.len(),
        "no new timeline entry while ShipStation sends the same"
    );

    // Hours after it was printed, far beyond the overlap of the runs' windows.
    world.sandbox.shipstation.clear_faults();
    clock.advance(chrono::Duration::hours(3));
    let read = sync().await;
    assert_eq!(read.tracking_reported, 1, "once it reads, it is reported");
    let quipt = world.sandbox.quipt.order(&garbled).unwrap();
    assert_eq!(
        quipt
            .shipments
            .iter()
            .map(|s| s.tracking_number.as_deref())
            .collect::<Vec<_>>(),
        [Some("1ZGARBLED")],
        "its tracking reached Quipt, once"
    );
    assert_eq!(world.order("Q-TRK-GARBLED").order.state.as_str(), "shipped");
}

#[tokio::test]
async fn a_label_unreadable_for_over_a_day_is_left_to_retry_which_reports_it_once_it_reads() {
    let world = World::new(0).await;
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    let sync = || support::run(&connector, Trigger::Cli);
    let (garbled, _) = one_label_listed_unreadably(&world, sync).await;
    for run in 0..3 {
        clock.advance(chrono::Duration::hours(13));
        sync().await;
        if run == 0 {
            // The account goes on: labels printed since move the runs' window on.
            world.print_label("Q-TRK-LATER", "1ZLATER");
        }
    }
    world.sandbox.shipstation.clear_faults();
    clock.advance(chrono::Duration::minutes(15));
    sync().await;
    assert!(
        world
            .sandbox
            .quipt
            .order(&garbled)
            .unwrap()
            .shipments
            .is_empty(),
        "a day on, the runs no longer read it again"
    );
    assert_eq!(
        world
            .order("Q-TRK-GARBLED")
            .order
            .reason_code
            .map(|c| c.as_str()),
        Some("label_unreadable"),
        "the order still says why it waits"
    );
    connector.retry(Some("Q-TRK-GARBLED")).unwrap();
    clock.advance(chrono::Duration::minutes(15));
    let retried = sync().await;
    assert_eq!(
        retried.tracking_reported, 1,
        "Retry reads its labels again and reports it"
    );
    assert_eq!(world.order("Q-TRK-GARBLED").order.state.as_str(), "shipped");
}

#[tokio::test]
async fn a_change_in_quipt_to_the_rest_of_a_partly_shipped_order_reaches_shipstation() {
    let world = World::new(0).await;
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    let sync = || support::run(&connector, Trigger::Schedule);
    let id = world.add_order("Q-PART-EDIT", json!({}));
    sync().await;
    let ss = world.shipstation_order("Q-PART-EDIT");
    world
        .sandbox
        .shipstation
        .create_label(ss.order_id, support::package("PE-1", "Q-PART-EDIT-L1", 2))
        .unwrap();
    clock.advance(chrono::Duration::minutes(15));
    assert_eq!(
        sync().await.tracking_reported,
        1,
        "the first package is reported"
    );
    assert_eq!(
        world.shipstation_order("Q-PART-EDIT").order_status,
        "awaiting_shipment",
        "the rest is still to ship there"
    );

    clock.advance(chrono::Duration::minutes(15));
    world.change_city(&id, "Capital City");
    let summary = sync().await;
    assert_eq!(summary.updated, 1, "the change is sent: {summary:?}");
    assert_eq!(
        world.shipstation_order("Q-PART-EDIT").json["shipTo"]["city"].as_str(),
        Some("Capital City"),
        "the rest ships to the new address"
    );

    clock.advance(chrono::Duration::minutes(15));
    let mut order = world.sandbox.quipt.order(&id).unwrap();
    let rest = order.lines.len() - 1;
    order.lines[rest].sub_status = Some(80);
    order.modified_at = world.sandbox.now();
    world.sandbox.quipt.insert_order(order);
    sync().await;
    assert_eq!(
        world.shipstation_order("Q-PART-EDIT").order_status,
        "on_hold",
        "a line of the rest put on hold in Quipt stops the warehouse from shipping it"
    );
    assert_eq!(
        world.sandbox.quipt.order(&id).unwrap().shipments.len(),
        1,
        "the package already on its way is still reported, once"
    );
}

/// The warehouse splits an order in ShipStation while Quipt changes it (or after a push whose
/// answer was lost, so the history does not know it is there): the next run must not send the
/// order back whole over its split parent, which would put the items split off it on two orders.
#[rstest::rstest]
#[case::changed_in_quipt_in_the_same_interval(false)]
#[case::after_a_push_whose_answer_was_lost(true)]
#[tokio::test]
async fn an_order_split_in_shipstation_since_the_last_run_is_not_overwritten(#[case] lost: bool) {
    let world = World::new(0).await;
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    let sync = || support::run(&connector, Trigger::Schedule);
    let id = world.add_order("Q-SPLIT-RACE", json!({}));
    world.add_order("Q-SPLIT-OTHER", json!({}));
    let shipstation = &world.sandbox.shipstation;
    if lost {
        shipstation.lose_answer_next(1000, Some(sandbox::shipstation::Write::CreateOrders));
    }
    sync().await;
    shipstation.clear_faults();
    let parent = world.shipstation_order("Q-SPLIT-RACE");
    let items = |order: &sandbox::shipstation::OrderSnapshot| {
        order.json["items"].as_array().map_or(0, Vec::len)
    };
    let before = items(&parent);
    shipstation
        .split_order(parent.order_id, &["Q-SPLIT-RACE-L2".to_string()])
        .unwrap();
    world.change_city(&id, "Capital City");
    clock.advance(chrono::Duration::minutes(15));
    sync().await;

    let now = shipstation
        .all_orders()
        .into_iter()
        .find(|o| o.order_id == parent.order_id)
        .expect("the parent is still there");
    assert_eq!(
        items(&now),
        before - 1,
        "the parent keeps only what it kept at the split: nothing sent over it (writes {} then {})",
        parent.writes,
        now.writes
    );
    let order = world.order("Q-SPLIT-RACE");
    assert!(
        order.order.split && order.order.ss_order_id == Some(parent.order_id),
        "the history knows the order is in ShipStation, split: {:?}",
        order.order
    );
}

#[tokio::test]
async fn a_label_voided_after_a_report_whose_answer_was_lost_is_withdrawn_in_quipt() {
    let world = World::new(0).await;
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    let sync = || support::run(&connector, Trigger::Schedule);
    let id = world.add_order("Q-LOST-VOID", json!({}));
    sync().await;
    let label = world.print_label("Q-LOST-VOID", "1ZLOSTVOID");
    // Quipt takes the tracking and its answer is lost; every later try fails (504).
    let quipt = &world.sandbox.quipt;
    quipt.lose_answer_next(1, Some(sandbox::quipt::Write::Ship));
    quipt.fail_route(
        "POST /v2/orders/fulfillment/{id}/shipments",
        1,
        1000,
        Some(504),
    );
    clock.advance(chrono::Duration::minutes(15));
    let failed = sync().await;
    assert_eq!(failed.outcome, RunOutcome::Failed, "{failed:?}");
    world.sandbox.quipt.clear_faults();
    let live = |world: &World| {
        world
            .sandbox
            .quipt
            .order(&id)
            .unwrap()
            .shipments
            .iter()
            .filter(|s| !s.voided)
            .count()
    };
    assert_eq!(live(&world), 1, "Quipt took the tracking");

    world.sandbox.shipstation.void_shipment(label).unwrap();
    clock.advance(chrono::Duration::minutes(15));
    sync().await;
    assert_eq!(
        live(&world),
        0,
        "the voided label's tracking is withdrawn in Quipt, not left live for the buyer"
    );
    let timeline = world.order("Q-LOST-VOID").timeline;
    assert!(
        !timeline
            .iter()
            .any(|e| e.message.contains("nothing sent to Quipt")),
        "the timeline does not claim nothing was sent: {timeline:#?}"
    );
}
