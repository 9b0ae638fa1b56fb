//! The fault matrix: the run records the reason, loses nothing, duplicates nothing, and recovers.

use std::collections::HashSet;

use connector::store::orders::OrderState;
use connector::{ReasonCode, RunOutcome, TimelineKind, Trigger};
use serde_json::json;

use crate::support::{self, World};

fn add_orders(world: &World, prefix: &str, n: usize) {
    for i in 0..n {
        world.add_order(&format!("{prefix}-{i:03}"), json!({}));
    }
}

fn assert_each_once(world: &World, prefix: &str, n: usize) {
    let orders = world.sandbox.shipstation.all_orders();
    let numbers: Vec<&str> = orders
        .iter()
        .filter(|o| o.order_number.starts_with(prefix))
        .map(|o| o.order_number.as_str())
        .collect();
    let unique: HashSet<&str> = numbers.iter().copied().collect();
    assert_eq!(numbers.len(), unique.len(), "no order is duplicated");
    assert_eq!(unique.len(), n, "every order reached ShipStation");
}

#[tokio::test]
async fn a_budget_drained_by_another_application_is_waited_out() {
    let world = World::new(0).await;
    add_orders(&world, "Q-DRAIN", 5);
    world.sandbox.shipstation.drain_budget();
    let summary = world.sync().await;
    assert_eq!(
        summary.outcome,
        connector::RunOutcome::Ok,
        "the run waits for the next window and completes: {:?}",
        summary.error
    );
    assert_each_once(&world, "Q-DRAIN", 5);
}

#[tokio::test]
async fn server_errors_and_dropped_connections_are_retried_without_duplicates() {
    let world = World::new(0).await;
    add_orders(&world, "Q-FLAKY", 12);
    world.sandbox.shipstation.fail_next(2, 503);
    world.sandbox.shipstation.drop_next(2);
    world.sandbox.quipt.fail_next(1, 500);
    world.sandbox.quipt.drop_next(1);
    let summary = world.sync().await;
    assert_eq!(
        summary.outcome,
        connector::RunOutcome::Ok,
        "retries carry the run: {:?}",
        summary.error
    );
    assert_each_once(&world, "Q-FLAKY", 12);
}

#[tokio::test]
async fn an_api_down_for_good_fails_the_run_with_the_reason_and_the_next_run_recovers() {
    let world = World::new(0).await;
    add_orders(&world, "Q-DOWN", 3);
    world.sandbox.shipstation.fail_next(1000, 500);
    let summary = world.sync().await;
    assert_eq!(summary.outcome, connector::RunOutcome::Failed);
    assert!(
        summary.error.as_deref().unwrap_or_default().contains("500"),
        "the reason is recorded: {:?}",
        summary.error
    );
    let run = world.connector().runs(1).unwrap().remove(0);
    assert_eq!(
        run.outcome,
        connector::RunOutcome::Failed,
        "the failed run is in the history"
    );
    world.sandbox.shipstation.clear_faults();
    let summary = world.sync().await;
    assert_eq!(
        summary.outcome,
        connector::RunOutcome::Ok,
        "{:?}",
        summary.error
    );
    assert_each_once(&world, "Q-DOWN", 3);
}

#[tokio::test]
async fn a_bulk_call_where_some_orders_fail_records_each_failure_and_pushes_the_rest() {
    let world = World::new(0).await;
    add_orders(&world, "Q-BULK", 4);
    world.add_order("Q-BULK-REFUSED", json!({}));
    world
        .sandbox
        .shipstation
        .fail_orders_matching(Some("REFUSED".into()));
    let summary = world.sync().await;
    assert_eq!((summary.created, summary.failed), (4, 1));
    let refused = world.order("Q-BULK-REFUSED").order;
    assert_eq!(refused.state.as_str(), "failed");
    assert!(
        refused.reason.unwrap().contains("ShipStation refused"),
        "the reason carries ShipStation's message"
    );
    world.sandbox.shipstation.fail_orders_matching(None);
    let summary = world.sync().await;
    assert_eq!(
        summary.created,
        1,
        "a failed order is retried on the next run: {summary:?} {:?}",
        world.order("Q-BULK-REFUSED")
    );
    assert_eq!(world.order("Q-BULK-REFUSED").order.state.as_str(), "pushed");
}

