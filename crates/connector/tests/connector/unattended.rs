//! Months without anyone looking (issue 14): a run that panics is recorded as failed and the
//! schedule goes on; a schedule handed over to another process (the app's handover) ends with its
//! state, after the operator's commands, and the one continuing it keeps its cadence; after the
//! computer slept through a due run it runs at once on waking; a wait for another process's run
//! gives up naming that process; old timeline events are pruned; the dashboard answers at once
//! while another connection holds the history's write lock.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use connector::clock::Clock;
use connector::run_lock::{RunLock, Wait};
use connector::schedule::{Schedule, SyncCommand};
use connector::{ErrorCode, Health, RunOptions, RunOutcome, Trigger};
use serde_json::json;

use crate::cadence::{INTERVAL, next_run, next_scheduled_run};
use crate::support::World;

const RUN: RunOptions = RunOptions {
    dry_run: false,
    trigger: Trigger::Schedule,
    refresh_reference: false,
};

#[tokio::test]
async fn a_run_that_panics_is_recorded_as_failed_turns_the_health_red_and_the_next_run_goes_ahead()
{
    let world = World::new(0).await;
    world.add_order("Q-PANIC", json!({}));
    let clock = world.clock();
    let connector = Arc::new(world.connector_on(&clock));
    let mut events = connector.subscribe();
    let seam = world
        .paths()
        .data_dir
        .join(connector::panics::seam::PANIC_FILE);
    std::fs::create_dir_all(&world.paths().data_dir).unwrap();
    std::fs::write(&seam, "index out of bounds: a bug in a pass").unwrap();
    let schedule = Schedule::spawn(connector.clone(), INTERVAL.to_std().unwrap(), false);

    let panicked = next_run(&mut events).await;
    assert_eq!(
        panicked.outcome,
        RunOutcome::Failed,
        "the run that panicked is a failed run in the history"
    );
    let error = panicked.error.clone().unwrap_or_default();
    assert!(
        error.contains("internal error") && error.contains("a bug in a pass"),
        "the run says it stopped on a bug, with the panic's message: {error}"
    );
    let status = connector.status().unwrap();
    assert_eq!(
        (status.health, status.last_run.map(|r| r.outcome)),
        (Health::Failing, Some(RunOutcome::Failed)),
        "the dashboard and the tray turn red instead of staying green behind a dead task: {}",
        status.health_reason
    );

    std::fs::remove_file(&seam).unwrap();
    let next = next_scheduled_run(&schedule, &clock, &mut events).await;
    assert_eq!(
        (next.outcome, next.created),
        (RunOutcome::Ok, 1),
        "the schedule went on: the next run pushes the order ({:?})",
        next.error
    );
    assert_eq!(
        connector.health().unwrap(),
        Health::Ok,
        "and the health is green again"
    );
    schedule.send(SyncCommand::Stop).await;
}

#[tokio::test]
async fn sync_now_during_a_panic_gets_the_failure_and_the_schedule_still_answers() {
    let world = World::new(0).await;
    let connector = Arc::new(world.connector());
    let seam = world
        .paths()
        .data_dir
        .join(connector::panics::seam::PANIC_FILE);
    std::fs::create_dir_all(&world.paths().data_dir).unwrap();
    std::fs::write(&seam, "a bug").unwrap();
    let schedule = Schedule::spawn(connector.clone(), INTERVAL.to_std().unwrap(), true);

    let failed = schedule
        .sync_now()
        .await
        .expect("the schedule answers Sync now")
        .expect("the failed run is recorded");
    assert_eq!(
        failed.outcome,
        RunOutcome::Failed,
        "Sync now reports the failure"
    );

    std::fs::remove_file(&seam).unwrap();
    let ok = schedule
        .sync_now()
        .await
        .expect("the schedule still answers after a panic")
        .expect("the run is recorded");
    assert_eq!(ok.outcome, RunOutcome::Ok, "{:?}", ok.error);
    schedule.send(SyncCommand::Stop).await;
}

