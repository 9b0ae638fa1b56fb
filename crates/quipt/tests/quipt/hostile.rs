//! The client against a hostile server (`net::RawServer`, byte for byte): wild `Retry-After`
//! values, an endless and a huge body, a redirect, headers dribbled a byte a second, HTML error
//! pages, truncated JSON, a wrong-typed field of a megabyte, a listing answered with page 1 to
//! every page. Each call ends cleanly with a short error naming the problem, never a panic and
//! never a hang; waits run on a simulated clock, so the module takes seconds.

use std::sync::Arc;
use std::time::Duration;

use quipt::{Client, Error, OrderId};

use crate::net::{RawServer, answer, cases};
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

/// `GET /warehouses` against `url` with `retries` retries and a 1.5 s timeout, as the operator
/// reads its error.
async fn warehouses(url: String, retries: u32) -> Result<(), String> {
    Client::builder(url)
        .consumer(consumer())
        .token(demo_token())
        .max_retries(retries)
        .timeout(Duration::from_millis(1500))
        .clock(SimulatedClock::off_by(0))
        .build()
        .expect("the client builds")
        .warehouses()
        .list()
        .await
        .map(drop)
        .map_err(|e| e.to_string())
}

#[tokio::test]
async fn an_endless_body_is_cut_at_the_limit() {
    cases::an_endless_body_is_cut(|url| warehouses(url, 0)).await;
}

#[tokio::test]
async fn a_huge_body_announced_by_its_length_is_not_read() {
    cases::a_huge_body_is_not_read(quipt::MAX_BODY, |url| warehouses(url, 0)).await;
}

#[tokio::test]
async fn a_huge_html_error_page_becomes_a_short_message_with_its_title() {
    cases::an_html_error_page_is_named_by_its_title(|url| warehouses(url, 1)).await;
}

#[tokio::test]
async fn a_redirect_is_not_followed_and_names_the_location() {
    cases::a_redirect_is_not_followed(|url| warehouses(url, 3)).await;
}

#[tokio::test]
async fn headers_dribbled_a_byte_a_second_end_in_a_timeout() {
    cases::dribbled_headers_time_out(ENVELOPE, |url| warehouses(url, 0)).await;
}

#[rstest::rstest]
#[case::negative("-30")]
#[case::not_a_number("soon")]
#[case::nan("NaN")]
#[tokio::test]
async fn a_retry_after_that_is_no_number_of_seconds_is_named_and_backed_off(
    #[case] value: &'static str,
) {
    let (server, clock, error) = always_rate_limited(value).await;
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
    }
}

#[rstest::rstest]
#[case::huge("99999999999999999999", "18446744073709551615 s")]
#[case::an_hour("3600", "3600 s")]
#[case::just_beyond_the_window("61", "61 s")]
#[tokio::test]
async fn a_retry_after_beyond_the_window_ends_the_call_at_once_naming_the_wait(
    #[case] value: &'static str,
    #[case] named: &str,
) {
    let (server, clock, error) = always_rate_limited(value).await;
    assert!(
        error.to_string().contains(named),
        "the error names the wait Quipt asked for, so the operator knows when it passes: {error}"
    );
    assert_eq!(
        server.requests().len(),
        1,
        "no retry: the next scheduled run tries again"
    );
    assert!(
        clock.slept().is_empty(),
        "nothing is slept through: {:?}",
        clock.slept()
    );
}

