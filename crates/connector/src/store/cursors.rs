//! Per-pass cursors: the point up to which a pass's input has been committed. A pass advances its
//! cursor in the same transaction as its results, so a crash never skips input.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::{parse_ts, ts};
use crate::error::Result;

/// The cursor of `pass`, if it has run before.
///
/// # Errors
/// When SQLite fails.
pub fn get(conn: &Connection, pass: &str) -> Result<Option<DateTime<Utc>>> {
    let value: Option<String> = conn
        .query_row("SELECT value FROM cursors WHERE pass = ?1", [pass], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(value.as_deref().and_then(parse_ts))
}

/// Moves the cursor of `pass` to `to`, never backwards.
///
/// # Errors
/// When SQLite fails.
pub fn advance(conn: &Connection, pass: &str, to: DateTime<Utc>) -> Result<()> {
    conn.execute(
        "INSERT INTO cursors(pass, value) VALUES (?1, ?2)
         ON CONFLICT(pass) DO UPDATE SET value = max(value, excluded.value)",
        params![pass, ts(to)],
    )?;
    Ok(())
}

/// Moves the cursor of `pass` back to `limit` when it stands beyond it; returns whether it did.
/// The one way a cursor goes back: for a cursor an older version moved to a record dated in the
/// future (`sync::cursor`). Going back only makes the next read longer.
///
/// # Errors
/// When SQLite fails.
pub fn pull_back(conn: &Connection, pass: &str, limit: DateTime<Utc>) -> Result<bool> {
    let changed = conn.execute(
        "UPDATE cursors SET value = ?2 WHERE pass = ?1 AND value > ?2",
        params![pass, ts(limit)],
    )?;
    Ok(changed > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(rfc3339: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(rfc3339).unwrap().into()
    }

    #[test]
    fn a_cursor_moves_back_only_from_beyond_the_limit_and_then_forward_as_before() {
        let dir = tempfile::tempdir().unwrap();
        let conn = super::super::open(&dir.path().join("history.sqlite3")).unwrap();
        let limit = at("2026-11-24T10:00:00Z");
        advance(&conn, "orders_out", at("2026-11-24T09:00:00Z")).unwrap();
        advance(&conn, "cancellations", at("2099-12-31T23:59:59Z")).unwrap();

        assert!(
            !pull_back(&conn, "orders_out", limit).unwrap(),
            "a cursor before the limit stays"
        );
        assert!(
            !pull_back(&conn, "tracking_back", limit).unwrap(),
            "a pass that never ran has no cursor to move"
        );
        assert!(pull_back(&conn, "cancellations", limit).unwrap());
        assert_eq!(
            get(&conn, "cancellations").unwrap(),
            Some(limit),
            "a cursor in 2099 comes back to the limit"
        );
        advance(&conn, "cancellations", at("2026-11-24T09:30:00Z")).unwrap();
        assert_eq!(
            get(&conn, "cancellations").unwrap(),
            Some(limit),
            "and from there it never moves backwards"
        );
    }
}
