//! Bad input: each malformed order is held with its reason while the rest flow.

use connector::{ReasonCode, RunOutcome, TimelineKind, Trigger};
use rstest::rstest;
use serde_json::json;

use crate::support::{self, World};

#[rstest]
#[case("Q-BAD-NOADDR", json!({"ShipTo": null}), "missing_address")]
#[case("Q-BAD-COUNTRY", json!({"ShipTo": {"Attention": "A B", "StreetLine1": "1 St", "City": "X", "PostalCode": "1", "Country": {"ISO": "XX"}}}), "unknown_country")]
#[case("Q-BAD-ZERO", json!({"Lines": [{"Id": "z1", "Item": {"SKU": "S", "Title": "T"}, "Ordered": {"Units": 0, "Value": 0}}]}), "invalid_quantity")]
#[case("Q-BAD-HUGE", json!({"Lines": [{"Id": "u1", "Item": {"SKU": "S", "Title": "T"}, "Ordered": {"Units": 0, "Value": 3e9}}]}), "invalid_quantity")]
#[case("Q-BAD-NOITEMS", json!({"Lines": []}), "no_items")]
#[case("Q-BAD-LONG-NUMBER-012345678901234567890123456789012345", json!({}), "order_number_too_long")]
#[case("Q-BAD-DATE", json!({"OrderedAt": "-262143-01-01T00:00:00Z"}), "order_date_out_of_range")]
#[case("Q-BAD-FAR-DATE", json!({"OrderedAt": "+10000-01-01T12:00:00Z"}), "order_date_out_of_range")]
#[case("Q-LINE-ON-HOLD", json!({"Lines": [{"Id": "h1", "Item": {"SKU": "MUG", "Title": "Mug"}, "Ordered": {"Units": 0, "Value": 1}, "SubStatus": 80}]}), "line_on_hold")]
#[case("Q-CANCEL-ASKED", json!({"Lines": [{"Id": "c1", "Item": {"SKU": "MUG", "Title": "Mug"}, "Ordered": {"Units": 0, "Value": 1}, "SubStatus": 105}]}), "cancellation_requested")]
#[tokio::test]
async fn a_malformed_order_is_held_with_its_reason_while_the_rest_flow(
    #[case] number: &str,
    #[case] overrides: serde_json::Value,
    #[case] code: &str,
) {
    let world = World::new(0).await;
    world.add_order(number, overrides);
    world.add_order("Q-GOOD", json!({}));
    let summary = world.sync().await;
    assert_eq!(
        summary.outcome,
        connector::RunOutcome::Attention,
        "the run completes and asks for attention"
    );
    assert!(
        world.shipstation_orders(number).is_empty(),
        "the malformed order is not pushed"
    );
    let held = world.order(number).order;
    assert_eq!(
        (held.state.as_str(), held.reason_code.map(|c| c.as_str())),
        ("held", Some(code))
    );
    world.shipstation_order("Q-GOOD");
}

#[tokio::test]
async fn an_order_held_for_a_buyer_s_cancellation_request_ships_once_quipt_refuses_the_request() {
    let world = World::new(0).await;
    let id = world.add_order(
        "Q-ASKED",
        json!({"Lines": [{"Id": "a1", "Item": {"SKU": "MUG", "Title": "Mug"}, "Ordered": {"Units": 0, "Value": 2}, "SubStatus": 105}]}),
    );
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    crate::support::run(&connector, connector::Trigger::Schedule).await;
    assert!(
        world.shipstation_orders("Q-ASKED").is_empty(),
        "not sent while the buyer's request is open"
    );

    // The seller refuses the request in Quipt: the line is to ship again.
    clock.advance(chrono::Duration::minutes(15));
    let mut order = world.sandbox.quipt.order(&id).unwrap();
    order.lines[0].sub_status = None;
    order.modified_at = world.sandbox.now();
    world.sandbox.quipt.insert_order(order);
    let summary = crate::support::run(&connector, connector::Trigger::Schedule).await;
    assert_eq!(
        summary.created, 1,
        "then it goes to ShipStation: {:?}",
        summary.error
    );
    assert_eq!(world.order("Q-ASKED").order.state.as_str(), "pushed");
}

#[tokio::test]
async fn a_cancellation_request_on_an_order_already_in_shipstation_puts_it_on_hold_there_until_settled()
 {
    let world = World::new(0).await;
    let id = world.add_order("Q-ASKED-LATE", json!({}));
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    crate::support::run(&connector, connector::Trigger::Schedule).await;
    let set_request = |open: bool| {
        let mut order = world.sandbox.quipt.order(&id).unwrap();
        order.lines[0].sub_status = open.then_some(105);
        order.modified_at = world.sandbox.now();
        world.sandbox.quipt.insert_order(order);
    };

    // The buyer asks to cancel a line while the order waits in ShipStation.
    clock.advance(chrono::Duration::minutes(15));
    set_request(true);
    crate::support::run(&connector, connector::Trigger::Schedule).await;
    assert_eq!(
        world.shipstation_order("Q-ASKED-LATE").order_status,
        "on_hold",
        "the warehouse is stopped from shipping what the buyer asked to cancel"
    );
    let held = world.order("Q-ASKED-LATE").order;
    assert_eq!(
        (held.state.as_str(), held.reason_code.map(|c| c.as_str())),
        ("held", Some("cancellation_requested"))
    );

    // The seller refuses the request in Quipt: the order is to ship again.
    clock.advance(chrono::Duration::minutes(15));
    set_request(false);
    let summary = crate::support::run(&connector, connector::Trigger::Schedule).await;
    assert_eq!(summary.updated, 1, "{:?}", summary.error);
    assert_eq!(
        world.shipstation_order("Q-ASKED-LATE").order_status,
        "awaiting_shipment",
        "and ShipStation has it to ship again"
    );
    assert_eq!(world.order("Q-ASKED-LATE").order.state.as_str(), "pushed");
}

