//! One scenario per setting value (SPEC §1), each checked in ShipStation's own state.

use connector::settings::{CancelMode, CarrierFamily};
use rstest::rstest;
use serde_json::json;

use connector::{RunOptions, Trigger};

use crate::support::{self, World, demo_credentials};

#[tokio::test]
async fn single_store_mode_sends_every_order_to_one_store_named_by_channel() {
    let mut world = World::new(0).await;
    world.settings.stores.single_store = true;
    world.settings.stores.default_store_id = Some(10000);
    world
        .settings
        .stores
        .channel_names
        .insert("Amazon".into(), "Amazon US".into());
    world.add_order("Q-SINGLE-1", json!({}));
    world.add_order(
        "Q-SINGLE-2",
        json!({"Partner": {"Id": "p-ebay", "Code": "EBAY", "Name": "eBay"}}),
    );
    world.sync().await;
    let amazon = world.shipstation_order("Q-SINGLE-1");
    let ebay = world.shipstation_order("Q-SINGLE-2");
    assert_eq!(
        (amazon.store_id, ebay.store_id),
        (10000, 10000),
        "both orders go to the single store"
    );
    assert_eq!(
        amazon.json["advancedOptions"]["source"], "Amazon US",
        "the channel's store name is the source"
    );
    assert_eq!(
        ebay.json["advancedOptions"]["source"], "eBay",
        "a channel without a name keeps its own name"
    );
}

#[tokio::test]
async fn per_channel_mode_uses_each_channels_store_and_holds_a_channel_without_one() {
    let mut world = World::new(0).await;
    world.settings.stores.channel_store_ids.remove("Shopify");
    world.add_order(
        "Q-CH-EBAY",
        json!({"Partner": {"Id": "p-ebay", "Code": "EBAY", "Name": "eBay"}}),
    );
    world.add_order(
        "Q-CH-SHOP",
        json!({"Partner": {"Id": "p-shop", "Code": "SHOP", "Name": "Shopify"}}),
    );
    world.sync().await;
    assert_eq!(
        world.shipstation_order("Q-CH-EBAY").store_id,
        10002,
        "eBay orders go to the eBay store"
    );
    assert!(
        world.shipstation_orders("Q-CH-SHOP").is_empty(),
        "a channel without a store is never guessed"
    );
    let held = world.order("Q-CH-SHOP").order;
    assert_eq!(held.state.as_str(), "held");
    assert_eq!(
        held.reason_code.map(|c| c.as_str()),
        Some("no_store_for_channel")
    );
}

#[rstest]
#[case(false)]
#[case(true)]
#[tokio::test]
async fn pending_orders_are_pushed_as_awaiting_payment_only_when_asked(
    #[case] push_validating: bool,
) {
    let mut world = World::new(0).await;
    world.settings.orders.push_validating = push_validating;
    let id = world.add_order("Q-PENDING", json!({"Status": 2}));
    world.sync().await;
    let found = world.shipstation_orders("Q-PENDING");
    if push_validating {
        assert_eq!(
            found.len(),
            1,
            "a validating order is pushed when pending orders are on"
        );
        assert_eq!(
            found[0].order_status, "awaiting_payment",
            "not yet shippable"
        );
    } else {
        assert!(
            found.is_empty(),
            "a validating order waits when pending orders are off"
        );
    }
    world
        .sandbox
        .quipt
        .clear_validation(&id)
        .expect("Quipt clears the order");
    world.sync().await;
    assert_eq!(
        world.shipstation_order("Q-PENDING").order_status,
        "awaiting_shipment",
        "once cleared it is shipment-ready in ShipStation"
    );
}

#[rstest]
#[case(CarrierFamily::Ups, "ups_ground", "ups")]
#[case(CarrierFamily::Fedex, "fedex_ground", "fedex")]
#[case(CarrierFamily::Usps, "usps_priority_mail", "stamps_com")]
#[case(CarrierFamily::Dhl, "dhl_express_worldwide", "dhl_express_worldwide")]
#[tokio::test]
async fn an_order_without_carrier_gets_the_preferred_carrier_of_the_account(
    #[case] preferred: CarrierFamily,
    #[case] service: &str,
    #[case] account_code: &str,
) {
    let mut world = World::new(0).await;
    world.settings.carrier.preferred = preferred;
    world.settings.carrier.default_service = service.into();
    world.add_order("Q-NOCARRIER", json!({"RequestedCarrierMethod": null}));
    world.sync().await;
    let order = world.shipstation_order("Q-NOCARRIER");
    assert_eq!(
        order.json["carrierCode"], account_code,
        "the account's own carrier code is used"
    );
    assert_eq!(
        order.json["serviceCode"], service,
        "with the default service"
    );
    let timeline = world.order("Q-NOCARRIER").timeline;
    assert!(
        timeline
            .iter()
            .any(|e| e.message.contains("default carrier")),
        "the assignment is recorded"
    );
}

