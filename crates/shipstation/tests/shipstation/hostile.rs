//! The client against a hostile server (`net::RawServer`, byte for byte): wild rate headers (huge,
//! negative, not a number), an endless and a huge body, a redirect, headers dribbled a byte a
//! second, an HTML error page, truncated JSON. Each call ends cleanly with an error naming the
//! problem, never a panic (a 99999999999999999999 reset once panicked the run) and never a wait
//! beyond the 60-second window; waits run on a simulated clock, so the module takes seconds.

use std::sync::Arc;
use std::time::Duration;

use shipstation::{Client, Error};

use crate::SimulatedClock;
use crate::net::{RawServer, Reply, answer};

fn hostile_client(url: &str, retries: u32, clock: Arc<SimulatedClock>) -> Client {
    Client::builder(url)
        .credentials("key", "secret")
        .max_retries(retries)
        .timeout(Duration::from_secs(2))
        .clock(clock)
        .build()
        .expect("a loopback address builds")
}

const STORES: &str =
    r#"[{"storeId": 1, "storeName": "Manual", "marketplaceId": 0, "active": true}]"#;

#[rstest::rstest]
#[case::huge_reset(
    "40",
    "0",
    "99999999999999999999",
    "X-Rate-Limit-Reset: 99999999999999999999"
)]
#[case::negative_reset("40", "0", "-60", "X-Rate-Limit-Reset: -60")]
#[case::nan_reset("40", "0", "NaN", "X-Rate-Limit-Reset: NaN")]
#[case::garbage_counts("lots", "-1", "5", "X-Rate-Limit-Limit: lots")]
#[tokio::test]
async fn wild_rate_headers_on_a_429_are_never_waited_beyond_the_window_and_are_named(
    #[case] limit: &'static str,
    #[case] remaining: &'static str,
    #[case] reset: &'static str,
    #[case] named: &str,
) {
    let server = RawServer::start(move |_, _| {
        answer(
            429,
            &[
                ("X-Rate-Limit-Limit", limit),
                ("X-Rate-Limit-Remaining", remaining),
                ("X-Rate-Limit-Reset", reset),
            ],
            r#"{"message": "Too Many Requests"}"#,
        )
    })
    .await;
    let clock = SimulatedClock::new();
    let result = hostile_client(&server.url, 2, clock.clone())
        .stores()
        .list(false)
        .await;
    let Err(error @ Error::RateLimited { .. }) = result else {
        panic!("a 429 that never ends is reported as a rate limit: {result:?}")
    };
    assert!(
        error.to_string().contains(named),
        "the error names what ShipStation sent ({named}): {error}"
    );
    assert_eq!(server.requests().len(), 3, "one attempt and two retries");
    let slept = clock.slept();
    assert!(
        !slept.is_empty() && slept.iter().all(|w| *w <= Duration::from_secs(60)),
        "every wait is at most the 60-second window: {slept:?}"
    );
}

#[tokio::test]
async fn a_huge_reset_on_a_success_paces_the_next_call_by_one_window_at_most() {
    let server = RawServer::start(|_, _| {
        answer(
            200,
            &[
                ("X-Rate-Limit-Limit", "40"),
                ("X-Rate-Limit-Remaining", "0"),
                ("X-Rate-Limit-Reset", "1e300"),
            ],
            STORES,
        )
    })
    .await;
    let clock = SimulatedClock::new();
    let client = hostile_client(&server.url, 0, clock.clone());
    client
        .stores()
        .list(false)
        .await
        .expect("the first call is served");
    client
        .stores()
        .list(false)
        .await
        .expect("the second waits for the window, then is served");
    assert_eq!(
        clock.slept(),
        vec![Duration::from_secs(60)],
        "the used-up window was waited out once, for at most a minute"
    );
}