#[tokio::test]
async fn a_push_whose_answer_is_lost_fails_the_run_records_why_and_the_next_run_pushes_each_once() {
    let world = World::new(0).await;
    add_orders(&world, "Q-LOST", 3);
    // One clock for every world: the client's waits between its retries pass at once.
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    // Every create takes effect and loses its answer, the client's retries included.
    world
        .sandbox
        .shipstation
        .lose_answer_next(1000, Some(sandbox::shipstation::Write::CreateOrders));
    let summary = support::run(&connector, Trigger::Cli).await;
    assert_eq!(
        summary.outcome,
        RunOutcome::Failed,
        "without ShipStation's answer the run fails: {:?}",
        summary.error
    );
    assert_eq!(
        summary.failed, 0,
        "ShipStation refused nothing: the run's error says what happened"
    );
    for i in 0..3 {
        let detail = world.order(&format!("Q-LOST-{i:03}"));
        assert_eq!(
            (detail.order.state, detail.order.reason_code),
            (OrderState::Failed, Some(ReasonCode::Unreachable)),
            "the operator sees the push went unanswered, not that it was refused"
        );
        let last = detail.timeline.last().expect("the push is in the timeline");
        assert_eq!(
            last.kind,
            TimelineKind::PushFailed,
            "the timeline says the push failed"
        );
        assert!(
            last.message
                .starts_with("not confirmed by ShipStation (could not reach ShipStation")
                && last.message.contains("it may or may not have the order"),
            "the timeline says why, and that ShipStation may have it: {}",
            last.message
        );
    }

    world.sandbox.shipstation.clear_faults();
    let summary = support::run(&connector, Trigger::Cli).await;
    assert_eq!(
        summary.outcome,
        RunOutcome::Ok,
        "the next run recovers: {:?}",
        summary.error
    );
    assert_each_once(&world, "Q-LOST", 3);
    for i in 0..3 {
        assert_eq!(
            world.order(&format!("Q-LOST-{i:03}")).order.state,
            OrderState::Pushed,
            "each order is pushed once the answer comes"
        );
    }
}

#[tokio::test]
async fn null_rows_in_shipstation_lists_are_skipped() {
    let world = World::new(0).await;
    add_orders(&world, "Q-NULL", 3);
    world.sync().await;
    world.sandbox.shipstation.set_null_rows(true);
    let summary = world.sync().await;
    assert_eq!(
        summary.outcome,
        connector::RunOutcome::Ok,
        "{:?}",
        summary.error
    );
}

#[tokio::test]
async fn a_poison_order_that_breaks_a_list_page_fails_the_run_with_the_reason_and_nothing_is_lost()
{
    let world = World::new(0).await;
    add_orders(&world, "Q-POISON", 3);
    world.sync().await;
    world
        .sandbox
        .shipstation
        .set_poison_order_number(Some("Q-POISON-001".into()));
    let summary = world.sync().await;
    assert_eq!(
        summary.outcome,
        connector::RunOutcome::Failed,
        "the broken page is reported"
    );
    assert!(summary.error.is_some());
    world.sandbox.shipstation.set_poison_order_number(None);
    let summary = world.sync().await;
    assert_eq!(summary.outcome, connector::RunOutcome::Ok);
    assert_each_once(&world, "Q-POISON", 3);
}