#[tokio::test]
async fn with_default_assignment_off_an_order_without_carrier_is_held() {
    let mut world = World::new(0).await;
    world.settings.carrier.assign_default = false;
    world.add_order("Q-NOCARRIER-OFF", json!({"RequestedCarrierMethod": null}));
    world.add_order("Q-WITH-CARRIER", json!({}));
    world.sync().await;
    assert!(world.shipstation_orders("Q-NOCARRIER-OFF").is_empty());
    assert_eq!(
        world.order("Q-NOCARRIER-OFF").order.reason.as_deref(),
        Some("no carrier/service and default carrier assignment is off")
    );
    assert_eq!(
        world.shipstation_order("Q-WITH-CARRIER").json["carrierCode"],
        "ups",
        "orders with a carrier still flow"
    );
}

#[rstest]
#[case(true, "stamps_com", "usps_priority_mail")]
#[case(false, "fedex", "fedex_2day")]
#[tokio::test]
async fn a_usps_request_is_kept_or_substituted_by_usps_support(
    #[case] usps_supported: bool,
    #[case] carrier: &str,
    #[case] service: &str,
) {
    let mut world = World::new(0).await;
    world.settings.carrier.usps_supported = usps_supported;
    world.settings.carrier.preferred = CarrierFamily::Fedex;
    world.settings.carrier.default_service = "fedex_2day".into();
    world.add_order("Q-USPS", json!({"RequestedCarrierMethod": {"Code": "USPS_PRIORITY_MAIL", "Name": "USPS Priority", "Carrier": {"Code": "USPS"}}}));
    world.sync().await;
    let order = world.shipstation_order("Q-USPS");
    assert_eq!(
        (
            order.json["carrierCode"].as_str(),
            order.json["serviceCode"].as_str()
        ),
        (Some(carrier), Some(service))
    );
    let substituted = world
        .order("Q-USPS")
        .timeline
        .iter()
        .any(|e| e.message.contains("substituted"));
    assert_eq!(
        substituted, !usps_supported,
        "a substitution is recorded only when USPS is unsupported"
    );
}

#[tokio::test]
async fn a_service_shipstation_does_not_know_goes_without_one_and_the_timeline_says_so() {
    let world = World::new(0).await;
    world.add_order("Q-USPS-ODD", json!({"RequestedCarrierMethod": {"Code": "USPS_PRIORITY", "Name": "USPS Priority", "Carrier": {"Code": "USPS"}}}));
    world.sync().await;
    let order = world.shipstation_order("Q-USPS-ODD");
    assert_eq!(
        (
            order.json["carrierCode"].as_str(),
            order.json["serviceCode"].as_str()
        ),
        (Some("stamps_com"), None),
        "the requested carrier, no service"
    );
    assert!(
        world.order("Q-USPS-ODD").timeline.iter().any(|e| e
            .message
            .contains("service USPS_PRIORITY requested is not one of")),
        "the timeline says the service is to be chosen in ShipStation"
    );
}

#[tokio::test]
async fn orders_of_an_unmatched_warehouse_are_held_and_matched_ones_carry_the_warehouse_id() {
    let world = World::new(0).await;
    world.add_order(
        "Q-WH-MATCH",
        json!({"Warehouse": {"Id": "w-col", "Code": "98766", "DisplayName": "Columbus DC"}}),
    );
    world.add_order(
        "Q-WH-NONE",
        json!({"Warehouse": {"Id": "w-ovf", "Code": "55555", "DisplayName": "Overflow"}}),
    );
    world.sync().await;
    assert_eq!(
        world.shipstation_order("Q-WH-MATCH").json["advancedOptions"]["warehouseId"],
        98766
    );
    let held = world.order("Q-WH-NONE").order;
    assert_eq!(
        held.reason_code.map(|c| c.as_str()),
        Some("unmatched_warehouse"),
        "unmatched warehouse holds the order"
    );
    assert!(
        held.reason.unwrap().contains("55555"),
        "the reason names the code"
    );
}