/// A read against a server that answers every call 429 with `Retry-After: value`, through a
/// client allowed two retries: the server, the client's clock and the error it ended with.
async fn always_rate_limited(value: &'static str) -> (RawServer, Arc<SimulatedClock>, Error) {
    let server = RawServer::start(move |_, _| {
        answer(429, &[("Retry-After", value)], r#"{"Success": false}"#)
    })
    .await;
    let clock = SimulatedClock::off_by(0);
    let client = hostile_client(&server.url, 2, clock.clone());
    let result = client.warehouses().list().await;
    let Err(error @ Error::RateLimited { .. }) = result else {
        panic!("a 429 is reported as a rate limit: {result:?}")
    };
    (server, clock, error)
}

#[tokio::test]
async fn a_wrong_typed_field_of_a_megabyte_is_an_error_cut_short_through_its_whole_chain() {
    cases::a_wrong_typed_field_of_a_megabyte_is_cut_short(
        |huge| format!(r#"{{"Result": [], "Success": "{huge}"}}"#),
        |url| async move {
            hostile_client(&url, 0, SimulatedClock::off_by(0))
                .warehouses()
                .list()
                .await
                .map(drop)
                .map_err(|e| cases::chain(&e))
        },
    )
    .await;
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

/// A page of two open orders with `ids`: page `page`, Quipt's `Total` (none: not announced), and
/// whether more records follow.
fn two_orders(
    ids: [impl std::fmt::Display; 2],
    page: usize,
    total: Option<u64>,
    more: bool,
) -> String {
    let total = total
        .map(|t| format!(r#""Total": {t}, "#))
        .unwrap_or_default();
    format!(
        r#"{{"Result": [{{"Id": "{}", "Status": 4}}, {{"Id": "{}", "Status": 4}}],
        "Paging": {{"PageNumber": {page}, {total}"HasMoreRecords": {more}}}, "Success": true}}"#,
        ids[0], ids[1]
    )
}

/// The first 20 items of the listing of every order, `page_size` a page: enough to see whether it
/// ends, never waiting for one that does not.
async fn first_orders(client: &Client, page_size: u32) -> Vec<Result<quipt::Order, Error>> {
    let orders = client.orders();
    let listing = orders.list_all(quipt::OrderQuery::default(), page_size);
    futures::StreamExt::collect(futures::StreamExt::take(listing, 20)).await
}

#[tokio::test]
async fn a_listing_answered_with_page_one_over_and_over_is_stopped_naming_what_quipt_did() {
    // A caching proxy (or a bug) ignores the page in the path: every answer is page 1, with more.
    let page = r#"{"Result": [{"Id": "o-1", "Status": 4}, {"Id": "o-2", "Status": 4}],
        "Paging": {"PageNumber": 1, "Total": 2, "HasMoreRecords": true}, "Success": true}"#;
    let server = RawServer::start(move |_, _| answer(200, &[], page)).await;
    let client = hostile_client(&server.url, 0, SimulatedClock::off_by(0));
    let items = first_orders(&client, quipt::MAX_PAGE_SIZE).await;
    let Some(Err(error)) = items.last() else {
        panic!(
            "the listing went on for {} orders without an error",
            items.len()
        )
    };
    let told = error.to_string();
    assert!(
        told.contains("Quipt") && told.contains("page 2") && told.contains("earlier pages"),
        "the operator is told Quipt kept answering with orders already listed: {told}"
    );
    assert_eq!(
        server.requests().len(),
        2,
        "page 2, all repeats, is the last asked for"
    );
}

#[tokio::test]
async fn orders_that_move_between_pages_while_listing_do_not_stop_it() {
    // Listed by modified date: an order modified while listing shows up again on a later page.
    let server = RawServer::start(|n, _| {
        let (ids, more) = [
            (["o-1", "o-2"], true),
            (["o-2", "o-3"], true),
            (["o-3", "o-4"], false),
        ][n.min(2)];
        answer(200, &[], &two_orders(ids, n + 1, Some(4), more))
    })
    .await;
    let client = hostile_client(&server.url, 0, SimulatedClock::off_by(0));
    let items = first_orders(&client, 2).await;
    assert!(
        items.iter().all(Result::is_ok) && items.len() == 6,
        "every page is read, repeats and all: {items:?}"
    );
}

#[tokio::test]
async fn a_listing_that_goes_on_past_the_total_it_announced_is_stopped_a_page_later() {
    // Every page brings new orders and says more follow, while Quipt's own Total says 2.
    let server = RawServer::start(|n, _| {
        let ids = [format!("o-{n}a"), format!("o-{n}b")];
        answer(200, &[], &two_orders(ids, n + 1, Some(2), true))
    })
    .await;
    let client = hostile_client(&server.url, 0, SimulatedClock::off_by(0));
    let items = first_orders(&client, 2).await;
    let Some(Err(error)) = items.last() else {
        panic!("the listing went on for {} items: {items:?}", items.len())
    };
    let told = error.to_string();
    assert!(
        told.contains("page 2") && told.contains("past the 2 records it announced"),
        "the operator is told what Quipt did: {told}"
    );
    assert_eq!(
        (items.len(), server.requests().len()),
        (5, 2),
        "the orders of the page past the total are kept, and no third page is asked for"
    );
}

#[tokio::test]
async fn a_listing_without_a_total_is_read_to_its_last_page() {
    let server = RawServer::start(|n, _| {
        let ids = [format!("o-{n}a"), format!("o-{n}b")];
        answer(200, &[], &two_orders(ids, n + 1, None, n < 2))
    })
    .await;
    let client = hostile_client(&server.url, 0, SimulatedClock::off_by(0));
    let items = first_orders(&client, 2).await;
    assert!(
        items.iter().all(Result::is_ok) && items.len() == 6,
        "every page is read when Quipt announces no Total: {items:?}"
    );
}

#[tokio::test]
async fn a_page_with_no_order_while_more_records_are_announced_stops_the_listing_instead_of_ending_it()
 {
    let server = RawServer::start(|n, _| match n {
        0 => answer(200, &[], &two_orders(["o-1", "o-2"], 1, Some(4), true)),
        _ => answer(
            200,
            &[],
            r#"{"Result": [], "Paging": {"PageNumber": 2, "Total": 4, "HasMoreRecords": true}, "Success": true}"#,
        ),
    })
    .await;
    let client = hostile_client(&server.url, 0, SimulatedClock::off_by(0));
    let items = first_orders(&client, 2).await;
    let Some(Err(error @ Error::ListingCutShort { .. })) = items.last() else {
        panic!("the listing must not end as if it were read whole: {items:?}")
    };
    assert!(
        error.is_retryable() && error.to_string().contains("page 2"),
        "the operator reads which page, and the next run reads it again: {error}"
    );
    assert_eq!(items.len(), 3, "the orders read before are kept: {items:?}");
}
