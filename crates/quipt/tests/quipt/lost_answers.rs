//! An answer lost after each kind of write: the simulator did the write, a proxy
//! (`net::AnswerDropper`) closed the connection instead of passing the answer on. A write Quipt
//! does not de-duplicate is never sent twice: the client reads the order back and finds it done.
//! A shipment is repeated as it is (Quipt de-duplicates it by `ExternalId`), also when its answer
//! came but could not be used (an HTML page, truncated JSON, no `Result`: the simulator's
//! `garbage_next`). And when the write did not happen (a 503), only what is missing is sent.

use std::time::Duration;

use chrono::Utc;
use quipt::{
    CancelShipment, Client, LineId, NewShipment, OrderId, OrderStatus, Quantity, ShipmentLine,
};
use sandbox::RunningSandbox;

use crate::net::AnswerDropper;
use crate::support::*;

/// A client that talks to the simulator through a proxy dropping the answer to the first request
/// whose line contains `pattern`.
async fn through_dropper(sb: &RunningSandbox, pattern: &'static str) -> (Client, AnswerDropper) {
    let dropper = AnswerDropper::start(&sb.quipt_url(), pattern, 1).await;
    let client = Client::builder(&dropper.url)
        .consumer(consumer())
        .token(demo_token())
        .max_retries(3)
        .backoff(Duration::from_millis(1), Duration::from_millis(5))
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    (client, dropper)
}

/// How many requests the simulator served for `endpoint` (`"POST /v2/…/{id}/acknowledgements"`).
fn served(sb: &RunningSandbox, endpoint: &str) -> u64 {
    sb.quipt
        .stats()
        .by_endpoint
        .get(endpoint)
        .copied()
        .unwrap_or(0)
}

#[tokio::test]
async fn accepting_lines_whose_answer_was_lost_accepts_them_once() {
    let sb = sandbox(0).await;
    let (id, lines) = seed_open_order(&sb);
    let (client, dropper) = through_dropper(&sb, "/acknowledgements").await;
    client
        .orders()
        .acknowledge(&OrderId(id.clone()), &accept_all(&lines))
        .await
        .expect("the order read back shows the lines accepted");
    assert_eq!(dropper.dropped().len(), 1, "the answer was dropped");
    let order = sb.quipt.order(&id).unwrap();
    assert!(
        order.lines.iter().all(|l| l.acknowledgements.len() == 1),
        "each line is accepted once, not twice: {:?}",
        order.lines
    );
    assert_eq!(
        served(&sb, "POST /v2/orders/fulfillment/{id}/acknowledgements"),
        1,
        "the acceptance was sent once"
    );
    assert_eq!(
        client.metrics().read_back,
        1,
        "settled by reading the order"
    );
}

#[tokio::test]
async fn a_soft_cancel_whose_answer_was_lost_cancels_once() {
    let sb = sandbox(0).await;
    let (id, _) = seed_open_order(&sb);
    let (client, _dropper) = through_dropper(&sb, "/cancel-shipment").await;
    let cancel = CancelShipment {
        reason: "Cancelled in ShipStation".into(),
        external_id: Some("ss-cancel-7".into()),
    };
    client
        .orders()
        .cancel_shipment(&OrderId(id.clone()), &cancel)
        .await
        .expect("the order read back shows the soft cancel");
    let order = sb.quipt.order(&id).unwrap();
    assert_eq!(
        order.cancellations.len(),
        1,
        "soft-cancelled once: {:?}",
        order.cancellations
    );
    assert_eq!(
        served(&sb, "POST /v2/orders/fulfillment/{id}/cancel-shipment"),
        1,
        "the cancel was sent once"
    );
}

#[tokio::test]
async fn a_hard_cancel_whose_answer_was_lost_ends_canceled_without_a_refusal() {
    let sb = sandbox(0).await;
    let (id, _) = seed_open_order(&sb);
    let (client, _dropper) = through_dropper(&sb, "/acknowledgements").await;
    let order = client.orders().get(&OrderId(id.clone())).await.unwrap();
    client
        .orders()
        .cancel_quantity(&order, "Cancelled in ShipStation")
        .await
        .expect("a hard cancel that happened is not refused by a second one");
    let after = client.orders().get(&OrderId(id.clone())).await.unwrap();
    assert_eq!(after.status, OrderStatus::Canceled, "the order is canceled");
    assert_eq!(
        after.cancellations.len(),
        1,
        "one Quantity cancellation: {:?}",
        after.cancellations
    );
    assert_eq!(
        served(&sb, "POST /v2/orders/fulfillment/{id}/acknowledgements"),
        1,
        "the rejection was sent once"
    );
}

