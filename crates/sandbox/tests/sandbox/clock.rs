//! The simulated clock: dates written after an advance, rate windows that reset when the clock
//! moves past them, and ShipStation's Pacific date filters across the end of daylight saving time.

use std::time::Duration;

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::America::Los_Angeles;
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{self, at, header, json, order};

/// Reads a ShipStation timestamp (Pacific wall-clock); an hour that occurs twice reads as the
/// later one when `later` (the test knows which it wrote).
fn pacific(text: &str, later: bool) -> DateTime<Utc> {
    let naive = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f").expect("a timestamp");
    let local = Los_Angeles.from_local_datetime(&naive);
    let at = if later {
        local.latest()
    } else {
        local.earliest()
    };
    at.expect("a Pacific time that exists").with_timezone(&Utc)
}

fn close(a: DateTime<Utc>, b: DateTime<Utc>) -> bool {
    (a - b).num_seconds().abs() <= 5
}

fn time(value: &Value) -> DateTime<Utc> {
    at(value.as_str().expect("an ISO timestamp"))
}

#[tokio::test]
async fn every_shipstation_date_follows_the_clock_after_an_advance() {
    let sandbox = support::start(0, None).await;
    let two_days_on = sandbox.advance_clock(Duration::from_secs(2 * 86_400));
    assert!(
        two_days_on - Utc::now() >= chrono::Duration::hours(47),
        "the simulated world is two days ahead of the wall clock"
    );
    let created = json(
        support::shipstation(&sandbox, Method::POST, "/orders/createorder").json(&order("CLK-1")),
    )
    .await;
    let order_id = created["orderId"].as_i64().unwrap();
    for field in ["createDate", "modifyDate"] {
        let written = pacific(created[field].as_str().unwrap(), false);
        assert!(
            close(written, two_days_on),
            "{field} is the simulated now, not the wall clock: {written}"
        );
    }

    let base = sandbox.shipstation_url();
    let http = reqwest::Client::new();
    let label = json(
        http.post(format!("{base}/__control/orders/{order_id}/label"))
            .json(&json!({"trackingNumber": "1ZCLOCK"})),
    )
    .await;
    let shipment_id = label["shipmentId"].as_i64().unwrap();
    let five_hours_on = sandbox.advance_clock(Duration::from_secs(5 * 3600));
    json(http.post(format!("{base}/__control/shipments/{shipment_id}/void"))).await;
    let shipments = json(support::shipstation(&sandbox, Method::GET, "/shipments")).await;
    let shipment = &shipments["shipments"][0];
    assert!(
        close(
            pacific(shipment["createDate"].as_str().unwrap(), false),
            two_days_on
        ),
        "the label was printed at the simulated time: {shipment}"
    );
    assert_eq!(
        shipment["shipDate"],
        two_days_on
            .with_timezone(&Los_Angeles)
            .date_naive()
            .to_string(),
        "its ship date is the simulated Pacific day"
    );
    assert!(
        close(
            pacific(shipment["voidDate"].as_str().unwrap(), false),
            five_hours_on
        ),
        "the void five simulated hours later carries that time: {shipment}"
    );

    let second = json(
        support::shipstation(&sandbox, Method::POST, "/orders/createorder").json(&order("CLK-2")),
    )
    .await;
    let second_id = second["orderId"].as_i64().unwrap();
    json(
        http.post(format!("{base}/__control/orders/{second_id}/mark-shipped"))
            .json(&json!({"trackingNumber": "9400"})),
    )
    .await;
    let fulfillments = json(support::shipstation(&sandbox, Method::GET, "/fulfillments")).await;
    assert!(
        close(
            pacific(
                fulfillments["fulfillments"][0]["createDate"]
                    .as_str()
                    .unwrap(),
                false
            ),
            five_hours_on
        ),
        "Mark as Shipped is dated by the clock: {fulfillments}"
    );
}

