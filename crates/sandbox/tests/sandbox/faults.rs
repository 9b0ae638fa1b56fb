//! Faults that cost simulated time or hide what happened: an outage until a simulated instant,
//! writes that take effect and then lose their answer (apart from a request dropped before it
//! was handled) or have it replaced by a page that is not JSON, with the per-order effect counts a
//! "never a second effect" test reads.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{self, json, order};

/// POSTs `body` to `url` on the control API.
async fn control(url: String, body: Value) {
    let response = reqwest::Client::new()
        .post(url)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "the control call is accepted"
    );
}

#[tokio::test]
async fn shipstation_is_down_until_the_simulated_instant_and_back_without_waiting() {
    let sandbox = support::start(0, None).await;
    let until = sandbox.now() + chrono::Duration::hours(1);
    control(
        format!("{}/__control/faults", sandbox.shipstation_url()),
        json!({"outage": {"until": until, "status": 503}}),
    )
    .await;
    let down = support::send(support::shipstation(&sandbox, Method::GET, "/stores")).await;
    assert_eq!(
        down.status(),
        503,
        "every request answers the outage's status"
    );
    assert!(
        down.headers().get("X-Rate-Limit-Remaining").is_none(),
        "a server that is down sends no rate headers"
    );
    sandbox.advance_clock(Duration::from_secs(59 * 60));
    let still = support::send(support::shipstation(&sandbox, Method::GET, "/stores")).await;
    assert_eq!(
        still.status(),
        503,
        "a minute before the end it is still down"
    );
    sandbox.advance_clock(Duration::from_secs(60));
    let up = support::send(support::shipstation(&sandbox, Method::GET, "/stores")).await;
    assert_eq!(
        up.status(),
        200,
        "at the simulated instant it answers again"
    );
    assert_eq!(
        support::header(&up, "X-Rate-Limit-Remaining"),
        39,
        "the outage used none of the budget"
    );
}

#[tokio::test]
async fn quipt_refuses_connections_until_the_simulated_instant() {
    let sandbox = support::start(0, None).await;
    sandbox
        .quipt
        .outage_until(sandbox.now() + chrono::Duration::minutes(30), None);
    let refused = support::quipt(&sandbox, Method::GET, "/v2/partners")
        .send()
        .await;
    assert!(
        refused.is_err(),
        "the connection closes without an answer: {refused:?}"
    );
    let control = reqwest::get(format!("{}/__control/orders", sandbox.quipt_url()))
        .await
        .unwrap();
    assert_eq!(
        control.status(),
        200,
        "the control API stays up to steer the test"
    );
    sandbox.advance_clock(Duration::from_secs(30 * 60));
    let up = support::send(support::quipt(&sandbox, Method::GET, "/v2/partners")).await;
    assert_eq!(
        up.status(),
        200,
        "thirty simulated minutes later Quipt answers"
    );
}

#[tokio::test]
async fn a_shipstation_create_whose_answer_is_lost_took_effect_and_its_retry_only_updates() {
    let sandbox = support::start(0, None).await;
    let base = sandbox.shipstation_url();
    control(
        format!("{base}/__control/faults"),
        json!({"loseAnswerNext": {"count": 1, "write": "createorders"}}),
    )
    .await;
    let batch = json!([order("LOST-1"), order("LOST-2")]);
    let single = support::send(
        support::shipstation(&sandbox, Method::POST, "/orders/createorder").json(&order("KEPT-1")),
    )
    .await;
    assert_eq!(
        single.status(),
        200,
        "a createorder is not the createorders the fault waits for"
    );
    let lost = support::shipstation(&sandbox, Method::POST, "/orders/createorders")
        .json(&batch)
        .send()
        .await;
    assert!(lost.is_err(), "the answer never arrives: {lost:?}");
    let created: Vec<String> = sandbox
        .shipstation
        .all_orders()
        .into_iter()
        .map(|o| o.order_number)
        .collect();
    assert_eq!(
        created,
        ["KEPT-1", "LOST-1", "LOST-2"],
        "yet both orders were created"
    );

    let retried =
        json(support::shipstation(&sandbox, Method::POST, "/orders/createorders").json(&batch))
            .await;
    assert_eq!(
        retried["hasErrors"], false,
        "the blind retry is accepted: {retried}"
    );
    assert_eq!(
        sandbox.shipstation.all_orders().len(),
        3,
        "and duplicates nothing (upsert by orderKey)"
    );
    let stats: Value = json(reqwest::Client::new().get(format!("{base}/__control/stats"))).await;
    assert_eq!(
        stats["effects"],
        json!({"created": {"KEPT-1": 1, "LOST-1": 1, "LOST-2": 1}, "updated": {"LOST-1": 1, "LOST-2": 1}}),
        "the stats show each order created once and the retry as one update each"
    );
}

