use sandbox::shipstation::{LabelRequest, MarkShippedRequest, PackageItem};
use shipstation::{FulfillmentQuery, OrderStatus, ShipmentQuery};

use crate::{client, default_sandbox, new_order};

#[tokio::test]
async fn partial_labels_ship_the_order_only_when_every_item_is_shipped() {
    let sandbox = default_sandbox().await;
    let client = client(&sandbox);
    let order = client.orders().create(&new_order("L-1")).await.unwrap();
    let first = LabelRequest {
        tracking_number: "1ZFIRST".into(),
        items: Some(vec![PackageItem {
            line_item_key: "L1".into(),
            quantity: 2,
        }]),
        ..LabelRequest::default()
    };
    sandbox
        .shipstation
        .create_label(order.order_id.0, first)
        .unwrap();
    let status = client
        .orders()
        .get(order.order_id)
        .await
        .unwrap()
        .order_status;
    assert_eq!(
        status,
        OrderStatus::AwaitingShipment,
        "one of two lines shipped: still open"
    );
    sandbox
        .shipstation
        .create_label(
            order.order_id.0,
            LabelRequest {
                tracking_number: "1ZSECOND".into(),
                ..Default::default()
            },
        )
        .unwrap();
    let status = client
        .orders()
        .get(order.order_id)
        .await
        .unwrap()
        .order_status;
    assert_eq!(status, OrderStatus::Shipped, "every line shipped");
    let query = ShipmentQuery {
        order_id: Some(order.order_id),
        include_shipment_items: true,
        ..ShipmentQuery::default()
    };
    let page = client.shipments().list(&query).await.unwrap();
    let tracking: Vec<_> = page
        .items
        .iter()
        .map(|s| s.tracking_number.clone().unwrap())
        .collect();
    assert_eq!(
        tracking,
        ["1ZFIRST", "1ZSECOND"],
        "one shipment per package"
    );
    assert_eq!(
        page.items[0].shipment_items[0].quantity, 2,
        "the first package's quantity"
    );
    assert_eq!(
        page.items[0].carrier_code.as_deref(),
        Some("ups"),
        "carrier from the order"
    );
    assert!(
        page.items[0].ship_date.is_some() && page.items[0].create_date.is_some(),
        "dates read"
    );
}

#[tokio::test]
async fn a_voided_label_is_reported_as_voided() {
    let sandbox = default_sandbox().await;
    let client = client(&sandbox);
    let order = client.orders().create(&new_order("V-1")).await.unwrap();
    let shipment = sandbox
        .shipstation
        .create_label(
            order.order_id.0,
            LabelRequest {
                tracking_number: "1ZVOID".into(),
                ..Default::default()
            },
        )
        .unwrap();
    let before = chrono::Utc::now() - chrono::Duration::seconds(2);
    sandbox.shipstation.void_shipment(shipment).unwrap();
    let query = ShipmentQuery {
        void_date_start: Some(before),
        ..ShipmentQuery::default()
    };
    let page = client.shipments().list(&query).await.unwrap();
    assert_eq!(page.items.len(), 1, "found by voidDate");
    assert!(
        page.items[0].voided && page.items[0].void_date.is_some(),
        "voided with a date"
    );
    let status = client
        .orders()
        .get(order.order_id)
        .await
        .unwrap()
        .order_status;
    assert_eq!(
        status,
        OrderStatus::AwaitingShipment,
        "the order is open again"
    );
}

#[tokio::test]
async fn orders_marked_shipped_appear_only_as_fulfillments() {
    let sandbox = default_sandbox().await;
    let client = client(&sandbox);
    let order = client.orders().create(&new_order("F-1")).await.unwrap();
    sandbox
        .shipstation
        .mark_shipped(
            order.order_id.0,
            MarkShippedRequest {
                tracking_number: Some("FILL1".into()),
                carrier_code: Some("usps".into()),
                ship_date: None,
            },
        )
        .unwrap();
    let shipments = client
        .shipments()
        .list(&ShipmentQuery::default())
        .await
        .unwrap();
    assert_eq!(shipments.total, 0, "no label was created");
    let all: Vec<_> = futures::TryStreamExt::try_collect::<Vec<_>>(
        client.fulfillments().list_all(FulfillmentQuery::default()),
    )
    .await
    .unwrap();
    assert_eq!(all.len(), 1, "one fulfillment");
    assert_eq!(all[0].order_id, order.order_id, "joined on orderId");
    assert_eq!(
        all[0].tracking_number.as_deref(),
        Some("FILL1"),
        "its tracking"
    );
    assert_eq!(
        client
            .orders()
            .get(order.order_id)
            .await
            .unwrap()
            .order_status,
        OrderStatus::Shipped,
        "order shipped"
    );
}