#[tokio::test]
async fn every_quipt_date_follows_the_clock_after_an_advance() {
    let sandbox = support::start(0, None).await;
    let a_day_on = sandbox.advance_clock(Duration::from_secs(86_400));
    let base = sandbox.quipt_url();
    let http = reqwest::Client::new();
    let order = json(http.post(format!("{base}/__control/orders")).json(&json!({
        "OrderNumber": "QC-1", "Status": 4,
        "Lines": [{"Ordered": {"Units": 0, "Value": 2}}, {"Ordered": {"Units": 0, "Value": 1}}]
    })))
    .await;
    assert!(
        close(time(&order["OrderedAt"]), a_day_on) && close(time(&order["ModifiedAt"]), a_day_on),
        "an order seeded without dates is dated at the simulated now: {order}"
    );
    let id = order["Id"].as_str().unwrap();
    let first_line = &order["Lines"][0]["Id"];

    let an_hour_later = sandbox.advance_clock(Duration::from_secs(3600));
    let acknowledged = json(
        support::quipt(&sandbox, Method::POST, &format!("/v2/orders/fulfillment/{id}/acknowledgements"))
            .json(&json!({"Lines": [{"LineId": first_line, "Status": 1, "Quantity": {"Units": 0, "Value": 2}}]})),
    )
    .await;
    assert!(
        close(time(&acknowledged["TransactionTime"]), an_hour_later),
        "the envelope's TransactionTime is simulated too: {acknowledged}"
    );
    let stored = sandbox.quipt.order(id).unwrap();
    assert!(
        close(
            stored.lines[0].acknowledgements[0].at.unwrap(),
            an_hour_later
        ),
        "the acknowledgement is dated by the clock"
    );
    assert!(
        close(stored.modified_at, an_hour_later),
        "and moved ModifiedAt to the simulated now"
    );

    let three_hours_later = sandbox.advance_clock(Duration::from_secs(2 * 3600));
    json(
        support::quipt(
            &sandbox,
            Method::POST,
            &format!("/v2/orders/fulfillment/{id}/cancel-shipment"),
        )
        .json(&json!({"Reason": "out of stock", "ExternalId": "ss-cancel-1"})),
    )
    .await;
    let stored = sandbox.quipt.order(id).unwrap();
    assert!(
        close(stored.cancellations[0].at.unwrap(), three_hours_later),
        "the cancellation is dated by the clock"
    );
}

#[tokio::test]
async fn a_shipstation_rate_window_resets_when_the_clock_moves_past_it() {
    let sandbox = support::start(0, None).await;
    sandbox.shipstation.drain_budget();
    let refused = support::send(support::shipstation(&sandbox, Method::GET, "/stores")).await;
    assert_eq!(refused.status(), 429, "the drained window refuses");
    let reset = header(&refused, "X-Rate-Limit-Reset");
    assert!(reset > 50, "most of the 60-second window is left: {reset}");

    sandbox.advance_clock(Duration::from_secs(reset - 10));
    let still = support::send(support::shipstation(&sandbox, Method::GET, "/stores")).await;
    assert_eq!(
        still.status(),
        429,
        "ten simulated seconds before the reset it still refuses"
    );
    assert!(
        header(&still, "X-Rate-Limit-Reset") <= 10,
        "and X-Rate-Limit-Reset counts in simulated seconds"
    );

    sandbox.advance_clock(Duration::from_secs(10));
    let admitted = support::send(support::shipstation(&sandbox, Method::GET, "/stores")).await;
    assert_eq!(
        admitted.status(),
        200,
        "once the clock passed the reset the window is new, without waiting"
    );
    assert_eq!(
        header(&admitted, "X-Rate-Limit-Remaining"),
        39,
        "a whole window's budget"
    );
}

