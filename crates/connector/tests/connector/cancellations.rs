//! Cancellations from Quipt to ShipStation (the ShipStation → Quipt direction is in
//! `settings_scenarios`, once per cancel mode).

use sandbox::shipstation::LabelRequest;
use serde_json::json;

use crate::support::World;

#[tokio::test]
async fn an_order_cancelled_in_quipt_is_cancelled_in_shipstation() {
    let world = World::new(0).await;
    let id = world.add_order("Q-QCANCEL", json!({}));
    world.sync().await;
    world
        .sandbox
        .quipt
        .cancel_order(&id, "buyer changed their mind")
        .unwrap();
    let summary = world.sync().await;
    assert_eq!(summary.cancelled_in_shipstation, 1);
    assert_eq!(
        world.shipstation_order("Q-QCANCEL").order_status,
        "cancelled"
    );
    assert_eq!(world.order("Q-QCANCEL").order.state.as_str(), "cancelled");
}

#[tokio::test]
async fn an_order_cancelled_in_quipt_after_shipping_is_a_conflict_for_the_operator() {
    let world = World::new(0).await;
    let id = world.add_order("Q-LATECANCEL", json!({}));
    world.sync().await;
    let ss = world.shipstation_order("Q-LATECANCEL");
    world
        .sandbox
        .shipstation
        .create_label(
            ss.order_id,
            LabelRequest {
                tracking_number: "LATE-1".into(),
                ..Default::default()
            },
        )
        .unwrap();
    world
        .sandbox
        .quipt
        .cancel_order(&id, "too late")
        .expect("Quipt cancels the open order");
    world.sync().await;
    assert_eq!(
        world.shipstation_order("Q-LATECANCEL").order_status,
        "shipped",
        "a shipped order is never changed"
    );
    let row = world.order("Q-LATECANCEL").order;
    assert_eq!(row.state.as_str(), "conflict", "recorded for the operator");
    assert!(
        row.reason.unwrap_or_default().contains("shipped"),
        "the reason says it already shipped"
    );
}