#[rstest]
#[case(CancelMode::Soft)]
#[case(CancelMode::Hard)]
#[tokio::test]
async fn a_cancellation_in_shipstation_applies_the_cancel_mode_in_quipt(#[case] mode: CancelMode) {
    let mut world = World::new(0).await;
    world.settings.cancel.mode = mode;
    let id = world.add_order("Q-CANCEL", json!({}));
    world.sync().await;
    let ss = world.shipstation_order("Q-CANCEL");
    world
        .sandbox
        .shipstation
        .cancel_order(ss.order_id)
        .expect("the user cancels in ShipStation");
    let summary = world.sync().await;
    assert_eq!(summary.cancelled_in_quipt, 1);
    let quipt = world.sandbox.quipt.order(&id).unwrap();
    match mode {
        CancelMode::Soft => {
            assert_eq!(quipt.status, 4, "soft cancel keeps the order open in Quipt");
            assert!(
                quipt.lines.iter().all(|l| l.sub_status == Some(95)),
                "lines show Cancelled By Warehouse"
            );
        }
        CancelMode::Hard => {
            assert_eq!(quipt.status, 16, "hard cancel cancels the order (refund)");
        }
    }
    assert_eq!(world.order("Q-CANCEL").order.state.as_str(), "cancelled");
    let again = world.sync().await;
    assert_eq!(
        again.cancelled_in_quipt, 0,
        "a cancellation is applied once"
    );
}

#[rstest]
#[case(CancelMode::Soft)]
#[case(CancelMode::Hard)]
#[tokio::test]
async fn an_order_quipt_shipped_another_way_and_then_cancelled_in_shipstation_is_a_conflict(
    #[case] mode: CancelMode,
) {
    let mut world = World::new(0).await;
    world.settings.cancel.mode = mode;
    let id = world.add_order("Q-SHIPPED-ELSEWHERE", json!({}));
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    crate::support::run(&connector, Trigger::Schedule).await;
    world.ship_elsewhere(&clock, &id, "ELSEWHERE-2").await;
    let ss = world.shipstation_order("Q-SHIPPED-ELSEWHERE");
    world
        .sandbox
        .shipstation
        .cancel_order(ss.order_id)
        .expect("the user cancels in ShipStation");
    clock.advance(chrono::Duration::minutes(15));
    let summary = crate::support::run(&connector, Trigger::Schedule).await;
    assert_eq!(
        summary.cancelled_in_quipt, 0,
        "{mode:?}: nothing was cancelled in Quipt, so nothing is counted as cancelled there"
    );
    let detail = world.order("Q-SHIPPED-ELSEWHERE");
    assert_eq!(
        detail.order.state.as_str(),
        "conflict",
        "{mode:?}: the operator is asked to settle it: {:?}",
        detail.order.reason
    );
    assert!(
        detail
            .order
            .reason
            .as_deref()
            .is_some_and(|r| r.contains("already shipped in Quipt")),
        "{mode:?}: and told why: {:?}",
        detail.order.reason
    );
    assert_eq!(
        world.soft_cancels(&id),
        None,
        "{mode:?}: no soft cancel was sent"
    );
}