#[tokio::test]
async fn a_failed_order_quipt_will_not_give_again_stays_failed_says_so_once_and_the_other_orders_go_on()
 {
    let world = World::new(0).await;
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    world.add_order("Q-UNREAD-REFUSED", json!({}));
    world
        .sandbox
        .shipstation
        .fail_orders_matching(Some("REFUSED".into()));
    // Two runs on, the listing's window has passed it: it is read again by id each run.
    for _ in 0..2 {
        clock.advance(chrono::Duration::minutes(15));
        support::run(&connector, Trigger::Schedule).await;
    }
    assert_eq!(
        world.order("Q-UNREAD-REFUSED").order.state,
        OrderState::Failed
    );
    // From now on Quipt refuses to give orders by id.
    let read = "GET /v2/orders/fulfillment/id/{id}";
    world.sandbox.quipt.fail_route(read, 0, 1_000, Some(403));
    for run in 1..=3 {
        world.add_order(&format!("Q-UNREAD-NEW-{run}"), json!({}));
        clock.advance(chrono::Duration::minutes(15));
        let summary = support::run(&connector, Trigger::Schedule).await;
        assert_eq!(
            (summary.outcome, summary.created),
            (RunOutcome::Attention, 1),
            "run {run}: the new order is pushed; the unreadable one does not fail the run: {:?}",
            summary.error
        );
    }
    let failed = world.order("Q-UNREAD-REFUSED");
    assert_eq!(
        (failed.order.state, failed.order.reason_code),
        (OrderState::Failed, Some(ReasonCode::Rejected)),
        "it stays failed for what it failed for"
    );
    let refusals: Vec<_> = failed
        .timeline
        .iter()
        .filter(|e| e.kind == TimelineKind::ReadRefused)
        .map(|e| e.message.as_str())
        .collect();
    assert_eq!(refusals.len(), 1, "said once, not every run: {refusals:?}");
    assert!(
        refusals[0].contains("403"),
        "with Quipt's answer: {refusals:?}"
    );

    assert!(
        world
            .sandbox
            .quipt
            .stats()
            .by_endpoint
            .get(read)
            .copied()
            .unwrap_or(0)
            >= 3,
        "Quipt was asked for it on each run"
    );

    world.sandbox.quipt.clear_faults();
    world.sandbox.shipstation.fail_orders_matching(None);
    clock.advance(chrono::Duration::minutes(15));
    let summary = support::run(&connector, Trigger::Schedule).await;
    assert_eq!(summary.created, 1, "read again, it is pushed: {summary:?}");
    assert_eq!(
        world.order("Q-UNREAD-REFUSED").order.state,
        OrderState::Pushed
    );
}

#[tokio::test]
async fn quipt_refusing_the_credentials_on_a_write_fails_the_run_and_nothing_is_left_a_conflict() {
    let world = World::new(0).await;
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    let id = world.add_order("Q-401-WRITE", json!({}));
    support::run(&connector, Trigger::Schedule).await;
    world.print_label("Q-401-WRITE", "TRK-401");
    // The token is refused on the shipment (revoked, then authorized again by the operator).
    let ship = "POST /v2/orders/fulfillment/{id}/shipments";
    world.sandbox.quipt.fail_route(ship, 0, 1, Some(401));
    clock.advance(chrono::Duration::minutes(15));
    let refused = support::run(&connector, Trigger::Schedule).await;
    assert_eq!(
        refused.outcome,
        RunOutcome::Failed,
        "credentials refused fail the run (exit 1), not one order: {refused:?}"
    );
    assert!(
        refused
            .error
            .as_deref()
            .is_some_and(|e| e.contains("refused the credentials")),
        "the run says why: {:?}",
        refused.error
    );
    assert_ne!(
        world.order("Q-401-WRITE").order.state,
        OrderState::Conflict,
        "the package is not the order's conflict"
    );

    clock.advance(chrono::Duration::minutes(15));
    let next = support::run(&connector, Trigger::Schedule).await;
    assert_eq!(
        (next.outcome, next.tracking_reported),
        (RunOutcome::Ok, 1),
        "with the token accepted again the tracking goes, without a Retry: {next:?}"
    );
    let shipped = world.sandbox.quipt.order(&id).unwrap();
    assert_eq!(shipped.shipments.len(), 1, "once");
}

