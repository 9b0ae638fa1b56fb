//! The support bundle: one `.zip` an operator can attach to a ticket, holding what support needs to
//! understand a problem and no secret.
//!
//! Contents: `manifest.json` (app version, OS, time, schema version, what was redacted and what
//! could not be collected), `settings.toml` (re-written with every secret-looking value redacted),
//! `history.json` (the last [`RECENT_RUNS`] runs with their summaries, the orders needing attention
//! with their timelines and tracking, counts by state — queried from SQLite; the database file
//! itself is never copied, since it would carry every order) and `logs/` (the daily log files).
//!
//! Before any entry is written, its text is scanned for every credential value known right now —
//! the `QUIPT_*` / `SHIPSTATION_*` environment variables, the keyring entries (read here, also
//! where the environment overrides them) and the shipped OAuth consumer, in every form
//! [`crate::redaction`] knows (plain, percent-encoded, Basic authorization) — and each occurrence
//! becomes `<redacted>`. That catches a secret even where no rule expected one (a log line of an
//! older version, a comment in the settings, a message stored in the history).
//!
//! The archive is written through [`crate::private_files::write_atomic`]: readable by its owner
//! only, complete or not at all.
//!
//! Why zip and not tar.gz: the people who open the bundle are operators and support staff on
//! Windows and macOS, whose file managers open a zip with a double click; a zip also lets support
//! read `manifest.json` without unpacking the logs. Only deflate is compiled in.
//!
//! Collecting never stops at the first problem: a bundle is needed most when something is broken
//! (no database yet, a settings file that does not parse, no keyring), so each part that cannot be
//! collected becomes a line of the manifest's `problems`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, Timelike, Utc};
use rusqlite::{Connection, OpenFlags};
use serde::Serialize;
use serde_json::{Value, json};

use crate::credentials::{self, CredentialName};
use crate::error::{Error, Result};
use crate::logging;
use crate::private_files;
use crate::redaction::{self, Patterns, REDACTED};
use crate::settings::{Paths, Settings};
use crate::store;
use crate::store::orders::OrderFilter;

/// How many of the latest runs the bundle carries.
pub const RECENT_RUNS: u32 = 50;
/// How many orders needing attention the bundle carries (newest first), each with its timeline.
pub const ATTENTION_ORDERS: u32 = 100;

/// Settings tables whose keys are the operator's data (channel names), not setting names, so a
/// channel called "Turkey Hill" is not mistaken for a key. Their values are store names and store
/// IDs, which support needs.
const DATA_TABLES: &[&str] = &["channel_names", "channel_store_ids"];

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct DiagnosticsReport {
    /// The archive.
    pub archive: PathBuf,
    /// Its entries, in order.
    pub files: Vec<ArchivedFile>,
    /// How many distinct credential values were known and scanned for.
    pub secrets_known: usize,
    /// How many occurrences of a known credential value were replaced, in all entries.
    pub secrets_replaced: usize,
    /// How many settings values were redacted because their key looks like a secret.
    pub settings_values_redacted: usize,
    /// What could not be collected, one sentence each (also in the manifest).
    pub problems: Vec<String>,
}

/// One entry of the archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ArchivedFile {
    /// Its path inside the archive.
    pub name: String,
    /// Its size after redaction.
    pub bytes: u64,
}

/// A file name for a bundle made at `at`, e.g. `quipt-shipstation-diagnostics-20261125-154500.zip`.
pub fn default_file_name(at: DateTime<Utc>) -> String {
    format!(
        "quipt-shipstation-diagnostics-{}.zip",
        at.format("%Y%m%d-%H%M%S")
    )
}

