use std::time::Duration;

use shipstation::{Client, Error, OrderQuery, ShipmentQuery};

use crate::{builder, client, default_sandbox, new_order};

#[tokio::test]
async fn server_errors_are_retried_until_they_pass() {
    let sandbox = default_sandbox().await;
    let client = client(&sandbox);
    sandbox.shipstation.fail_next(2, 503);
    let stores = client
        .stores()
        .list(false)
        .await
        .expect("the third attempt succeeds");
    assert_eq!(stores.len(), 4, "the real answer");
    assert_eq!(client.metrics().retries, 2, "two retries");
}

#[tokio::test]
async fn server_errors_beyond_the_retries_keep_the_apis_message() {
    let sandbox = default_sandbox().await;
    let client = builder(&sandbox).max_retries(1).build().unwrap();
    sandbox.shipstation.fail_next(5, 500);
    let error = client.stores().list(false).await.unwrap_err();
    assert_eq!(error.status(), Some(500), "typed 500: {error}");
    assert!(error.is_retryable(), "a 500 may heal later");
    assert!(
        error.to_string().contains("Simulated server fault"),
        "ExceptionMessage kept: {error}"
    );
    assert_eq!(
        sandbox.shipstation.stats().total,
        2,
        "one attempt plus one retry"
    );
}

#[tokio::test]
async fn dropped_connections_are_retried() {
    let sandbox = default_sandbox().await;
    let client = client(&sandbox);
    sandbox.shipstation.drop_next(2);
    client
        .orders()
        .create_many(&[new_order("DROP-1")])
        .await
        .expect("the retry gets through");
    assert_eq!(
        client.metrics().retries,
        2,
        "two dropped connections, two retries"
    );
    assert_eq!(
        sandbox.shipstation.all_orders().len(),
        1,
        "the upsert key keeps retries from duplicating"
    );
}

#[tokio::test]
async fn a_dropped_connection_without_retries_is_a_transport_error() {
    let sandbox = default_sandbox().await;
    let client = builder(&sandbox).max_retries(0).build().unwrap();
    sandbox.shipstation.drop_next(1);
    let error = client.warehouses().list().await.unwrap_err();
    assert!(
        matches!(error, Error::Transport { .. }),
        "no answer is a transport error: {error}"
    );
    assert!(error.is_retryable(), "worth retrying later");
}

#[tokio::test]
async fn a_slow_answer_times_out_as_a_transport_error() {
    let sandbox = default_sandbox().await;
    let client = builder(&sandbox)
        .max_retries(0)
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    sandbox.shipstation.set_latency(Duration::from_millis(600));
    let error = client.warehouses().list().await.unwrap_err();
    assert!(
        matches!(error, Error::Transport { ref source } if source.is_timeout()),
        "a timeout: {error}"
    );
}

#[tokio::test]
async fn null_rows_are_skipped_and_counted() {
    let sandbox = default_sandbox().await;
    let client = client(&sandbox);
    client
        .orders()
        .create_many(&[new_order("N-1"), new_order("N-2")])
        .await
        .unwrap();
    sandbox.shipstation.set_null_rows(true);
    let page = client.orders().list(&OrderQuery::default()).await.unwrap();
    assert_eq!(page.items.len(), 2, "both real orders");
    assert_eq!(
        page.null_rows_skipped, 2,
        "the null rows were counted, not returned"
    );
    let shipments = client
        .shipments()
        .list(&ShipmentQuery::default())
        .await
        .unwrap();
    assert!(
        shipments.items.is_empty() && shipments.null_rows_skipped == 1,
        "an empty page with a null row"
    );
}

#[tokio::test]
async fn a_label_row_that_does_not_read_is_named_and_the_listing_goes_on_past_it() {
    use futures::StreamExt;
    use sandbox::shipstation::{GarbledRow, LabelRequest};

    let sandbox = default_sandbox().await;
    let client = client(&sandbox);
    for number in ["G-1", "G-2", "G-3"] {
        let order = client.orders().create(&new_order(number)).await.unwrap();
        sandbox
            .shipstation
            .create_label(
                order.order_id.0,
                LabelRequest {
                    tracking_number: format!("1Z{number}"),
                    ..Default::default()
                },
            )
            .unwrap();
    }
    sandbox.shipstation.garble_rows(GarbledRow {
        order_number: "G-2".into(),
        pointer: "/voided".into(),
        value: serde_json::json!("false"),
    });
    let listed: Vec<_> = client
        .shipments()
        .list_all(ShipmentQuery {
            page_size: Some(2),
            ..ShipmentQuery::default()
        })
        .collect()
        .await;
    let read: Vec<_> = listed
        .iter()
        .filter_map(|row| row.as_ref().ok())
        .map(|s| s.order_number.as_deref().unwrap_or_default())
        .collect();
    assert_eq!(read, ["G-1", "G-3"], "the labels that read are all listed");
    let unreadable: Vec<_> = listed
        .iter()
        .filter_map(|row| match row {
            Err(Error::UnreadableRow(row)) => Some(row),
            _ => None,
        })
        .collect();
    let [row] = unreadable.as_slice() else {
        panic!("the garbled label comes as one unreadable row: {listed:?}");
    };
    assert_eq!(
        (row.order_number.as_deref(), row.path.as_str()),
        (Some("G-2"), "voided"),
        "named by its order and the field that did not read"
    );
    assert!(
        row.shipment_id.is_some() && row.create_date.is_some(),
        "its id and date read, for the caller's cursor: {row:?}"
    );
    assert!(
        row.to_string().contains("label") && row.to_string().contains("G-2"),
        "the operator reads which label: {row}"
    );
    assert_eq!(listed.len(), 3, "nothing else came: {listed:?}");
}

