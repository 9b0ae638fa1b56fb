//! Cached reference data (stores, warehouses, carriers, services) as JSON with its fetch time; the
//! sync decides when it is too old (`sync::reference`).

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Serialize, de::DeserializeOwned};

use super::{parse_ts, ts};
use crate::error::{Error, Result};

/// The cached value under `key` and when it was fetched.
///
/// # Errors
/// When SQLite fails or the cached JSON is unreadable.
pub fn get<T: DeserializeOwned>(
    conn: &Connection,
    key: &str,
) -> Result<Option<(T, DateTime<Utc>)>> {
    let row: Option<(String, String)> = conn
        .query_row(
            "SELECT json, fetched_at FROM reference_cache WHERE key = ?1",
            [key],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((json, fetched_at)) = row else {
        return Ok(None);
    };
    let value = serde_json::from_str(&json).map_err(|source| Error::Corrupt {
        what: "reference cache entry",
        source,
    })?;
    Ok(parse_ts(&fetched_at).map(|at| (value, at)))
}

/// Replaces the cached value under `key`.
///
/// # Errors
/// When SQLite fails.
pub fn put<T: Serialize>(conn: &Connection, key: &str, value: &T, at: DateTime<Utc>) -> Result<()> {
    let json = serde_json::to_string(value).expect("reference data always serializes");
    conn.execute(
        "INSERT INTO reference_cache(key, fetched_at, json) VALUES (?1, ?2, ?3)
         ON CONFLICT(key) DO UPDATE SET fetched_at = excluded.fetched_at, json = excluded.json",
        params![key, ts(at), json],
    )?;
    Ok(())
}

/// Makes the value under `key` look fetched at the epoch, so its next reader fetches it again;
/// the value stays, for a reader that cannot.
///
/// # Errors
/// When SQLite fails.
pub fn mark_stale(conn: &Connection, key: &str) -> Result<()> {
    conn.execute(
        "UPDATE reference_cache SET fetched_at = ?2 WHERE key = ?1",
        params![key, ts(DateTime::<Utc>::UNIX_EPOCH)],
    )?;
    Ok(())
}
