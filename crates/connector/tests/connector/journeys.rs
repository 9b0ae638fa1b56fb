use std::collections::HashMap;

use connector::clock::Clock;

use crate::support::World;

#[tokio::test]
async fn a_first_sync_pushes_each_ready_order_once_and_holds_the_rest_with_reasons() {
    let world = World::new(200).await;
    let summary = world.sync().await;
    assert_ne!(
        summary.outcome,
        connector::RunOutcome::Failed,
        "the run completes: {:?}",
        summary.error
    );

    let quipt_orders = world.sandbox.quipt.orders();
    let ss_orders = world.sandbox.shipstation.all_orders();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for o in &ss_orders {
        *by_key.entry(o.order_key.clone()).or_default() += 1;
    }
    assert!(
        by_key.values().all(|&n| n == 1),
        "no order is duplicated in ShipStation"
    );

    let connector = world.connector();
    for order in quipt_orders.iter().filter(|o| o.status == 4) {
        let in_ss = by_key.contains_key(&format!("quipt-{}", order.id));
        let row = connector.order(&order.id).unwrap();
        match row {
            Some(detail) if detail.order.state.as_str() == "held" => {
                assert!(!in_ss, "held order {} is not pushed", order.order_number);
                assert!(
                    detail
                        .order
                        .reason
                        .as_deref()
                        .is_some_and(|r| !r.is_empty()),
                    "held order {} has a reason",
                    order.order_number
                );
            }
            Some(detail) => assert!(
                in_ss,
                "order {} ({}) reached ShipStation",
                order.order_number,
                detail.order.state.as_str()
            ),
            None => panic!(
                "ready order {} is neither pushed nor held: skipped silently",
                order.order_number
            ),
        }
    }
    assert!(
        summary.created > 100,
        "most demo orders are pushed (created {})",
        summary.created
    );
    assert!(
        summary.held >= 6,
        "the malformed and unmatched orders are held (held {})",
        summary.held
    );
    assert_eq!(summary.rate_limited, 0, "no 429 as the key's only user");
    assert!(
        summary.shipstation_calls < 20,
        "bulk pushes: {} ShipStation calls for {} orders",
        summary.shipstation_calls,
        summary.created
    );
}

#[tokio::test]
async fn a_second_run_with_nothing_changed_writes_nothing_to_either_api() {
    let world = World::new(60).await;
    world.sync().await;
    world.sync().await; // reads back the acknowledgements of the first run
    world.sandbox.shipstation.reset_stats();
    world.sandbox.quipt.reset_stats();
    let summary = world.sync().await;
    assert_eq!(
        (
            summary.created,
            summary.updated,
            summary.acknowledged,
            summary.tracking_reported
        ),
        (0, 0, 0, 0),
        "nothing changed"
    );
    let ss = world.sandbox.shipstation.stats();
    let quipt = world.sandbox.quipt.stats();
    let writes = ss
        .per_endpoint
        .iter()
        .chain(quipt.by_endpoint.iter())
        .filter(|(k, _)| !k.starts_with("GET"))
        .map(|(_, n)| n)
        .sum::<u64>();
    assert_eq!(
        writes, 0,
        "an idle run makes no write call: {:?} {:?}",
        ss.per_endpoint, quipt.by_endpoint
    );
    assert!(
        ss.total + quipt.total <= 5,
        "an idle run costs at most 5 calls (Quipt orders, ShipStation orders, shipments, fulfilments, voided shipments), made {} + {}",
        ss.total,
        quipt.total
    );
}

#[tokio::test]
async fn a_dry_run_previews_and_writes_nothing() {
    let world = World::new(0).await;
    world.add_order("Q-DRY-1", serde_json::json!({}));
    world.add_order(
        "Q-DRY-2",
        serde_json::json!({"Warehouse": {"Id": "w-x", "Code": "55555", "DisplayName": "Overflow"}}),
    );
    let summary = world.dry_run().await;
    assert!(
        world.sandbox.shipstation.all_orders().is_empty(),
        "a dry run creates nothing in ShipStation"
    );
    let actions: Vec<(&str, &str)> = summary
        .preview
        .iter()
        .map(|p| (p.order_number.as_str(), p.action.as_str()))
        .collect();
    assert!(
        actions.contains(&("Q-DRY-1", "create")),
        "the preview says Q-DRY-1 would be created: {actions:?}"
    );
    assert!(
        actions.contains(&("Q-DRY-2", "hold")),
        "the preview says Q-DRY-2 would be held: {actions:?}"
    );
    assert!(
        world.connector().runs(10).unwrap().is_empty(),
        "a dry run records no run"
    );
}