#[tokio::test]
async fn html_entities_in_names_are_decoded_not_sent_raw() {
    let world = World::new(0).await;
    world.add_order("Q-ENT", json!({"ShipTo": {"Attention": "Jos&eacute; O&#39;Brien", "StreetLine1": "1 Rue &amp; Co", "City": "Reno", "PostalCode": "89501", "Country": {"ISO": "US"}}}));
    world.sync().await;
    let order = world.shipstation_order("Q-ENT");
    assert_eq!(order.json["shipTo"]["name"], "José O'Brien");
    assert_eq!(order.json["shipTo"]["street1"], "1 Rue & Co");
}

#[tokio::test]
async fn wrong_shipstation_keys_fail_the_run_with_a_clear_reason_and_push_nothing() {
    let world = World::new(0).await;
    world.add_order("Q-KEYS", json!({}));
    let mut credentials = crate::support::demo_credentials();
    credentials.shipstation_api_secret = connector::credentials::Secret::new("wrong");
    let connector =
        connector::Connector::open(world.paths(), world.settings.clone(), &credentials).unwrap();
    let summary = connector
        .sync(connector::RunOptions {
            dry_run: false,
            trigger: connector::Trigger::Cli,
            refresh_reference: true,
        })
        .await
        .unwrap();
    assert_eq!(summary.outcome, connector::RunOutcome::Failed);
    let error = summary
        .error
        .expect("the reason is recorded")
        .to_lowercase();
    assert!(
        error.contains("401") || error.contains("unauthorized"),
        "the reason says the keys were refused: {error}"
    );
    assert!(
        !error.contains("wrong"),
        "the secret never appears in the message"
    );
    assert!(world.sandbox.shipstation.all_orders().is_empty());
}

#[tokio::test]
async fn a_huge_order_number_is_held_and_kept_cut_short_not_whole() {
    let world = World::new(0).await;
    let number = format!("Q-HUGE-{}", "9".repeat(100_000));
    let id = world.add_order(&number, json!({}));
    world.sync().await;
    let held = world
        .connector()
        .order(&id)
        .unwrap()
        .expect("the order is in the history");
    assert_eq!(
        held.order.reason_code,
        Some(connector::ReasonCode::OrderNumberTooLong)
    );
    assert!(
        held.order.order_number.chars().count() <= connector::shown::FIELD_CHARS + 1
            && held.order.order_number.starts_with("Q-HUGE-99")
            && held.order.order_number.ends_with('…'),
        "the history keeps the number cut short, saying so ({} characters)",
        held.order.order_number.len()
    );
}

#[tokio::test]
async fn an_order_quipt_sends_in_a_form_no_one_can_read_is_held_and_the_others_flow_until_quipt_corrects_it()
 {
    let world = World::new(0).await;
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    let pushed = world.add_order("Q-SHIPS-MEANWHILE", json!({}));
    support::run(&connector, Trigger::Schedule).await;

    // A quantity sent as text, on a new order; meanwhile another order ships and new ones come.
    let garbled = world.add_order("Q-GARBLED", json!({}));
    world
        .sandbox
        .quipt
        .garble_order(&garbled, Some(("/Lines/0/Ordered/Value", json!("1"))))
        .unwrap();
    world.add_order("Q-FINE", json!({}));
    world.print_label("Q-SHIPS-MEANWHILE", "TRK-MEANWHILE");
    for run in 1..=3 {
        clock.advance(chrono::Duration::minutes(15));
        let summary = support::run(&connector, Trigger::Schedule).await;
        assert_eq!(
            summary.outcome,
            RunOutcome::Attention,
            "run {run}: one unreadable order does not fail the run: {:?}",
            summary.error
        );
        if run == 1 {
            assert_eq!(
                (summary.created, summary.tracking_reported, summary.held),
                (1, 1, 1),
                "the others flow, the unreadable one is held: {summary:?}"
            );
        }
    }
    let held = world.order("Q-GARBLED");
    assert_eq!(
        (held.order.state.as_str(), held.order.reason_code),
        ("held", Some(ReasonCode::Unreadable))
    );
    let reason = held.order.reason.clone().unwrap_or_default();
    assert!(
        reason.contains("Lines[0].Ordered.Value") && reason.contains("Quipt's support"),
        "the reason says where, and who corrects it: {reason}"
    );
    assert_eq!(
        held.timeline
            .iter()
            .filter(|e| e.kind == TimelineKind::Held)
            .count(),
        1,
        "said once, not every run"
    );
    assert_eq!(
        world.sandbox.quipt.order(&pushed).unwrap().shipments.len(),
        1,
        "the label printed meanwhile reached Quipt"
    );

    // Quipt corrects it: the next run pushes it.
    world.sandbox.quipt.garble_order(&garbled, None).unwrap();
    clock.advance(chrono::Duration::minutes(15));
    let summary = support::run(&connector, Trigger::Schedule).await;
    assert_eq!(summary.created, 1, "{summary:?}");
    assert_eq!(world.order("Q-GARBLED").order.state.as_str(), "pushed");
}

