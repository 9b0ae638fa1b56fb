//! Listing, paging, filtering and getting orders.

use std::collections::HashSet;

use futures::TryStreamExt;
use quipt::{Error, Include, OrderId, OrderQuery, OrderStatus, WarehouseId};

use crate::support::*;

#[tokio::test]
async fn four_hundred_fifty_orders_come_in_three_pages_of_at_most_two_hundred() {
    let sb = sandbox(450).await;
    let client = client(&sb);
    let query = OrderQuery::default();
    let mut sizes = Vec::new();
    let mut more = Vec::new();
    for page_number in 1..=3 {
        let page = client
            .orders()
            .list(&query, quipt::MAX_PAGE_SIZE, page_number)
            .await
            .unwrap();
        assert_eq!(page.total, 450, "every page reports the total");
        assert_eq!(page.page_number, page_number, "the page number is echoed");
        sizes.push(page.items.len());
        more.push(page.has_more_records);
    }
    assert_eq!(sizes, [200, 200, 50], "pages are full until the last");
    assert_eq!(
        more,
        [true, true, false],
        "HasMoreRecords is false on the last page only"
    );

    let all: Vec<_> = client
        .orders()
        .list_all(query, 200)
        .try_collect()
        .await
        .unwrap();
    let ids: HashSet<_> = all.iter().map(|o| o.id.clone()).collect();
    assert_eq!(ids.len(), 450, "list_all yields every order exactly once");
}

#[tokio::test]
async fn a_page_size_over_two_hundred_is_a_bad_request() {
    let sb = sandbox(1).await;
    let result = client(&sb)
        .orders()
        .list(&OrderQuery::default(), 201, 1)
        .await;
    let Err(Error::Api { status, messages }) = result else {
        panic!("a page size over the cap must be refused: {result:?}")
    };
    assert_eq!(status, 400, "the cap is a 400");
    assert!(
        messages[0].text.contains("200"),
        "the message names the cap: {messages:?}"
    );
}

#[tokio::test]
async fn the_status_filter_returns_only_those_statuses() {
    let sb = sandbox(120).await;
    let client = client(&sb);
    let query = OrderQuery {
        statuses: vec![OrderStatus::Pending],
        ..OrderQuery::default()
    };
    let pending: Vec<_> = client
        .orders()
        .list_all(query, 50)
        .try_collect()
        .await
        .unwrap();
    let expected = sb.quipt.orders().iter().filter(|o| o.status == 2).count();
    assert!(expected > 0, "the demo data has Pending orders");
    assert_eq!(
        pending.len(),
        expected,
        "every Pending order and nothing else"
    );
    assert!(
        pending.iter().all(|o| o.status == OrderStatus::Pending),
        "only Pending orders"
    );

    let query = OrderQuery {
        statuses: vec![OrderStatus::Open, OrderStatus::Pending],
        ..OrderQuery::default()
    };
    let page = client.orders().list(&query, 200, 1).await.unwrap();
    let expected = sb
        .quipt
        .orders()
        .iter()
        .filter(|o| o.status == 2 || o.status == 4)
        .count();
    assert_eq!(
        page.total as usize, expected,
        "several statuses are comma-separated"
    );
}

#[tokio::test]
async fn the_warehouse_filter_returns_only_that_warehouse() {
    let sb = sandbox(100).await;
    let client = client(&sb);
    let unmatched = sb.quipt.warehouses()[2].clone();
    let query = OrderQuery {
        warehouse_ids: vec![WarehouseId(unmatched.id.clone())],
        ..OrderQuery::default()
    };
    let orders = readable(client.orders().list(&query, 200, 1).await.unwrap().items);
    assert!(
        !orders.is_empty(),
        "some demo orders are in the unmatched warehouse"
    );
    assert!(
        orders
            .iter()
            .all(|o| o.warehouse.as_ref().map(|w| w.code.as_str()) == Some("55555")),
        "only orders of that warehouse"
    );
}

#[tokio::test]
async fn modified_after_returns_only_orders_changed_since() {
    let sb = sandbox(60).await;
    let client = client(&sb);
    let all = readable(
        client
            .orders()
            .list(&OrderQuery::default(), 200, 1)
            .await
            .unwrap()
            .items,
    );
    let cursor = all
        .iter()
        .filter_map(|o| o.modified_at)
        .max()
        .expect("orders have ModifiedAt");
    let query = OrderQuery {
        modified_after: Some(cursor),
        ..OrderQuery::default()
    };
    let nothing = client.orders().list(&query, 200, 1).await.unwrap();
    assert_eq!(
        nothing.total, 0,
        "nothing changed after the newest ModifiedAt"
    );

    let pending = all
        .iter()
        .find(|o| o.status == OrderStatus::Pending)
        .expect("a Pending order");
    sb.quipt
        .clear_validation(&pending.id.0)
        .expect("Quipt clears the validation");
    let changed = readable(client.orders().list(&query, 200, 1).await.unwrap().items);
    assert_eq!(changed.len(), 1, "exactly the changed order");
    assert_eq!(changed[0].id, pending.id, "the cleared order");
    assert_eq!(changed[0].status, OrderStatus::Open, "now shipment-ready");
}

#[tokio::test]
async fn shipments_are_only_embedded_when_included_and_get_includes_everything() {
    let sb = sandbox(200).await;
    let client = client(&sb);
    let query = OrderQuery {
        statuses: vec![OrderStatus::Shipped],
        ..OrderQuery::default()
    };
    let bare = readable(client.orders().list(&query, 200, 1).await.unwrap().items);
    assert!(!bare.is_empty(), "the demo data has Shipped orders");
    assert!(
        bare.iter().all(|o| o.shipments.is_empty()),
        "no shipments without include"
    );

    let query = OrderQuery {
        include: vec![Include::Shipments],
        ..query
    };
    let with = readable(client.orders().list(&query, 200, 1).await.unwrap().items);
    assert!(
        with.iter().all(|o| !o.shipments.is_empty()),
        "shipments with include=Shipments"
    );

    let one = client.orders().get(&bare[0].id).await.expect("get by id");
    assert_eq!(one.id, bare[0].id, "the asked order");
    assert!(!one.shipments.is_empty(), "get includes the shipments");
}

#[tokio::test]
async fn getting_an_unknown_order_is_a_404() {
    let sb = sandbox(0).await;
    let result = client(&sb)
        .orders()
        .get(&OrderId("no-such-order".into()))
        .await;
    let Err(error) = result else {
        panic!("an unknown id must fail")
    };
    assert_eq!(error.status(), Some(404), "an unknown id is a 404: {error}");
    assert!(!error.is_retryable(), "a 404 is never retried");
}

/// A page's orders, every one of them readable.
fn readable(items: Vec<Result<quipt::Order, quipt::Error>>) -> Vec<quipt::Order> {
    items
        .into_iter()
        .map(|o| o.expect("the simulator's orders are readable"))
        .collect()
}
