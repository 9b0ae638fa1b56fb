//! The ShipStation simulator: rate limit, auth, bulk bodies and the control API.

use sandbox::RunningSandbox;
use serde_json::{Value, json};

use crate::support::{self, header, order, shipstation as api};

async fn start() -> RunningSandbox {
    support::start(0, None).await
}

#[tokio::test]
async fn the_forty_first_call_of_a_window_is_answered_429_with_the_headers() {
    let sandbox = start().await;
    for n in 0..40 {
        let response = api(&sandbox, reqwest::Method::GET, "/warehouses")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "call {n} fits the window");
        assert_eq!(
            header(&response, "X-Rate-Limit-Remaining"),
            39 - n,
            "remaining counts down"
        );
    }
    let refused = api(&sandbox, reqwest::Method::GET, "/warehouses")
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 429, "the 41st call is refused");
    assert_eq!(
        header(&refused, "X-Rate-Limit-Limit"),
        40,
        "limit header on the 429"
    );
    assert!(
        (1..=60).contains(&header(&refused, "X-Rate-Limit-Reset")),
        "Reset in whole seconds"
    );
    let body: Value = refused.json().await.unwrap();
    assert_eq!(
        body,
        json!({"message": "Too Many Requests"}),
        "the contract's 429 body"
    );
    assert_eq!(
        sandbox.shipstation.stats().rate_limited,
        1,
        "counted as a 429"
    );
}

#[tokio::test]
async fn wrong_credentials_get_a_401_with_rate_headers_and_no_budget_used() {
    let sandbox = start().await;
    let response = reqwest::Client::new()
        .get(format!("{}/stores", sandbox.shipstation_url()))
        .basic_auth("demo-key", Some("nope"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401, "refused");
    assert_eq!(
        header(&response, "X-Rate-Limit-Remaining"),
        40,
        "headers present, nothing used"
    );
}

#[tokio::test]
async fn after_the_key_pair_is_replaced_only_the_new_one_is_accepted() {
    let sandbox = start().await;
    let stores = |key: &'static str, secret: &'static str| {
        reqwest::Client::new()
            .get(format!("{}/stores", sandbox.shipstation_url()))
            .basic_auth(key, Some(secret))
            .send()
    };
    let replaced = reqwest::Client::new()
        .put(format!("{}/__control/api-keys", sandbox.shipstation_url()))
        .json(&json!({"key": "acme-key", "secret": "acme-secret"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        replaced.status(),
        200,
        "the control route replaces the pair"
    );
    let old = stores(
        sandbox::demo_data::SHIPSTATION_API_KEY,
        sandbox::demo_data::SHIPSTATION_API_SECRET,
    )
    .await
    .unwrap();
    assert_eq!(old.status(), 401, "the demo's pair is refused now");
    let new = stores("acme-key", "acme-secret").await.unwrap();
    assert_eq!(new.status(), 200, "the account's own pair is accepted");
}

#[tokio::test]
async fn malformed_or_oversized_bulk_bodies_are_a_400_for_the_whole_call() {
    let sandbox = start().await;
    let malformed = api(&sandbox, reqwest::Method::POST, "/orders/createorders")
        .header("content-type", "application/json")
        .body("[{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), 400, "malformed body");
    let batch: Vec<Value> = (0..101).map(|n| order(&n.to_string())).collect();
    let oversized = api(&sandbox, reqwest::Method::POST, "/orders/createorders")
        .json(&batch)
        .send()
        .await
        .unwrap();
    assert_eq!(oversized.status(), 400, "more than 100 orders");
    assert!(
        sandbox.shipstation.all_orders().is_empty(),
        "nothing was created"
    );
}

#[tokio::test]
async fn the_control_api_creates_labels_and_arms_faults_without_touching_the_budget() {
    let sandbox = start().await;
    let created: Value = api(&sandbox, reqwest::Method::POST, "/orders/createorder")
        .json(&order("C-1"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let order_id = created["orderId"].as_i64().unwrap();
    assert_eq!(
        created["advancedOptions"]["storeId"], 10000,
        "default manual store"
    );
    let control = reqwest::Client::new();
    let base = sandbox.shipstation_url();
    let label: Value = control
        .post(format!("{base}/__control/orders/{order_id}/label"))
        .json(&json!({"trackingNumber": "1Z9"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(label["shipmentId"].is_i64(), "a label was created: {label}");
    control
        .post(format!("{base}/__control/faults"))
        .json(&json!({"failNext": {"count": 1, "status": 503}}))
        .send()
        .await
        .unwrap();
    let failed = api(&sandbox, reqwest::Method::GET, "/shipments")
        .send()
        .await
        .unwrap();
    assert_eq!(failed.status(), 503, "the armed fault answers");
    let shipments: Value = api(&sandbox, reqwest::Method::GET, "/shipments")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        shipments["shipments"][0]["trackingNumber"], "1Z9",
        "the label is listed"
    );
    assert_eq!(
        shipments["shipments"][0]["shipmentItems"],
        Value::Null,
        "items only when asked for"
    );
    let stats: Value = control
        .get(format!("{base}/__control/stats"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stats["total"], 3, "control calls are not counted: {stats}");
    let orders: Value = control
        .get(format!("{base}/__control/orders"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        orders[0]["orderStatus"], "shipped",
        "the label shipped the order"
    );
}

#[tokio::test]
async fn a_deleted_order_is_gone_to_the_api_as_an_unknown_id_is() {
    let sandbox = start().await;
    let created = support::json(
        api(&sandbox, reqwest::Method::POST, "/orders/createorder").json(&order("Q-DEL")),
    )
    .await;
    let path = format!("/orders/{}", created["orderId"]);
    for (attempt, status) in [("first", 200), ("second", 404)] {
        let deleted = support::send(api(&sandbox, reqwest::Method::DELETE, &path)).await;
        assert_eq!(deleted.status(), status, "the {attempt} delete");
    }
    let read = support::send(api(&sandbox, reqwest::Method::GET, &path)).await;
    assert_eq!(read.status(), 404, "a deleted order is not found by id");
    let listed: Value = support::json(api(
        &sandbox,
        reqwest::Method::GET,
        "/orders?orderNumber=Q-DEL",
    ))
    .await;
    assert_eq!(listed["orders"], json!([]), "nor listed: {listed}");
}
