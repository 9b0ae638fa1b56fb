//! The history on its own (SPEC §5: the commands that only read the history need no credential):
//! the dashboard's data with its [`Health`], the order list and one order's detail, read from the
//! SQLite file alone — no keyring, no network. `quipt-shipstation status` and `history` open a
//! [`History`] and work where the keyring is locked or absent; [`crate::Connector`] answers the
//! same questions through the same functions, so both show the same shapes. The health needs the
//! time and the schedule (how long without a successful run is too long), so each view takes them;
//! "today" and the per-day chart are the operator's local days ([`local_day`]), so the dashboard
//! takes the time zone too: the computer's ([`chrono::Local`]) in the app and the CLI.

use std::path::Path;

use chrono::{DateTime, Local, TimeZone, Utc};
use rusqlite::Connection;
use serde::Serialize;

use crate::error::Result;
use crate::health::{self, Health};
use crate::local_day;
use crate::outcome::{RunOutcome, TimelineKind};
use crate::settings::ScheduleSettings;
use crate::store::orders::{OrderFilter, OrderRow, OrderState};
use crate::store::reconciliations::ReconciliationRow;
use crate::store::runs::RunRow;
use crate::store::timeline::Event;
use crate::store::tracking::TrackingRow;
use crate::store::{self};

/// The history database opened for reading what it holds.
#[derive(Debug)]
pub struct History {
    conn: Connection,
    schedule: ScheduleSettings,
}

impl History {
    /// Opens (and, like every open, migrates) the history database at `path`; the health is
    /// judged against the default schedule until [`History::with_schedule`] says otherwise.
    ///
    /// # Errors
    /// As [`store::open`]: a newer version's or a damaged database is refused with its name.
    pub fn open(path: &Path) -> Result<Self> {
        Ok(Self {
            conn: store::open(path)?,
            schedule: ScheduleSettings::default(),
        })
    }

    /// The same history, its health judged against this schedule (the settings file's).
    pub fn with_schedule(self, schedule: ScheduleSettings) -> Self {
        Self { schedule, ..self }
    }

    /// The dashboard's data, "today" in the computer's time zone.
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn status(&self) -> Result<Status> {
        status(&self.conn, Utc::now(), &Local, &self.schedule)
    }

    /// The history's order list.
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn orders(&self, filter: &OrderFilter) -> Result<Vec<OrderRow>> {
        store::orders::list(&self.conn, filter)
    }

    /// One order (by Quipt id, order number or tracking number) with its timeline.
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn order(&self, search: &str) -> Result<Option<OrderDetail>> {
        order(&self.conn, search)
    }

    /// The latest runs.
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn runs(&self, limit: u32) -> Result<Vec<RunRow>> {
        store::runs::recent(&self.conn, limit)
    }

    /// Marks an order in conflict settled, as [`Connector::settle`](crate::Connector::settle)
    /// does: the one write the history takes without the engine, since it is the operator's
    /// alone and needs no credentials (the CLI's `settle`).
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn settle(&self, order: &str, note: Option<&str>) -> Result<crate::Settle> {
        crate::settle::request(&self.conn, order, note, Utc::now())
    }

    /// Marks run `id` interrupted when it is still marked running: the process running it is
    /// being stopped (`sync` on Ctrl-C or SIGTERM).
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn interrupt(&self, id: i64) -> Result<()> {
        store::runs::interrupt(&self.conn, id, Utc::now())
    }

    /// Queues one order (Quipt id or order number), or every held, failed and conflict order, for
    /// the next run, as [`crate::Connector::retry`] does: the history alone, no credentials.
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn retry(&self, order: Option<&str>) -> Result<usize> {
        crate::sync::retry::request(&self.conn, order, Utc::now())
    }
}

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
    /// Orders pushed since the operator's local midnight.
    pub pushed_today: u64,
    /// Tracking reported since the operator's local midnight.
    pub shipped_today: u64,
    /// Orders ShipStation has that are still to be acknowledged in Quipt (the backlog the runs
    /// work off: "acknowledging 3,200 orders in Quipt"); 0 when there is none.
    pub acknowledging: u64,
    /// Orders needing attention, newest first (at most 100).
    pub attention: Vec<OrderRow>,
    /// Orders pushed on each of the last 30 local days (`YYYY-MM-DD`), oldest first, today last,
    /// a day without any as 0.
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

/// What the tray shows: the health with its reason, and when the last successful sync ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Glance {
    /// The health and why.
    pub health: health::Assessment,
    /// When the last successful sync ended (RFC 3339), if one did.
    pub last_success_at: Option<String>,
}

/// The tray's question: two of the dashboard's cheapest.
///
/// # Errors
/// When SQLite fails.
pub fn glance(
    conn: &Connection,
    now: DateTime<Utc>,
    schedule: &ScheduleSettings,
) -> Result<Glance> {
    Ok(Glance {
        health: health(conn, now, schedule)?,
        last_success_at: store::runs::last_completed(conn)?.and_then(|run| run.finished_at),
    })
}

/// How many days the dashboard's chart shows.
pub const CHART_DAYS: u32 = 30;

/// The dashboard's data, its days counted in `zone`.
///
/// # Errors
/// When SQLite fails.
pub fn status<Tz: TimeZone>(
    conn: &Connection,
    now: DateTime<Utc>,
    zone: &Tz,
    schedule: &ScheduleSettings,
) -> Result<Status> {
    let health = health(conn, now, schedule)?;
    let midnight = local_day::today(now, zone).start;
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
        acknowledging: store::orders::ack_backlog_len(conn)?,
        attention: store::orders::list(
            conn,
            &OrderFilter {
                attention: true,
                limit: Some(100),
                ..Default::default()
            },
        )?,
        per_day: store::timeline::pushed_per_day(
            conn,
            &local_day::last_days(now, CHART_DAYS, zone),
        )?,
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
