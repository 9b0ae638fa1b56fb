//! Records a server dates years ahead of this computer's clock (a Quipt order "modified in 2031",
//! a ShipStation label "created in 2031"): each is handled as usual, and the passes' cursors do not
//! follow them, so what comes after is still read; a cursor an older version left there comes back.

use chrono::{DateTime, Utc};
use connector::Trigger;
use connector::clock::Clock;
use sandbox::shipstation::LabelRequest;
use serde_json::json;

use crate::cadence::INTERVAL;
use crate::support::{self, World};

/// Five years after `now`: far beyond any honest difference between two clocks.
fn years_after(now: DateTime<Utc>) -> DateTime<Utc> {
    now + chrono::Duration::days(5 * 365)
}

#[tokio::test]
async fn an_order_quipt_dates_years_ahead_is_pushed_and_orders_added_after_it_still_are() {
    let world = World::new(0).await;
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    let ahead = years_after(clock.now());
    world.add_order("Q-AHEAD-1", json!({"ModifiedAt": ahead}));

    let first = support::run(&connector, Trigger::Schedule).await;
    assert_eq!(
        first.created, 1,
        "the order dated years ahead is pushed like any other"
    );
    let noted = world.order("Q-AHEAD-1").timeline.into_iter().any(|e| {
        e.kind.as_str() == "note" && e.message.contains(&ahead.format("%Y-%m-%d").to_string())
    });
    assert!(
        noted,
        "the order's timeline tells the operator Quipt dates it ahead of this computer's clock"
    );

    clock.advance(INTERVAL);
    world.add_order("Q-AFTER-1", json!({}));
    let next = support::run(&connector, Trigger::Schedule).await;
    assert_eq!(
        (next.created, world.shipstation_orders("Q-AFTER-1").len()),
        (1, 1),
        "an order added after the one dated years ahead still reaches ShipStation on the next run"
    );
    assert_eq!(
        world.shipstation_orders("Q-AHEAD-1").len(),
        1,
        "the order dated years ahead is in ShipStation once"
    );
}

#[tokio::test]
async fn a_label_shipstation_dates_years_ahead_does_not_hide_the_tracking_of_later_labels() {
    let world = World::new(0).await;
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    world.add_order("Q-AHEAD-TRK", json!({}));
    let later = world.add_order("Q-LATER-TRK", json!({}));
    support::run(&connector, Trigger::Schedule).await;

    clock.advance(INTERVAL);
    world
        .sandbox
        .shipstation
        .create_label(
            world.shipstation_order("Q-AHEAD-TRK").order_id,
            LabelRequest {
                tracking_number: "1ZAHEAD".into(),
                create_date: Some(years_after(clock.now())),
                ..LabelRequest::default()
            },
        )
        .expect("ShipStation prints the label");
    let dated_ahead = support::run(&connector, Trigger::Schedule).await;
    assert_eq!(
        dated_ahead.tracking_reported, 1,
        "the label dated years ahead reaches Quipt like any other"
    );

    clock.advance(INTERVAL);
    world.print_label("Q-LATER-TRK", "1ZLATER");
    clock.advance(INTERVAL);
    let next = support::run(&connector, Trigger::Schedule).await;
    let reported: Vec<_> = world
        .sandbox
        .quipt
        .order(&later)
        .expect("the order is in Quipt")
        .shipments
        .into_iter()
        .filter_map(|s| s.tracking_number)
        .collect();
    assert_eq!(
        (next.tracking_reported, reported),
        (1, vec!["1ZLATER".to_string()]),
        "a label printed after the one dated years ahead still brings its tracking to Quipt"
    );
}

#[tokio::test]
async fn cursors_an_older_version_left_years_ahead_come_back_and_orders_and_tracking_flow_again() {
    let world = World::new(0).await;
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    let before = world.add_order("Q-BEFORE-UPGRADE", json!({}));
    support::run(&connector, Trigger::Schedule).await;

    // What an older version stored after reading one record dated years ahead in each pass.
    let ahead = years_after(clock.now()).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let history = rusqlite::Connection::open(world.paths().database()).unwrap();
    let parked = history
        .execute(
            "UPDATE cursors SET value = ?1
             WHERE pass IN ('orders_out', 'tracking_back', 'tracking_back_voids', 'cancellations')",
            [&ahead],
        )
        .unwrap();
    assert!(parked >= 2, "the passes' cursors are stored ({parked})");

    clock.advance(INTERVAL);
    world.add_order("Q-AFTER-UPGRADE", json!({}));
    world.print_label("Q-BEFORE-UPGRADE", "1ZAFTERUPGRADE");
    let repaired = support::run(&connector, Trigger::Schedule).await;
    assert_eq!(
        world.shipstation_orders("Q-AFTER-UPGRADE").len(),
        1,
        "a new order reaches ShipStation although the stored cursor stood years ahead"
    );
    let tracking = world.sandbox.quipt.order(&before).unwrap().shipments;
    assert_eq!(
        (repaired.tracking_reported, tracking.len()),
        (1, 1),
        "a new label's tracking reaches Quipt although the stored cursor stood years ahead"
    );
    let stored: Vec<String> = history
        .prepare("SELECT value FROM cursors WHERE value >= ?1")
        .unwrap()
        .query_map([&ahead], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(
        stored.is_empty(),
        "no cursor is left years ahead once a run has read it: {stored:?}"
    );
}