#[tokio::test]
async fn orders_held_for_a_setting_are_all_planned_again_on_the_first_run_after_the_settings_file_changes()
 {
    let world = World::new(0).await;
    // More held orders than a run re-reads one by one, last changed in Quipt long before the run,
    // so that only a new reading of the settings can bring them back.
    let an_hour_ago = (chrono::Utc::now() - chrono::Duration::hours(1)).to_rfc3339();
    for i in 0..120 {
        world.add_order(
            &format!("Q-WAL-{i}"),
            json!({"Partner": {"Id": "p-wal", "Code": "WAL", "Name": "Walmart"}, "ModifiedAt": an_hour_ago}),
        );
    }
    world.add_order(
        "Q-WAL-NOSTREET",
        json!({"Partner": {"Id": "p-wal", "Code": "WAL", "Name": "Walmart"}, "ModifiedAt": an_hour_ago,
               "ShipTo": {"Attention": "Ada", "City": "Reno", "Country": {"ISO": "US"}}}),
    );
    world.add_order("Q-AMZ-NEW", json!({}));
    world.settings.save(&world.paths().config_file).unwrap();
    // The app and the daemon open the engine once and keep it.
    let engine = connector::Connector::from_settings_file(world.paths(), &demo_credentials())
        .expect("the engine opens on the settings file");
    let run = RunOptions {
        dry_run: false,
        trigger: Trigger::Schedule,
        refresh_reference: false,
    };
    let first = engine.sync(run).await.unwrap();
    assert_eq!(
        (first.created, first.held),
        (1, 121),
        "a channel without a store holds its orders"
    );

    // The operator gives the channel a store in the settings file (an editor, or the app's Settings).
    let mut settings = world.settings.clone();
    settings
        .stores
        .channel_store_ids
        .insert("Walmart".into(), 10001);
    settings.save(&world.paths().config_file).unwrap();

    let second = engine.sync(run).await.unwrap();
    assert_eq!(
        (second.created, second.held),
        (120, 1),
        "every order held for the setting is planned again on the first run after the change \
         (the one without a street is now held for that)"
    );
    let released = world.order("Q-WAL-7");
    assert_eq!(released.order.state.as_str(), "pushed");
    assert!(
        released
            .timeline
            .iter()
            .any(|e| e.kind == connector::TimelineKind::Released
                && e.message == "released: the settings or ShipStation's stores, warehouses or carriers changed"),
        "the timeline says why it moved: {:?}",
        released.timeline
    );
    let own_data = world.order("Q-WAL-NOSTREET");
    assert_eq!(
        (
            own_data.order.state.as_str(),
            own_data.order.reason_code.map(|c| c.as_str())
        ),
        ("held", Some("missing_address")),
        "an order with its own problem is held for it, and waits for Quipt to change it"
    );

    let third = engine.sync(run).await.unwrap();
    assert_eq!(
        (third.created, third.held, third.updated),
        (0, 0, 0),
        "the next run has nothing left to release"
    );
}

/// A change in ShipStation's account, the settings untouched.
#[derive(Debug, Clone, Copy)]
enum InShipStation {
    StoreReactivated,
    CarrierConnectedAgain,
}

#[rstest]
#[case::its_store_is_active_again(InShipStation::StoreReactivated)]
#[case::its_carrier_is_connected_again(InShipStation::CarrierConnectedAgain)]
#[tokio::test]
async fn orders_held_for_shipstation_s_account_are_released_when_only_the_account_changes(
    #[case] change: InShipStation,
) {
    let world = World::new(0).await;
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    let connected = world.sandbox.shipstation.carriers();
    let (order, reason) = match change {
        InShipStation::StoreReactivated => {
            world
                .sandbox
                .shipstation
                .set_store_active(10003, false)
                .expect("the Shopify store exists");
            (
                json!({"Partner": {"Id": "p-shp", "Code": "SHP", "Name": "Shopify"}}),
                "store_inactive",
            )
        }
        InShipStation::CarrierConnectedAgain => {
            assert!(
                world.sandbox.shipstation.remove_carrier("fedex"),
                "FedEx was connected"
            );
            (
                json!({"RequestedCarrierMethod": {"Code": "FEDEX_GROUND", "Name": "FedEx Ground",
                       "Carrier": {"Code": "FEDEX", "Name": "FedEx"}}}),
                "carrier_not_connected",
            )
        }
    };
    world.add_order("Q-ACCOUNT-HELD", order);
    support::run(&connector, Trigger::Schedule).await;
    let held = world.order("Q-ACCOUNT-HELD").order;
    assert_eq!(
        (held.state.as_str(), held.reason_code.map(|c| c.as_str())),
        ("held", Some(reason)),
        "{change:?}: held for the account's side"
    );

    match change {
        InShipStation::StoreReactivated => world
            .sandbox
            .shipstation
            .set_store_active(10003, true)
            .unwrap(),
        InShipStation::CarrierConnectedAgain => world.sandbox.shipstation.set_carriers(connected),
    }
    // The reference data is read again on its hourly cadence; nothing changed in Quipt.
    clock.advance(chrono::Duration::minutes(61));
    let summary = support::run(&connector, Trigger::Schedule).await;
    assert_eq!(
        summary.created, 1,
        "{change:?}: the held order is pushed: {summary:?}"
    );
    assert_released(&world, "Q-ACCOUNT-HELD");
}

