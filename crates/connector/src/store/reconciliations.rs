//! Reconciliations: one row per completed comparison of both sides, daily or on demand. The latest
//! row is what the dashboard shows and when the next daily one is due.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::ts;
use crate::error::Result;

/// What started a reconciliation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum ReconciliationTrigger {
    /// The first sync run after the last reconciliation turned a day old.
    Daily,
    /// The operator (the app or the CLI's `reconcile`).
    OnDemand,
}

impl ReconciliationTrigger {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            ReconciliationTrigger::Daily => "daily",
            ReconciliationTrigger::OnDemand => "on_demand",
        }
    }

    /// Parses a stored name.
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "daily" => ReconciliationTrigger::Daily,
            "on_demand" => ReconciliationTrigger::OnDemand,
            _ => return None,
        })
    }
}

/// A reconciliation as the dashboard shows it: the size of each list, not the lists.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ReconciliationRow {
    /// Row id.
    pub id: i64,
    /// When it completed (RFC 3339 UTC).
    pub at: String,
    /// What started it.
    pub trigger: ReconciliationTrigger,
    /// Ready in Quipt but not in ShipStation.
    pub missing_in_shipstation: u64,
    /// Shipped in ShipStation without tracking in Quipt.
    pub shipped_without_tracking: u64,
    /// Cancelled on one side and open on the other.
    pub cancel_mismatch: u64,
    /// Held or failed orders, listed apart: they are the operator's to fix, not a disagreement.
    pub held: u64,
    /// Disagreements between the two sides: the first three lists.
    pub findings: u64,
    /// Whether the two sides agree.
    pub clean: bool,
}

/// A completed reconciliation as the history records it: the size of each list and the whole
/// report as the reconciliation wrote it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewReconciliation<'a> {
    /// What started it.
    pub trigger: ReconciliationTrigger,
    /// Ready in Quipt but not in ShipStation.
    pub missing_in_shipstation: usize,
    /// Shipped in ShipStation without tracking in Quipt.
    pub shipped_without_tracking: usize,
    /// Cancelled on one side and open on the other.
    pub cancel_mismatch: usize,
    /// Held or failed orders.
    pub held: usize,
    /// The report, as JSON.
    pub report_json: &'a str,
}

/// Records a completed reconciliation.
///
/// # Errors
/// When SQLite fails.
pub fn insert(conn: &Connection, new: &NewReconciliation<'_>, at: DateTime<Utc>) -> Result<i64> {
    conn.execute(
        "INSERT INTO reconciliations(at, trigger, missing_in_shipstation, shipped_without_tracking,
                                     cancel_mismatch, held, report_json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            ts(at),
            new.trigger.as_str(),
            new.missing_in_shipstation,
            new.shipped_without_tracking,
            new.cancel_mismatch,
            new.held,
            super::kept(new.report_json)
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// The latest reconciliation, whatever started it.
///
/// # Errors
/// When SQLite fails.
pub fn latest(conn: &Connection) -> Result<Option<ReconciliationRow>> {
    Ok(conn
        .query_row(
            "SELECT id, at, trigger, missing_in_shipstation, shipped_without_tracking,
                    cancel_mismatch, held
             FROM reconciliations ORDER BY at DESC, id DESC LIMIT 1",
            [],
            |r| {
                let trigger: String = r.get(2)?;
                let counts: [u64; 4] = [r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?];
                let findings = counts[..3].iter().sum();
                Ok(ReconciliationRow {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    // Only this module writes the column; an unknown name is a newer build's.
                    trigger: ReconciliationTrigger::parse(&trigger)
                        .unwrap_or(ReconciliationTrigger::OnDemand),
                    missing_in_shipstation: counts[0],
                    shipped_without_tracking: counts[1],
                    cancel_mismatch: counts[2],
                    held: counts[3],
                    findings,
                    clean: findings == 0,
                })
            },
        )
        .optional()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reconciliation(
        trigger: ReconciliationTrigger,
        missing: usize,
        cancel_mismatch: usize,
        held: usize,
    ) -> NewReconciliation<'static> {
        NewReconciliation {
            trigger,
            missing_in_shipstation: missing,
            shipped_without_tracking: 0,
            cancel_mismatch,
            held,
            report_json: "{}",
        }
    }

    #[test]
    fn the_latest_reconciliation_is_the_newest_with_its_counts() {
        let dir = tempfile::tempdir().unwrap();
        let conn = super::super::open(&dir.path().join("history.sqlite3")).unwrap();
        assert_eq!(latest(&conn).unwrap(), None, "never reconciled");
        let day_ago = Utc::now() - chrono::Duration::hours(24);
        insert(
            &conn,
            &reconciliation(ReconciliationTrigger::Daily, 0, 0, 0),
            day_ago,
        )
        .unwrap();
        insert(
            &conn,
            &reconciliation(ReconciliationTrigger::OnDemand, 2, 1, 4),
            Utc::now(),
        )
        .unwrap();

        let last = latest(&conn).unwrap().expect("reconciled");
        assert_eq!(last.trigger, ReconciliationTrigger::OnDemand, "the newest");
        assert_eq!(
            (
                last.missing_in_shipstation,
                last.cancel_mismatch,
                last.held,
                last.findings
            ),
            (2, 1, 4, 3),
            "each list is counted; held orders apart from the findings"
        );
        assert!(!last.clean, "findings make it not clean");
    }

    #[test]
    fn held_orders_alone_leave_a_reconciliation_clean() {
        let dir = tempfile::tempdir().unwrap();
        let conn = super::super::open(&dir.path().join("history.sqlite3")).unwrap();
        insert(
            &conn,
            &reconciliation(ReconciliationTrigger::Daily, 0, 0, 7),
            Utc::now(),
        )
        .unwrap();
        let last = latest(&conn).unwrap().expect("reconciled");
        assert!(
            last.clean && last.held == 7,
            "the sides agree; the held orders are listed apart: {last:?}"
        );
    }
}