#[tokio::test]
async fn quipt_refusing_the_credentials_on_an_acceptance_fails_the_run_instead_of_a_quiet_ok() {
    let world = World::new(0).await;
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    world.add_order("Q-401-ACK", json!({}));
    let acknowledge = "POST /v2/orders/fulfillment/{id}/acknowledgements";
    world
        .sandbox
        .quipt
        .fail_route(acknowledge, 0, 1_000, Some(401));
    let refused = support::run(&connector, Trigger::Schedule).await;
    assert_eq!(
        (refused.outcome, refused.created),
        (RunOutcome::Failed, 1),
        "pushed, then the refused credentials fail the run: {refused:?}"
    );
    world.sandbox.quipt.clear_faults();
    clock.advance(chrono::Duration::minutes(15));
    let next = support::run(&connector, Trigger::Schedule).await;
    assert_eq!(
        (next.outcome, next.acknowledged, next.created),
        (RunOutcome::Ok, 1, 0),
        "accepted once the token is accepted again: {next:?}"
    );
}

#[tokio::test]
async fn a_bulk_call_shipstation_refuses_whole_is_sent_again_in_halves_not_refused_for_every_order()
{
    let world = World::new(0).await;
    add_orders(&world, "Q-HALVES", 4);
    let createorders = "POST /orders/createorders";
    world
        .sandbox
        .shipstation
        .fail_route(createorders, 0, 1, Some(400));
    let summary = world.sync().await;
    assert_eq!(
        (summary.outcome, summary.created, summary.failed),
        (RunOutcome::Ok, 4, 0),
        "the halves go through: {summary:?}"
    );
    assert_each_once(&world, "Q-HALVES", 4);
    assert_eq!(
        world
            .sandbox
            .shipstation
            .stats()
            .per_endpoint
            .get(createorders)
            .copied(),
        Some(3),
        "the refused call, then one per half"
    );
}

#[tokio::test]
async fn an_order_shipstation_fails_on_alone_is_set_apart_and_holds_back_no_other_order() {
    let world = World::new(0).await;
    // One clock for every world: the client's waits between its retries pass at once.
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    add_orders(&world, "Q-BODY", 6);
    // ShipStation answers 500 to every create holding this order, and to nothing else.
    world
        .sandbox
        .shipstation
        .set_poison_order_number(Some("Q-BODY-002".into()));
    let summary = support::run(&connector, Trigger::Schedule).await;
    assert_eq!(
        summary.outcome,
        RunOutcome::Attention,
        "the run goes on past the order ShipStation fails on: {:?}",
        summary.error
    );
    assert_eq!(summary.failed, 1, "that one order failed");
    let failed = world.order("Q-BODY-002").order;
    assert_eq!(
        (failed.state, failed.reason_code),
        (OrderState::Failed, Some(ReasonCode::FailsOnOrder))
    );
    let reason = failed.reason.unwrap_or_default();
    assert!(
        reason.contains("fails on this order")
            && reason.contains("500")
            && reason.contains("may or may not have the order"),
        "the operator is told ShipStation fails on this order alone, and may have it: {reason}"
    );
    for i in [0, 1, 3, 4, 5] {
        assert_eq!(
            world.order(&format!("Q-BODY-{i:03}")).order.state,
            OrderState::Pushed,
            "Q-BODY-{i:03} went through"
        );
    }
    assert_each_once(&world, "Q-BODY", 5);

    // The next run sends it apart from the orders new to ShipStation: they go through in one call
    // of their own, without a search for the culprit.
    add_orders(&world, "Q-BODY-NEW", 4);
    world.sandbox.shipstation.reset_stats();
    clock.advance(chrono::Duration::minutes(15));
    let summary = support::run(&connector, Trigger::Schedule).await;
    assert_eq!((summary.created, summary.failed), (4, 1));
    let creates = world
        .sandbox
        .shipstation
        .stats()
        .calls("POST /orders/createorders");
    let retries = u64::from(shipstation::retry::RetryPolicy::default().max_retries);
    assert_eq!(
        creates,
        1 + (1 + retries),
        "one call for the new orders, and the failing order alone (its first try and the client's retries)"
    );
    assert_eq!(
        world.sandbox.shipstation.stats().calls("GET /warehouses"),
        1,
        "whether ShipStation answers otherwise is asked once in the run (the reference data is cached)"
    );

    // Once ShipStation takes it, it is pushed, once.
    world.sandbox.shipstation.set_poison_order_number(None);
    clock.advance(chrono::Duration::minutes(15));
    let summary = support::run(&connector, Trigger::Schedule).await;
    assert_eq!(summary.outcome, RunOutcome::Ok, "{:?}", summary.error);
    assert_eq!(world.order("Q-BODY-002").order.state, OrderState::Pushed);
    assert_each_once(&world, "Q-BODY", 10);
}