#[tokio::test]
async fn an_endless_body_is_cut_at_the_limit() {
    let server = RawServer::start(|_, _| Reply::Endless {
        head: "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n"
            .into(),
    })
    .await;
    let result = hostile_client(&server.url, 0, SimulatedClock::new())
        .stores()
        .list(false)
        .await;
    let Err(error @ Error::BodyTooLarge { .. }) = result else {
        panic!("an endless answer ends at the limit: {result:?}")
    };
    assert!(
        error.to_string().contains("larger than 32 MiB"),
        "the error says why: {error}"
    );
}

#[tokio::test]
async fn a_huge_body_announced_by_its_length_is_not_read() {
    let huge = format!("[{}]", " ".repeat(shipstation::MAX_BODY));
    let server = RawServer::start(move |_, _| answer(200, &[], &huge)).await;
    let result = hostile_client(&server.url, 0, SimulatedClock::new())
        .warehouses()
        .list()
        .await;
    assert!(
        matches!(result, Err(Error::BodyTooLarge { limit }) if limit == shipstation::MAX_BODY),
        "a body over the limit is refused: {result:?}"
    );
}

#[tokio::test]
async fn a_huge_html_error_page_becomes_a_short_message_with_its_title() {
    let page = format!(
        "<html><head><title>503 Service Temporarily Unavailable</title></head><body>{}</body></html>",
        "<p>please wait</p>".repeat(100_000)
    );
    let server = RawServer::start(move |_, _| answer(503, &[], &page)).await;
    let result = hostile_client(&server.url, 1, SimulatedClock::new())
        .carriers()
        .list()
        .await;
    let Err(error) = result else {
        panic!("a 503 that stays fails the call")
    };
    let message = error.to_string();
    assert!(
        message.contains("an HTML page titled \"503 Service Temporarily Unavailable\""),
        "the page is named by its title: {message}"
    );
    assert!(
        message.len() < 400,
        "a 1.7 MB page does not become a 1.7 MB message ({} bytes)",
        message.len()
    );
}

#[tokio::test]
async fn a_redirect_is_not_followed_and_names_the_location() {
    let server =
        RawServer::start(|_, _| answer(301, &[("Location", "https://elsewhere.example/")], ""))
            .await;
    let result = hostile_client(&server.url, 3, SimulatedClock::new())
        .stores()
        .list(false)
        .await;
    let Err(error @ Error::Redirect { .. }) = result else {
        panic!("a redirect is an error: {result:?}")
    };
    assert!(
        error.to_string().contains("https://elsewhere.example/"),
        "the error names where it pointed: {error}"
    );
    assert_eq!(
        server.requests().len(),
        1,
        "neither followed nor retried: the key and secret go nowhere else"
    );
}

#[tokio::test]
async fn headers_dribbled_a_byte_a_second_end_in_a_timeout() {
    let bytes = format!(
        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n{STORES}",
        STORES.len()
    )
    .into_bytes();
    let server = RawServer::start(move |_, _| Reply::Dribble {
        bytes: bytes.clone(),
        every: Duration::from_secs(1),
    })
    .await;
    let client = Client::builder(&server.url)
        .max_retries(0)
        .timeout(Duration::from_millis(1500))
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let result = client.stores().list(false).await;
    let Err(error @ Error::Transport { .. }) = result else {
        panic!("a server too slow to finish its headers times out: {result:?}")
    };
    assert!(
        error
            .to_string()
            .contains("no full answer within the timeout"),
        "the error says it timed out: {error}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the timeout covers the whole answer: {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn truncated_json_is_a_decode_error_naming_where_it_broke() {
    let server =
        RawServer::start(|_, _| answer(200, &[], r#"[{"storeId": 1, "storeName": "#)).await;
    let result = hostile_client(&server.url, 2, SimulatedClock::new())
        .stores()
        .list(false)
        .await;
    let Err(error @ Error::Decode { .. }) = result else {
        panic!("truncated JSON is a Decode error: {result:?}")
    };
    assert!(
        error.to_string().contains("EOF"),
        "the error says the answer ended early: {error}"
    );
    assert_eq!(
        server.requests().len(),
        1,
        "a malformed answer is not retried"
    );
}
