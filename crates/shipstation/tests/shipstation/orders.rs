use chrono::Duration as ChronoDuration;
use futures::TryStreamExt;
use sandbox::shipstation::LabelRequest;
use shipstation::{Error, OrderId, OrderQuery, OrderStatus, StoreId};

use crate::{client, default_sandbox, item, new_order};

#[tokio::test]
async fn a_created_order_reads_back_with_its_fields_and_utc_times() {
    let sandbox = default_sandbox().await;
    let client = client(&sandbox);
    let sent = new_order("A-1");
    let created = client.orders().create(&sent).await.unwrap();
    let read = client.orders().get(created.order_id).await.unwrap();
    assert_eq!(read.order_number, "A-1", "number kept");
    assert_eq!(read.order_key, Some(sent.order_key.clone()), "key kept");
    assert_eq!(
        read.order_status,
        OrderStatus::AwaitingShipment,
        "status kept"
    );
    assert_eq!(
        read.order_date,
        Some(sent.order_date),
        "orderDate survives the Pacific round trip"
    );
    assert_eq!(read.items, sent.items, "lines kept");
    assert_eq!(
        read.advanced_options.store_id,
        Some(StoreId(10000)),
        "no storeId → the first manual store"
    );
    let json = &sandbox.shipstation.all_orders()[0].json;
    assert_eq!(
        json["orderDate"], "2026-11-24T08:46:27.0000000",
        "sent as Pacific wall-clock, 7 digits"
    );
    assert!(
        read.create_date.is_some() && read.modify_date.is_some(),
        "server dates read back"
    );
}

#[tokio::test]
async fn creating_with_a_known_key_updates_the_same_order_and_replaces_it_fully() {
    let sandbox = default_sandbox().await;
    let client = client(&sandbox);
    let first = client
        .orders()
        .create_many(&[new_order("U-1")])
        .await
        .unwrap();
    let mut second = new_order("U-1");
    second.internal_notes = None;
    second.carrier_code = None;
    second.items = vec![item("L9", 5)];
    second.advanced_options.store_id = Some(StoreId(10001));
    let again = client.orders().create_many(&[second]).await.unwrap();
    assert_eq!(
        first.results[0].order_id, again.results[0].order_id,
        "same orderKey → same order"
    );
    let orders = sandbox.shipstation.all_orders();
    assert_eq!(orders.len(), 1, "no duplicate was created");
    assert_eq!(orders[0].writes, 2, "written twice");
    let read = client
        .orders()
        .get(again.results[0].order_id.unwrap())
        .await
        .unwrap();
    assert_eq!(
        read.carrier_code, None,
        "full replace: an omitted carrier is cleared"
    );
    assert_eq!(
        read.items.len(),
        1,
        "full replace: items are replaced, not merged"
    );
    assert_eq!(
        read.advanced_options.store_id,
        Some(StoreId(10000)),
        "storeId changes on update are ignored"
    );
    assert!(
        read.modify_date > read.create_date,
        "modifyDate bumps on update"
    );
}

#[tokio::test]
async fn updates_of_shipped_or_cancelled_orders_fail_alone() {
    let sandbox = default_sandbox().await;
    let client = client(&sandbox);
    let created = client
        .orders()
        .create_many(&[new_order("S-1"), new_order("C-1"), new_order("O-1")])
        .await
        .unwrap();
    let ids: Vec<i64> = created
        .results
        .iter()
        .map(|r| r.order_id.unwrap().0)
        .collect();
    sandbox
        .shipstation
        .create_label(
            ids[0],
            LabelRequest {
                tracking_number: "1Z1".into(),
                ..Default::default()
            },
        )
        .unwrap();
    sandbox.shipstation.cancel_order(ids[1]).unwrap();
    let result = client
        .orders()
        .create_many(&[new_order("S-1"), new_order("C-1"), new_order("O-1")])
        .await
        .unwrap();
    assert!(result.has_errors, "two of three were refused");
    let outcome: Vec<bool> = result.results.iter().map(|r| r.success).collect();
    assert_eq!(
        outcome,
        [false, false, true],
        "only the open order was updated"
    );
    let message = result.results[0]
        .error_message
        .as_deref()
        .unwrap_or_default();
    assert!(
        message.contains("shipped"),
        "the API's reason is kept: {message}"
    );
}

#[tokio::test]
async fn invalid_orders_fail_alone_in_a_bulk_call() {
    let sandbox = default_sandbox().await;
    let client = client(&sandbox);
    let mut no_name = new_order("BAD-1");
    no_name.items[0].name.clear();
    let mut zero = new_order("BAD-2");
    zero.items[1].quantity = 0;
    let mut long = new_order("BAD-3");
    long.order_number = "X".repeat(51);
    let result = client
        .orders()
        .create_many(&[new_order("OK-1"), no_name, zero, long])
        .await
        .unwrap();
    let outcome: Vec<bool> = result.results.iter().map(|r| r.success).collect();
    assert_eq!(
        outcome,
        [true, false, false, false],
        "each invalid order fails on its own"
    );
    assert!(
        result.results[1]
            .error_message
            .as_deref()
            .unwrap_or_default()
            .contains("name"),
        "reason names the field"
    );
    assert_eq!(
        sandbox.shipstation.all_orders().len(),
        1,
        "only the valid order exists"
    );
}

