//! The client against a hostile server (`net::RawServer`, byte for byte): wild `Retry-After`
//! values, an endless and a huge body, a redirect, headers dribbled a byte a second, HTML error
//! pages, truncated JSON. Each call ends cleanly with an error naming the problem, never a panic
//! and never a hang; waits run on a simulated clock, so the module takes seconds.

use std::sync::Arc;
use std::time::Duration;

use quipt::{Client, Error, OrderId};

use crate::net::{RawServer, Reply, answer};
use crate::support::*;

/// A client of `url` with `retries` retries, a 2 s timeout and waits on `clock`.
fn hostile_client(url: &str, retries: u32, clock: Arc<SimulatedClock>) -> Client {
    Client::builder(url)
        .consumer(consumer())
        .token(demo_token())
        .max_retries(retries)
        .timeout(Duration::from_secs(2))
        .clock(clock)
        .build()
        .expect("the client builds")
}

const ENVELOPE: &str = r#"{"Result": [], "Success": true}"#;

#[rstest::rstest]
#[case::huge("99999999999999999999", Some(60))]
#[case::beyond_the_window("3600", Some(60))]
#[case::negative("-30", None)]
#[case::not_a_number("soon", None)]
#[case::nan("NaN", None)]
#[tokio::test]
async fn a_wild_retry_after_is_never_waited_beyond_the_window_and_is_named(
    #[case] value: &'static str,
    #[case] waited_secs: Option<u64>,
) {
    let server = RawServer::start(move |_, _| {
        answer(429, &[("Retry-After", value)], r#"{"Success": false}"#)
    })
    .await;
    let clock = SimulatedClock::off_by(0);
    let client = hostile_client(&server.url, 2, clock.clone());
    let result = client.warehouses().list().await;
    let Err(error @ Error::RateLimited { .. }) = result else {
        panic!("a 429 that never ends is reported as a rate limit: {result:?}")
    };
    assert!(
        error.to_string().contains(&format!("Retry-After: {value}")),
        "the error names what Quipt sent: {error}"
    );
    assert_eq!(server.requests().len(), 3, "one attempt and two retries");
    for wait in clock.slept() {
        assert!(
            wait <= Duration::from_secs(60),
            "no wait beyond the 60-second window: {wait:?}"
        );
        if let Some(secs) = waited_secs {
            assert_eq!(wait, Duration::from_secs(secs), "capped at the window");
        }
    }
}

#[tokio::test]
async fn an_endless_body_is_cut_at_the_limit() {
    let server = RawServer::start(|_, _| Reply::Endless {
        head: "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n"
            .into(),
    })
    .await;
    let result = hostile_client(&server.url, 0, SimulatedClock::off_by(0))
        .warehouses()
        .list()
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
    let huge = format!(
        r#"{{"Result": [], "Success": true, "Padding": "{}"}}"#,
        "x".repeat(quipt::MAX_BODY)
    );
    let server = RawServer::start(move |_, _| answer(200, &[], &huge)).await;
    let result = hostile_client(&server.url, 0, SimulatedClock::off_by(0))
        .partners()
        .list()
        .await;
    assert!(
        matches!(result, Err(Error::BodyTooLarge { limit }) if limit == quipt::MAX_BODY),
        "a body over the limit is refused: {result:?}"
    );
}

#[tokio::test]
async fn a_huge_html_error_page_becomes_a_short_message_with_its_title() {
    let page = format!(
        "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>{}</body></html>",
        "<p>nginx</p>".repeat(200_000)
    );
    let server =
        RawServer::start(move |_, _| answer(502, &[("Content-Type", "text/html")], &page)).await;
    let clock = SimulatedClock::off_by(0);
    let result = hostile_client(&server.url, 1, clock.clone())
        .warehouses()
        .list()
        .await;
    let Err(error) = result else {
        panic!("a gateway error fails the call")
    };
    let message = error.to_string();
    assert!(
        message.contains("an HTML page titled \"502 Bad Gateway\""),
        "the page is named by its title: {message}"
    );
    assert!(
        message.len() < 400,
        "a 2 MB page does not become a 2 MB message ({} bytes)",
        message.len()
    );
    assert_eq!(server.requests().len(), 2, "a 5xx of a read is retried");
}

#[tokio::test]
async fn a_redirect_is_not_followed_and_names_the_location() {
    let server = RawServer::start(|_, _| {
        answer(302, &[("Location", "https://elsewhere.example/steal")], "")
    })
    .await;
    let result = hostile_client(&server.url, 3, SimulatedClock::off_by(0))
        .orders()
        .get(&OrderId("o-1".into()))
        .await;
    let Err(error @ Error::Redirect { .. }) = result else {
        panic!("a redirect is an error: {result:?}")
    };
    assert!(
        error
            .to_string()
            .contains("https://elsewhere.example/steal"),
        "the error names where it pointed: {error}"
    );
    assert_eq!(
        server.requests().len(),
        1,
        "neither followed nor retried: the credentials go nowhere else"
    );
}

#[tokio::test]
async fn headers_dribbled_a_byte_a_second_end_in_a_timeout() {
    let bytes = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{ENVELOPE}",
        ENVELOPE.len()
    )
    .into_bytes();
    let server = RawServer::start(move |_, _| Reply::Dribble {
        bytes: bytes.clone(),
        every: Duration::from_secs(1),
    })
    .await;
    let client = Client::builder(&server.url)
        .consumer(consumer())
        .token(demo_token())
        .max_retries(0)
        .timeout(Duration::from_millis(1500))
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let result = client.warehouses().list().await;
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
        "the timeout covers the whole answer, not each byte: {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn truncated_json_in_an_answer_to_a_read_is_a_decode_error() {
    let server = RawServer::start(|_, _| answer(200, &[], r#"{"Result": [{"Id": "a", "#)).await;
    let result = hostile_client(&server.url, 2, SimulatedClock::off_by(0))
        .warehouses()
        .list()
        .await;
    assert!(
        matches!(result, Err(Error::Decode { .. })),
        "truncated JSON is a Decode error: {result:?}"
    );
    assert_eq!(
        server.requests().len(),
        1,
        "a malformed answer is not retried"
    );
}

#[tokio::test]
async fn an_unreadable_answer_to_a_write_is_settled_by_reading_the_order_back() {
    // The write's answer is truncated JSON: Quipt did something. The client reads the order back
    // (here: an order whose line is already accepted) instead of sending the write again.
    let order = r#"{"Result": {"Id": "o-1", "Status": 4, "Lines": [{"Id": "l-1",
        "Ordered": {"Units": 0, "Value": 1}, "Acknowledgements": [{"Status": 1}]}]}, "Success": true}"#;
    let server = RawServer::start(move |_, request| {
        if request.line().starts_with("POST") {
            answer(200, &[], r#"{"Result": {"#)
        } else {
            answer(200, &[], order)
        }
    })
    .await;
    let client = hostile_client(&server.url, 3, SimulatedClock::off_by(0));
    let ack = quipt::Acknowledgement {
        lines: vec![quipt::AckLine {
            line_id: quipt::LineId("l-1".into()),
            status: quipt::AckStatus::Accepted,
            quantity: quipt::Quantity::each(1.0),
        }],
    };
    client
        .orders()
        .acknowledge(&OrderId("o-1".into()), &ack)
        .await
        .expect("the order read back shows the acceptance: done");
    let posts = server
        .requests()
        .iter()
        .filter(|r| r.starts_with("POST"))
        .count();
    assert_eq!(
        posts,
        1,
        "the acceptance was sent once: {:?}",
        server.requests()
    );
    assert_eq!(client.metrics().read_back, 1, "and settled by one read");
}