#[tokio::test]
async fn shipstation_failing_on_every_write_fails_the_run_after_four_calls_and_blames_no_order() {
    let world = World::new(0).await;
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    add_orders(&world, "Q-NO-WRITES", 8);
    // ShipStation answers its reads, and a 503 to every create.
    world
        .sandbox
        .shipstation
        .fail_route("POST /orders/createorders", 0, 10_000, Some(503));
    let summary = support::run(&connector, Trigger::Schedule).await;
    assert_eq!(
        summary.outcome,
        RunOutcome::Failed,
        "a ShipStation that fails on every write fails the run"
    );
    assert!(
        summary.error.as_deref().unwrap_or_default().contains("503"),
        "the run says what ShipStation answered: {:?}",
        summary.error
    );
    assert_eq!(summary.failed, 0, "no order is blamed for it");
    for i in 0..8 {
        let order = world.order(&format!("Q-NO-WRITES-{i:03}")).order;
        assert_eq!(
            (order.state, order.reason_code),
            (OrderState::Failed, Some(ReasonCode::Unreachable)),
            "Q-NO-WRITES-{i:03} is unconfirmed, to be sent again"
        );
    }
    let retries = u64::from(shipstation::retry::RetryPolicy::default().max_retries);
    assert_eq!(
        world
            .sandbox
            .shipstation
            .stats()
            .calls("POST /orders/createorders"),
        4 * (1 + retries),
        "the batch, each of its halves and one order alone, with the client's retries: no search through every order"
    );

    // Still so on the next run: it fails again, blaming at most the one order sent alone (which
    // may be the order), not the batch.
    clock.advance(chrono::Duration::minutes(15));
    let summary = support::run(&connector, Trigger::Schedule).await;
    assert_eq!(
        summary.outcome,
        RunOutcome::Failed,
        "the outage still fails the run"
    );
    assert!(summary.failed <= 1, "{} orders blamed", summary.failed);

    // Once ShipStation takes writes again, every order is pushed, once.
    world.sandbox.shipstation.clear_faults();
    clock.advance(chrono::Duration::minutes(15));
    let summary = support::run(&connector, Trigger::Schedule).await;
    assert_eq!(summary.outcome, RunOutcome::Ok, "{:?}", summary.error);
    assert_each_once(&world, "Q-NO-WRITES", 8);
}

