//! Acknowledge, ship, void, soft and hard cancel: the quantities and statuses they move.

use chrono::Utc;
use quipt::{
    CancelShipment, Carrier, CarrierMethod, Error, LineId, NewShipment, OrderId, OrderStatus,
    Quantity, Severity, ShipmentLine,
};

use crate::support::*;

fn shipment(external_id: &str, lines: &[(&str, f64)]) -> NewShipment {
    NewShipment {
        external_id: external_id.into(),
        ship_at: Utc::now(),
        tracking_number: format!("1Z{external_id}"),
        carrier_method: Some(CarrierMethod {
            code: Some("UPS_GROUND".into()),
            name: None,
            carrier: Some(Carrier {
                code: "UPS".into(),
                name: None,
            }),
        }),
        lines: lines
            .iter()
            .map(|(id, q)| ShipmentLine {
                line_id: LineId((*id).into()),
                quantity: Quantity::each(*q),
            })
            .collect(),
    }
}

#[tokio::test]
async fn accepting_lines_records_the_acknowledgement_and_keeps_the_order_open() {
    let sb = sandbox(0).await;
    let (id, lines) = seed_open_order(&sb);
    client(&sb)
        .orders()
        .acknowledge(&OrderId(id.clone()), &accept_all(&lines))
        .await
        .expect("accepted");
    let order = sb.quipt.order(&id).unwrap();
    assert_eq!(order.status, 4, "accepting does not change the status");
    assert!(
        order
            .lines
            .iter()
            .all(|l| l.acknowledgements.len() == 1 && l.acknowledgements[0].status == 1),
        "each line carries one Accepted acknowledgement"
    );
}

#[tokio::test]
async fn shipping_every_line_makes_the_order_shipped_and_a_repeat_changes_nothing() {
    let sb = sandbox(0).await;
    let (id, lines) = seed_open_order(&sb);
    let client = client(&sb);
    let order_id = OrderId(id.clone());

    let first = client
        .orders()
        .ship(&order_id, &shipment("ss-1", &[(&lines[0], 2.0)]))
        .await
        .unwrap();
    assert!(!first.already_existed, "the first report is new");
    assert_eq!(first.shipment.external_id, "ss-1", "the shipment is echoed");
    let order = client.orders().get(&order_id).await.unwrap();
    assert_eq!(
        order.status,
        OrderStatus::Open,
        "one line is still unshipped"
    );
    assert_eq!(
        order.lines[0].shipped.value, 2.0,
        "the shipped quantity grew"
    );

    let again = client
        .orders()
        .ship(&order_id, &shipment("ss-1", &[(&lines[0], 2.0)]))
        .await
        .unwrap();
    assert!(again.already_existed, "a repeated ExternalId is recognised");
    let order = client.orders().get(&order_id).await.unwrap();
    assert_eq!(
        order.lines[0].shipped.value, 2.0,
        "a repeat does not ship twice"
    );
    assert_eq!(order.shipments.len(), 1, "a repeat adds no shipment");

    client
        .orders()
        .ship(&order_id, &shipment("ss-2", &[(&lines[1], 1.0)]))
        .await
        .unwrap();
    let order = client.orders().get(&order_id).await.unwrap();
    assert_eq!(
        order.status,
        OrderStatus::Shipped,
        "every line shipped: the order is Shipped"
    );
    assert_eq!(
        order.shipments.len(),
        2,
        "several shipments per order are kept"
    );
    assert_eq!(
        order.shipments[1].tracking_number.as_deref(),
        Some("1Zss-2"),
        "the tracking number is stored"
    );
}

#[tokio::test]
async fn voiding_a_shipment_returns_its_quantities_and_reopens_the_order() {
    let sb = sandbox(0).await;
    let (id, lines) = seed_open_order(&sb);
    let client = client(&sb);
    let order_id = OrderId(id.clone());
    client
        .orders()
        .ship(
            &order_id,
            &shipment("ss-9", &[(&lines[0], 2.0), (&lines[1], 1.0)]),
        )
        .await
        .unwrap();
    assert_eq!(
        client.orders().get(&order_id).await.unwrap().status,
        OrderStatus::Shipped
    );

    client
        .orders()
        .void_shipment(&order_id, "ss-9")
        .await
        .expect("the void is accepted");
    let order = client.orders().get(&order_id).await.unwrap();
    assert!(order.shipments[0].voided, "the shipment is marked Voided");
    assert!(
        order.lines.iter().all(|l| l.shipped.value == 0.0),
        "the quantities are unshipped"
    );
    assert_eq!(order.status, OrderStatus::Open, "the order is open again");

    let unknown = client.orders().void_shipment(&order_id, "no-such").await;
    assert_eq!(
        unknown.err().and_then(|e| e.status()),
        Some(404),
        "an unknown shipment is a 404"
    );
}

