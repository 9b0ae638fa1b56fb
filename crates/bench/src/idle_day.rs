//! One idle day at the default schedule: what a connector that nobody feeds costs the accounts'
//! API budgets. The demo account is synced until nothing is left to do, then the schedule runs
//! every 15 minutes for a day on the engine's clock (moved forward, not waited for: 96 runs in
//! seconds), with its hourly reference refreshes and the daily checks; every call is counted at
//! the simulators.

use std::sync::Arc;
use std::time::Duration;

use connector::SyncEvent;
use connector::clock::Clock;
use connector::schedule::{Schedule, SyncCommand};

use crate::{account, figure};

/// The default schedule's interval.
const INTERVAL: chrono::Duration = chrono::Duration::minutes(15);

/// ShipStation allows a key 40 requests a minute: 57,600 a day. An idle connector should take
/// a small part of it.
const TARGET: u64 = 1_000;

pub async fn run() -> anyhow::Result<()> {
    // The schedule's own first run (at once) starts the day.
    let (sandbox, _dir, clock, connector) = account::idle_demo(Duration::from_secs(2)).await?;
    let connector = Arc::new(connector);
    let mut events = connector.subscribe();
    let schedule = Schedule::spawn(connector.clone(), INTERVAL.to_std()?, false);
    next_run(&mut events).await?;
    sandbox.shipstation.reset_stats();
    sandbox.quipt.reset_stats();

    let runs = (chrono::Duration::days(1).num_minutes() / INTERVAL.num_minutes()) as u32;
    let mut failed = 0;
    for _ in 0..runs {
        let due = schedule
            .planned_after(clock.now())
            .await
            .ok_or_else(|| anyhow::anyhow!("the schedule stopped"))?;
        clock.advance(due - clock.now());
        let ended = next_run(&mut events).await?;
        failed += u32::from(ended.outcome == connector::RunOutcome::Failed);
    }
    schedule.send(SyncCommand::Stop).await;
    let calls = account::Calls::counted(&sandbox);
    figure::detail(format!(
        "{runs} scheduled runs every 15 min over 24 h on the engine's clock ({failed} failed): {} ShipStation + {} Quipt calls, {} writes; {}",
        calls.shipstation,
        calls.quipt,
        calls.writes,
        calls.listed()
    ));
    let total = calls.total();
    figure::print(
        "calls_per_idle_day",
        total,
        "calls",
        &format!("<= {TARGET}"),
        total <= TARGET && failed == 0,
    );
    Ok(())
}

/// The next run's summary.
async fn next_run(
    events: &mut tokio::sync::broadcast::Receiver<SyncEvent>,
) -> anyhow::Result<connector::RunSummary> {
    loop {
        match tokio::time::timeout(Duration::from_secs(60), events.recv()).await? {
            Ok(SyncEvent::RunFinished { summary }) => return Ok(*summary),
            Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
            Err(e) => anyhow::bail!("the engine's events ended: {e}"),
        }
    }
}
