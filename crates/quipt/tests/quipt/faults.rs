//! Retries on 5xx, dropped connections, timeouts and 429; no retries on refusals; decode errors.

use std::time::Duration;

use quipt::{Client, Error, OrderQuery};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::support::*;

#[tokio::test]
async fn injected_server_errors_are_retried_until_the_call_succeeds() {
    let sb = sandbox(0).await;
    let client = client(&sb);
    sb.quipt.fail_next(2, 503);
    let warehouses = client
        .warehouses()
        .list()
        .await
        .expect("the third attempt succeeds");
    assert_eq!(warehouses.len(), 3, "the answer is complete");
    let metrics = client.metrics();
    assert_eq!(metrics.requests, 3, "two failures and one success");
    assert_eq!(metrics.retries, 2, "two retries");
    assert_eq!(
        sb.quipt.stats().total,
        3,
        "the simulator saw three requests"
    );
}

#[tokio::test]
async fn a_server_error_that_outlasts_the_retries_is_returned_as_retryable() {
    let sb = sandbox(0).await;
    let client = client(&sb);
    sb.quipt.fail_next(10, 500);
    let result = client.partners().list().await;
    let Err(error) = result else {
        panic!("the call must fail after its retries")
    };
    assert_eq!(error.status(), Some(500), "the last status is reported");
    assert!(error.is_retryable(), "the engine may try again later");
    assert_eq!(
        client.metrics().requests,
        4,
        "one attempt and three retries"
    );
}

#[tokio::test]
async fn dropped_connections_are_retried() {
    let sb = sandbox(2).await;
    let client = client(&sb);
    sb.quipt.drop_next(2);
    let page = client
        .orders()
        .list(&OrderQuery::default(), 10, 1)
        .await
        .expect("retried");
    assert_eq!(page.total, 2, "the answer after the drops is complete");
    assert_eq!(client.metrics().retries, 2, "each drop cost one retry");
}

#[tokio::test]
async fn a_slow_answer_times_out_and_is_retried() {
    let sb = sandbox(0).await;
    sb.quipt.set_latency(Duration::from_millis(400));
    let client = Client::builder(sb.quipt_url())
        .consumer(consumer())
        .token(demo_token())
        .timeout(Duration::from_millis(100))
        .max_retries(1)
        .backoff(Duration::from_millis(1), Duration::from_millis(1))
        .build()
        .unwrap();
    let result = client.warehouses().list().await;
    let Err(Error::Transport { source }) = result else {
        panic!("a call slower than the timeout must fail: {result:?}")
    };
    assert!(source.is_timeout(), "the failure is a timeout");
    assert_eq!(client.metrics().retries, 1, "the timeout was retried once");
}

#[tokio::test]
async fn the_rate_limit_is_waited_out_as_retry_after_says() {
    let sb = sandbox(0).await;
    sb.quipt.set_rate_limit(2, Duration::from_secs(1));
    let client = client(&sb);
    client.partners().list().await.unwrap();
    client.partners().list().await.unwrap();
    client
        .partners()
        .list()
        .await
        .expect("the third call waits for the next window");
    let metrics = client.metrics();
    assert_eq!(metrics.rate_limited, 1, "one 429 was met");
    assert_eq!(metrics.retries, 1, "and retried once");
    assert!(
        metrics.waited >= Duration::from_secs(1),
        "after waiting Retry-After: {metrics:?}"
    );
}

#[tokio::test]
async fn a_rate_limit_without_retries_left_is_reported_with_its_wait() {
    let sb = sandbox(0).await;
    sb.quipt.set_rate_limit(1, Duration::from_secs(30));
    let client = Client::builder(sb.quipt_url())
        .consumer(consumer())
        .token(demo_token())
        .max_retries(0)
        .build()
        .unwrap();
    client.partners().list().await.unwrap();
    let result = client.partners().list().await;
    let Err(Error::RateLimited { retry_after, .. }) = result else {
        panic!("the second call must be rate limited: {result:?}")
    };
    assert!(
        retry_after > Duration::from_secs(20),
        "Retry-After is passed on: {retry_after:?}"
    );
}

#[tokio::test]
async fn success_false_is_an_error_and_is_not_retried() {
    let sb = sandbox(0).await;
    let client = client(&sb);
    sb.quipt.fail_next_unsuccessful(1);
    let result = client.warehouses().list().await;
    assert!(
        matches!(result, Err(Error::Api { status: 200, .. })),
        "Success:false fails: {result:?}"
    );
    assert_eq!(client.metrics().requests, 1, "and is not retried");
    client
        .warehouses()
        .list()
        .await
        .expect("the next call is served normally");
}

/// A one-shot HTTP server answering `body` with status 200, for answers the simulator never gives.
async fn serve_once(body: &'static str) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut buf = vec![0u8; 8192];
        let _ = socket.read(&mut buf).await;
        let response = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        socket.write_all(response.as_bytes()).await.unwrap();
    });
    url
}

fn plain_client(url: String) -> Client {
    Client::builder(url)
        .consumer(consumer())
        .token(demo_token())
        .max_retries(0)
        .build()
        .unwrap()
}

#[tokio::test]
async fn truncated_json_is_a_decode_error() {
    let url = serve_once(r#"{"Result": [{"Id": "a", "#).await;
    let result = plain_client(url).warehouses().list().await;
    assert!(
        matches!(result, Err(Error::Decode { .. })),
        "truncated JSON is a Decode error: {result:?}"
    );
}

#[tokio::test]
async fn an_order_with_a_value_of_the_wrong_type_is_that_order_s_error_naming_its_path() {
    let url = serve_once(
        r#"{"Result": [{"Id": "a", "OrderNumber": "1", "Status": "Open"}], "Success": true}"#,
    )
    .await;
    let page = plain_client(url)
        .orders()
        .list(&OrderQuery::default(), 10, 1)
        .await
        .expect("the page itself is read");
    let [Err(Error::UnreadableOrder(unreadable))] = page.items.as_slice() else {
        panic!("a string status must not parse: {:?}", page.items)
    };
    assert_eq!(
        (
            unreadable.path.as_str(),
            unreadable.id.as_deref(),
            unreadable.order_number.as_deref()
        ),
        ("Status", Some("a"), Some("1")),
        "the error names the order and its offending field"
    );
}