#[tokio::test]
async fn a_void_whose_answer_was_lost_is_not_sent_again() {
    let sb = sandbox(0).await;
    let (id, lines) = seed_open_order(&sb);
    let order_id = OrderId(id.clone());
    client(&sb)
        .orders()
        .ship(&order_id, &shipment("ss-9", &lines[0], 2.0))
        .await
        .unwrap();
    let (client, _dropper) = through_dropper(&sb, "/void").await;
    client
        .orders()
        .void_shipment(&order_id, "ss-9")
        .await
        .expect("the order read back shows the shipment voided");
    let order = sb.quipt.order(&id).unwrap();
    assert!(order.shipments[0].voided, "the shipment is voided");
    assert_eq!(
        order.lines[0].shipped.value, 0.0,
        "its quantity is unshipped once"
    );
    assert_eq!(
        served(
            &sb,
            "POST /v2/orders/fulfillment/{id}/shipments/{externalId}/void"
        ),
        1,
        "the void was sent once"
    );
}

fn shipment(external_id: &str, line: &str, quantity: f64) -> NewShipment {
    NewShipment {
        external_id: external_id.into(),
        ship_at: Utc::now(),
        tracking_number: format!("1Z{external_id}"),
        carrier_method: None,
        lines: vec![ShipmentLine {
            line_id: LineId(line.into()),
            quantity: Quantity::each(quantity),
        }],
    }
}

#[tokio::test]
async fn a_shipment_whose_answer_was_lost_is_repeated_and_recorded_once() {
    let sb = sandbox(0).await;
    let (id, lines) = seed_open_order(&sb);
    let (client, dropper) = through_dropper(&sb, "/shipments").await;
    let outcome = client
        .orders()
        .ship(&OrderId(id.clone()), &shipment("ss-1", &lines[0], 2.0))
        .await
        .expect("the repeat is answered");
    assert_eq!(dropper.dropped().len(), 1, "the first answer was dropped");
    assert!(
        outcome.already_existed,
        "the repeat finds the shipment the lost call made"
    );
    let order = sb.quipt.order(&id).unwrap();
    assert_eq!(order.shipments.len(), 1, "one shipment");
    assert_eq!(order.lines[0].shipped.value, 2.0, "shipped once");
    assert_eq!(client.metrics().read_back, 0, "no read back needed");
}

#[tokio::test]
async fn a_write_that_failed_with_a_server_error_is_read_back_and_sent_again() {
    let sb = sandbox(0).await;
    let (id, lines) = seed_open_order(&sb);
    let client = client(&sb);
    sb.quipt.fail_next(1, 503);
    client
        .orders()
        .acknowledge(&OrderId(id.clone()), &accept_all(&lines))
        .await
        .expect("the acceptance is sent again once the order shows it missing");
    let order = sb.quipt.order(&id).unwrap();
    assert!(
        order.lines.iter().all(|l| l.acknowledgements.len() == 1),
        "each line accepted once"
    );
    let metrics = client.metrics();
    assert_eq!(metrics.read_back, 1, "the 503 was settled by a read");
    assert_eq!(
        served(&sb, "POST /v2/orders/fulfillment/{id}/acknowledgements"),
        2,
        "the failed attempt and the one resend"
    );
}

#[rstest::rstest]
#[case::an_html_page("<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>")]
#[case::truncated_json(r#"{"Result": {"ExternalId": "ss-1", "#)]
#[case::no_result(r#"{"Success": true, "Messages": []}"#)]
#[tokio::test]
async fn a_shipment_whose_success_could_not_be_read_is_repeated_and_recorded_once(
    #[case] body: &str,
) {
    let sb = sandbox(0).await;
    let (id, lines) = seed_open_order(&sb);
    let client = client(&sb);
    sb.quipt.garbage_next(1, body.to_string());
    let outcome = client
        .orders()
        .ship(&OrderId(id.clone()), &shipment("ss-1", &lines[0], 2.0))
        .await
        .expect("the repeat is answered: Quipt had the shipment, not refused it");
    assert!(
        outcome.already_existed,
        "the repeat finds the shipment the unreadable answer hid"
    );
    let order = sb.quipt.order(&id).unwrap();
    assert_eq!(order.shipments.len(), 1, "one shipment");
    assert_eq!(order.lines[0].shipped.value, 2.0, "shipped once");
    assert_eq!(
        served(&sb, "POST /v2/orders/fulfillment/{id}/shipments"),
        2,
        "the call whose answer was unreadable and one repeat"
    );
}

#[tokio::test]
async fn a_shipment_never_answered_readably_is_an_error_to_try_again_not_a_refusal() {
    let sb = sandbox(0).await;
    let (id, lines) = seed_open_order(&sb);
    let client = client(&sb);
    sb.quipt
        .garbage_next(10, "<html><title>Bad Gateway</title></html>".into());
    let error = client
        .orders()
        .ship(&OrderId(id.clone()), &shipment("ss-1", &lines[0], 2.0))
        .await
        .expect_err("no answer could be read");
    assert!(
        error.is_retryable(),
        "Quipt may have it and a repeat is safe, so the next run sends it again: {error}"
    );
    assert_eq!(
        served(&sb, "POST /v2/orders/fulfillment/{id}/shipments"),
        4,
        "the call and its three retries, no more"
    );
    assert_eq!(
        sb.quipt.order(&id).unwrap().shipments.len(),
        1,
        "and Quipt made the shipment once"
    );
}
