//! History queries on a large history: a database of `events` timeline entries (a year of a busy
//! account: about 8 entries per order, a run every 15 minutes, tracking for shipped orders) is
//! generated through the engine's own schema, then the dashboard (`Connector::status`) and the
//! history's searches (`Connector::order` by order number, tracking number, ShipStation order id
//! and Quipt id, and the held list) are timed through the `Connector`, as the app calls them.

use std::time::{Duration, Instant};

use chrono::{Duration as Span, Utc};
use connector::store::orders::{OrderFilter, OrderState};
use rusqlite::params;

use crate::{account, figure};

/// Timeline entries per order.
const EVENTS_PER_ORDER: usize = 8;
/// How often each query is timed; the median counts.
const REPEAT: usize = 7;

pub fn run(events: usize) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let paths = connector::Paths {
        config_file: dir.path().join("settings.toml"),
        data_dir: dir.path().join("data"),
    };
    let started = Instant::now();
    let orders = generate(&paths.database(), events)?;
    let generated_in = started.elapsed();

    // Nothing is contacted: the queries read the history only.
    let connector = connector::Connector::open(
        paths,
        account::settings("http://127.0.0.1:9", "http://127.0.0.1:9"),
        &account::credentials(),
    )?;
    // An order a third of the way through the year that shipped (n % 100 < 70).
    let probe = (orders / 3) / 100 * 100 + 7;
    let number = order_number(probe);
    let tracking = tracking_number(probe);
    let ss_id = (5_000_000 + probe).to_string();
    let quipt_id = quipt_id(probe);

    let mut timings: Vec<(&str, Duration)> = Vec::new();
    timings.push((
        "dashboard status()",
        median(|| {
            let status = connector.status()?;
            anyhow::ensure!(!status.counts.is_empty(), "the dashboard counts orders");
            Ok(())
        })?,
    ));
    for (what, search) in [
        ("search by order number", number.as_str()),
        ("search by tracking number", tracking.as_str()),
        ("search by ShipStation order id", ss_id.as_str()),
        ("search by Quipt id", quipt_id.as_str()),
    ] {
        timings.push((
            what,
            median(|| {
                let found = connector.order(search)?;
                anyhow::ensure!(
                    found.is_some_and(|d| !d.timeline.is_empty()),
                    "{what} finds the order and its timeline"
                );
                Ok(())
            })?,
        ));
    }
    timings.push((
        "held orders list",
        median(|| {
            connector.orders(&OrderFilter {
                state: Some(OrderState::Held),
                limit: Some(100),
                ..Default::default()
            })?;
            Ok(())
        })?,
    ));

    // The dashboard's parts, to show which one limits it.
    let db = connector::store::open(&dir.path().join("data").join("history.sqlite3"))?;
    let now = Utc::now();
    let midnight = now
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .expect("midnight")
        .and_utc();
    let parts = [
        (
            "count_by_state",
            median(|| timed(connector::store::orders::count_by_state(&db)?))?,
        ),
        (
            "attention list",
            median(|| {
                timed(connector::store::orders::list(
                    &db,
                    &OrderFilter {
                        attention: true,
                        limit: Some(100),
                        ..Default::default()
                    },
                )?)
            })?,
        ),
        (
            "runs recent(10)",
            median(|| timed(connector::store::runs::recent(&db, 10)?))?,
        ),
        (
            "last_completed",
            median(|| timed(connector::store::runs::last_completed(&db)?))?,
        ),
        (
            "pushed today",
            median(|| {
                connector::store::timeline::count_since(
                    &db,
                    connector::TimelineKind::Pushed,
                    midnight,
                )
                .map(|_| ())
                .map_err(Into::into)
            })?,
        ),
        (
            "per-day chart",
            median(|| {
                let days = connector::local_day::last_days(
                    now,
                    connector::history::CHART_DAYS,
                    &chrono::Local,
                );
                timed(connector::store::timeline::pushed_per_day(&db, &days)?)
            })?,
        ),
    ];
    figure::detail(format!(
        "dashboard parts: {}",
        parts
            .iter()
            .map(|(what, d)| format!("{what} {:.2} ms", d.as_secs_f64() * 1000.0))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    figure::detail(format!(
        "{events} events over {orders} orders generated in {:.1} s; median of {REPEAT}: {}",
        generated_in.as_secs_f64(),
        timings
            .iter()
            .map(|(what, d)| format!("{what} {:.2} ms", d.as_secs_f64() * 1000.0))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    let worst = timings.iter().map(|(_, d)| *d).max().unwrap_or_default();
    let worst_ms = worst.as_secs_f64() * 1000.0;
    let name = if events == 1_000_000 {
        "history_query_ms_1m_events".to_string()
    } else {
        format!("history_query_ms_{events}_events")
    };
    figure::print(
        &name,
        format!("{worst_ms:.2}"),
        "ms (slowest query)",
        "< 20",
        worst_ms < 20.0,
    );
    Ok(())
}

/// A query's result is not needed, only that it succeeded.
fn timed<T>(result: T) -> anyhow::Result<()> {
    drop(result);
    Ok(())
}

fn median(mut query: impl FnMut() -> anyhow::Result<()>) -> anyhow::Result<Duration> {
    let mut times = Vec::with_capacity(REPEAT);
    for _ in 0..REPEAT {
        let started = Instant::now();
        query()?;
        times.push(started.elapsed());
    }
    times.sort();
    Ok(times[REPEAT / 2])
}

fn quipt_id(n: usize) -> String {
    format!(
        "{:08x}-0000-4000-8000-{:012x}",
        n * 2_654_435_761 % 0xffff_ffff,
        n
    )
}

fn order_number(n: usize) -> String {
    format!("Q{}", 1_000_000 + n)
}

fn tracking_number(n: usize) -> String {
    format!("1Z999AA1{n:010}")
}

/// Writes `events` timeline entries (and their orders, runs and tracking) through the engine's
/// schema; returns how many orders.
fn generate(database: &std::path::Path, events: usize) -> anyhow::Result<usize> {
    let mut conn = connector::store::open(database)?;
    let orders = (events / EVENTS_PER_ORDER).max(10);
    let now = Utc::now();
    let year = Span::days(365);
    let ts = connector::store::ts;
    let tx = conn.transaction()?;
    {
        let runs = (events / 30).max(1);
        let mut insert_run = tx.prepare(
            "INSERT INTO runs(started_at, finished_at, trigger, dry_run, outcome, summary_json)
             VALUES (?1, ?1, 'schedule', 0, 'ok', ?2)",
        )?;
        for r in 0..runs {
            let at = now - year + year * (r as i32) / (runs as i32);
            insert_run.execute(params![ts(at), r#"{"created":12,"alerts":[]}"#])?;
        }
        let mut insert_order = tx.prepare(
            "INSERT INTO orders(quipt_id, order_number, channel, warehouse_code, state, reason_code,
                 reason, quipt_status, content_hash, ss_order_id, ss_status, acknowledged,
                 created_at, updated_at)
             VALUES (?1, ?2, ?3, '98765', ?4, ?5, ?6, 4, 'hash', ?7, ?8, 1, ?9, ?10)",
        )?;
        let mut insert_event = tx.prepare(
            "INSERT INTO events(quipt_id, run_id, at, kind, message) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        let mut insert_tracking = tx.prepare(
            "INSERT INTO tracking(external_id, kind, quipt_id, ss_order_id, tracking_number,
                 carrier_code, ship_date, state, reported_at, updated_at)
             VALUES (?1, 'shipment', ?2, ?3, ?4, 'ups', ?5, 'reported', ?5, ?5)",
        )?;
        let kinds = [
            "pushed",
            "note",
            "acknowledged",
            "tracking_reported",
            "note",
            "updated",
            "acknowledged",
            "note",
        ];
        for n in 0..orders {
            let id = quipt_id(n);
            let at = now - year + year * (n as i32) / (orders as i32);
            let (state, reason) = match n % 100 {
                0..70 => ("shipped", None),
                70..85 => ("pushed", None),
                85..90 => (
                    "held",
                    Some((
                        "warehouse_unmatched",
                        "warehouse 99999 matches no ShipStation warehouse",
                    )),
                ),
                90..93 => (
                    "failed",
                    Some(("rejected", "ShipStation refused the order")),
                ),
                93..98 => ("cancelled", None),
                _ => (
                    "conflict",
                    Some((
                        "cancel_after_ship",
                        "cancelled in Quipt but already shipped",
                    )),
                ),
            };
            let ss_order_id = 5_000_000 + n as i64;
            insert_order.execute(params![
                id,
                order_number(n),
                ["Amazon", "eBay", "Shopify"][n % 3],
                state,
                reason.map(|r| r.0),
                reason.map(|r| r.1),
                ss_order_id,
                if state == "shipped" {
                    "shipped"
                } else {
                    "awaiting_shipment"
                },
                ts(at),
                ts(at + Span::hours(6)),
            ])?;
            let run_id = 1 + (n * (events / 30).max(1)) / orders;
            for (k, kind) in kinds.iter().enumerate() {
                insert_event.execute(params![
                    id,
                    run_id as i64,
                    ts(at + Span::minutes(k as i64 * 45)),
                    kind,
                    format!("{kind} for ShipStation order {ss_order_id}"),
                ])?;
            }
            if state == "shipped" {
                insert_tracking.execute(params![
                    format!("ss-shipment-{n}"),
                    id,
                    ss_order_id,
                    tracking_number(n),
                    ts(at + Span::hours(3)),
                ])?;
            }
        }
    }
    tx.commit()?;
    conn.execute_batch("ANALYZE")?;
    Ok(orders)
}