#[tokio::test]
async fn an_order_shipstation_fails_on_sent_alone_fails_one_run_then_no_more() {
    let world = World::new(0).await;
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    world.add_order("Q-LONE-BAD", json!({}));
    world
        .sandbox
        .shipstation
        .set_poison_order_number(Some("Q-LONE-BAD".into()));
    // Alone in the run, a 5xx on it cannot be told from ShipStation failing on every write.
    let summary = support::run(&connector, Trigger::Schedule).await;
    assert_eq!(summary.outcome, RunOutcome::Failed);
    assert_eq!(
        world.order("Q-LONE-BAD").order.reason_code,
        Some(ReasonCode::Unreachable)
    );
    // Failed on alone again, it is the order: the run no longer fails for it.
    clock.advance(chrono::Duration::minutes(15));
    let summary = support::run(&connector, Trigger::Schedule).await;
    assert_eq!(
        (summary.outcome, summary.failed),
        (RunOutcome::Attention, 1),
        "{:?}",
        summary.error
    );
    let blamed = world.order("Q-LONE-BAD").order;
    assert_eq!(blamed.reason_code, Some(ReasonCode::FailsOnOrder));
    let reason = blamed.reason.unwrap_or_default();
    assert!(
        reason.contains("again") && reason.contains("or ShipStation fails on every write"),
        "the operator is told it may be the order or ShipStation: {reason}"
    );
    clock.advance(chrono::Duration::minutes(15));
    let summary = support::run(&connector, Trigger::Schedule).await;
    assert_eq!(
        summary.outcome,
        RunOutcome::Attention,
        "{:?}",
        summary.error
    );
}

#[tokio::test]
async fn orders_shipstation_fails_on_in_both_halves_of_a_batch_hold_back_no_other_order_for_long() {
    let world = World::new(0).await;
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    add_orders(&world, "Q-TWO", 8);
    // One in each half of the batch: each half fails as a whole, as every write would.
    world
        .sandbox
        .shipstation
        .set_poison_order_numbers(vec!["Q-TWO-001".into(), "Q-TWO-005".into()]);
    let mut outcomes = Vec::new();
    for _ in 0..2 {
        outcomes.push(support::run(&connector, Trigger::Schedule).await.outcome);
        clock.advance(chrono::Duration::minutes(15));
    }
    for i in [0, 2, 3, 4, 6, 7] {
        assert_eq!(
            world.order(&format!("Q-TWO-{i:03}")).order.state,
            OrderState::Pushed,
            "Q-TWO-{i:03} went through within two runs ({outcomes:?})"
        );
    }
    for bad in ["Q-TWO-001", "Q-TWO-005"] {
        assert_eq!(
            world.order(bad).order.reason_code,
            Some(ReasonCode::FailsOnOrder),
            "{bad} is blamed"
        );
    }
    assert_eq!(outcomes.last(), Some(&RunOutcome::Attention));
    assert_each_once(&world, "Q-TWO", 6);

    // Sent together again with nothing new, they fail as every write would: still blamed, the
    // run not failed.
    let again = support::run(&connector, Trigger::Schedule).await;
    assert_eq!(
        (again.outcome, again.failed),
        (RunOutcome::Attention, 2),
        "{:?}",
        again.error
    );
}

#[tokio::test]
async fn a_search_cut_short_by_an_unanswered_call_leaves_no_order_pending() {
    let world = World::new(0).await;
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    add_orders(&world, "Q-CUT", 6);
    let shipstation = &world.sandbox.shipstation;
    shipstation.set_poison_order_number(Some("Q-CUT-004".into()));
    // The batch fails on the poison (its first try and the client's retries); then no create is
    // answered at all, so the search stops at the first half it sends, the other unsent.
    let tries = 1 + shipstation::retry::RetryPolicy::default().max_retries;
    shipstation.fail_route("POST /orders/createorders", tries, 1000, None);
    let summary = support::run(&connector, Trigger::Schedule).await;
    assert_eq!(summary.outcome, RunOutcome::Failed);
    for i in 0..6 {
        let order = world.order(&format!("Q-CUT-{i:03}")).order;
        assert_eq!(
            (order.state, order.reason_code),
            (OrderState::Failed, Some(ReasonCode::Unreachable)),
            "Q-CUT-{i:03} is unconfirmed, listed to be sent again, not left pending"
        );
    }
    shipstation.clear_faults();
    clock.advance(chrono::Duration::minutes(15));
    let summary = support::run(&connector, Trigger::Schedule).await;
    assert_eq!(summary.outcome, RunOutcome::Ok, "{:?}", summary.error);
    assert_each_once(&world, "Q-CUT", 6);
}