#[tokio::test]
async fn a_quipt_rate_window_resets_when_the_clock_moves_past_it() {
    let sandbox = support::start(0, None).await;
    sandbox.quipt.set_rate_limit(2, Duration::from_secs(60));
    for n in 0..2 {
        let response = support::send(support::quipt(&sandbox, Method::GET, "/v2/partners")).await;
        assert_eq!(
            response.status(),
            200,
            "request {n} fits the token's window"
        );
    }
    let refused = support::send(support::quipt(&sandbox, Method::GET, "/v2/partners")).await;
    assert_eq!(refused.status(), 429, "the third of the minute is refused");
    assert_eq!(
        header(&refused, "Retry-After"),
        60,
        "Retry-After in whole seconds"
    );

    sandbox.advance_clock(Duration::from_secs(60));
    let admitted = support::send(support::quipt(&sandbox, Method::GET, "/v2/partners")).await;
    assert_eq!(
        admitted.status(),
        200,
        "a simulated minute later the token has a new window (and a real-clock signature still passes)"
    );
}

/// Creates (or, for the same number, updates) a ShipStation order through the API; its id.
async fn write_order(sandbox: &sandbox::RunningSandbox, number: &str) -> i64 {
    json(support::shipstation(sandbox, Method::POST, "/orders/createorder").json(&order(number)))
        .await["orderId"]
        .as_i64()
        .unwrap()
}

