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
