//! The per-order timeline: every decision and effect, with its reason, in the order it happened.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde::Serialize;

use super::ts;
use crate::error::Result;
use crate::local_day::Day;
use crate::outcome::TimelineKind;

/// One entry of an order's timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[cfg_attr(feature = "ts", ts(rename = "TimelineEvent"))]
pub struct Event {
    /// When it happened (RFC 3339 UTC).
    pub at: String,
    /// The run that did it, if any.
    pub run_id: Option<i64>,
    /// What happened.
    pub kind: TimelineKind,
    /// Details in words.
    pub message: String,
}

/// Appends an entry.
///
/// # Errors
/// When SQLite fails.
pub fn append(
    conn: &Connection,
    quipt_id: &str,
    run_id: Option<i64>,
    kind: TimelineKind,
    message: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO events(quipt_id, run_id, at, kind, message) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        quipt_id,
        run_id,
        ts(at),
        kind.as_str(),
        super::kept(message)
    ])?;
    Ok(())
}

/// Deletes up to `limit` of the entries written before `before`, oldest first, and returns how
/// many went: one short transaction (SQLite's autocommit), so that pruning months of events
/// batch by batch never holds the write lock for long. Orders, their state and their tracking are
/// other tables and stay.
///
/// # Errors
/// When SQLite fails.
pub fn prune_before(conn: &Connection, before: DateTime<Utc>, limit: u32) -> Result<u64> {
    let deleted = conn
        .prepare_cached(
            "DELETE FROM events WHERE id IN
                 (SELECT id FROM events WHERE at < ?1 ORDER BY at LIMIT ?2)",
        )?
        .execute(params![ts(before), limit])?;
    Ok(deleted as u64)
}

/// The whole timeline of an order, oldest first.
///
/// # Errors
/// When SQLite fails.
pub fn for_order(conn: &Connection, quipt_id: &str) -> Result<Vec<Event>> {
    let mut stmt = conn.prepare_cached(
        "SELECT at, run_id, kind, message FROM events WHERE quipt_id = ?1 ORDER BY id",
    )?;
    let events = stmt
        .query_map([quipt_id], |r| {
            let Some(kind) = TimelineKind::parse(&r.get::<_, String>(2)?) else {
                return Ok(None);
            };
            Ok(Some(Event {
                at: r.get(0)?,
                run_id: r.get(1)?,
                kind,
                message: r.get(3)?,
            }))
        })?
        // Only this module writes the column; an entry of a kind this build does not know (a
        // newer build's) is left out rather than shown as something it is not.
        .filter_map(Result::transpose)
        .collect::<rusqlite::Result<_>>()?;
    Ok(events)
}

/// Orders pushed on each of `days` (the operator's local days, [`crate::local_day`]), in their
/// order, a day without any counted as 0: the dashboard's chart.
///
/// # Errors
/// When SQLite fails.
pub fn pushed_per_day(conn: &Connection, days: &[Day]) -> Result<Vec<(String, u64)>> {
    days.iter()
        .map(|day| {
            let n: i64 = conn
                .prepare_cached(
                    "SELECT count(*) FROM events WHERE kind = ?1 AND at >= ?2 AND at < ?3",
                )?
                .query_row(
                    params![TimelineKind::Pushed.as_str(), ts(day.start), ts(day.end)],
                    |r| r.get(0),
                )?;
            Ok((day.date.to_string(), n as u64))
        })
        .collect()
}

/// How many entries of `kind` were written at or after `since`.
///
/// # Errors
/// When SQLite fails.
pub fn count_since(conn: &Connection, kind: TimelineKind, since: DateTime<Utc>) -> Result<u64> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM events WHERE at >= ?1 AND kind = ?2",
        params![ts(since), kind.as_str()],
        |r| r.get(0),
    )?;
    Ok(n as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pruning_deletes_only_entries_older_than_the_cutoff_a_batch_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let conn = crate::store::open(&dir.path().join("history.sqlite3")).unwrap();
        let now = Utc::now();
        for days in [500, 450, 401, 401, 399, 10, 0] {
            let at = now - chrono::Duration::days(days);
            let message = format!("{days} days ago");
            append(&conn, "q-1", None, TimelineKind::Note, &message, at).unwrap();
        }
        let cutoff = now - chrono::Duration::days(400);
        let batches: Vec<u64> = (0..4)
            .map(|_| prune_before(&conn, cutoff, 3).unwrap())
            .collect();
        assert_eq!(
            batches,
            [3, 1, 0, 0],
            "the four entries older than 400 days, three at a time"
        );
        let kept: Vec<String> = for_order(&conn, "q-1")
            .unwrap()
            .into_iter()
            .map(|e| e.message)
            .collect();
        assert_eq!(
            kept,
            ["399 days ago", "10 days ago", "0 days ago"],
            "newer entries stay"
        );
    }
}