#[tokio::test]
async fn a_schedule_continued_by_another_process_keeps_its_cadence_instead_of_running_at_start() {
    let world = World::new(0).await;
    world.add_order("Q-CONTINUED", json!({}));
    let clock = world.clock();
    let connector = Arc::new(world.connector_on(&clock));
    let mut events = connector.subscribe();
    // The app hands over to a lighter process of itself ten minutes before the next run was due.
    let due = connector::store::parse_ts(&connector::store::ts(
        clock.now() + chrono::Duration::minutes(10),
    ))
    .unwrap();
    let schedule = Schedule::spawn_from(
        connector.clone(),
        INTERVAL.to_std().unwrap(),
        false,
        Some(due),
    );
    let planned = schedule
        .planned_after(clock.now())
        .await
        .expect("the first run is planned");
    assert_eq!(
        planned, due,
        "the first run is the one the previous process planned, not one at start"
    );

    clock.advance(due - clock.now());
    let first = next_run(&mut events).await;
    assert_eq!(
        first.created, 1,
        "at that time it runs and pushes the order"
    );
    let runs = connector.runs(10).unwrap();
    assert_eq!(runs.len(), 1, "no run at start: {runs:?}");
    assert_eq!(
        connector::store::parse_ts(&runs[0].started_at).unwrap(),
        due,
        "the run started when it was due"
    );
    schedule.send(SyncCommand::Stop).await;
}

#[tokio::test]
async fn a_handover_ends_the_schedule_with_its_state_but_lets_the_operator_s_commands_go_first() {
    let world = World::new(0).await;
    let clock = world.clock();
    let connector = Arc::new(world.connector_on(&clock));
    let due = connector::store::parse_ts(&connector::store::ts(
        clock.now() + chrono::Duration::minutes(10),
    ))
    .unwrap();
    let spawn = || {
        Schedule::spawn_from(
            connector.clone(),
            INTERVAL.to_std().unwrap(),
            false,
            Some(due),
        )
    };

    let idle = spawn();
    idle.planned_after(clock.now()).await.expect("planned");
    let handed = idle.hand_over().await.expect("an idle schedule hands over");
    assert_eq!(
        (handed.paused, handed.next_run_at),
        (false, Some(due)),
        "the state handed over is the plan as it stood"
    );
    assert!(idle.sync_now().await.is_none(), "and the loop has ended");

    // The operator pauses from the tray just after the handover was asked for.
    let busy = spawn();
    busy.planned_after(clock.now()).await.expect("planned");
    let (asked, answer) = tokio::sync::oneshot::channel();
    busy.send(SyncCommand::HandOver(asked)).await;
    busy.send(SyncCommand::Pause).await;
    assert_eq!(
        answer.await.unwrap(),
        None,
        "declined while a command waits behind it"
    );
    let handed = busy
        .hand_over()
        .await
        .expect("handed over once nothing waits");
    assert!(handed.paused, "with the operator's pause, not without it");
}

#[tokio::test]
async fn after_the_computer_slept_through_a_due_run_the_schedule_runs_once_on_waking() {
    let world = World::new(0).await;
    let clock = world.clock();
    let connector = Arc::new(world.connector_on(&clock));
    let mut events = connector.subscribe();
    let schedule = Schedule::spawn(connector.clone(), INTERVAL.to_std().unwrap(), false);
    next_run(&mut events).await;
    let due = schedule
        .planned_after(clock.now())
        .await
        .expect("the next run is planned");

    // The lid closes for the night: the wall clock jumps 9 hours past the due run at once.
    world.add_order("Q-OVERNIGHT", json!({}));
    clock.advance(chrono::Duration::hours(9));
    // As the history stores it: to the millisecond.
    let woke = connector::store::parse_ts(&connector::store::ts(clock.now())).unwrap();
    let after_wake = next_run(&mut events).await;
    assert_eq!(
        after_wake.created, 1,
        "the run due during the sleep starts on waking and pushes the order added meanwhile"
    );
    let runs = connector.runs(10).unwrap();
    assert_eq!(
        runs.len(),
        2,
        "one run on waking, not one per interval slept through: {runs:?}"
    );
    let started = connector::store::parse_ts(&runs[0].started_at).unwrap();
    assert!(
        started >= woke && due < woke,
        "the run started after the wake ({started}), for the run due at {due}"
    );
    let next = schedule.planned_after(woke).await.expect("planned");
    assert!(
        next - woke <= INTERVAL + chrono::Duration::seconds(1) && next > woke,
        "and the next one is an interval after it, not in the past: {next} (woke {woke})"
    );
    schedule.send(SyncCommand::Stop).await;
}