#[tokio::test]
async fn a_soft_cancel_marks_the_lines_cancelled_by_warehouse_and_keeps_the_order_open() {
    let sb = sandbox(0).await;
    let (id, _) = seed_open_order(&sb);
    let client = client(&sb);
    let order_id = OrderId(id.clone());
    let cancel = CancelShipment {
        reason: "Cancelled in ShipStation".into(),
        external_id: Some("77".into()),
    };
    client
        .orders()
        .cancel_shipment(&order_id, &cancel)
        .await
        .expect("soft cancel accepted");
    let order = client.orders().get(&order_id).await.unwrap();
    assert_eq!(
        order.status,
        OrderStatus::Open,
        "a soft cancel keeps the order Open"
    );
    assert!(
        order.lines.iter().all(|l| l.sub_status == Some(95)),
        "lines are SubStatus 95"
    );
    assert_eq!(order.cancellations.len(), 1, "one cancellation is recorded");
    assert_eq!(order.cancellations[0].kind, "Shipment", "of type Shipment");
    assert_eq!(
        order.cancellations[0].external_id.as_deref(),
        Some("77"),
        "with our id"
    );
}

#[tokio::test]
async fn a_hard_cancel_rejects_every_remaining_quantity_and_cancels_the_order() {
    let sb = sandbox(0).await;
    let (id, lines) = seed_open_order(&sb);
    let client = client(&sb);
    let order_id = OrderId(id.clone());
    client
        .orders()
        .ship(&order_id, &shipment("ss-3", &[(&lines[0], 1.0)]))
        .await
        .unwrap();
    let order = client.orders().get(&order_id).await.unwrap();
    client
        .orders()
        .cancel_quantity(&order, "Cancelled in ShipStation")
        .await
        .expect("hard cancel");
    let after = client.orders().get(&order_id).await.unwrap();
    assert_eq!(
        after.lines[0].canceled.value, 1.0,
        "only what was left is canceled"
    );
    assert_eq!(
        after.lines[1].canceled.value, 1.0,
        "the untouched line is canceled whole"
    );
    assert_eq!(
        after.status,
        OrderStatus::Shipped,
        "part shipped, rest canceled: Shipped"
    );

    let (id2, _) = seed_open_order(&sb);
    let fresh = client.orders().get(&OrderId(id2.clone())).await.unwrap();
    client
        .orders()
        .cancel_quantity(&fresh, "buyer asked")
        .await
        .unwrap();
    let canceled = client.orders().get(&OrderId(id2)).await.unwrap();
    assert_eq!(
        canceled.status,
        OrderStatus::Canceled,
        "nothing shipped: the order is Canceled"
    );
    assert_eq!(
        canceled.cancellations[0].kind, "Quantity",
        "a Quantity cancellation"
    );
}

#[tokio::test]
async fn shipping_a_canceled_order_is_refused_with_a_fatal_message() {
    let sb = sandbox(0).await;
    let (id, lines) = seed_open_order(&sb);
    sb.quipt
        .cancel_order(&id, "buyer changed their mind")
        .expect("Quipt cancels the order");
    let client = client(&sb);
    let result = client
        .orders()
        .ship(&OrderId(id.clone()), &shipment("ss-5", &[(&lines[0], 1.0)]))
        .await;
    let Err(Error::Api { status, messages }) = result else {
        panic!("shipping a Canceled order must fail: {result:?}")
    };
    assert_eq!(status, 200, "Quipt answers HTTP 200 with Success:false");
    assert_eq!(
        messages[0].severity,
        Severity::Fatal,
        "the message is Fatal"
    );
    assert!(
        messages[0].text.contains("Canceled"),
        "the message says why: {}",
        messages[0].text
    );
    assert_eq!(client.metrics().retries, 0, "a refusal is not retried");

    let soft = client
        .orders()
        .cancel_shipment(
            &OrderId(id),
            &CancelShipment {
                reason: "x".into(),
                external_id: None,
            },
        )
        .await;
    assert!(
        matches!(soft, Err(Error::Api { status: 200, .. })),
        "cancelling it again is refused too"
    );
}

#[tokio::test]
async fn shipping_more_than_is_left_is_a_bad_request() {
    let sb = sandbox(0).await;
    let (id, lines) = seed_open_order(&sb);
    let result = client(&sb)
        .orders()
        .ship(&OrderId(id.clone()), &shipment("ss-6", &[(&lines[1], 5.0)]))
        .await;
    assert_eq!(
        result.err().and_then(|e| e.status()),
        Some(400),
        "over-shipping is a 400"
    );
    assert_eq!(
        sb.quipt.order(&id).unwrap().lines[1].shipped.value,
        0.0,
        "nothing was shipped"
    );
}
