//! Properties of the mapping (`mapping::decide`, `content_hash`, the `orderKey` rule) over generated
//! Quipt orders: whatever Quipt sends, the connector either pushes a body ShipStation can take,
//! holds the order with a reason, or leaves it, and it decides the same way every time.

use connector::mapping::{self, Decision, HoldReason};
use connector::reference::{CarrierRef, Reference, ServiceRef, StoreRef, WarehouseRef};
use proptest::prelude::*;
use serde_json::{Value, json};

/// The demo account's wizard answers: one store per channel, UPS preferred with a default
/// service, both matched warehouses.
fn demo_settings() -> connector::Settings {
    connector::Settings::parse(
        r#"
[quipt]
api_user_email = "demo-api@example.com"
[stores]
single_store = false
[stores.channel_store_ids]
"Amazon" = 10001
"eBay" = 10002
"Shopify" = 10003
[orders]
push_validating = false
[carrier]
preferred = "ups"
default_service = "ups_ground"
assign_default = true
usps_supported = true
[cancel]
mode = "soft"
[warehouses]
codes = ["98765", "98766"]
"#,
        std::path::Path::new("settings.toml"),
    )
    .expect("the demo settings are valid")
}

/// The demo account's reference data: one active store per channel, the two matched warehouses,
/// the four carriers.
fn reference() -> Reference {
    let carrier = |code: &str, service: &str| CarrierRef {
        code: code.into(),
        name: code.into(),
        primary: true,
        services: vec![ServiceRef {
            code: service.into(),
            name: service.into(),
        }],
    };
    Reference {
        stores: [10001, 10002, 10003]
            .map(|id| StoreRef {
                id,
                name: format!("store {id}"),
                active: true,
            })
            .to_vec(),
        warehouses: [98765, 98766]
            .map(|id| WarehouseRef {
                id,
                name: format!("warehouse {id}"),
            })
            .to_vec(),
        carriers: vec![
            carrier("ups", "ups_ground"),
            carrier("fedex", "fedex_ground"),
            carrier("stamps_com", "usps_priority_mail"),
            carrier("dhl_express_worldwide", "dhl_express_worldwide"),
        ],
    }
}

/// An order date as Quipt could send it: a recent one as often as any instant chrono can hold
/// (signed years of five and six digits, and chrono's first and last day, included).
fn ordered_at() -> impl Strategy<Value = String> {
    use chrono::{DateTime, SecondsFormat, Utc};
    let (min, max) = (
        DateTime::<Utc>::MIN_UTC.timestamp(),
        DateTime::<Utc>::MAX_UTC.timestamp(),
    );
    let day = 86_400;
    prop_oneof![
        1_500_000_000i64..1_900_000_000,
        min..=max,
        min..min + day,
        max - day..=max,
    ]
    .prop_map(|secs| {
        DateTime::<Utc>::from_timestamp(secs, 0)
            .expect("within chrono's range")
            .to_rfc3339_opts(SecondsFormat::Secs, true)
    })
}

/// A Quipt order as the API could send it: any status, channel, warehouse, address gaps, carrier
/// requests, lines and order date, including the awkward ones.
fn quipt_order() -> impl Strategy<Value = Value> {
    let status = prop::sample::select(vec![2, 4, 8, 16]);
    let warehouse = prop::option::of(prop::sample::select(vec![
        "98765", "98766", "11111", " 98765 ",
    ]));
    let partner = prop::option::of(prop::sample::select(vec![
        ("AMZ", "Amazon"),
        ("EBAY", "eBay"),
        ("SHOP", "Shopify"),
        ("ETSY", "Etsy"),
    ]));
    let carrier = prop::option::of(prop::sample::select(vec![
        ("UPS", "UPS_GROUND"),
        ("FEDEX", "FEDEX_GROUND"),
        ("USPS", "USPS_PRIORITY"),
        ("DHL", "DHL_EXPRESS"),
        ("ACME", "ACME_FAST"),
    ]));
    let line = (
        0u32..5,
        0u32..5,
        0.0f64..200.0,
        prop::option::of(0.0f64..20.0),
    );
    (
        "[0-9a-f]{8}",
        "[A-Z0-9-]{1,60}",
        status,
        warehouse,
        partner,
        carrier,
        prop::collection::vec(line, 0..4),
        prop::sample::select(vec!["US", "CA", "XX", ""]),
        prop::option::of("[A-Za-z &;0-9]{0,20}"),
        ordered_at(),
    )
        .prop_map(
            |(id, number, status, warehouse, partner, carrier, lines, country, street, ordered_at)| {
                json!({
                    "Id": id,
                    "OrderNumber": number,
                    "Status": status,
                    "Partner": partner.map(|(code, name)| json!({"Id": "p", "Code": code, "Name": name})),
                    "PartnerOrderNumber": "P-1",
                    "Warehouse": warehouse.map(|code| json!({"Id": "w", "Code": code, "DisplayName": "DC"})),
                    "ShipTo": {
                        "Attention": "Ada", "StreetLine1": street, "City": "Reno", "State": "NV",
                        "PostalCode": "89501", "Country": {"ISO": country, "ISO3": null, "Name": null}
                    },
                    "RequestedCarrierMethod": carrier.map(|(c, m)| json!({"Code": m, "Name": m, "Carrier": {"Code": c, "Name": c}})),
                    "OrderedAt": ordered_at,
                    "ModifiedAt": "2024-05-01T12:00:00Z",
                    "Lines": lines.iter().enumerate().map(|(n, (ordered, canceled, price, tax))| json!({
                        "Id": format!("L{n}"), "LineNumber": n + 1, "Title": "Mug",
                        "Item": {"SKU": format!("SKU-{n}"), "Title": "Mug"},
                        "Ordered": {"Units": 0, "Value": ordered},
                        "Canceled": {"Units": 0, "Value": (*canceled).min(*ordered)},
                        "Price": {"Units": 0, "Value": price},
                        "Tax": tax.map(|t| json!({"Units": 0, "Value": t}))
                    })).collect::<Vec<_>>()
                })
            },
        )
}