/// What an operator checks of a released order: in ShipStation, and its timeline says why.
fn assert_released(world: &World, number: &str) {
    let released = world.order(number);
    assert_eq!(
        released.order.state.as_str(),
        "pushed",
        "{number} is pushed"
    );
    world.shipstation_order(number);
    assert!(
        released
            .timeline
            .iter()
            .any(|e| e.kind == connector::TimelineKind::Released),
        "{number}: the timeline says why it moved: {:?}",
        released.timeline
    );
}

#[tokio::test]
async fn orders_held_for_a_store_reactivated_are_released_although_the_data_was_read_again_in_the_middle_of_a_run()
 {
    let world = World::new(0).await;
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    world
        .sandbox
        .shipstation
        .set_store_active(10003, false)
        .expect("the Shopify store exists");
    world.add_order(
        "Q-SHOPIFY-HELD",
        json!({"Partner": {"Id": "p-shp", "Code": "SHP", "Name": "Shopify"}}),
    );
    // Orders changed later in Quipt move pass 2's cursor past the held one (and its overlap): only
    // a release reads it again.
    clock.advance(chrono::Duration::minutes(10));
    world.add_order("Q-AMAZON-LATER", json!({}));
    support::run(&connector, Trigger::Schedule).await;
    assert_eq!(
        world.order("Q-SHOPIFY-HELD").order.reason_code,
        Some(connector::ReasonCode::StoreInactive)
    );

    // 20 minutes later the operator reactivates the store; 10 minutes later, with the cached data
    // still fresh, an order of a warehouse ShipStation does not know has the run read it again.
    clock.advance(chrono::Duration::minutes(20));
    world
        .sandbox
        .shipstation
        .set_store_active(10003, true)
        .unwrap();
    clock.advance(chrono::Duration::minutes(10));
    world.add_order(
        "Q-ODD-WAREHOUSE",
        json!({"Warehouse": {"Id": "w-odd", "Code": "11111", "DisplayName": "Odd DC"}}),
    );
    world.sandbox.shipstation.reset_stats();
    support::run(&connector, Trigger::Schedule).await;
    assert_eq!(
        world
            .sandbox
            .shipstation
            .stats()
            .per_endpoint
            .get("GET /stores"),
        Some(&1),
        "the unknown warehouse has the run read ShipStation's data again"
    );
    assert_eq!(
        world.order("Q-ODD-WAREHOUSE").order.reason_code,
        Some(connector::ReasonCode::UnmatchedWarehouse)
    );

    // The next runs, with that data still fresh.
    for _ in 0..2 {
        clock.advance(chrono::Duration::minutes(15));
        support::run(&connector, Trigger::Schedule).await;
    }
    assert_released(&world, "Q-SHOPIFY-HELD");
    assert_eq!(
        world.shipstation_order("Q-SHOPIFY-HELD").store_id,
        10003,
        "in the reactivated store"
    );
}

