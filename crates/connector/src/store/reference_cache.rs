//! Cached reference data (stores, warehouses, carriers, services) as JSON with its fetch time; the
//! sync decides when it is too old (`sync::reference`).

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Serialize, de::DeserializeOwned};

use super::{parse_ts, ts};
use crate::error::{Error, Result};

/// A cached value.
#[derive(Debug)]
pub struct Cached<T> {
    /// The value.
    pub value: T,
    /// When it was fetched.
    pub fetched_at: DateTime<Utc>,
    /// Whether it is to be fetched again however fresh ([`mark_stale`]).
    pub read_again: bool,
}

/// The cached value under `key`.
///
/// # Errors
/// When SQLite fails or the cached JSON is unreadable.
pub fn get<T: DeserializeOwned>(conn: &Connection, key: &str) -> Result<Option<Cached<T>>> {
    let row: Option<(String, String, bool)> = conn
        .query_row(
            "SELECT json, fetched_at, read_again FROM reference_cache WHERE key = ?1",
            [key],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((json, fetched_at, read_again)) = row else {
        return Ok(None);
    };
    let value = serde_json::from_str(&json).map_err(|source| Error::Corrupt {
        what: "reference cache entry",
        source,
    })?;
    Ok(parse_ts(&fetched_at).map(|fetched_at| Cached {
        value,
        fetched_at,
        read_again,
    }))
}

/// Replaces the cached value under `key`.
///
/// # Errors
/// When SQLite fails.
pub fn put<T: Serialize>(conn: &Connection, key: &str, value: &T, at: DateTime<Utc>) -> Result<()> {
    let json = serde_json::to_string(value).expect("reference data always serializes");
    conn.execute(
        "INSERT INTO reference_cache(key, fetched_at, json, read_again) VALUES (?1, ?2, ?3, 0)
         ON CONFLICT(key) DO UPDATE
             SET fetched_at = excluded.fetched_at, json = excluded.json, read_again = 0",
        params![key, ts(at), json],
    )?;
    Ok(())
}

/// Has the next reader of the value under `key` fetch it again; the value and when it was fetched
/// stay, for a reader that cannot.
///
/// # Errors
/// When SQLite fails.
pub fn mark_stale(conn: &Connection, key: &str) -> Result<()> {
    conn.execute(
        "UPDATE reference_cache SET read_again = 1 WHERE key = ?1",
        [key],
    )?;
    Ok(())
}
