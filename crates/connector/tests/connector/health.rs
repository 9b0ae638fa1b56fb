//! Health tells the truth over time (the rules are table-tested in `connector::health`): the first
//! sync is "in progress" until it ends, never red before anything failed; time without a
//! successful run turns it amber, then red; a failed run is red at once; the change is published.

use std::sync::Arc;
use std::time::Duration;

use connector::clock::Clock;
use connector::schedule::Schedule;
use connector::{Health, RunOptions, SyncEvent, Trigger};
use serde_json::json;

use crate::support::World;

const RUN: RunOptions = RunOptions {
    dry_run: false,
    trigger: Trigger::Schedule,
    refresh_reference: false,
};

#[tokio::test]
async fn the_first_sync_is_in_progress_until_it_ends_and_time_without_success_turns_it_amber_then_red()
 {
    let world = World::new(0).await;
    world.add_order("Q-HEALTH", json!({}));
    let clock = world.clock();
    let connector = Arc::new(world.connector_on(&clock));
    assert_eq!(
        connector.health().unwrap(),
        Health::FirstSync,
        "before any run nothing has failed"
    );

    // What the history holds while the first run is going: a run started, none ended.
    let db = connector::store::open(&world.paths().database()).unwrap();
    connector::store::runs::start(&db, Trigger::Schedule, false, clock.now()).unwrap();
    drop(db);
    let during = connector.status().unwrap();
    assert_eq!(
        (during.health, during.health_reason.as_str()),
        (Health::FirstSync, "first sync in progress"),
        "the dashboard shows the first sync in progress while it runs, not red"
    );
    connector.sync(RUN).await.unwrap();
    assert_eq!(connector.health().unwrap(), Health::Ok, "then its result");
    connector.publish_health().unwrap();

    clock.advance(chrono::Duration::minutes(44));
    assert_eq!(
        connector.publish_health().unwrap(),
        Health::Ok,
        "under three intervals without a run is fine"
    );
    let mut events = connector.subscribe();
    clock.advance(chrono::Duration::minutes(1));
    assert_eq!(
        connector.publish_health().unwrap(),
        Health::Warning,
        "three intervals (45 min) without a successful run turn it amber"
    );
    assert!(
        matches!(
            events.try_recv(),
            Ok(SyncEvent::HealthChanged {
                from: Health::Ok,
                to: Health::Warning
            })
        ),
        "the change is published for the tray and notifications, though no run ended"
    );
    clock.advance(chrono::Duration::minutes(135));
    let status = connector.status().unwrap();
    assert_eq!(
        (status.health, status.health_reason.as_str()),
        (Health::Failing, "no successful sync for 3 h"),
        "twelve intervals turn it red, and say why"
    );

    connector.sync(RUN).await.unwrap();
    assert_eq!(
        connector.health().unwrap(),
        Health::Ok,
        "a success heals it"
    );

    world
        .sandbox
        .quipt
        .revoke_access_token(sandbox::demo_data::QUIPT_ACCESS_TOKEN);
    let failed = connector.sync(RUN).await.unwrap();
    assert_eq!(failed.outcome, connector::RunOutcome::Failed);
    assert!(
        failed
            .error
            .as_deref()
            .is_some_and(|e| e.contains("Quipt refused the credentials")),
        "hours on, a revoked token is still told as one, not as this computer's clock: {:?}",
        failed.error
    );
    assert_eq!(
        connector.health().unwrap(),
        Health::Failing,
        "a failed run is red at once"
    );
}

#[tokio::test]
async fn health_goes_by_the_interval_of_the_schedule_running_not_the_settings_file_s() {
    let world = World::new(0).await;
    world.add_order("Q-HOURLY", json!({}));
    let clock = world.clock();
    let connector = Arc::new(world.connector_on(&clock));
    let mut events = connector.subscribe();
    // As `daemon --interval-minutes 60` with the settings file's 15 minutes.
    let hourly = Schedule::spawn(connector.clone(), Duration::from_secs(3600), false);
    let first = crate::cadence::next_run(&mut events).await;
    assert_eq!(first.created, 1, "{:?}", first.error);

    // 50 minutes on, the hourly run is not due yet: more than 3 of the file's intervals, less
    // than one of the schedule's.
    clock.advance(chrono::Duration::minutes(50));
    let status = connector.status().unwrap();
    assert_eq!(
        (status.health, connector.glance().unwrap().health.health),
        (Health::Ok, Health::Ok),
        "the dashboard and the tray do not worry before a run was due: {}",
        status.health_reason
    );

    // Once no schedule runs in this process, the settings file's interval is the one to go by.
    hourly.stop().await;
    assert_eq!(
        connector.health().unwrap(),
        Health::Warning,
        "50 minutes without a sync on a 15-minute schedule"
    );
}
