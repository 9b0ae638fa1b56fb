//! The idle run: what a scheduled run costs when nothing changed. The demo account is synced twice
//! (the second run reads back the first run's acknowledgements, which Quipt records as changes),
//! then a run at the schedule's interval (15 minutes later on the simulated clock) is counted at
//! the simulators: every request, and every request that is not a GET (a write to either API).

use std::time::Duration;

use crate::{account, figure};

pub async fn run() -> anyhow::Result<()> {
    let (sandbox, _dir, clock, connector) = account::idle_demo(Duration::from_secs(2)).await?;
    // At the schedule's interval, not back to back: each pass re-reads a few minutes before its
    // cursor, which a run straight after the others would count.
    clock.advance(chrono::Duration::minutes(15));
    sandbox.shipstation.reset_stats();
    sandbox.quipt.reset_stats();
    let summary = account::sync(&connector).await?;
    anyhow::ensure!(
        summary.outcome != connector::RunOutcome::Failed,
        "the idle run failed: {:?}",
        summary.error
    );

    let calls = account::Calls::counted(&sandbox);
    figure::detail(format!(
        "demo account ({} orders), a run 15 min after the last: {}",
        sandbox::demo_data::DEFAULT_ORDER_COUNT,
        calls.listed()
    ));
    let (total, writes) = (calls.total(), calls.writes);
    figure::print("idle_run_api_calls", total, "calls", "<= 5", total <= 5);
    figure::print("idle_run_writes", writes, "writes", "0", writes == 0);
    Ok(())
}
