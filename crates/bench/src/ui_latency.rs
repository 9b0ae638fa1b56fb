//! The dashboard while a large sync runs (SPEC §6: p95 < 100 ms). A first sync of the demo account
//! (about 5,000 pushable orders at the full size) runs as the app's schedule runs it, and meanwhile
//! the dashboard's command is timed every 50 ms, through the path the app's `dashboard` command
//! takes: `Connector::read` (a blocking thread) and `Connector::status` on the history's read-only
//! connection, while the run writes on its own.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::{account, figure};

/// How often the dashboard asks (the UI reloads on every progress event; this is more often).
const EVERY: Duration = Duration::from_millis(50);

pub async fn run(orders: usize, window: Duration) -> anyhow::Result<()> {
    let sandbox = account::sandbox(orders, window).await?;
    let dir = tempfile::tempdir()?;
    let connector = Arc::new(account::connector(&sandbox, dir.path())?);
    let started = Instant::now();
    let sync = tokio::spawn({
        let connector = connector.clone();
        async move { account::sync(&connector).await }
    });
    let mut latencies = Vec::new();
    let mut ticker = tokio::time::interval(EVERY);
    while !sync.is_finished() {
        ticker.tick().await;
        let asked = Instant::now();
        connector.clone().read(|c| c.status()).await?;
        latencies.push(asked.elapsed().as_secs_f64() * 1000.0);
    }
    let summary = sync.await??;
    anyhow::ensure!(
        summary.outcome != connector::RunOutcome::Failed,
        "the sync failed: {:?}",
        summary.error
    );
    anyhow::ensure!(
        !latencies.is_empty(),
        "the sync ended before the first question"
    );
    latencies.sort_by(f64::total_cmp);
    let at = |q: f64| {
        latencies[((latencies.len() as f64 * q).ceil() as usize).clamp(1, latencies.len()) - 1]
    };
    let p95 = at(0.95);
    figure::detail(format!(
        "{} dashboard commands, one every {} ms, while a first sync pushed {} orders ({} held) in {:.1} s (ShipStation window {} s): median {:.1} ms, p95 {p95:.1} ms, max {:.1} ms",
        latencies.len(),
        EVERY.as_millis(),
        summary.created,
        summary.held,
        started.elapsed().as_secs_f64(),
        window.as_secs(),
        at(0.5),
        at(1.0)
    ));
    figure::print(
        "ui_command_p95_ms_during_sync",
        format!("{p95:.1}"),
        "ms",
        "< 100",
        p95 < 100.0,
    );
    Ok(())
}
