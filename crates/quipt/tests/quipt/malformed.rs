//! Malformed orders must parse, so the engine can hold them with a reason.

use futures::TryStreamExt;
use quipt::{Order, OrderQuery, OrderStatus};
use sandbox::quipt::{LONG_ORDER_NUMBER, MALFORMED_NUMBERS};

use crate::support::*;

#[tokio::test]
async fn every_malformed_demo_order_parses() {
    let sb = sandbox(200).await;
    let orders: Vec<Order> = client(&sb)
        .orders()
        .list_all(OrderQuery::default(), 200)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(orders.len(), 200, "no order is lost to a parse error");
    let by_number = |n: &str| {
        orders
            .iter()
            .find(|o| o.order_number == n)
            .unwrap_or_else(|| panic!("order {n} is listed"))
    };
    let [no_ship_to, country_xx, zero_qty, no_lines, entities] = MALFORMED_NUMBERS;
    assert!(
        by_number(no_ship_to).ship_to.is_none(),
        "a missing ShipTo reads as None"
    );
    let country = by_number(country_xx)
        .ship_to
        .as_ref()
        .and_then(|a| a.country.clone());
    assert_eq!(
        country.and_then(|c| c.iso).as_deref(),
        Some("XX"),
        "an unknown country is kept"
    );
    assert!(
        by_number(zero_qty)
            .lines
            .iter()
            .any(|l| l.ordered.value == 0.0),
        "a zero-quantity line is kept"
    );
    assert!(
        by_number(no_lines).lines.is_empty(),
        "an order without lines reads as empty"
    );
    let attention = by_number(entities)
        .ship_to
        .as_ref()
        .and_then(|a| a.attention.clone());
    assert_eq!(
        attention.as_deref(),
        Some("Jos&eacute; O&#39;Brien"),
        "entities arrive verbatim"
    );
    let long = by_number(LONG_ORDER_NUMBER);
    assert!(
        long.order_number.len() > 50,
        "the long order number is kept whole"
    );
    assert!(
        [
            no_ship_to,
            country_xx,
            zero_qty,
            no_lines,
            entities,
            LONG_ORDER_NUMBER
        ]
        .iter()
        .all(|n| by_number(n).status == OrderStatus::Open),
        "the malformed orders are Open, so the engine must decide about them"
    );
}

#[test]
fn nulls_and_missing_fields_read_as_empty_values() {
    let raw = r#"{
        "Id": "o-1", "OrderNumber": null, "Status": 4, "ShipTo": {"Attention": "A", "Country": null},
        "BillTo": null, "RequestedCarrierMethod": null, "Warehouse": null,
        "Lines": [{"Id": "l-1", "Ordered": null, "Item": {"SKU": null}}],
        "Shipments": null, "Cancellations": null
    }"#;
    let order: Order = serde_json::from_str(raw).expect("a sparse order parses");
    assert_eq!(order.order_number, "", "a null order number is empty");
    assert!(
        order.ship_to.unwrap().country.is_none(),
        "a null country is None"
    );
    assert_eq!(order.lines[0].ordered.value, 0.0, "a null quantity is zero");
    assert!(
        order.shipments.is_empty() && order.cancellations.is_empty(),
        "null lists are empty"
    );
    let unknown: Order = serde_json::from_str(r#"{"Id": "o-2", "Status": 32}"#).unwrap();
    assert_eq!(
        unknown.status,
        OrderStatus::Other(32),
        "an unknown status code is kept"
    );
    assert!(unknown.lines.is_empty(), "missing lines are empty");
}
