//! The client against a hostile server (`net::RawServer`, byte for byte): wild rate headers (huge,
//! negative, not a number), an endless and a huge body, a redirect, headers dribbled a byte a
//! second, an HTML error page, truncated JSON, an order's error message and a wrong-typed field of
//! a megabyte, a date at the end of chrono's range, listings kept going for ever (page 1 answered
//! to every page, more pages than the total fills). Each call ends cleanly with a short error
//! naming the problem, never a panic (a 99999999999999999999 reset once panicked the run) and
//! never a wait beyond the 60-second window; waits run on a simulated clock, so the module takes
//! seconds.

use std::sync::Arc;
use std::time::Duration;

use shipstation::{Client, Error};

use crate::net::{RawServer, answer, cases};
use crate::{SimulatedClock, new_order};

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

/// `GET /stores` against `url` with `retries` retries and a 1.5 s timeout, as the operator reads
/// its error.
async fn stores(url: String, retries: u32) -> Result<(), String> {
    Client::builder(url)
        .credentials("key", "secret")
        .max_retries(retries)
        .timeout(Duration::from_millis(1500))
        .clock(SimulatedClock::new())
        .build()
        .expect("a loopback address builds")
        .stores()
        .list(false)
        .await
        .map(drop)
        .map_err(|e| e.to_string())
}

#[tokio::test]
async fn an_endless_body_is_cut_at_the_limit() {
    cases::an_endless_body_is_cut(|url| stores(url, 0)).await;
}

#[tokio::test]
async fn a_huge_body_announced_by_its_length_is_not_read() {
    cases::a_huge_body_is_not_read(shipstation::MAX_BODY, |url| stores(url, 0)).await;
}

#[tokio::test]
async fn a_huge_html_error_page_becomes_a_short_message_with_its_title() {
    cases::an_html_error_page_is_named_by_its_title(|url| stores(url, 1)).await;
}

#[tokio::test]
async fn a_redirect_is_not_followed_and_names_the_location() {
    cases::a_redirect_is_not_followed(|url| stores(url, 3)).await;
}