#[tokio::test]
async fn an_unreadable_order_closed_in_quipt_is_no_one_s_to_hold_and_one_without_an_id_is_an_alert()
{
    let world = World::new(0).await;
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    support::run(&connector, Trigger::Schedule).await;
    // Later runs also list Quipt's cancelled orders: one, never ours, arrives garbled.
    let closed = world.add_order("Q-GARBLED-CLOSED", json!({"Status": 16}));
    world
        .sandbox
        .quipt
        .garble_order(&closed, Some(("/Lines/0/Ordered/Value", json!("1"))))
        .unwrap();
    clock.advance(chrono::Duration::minutes(15));
    let summary = support::run(&connector, Trigger::Schedule).await;
    assert_eq!(
        (summary.outcome, summary.held),
        (RunOutcome::Ok, 0),
        "a closed order the history never had is not held: {summary:?}"
    );
    assert!(world.connector().order(&closed).unwrap().is_none());

    // An open one whose Id itself cannot be read cannot be named in the history: an alert.
    let nameless = world.add_order("Q-GARBLED-NAMELESS", json!({}));
    world
        .sandbox
        .quipt
        .garble_order(&nameless, Some(("/Id", json!(42))))
        .unwrap();
    clock.advance(chrono::Duration::minutes(15));
    let summary = support::run(&connector, Trigger::Schedule).await;
    assert_eq!(
        summary.outcome,
        RunOutcome::Attention,
        "the run asks for the operator: {summary:?}"
    );
    assert!(
        summary
            .alerts
            .iter()
            .any(|a| a.contains("Q-GARBLED-NAMELESS") && a.contains("Quipt's support")),
        "the alert names the order as Quipt numbers it: {:?}",
        summary.alerts
    );
}

#[tokio::test]
async fn an_order_cancelled_in_quipt_is_cancelled_in_shipstation_even_when_the_rest_of_it_cannot_be_read()
 {
    let world = World::new(0).await;
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    let id = world.add_order("Q-GARBLED-CANCEL", json!({}));
    support::run(&connector, Trigger::Schedule).await;
    world
        .sandbox
        .quipt
        .cancel_order(&id, "the buyer cancelled")
        .unwrap();
    world
        .sandbox
        .quipt
        .garble_order(&id, Some(("/Lines/0/Ordered/Value", json!("1"))))
        .unwrap();
    clock.advance(chrono::Duration::minutes(15));
    let summary = support::run(&connector, Trigger::Schedule).await;
    assert_eq!(summary.cancelled_in_shipstation, 1, "{summary:?}");
    assert_eq!(
        world.shipstation_order("Q-GARBLED-CANCEL").order_status,
        "cancelled",
        "the warehouse is not left to ship a cancelled order"
    );
    assert_eq!(
        world.order("Q-GARBLED-CANCEL").order.state.as_str(),
        "cancelled"
    );
}

#[tokio::test]
async fn an_order_held_for_its_missing_address_flows_once_quipt_has_the_address() {
    let world = World::new(0).await;
    let id = world.add_order("Q-NOADDR-FIXED", json!({"ShipTo": null}));
    let good = world.add_order("Q-ADDR-SOURCE", json!({}));
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    support::run(&connector, Trigger::Schedule).await;
    assert_eq!(
        world.order("Q-NOADDR-FIXED").order.reason_code,
        Some(ReasonCode::MissingAddress)
    );

    // Someone adds the address in Quipt; the next run sees the order changed and sends it.
    clock.advance(chrono::Duration::minutes(15));
    let address = world.sandbox.quipt.order(&good).unwrap().ship_to;
    world.sandbox.quipt.edit_ship_to(&id, address).unwrap();
    let summary = support::run(&connector, Trigger::Schedule).await;
    assert_eq!(
        (summary.outcome, summary.created, summary.held),
        (RunOutcome::Ok, 1, 0),
        "{:?}",
        summary.error
    );
    let order = world.order("Q-NOADDR-FIXED");
    assert_eq!(
        (order.order.state.as_str(), order.order.reason_code),
        ("pushed", None),
        "released by the fix in Quipt"
    );
    assert!(
        order
            .timeline
            .iter()
            .any(|e| e.kind == TimelineKind::Pushed),
        "{:?}",
        order.timeline
    );
    assert_eq!(
        world.shipstation_order("Q-NOADDR-FIXED").order_status,
        "awaiting_shipment"
    );
}