#[tokio::test]
async fn pushes_that_go_unanswered_hold_back_no_tracking_and_no_cancellation() {
    let world = World::new(0).await;
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    let shipped = world.add_order("Q-HELD-BACK-SHIP", json!({}));
    let cancelled = world.add_order("Q-HELD-BACK-CANCEL", json!({}));
    support::run(&connector, Trigger::Schedule).await;
    world.print_label("Q-HELD-BACK-SHIP", "1ZHELDBACK");
    world.cancel_in_shipstation("Q-HELD-BACK-CANCEL");
    // A new order to push, and every create's answer lost, the client's retries included.
    world.add_order("Q-HELD-BACK-NEW", json!({}));
    world
        .sandbox
        .shipstation
        .lose_answer_next(1000, Some(sandbox::shipstation::Write::CreateOrders));
    clock.advance(chrono::Duration::minutes(15));
    let summary = support::run(&connector, Trigger::Schedule).await;
    assert_eq!(
        summary.outcome,
        RunOutcome::Failed,
        "the unanswered push fails the run"
    );
    let quipt = &world.sandbox.quipt;
    let tracking: Vec<String> = quipt
        .order(&shipped)
        .unwrap()
        .shipments
        .iter()
        .filter_map(|s| s.tracking_number.clone())
        .collect();
    assert_eq!(
        tracking,
        ["1ZHELDBACK"],
        "the label's tracking reached Quipt"
    );
    assert_eq!(
        world.order("Q-HELD-BACK-CANCEL").order.state,
        OrderState::Cancelled,
        "the cancellation in ShipStation reached Quipt (id {cancelled})"
    );
}

#[tokio::test]
async fn a_cancellation_reaches_quipt_when_the_push_and_the_tracking_pass_both_fail() {
    let world = World::new(0).await;
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    let cancelled = world.add_order("Q-BOTH-FAIL-CANCEL", json!({}));
    support::run(&connector, Trigger::Schedule).await;
    world.cancel_in_shipstation("Q-BOTH-FAIL-CANCEL");
    world.add_order("Q-BOTH-FAIL-NEW", json!({}));
    let shipstation = &world.sandbox.shipstation;
    shipstation.lose_answer_next(1000, Some(sandbox::shipstation::Write::CreateOrders));
    shipstation.fail_route("GET /shipments", 0, 1000, Some(503));
    clock.advance(chrono::Duration::minutes(15));
    let summary = support::run(&connector, Trigger::Schedule).await;
    assert_eq!(summary.outcome, RunOutcome::Failed);
    assert_eq!(
        world.order("Q-BOTH-FAIL-CANCEL").order.state,
        OrderState::Cancelled,
        "the cancellation in ShipStation reached Quipt (id {cancelled}) though tracking could not be read"
    );
    assert!(
        summary
            .warnings
            .iter()
            .any(|w| w.contains("tracking failed too") && w.contains("503")),
        "the run says what else failed: {:?}",
        summary.warnings
    );
}

#[tokio::test]
async fn quipts_429s_are_counted_in_the_run_apart_from_shipstations() {
    let world = World::new(0).await;
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    add_orders(&world, "Q-QUIPT-429", 3);
    // Another application spends the API user's budget: Quipt answers 429 twice.
    world.sandbox.quipt.fail_next(2, 429);
    let summary = support::run(&connector, Trigger::Schedule).await;
    assert_eq!(summary.outcome, RunOutcome::Ok, "{:?}", summary.error);
    assert_eq!(
        (summary.quipt_rate_limited, summary.rate_limited),
        (2, 0),
        "the run says whose limit it met"
    );
    assert_each_once(&world, "Q-QUIPT-429", 3);
}
