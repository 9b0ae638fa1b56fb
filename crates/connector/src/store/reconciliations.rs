//! Reconciliations: one row per completed comparison of both sides, daily or on demand. The latest
//! row is what the dashboard shows and when the next daily one is due.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::ts;
use crate::error::Result;
use crate::reconcile::ReconcileReport;

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
    /// Held or failed orders.
    pub held: u64,
    /// Entries in all four lists.
    pub findings: u64,
    /// Whether every list was empty.
    pub clean: bool,
}

/// Records a completed reconciliation and its report.
///
/// # Errors
/// When SQLite fails.
pub fn insert(
    conn: &Connection,
    trigger: ReconciliationTrigger,
    report: &ReconcileReport,
    at: DateTime<Utc>,
) -> Result<i64> {
    let json = serde_json::to_string(report).expect("a report always serializes");
    conn.execute(
        "INSERT INTO reconciliations(at, trigger, missing_in_shipstation, shipped_without_tracking,
                                     cancel_mismatch, held, report_json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            ts(at),
            trigger.as_str(),
            report.missing_in_shipstation.len(),
            report.shipped_without_tracking.len(),
            report.cancel_mismatch.len(),
            report.held.len(),
            json
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
                let findings = counts.iter().sum();
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
    use crate::reconcile::Finding;

    fn finding() -> Finding {
        Finding {
            order_number: "Q-1".into(),
            quipt_id: Some("1".into()),
            detail: "pushed before but no longer in ShipStation (deleted there?)".into(),
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
            ReconciliationTrigger::Daily,
            &ReconcileReport::default(),
            day_ago,
        )
        .unwrap();
        let report = ReconcileReport {
            missing_in_shipstation: vec![finding(), finding()],
            cancel_mismatch: vec![finding()],
            ..ReconcileReport::default()
        };
        insert(&conn, ReconciliationTrigger::OnDemand, &report, Utc::now()).unwrap();

        let last = latest(&conn).unwrap().expect("reconciled");
        assert_eq!(last.trigger, ReconciliationTrigger::OnDemand, "the newest");
        assert_eq!(
            (
                last.missing_in_shipstation,
                last.cancel_mismatch,
                last.findings
            ),
            (2, 1, 3),
            "each list is counted"
        );
        assert!(!last.clean, "findings make it not clean");
    }
}
