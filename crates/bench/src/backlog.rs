//! Tracking latency during an acknowledgement backlog (SPEC §6, issue 13): a first sync of 5,000
//! ready orders at Quipt's default limit (the simulator's 120 calls a minute per token, one
//! acknowledgement call per order: some 42 minutes of acknowledgements) and ShipStation's real
//! 60-second window; a label is printed in ShipStation one minute into the run. The figure is how
//! long, in simulated time, until its tracking is in Quipt, against the default schedule interval
//! (15 minutes).
//!
//! Runs on one clock for every world (`connector::clock`): the simulators' clocks are frozen and
//! follow the engine's manual clock, which only the clients' waits (ShipStation's pacing, Quipt's
//! 429s) and the schedule move. So 42 simulated minutes take seconds, and the figure is exact
//! whatever the machine's load.

use std::time::Duration;

use chrono::{DateTime, Utc};
use connector::clock::Clock;
use sandbox::quipt::NewOrders;
use sandbox::{Sandbox, SandboxConfig};

use crate::{account, figure};

/// The default schedule interval, and the figure's target.
const INTERVAL: chrono::Duration = chrono::Duration::minutes(15);

pub async fn run(orders: usize) -> anyhow::Result<()> {
    let sandbox = Sandbox::start(SandboxConfig {
        orders: 0,
        rate_window: Duration::from_secs(60),
        ..SandboxConfig::default()
    })
    .await?;
    sandbox.quipt.new_orders(&NewOrders {
        count: orders,
        partner: Some("AMZ".into()),
        warehouse: Some("98765".into()),
        ..NewOrders::default()
    })?;
    let clock = account::simulated_clock(&sandbox);
    let dir = tempfile::tempdir()?;
    let connector = account::connector_on(&sandbox, dir.path(), &clock)?;

    // One minute into the first run, a user prints a label for the first order ShipStation has.
    let start = clock.now();
    let printer = {
        let (clock, shipstation) = (clock.clone(), sandbox.shipstation.clone());
        tokio::spawn(async move {
            clock
                .sleep_until(start + chrono::Duration::minutes(1))
                .await;
            let order = shipstation
                .all_orders()
                .into_iter()
                .filter(|o| o.active)
                .min_by_key(|o| o.order_id)?;
            let at = shipstation.clock().now();
            shipstation
                .create_label(
                    order.order_id,
                    sandbox::shipstation::LabelRequest {
                        tracking_number: "1ZBACKLOG0001".into(),
                        ..Default::default()
                    },
                )
                .ok()?;
            Some(at)
        })
    };

    // Scheduled runs, as `connector::schedule::Schedule` starts them: an interval after the run
    // before started, or at once when that run took longer.
    let mut runs = Vec::new();
    let mut due = start;
    let mut reported: Option<DateTime<Utc>> = None;
    while runs.len() < 20 {
        if clock.now() < due {
            clock.advance(due - clock.now());
        }
        let began = clock.now();
        let summary = account::sync(&connector).await?;
        anyhow::ensure!(summary.error.is_none(), "run failed: {:?}", summary.error);
        runs.push((began, clock.now(), summary));
        reported = reported.or(connector.order("1ZBACKLOG0001")?.and_then(|d| {
            d.timeline
                .iter()
                .find(|e| e.kind == connector::TimelineKind::TrackingReported)
                .and_then(|e| e.at.parse::<DateTime<Utc>>().ok())
        }));
        due = began + INTERVAL;
        if reported.is_some() && runs.last().is_some_and(|r| r.2.acknowledgements_left == 0) {
            break;
        }
    }
    let printed = printer
        .await?
        .ok_or_else(|| anyhow::anyhow!("no ShipStation order to print a label for"))?;
    let reported =
        reported.ok_or_else(|| anyhow::anyhow!("the label's tracking never reached Quipt"))?;
    let latency = (reported - printed).num_seconds();
    let first = &runs[0];
    figure::detail(format!(
        "{orders} ready orders, Quipt at 120 calls/min, ShipStation at 40 requests/60 s, schedule every {} min; label printed {} s into the first run",
        INTERVAL.num_minutes(),
        (printed - start).num_seconds()
    ));
    figure::detail(format!(
        "first run: {} pushed, {} acknowledged in {} simulated s, {} left; backlog worked off in {} runs ({} simulated min); acknowledgements per run: {:?}",
        first.2.created,
        first.2.acknowledged,
        (first.1 - first.0).num_seconds(),
        first.2.acknowledgements_left,
        runs.len(),
        (runs.last().map_or(start, |r| r.1) - start).num_minutes(),
        runs.iter().map(|r| r.2.acknowledged).collect::<Vec<_>>()
    ));
    figure::print(
        "tracking_latency_s_during_backlog",
        latency,
        "s",
        &format!("<= {} (one schedule interval)", INTERVAL.num_seconds()),
        latency <= INTERVAL.num_seconds(),
    );
    Ok(())
}