fn parse(order: &Value) -> quipt::Order {
    serde_json::from_value(order.clone()).expect("the generated order is valid Quipt JSON")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn every_order_is_pushed_with_a_complete_body_or_held_with_a_reason_or_left(
        json in quipt_order(),
        push_validating in any::<bool>(),
    ) {
        let mut settings = demo_settings();
        settings.orders.push_validating = push_validating;
        let order = parse(&json);
        match mapping::decide(&order, &settings, &reference()) {
            Decision::Push { body, .. } => {
                prop_assert_eq!(&body.order_key.0, &format!("quipt-{}", order.id.0), "orderKey is quipt-<id>");
                prop_assert_eq!(&body.order_number, &order.order_number, "the order number is Quipt's");
                prop_assert!(body.order_number.chars().count() <= mapping::MAX_ORDER_NUMBER_LEN, "ShipStation takes it");
                prop_assert!(!body.items.is_empty(), "a pushed order has items");
                prop_assert!(body.items.iter().all(|i| i.quantity > 0 || body.order_status == shipstation::OrderStatus::Cancelled), "every item ships something");
                let store = body.advanced_options.store_id.expect("a store").0;
                prop_assert!([10001, 10002, 10003].contains(&store), "the channel's store, not a guess: {}", store);
                let warehouse = body.advanced_options.warehouse_id.expect("a warehouse").0;
                prop_assert!([98765, 98766].contains(&warehouse), "a synced warehouse: {}", warehouse);
                prop_assert!(body.carrier_code.is_some(), "the default carrier is assigned");
                prop_assert!(body.amount_paid.unwrap_or(0.0) >= 0.0, "never a negative amount");
                prop_assert!(serde_json::to_vec(&body).is_ok(), "ShipStation can be sent the body, its order date too: {}", body.order_date);
            }
            Decision::Hold(reason) => {
                prop_assert!(!reason.message().is_empty(), "a hold always says why");
                prop_assert_eq!(reason.reason().code, reason.code(), "the stored code is the reason's");
            }
            Decision::Leave { why } => {
                prop_assert!(!why.is_empty());
                let eligible = order.status == quipt::OrderStatus::Open
                    || (order.status == quipt::OrderStatus::Pending && push_validating);
                prop_assert!(!eligible, "an eligible order is never silently left: {}", why);
            }
        }
    }

    #[test]
    fn the_same_order_is_decided_and_hashed_the_same_way_every_time(json in quipt_order()) {
        let settings = demo_settings();
        let first = mapping::decide(&parse(&json), &settings, &reference());
        let second = mapping::decide(&parse(&json), &settings, &reference());
        prop_assert_eq!(&first, &second, "the mapping is a pure function");
        if let (Decision::Push { body: a, .. }, Decision::Push { body: b, .. }) = (&first, &second) {
            prop_assert_eq!(mapping::content_hash(a), mapping::content_hash(b), "so an unchanged order is not re-sent");
        }
    }

    #[test]
    fn a_changed_order_gets_a_different_content_hash(json in quipt_order(), suffix in "[A-Z]{1,3}") {
        let settings = demo_settings();
        let mut changed = json.clone();
        changed["OrderNumber"] = json!(format!("{}{suffix}", json["OrderNumber"].as_str().unwrap_or_default()));
        let before = mapping::decide(&parse(&json), &settings, &reference());
        let after = mapping::decide(&parse(&changed), &settings, &reference());
        if let (Decision::Push { body: a, .. }, Decision::Push { body: b, .. }) = (&before, &after) {
            prop_assert_ne!(mapping::content_hash(a), mapping::content_hash(b), "a change is re-sent");
        }
    }

    #[test]
    fn an_order_number_too_long_for_shipstation_is_held_not_cut(json in quipt_order(), extra in "[A-Z]{51,70}") {
        let settings = demo_settings();
        let mut long = json;
        long["OrderNumber"] = json!(extra);
        long["Status"] = json!(4);
        let decision = mapping::decide(&parse(&long), &settings, &reference());
        prop_assert!(
            matches!(decision, Decision::Hold(HoldReason::OrderNumberTooLong { .. })),
            "held with the reason, got {:?}", decision
        );
    }

    #[test]
    fn the_order_key_gives_back_the_quipt_id(id in "[0-9A-Za-z-]{1,40}") {
        let key = mapping::order_key_for(&quipt::OrderId(id.clone()));
        prop_assert_eq!(mapping::quipt_id_of(&key), Some(id.as_str()));
    }
}
