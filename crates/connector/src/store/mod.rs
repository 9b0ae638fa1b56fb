//! The local history (SPEC §3): one SQLite file in WAL mode with versioned, append-only migrations.
//!
//! Each table family has its own module with the SQL next to the rows it fills. Functions take a
//! `&Connection` (a transaction derefs to one) and the time as an argument, so a pass can commit its
//! results and advance its cursor in one transaction. No secret is ever written here.

pub mod cursors;
pub mod orders;
pub mod reconciliations;
pub mod reference_cache;
pub mod runs;
pub mod timeline;
pub mod tracking;

use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::Connection;

use crate::error::{Error, Result};

/// The migrations in order; the database's `user_version` counts how many have run.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_initial.sql"),
    include_str!("migrations/0002_history_indexes.sql"),
    include_str!("migrations/0003_order_counts.sql"),
    include_str!("migrations/0004_reconciliations.sql"),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: usize = MIGRATIONS.len();

/// Opens (creating if needed) the history database, in WAL mode with a busy timeout so that the app
/// and the CLI can read while the other writes, and brings its schema up to date.
///
/// # Errors
/// When the file cannot be opened or a migration fails (the failed migration is rolled back).
pub fn open(path: &Path) -> Result<Connection> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io("create", dir, e))?;
    }
    let mut conn = Connection::open(path)?;
    conn.busy_timeout(Duration::from_secs(30))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    migrate(&mut conn)?;
    Ok(conn)
}

/// Runs the missing migrations in one write transaction taken before the version is read, so that
/// the app and the CLI opening a new database at the same moment never both migrate it.
fn migrate(conn: &mut Connection) -> Result<()> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let current: usize = tx.pragma_query_value(None, "user_version", |row| row.get(0))?;
    for sql in MIGRATIONS.iter().skip(current) {
        tx.execute_batch(sql)?;
    }
    if current < MIGRATIONS.len() {
        tx.pragma_update(None, "user_version", MIGRATIONS.len())?;
    }
    tx.commit()?;
    Ok(())
}

/// The schema version of an open database.
///
/// # Errors
/// When SQLite fails.
pub fn schema_version(conn: &Connection) -> Result<usize> {
    Ok(conn.pragma_query_value(None, "user_version", |row| row.get(0))?)
}

/// Timestamps are stored as RFC 3339 UTC text with milliseconds, which sorts like the time.
pub fn ts(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Reads a timestamp written by [`ts`].
pub fn parse_ts(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reopening_a_database_keeps_its_schema_and_rows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.sqlite3");
        let conn = open(&path).unwrap();
        cursors::advance(&conn, "orders_out", Utc::now()).unwrap();
        drop(conn);
        let conn = open(&path).unwrap();
        assert_eq!(schema_version(&conn).unwrap(), SCHEMA_VERSION);
        assert!(
            cursors::get(&conn, "orders_out").unwrap().is_some(),
            "the cursor survives reopening"
        );
        let mode: String = conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }

    #[test]
    fn a_history_at_schema_3_gains_reconciliations_and_keeps_its_rows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.sqlite3");
        // The database a build before reconciliations were recorded left behind.
        let conn = rusqlite::Connection::open(&path).unwrap();
        for sql in &MIGRATIONS[..3] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 3).unwrap();
        let started = Utc::now();
        let run = runs::start(&conn, crate::Trigger::Schedule, false, started).unwrap();
        cursors::advance(&conn, "orders_out", started).unwrap();
        drop(conn);

        let conn = open(&path).unwrap();
        assert_eq!(schema_version(&conn).unwrap(), SCHEMA_VERSION, "migrated");
        assert_eq!(
            runs::recent(&conn, 10).unwrap().first().map(|r| r.id),
            Some(run),
            "the run history survives the migration"
        );
        assert_eq!(
            cursors::get(&conn, "orders_out").unwrap().map(ts),
            Some(ts(started)),
            "the cursors survive the migration"
        );
        assert_eq!(
            reconciliations::latest(&conn).unwrap(),
            None,
            "an upgraded history has no reconciliation yet, so the daily one is due"
        );
    }
}