#[tokio::test]
async fn a_request_dropped_before_it_is_handled_changes_nothing_unlike_a_lost_answer() {
    let sandbox = support::start(0, None).await;
    sandbox.shipstation.drop_next(1);
    let dropped = support::shipstation(&sandbox, Method::POST, "/orders/createorder")
        .json(&order("DROP-1"))
        .send()
        .await;
    assert!(dropped.is_err(), "no answer either way");
    assert!(
        sandbox.shipstation.all_orders().is_empty(),
        "but a dropped request created nothing"
    );

    sandbox
        .shipstation
        .lose_answer_next(1, Some(sandbox::shipstation::Write::CreateOrder));
    let lost = support::shipstation(&sandbox, Method::POST, "/orders/createorder")
        .json(&order("DROP-1"))
        .send()
        .await;
    assert!(lost.is_err(), "no answer");
    assert_eq!(
        sandbox.shipstation.stats().effects.created.get("DROP-1"),
        Some(&1),
        "while a lost answer hides a create that happened"
    );
}

/// A signed Quipt write; `Ok(body)` with the envelope, or `Err` when no answer came.
async fn quipt_write(
    sandbox: &sandbox::RunningSandbox,
    path: &str,
    body: Value,
) -> Result<Value, reqwest::Error> {
    let response = support::quipt(sandbox, Method::POST, path)
        .json(&body)
        .send()
        .await?;
    response.json().await
}

