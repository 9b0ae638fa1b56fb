//! Push efficiency and the 429 count: a first run over a bulk load, against ShipStation's rate
//! window shortened so that the run takes seconds, not minutes.
//!
//! `push_ceiling_ratio` is the steady-state push rate divided by the ceiling (limit × 100 orders per
//! window). The steady state is measured between the completion of push batch 1 and of batch
//! 1 + 40·k (k whole windows of requests later), so the first window's free burst does not flatter
//! the figure and the last, partial window does not penalise it. What the window then contains is
//! everything the connector really does between two pushes: Quipt pages, planning, SQLite commits,
//! and waiting for the window to reset.

use std::time::{Duration, Instant};

use connector::SyncEvent;
use connector::events::Pass;

use crate::{account, figure};

/// ShipStation's `createorders` route as the simulator counts it.
const CREATE_ORDERS: &str = "POST /orders/createorders";

pub async fn run(orders: usize, window: Duration) -> anyhow::Result<()> {
    let sandbox = account::sandbox(orders, window).await?;
    let dir = tempfile::tempdir()?;
    let connector = account::connector(&sandbox, dir.path())?;

    let mut events = connector.subscribe();
    let progress = tokio::spawn(async move {
        let mut batches: Vec<(Instant, u64)> = Vec::new();
        loop {
            match events.recv().await {
                Ok(SyncEvent::Progress {
                    pass: Pass::OrdersOut,
                    done,
                    ..
                }) if done > 0 => batches.push((Instant::now(), done)),
                Ok(SyncEvent::RunFinished { .. }) => break,
                Ok(_) => {}
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
            }
        }
        batches
    });
    let summary = account::sync(&connector).await?;
    let batches = progress.await?;
    anyhow::ensure!(
        summary.outcome != connector::RunOutcome::Failed,
        "the push run failed: {:?}",
        summary.error
    );

    let stats = sandbox.shipstation.stats();
    let push_requests = stats.per_endpoint.get(CREATE_ORDERS).copied().unwrap_or(0);
    let pushed = summary.created + summary.updated;
    let per_request = pushed as f64 / push_requests.max(1) as f64;
    figure::detail(format!(
        "load: {orders} Quipt orders, {pushed} pushed, {} held; window {} s; run {:.1} s, {} ShipStation calls ({push_requests} createorders), {} Quipt calls",
        summary.held,
        window.as_secs(),
        summary.duration_ms as f64 / 1000.0,
        summary.shipstation_calls,
        summary.quipt_calls
    ));
    // The ideal is 100 per call; on a finite load the best possible is every call full but the last.
    let fewest = pushed.div_ceil(100);
    figure::detail(format!(
        "{push_requests} createorders calls for {pushed} orders; the fewest possible is {fewest}"
    ));
    figure::print(
        "push_orders_per_request",
        format!("{per_request:.1}"),
        "orders/request",
        "ideal 100",
        push_requests <= fewest,
    );

    let limit = u64::from(summary.rate_limit.unwrap_or(40));
    let ceiling = (limit * 100) as f64 / window.as_secs_f64();
    let windows = (batches.len().saturating_sub(1) as u64) / limit;
    if windows >= 1 {
        let last = (windows * limit) as usize;
        let (t0, done0) = batches[0];
        let (t1, done1) = batches[last];
        let rate = (done1 - done0) as f64 / (t1 - t0).as_secs_f64();
        let ratio = rate / ceiling;
        figure::detail(format!(
            "steady state over {windows} window(s): {} orders in {:.2} s = {rate:.0} orders/s; ceiling {limit} requests × 100 / {} s = {ceiling:.0} orders/s",
            done1 - done0,
            (t1 - t0).as_secs_f64(),
            window.as_secs()
        ));
        figure::print(
            "push_ceiling_ratio",
            format!("{ratio:.2}"),
            "of ceiling",
            ">= 0.9",
            ratio >= 0.9,
        );
    } else {
        figure::detail(format!(
            "only {} push batches: no whole window to measure a steady state (use a larger --push-orders)",
            batches.len()
        ));
        figure::print("push_ceiling_ratio", "n/a", "of ceiling", ">= 0.9", false);
    }

    figure::detail(format!(
        "429s: {} answered by the simulator, {} seen by the client, {} ms paced",
        stats.rate_limited, summary.rate_limited, summary.paced_wait_ms
    ));
    figure::print(
        "rate_limit_429s",
        stats.rate_limited,
        "responses",
        "0",
        stats.rate_limited == 0,
    );
    Ok(())
}