#[tokio::test]
async fn waiting_for_another_process_run_gives_up_naming_its_pid_and_since_when() {
    let dir = tempfile::tempdir().unwrap();
    let since = connector::store::parse_ts("2026-11-29T06:15:00Z").unwrap();
    let held = RunLock::acquire(dir.path(), Wait::No, since)
        .await
        .expect("the first run takes the lock");

    // A separate open of the lock file: the OS lock is refused as it is to another process.
    let error = RunLock::acquire(
        dir.path(),
        Wait::UpTo(Duration::from_millis(600)),
        Utc::now(),
    )
    .await
    .expect_err("the lock stays held, so the wait runs out");
    let message = error.to_string();
    assert_eq!(error.code(), ErrorCode::RunInProgress);
    assert!(
        message.contains(&format!("process {}", std::process::id()))
            && message.contains("since 2026-11-29 06:15:00 UTC")
            && message.contains("gave up after waiting"),
        "the operator is told whose run is in the way and since when: {message}"
    );
    let at_once = RunLock::acquire(dir.path(), Wait::No, Utc::now())
        .await
        .expect_err("without waiting, refused at once");
    assert!(
        !at_once.to_string().contains("gave up") && at_once.to_string().contains("process"),
        "a refusal without a wait names the holder too: {at_once}"
    );

    drop(held);
    RunLock::acquire(dir.path(), Wait::UpTo(Duration::from_secs(5)), Utc::now())
        .await
        .expect("once the holder ends, the lock is free");
}

#[tokio::test]
async fn timeline_events_older_than_the_retention_are_pruned_once_a_day_and_orders_and_tracking_stay()
 {
    let world = World::new(0).await;
    world.add_order("Q-OLD", json!({}));
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    connector.sync(RUN).await.unwrap();
    world.print_label("Q-OLD", "1Z-KEPT-FOR-YEARS");
    connector.sync(RUN).await.unwrap();
    let before = world.order("Q-OLD");
    assert!(
        before.timeline.len() >= 3,
        "pushed, acknowledged, tracking reported: {:?}",
        before.timeline
    );

    // 200 days on, the operator asks for a retry: an entry that is younger when the prune comes.
    clock.advance(chrono::Duration::days(200));
    let history = connector::store::open(&world.paths().database()).unwrap();
    let later = "retry requested 200 days after the push";
    connector::store::timeline::append(
        &history,
        &before.order.quipt_id,
        None,
        connector::TimelineKind::RetryRequested,
        later,
        clock.now(),
    )
    .unwrap();

    clock.advance(chrono::Duration::days(201));
    let run = connector.sync(RUN).await.unwrap();
    assert_ne!(run.outcome, RunOutcome::Failed, "{:?}", run.error);
    let after = world.order("Q-OLD");
    assert_eq!(
        after
            .timeline
            .iter()
            .map(|e| e.message.as_str())
            .collect::<Vec<_>>(),
        [later],
        "entries older than 400 days are gone, the younger one stays"
    );
    assert_eq!(
        (after.order.state, after.order.ss_order_id),
        (before.order.state, before.order.ss_order_id),
        "the order and its state are kept"
    );
    assert_eq!(
        after
            .tracking
            .iter()
            .map(|t| t.tracking_number.as_deref())
            .collect::<Vec<_>>(),
        [Some("1Z-KEPT-FOR-YEARS")],
        "the tracking reported is kept, so it is never reported again"
    );

    // Once a day: an entry that turns 400 days old an hour later waits for tomorrow's prune.
    let pruned_at = clock.now();
    connector::store::timeline::append(
        &history,
        &before.order.quipt_id,
        None,
        connector::TimelineKind::Note,
        "just under 400 days old",
        pruned_at - chrono::Duration::days(400) + chrono::Duration::minutes(30),
    )
    .unwrap();
    clock.advance(chrono::Duration::hours(1));
    connector.sync(RUN).await.unwrap();
    assert_eq!(
        world.order("Q-OLD").timeline.len(),
        2,
        "no second prune within the day"
    );
    clock.advance(chrono::Duration::days(1));
    connector.sync(RUN).await.unwrap();
    assert_eq!(
        world.order("Q-OLD").timeline.len(),
        1,
        "the next day's prune takes it"
    );
}

