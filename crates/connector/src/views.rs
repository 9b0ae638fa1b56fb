//! What the dashboard and the history show, read from the history database alone: the status at a
//! glance (with its [`Health`]) and one order with its timeline. Each view takes a connection, the
//! time and the schedule, so any reader of the history shows the same shapes.

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::Serialize;

use crate::error::Result;
use crate::health::{self, Health};
use crate::outcome::{RunOutcome, TimelineKind};
use crate::settings::ScheduleSettings;
use crate::store::orders::{OrderFilter, OrderRow, OrderState};
use crate::store::reconciliations::ReconciliationRow;
use crate::store::runs::RunRow;
use crate::store::timeline::Event;
use crate::store::tracking::TrackingRow;
use crate::store::{self};

/// The dashboard at a glance.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Status {
    /// Green, amber or red (or the first sync still in progress).
    pub health: Health,
    /// Why, in words.
    pub health_reason: String,
    /// The latest run.
    pub last_run: Option<RunRow>,
    /// The latest completed run.
    pub last_success: Option<RunRow>,
    /// Orders per state in the whole history.
    pub counts: Vec<(OrderState, u64)>,
    /// Orders pushed since midnight UTC.
    pub pushed_today: u64,
    /// Tracking reported since midnight UTC.
    pub shipped_today: u64,
    /// Orders needing attention, newest first (at most 100).
    pub attention: Vec<OrderRow>,
    /// Orders pushed per day over the last 30 days.
    pub per_day: Vec<(String, u64)>,
    /// The latest reconciliation, daily or on demand.
    pub last_reconciliation: Option<ReconciliationRow>,
}

/// One order with its timeline and tracking, for the history's detail view.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct OrderDetail {
    /// The order.
    pub order: OrderRow,
    /// Its timeline, oldest first.
    pub timeline: Vec<Event>,
    /// Shipments and fulfilments reported.
    pub tracking: Vec<TrackingRow>,
}

/// The health now, from the history and the schedule.
///
/// # Errors
/// When SQLite fails.
pub fn health(
    conn: &Connection,
    now: DateTime<Utc>,
    schedule: &ScheduleSettings,
) -> Result<health::Assessment> {
    let last_ended = store::runs::last_with(
        conn,
        &[RunOutcome::Ok, RunOutcome::Attention, RunOutcome::Failed],
    )?;
    let last_success = store::runs::last_completed(conn)?;
    let last_reconciliation = store::reconciliations::latest(conn)?;
    Ok(health::assess(&health::Inputs {
        now,
        interval: chrono::Duration::minutes(i64::from(schedule.interval_minutes.max(1))),
        paused: schedule.paused,
        first_started: store::runs::first_started(conn)?,
        last_ended: last_ended.as_ref().map(|r| (r.outcome, r.error.as_deref())),
        last_success: last_success
            .as_ref()
            .and_then(|r| r.finished_at.as_deref())
            .and_then(store::parse_ts),
        attention: store::orders::attention_total(conn)?,
        alerts: last_success.as_ref().map_or(0, |r| r.alerts().len()),
        reconciliation_findings: last_reconciliation.map_or(0, |r| r.findings),
    }))
}

/// The dashboard's data.
///
/// # Errors
/// When SQLite fails.
pub fn status(
    conn: &Connection,
    now: DateTime<Utc>,
    schedule: &ScheduleSettings,
) -> Result<Status> {
    let health = health(conn, now, schedule)?;
    let midnight = now
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .expect("midnight exists")
        .and_utc();
    Ok(Status {
        health: health.health,
        health_reason: health.why,
        last_run: store::runs::recent(conn, 1)?.into_iter().next(),
        last_success: store::runs::last_completed(conn)?,
        counts: store::orders::count_by_state(conn)?,
        pushed_today: store::timeline::count_since(conn, TimelineKind::Pushed, midnight)?,
        shipped_today: store::timeline::count_since(
            conn,
            TimelineKind::TrackingReported,
            midnight,
        )?,
        attention: store::orders::list(
            conn,
            &OrderFilter {
                attention: true,
                limit: Some(100),
                ..Default::default()
            },
        )?,
        per_day: store::timeline::pushed_per_day(conn, 30, now)?,
        last_reconciliation: store::reconciliations::latest(conn)?,
    })
}

/// One order (by Quipt id, order number or tracking number) with its timeline.
///
/// # Errors
/// When SQLite fails.
pub fn order(conn: &Connection, search: &str) -> Result<Option<OrderDetail>> {
    let filter = OrderFilter {
        search: Some(search.to_string()),
        limit: Some(1),
        ..Default::default()
    };
    let Some(order) = store::orders::list(conn, &filter)?.into_iter().next() else {
        return Ok(None);
    };
    Ok(Some(OrderDetail {
        timeline: store::timeline::for_order(conn, &order.quipt_id)?,
        tracking: store::tracking::for_order(conn, &order.quipt_id)?,
        order,
    }))
}