#[tokio::test]
async fn a_changed_order_is_updated_in_place_not_duplicated() {
    let world = World::new(0).await;
    let id = world.add_order("Q-UPD-1", serde_json::json!({}));
    world.sync().await;
    let address = serde_json::from_value(serde_json::json!({"StreetLine1": "2 Difference Engine Rd", "City": "Reno", "PostalCode": "89502",
        "Attention": "Ada Lovelace", "Country": {"ISO": "US"}})).expect("an address");
    world
        .sandbox
        .quipt
        .edit_ship_to(&id, Some(address))
        .expect("the address changes");
    let summary = world.sync().await;
    assert_eq!(summary.updated, 1, "the changed order is re-sent");
    let order = world.shipstation_order("Q-UPD-1");
    assert_eq!(
        order.json["shipTo"]["street1"], "2 Difference Engine Rd",
        "ShipStation has the new address"
    );
}

#[tokio::test]
async fn a_dry_run_counts_every_order_it_plans_and_says_how_many_it_did_not_list() {
    let world = World::new(200).await;
    let dry = world.dry_run().await;
    let planned = dry.created
        + dry.updated
        + dry.held
        + dry.cancelled_in_shipstation
        + dry.held_in_shipstation;
    assert!(
        dry.created > 100,
        "the demo's ready orders would be created, and the summary says so: {dry:?}"
    );
    assert_eq!(
        dry.preview.len(),
        connector::summary::PREVIEW_LIMIT,
        "the list is cut at its limit"
    );
    assert_eq!(
        dry.preview.len() as u64 + dry.preview_more,
        planned,
        "every order counted is listed or counted among the ones not listed"
    );
    let listed_creates = dry
        .preview
        .iter()
        .filter(|p| p.action == connector::summary::PreviewAction::Create)
        .count() as u64;
    assert!(
        listed_creates <= dry.created && listed_creates > 0,
        "the counts cover the listed orders"
    );

    let real = world.sync().await;
    assert_eq!(
        (real.created, real.updated, real.held),
        (dry.created, dry.updated, dry.held),
        "the dry run counted what the run then did"
    );
}

#[tokio::test]
async fn looking_up_an_order_number_opens_that_order_not_a_longer_one_changed_since() {
    let world = World::new(0).await;
    world.add_order("1001", serde_json::json!({}));
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    crate::support::run(&connector, connector::Trigger::Cli).await;
    clock.advance(chrono::Duration::minutes(15));
    world.add_order("10012", serde_json::json!({}));
    crate::support::run(&connector, connector::Trigger::Cli).await;
    clock.advance(chrono::Duration::minutes(15));
    let shipped_at = clock.now();
    world.print_label("10012", "LATER-TRK-1");
    crate::support::run(&connector, connector::Trigger::Cli).await;

    let found = connector
        .order("1001")
        .unwrap()
        .expect("the order is found by its number");
    assert_eq!(
        found.order.order_number, "1001",
        "the exact number comes first, though 10012 (which starts with it) shipped since"
    );
    // The order numbers the History list shows for a filter.
    let numbers = |filter: connector::store::orders::OrderFilter| -> Vec<String> {
        connector
            .orders(&filter)
            .unwrap()
            .into_iter()
            .map(|o| o.order_number)
            .collect()
    };
    let listed = numbers(connector::store::orders::OrderFilter {
        search: Some("1001".into()),
        ..Default::default()
    });
    assert_eq!(
        listed,
        ["1001", "10012"],
        "the History search lists the exact match first, then the numbers starting with it"
    );

    let ss_id = world.shipstation_order("1001").order_id;
    let by_ss_id = connector.order(&ss_id.to_string()).unwrap();
    assert_eq!(
        by_ss_id.map(|d| d.order.order_number).as_deref(),
        Some("1001"),
        "ShipStation's order id {ss_id} finds the order too"
    );
    // "Changed since", as the History screen sends it: an instant in RFC 3339 with milliseconds.
    let since = shipped_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let changed = numbers(connector::store::orders::OrderFilter {
        since: Some(since.clone()),
        ..Default::default()
    });
    assert_eq!(
        changed,
        ["10012"],
        "only the order that shipped after {since} changed since then"
    );
}