#[tokio::test]
async fn a_refused_single_create_is_a_400_with_the_reason() {
    let sandbox = default_sandbox().await;
    let mut order = new_order("BAD-9");
    order.items[0].name.clear();
    let error = client(&sandbox).orders().create(&order).await.unwrap_err();
    assert_eq!(error.status(), Some(400), "validation error: {error}");
    assert!(
        error.to_string().contains("items[0].name"),
        "the API's words reach the user: {error}"
    );
}

#[tokio::test]
async fn more_than_100_orders_are_refused_before_anything_is_sent() {
    let sandbox = default_sandbox().await;
    let client = client(&sandbox);
    let batch: Vec<_> = (0..101).map(|n| new_order(&format!("B-{n}"))).collect();
    let error = client.orders().create_many(&batch).await.unwrap_err();
    assert!(
        matches!(error, Error::TooManyOrders { count: 101 }),
        "typed refusal: {error}"
    );
    assert_eq!(
        sandbox.shipstation.stats().total,
        0,
        "no request reached ShipStation"
    );
    let full = client.orders().create_many(&batch[..100]).await.unwrap();
    assert!(
        !full.has_errors && full.results.len() == 100,
        "exactly 100 is fine"
    );
    assert_eq!(
        sandbox.shipstation.stats().total,
        1,
        "one request for 100 orders"
    );
}

#[tokio::test]
async fn find_by_number_matches_exactly_although_the_api_matches_prefixes() {
    let sandbox = default_sandbox().await;
    let client = client(&sandbox);
    client
        .orders()
        .create_many(&[new_order("100"), new_order("1001"), new_order("1002")])
        .await
        .unwrap();
    let prefix = client
        .orders()
        .list(&OrderQuery {
            order_number: Some("100".into()),
            ..OrderQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(prefix.total, 3, "the API prefix-matches orderNumber");
    let exact = client.orders().find_by_number("100").await.unwrap();
    assert_eq!(exact.len(), 1, "the client compares exactly");
    assert_eq!(exact[0].order_number, "100", "the right order");
}

#[tokio::test]
async fn split_orders_share_the_number_and_point_to_their_parent() {
    let sandbox = default_sandbox().await;
    let client = client(&sandbox);
    let parent = client.orders().create(&new_order("SPLIT-1")).await.unwrap();
    let child = sandbox
        .shipstation
        .split_order(parent.order_id.0, &["L2".to_owned()])
        .unwrap();
    let found = client.orders().find_by_number("SPLIT-1").await.unwrap();
    assert_eq!(found.len(), 2, "both halves keep the number");
    assert!(
        found.iter().all(|o| o.advanced_options.merged_or_split),
        "both are marked mergedOrSplit"
    );
    let child = found.iter().find(|o| o.order_id == OrderId(child)).unwrap();
    assert_eq!(
        child.advanced_options.parent_id,
        Some(parent.order_id),
        "the child names its parent"
    );
}

#[tokio::test]
async fn deleted_orders_disappear_from_lists_and_get() {
    let sandbox = default_sandbox().await;
    let client = client(&sandbox);
    let order = client.orders().create(&new_order("D-1")).await.unwrap();
    client.orders().delete(order.order_id).await.unwrap();
    let error = client.orders().get(order.order_id).await.unwrap_err();
    assert_eq!(
        error.status(),
        Some(404),
        "a deleted order is not found: {error}"
    );
    let page = client.orders().list(&OrderQuery::default()).await.unwrap();
    assert_eq!(page.total, 0, "and not listed");
    assert!(
        !sandbox.shipstation.all_orders()[0].active,
        "but kept inactive"
    );
}

#[tokio::test]
async fn list_all_walks_every_page() {
    let sandbox = default_sandbox().await;
    let client = client(&sandbox);
    let batch: Vec<_> = (0..25).map(|n| new_order(&format!("P-{n:02}"))).collect();
    client.orders().create_many(&batch).await.unwrap();
    sandbox.shipstation.reset_stats();
    let query = OrderQuery {
        page_size: Some(10),
        ..OrderQuery::default()
    };
    let all: Vec<_> = client.orders().list_all(query).try_collect().await.unwrap();
    assert_eq!(all.len(), 25, "every order of three pages");
    assert_eq!(
        sandbox.shipstation.stats().per_endpoint["GET /orders"],
        3,
        "one request per page"
    );
}

#[tokio::test]
async fn date_filters_are_sent_as_pacific_wall_clock() {
    let sandbox = default_sandbox().await;
    let client = client(&sandbox);
    let order = client.orders().create(&new_order("T-1")).await.unwrap();
    let modified = order.modify_date.unwrap();
    let around = OrderQuery {
        modify_date_start: Some(modified - ChronoDuration::seconds(1)),
        modify_date_end: Some(modified + ChronoDuration::seconds(1)),
        ..OrderQuery::default()
    };
    assert_eq!(
        client.orders().list(&around).await.unwrap().total,
        1,
        "a window around modifyDate finds it"
    );
    let later = OrderQuery {
        modify_date_start: Some(modified + ChronoDuration::seconds(2)),
        ..OrderQuery::default()
    };
    assert_eq!(
        client.orders().list(&later).await.unwrap().total,
        0,
        "a window after it does not (no 7-8 h offset error)"
    );
    let shipped = OrderQuery {
        order_status: Some(OrderStatus::Shipped),
        ..OrderQuery::default()
    };
    assert_eq!(
        client.orders().list(&shipped).await.unwrap().total,
        0,
        "status filter"
    );
}