#[tokio::test]
async fn an_order_already_in_shipstation_is_not_held_when_its_store_is_deactivated_and_its_change_is_sent_once_the_store_is_back()
 {
    let world = World::new(0).await;
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    let shopify = json!({"Partner": {"Id": "p-shp", "Code": "SHP", "Name": "Shopify"}});
    let id = world.add_order("Q-SHOPIFY-IN", shopify.clone());
    support::run(&connector, Trigger::Schedule).await;
    assert_eq!(world.order("Q-SHOPIFY-IN").order.state.as_str(), "pushed");

    // The store is deactivated; the reference data is read again on its hourly cadence, and the
    // order is changed in Quipt, as is a new order of the same channel.
    world
        .sandbox
        .shipstation
        .set_store_active(10003, false)
        .expect("the Shopify store exists");
    clock.advance(chrono::Duration::minutes(61));
    world.change_city(&id, "Sparks");
    world.add_order("Q-SHOPIFY-NEW", shopify);
    let during = support::run(&connector, Trigger::Schedule).await;
    assert_eq!(
        during.updated, 0,
        "the change waits for the store: {during:?}"
    );

    let pushed = world.order("Q-SHOPIFY-IN");
    assert_eq!(
        pushed.order.state.as_str(),
        "pushed",
        "the order ShipStation has is not shown held (not pushed)"
    );
    assert!(
        pushed
            .order
            .reason
            .as_deref()
            .is_some_and(|r| r.contains("10003")),
        "its reason says what its change waits for: {:?}",
        pushed.order.reason
    );
    assert!(
        pushed.timeline.iter().any(|e| {
            e.kind == connector::TimelineKind::UpdateNotSent && e.message.contains("10003")
        }),
        "its timeline says the change was not sent, and why: {:#?}",
        pushed.timeline
    );
    let copy = world.shipstation_order("Q-SHOPIFY-IN");
    assert_eq!(copy.order_status, "awaiting_shipment", "left as it is");
    assert_eq!(
        world.order("Q-SHOPIFY-NEW").order.reason_code,
        Some(connector::ReasonCode::StoreInactive),
        "a new order of the channel is held for the store"
    );

    // Runs go by while the store stays inactive; orders changed later move the listing's window
    // past the one that waits, and it is not said again.
    for run in 0..2 {
        clock.advance(chrono::Duration::minutes(15));
        world.add_order(&format!("Q-AMAZON-LATER-{run}"), json!({}));
        support::run(&connector, Trigger::Schedule).await;
    }
    let said = world
        .order("Q-SHOPIFY-IN")
        .timeline
        .iter()
        .filter(|e| e.kind == connector::TimelineKind::UpdateNotSent)
        .count();
    assert_eq!(said, 1, "the waiting change is said once");

    // The store is active again: the next refresh sends the change that waited, once.
    world
        .sandbox
        .shipstation
        .set_store_active(10003, true)
        .unwrap();
    clock.advance(chrono::Duration::minutes(61));
    let after = support::run(&connector, Trigger::Schedule).await;
    assert_eq!(
        (after.updated, after.created),
        (1, 1),
        "the change that waited is sent, the new order created: {after:?}"
    );
    let sent = world.shipstation_order("Q-SHOPIFY-IN");
    assert_eq!(
        (sent.json["shipTo"]["city"].as_str(), sent.writes),
        (Some("Sparks"), copy.writes + 1),
        "ShipStation has the change, sent once"
    );
    assert_eq!(
        world.order("Q-SHOPIFY-IN").order.reason,
        None,
        "nothing waits any more"
    );
    clock.advance(chrono::Duration::minutes(15));
    let next = support::run(&connector, Trigger::Schedule).await;
    assert_eq!(next.updated, 0, "sent once: {next:?}");
}

#[tokio::test]
async fn turning_pending_orders_on_pushes_those_already_waiting_not_only_the_new_ones() {
    let mut world = World::new(0).await;
    let clock = world.clock();
    world.add_order("Q-WAITING-1", json!({"Status": 2}));
    world.add_order("Q-WAITING-2", json!({"Status": 2}));
    world.add_order("Q-READY", json!({}));
    let before = world.connector_on(&clock);
    support::run(&before, Trigger::Schedule).await;
    // Runs go by, and orders changed later move the listing's window past the waiting ones.
    for run in 0..2 {
        clock.advance(chrono::Duration::minutes(15));
        world.add_order(&format!("Q-LATER-{run}"), json!({}));
        support::run(&before, Trigger::Schedule).await;
    }
    assert!(world.shipstation_orders("Q-WAITING-1").is_empty());

    // The operator turns pending orders on.
    world.settings.orders.push_validating = true;
    let after = world.connector_on(&clock);
    clock.advance(chrono::Duration::minutes(15));
    let summary = support::run(&after, Trigger::Schedule).await;
    assert_eq!(summary.created, 2, "{summary:?}");
    for number in ["Q-WAITING-1", "Q-WAITING-2"] {
        assert_eq!(
            world.shipstation_order(number).order_status,
            "awaiting_payment",
            "{number}, waiting before the change, is pushed, as not yet shippable"
        );
    }
    assert_eq!(
        world.shipstation_orders("Q-READY").len(),
        1,
        "the order pushed before is not pushed again"
    );
    clock.advance(chrono::Duration::minutes(15));
    let next = support::run(&after, Trigger::Schedule).await;
    assert_eq!(next.created, 0, "pushed once: {next:?}");
}