#[tokio::test]
async fn old_timeline_events_are_pruned_even_while_every_run_fails() {
    let world = World::new(0).await;
    world.add_order("Q-OLD", json!({}));
    let clock = world.clock();
    let connector = world.connector_on(&clock);
    connector.sync(RUN).await.unwrap();
    assert!(
        !world.order("Q-OLD").timeline.is_empty(),
        "the push is on the timeline"
    );

    // 401 days on, ShipStation is down for the whole day: the run fails, the history's own
    // housekeeping does not need it.
    clock.advance(chrono::Duration::days(401));
    world
        .sandbox
        .shipstation
        .outage_until(clock.now() + chrono::Duration::days(1), Some(503));
    let run = connector.sync(RUN).await.unwrap();
    assert_eq!(run.outcome, RunOutcome::Failed, "ShipStation is down");
    assert!(
        world.order("Q-OLD").timeline.is_empty(),
        "entries older than 400 days are gone although the run failed: {:?}",
        world.order("Q-OLD").timeline
    );
}

#[tokio::test]
async fn the_dashboard_answers_at_once_with_the_last_committed_state_while_a_writer_holds_the_history()
 {
    let world = World::new(6).await;
    let clock = world.clock();
    let connector = Arc::new(world.connector_on(&clock));
    crate::support::run(&connector, Trigger::Cli).await;
    let committed = (connector.status().unwrap(), connector.glance().unwrap());

    // Another writer (as a long run's transaction is) holds the history's write lock: an order
    // inserted, not committed, and the transaction left open. EXCLUSIVE is IMMEDIATE under WAL;
    // without WAL it would lock readers out, and the reads below would wait.
    let writer = rusqlite::Connection::open(world.paths().database()).unwrap();
    writer.execute_batch("BEGIN EXCLUSIVE").unwrap();
    writer
        .execute(
            "INSERT INTO orders(quipt_id, order_number, state, created_at, updated_at)
             VALUES ('uncommitted', 'Q-UNCOMMITTED', 'held', '2020-01-01T00:00:00Z',
                     '2020-01-01T00:00:00Z')",
            [],
        )
        .unwrap();

    // The app's path (`Connector::read`: a blocking thread, the read-only connection). A read
    // waiting on the writer would wait out the busy timeout (30 s), far beyond the bound.
    let answered = tokio::time::timeout(
        Duration::from_secs(1),
        Arc::clone(&connector).read(|c| Ok((c.status()?, c.glance()?))),
    )
    .await
    .expect("the dashboard answers within a second while another connection writes");
    let during = answered.expect("the history reads");
    assert_eq!(
        during, committed,
        "the dashboard shows the last committed state, not the writer's uncommitted order"
    );
    writer.execute_batch("ROLLBACK").unwrap();
}
