//! Runs: one row per sync, with its outcome and summary, so the dashboard can show the last
//! successful sync and the history every run.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::ts;
use crate::error::Result;

/// A run as the history shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct RunRow {
    /// Run id.
    pub id: i64,
    /// Start (RFC 3339 UTC).
    pub started_at: String,
    /// End, when finished.
    pub finished_at: Option<String>,
    /// What started it.
    pub trigger: String,
    /// Whether it was a dry run.
    pub dry_run: bool,
    /// `running`, `ok`, `attention`, `failed` or `interrupted`.
    pub outcome: String,
    /// Why it failed.
    pub error: Option<String>,
    /// The run summary as JSON (the [`crate::RunSummary`] shape of the version that wrote it).
    #[cfg_attr(feature = "ts", ts(as = "Option<crate::RunSummary>"))]
    pub summary: Option<serde_json::Value>,
}

/// Records the start of a run; any run still marked running was interrupted (killed) and is marked
/// so.
///
/// # Errors
/// When SQLite fails.
pub fn start(conn: &Connection, trigger: &str, dry_run: bool, at: DateTime<Utc>) -> Result<i64> {
    conn.execute(
        "UPDATE runs SET outcome = 'interrupted', finished_at = ?1 WHERE outcome = 'running'",
        [ts(at)],
    )?;
    conn.execute(
        "INSERT INTO runs(started_at, trigger, dry_run, outcome) VALUES (?1, ?2, ?3, 'running')",
        params![ts(at), trigger, dry_run],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Records the end of a run.
///
/// # Errors
/// When SQLite fails.
pub fn finish(
    conn: &Connection,
    id: i64,
    outcome: &str,
    error: Option<&str>,
    summary: &serde_json::Value,
    at: DateTime<Utc>,
) -> Result<()> {
    conn.execute(
        "UPDATE runs SET finished_at = ?2, outcome = ?3, error = ?4, summary_json = ?5 WHERE id = ?1",
        params![id, ts(at), outcome, error, summary.to_string()],
    )?;
    Ok(())
}

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RunRow> {
    let summary: Option<String> = r.get(7)?;
    Ok(RunRow {
        id: r.get(0)?,
        started_at: r.get(1)?,
        finished_at: r.get(2)?,
        trigger: r.get(3)?,
        dry_run: r.get(4)?,
        outcome: r.get(5)?,
        error: r.get(6)?,
        summary: summary.and_then(|s| serde_json::from_str(&s).ok()),
    })
}

const COLUMNS: &str = "id, started_at, finished_at, trigger, dry_run, outcome, error, summary_json";

/// The latest runs, newest first.
///
/// # Errors
/// When SQLite fails.
pub fn recent(conn: &Connection, limit: u32) -> Result<Vec<RunRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM runs ORDER BY id DESC LIMIT ?1"
    ))?;
    let rows = stmt
        .query_map([limit], from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The latest run that completed (not dry, not failed).
///
/// # Errors
/// When SQLite fails.
pub fn last_completed(conn: &Connection) -> Result<Option<RunRow>> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT {COLUMNS} FROM runs WHERE dry_run = 0 AND outcome IN ('ok','attention')
                 ORDER BY id DESC LIMIT 1"
            ),
            [],
            from_row,
        )
        .optional()?)
}

/// When the first run of this history started (the start of what the connector is responsible for).
///
/// # Errors
/// When SQLite fails.
pub fn first_started(conn: &Connection) -> Result<Option<DateTime<Utc>>> {
    let first: Option<String> =
        conn.query_row("SELECT min(started_at) FROM runs", [], |r| r.get(0))?;
    Ok(first.as_deref().and_then(super::parse_ts))
}