#[tokio::test]
async fn headers_dribbled_a_byte_a_second_end_in_a_timeout() {
    cases::dribbled_headers_time_out(STORES, |url| stores(url, 0)).await;
}

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
async fn a_wrong_typed_field_of_a_megabyte_is_an_error_cut_short_through_its_whole_chain() {
    cases::a_wrong_typed_field_of_a_megabyte_is_cut_short(
        |huge| format!(r#"[{{"storeId": "{huge}", "storeName": "Manual"}}]"#),
        |url| async move {
            hostile_client(&url, 0, SimulatedClock::new())
                .stores()
                .list(false)
                .await
                .map(drop)
                .map_err(|e| cases::chain(&e))
        },
    )
    .await;
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

#[tokio::test]
async fn an_orders_error_message_of_a_megabyte_is_cut_short() {
    let huge = "x".repeat(1024 * 1024);
    let body = format!(
        r#"{{"hasErrors": true, "results": [{{"orderId": 0, "orderNumber": "H-1", "orderKey": "k-1", "success": false, "errorMessage": "{huge}"}}]}}"#
    );
    let server = RawServer::start(move |_, _| answer(200, &[], &body)).await;
    let result = hostile_client(&server.url, 0, SimulatedClock::new())
        .orders()
        .create_many(&[new_order("H-1")])
        .await
        .expect("a refusal per order is an answer, not an error");
    let message = result.results[0]
        .error_message
        .as_deref()
        .expect("the order's message is kept");
    assert!(
        message.starts_with("xxx") && message.ends_with('…') && message.chars().count() <= 301,
        "the message reaching the history, the logs and the UI is cut to 300 characters: {} characters",
        message.chars().count()
    );
}

#[tokio::test]
async fn a_date_at_the_end_of_time_is_an_unreadable_row_naming_the_field_not_a_panic() {
    let page = r#"{"shipments": [{"shipmentId": 1, "orderId": 2, "createDate": "+262142-12-31T23:00:00.0000000"}], "total": 1, "page": 1, "pages": 1}"#;
    let server = RawServer::start(move |_, _| answer(200, &[], page)).await;
    let page = hostile_client(&server.url, 0, SimulatedClock::new())
        .shipments()
        .list(&shipstation::ShipmentQuery::default())
        .await
        .expect("the page reads; its one row does not");
    let [row] = page.unreadable.as_slice() else {
        panic!("a date no instant has makes its row unreadable: {page:?}")
    };
    assert_eq!(row.shipment_id, Some(1), "the row is named by its id");
    let told = row.to_string();
    assert!(
        told.contains("createDate") && told.contains("+262142-12-31T23:00:00"),
        "the error names the field and the value ShipStation sent: {told}"
    );
}

/// The first `limit` items of a listing: enough to see whether it ends, never waiting for one
/// that does not.
async fn first<T>(
    listing: impl futures::Stream<Item = shipstation::Result<T>>,
    limit: usize,
) -> Vec<shipstation::Result<T>> {
    futures::StreamExt::collect(futures::StreamExt::take(listing, limit)).await
}

/// How a listing ended within its first items: the error the operator is told, or why none came.
fn told<T>(items: &[shipstation::Result<T>]) -> String {
    match items.last() {
        Some(Err(error)) => error.to_string(),
        _ => panic!(
            "the listing went on for {} items without an error",
            items.len()
        ),
    }
}

/// A page as a caching proxy (or a bug) answers every page number: the same rows, and more pages
/// than there could ever be.
fn always_page_one(key: &str, id: &str) -> String {
    let row = |n: u32| match id {
        "orderId" => format!(r#"{{"orderId": {n}}}"#),
        _ => format!(r#"{{"{id}": {n}, "orderId": 11}}"#),
    };
    format!(
        r#"{{"{key}": [{}, {}], "total": 2, "page": 1, "pages": 4294967295}}"#,
        row(1),
        row(2)
    )
}

#[rstest::rstest]
#[case::orders("orders", "orderId")]
#[case::shipments("shipments", "shipmentId")]
#[case::fulfillments("fulfillments", "fulfillmentId")]
#[tokio::test]
async fn a_page_bringing_only_rows_of_earlier_pages_stops_the_listing_naming_what_shipstation_did(
    #[case] key: &'static str,
    #[case] id: &'static str,
) {
    let page = always_page_one(key, id);
    let server = RawServer::start(move |_, _| answer(200, &[], &page)).await;
    let client = hostile_client(&server.url, 0, SimulatedClock::new());
    let told = match key {
        "orders" => told(&first(client.orders().list_all(Default::default()), 20).await),
        "shipments" => told(&first(client.shipments().list_all(Default::default()), 20).await),
        _ => told(&first(client.fulfillments().list_all(Default::default()), 20).await),
    };
    assert!(
        told.contains(&format!("/{key}"))
            && told.contains("page 2")
            && told.contains("earlier pages"),
        "the operator is told which listing ShipStation kept going and how: {told}"
    );
    assert_eq!(
        server.requests().len(),
        2,
        "page 2, all repeats, is the last asked for"
    );
}

#[tokio::test]
async fn a_listing_going_past_the_pages_its_total_allows_is_stopped_naming_the_total() {
    // Every page brings a row never seen, but the server counts one row in all and ever more pages.
    let server = RawServer::start(|n, _| {
        answer(
            200,
            &[],
            &format!(
                r#"{{"shipments": [{{"shipmentId": {}, "orderId": 11}}], "total": 1, "page": {}, "pages": 4294967295}}"#,
                n + 1,
                n + 1
            ),
        )
    })
    .await;
    let client = hostile_client(&server.url, 0, SimulatedClock::new());
    let items = first(client.shipments().list_all(Default::default()), 20).await;
    let told = told(&items);
    assert!(
        told.contains("/shipments") && told.contains("1 record") && told.contains("page 2"),
        "the operator is told the total ShipStation announced and where it went past it: {told}"
    );
    assert_eq!(
        server.requests().len(),
        2,
        "one page for the row announced, one more for rows added while listing, and no further"
    );
    assert_eq!(
        items.iter().filter(|item| item.is_ok()).count(),
        2,
        "the rows read before the stop are kept"
    );
}

#[tokio::test]
async fn rows_that_move_between_pages_while_listing_do_not_stop_it() {
    // Sorted by a date that changes: page 2 repeats a row of page 1 and brings a new one; the
    // four rows announced are all listed.
    let server = RawServer::start(|n, _| {
        let ids = [[1, 2], [2, 3], [3, 4]][n.min(2)];
        answer(
            200,
            &[],
            &format!(
                r#"{{"shipments": [{{"shipmentId": {}, "orderId": 11}}, {{"shipmentId": {}, "orderId": 11}}], "total": 4, "page": {}, "pages": 3}}"#,
                ids[0],
                ids[1],
                n + 1
            ),
        )
    })
    .await;
    let client = hostile_client(&server.url, 0, SimulatedClock::new());
    let query = shipstation::ShipmentQuery {
        page_size: Some(2),
        ..Default::default()
    };
    let items = first(client.shipments().list_all(query), 20).await;
    assert!(
        items.iter().all(Result::is_ok) && items.len() == 6,
        "every page is read, repeats and all: {items:?}"
    );
}

#[tokio::test]
async fn an_empty_page_before_the_last_announced_stops_the_listing_instead_of_ending_it() {
    let server = RawServer::start(|n, _| match n {
        0 => answer(
            200,
            &[],
            r#"{"shipments": [{"shipmentId": 1, "orderId": 9}], "total": 2, "page": 1, "pages": 2}"#,
        ),
        _ => answer(200, &[], r#"{"shipments": [], "total": 2, "page": 2, "pages": 2}"#),
    })
    .await;
    let client = hostile_client(&server.url, 0, SimulatedClock::new());
    let shipments = client.shipments();
    let listing = shipments.list_all(shipstation::ShipmentQuery {
        page_size: Some(1),
        ..Default::default()
    });
    let items = first(listing, 10).await;
    let Some(Err(error @ Error::ListingCutShort { .. })) = items.last() else {
        panic!("the listing must not end as if it were read whole: {items:?}")
    };
    assert!(
        error.is_retryable() && error.to_string().contains("page 2"),
        "the operator reads which page, and the next run reads it again: {error}"
    );
    assert_eq!(items.len(), 2, "the label read before is kept");
}
