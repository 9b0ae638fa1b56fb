//! Acting as users over simulated time: new orders and a new channel in Quipt, packages and a late
//! void in ShipStation, and what a re-read of a Quipt order shows after acknowledgements and both
//! kinds of cancel.

use std::time::Duration;

use chrono::SecondsFormat;
use reqwest::Method;
use sandbox::shipstation::{LabelRequest, PackageItem};
use serde_json::{Value, json};

use crate::support::{self, json};

#[tokio::test]
async fn new_orders_arrive_at_the_simulated_time_from_a_channel_added_later() {
    let sandbox = support::start(0, None).await;
    let three_days_on = sandbox.advance_clock(Duration::from_secs(3 * 86_400));
    let http = reqwest::Client::new();
    let base = sandbox.quipt_url();
    let walmart = json(
        http.post(format!("{base}/__control/partners"))
            .json(&json!({"Code": "WMT", "Name": "Walmart"})),
    )
    .await;
    let partners = json(support::quipt(&sandbox, Method::GET, "/v2/partners")).await;
    assert!(
        partners["Result"].as_array().unwrap().contains(&walmart),
        "the new channel is listed by the API: {partners}"
    );

    let made = json(
        http.post(format!("{base}/__control/orders/new"))
            .json(&json!(
        {"count": 2, "partner": "WMT", "warehouse": "98766", "lines": 3})),
    )
    .await;
    let made = made.as_array().unwrap();
    assert_eq!(made.len(), 2, "two orders");
    for order in made {
        assert_eq!(order["Partner"]["Code"], "WMT", "of the new channel");
        assert_eq!(
            order["Warehouse"]["Code"], "98766",
            "in the warehouse asked for"
        );
        assert_eq!(
            order["Lines"].as_array().unwrap().len(),
            3,
            "with three lines to pack apart"
        );
        assert_eq!(order["Status"], 4, "shipment ready");
        let ordered_at = support::at(order["OrderedAt"].as_str().unwrap());
        assert!(
            (ordered_at - three_days_on).num_seconds().abs() <= 5,
            "ordered at the simulated now: {ordered_at}"
        );
    }
    assert_ne!(
        made[0]["OrderNumber"], made[1]["OrderNumber"],
        "each with its own number"
    );

    let just_before =
        (three_days_on - chrono::Duration::seconds(1)).to_rfc3339_opts(SecondsFormat::Secs, true);
    let page = json(support::quipt(
        &sandbox,
        Method::GET,
        &format!("/v2/orders/fulfillment/200/1?orderStatus=4&modifiedAfter={just_before}"),
    ))
    .await;
    assert_eq!(
        page["Paging"]["Total"], 2,
        "an incremental poll from just before finds them: {page}"
    );

    let unknown = http
        .post(format!("{base}/__control/orders/new"))
        .json(&json!({"partner": "NOPE"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        unknown.status(),
        404,
        "a channel the account does not have is named, not guessed"
    );
}

#[tokio::test]
async fn a_label_voided_hours_later_is_found_by_its_void_date_and_the_other_packages_stay() {
    let sandbox = support::start(0, None).await;
    let three_items = json!({
        "orderNumber": "PKG-1", "orderKey": "k-PKG-1", "orderDate": "2026-11-24T08:46:27.0000000",
        "orderStatus": "awaiting_shipment", "billTo": {"name": "B"}, "shipTo": {"name": "S"},
        "items": [{"lineItemKey": "L1", "name": "Mug", "quantity": 2},
                  {"lineItemKey": "L2", "name": "Cap", "quantity": 1}]
    });
    let order = json(
        support::shipstation(&sandbox, Method::POST, "/orders/createorder").json(&three_items),
    )
    .await;
    let order_id = order["orderId"].as_i64().unwrap();
    let package = |tracking: &str, key: &str, quantity| LabelRequest {
        tracking_number: tracking.into(),
        items: Some(vec![PackageItem {
            line_item_key: key.into(),
            quantity,
        }]),
        ..LabelRequest::default()
    };
    let ss = &sandbox.shipstation;
    ss.create_label(order_id, package("1ZA", "L1", 1)).unwrap();
    ss.create_label(order_id, package("1ZB", "L1", 1)).unwrap();
    let third = ss.create_label(order_id, package("1ZC", "L2", 1)).unwrap();
    assert_eq!(
        ss.all_orders()[0].order_status,
        "shipped",
        "three packages ship the order"
    );

    let before_void = sandbox.advance_clock(Duration::from_secs(6 * 3600));
    ss.void_shipment(third).unwrap();
    let since = before_void
        .with_timezone(&chrono_tz::America::Los_Angeles)
        .format("%Y-%m-%d%%20%H:%M:%S");
    let voided = json(support::shipstation(
        &sandbox,
        Method::GET,
        &format!("/shipments?voidDateStart={since}"),
    ))
    .await;
    let tracking: Vec<&str> = voided["shipments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["trackingNumber"].as_str().unwrap())
        .collect();
    assert_eq!(
        tracking,
        ["1ZC"],
        "the void six hours after printing is found by its void date"
    );
    let all = json(support::shipstation(
        &sandbox,
        Method::GET,
        &format!("/shipments?orderId={order_id}"),
    ))
    .await;
    let live = all["shipments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["voided"] == false)
        .count();
    assert_eq!(live, 2, "the other two packages stay live");
    assert_eq!(
        ss.all_orders()[0].order_status,
        "awaiting_shipment",
        "and the order waits for its last package again"
    );
}

fn line(order: &Value, n: usize) -> &Value {
    &order["Lines"][n]
}

#[tokio::test]
async fn a_quipt_re_read_shows_acknowledgements_soft_cancels_and_hard_cancels() {
    let sandbox = support::start(0, None).await;
    let seed = |number: &str| {
        sandbox
            .quipt
            .insert_order_json(json!({"OrderNumber": number, "Status": 4, "Lines": [
                {"Ordered": {"Units": 0, "Value": 2}}, {"Ordered": {"Units": 0, "Value": 1}}]}))
            .unwrap()
    };
    let (soft, hard) = (seed("RR-SOFT"), seed("RR-HARD"));
    let write = |id: &str, path: &str, body: Value| {
        support::quipt(
            &sandbox,
            Method::POST,
            &format!("/v2/orders/fulfillment/{id}/{path}"),
        )
        .json(&body)
    };
    let all_lines = |order: &sandbox::quipt::SimOrder, status: i64| {
        json!({"Lines": order.lines.iter().map(|l| json!(
            {"LineId": l.id, "Status": status, "Quantity": l.ordered})).collect::<Vec<_>>()})
    };
    json(write(&soft.id, "acknowledgements", all_lines(&soft, 1))).await;
    json(write(
        &soft.id,
        "cancel-shipment",
        json!({"Reason": "Cancelled in ShipStation"}),
    ))
    .await;
    json(write(&hard.id, "acknowledgements", all_lines(&hard, 2))).await;

    let listed = json(support::quipt(
        &sandbox,
        Method::GET,
        "/v2/orders/fulfillment/200/1?include=Acknowledgements,Cancellations",
    ))
    .await;
    let find = |number: &str| {
        listed["Result"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["OrderNumber"] == number)
            .unwrap()
            .clone()
    };
    let soft_read = find("RR-SOFT");
    assert_eq!(
        line(&soft_read, 0)["Acknowledgements"][0]["Status"],
        1,
        "include=Acknowledgements shows the acceptance on a re-read: {soft_read}"
    );
    assert_eq!(
        soft_read["Status"], 4,
        "a soft cancel leaves the order Open"
    );
    assert_eq!(
        (
            line(&soft_read, 0)["SubStatus"].clone(),
            line(&soft_read, 1)["SubStatus"].clone()
        ),
        (json!(95), json!(95)),
        "and marks its lines Cancelled By Warehouse (SubStatus 95)"
    );
    assert_eq!(
        soft_read["Cancellations"][0]["Type"], "Shipment",
        "recorded as a shipment cancel"
    );

    let hard_read = find("RR-HARD");
    assert_eq!(
        hard_read["Status"], 16,
        "a hard cancel makes the order Canceled"
    );
    assert_eq!(
        (
            line(&hard_read, 0)["Canceled"]["Value"].clone(),
            line(&hard_read, 1)["Canceled"]["Value"].clone()
        ),
        (json!(2.0), json!(1.0)),
        "with every ordered quantity in Canceled"
    );
    assert_eq!(
        line(&hard_read, 0)["Acknowledgements"][0]["Status"],
        2,
        "and the rejection visible among the acknowledgements"
    );

    let without = json(support::quipt(
        &sandbox,
        Method::GET,
        "/v2/orders/fulfillment/200/1",
    ))
    .await;
    assert!(
        line(&without["Result"][0], 0)
            .get("Acknowledgements")
            .is_none(),
        "without include the acknowledgements are left out"
    );
}

#[tokio::test]
async fn a_label_can_be_dated_years_ahead_and_is_listed_with_that_date() {
    let sandbox = support::start(0, None).await;
    let order = json(
        support::shipstation(&sandbox, Method::POST, "/orders/createorder").json(&json!({
            "orderNumber": "FUTURE-1", "orderKey": "k-FUTURE-1",
            "orderDate": "2026-11-24T08:46:27.0000000", "orderStatus": "awaiting_shipment",
            "billTo": {"name": "B"}, "shipTo": {"name": "S"},
            "items": [{"lineItemKey": "L1", "name": "Mug", "quantity": 1}]
        })),
    )
    .await;
    let order_id = order["orderId"].as_i64().unwrap();
    let far_ahead = sandbox.now() + chrono::Duration::days(5 * 365);
    sandbox
        .shipstation
        .create_label(
            order_id,
            LabelRequest {
                tracking_number: "1ZFUTURE".into(),
                create_date: Some(far_ahead),
                ..LabelRequest::default()
            },
        )
        .unwrap();
    let listed = json(support::shipstation(
        &sandbox,
        Method::GET,
        &format!("/shipments?orderId={order_id}"),
    ))
    .await;
    let pacific = far_ahead.with_timezone(&chrono_tz::America::Los_Angeles);
    assert_eq!(
        listed["shipments"][0]["createDate"]
            .as_str()
            .map(|d| &d[..19]),
        Some(pacific.format("%Y-%m-%dT%H:%M:%S").to_string().as_str()),
        "the label carries the createDate it was given, in Pacific time as ShipStation writes it"
    );
}