#[tokio::test]
async fn a_poison_order_fails_only_its_own_page() {
    let sandbox = default_sandbox().await;
    let client = builder(&sandbox).max_retries(0).build().unwrap();
    let batch: Vec<_> = (0..4).map(|n| new_order(&format!("PO-{n}"))).collect();
    client.orders().create_many(&batch).await.unwrap();
    sandbox
        .shipstation
        .set_poison_order_number(Some("PO-3".into()));
    let page = |n| OrderQuery {
        page: Some(n),
        page_size: Some(2),
        ..OrderQuery::default()
    };
    assert_eq!(
        client.orders().list(&page(1)).await.unwrap().items.len(),
        2,
        "the clean page reads"
    );
    let error = client.orders().list(&page(2)).await.unwrap_err();
    assert_eq!(
        error.status(),
        Some(500),
        "the poisoned page answers 500: {error}"
    );
    let again = [new_order("PO-3"), new_order("PO-4")];
    let error = client.orders().create_many(&again).await.unwrap_err();
    assert_eq!(
        error.status(),
        Some(500),
        "a create holding it fails whole: {error}"
    );
    assert_eq!(
        sandbox.shipstation.all_orders().len(),
        4,
        "and nothing of it took effect"
    );
}

#[tokio::test]
async fn a_partial_bulk_failure_reports_each_order() {
    let sandbox = default_sandbox().await;
    let client = client(&sandbox);
    sandbox
        .shipstation
        .fail_orders_matching(Some("FAIL".into()));
    let result = client
        .orders()
        .create_many(&[
            new_order("GOOD-1"),
            new_order("FAIL-1"),
            new_order("GOOD-2"),
        ])
        .await
        .unwrap();
    assert!(result.has_errors, "hasErrors");
    let ok: Vec<bool> = result.results.iter().map(|r| r.success).collect();
    assert_eq!(ok, [true, false, true], "only the matching order failed");
    assert_eq!(
        result.results[1].order_id, None,
        "no order id for the failed one"
    );
    assert!(result.results[1].error_message.is_some(), "with a reason");
}

#[tokio::test]
async fn malformed_answers_are_decode_errors_not_panics() {
    let sandbox = default_sandbox().await;
    let client = client(&sandbox);
    sandbox
        .shipstation
        .garbage_next(1, "this is not json{".into());
    let error = client.stores().list(false).await.unwrap_err();
    assert!(matches!(error, Error::Decode { .. }), "not JSON: {error}");
    sandbox.shipstation.garbage_next(
        1,
        r#"{"orders": [{"orderId": "abc"}], "total": 1, "page": 1, "pages": 1}"#.into(),
    );
    let page = client
        .orders()
        .list(&OrderQuery::default())
        .await
        .expect("a row that does not read is the row's problem, not the page's");
    assert_eq!(
        page.unreadable
            .iter()
            .map(|row| row.path.as_str())
            .collect::<Vec<_>>(),
        ["orderId"],
        "the path names the bad field of the row"
    );
    assert!(
        !client
            .orders()
            .list(&OrderQuery::default())
            .await
            .unwrap()
            .has_next(),
        "later calls are fine"
    );
}

#[tokio::test]
async fn wrong_credentials_are_unauthorized_and_never_retried() {
    let sandbox = default_sandbox().await;
    let client = Client::builder(sandbox.shipstation_url())
        .credentials("demo-key", "wrong")
        .build()
        .unwrap();
    let error = client.stores().list(false).await.unwrap_err();
    assert!(
        matches!(error, Error::Unauthorized { .. }),
        "401 is typed: {error}"
    );
    assert!(!error.is_retryable(), "a 401 never heals by retrying");
    assert_eq!(
        sandbox.shipstation.stats().unauthorized,
        1,
        "exactly one attempt"
    );
    assert!(
        !format!("{client:?}").contains("wrong"),
        "the secret never appears in Debug output"
    );
}

#[tokio::test]
async fn an_unreachable_server_is_a_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let client = Client::builder(url)
        .max_retries(1)
        .backoff(Duration::from_millis(1), Duration::from_millis(1))
        .build()
        .unwrap();
    let error = client.warehouses().list().await.unwrap_err();
    assert!(
        matches!(error, Error::Transport { .. }),
        "connection refused: {error}"
    );
}

#[tokio::test]
async fn a_call_abandoned_before_its_answer_does_not_hold_up_the_next() {
    let sandbox = default_sandbox().await;
    let client = client(&sandbox);
    // The first call is the budget's lone probe; its caller gives up while it is out.
    sandbox.shipstation.set_latency(Duration::from_secs(10));
    let stores = client.stores();
    let abandoned = tokio::time::timeout(Duration::from_millis(300), stores.list(false)).await;
    assert!(abandoned.is_err(), "the first call was still out");
    sandbox.shipstation.set_latency(Duration::ZERO);
    let listed = tokio::time::timeout(Duration::from_secs(5), stores.list(false))
        .await
        .expect("the next call does not wait for the abandoned one's answer")
        .expect("it is answered");
    assert_eq!(listed.len(), 4, "the real answer");
}