async fn numbers(sandbox: &sandbox::RunningSandbox, path: &str, list: &str) -> Vec<String> {
    let page = json(support::shipstation(sandbox, Method::GET, path)).await;
    page[list]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["orderNumber"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn shipstation_date_filters_read_pacific_wall_clock_across_the_end_of_daylight_saving() {
    // 2026-11-01: 01:00–02:00 Pacific happens twice (PDT, then PST from 09:00 UTC).
    let sandbox = support::start(0, Some(at("2026-11-01T07:30:00Z"))).await;
    let early = write_order(&sandbox, "DST-0030-PDT").await; // 00:30 PDT
    let label = sandbox
        .shipstation
        .create_label(early, sandbox::shipstation::LabelRequest::default())
        .unwrap();
    sandbox.advance_clock(Duration::from_secs(3600));
    write_order(&sandbox, "DST-0130-PDT").await; // 01:30 PDT = 08:30 UTC
    sandbox.advance_clock(Duration::from_secs(3600));
    write_order(&sandbox, "DST-0130-PST").await; // 01:30 PST = 09:30 UTC

    let orders = sandbox.shipstation.all_orders();
    let stamp = |n: usize| orders[n].json["modifyDate"].as_str().unwrap()[..19].to_owned();
    assert_eq!(stamp(0), "2026-11-01T00:30:00", "PDT wall clock");
    assert_eq!(
        (stamp(1), stamp(2)),
        (
            "2026-11-01T01:30:00".to_owned(),
            "2026-11-01T01:30:00".to_owned()
        ),
        "an hour apart, yet the same wall-clock time: the repeated hour"
    );

    let from_one = numbers(
        &sandbox,
        "/orders?modifyDateStart=2026-11-01%2001:00:00",
        "orders",
    )
    .await;
    assert_eq!(
        from_one,
        ["DST-0130-PDT", "DST-0130-PST"],
        "01:00 is read as its first (PDT) occurrence, so both 01:30s are after it"
    );
    let from_quarter_to_two = numbers(
        &sandbox,
        "/orders?modifyDateStart=2026-11-01%2001:45:00",
        "orders",
    )
    .await;
    assert_eq!(
        from_quarter_to_two,
        ["DST-0130-PST"],
        "01:45 PDT is before the second 01:30 (PST): a wall-clock filter returns an order stamped earlier than it"
    );
    let until_one = numbers(
        &sandbox,
        "/orders?modifyDateEnd=2026-11-01%2001:00:00",
        "orders",
    )
    .await;
    assert_eq!(
        until_one,
        ["DST-0030-PDT"],
        "modifyDateEnd reads the same way"
    );

    // Hours later, at 02:30 PST, the label printed at 00:30 PDT is voided.
    sandbox
        .advance_clock_to(at("2026-11-01T10:30:00Z"))
        .unwrap();
    sandbox.shipstation.void_shipment(label).unwrap();
    let voided_since_two = numbers(
        &sandbox,
        "/shipments?voidDateStart=2026-11-01%2002:00:00",
        "shipments",
    )
    .await;
    assert_eq!(
        voided_since_two,
        ["DST-0030-PDT"],
        "the late void is found by voidDateStart"
    );
    let voided_since_quarter_to_three = numbers(
        &sandbox,
        "/shipments?voidDateStart=2026-11-01%2002:45:00",
        "shipments",
    )
    .await;
    assert!(
        voided_since_quarter_to_three.is_empty(),
        "and not after it happened"
    );
    let printed_since_one = numbers(
        &sandbox,
        "/shipments?createDateStart=2026-11-01%2001:00:00",
        "shipments",
    )
    .await;
    assert!(
        printed_since_one.is_empty(),
        "a filter on the print date alone misses the late void (issue 12's defect 2)"
    );
}

#[tokio::test]
async fn quipt_modified_after_is_utc_across_the_end_of_daylight_saving() {
    let sandbox = support::start(0, Some(at("2026-11-01T08:30:00Z"))).await;
    let first = sandbox
        .quipt
        .insert_order_json(json!({"OrderNumber": "QDST-PDT"}))
        .unwrap();
    sandbox.advance_clock(Duration::from_secs(3600));
    sandbox
        .quipt
        .insert_order_json(json!({"OrderNumber": "QDST-PST"}))
        .unwrap();
    assert_eq!(
        first.modified_at,
        at("2026-11-01T08:30:00Z"),
        "ModifiedAt is the simulated instant, to the millisecond"
    );
    let page = json(support::quipt(
        &sandbox,
        Method::GET,
        "/v2/orders/fulfillment/200/1?modifiedAfter=2026-11-01T09:00:00Z",
    ))
    .await;
    let numbers: Vec<&str> = page["Result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["OrderNumber"].as_str().unwrap())
        .collect();
    assert_eq!(
        numbers,
        ["QDST-PST"],
        "modifiedAfter compares UTC instants, unaffected by the Pacific change"
    );
}

#[tokio::test]
async fn each_simulator_serves_its_clock_under_control() {
    let sandbox = support::start(0, Some(at("2026-10-31T12:00:00Z"))).await;
    let http = reqwest::Client::new();
    for base in [sandbox.quipt_url(), sandbox.shipstation_url()] {
        let url = format!("{base}/__control/clock");
        let read = json(http.get(&url)).await;
        assert!(
            close(time(&read["now"]), at("2026-10-31T12:00:00Z")),
            "GET reads the start: {read}"
        );
        let advanced = json(http.post(&url).json(&json!({"seconds": 7200}))).await;
        assert!(
            close(time(&advanced["now"]), at("2026-10-31T14:00:00Z")),
            "POST {{seconds}} advances and answers the new now: {advanced}"
        );
        let set = json(http.post(&url).json(&json!({"to": "2026-11-02T00:00:00Z"}))).await;
        assert!(
            close(time(&set["now"]), at("2026-11-02T00:00:00Z")),
            "POST {{to}} sets it forward"
        );
        let back = http
            .post(&url)
            .json(&json!({"to": "2026-11-01T00:00:00Z"}))
            .send()
            .await
            .unwrap();
        assert_eq!(back.status(), 409, "the clock never moves backwards");
        let neither = http.post(&url).json(&json!({})).send().await.unwrap();
        assert_eq!(neither.status(), 400, "a move needs seconds or an instant");
    }
    assert!(
        close(
            sandbox.quipt.clock().now(),
            sandbox.shipstation.clock().now()
        ),
        "moved alike, the two worlds agree"
    );
    let alone = sandbox.shipstation.clock().advance(Duration::from_secs(60));
    assert!(
        alone - sandbox.quipt.clock().now() >= chrono::Duration::seconds(59),
        "each simulator has its own clock; RunningSandbox::advance_clock moves both"
    );
}
