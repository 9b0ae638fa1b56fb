//! The idle run: what a scheduled run costs when nothing changed. The demo account is synced twice
//! (the second run reads back the first run's acknowledgements, which Quipt records as changes),
//! then the third run is counted at the simulators: every request, and every request that is not a
//! GET (a write to either API).

use std::time::Duration;

use crate::{account, figure};

pub async fn run() -> anyhow::Result<()> {
    let sandbox = account::sandbox(
        sandbox::demo_data::DEFAULT_ORDER_COUNT,
        Duration::from_secs(2),
    )
    .await?;
    let dir = tempfile::tempdir()?;
    let connector = account::connector(&sandbox, dir.path())?;
    account::sync(&connector).await?;
    account::sync(&connector).await?;
    sandbox.shipstation.reset_stats();
    sandbox.quipt.reset_stats();
    let summary = account::sync(&connector).await?;
    anyhow::ensure!(
        summary.outcome != connector::RunOutcome::Failed,
        "the idle run failed: {:?}",
        summary.error
    );

    let ss = sandbox.shipstation.stats();
    let quipt = sandbox.quipt.stats();
    let calls = ss.total + quipt.total;
    let endpoints: Vec<String> = ss
        .per_endpoint
        .iter()
        .chain(quipt.by_endpoint.iter())
        .map(|(k, n)| format!("{k} ×{n}"))
        .collect();
    let writes: u64 = ss
        .per_endpoint
        .iter()
        .chain(quipt.by_endpoint.iter())
        .filter(|(k, _)| !k.starts_with("GET"))
        .map(|(_, n)| n)
        .sum();
    figure::detail(format!(
        "demo account ({} orders), third run: {}",
        sandbox::demo_data::DEFAULT_ORDER_COUNT,
        endpoints.join(", ")
    ));
    figure::print("idle_run_api_calls", calls, "calls", "<= 5", calls <= 5);
    figure::print("idle_run_writes", writes, "writes", "0", writes == 0);
    Ok(())
}
