//! Checks of the Quipt simulator that need no client: routing, the signature gate,
//! the authorization pages and the control API, over real HTTP on loopback.

use reqwest::Method;
use sandbox::{Sandbox, SandboxConfig};

use crate::support;

async fn start(orders: usize) -> sandbox::RunningSandbox {
    Sandbox::start(SandboxConfig {
        orders,
        ..SandboxConfig::default()
    })
    .await
    .expect("sandbox starts")
}

#[tokio::test]
async fn an_unsigned_api_call_is_refused_with_an_envelope() {
    let sb = start(5).await;
    let response = reqwest::get(format!("{}/v2/warehouses", sb.quipt_url()))
        .await
        .unwrap();
    assert_eq!(response.status(), 401, "unsigned requests must be refused");
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["Success"], false, "the 401 still carries the envelope");
    assert!(body["TransactionId"].is_string(), "with a TransactionId");
}

#[tokio::test]
async fn the_demo_data_has_the_requested_number_of_orders() {
    let sb = start(37).await;
    assert_eq!(
        sb.quipt.orders().len(),
        37,
        "config.orders orders are seeded"
    );
    assert_eq!(sb.quipt.warehouses().len(), 3, "the three demo warehouses");
    assert_eq!(sb.quipt.partners().len(), 3, "the three demo channels");
}

#[tokio::test]
async fn control_requests_are_not_counted() {
    let sb = start(3).await;
    let url = format!("{}/__control/orders", sb.quipt_url());
    let orders: Vec<serde_json::Value> = reqwest::get(&url).await.unwrap().json().await.unwrap();
    assert_eq!(orders.len(), 3, "the control API lists every order");
    reqwest::get(format!("{}/v2/partners", sb.quipt_url()))
        .await
        .unwrap();
    let stats = sb.quipt.stats();
    assert_eq!(
        stats.total, 1,
        "only the API request counts, not the control one"
    );
    assert_eq!(
        stats.by_endpoint.get("GET /v2/partners"),
        Some(&1),
        "counted per endpoint"
    );
}

#[tokio::test]
async fn the_app_page_forwards_the_fragment_to_the_login_form() {
    let sb = start(0).await;
    let page = reqwest::get(format!("{}/", sb.quipt_url()))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("/oauth/authorize?"),
        "the script forwards to the server-side form"
    );
    let unknown = reqwest::get(format!(
        "{}/oauth/authorize?oauth_token=nope",
        sb.quipt_url()
    ))
    .await
    .unwrap();
    assert_eq!(
        unknown.status(),
        400,
        "an unknown request token gets no login form"
    );
}

#[tokio::test]
async fn the_control_api_acts_as_a_quipt_user_and_injects_faults() {
    let sb = start(0).await;
    let url = sb.quipt_url();
    let http = reqwest::Client::new();
    let order: serde_json::Value = http
        .post(format!("{url}/__control/orders"))
        .json(&serde_json::json!({"OrderNumber": "C-1", "Status": 2,
            "Lines": [{"Ordered": {"Units": 0, "Value": 3}}]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = order["Id"]
        .as_str()
        .expect("a seeded order gets an Id")
        .to_string();
    assert!(order["Lines"][0]["Id"].is_string(), "and its lines get ids");

    let cleared = http
        .post(format!("{url}/__control/orders/{id}/clear-validation"))
        .send()
        .await
        .unwrap();
    assert_eq!(cleared.status(), 200, "a Pending order can be cleared");
    assert_eq!(
        sb.quipt.order(&id).unwrap().status,
        4,
        "clearing makes it Open"
    );
    let again = http
        .post(format!("{url}/__control/orders/{id}/clear-validation"))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 409, "an Open order cannot be cleared again");

    let edited = http
        .put(format!("{url}/__control/orders/{id}/ship-to"))
        .json(&serde_json::json!({"City": "Reno", "Country": {"ISO": "US"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(edited.status(), 200, "the address can be edited");
    assert_eq!(
        sb.quipt
            .order(&id)
            .unwrap()
            .ship_to
            .unwrap()
            .city
            .as_deref(),
        Some("Reno")
    );

    http.post(format!("{url}/__control/orders/{id}/cancel"))
        .send()
        .await
        .unwrap();
    let canceled = sb.quipt.order(&id).unwrap();
    assert_eq!(
        canceled.status, 16,
        "a Quipt user's cancel makes it Canceled"
    );
    assert_eq!(
        canceled.lines[0].canceled.value, 3.0,
        "with every unit canceled"
    );

    http.post(format!("{url}/__control/faults"))
        .json(&serde_json::json!({"fail_next": {"count": 1, "status": 503}}))
        .send()
        .await
        .unwrap();
    let failed = reqwest::get(format!("{url}/v2/partners")).await.unwrap();
    assert_eq!(failed.status(), 503, "the injected status is answered");
    let next = reqwest::get(format!("{url}/v2/partners")).await.unwrap();
    assert_eq!(
        next.status(),
        401,
        "only once; the next unsigned call is refused as usual"
    );
}

#[tokio::test]
async fn an_order_removed_over_the_control_api_is_unknown_and_the_others_stay_readable() {
    let sb = start(3).await;
    let url = sb.quipt_url();
    let ids: Vec<String> = sb.quipt.orders().into_iter().map(|o| o.id).collect();
    let http = reqwest::Client::new();
    let removed = http
        .delete(format!("{url}/__control/orders/{}", ids[0]))
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), 200, "an existing order is removed");
    assert!(sb.quipt.order(&ids[0]).is_none(), "the order is gone");
    for id in &ids[1..] {
        assert_eq!(
            sb.quipt.order(id).map(|o| o.id),
            Some(id.clone()),
            "the orders after it are still found by their own id"
        );
    }
    let again = http
        .delete(format!("{url}/__control/orders/{}", ids[0]))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 404, "an unknown order cannot be removed");
}

#[tokio::test]
async fn one_order_read_by_id_carries_what_include_asks_for_as_a_listing_s_orders_do() {
    let sb = start(1).await;
    let id = sb.quipt.orders()[0].id.clone();
    let path = format!("/v2/orders/fulfillment/id/{id}");
    let bare = support::json(support::quipt(&sb, Method::GET, &path)).await;
    assert!(
        bare["Result"].get("Shipments").is_none() && bare["Result"].get("Cancellations").is_none(),
        "without include, no shipments or cancellations: {bare}"
    );
    assert!(
        bare["Result"]["Lines"][0].get("Acknowledgements").is_none(),
        "nor acknowledgements"
    );
    let asked = support::json(support::quipt(
        &sb,
        Method::GET,
        &format!("{path}?include=Shipments,Acknowledgements"),
    ))
    .await;
    assert!(
        asked["Result"]["Shipments"].is_array() && asked["Result"].get("Cancellations").is_none(),
        "what include names, and only that: {asked}"
    );
    assert!(asked["Result"]["Lines"][0]["Acknowledgements"].is_array());
}
