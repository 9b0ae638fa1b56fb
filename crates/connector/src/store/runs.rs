//! Runs: one row per sync, with its outcome and summary, so the dashboard can show the last
//! successful sync and the history every run.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::ts;
use crate::error::Result;
use crate::outcome::{RunOutcome, Trigger};
use crate::summary::RunSummary;

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
    pub trigger: Trigger,
    /// Whether it was a dry run.
    pub dry_run: bool,
    /// How it ended, or that it is still running.
    pub outcome: RunOutcome,
    /// Why it failed.
    pub error: Option<String>,
    /// The run's summary, once it ended. A summary written by an older version reads back with
    /// defaults for what it lacked; one that cannot be read at all is `None`, never an error.
    pub summary: Option<RunSummary>,
}

impl RunRow {
    /// The alerts the run raised (reference data drift), none before it ended.
    pub fn alerts(&self) -> &[String] {
        self.summary.as_ref().map_or(&[], |s| s.alerts.as_slice())
    }
}

/// Records the start of a run; any run still marked running was interrupted (killed) and is marked
/// so.
///
/// # Errors
/// When SQLite fails.
pub fn start(conn: &Connection, trigger: Trigger, dry_run: bool, at: DateTime<Utc>) -> Result<i64> {
    conn.execute(
        "UPDATE runs SET outcome = ?2, finished_at = ?1 WHERE outcome = ?3",
        params![
            ts(at),
            RunOutcome::Interrupted.as_str(),
            RunOutcome::Running.as_str()
        ],
    )?;
    conn.execute(
        "INSERT INTO runs(started_at, trigger, dry_run, outcome) VALUES (?1, ?2, ?3, ?4)",
        params![
            ts(at),
            trigger.as_str(),
            dry_run,
            RunOutcome::Running.as_str()
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Marks run `id` interrupted at `at` when it is still marked running: its process was stopped
/// before it ended (the next run would say so too, but `status` should not show it running
/// meanwhile).
///
/// # Errors
/// When SQLite fails.
pub fn interrupt(conn: &Connection, id: i64, at: DateTime<Utc>) -> Result<()> {
    conn.execute(
        "UPDATE runs SET outcome = ?3, finished_at = ?2 WHERE id = ?1 AND outcome = ?4",
        params![
            id,
            ts(at),
            RunOutcome::Interrupted.as_str(),
            RunOutcome::Running.as_str()
        ],
    )?;
    Ok(())
}

/// Records the end of a run: its outcome, error and summary.
///
/// # Errors
/// When SQLite fails.
pub fn finish(conn: &Connection, id: i64, summary: &RunSummary, at: DateTime<Utc>) -> Result<()> {
    // Redacted whole: the patterns include each secret as JSON escapes it, and the mark they
    // leave needs no escaping, so the JSON stays valid.
    let json = super::kept(&serde_json::to_string(summary).expect("a summary always serializes"));
    conn.execute(
        "UPDATE runs SET finished_at = ?2, outcome = ?3, error = ?4, summary_json = ?5 WHERE id = ?1",
        params![
            id,
            ts(at),
            summary.outcome.as_str(),
            summary.error.as_deref().map(super::kept),
            json
        ],
    )?;
    Ok(())
}

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RunRow> {
    let trigger: String = r.get(3)?;
    let outcome: String = r.get(5)?;
    let summary: Option<String> = r.get(7)?;
    Ok(RunRow {
        id: r.get(0)?,
        started_at: r.get(1)?,
        finished_at: r.get(2)?,
        // Only this module writes these columns; a name it does not know is a newer build's, and
        // such a run is neither a success nor a failure here.
        trigger: Trigger::parse(&trigger).unwrap_or(Trigger::Cli),
        dry_run: r.get(4)?,
        outcome: RunOutcome::parse(&outcome).unwrap_or(RunOutcome::Interrupted),
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

/// The latest run (not dry) that ended with one of `outcomes`.
///
/// # Errors
/// When SQLite fails.
pub fn last_with(conn: &Connection, outcomes: &[RunOutcome]) -> Result<Option<RunRow>> {
    let placeholders: Vec<String> = (1..=outcomes.len()).map(|n| format!("?{n}")).collect();
    let names: Vec<&str> = outcomes.iter().map(|o| o.as_str()).collect();
    Ok(conn
        .query_row(
            &format!(
                "SELECT {COLUMNS} FROM runs WHERE dry_run = 0 AND outcome IN ({})
                 ORDER BY id DESC LIMIT 1",
                placeholders.join(", ")
            ),
            rusqlite::params_from_iter(names),
            from_row,
        )
        .optional()?)
}

/// The latest run that completed (not dry, not failed).
///
/// # Errors
/// When SQLite fails.
pub fn last_completed(conn: &Connection) -> Result<Option<RunRow>> {
    last_with(conn, &[RunOutcome::Ok, RunOutcome::Attention])
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A summary as the build before typed outcomes wrote it (no `warnings`, no `preview_more`).
    const SUMMARY_BEFORE_WARNINGS: &str = r#"{"run_id":1,"dry_run":false,"outcome":"attention",
        "error":null,"created":138,"updated":0,"unchanged":0,"held":10,"failed":0,"acknowledged":138,
        "tracking_reported":0,"tracking_withdrawn":0,"cancelled_in_quipt":0,
        "cancelled_in_shipstation":0,"conflicts":0,"attention_total":10,
        "alerts":["ShipStation store 10003 (Shopify) is inactive"],"shipstation_calls":12,
        "quipt_calls":140,"rate_limited":0,"rate_limit":40,"rate_remaining":28,"paced_wait_ms":0,
        "duration_ms":5123}"#;

    /// A failed run's summary with the daily reconciliation's warnings (the build before this one).
    const SUMMARY_WITH_WARNINGS: &str = r#"{"run_id":2,"dry_run":false,"outcome":"failed",
        "error":"Quipt: unreachable","created":0,"updated":0,"unchanged":3,"held":0,"failed":0,
        "acknowledged":0,"tracking_reported":0,"tracking_withdrawn":0,"cancelled_in_quipt":0,
        "cancelled_in_shipstation":0,"conflicts":0,"attention_total":0,"alerts":[],
        "warnings":["daily reconciliation not done, tried again next run: Quipt: unreachable"],
        "shipstation_calls":1,"quipt_calls":6,"rate_limited":0,"rate_limit":null,
        "rate_remaining":null,"paced_wait_ms":0,"duration_ms":900}"#;

    #[test]
    fn runs_written_by_older_versions_still_load_with_their_summary() {
        let dir = tempfile::tempdir().unwrap();
        let conn = super::super::open(&dir.path().join("history.sqlite3")).unwrap();
        conn.execute_batch(&format!(
            "INSERT INTO runs(started_at, finished_at, trigger, dry_run, outcome, error, summary_json)
             VALUES ('2026-11-20T10:00:00.000Z', '2026-11-20T10:00:05.123Z', 'schedule', 0,
                     'attention', NULL, '{}');
             INSERT INTO runs(started_at, finished_at, trigger, dry_run, outcome, error, summary_json)
             VALUES ('2026-11-20T10:15:00.000Z', '2026-11-20T10:15:00.900Z', 'sync_now', 0,
                     'failed', 'Quipt: unreachable', '{}');
             INSERT INTO runs(started_at, trigger, dry_run, outcome, summary_json)
             VALUES ('2026-11-20T10:30:00.000Z', 'cli', 0, 'interrupted', 'not json');",
            SUMMARY_BEFORE_WARNINGS, SUMMARY_WITH_WARNINGS
        ))
        .unwrap();

        let runs = recent(&conn, 10).unwrap();
        assert_eq!(runs.len(), 3, "every old row loads");
        let [interrupted, failed, attention] = &runs[..] else {
            unreachable!()
        };
        assert_eq!(interrupted.outcome, RunOutcome::Interrupted);
        assert_eq!(
            interrupted.summary, None,
            "an unreadable summary is absent, not an error"
        );
        let failed_summary = failed.summary.as_ref().expect("the failed run's summary");
        assert_eq!(
            (failed.outcome, failed.trigger, failed_summary.outcome),
            (RunOutcome::Failed, Trigger::SyncNow, RunOutcome::Failed)
        );
        assert_eq!(failed_summary.warnings.len(), 1, "its warning is kept");
        let summary = attention.summary.as_ref().expect("the old summary reads");
        assert_eq!(
            (summary.created, summary.held, summary.attention_total),
            (138, 10, 10),
            "the counts of a summary from before warnings existed"
        );
        assert_eq!(
            attention.alerts(),
            ["ShipStation store 10003 (Shopify) is inactive"],
            "its drift alert, read without parsing JSON by hand"
        );
        assert!(
            summary.warnings.is_empty(),
            "a missing field takes its default"
        );
        assert_eq!(
            last_completed(&conn).unwrap().map(|r| r.id),
            Some(attention.id),
            "the last successful sync is the completed one"
        );
    }
}
