//! The history on its own (SPEC §5: the commands that only read the history need no credential):
//! the dashboard's data, the order list and one order's detail, read from the SQLite file alone —
//! no settings, no keyring, no network. `quipt-shipstation status` and `history` open a [`History`]
//! and work where the keyring is locked or absent; [`crate::Connector`] answers the same questions
//! through the same functions, so both show the same shapes.

use std::path::Path;

use chrono::Utc;
use rusqlite::Connection;

use crate::error::Result;
use crate::health::{self, Health};
use crate::store::{self, orders::OrderFilter, orders::OrderRow, runs::RunRow};
use crate::{OrderDetail, Status, sync};

/// The history database opened for reading what it holds.
#[derive(Debug)]
pub struct History {
    conn: Connection,
}

impl History {
    /// Opens (and, like every open, migrates) the history database at `path`.
    ///
    /// # Errors
    /// As [`store::open`]: a newer version's or a damaged database is refused with its name.
    pub fn open(path: &Path) -> Result<Self> {
        Ok(Self {
            conn: store::open(path)?,
        })
    }

    /// The dashboard's data.
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn status(&self) -> Result<Status> {
        status(&self.conn)
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
}

/// The health from the latest completed run and the orders needing attention.
///
/// # Errors
/// When SQLite fails.
pub fn health(conn: &Connection) -> Result<Health> {
    let last = store::runs::recent(conn, 10)?
        .into_iter()
        .find(|r| !r.dry_run && r.outcome != "running");
    let alerts = last
        .as_ref()
        .and_then(|r| r.summary.as_ref())
        .and_then(|s| s.get("alerts"))
        .and_then(|a| a.as_array())
        .map_or(0, Vec::len);
    Ok(health::assess(
        last.as_ref().map(|r| r.outcome.as_str()),
        sync::attention_total(conn)?,
        alerts,
    ))
}

/// The dashboard's data.
///
/// # Errors
/// When SQLite fails.
pub fn status(conn: &Connection) -> Result<Status> {
    let midnight = Utc::now()
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .expect("midnight exists")
        .and_utc();
    Ok(Status {
        health: health(conn)?,
        last_run: store::runs::recent(conn, 1)?.into_iter().next(),
        last_success: store::runs::last_completed(conn)?,
        counts: store::orders::count_by_state(conn)?,
        pushed_today: store::timeline::count_since(conn, "pushed", midnight)?,
        shipped_today: store::timeline::count_since(conn, "tracking_reported", midnight)?,
        attention: store::orders::list(
            conn,
            &OrderFilter {
                attention: true,
                limit: Some(100),
                ..Default::default()
            },
        )?,
        per_day: store::timeline::pushed_per_day(conn, 30, Utc::now())?,
        last_reconciliation: store::reconciliations::latest(conn)?,
    })
}

/// One order (by Quipt id, order number or tracking number) with its timeline and tracking.
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