#[tokio::test]
async fn every_kind_of_quipt_write_can_take_effect_and_lose_its_answer() {
    let sandbox = support::start(0, None).await;
    let seeded = |number: &str| {
        sandbox
            .quipt
            .insert_order_json(json!({"OrderNumber": number, "Status": 4, "Lines": [
                {"Ordered": {"Units": 0, "Value": 2}}, {"Ordered": {"Units": 0, "Value": 1}}]}))
            .unwrap()
    };
    let order = seeded("QL-1");
    let (id, line1, line2) = (
        order.id.clone(),
        order.lines[0].id.clone(),
        order.lines[1].id.clone(),
    );
    let base = format!("/v2/orders/fulfillment/{id}");
    let lose = |write: &str| json!({"lose_answer_next": {"count": 1, "write": write}});
    let faults = format!("{}/__control/faults", sandbox.quipt_url());

    control(faults.clone(), lose("acknowledge")).await;
    let accept = json!({"Lines": [
        {"LineId": line1, "Status": 1, "Quantity": {"Units": 0, "Value": 2}},
        {"LineId": line2, "Status": 1, "Quantity": {"Units": 0, "Value": 1}}]});
    assert!(
        quipt_write(&sandbox, &format!("{base}/acknowledgements"), accept)
            .await
            .is_err(),
        "acknowledge: no answer"
    );

    control(faults.clone(), lose("ship")).await;
    let package = json!({"ExternalId": "ss-shipment-1", "ShipAt": "2026-11-29T10:00:00Z",
        "TrackingNumber": "1Z1", "Lines": [{"LineId": line1, "Quantity": {"Units": 0, "Value": 1}}]});
    assert!(
        quipt_write(&sandbox, &format!("{base}/shipments"), package.clone())
            .await
            .is_err(),
        "ship: no answer"
    );
    let repeat = quipt_write(&sandbox, &format!("{base}/shipments"), package)
        .await
        .unwrap();
    assert_eq!(
        (
            repeat["Success"].clone(),
            repeat["Messages"][0]["Severity"].clone()
        ),
        (json!(true), json!(1)),
        "a retry by ExternalId returns the shipment with a warning: {repeat}"
    );

    control(faults.clone(), lose("void")).await;
    assert!(
        quipt_write(
            &sandbox,
            &format!("{base}/shipments/ss-shipment-1/void"),
            json!({})
        )
        .await
        .is_err(),
        "void: no answer"
    );

    control(faults.clone(), lose("cancel_shipment")).await;
    let soft = json!({"Reason": "Cancelled in ShipStation", "ExternalId": "ss-cancel-1"});
    assert!(
        quipt_write(&sandbox, &format!("{base}/cancel-shipment"), soft.clone())
            .await
            .is_err(),
        "cancel: no answer"
    );
    quipt_write(&sandbox, &format!("{base}/cancel-shipment"), soft)
        .await
        .unwrap();

    let hard = seeded("QL-2");
    control(faults.clone(), lose("reject")).await;
    let reject_all = json!({"Lines": hard.lines.iter().map(|l| json!(
        {"LineId": l.id, "Status": 2, "Quantity": l.ordered})).collect::<Vec<_>>()});
    assert!(
        quipt_write(
            &sandbox,
            &format!("/v2/orders/fulfillment/{}/acknowledgements", hard.id),
            reject_all
        )
        .await
        .is_err(),
        "reject: no answer"
    );

    let after = sandbox.quipt.order(&id).unwrap();
    assert_eq!(
        after.lines[0].acknowledgements.len(),
        1,
        "the acknowledgement was recorded"
    );
    assert!(
        after.shipments[0].voided,
        "the shipment was made, then voided"
    );
    assert_eq!(
        after.lines[1].sub_status,
        Some(95),
        "the soft cancel was applied"
    );
    let rejected = sandbox.quipt.order(&hard.id).unwrap();
    assert_eq!(
        rejected.status, 16,
        "the rejection cancelled the whole order"
    );

    let stats = sandbox.quipt.stats();
    let once = |map: &std::collections::BTreeMap<String, u32>, order: &str| map.get(order).copied();
    assert_eq!(
        once(&stats.effects.acknowledge, &id),
        Some(1),
        "accepted once"
    );
    assert_eq!(
        once(&stats.effects.ship, &id),
        Some(1),
        "shipped once, the retry changed nothing"
    );
    assert_eq!(once(&stats.effects.void, &id), Some(1), "voided once");
    assert_eq!(
        once(&stats.effects.cancel_shipment, &id),
        Some(1),
        "soft-cancelled once, though asked twice"
    );
    assert_eq!(
        once(&stats.effects.reject, &hard.id),
        Some(1),
        "rejected once"
    );
}

#[tokio::test]
async fn a_quipt_write_answered_with_a_page_that_is_not_json_took_effect() {
    let sandbox = support::start(0, None).await;
    let order = sandbox
        .quipt
        .insert_order_json(json!({"OrderNumber": "QG-1", "Status": 4, "Lines": [
            {"Ordered": {"Units": 0, "Value": 1}}]}))
        .unwrap();
    let page = "<html><head><title>502 Bad Gateway</title></head></html>";
    control(
        format!("{}/__control/faults", sandbox.quipt_url()),
        json!({"garbage_next": {"count": 1, "body": page}}),
    )
    .await;
    let path = format!("/v2/orders/fulfillment/{}/shipments", order.id);
    let package = json!({"ExternalId": "ss-shipment-9", "ShipAt": "2026-11-29T10:00:00Z",
        "TrackingNumber": "1Z9", "Lines": [{"LineId": order.lines[0].id, "Quantity": {"Units": 0, "Value": 1}}]});
    let answer = support::send(support::quipt(&sandbox, Method::POST, &path).json(&package)).await;
    assert_eq!(answer.status(), 200, "a success, as a proxy passes it on");
    assert_eq!(
        answer.text().await.unwrap(),
        page,
        "with the armed body instead of Quipt's envelope"
    );
    assert_eq!(
        sandbox.quipt.order(&order.id).unwrap().shipments.len(),
        1,
        "the shipment was made: only its answer was replaced"
    );
    let repeat = quipt_write(&sandbox, &path, package).await.unwrap();
    assert_eq!(
        repeat["Messages"][0]["Severity"],
        json!(1),
        "once: the next answer is Quipt's own, the shipment it already has: {repeat}"
    );
}