/// Writes the support bundle to `out_file` (replacing it): the settings and history at `paths` and
/// the log files in `log_dir`. They are apart because the app writes one set of logs whatever it
/// shows, while in demo mode its settings and history are the demo's ([`logging::log_dir`] of the
/// installation's own paths otherwise). The archive appears complete or not at all: it is written
/// beside and renamed.
///
/// # Errors
/// [`Error::Io`] only when the archive cannot be written; a part that cannot be collected is listed
/// in the report's `problems` instead.
pub fn export(paths: &Paths, log_dir: &Path, out_file: &Path) -> Result<DiagnosticsReport> {
    let now = Utc::now();
    let mut problems = Vec::new();
    let secrets = known_secrets(&mut problems);

    let mut entries: Vec<(String, String)> = Vec::new();
    let mut settings_values_redacted = 0;
    match std::fs::read_to_string(&paths.config_file) {
        Ok(text) => {
            if let Err(e) = Settings::parse(&text, &paths.config_file) {
                problems.push(e.to_string());
            }
            let (clean, n) = redact_settings(&text);
            settings_values_redacted = n;
            entries.push(("settings.toml".into(), clean));
        }
        Err(e) => problems.push(format!(
            "settings file {} not read: {e}",
            paths.config_file.display()
        )),
    }

    let database_schema = match history(&paths.database()) {
        Ok((json, schema)) => {
            entries.push(("history.json".into(), pretty(&json)));
            Some(schema)
        }
        Err(problem) => {
            problems.push(problem);
            None
        }
    };

    match logging::log_files(log_dir) {
        Ok(files) if files.is_empty() => {
            problems.push(format!("no log files in {}", log_dir.display()));
        }
        Ok(files) => {
            for file in files {
                let name = file.file_name().unwrap_or_default().to_string_lossy();
                match std::fs::read(&file) {
                    Ok(bytes) => entries.push((
                        format!("logs/{name}"),
                        String::from_utf8_lossy(&bytes).into_owned(),
                    )),
                    Err(e) => problems.push(format!("log file {} not read: {e}", file.display())),
                }
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            problems.push(format!(
                "no log files: {} does not exist",
                log_dir.display()
            ));
        }
        Err(e) => problems.push(format!("log directory {} not read: {e}", log_dir.display())),
    }

    let mut secrets_replaced = 0;
    let mut files = Vec::new();
    let mut clean_entries = Vec::new();
    for (name, text) in entries {
        let (clean, n) = secrets.redact(&text);
        secrets_replaced += n;
        files.push(ArchivedFile {
            name: name.clone(),
            bytes: clean.len() as u64,
        });
        clean_entries.push((name, clean));
    }

    let manifest = json!({
        "app": "quipt-shipstation",
        "version": env!("CARGO_PKG_VERSION"),
        "created_at": store::ts(now),
        "os": {
            "os": std::env::consts::OS,
            "family": std::env::consts::FAMILY,
            "arch": std::env::consts::ARCH,
            "release": os_release(),
        },
        "schema_version": {"build": store::SCHEMA_VERSION, "database": database_schema},
        "paths": {
            "config_file": paths.config_file,
            "data_dir": paths.data_dir,
            "log_dir": log_dir,
        },
        "files": files,
        "redaction": {
            "secrets_known": secrets.values(),
            "secrets_replaced": secrets_replaced,
            "settings_values_redacted": settings_values_redacted,
            "replacement": REDACTED,
        },
        "problems": problems,
    });
    let (manifest, n) = secrets.redact(&pretty(&manifest));
    secrets_replaced += n;
    files.insert(
        0,
        ArchivedFile {
            name: "manifest.json".into(),
            bytes: manifest.len() as u64,
        },
    );
    clean_entries.insert(0, ("manifest.json".into(), manifest));

    write_zip(out_file, &clean_entries, now)?;
    Ok(DiagnosticsReport {
        archive: out_file.to_path_buf(),
        files,
        secrets_known: secrets.values(),
        secrets_replaced,
        settings_values_redacted,
        problems,
    })
}

/// Every credential value known now, in every form: the keyring is read for each credential
/// (through [`credentials::lookup`], and [`credentials::read`] where the environment hides the
/// keyring's value, which may still be in old logs), which hands each value to
/// [`redaction`]; then its patterns.
fn known_secrets(problems: &mut Vec<String>) -> std::sync::Arc<Patterns> {
    let mut keyring_problem = None;
    for name in CredentialName::ALL {
        if let Err(e) = credentials::lookup(name) {
            keyring_problem = Some(e.to_string());
        }
        if std::env::var_os(name.env_var()).is_some_and(|v| !v.is_empty())
            && let Err(e) = credentials::read(name)
        {
            keyring_problem = Some(e.to_string());
        }
    }
    if let Some(problem) = keyring_problem {
        problems.push(format!(
            "keyring not read, so only the environment's credentials were redacted by value: {problem}"
        ));
    }
    redaction::patterns()
}

/// The settings text with the value of every secret-looking key replaced, and how many were.
/// Parsable TOML is re-written, which also drops its comments (a pasted key in a comment cannot be
/// recognised by its name); text that does not parse is redacted line by line and its comments
/// blanked, keeping line numbers so the parse error in the manifest still points at the right line.
fn redact_settings(text: &str) -> (String, usize) {
    const NOTE: &str = "# Written by `quipt-shipstation diagnostics`: values of keys that look like secrets are redacted";
    match toml::from_str::<toml::Table>(text) {
        Ok(mut table) => {
            let mut n = 0;
            redact_table(&mut table, false, &mut n);
            let body = toml::to_string_pretty(&table).unwrap_or_default();
            (format!("{NOTE}; comments dropped.\n{body}"), n)
        }
        Err(_) => {
            let mut n = 0;
            let lines: Vec<String> = text
                .lines()
                .map(|line| {
                    let trimmed = line.trim_start();
                    if trimmed.starts_with('#') {
                        return "#".to_string();
                    }
                    match line.split_once('=') {
                        Some((key, _)) if !trimmed.starts_with('[') && looks_secret_key(key) => {
                            n += 1;
                            format!("{key}= \"{REDACTED}\"")
                        }
                        _ => line.to_string(),
                    }
                })
                .collect();
            (
                format!(
                    "{NOTE}; the file does not parse, so it is kept line by line with comments blanked.\n{}\n",
                    lines.join("\n")
                ),
                n,
            )
        }
    }
}

fn looks_secret_key(key: &str) -> bool {
    let key = key.trim().trim_matches(['"', '\'']);
    let last = key.rsplit('.').next().unwrap_or(key).trim();
    redaction::looks_secret(last)
}

fn redact_table(table: &mut toml::Table, data: bool, n: &mut usize) {
    for (key, value) in table.iter_mut() {
        let secret = !data && redaction::looks_secret(key);
        let data_below = data || DATA_TABLES.contains(&key.as_str());
        redact_value(value, secret, data_below, n);
    }
}

fn redact_value(value: &mut toml::Value, secret: bool, data: bool, n: &mut usize) {
    match value {
        toml::Value::Table(table) if secret => {
            for (_, v) in table.iter_mut() {
                redact_value(v, true, data, n);
            }
        }
        toml::Value::Table(table) => redact_table(table, data, n),
        toml::Value::Array(items) => {
            for item in items {
                redact_value(item, secret, data, n);
            }
        }
        _ if secret => {
            *value = toml::Value::String(REDACTED.into());
            *n += 1;
        }
        _ => {}
    }
}

/// The history as support reads it, and the database's schema version. Opened read-write without
/// creating or migrating anything: a bundle must not change the installation it describes.
fn history(db_path: &Path) -> std::result::Result<(Value, usize), String> {
    if !db_path.exists() {
        return Err(format!(
            "no history database at {} (no sync has run yet)",
            db_path.display()
        ));
    }
    let open = || -> Result<(Value, usize)> {
        let conn = Connection::open_with_flags(
            db_path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        let schema = store::schema_version(&conn)?;
        Ok((history_json(&conn, schema)?, schema))
    };
    open().map_err(|e| format!("history not exported from {}: {e}", db_path.display()))
}

fn history_json(conn: &Connection, schema: usize) -> Result<Value> {
    let counts: BTreeMap<&str, u64> = store::orders::count_by_state(conn)?
        .into_iter()
        .map(|(state, n)| (state.as_str(), n))
        .collect();
    let runs = store::runs::recent(conn, RECENT_RUNS)?;
    let attention = store::orders::list(
        conn,
        &OrderFilter {
            attention: true,
            limit: Some(ATTENTION_ORDERS),
            ..Default::default()
        },
    )?;
    let mut orders = Vec::with_capacity(attention.len());
    for order in attention {
        orders.push(json!({
            "timeline": store::timeline::for_order(conn, &order.quipt_id)?,
            "tracking": store::tracking::for_order(conn, &order.quipt_id)?,
            "order": order,
        }));
    }
    Ok(json!({
        "schema_version": schema,
        "counts_by_state": counts,
        "runs": runs,
        "attention": orders,
    }))
}

/// The distribution's name on Linux (`PRETTY_NAME` of `/etc/os-release`).
fn os_release() -> Option<String> {
    let text = std::fs::read_to_string("/etc/os-release").ok()?;
    text.lines()
        .find_map(|line| line.strip_prefix("PRETTY_NAME="))
        .map(|v| v.trim_matches('"').to_string())
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).expect("JSON values always serialize") + "\n"
}

fn write_zip(out_file: &Path, entries: &[(String, String)], at: DateTime<Utc>) -> Result<()> {
    private_files::write_atomic(out_file, |file| {
        let mut zip = zip::ZipWriter::new(file);
        let mut options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .unix_permissions(private_files::FILE_MODE);
        if let Ok(stamp) = zip::DateTime::from_date_and_time(
            u16::try_from(at.year()).unwrap_or(1980),
            at.month() as u8,
            at.day() as u8,
            at.hour() as u8,
            at.minute() as u8,
            at.second() as u8,
        ) {
            options = options.last_modified_time(stamp);
        }
        for (name, text) in entries {
            zip.start_file(name.as_str(), options)?;
            zip.write_all(text.as_bytes())?;
        }
        zip.finish()?;
        Ok(())
    })
    .map_err(|e| Error::io("write", out_file, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_looking_settings_are_redacted_and_store_ids_and_channels_are_kept() {
        let text = r#"
# my ShipStation secret is in the keyring
[shipstation]
api_url = "http://127.0.0.1:9"
api_secret = "pasted-by-hand"

[stores]
single_store = false
[stores.channel_store_ids]
"Turkey Hill" = 10001
"#;
        let (clean, n) = redact_settings(text);
        assert!(
            !clean.contains("pasted-by-hand"),
            "the pasted secret is gone:\n{clean}"
        );
        assert!(
            !clean.contains("my ShipStation secret"),
            "comments are dropped:\n{clean}"
        );
        assert!(
            clean.contains("10001") && clean.contains("Turkey Hill"),
            "a channel named like a key keeps its store ID:\n{clean}"
        );
        assert!(
            clean.contains("127.0.0.1:9"),
            "addresses stay for support:\n{clean}"
        );
        assert_eq!(n, 1, "one value was redacted");
    }

    #[test]
    fn a_settings_file_that_does_not_parse_is_still_redacted_line_by_line() {
        let text = "[quipt]\naccess_token = oops-no-quotes\n# token: abc123\napi_user_email = \"ops@example.com\"\n";
        let (clean, n) = redact_settings(text);
        assert!(
            !clean.contains("oops-no-quotes"),
            "the unquoted token is gone:\n{clean}"
        );
        assert!(!clean.contains("abc123"), "comments are blanked:\n{clean}");
        assert!(
            clean.contains("ops@example.com"),
            "other lines stay:\n{clean}"
        );
        assert_eq!(
            clean.lines().count(),
            text.lines().count() + 1,
            "line numbers are kept after the note"
        );
        assert_eq!(n, 1);
    }

    #[test]
    fn the_default_name_sorts_by_time() {
        let at = DateTime::parse_from_rfc3339("2026-11-25T15:45:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            default_file_name(at),
            "quipt-shipstation-diagnostics-20261125-154500.zip"
        );
    }
}
