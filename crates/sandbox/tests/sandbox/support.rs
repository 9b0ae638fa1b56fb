//! Starting a sandbox and speaking to either simulator over HTTP as a client would: Basic auth for
//! ShipStation, an OAuth 1.0a signature for Quipt (built from the simulator's own signature
//! functions; the client crates are not used here).

use chrono::{DateTime, Utc};
use reqwest::{Method, RequestBuilder, Response};
use sandbox::quipt::oauth::{base_string, encode, signature};
use sandbox::{RunningSandbox, Sandbox, SandboxConfig, demo_data};
use serde_json::{Value, json};

/// Both simulators with `orders` demo orders, their clocks starting at `clock_start` (or now).
pub async fn start(orders: usize, clock_start: Option<DateTime<Utc>>) -> RunningSandbox {
    Sandbox::start(SandboxConfig {
        orders,
        clock_start,
        ..SandboxConfig::default()
    })
    .await
    .expect("binds 127.0.0.1:0")
}

/// An instant written as ISO 8601.
pub fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("a valid instant")
        .with_timezone(&Utc)
}

/// A ShipStation API request with the demo key pair.
pub fn shipstation(sandbox: &RunningSandbox, method: Method, path: &str) -> RequestBuilder {
    reqwest::Client::new()
        .request(method, format!("{}{path}", sandbox.shipstation_url()))
        .basic_auth(
            demo_data::SHIPSTATION_API_KEY,
            Some(demo_data::SHIPSTATION_API_SECRET),
        )
}

/// A numeric response header.
pub fn header(response: &Response, name: &str) -> u64 {
    response.headers()[name].to_str().unwrap().parse().unwrap()
}

/// A well-formed ShipStation order with key `k-<number>` and one item `L1`.
pub fn order(number: &str) -> Value {
    json!({
        "orderNumber": number, "orderKey": format!("k-{number}"), "orderDate": "2026-11-24T08:46:27.0000000",
        "orderStatus": "awaiting_shipment", "billTo": {"name": "B"}, "shipTo": {"name": "S"},
        "items": [{"lineItemKey": "L1", "name": "Widget", "quantity": 1}]
    })
}

/// A Quipt API request signed (HMAC-SHA1, real-clock timestamp) with the demo consumer and
/// access token. `path` may carry a query.
pub fn quipt(sandbox: &RunningSandbox, method: Method, path: &str) -> RequestBuilder {
    let url = reqwest::Url::parse(&format!("{}{path}", sandbox.quipt_url())).unwrap();
    let base_uri = format!(
        "http://{}:{}{}",
        url.host_str().unwrap(),
        url.port().unwrap(),
        url.path()
    );
    let mut oauth = vec![
        (
            "oauth_consumer_key",
            demo_data::QUIPT_CONSUMER_KEY.to_owned(),
        ),
        ("oauth_nonce", uuid::Uuid::new_v4().simple().to_string()),
        ("oauth_signature_method", "HMAC-SHA1".to_owned()),
        ("oauth_timestamp", Utc::now().timestamp().to_string()),
        ("oauth_token", demo_data::QUIPT_ACCESS_TOKEN.to_owned()),
        ("oauth_version", "1.0".to_owned()),
    ];
    let mut params: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    params.extend(oauth.iter().map(|(k, v)| ((*k).to_owned(), v.clone())));
    let signed = signature(
        &base_string(method.as_str(), &base_uri, &params),
        demo_data::QUIPT_CONSUMER_SECRET,
        demo_data::QUIPT_ACCESS_TOKEN_SECRET,
    );
    oauth.push(("oauth_signature", signed));
    let header = oauth
        .iter()
        .map(|(k, v)| format!("{k}=\"{}\"", encode(v)))
        .collect::<Vec<_>>()
        .join(", ");
    reqwest::Client::new()
        .request(method, url)
        .header("Authorization", format!("OAuth {header}"))
        .header("Content-Type", "application/json;charset=UTF-8")
}

/// The answer to a request (whatever its status).
pub async fn send(request: RequestBuilder) -> Response {
    request.send().await.expect("the simulator answers")
}

/// The JSON of a response that must have succeeded.
pub async fn json(request: RequestBuilder) -> Value {
    let response = request.send().await.expect("the simulator answers");
    assert!(
        response.status().is_success(),
        "expected success, got {}",
        response.status()
    );
    response.json().await.expect("a JSON body")
}
