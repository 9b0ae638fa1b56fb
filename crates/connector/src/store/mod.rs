//! The local history (SPEC §3): one SQLite file in WAL mode with versioned, append-only migrations.
//!
//! Each table family has its own module with the SQL next to the rows it fills. Functions take a
//! `&Connection` (a transaction derefs to one) and the time as an argument, so a pass can commit its
//! results and advance its cursor in one transaction. No secret is ever written here.
//!
//! Opening is careful with what it finds: a database a newer version wrote (its `user_version`
//! above [`SCHEMA_VERSION`]) is refused before anything is written to it, and a file that is not a
//! SQLite database, or a damaged one, is named with the way out, [`move_aside`]: the file is kept
//! under a new name and a new, empty history starts. Losing the history duplicates nothing
//! (ShipStation orders are upserted by `orderKey`, Quipt shipments keyed by `ExternalId`, and an
//! acknowledgement re-reads the order first), so a new history is safe, only forgetful. The file
//! and its directory are the owner's alone ([`crate::private_files`]).

pub mod cursors;
pub mod orders;
pub mod reconciliations;
pub mod reference_cache;
pub mod runs;
pub mod timeline;
pub mod tracking;

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::Connection;

use crate::error::{Error, Result};
use crate::private_files;

/// The migrations in order; the database's `user_version` counts how many have run.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_initial.sql"),
    include_str!("migrations/0002_history_indexes.sql"),
    include_str!("migrations/0003_order_counts.sql"),
    include_str!("migrations/0004_reconciliations.sql"),
    include_str!("migrations/0005_ack_backlog_index.sql"),
    include_str!("migrations/0006_tracking_by_shipstation_order.sql"),
    include_str!("migrations/0007_reference_read_again.sql"),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: usize = MIGRATIONS.len();

/// The files SQLite keeps beside the database in WAL mode.
const COMPANION_SUFFIXES: [&str; 2] = ["-wal", "-shm"];

/// Opens (creating if needed) the history database, in WAL mode with a busy timeout so that the app
/// and the CLI can read while the other writes, and brings its schema up to date.
///
/// # Errors
/// [`Error::DatabaseTooNew`] when a newer version wrote it (nothing is written then);
/// [`Error::DatabaseDamaged`] when the file is not a SQLite database or is damaged; otherwise when
/// the file cannot be opened or a migration fails (the failed migration is rolled back).
pub fn open(path: &Path) -> Result<Connection> {
    prepare_files(path)?;
    let named = |source: rusqlite::Error| damaged_or_storage(path, source);
    let mut conn = Connection::open(path).map_err(named)?;
    conn.busy_timeout(Duration::from_secs(30)).map_err(named)?;
    refuse_newer(path, schema_version_of(&conn).map_err(named)?)?;
    conn.pragma_update(None, "journal_mode", "WAL")
        .map_err(named)?;
    conn.pragma_update(None, "synchronous", "NORMAL")
        .map_err(named)?;
    conn.pragma_update(None, "foreign_keys", "ON")
        .map_err(named)?;
    migrate(&mut conn, path)?;
    Ok(conn)
}

/// Opens the history for reading only, on a connection of its own: the dashboard's and the
/// history view's questions. In WAL mode it reads the last committed state while a run writes,
/// and never waits for the run's transactions (a shared connection would). The database must
/// exist and be up to date ([`open`] first).
///
/// # Errors
/// As [`open`]: a newer version's or a damaged database is refused with its name.
pub fn open_read_only(path: &Path) -> Result<Connection> {
    let named = |source: rusqlite::Error| damaged_or_storage(path, source);
    let flags =
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(named)?;
    conn.busy_timeout(Duration::from_secs(30)).map_err(named)?;
    refuse_newer(path, schema_version_of(&conn).map_err(named)?)?;
    Ok(conn)
}

/// The directory `0700` and the database `0600` before SQLite opens it: SQLite gives its `-wal`
/// and `-shm` files the database's mode, and an older version's files are closed down here.
fn prepare_files(path: &Path) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        private_files::create_dir(dir).map_err(|e| Error::io("create", dir, e))?;
    }
    match private_files::create_new(path) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(Error::io("create", path, e)),
    }
    for file in std::iter::once(path.to_path_buf()).chain(companions(path)) {
        private_files::restrict(&file).map_err(|e| Error::io("restrict", &file, e))?;
    }
    Ok(())
}

/// A newer version's database is refused before anything is written to it: its migrations may
/// have changed what the rows mean, and this version would write them the old way.
fn refuse_newer(path: &Path, found: usize) -> Result<()> {
    if found > SCHEMA_VERSION {
        return Err(Error::DatabaseTooNew {
            path: path.display().to_string(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(())
}

/// SQLite's "not a database" and "malformed" name the file and the way out; anything else stays
/// a storage error.
fn damaged_or_storage(path: &Path, source: rusqlite::Error) -> Error {
    match source.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt) => {
            Error::DatabaseDamaged {
                path: path.display().to_string(),
                source,
            }
        }
        _ => Error::Storage { source },
    }
}

/// Runs the missing migrations in one write transaction taken before the version is read, so that
/// the app and the CLI opening a new database at the same moment never both migrate it.
fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    let named = |source: rusqlite::Error| damaged_or_storage(path, source);
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(named)?;
    let current = schema_version_of(&tx).map_err(named)?;
    refuse_newer(path, current)?;
    for sql in MIGRATIONS.iter().skip(current) {
        tx.execute_batch(sql).map_err(named)?;
    }
    if current < MIGRATIONS.len() {
        tx.pragma_update(None, "user_version", MIGRATIONS.len())
            .map_err(named)?;
    }
    tx.commit().map_err(named)?;
    Ok(())
}

fn schema_version_of(conn: &Connection) -> rusqlite::Result<usize> {
    conn.pragma_query_value(None, "user_version", |row| row.get(0))
}

/// The `-wal` and `-shm` files of the database at `path`.
fn companions(path: &Path) -> impl Iterator<Item = PathBuf> + '_ {
    COMPANION_SUFFIXES.iter().map(move |suffix| {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    })
}

/// The way out of a history that cannot be opened (damaged, or written by a newer version): the
/// database and its `-wal` / `-shm` files are renamed to `history.set-aside-<time>.sqlite3` beside
/// it (kept for support and for a newer version, never deleted), so that the next [`open`] starts
/// a new, empty history. Returns the new name, or `None` when there was no database. The caller
/// holds the run lock and has seen [`open`] fail: a history that opens is never moved.
///
/// # Errors
/// When a file cannot be renamed (what was renamed before is renamed back).
pub fn move_aside(path: &Path, at: DateTime<Utc>) -> Result<Option<PathBuf>> {
    if !path.exists() {
        return Ok(None);
    }
    let stem = path.file_stem().unwrap_or_default().to_string_lossy();
    let extension = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    let aside = path.with_file_name(format!(
        "{stem}.set-aside-{}{extension}",
        at.format("%Y%m%d-%H%M%S")
    ));
    let mut moved: Vec<(PathBuf, PathBuf)> = Vec::new();
    let pairs = std::iter::once((path.to_path_buf(), aside.clone()))
        .chain(companions(path).zip(companions(&aside)));
    for (from, to) in pairs {
        if !from.exists() {
            continue;
        }
        if let Err(e) = std::fs::rename(&from, &to) {
            for (back_from, back_to) in moved.iter().rev() {
                let _ = std::fs::rename(back_to, back_from);
            }
            return Err(Error::io("move aside", &from, e));
        }
        moved.push((from, to));
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        private_files::sync_dir(dir).map_err(|e| Error::io("flush", dir, e))?;
    }
    Ok(Some(aside))
}

/// The schema version of an open database.
///
/// # Errors
/// When SQLite fails.
pub fn schema_version(conn: &Connection) -> Result<usize> {
    Ok(schema_version_of(conn)?)
}

/// Timestamps are stored as RFC 3339 UTC text with milliseconds, which sorts like the time.
pub fn ts(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Text as the history keeps it (reasons, timeline entries, run errors): any credential it carries
/// is redacted ([`crate::redaction`]). Secrets live in the OS keyring only, and much of this text
/// comes from the servers, which may quote a request back, its `Authorization` header included.
pub fn kept(text: &str) -> String {
    crate::redaction::patterns().redact(text).0
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
    fn a_credential_a_server_quoted_back_never_reaches_the_history_file() {
        use crate::outcome::{Reason, ReasonCode, TimelineKind, Trigger};
        let secret = "quoted-back-9f3c1e7a";
        crate::redaction::remember(crate::redaction::Role::Other, secret);
        let quoting = format!("refused: Authorization: OAuth oauth_token=\"{secret}\"");
        let dir = tempfile::tempdir().unwrap();
        let conn = open(&dir.path().join("history.sqlite3")).unwrap();
        let now = Utc::now();
        let run = runs::start(&conn, Trigger::Schedule, false, now).unwrap();
        conn.execute(
            "INSERT INTO orders(quipt_id, order_number, state, created_at, updated_at)
             VALUES ('q-1', 'Q-1', 'pending', ?1, ?1)",
            [ts(now)],
        )
        .unwrap();
        orders::update_state(
            &conn,
            "q-1",
            orders::OrderState::Failed,
            Some(&Reason::new(ReasonCode::Rejected, quoting.clone())),
            now,
        )
        .unwrap();
        timeline::append(
            &conn,
            "q-1",
            Some(run),
            TimelineKind::PushFailed,
            &quoting,
            now,
        )
        .unwrap();
        let summary = crate::summary::RunSummary {
            error: Some(quoting.clone()),
            ..Default::default()
        };
        runs::finish(&conn, run, &summary, now).unwrap();
        drop(conn);

        for file in std::fs::read_dir(dir.path()).unwrap() {
            let path = file.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "{} holds the credential a server quoted back",
                path.display()
            );
        }
        let conn = open(&dir.path().join("history.sqlite3")).unwrap();
        let reason: String = conn
            .query_row(
                "SELECT reason FROM orders WHERE quipt_id = 'q-1'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(
            reason.contains(crate::redaction::REDACTED),
            "the rest of the reason is kept: {reason}"
        );
    }

    /// The migrations releases shipped, by SHA-256 of their files: the databases operators have
    /// were built by them, and the fixtures below are built from them, so a shipped migration is
    /// never edited — a change is a new migration.
    const SHIPPED_MIGRATIONS: [&str; 7] = [
        "095dfaab91ef8e156fe5cc2f454dd6de2bc578a63ca4e9db4c8a9d8d4b88b485",
        "97ef1c1b727cec6435da331dcf3c18c001fa6f53b47adc5d94c51c1e687f4e72",
        "57d288f39571993bb29b96d4d437d7992029f40700ebd0a99d2b268d61b26f0d",
        "41778c7a6f99513725a19d66a275625642e323512cccb2ae56fb5cecb484b014",
        "c8822fd754687271a031d3954d3eb4a3cbb7082435e662aec5c99adb620ac42f",
        "d4114d3030b84c6b4d9a114c45bb1bf3a4d261fd234129619d2be9504286997c",
        "efe24a7d6cbb225f153cecabede9354042832cdff376febecc81f8c6c2bd5864",
    ];

    #[test]
    fn a_shipped_migration_is_never_edited() {
        use sha2::{Digest, Sha256};
        assert!(
            MIGRATIONS.len() >= SHIPPED_MIGRATIONS.len(),
            "a shipped migration was removed"
        );
        for (number, (sql, shipped)) in MIGRATIONS.iter().zip(SHIPPED_MIGRATIONS).enumerate() {
            let digest: String = Sha256::digest(sql.as_bytes())
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            assert_eq!(
                digest,
                shipped,
                "migration {} changed after it shipped: add a new migration instead",
                number + 1
            );
        }
    }

    /// The database a build at schema `version` left behind, built from the migration files of that
    /// version (migrations are append-only, so the first `version` of them are that build's), with
    /// a run, an order with a timeline event and a shipment, and a cursor, written with SQL that
    /// every schema since the first accepts.
    fn fixture_at(path: &Path, version: usize, at: DateTime<Utc>) {
        let conn = Connection::open(path).unwrap();
        for sql in &MIGRATIONS[..version] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", version).unwrap();
        let at = ts(at);
        conn.execute_batch(&format!(
            "INSERT INTO runs(id, started_at, finished_at, trigger, dry_run, outcome)
                 VALUES (7, '{at}', '{at}', 'schedule', 0, 'ok');
             INSERT INTO orders(quipt_id, order_number, state, ss_order_id, created_at, updated_at)
                 VALUES ('q-1', 'Q-1001', 'shipped', 501, '{at}', '{at}'),
                        ('q-2', 'Q-1002', 'held', NULL, '{at}', '{at}');
             INSERT INTO events(quipt_id, run_id, at, kind, message)
                 VALUES ('q-1', 7, '{at}', 'pushed', 'created in ShipStation');
             INSERT INTO tracking(external_id, kind, quipt_id, ss_order_id, tracking_number, state,
                                  reported_at, updated_at)
                 VALUES ('ss-shipment-9', 'shipment', 'q-1', 501, '1Z999', 'reported', '{at}', '{at}');
             INSERT INTO cursors(pass, value) VALUES ('orders_out', '{at}');"
        ))
        .unwrap();
    }

    #[test]
    fn a_history_of_every_past_schema_opens_migrated_with_all_its_rows() {
        let at = DateTime::parse_from_rfc3339("2026-11-20T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        for version in 1..=SCHEMA_VERSION {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("history.sqlite3");
            fixture_at(&path, version, at);

            let conn = open(&path).unwrap_or_else(|e| panic!("schema {version} opens: {e}"));
            assert_eq!(
                schema_version(&conn).unwrap(),
                SCHEMA_VERSION,
                "schema {version} is migrated to the current one"
            );
            let run = runs::recent(&conn, 10).unwrap();
            assert_eq!(
                run.iter().map(|r| r.id).collect::<Vec<_>>(),
                [7],
                "schema {version}: the run history survives"
            );
            let shipped = orders::get(&conn, "q-1").unwrap();
            assert_eq!(
                shipped.map(|o| (o.order_number, o.ss_order_id)),
                Some(("Q-1001".to_string(), Some(501))),
                "schema {version}: the order and its ShipStation id survive"
            );
            let counts = orders::count_by_state(&conn).unwrap();
            assert!(
                counts.contains(&(orders::OrderState::Held, 1))
                    && counts.contains(&(orders::OrderState::Shipped, 1)),
                "schema {version}: the dashboard counts the orders it had: {counts:?}"
            );
            assert_eq!(
                timeline::for_order(&conn, "q-1").unwrap().len(),
                1,
                "schema {version}: the timeline survives"
            );
            assert_eq!(
                tracking::for_order(&conn, "q-1")
                    .unwrap()
                    .into_iter()
                    .map(|t| t.external_id)
                    .collect::<Vec<_>>(),
                ["ss-shipment-9"],
                "schema {version}: the reported shipment is still known, so it is not reported again"
            );
            assert_eq!(
                cursors::get(&conn, "orders_out").unwrap().map(ts),
                Some(ts(at)),
                "schema {version}: the cursors survive"
            );
            assert!(
                reconciliations::latest(&conn).unwrap().is_none(),
                "schema {version}: no reconciliation yet, so the daily one is due"
            );
        }
    }

    #[test]
    fn a_history_from_a_newer_version_is_refused_and_left_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.sqlite3");
        fixture_at(&path, SCHEMA_VERSION, Utc::now());
        Connection::open(&path)
            .unwrap()
            .pragma_update(None, "user_version", 999)
            .unwrap();
        let before = std::fs::read(&path).unwrap();

        let err = open(&path).expect_err("a newer history is refused");
        assert!(
            matches!(
                err,
                Error::DatabaseTooNew {
                    found: 999,
                    supported: SCHEMA_VERSION,
                    ..
                }
            ),
            "{err:?}"
        );
        let message = err.to_string();
        for part in [
            "schema version 999".to_string(),
            format!("up to {SCHEMA_VERSION}"),
            path.display().to_string(),
        ] {
            assert!(
                message.contains(&part),
                "the message names {part}: {message}"
            );
        }
        assert_eq!(
            std::fs::read(&path).unwrap(),
            before,
            "nothing is written to a newer version's history"
        );
        assert!(
            !dir.path().join("history.sqlite3-wal").exists(),
            "not even switched to WAL"
        );
    }

    #[test]
    fn a_file_that_is_not_a_database_is_named_with_the_way_out_and_moved_aside_on_request() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.sqlite3");
        let garbage =
            b"this is not a SQLite database, it is a text file copied over it\n".repeat(100);
        std::fs::write(&path, &garbage).unwrap();

        let err = open(&path).expect_err("a damaged history is refused");
        let message = err.to_string();
        assert!(matches!(err, Error::DatabaseDamaged { .. }), "{err:?}");
        assert!(
            message.contains(&path.display().to_string()) && message.contains("start-new-history"),
            "the file and the way out are named: {message}"
        );
        assert_eq!(
            std::fs::read(&path).unwrap(),
            garbage,
            "nothing was changed"
        );

        let at = DateTime::parse_from_rfc3339("2026-11-29T20:25:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let aside = move_aside(&path, at).unwrap().expect("there was a file");
        assert_eq!(
            aside,
            dir.path().join("history.set-aside-20261129-202500.sqlite3")
        );
        assert_eq!(
            std::fs::read(&aside).unwrap(),
            garbage,
            "kept, never deleted"
        );
        let conn = open(&path).expect("a new history starts");
        assert_eq!(schema_version(&conn).unwrap(), SCHEMA_VERSION);
        assert!(
            runs::recent(&conn, 1).unwrap().is_empty(),
            "and it is empty"
        );
    }

    #[test]
    fn moving_aside_takes_the_write_ahead_log_along() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.sqlite3");
        let conn = open(&path).unwrap();
        runs::start(&conn, crate::Trigger::Schedule, false, Utc::now()).unwrap();
        // Another connection keeps the WAL from being checkpointed away, as a killed process would.
        let reader = Connection::open(&path).unwrap();
        reader
            .query_row("SELECT count(*) FROM runs", [], |r| r.get::<_, i64>(0))
            .unwrap();
        assert!(dir.path().join("history.sqlite3-wal").exists());
        drop(conn);
        let aside = move_aside(&path, Utc::now()).unwrap().unwrap();
        let mut wal = aside.as_os_str().to_owned();
        wal.push("-wal");
        assert!(
            PathBuf::from(wal).exists(),
            "the WAL moved with its database"
        );
        assert!(!dir.path().join("history.sqlite3-wal").exists());
        let moved = Connection::open(&aside).unwrap();
        assert_eq!(
            runs::recent(&moved, 10).unwrap().len(),
            1,
            "the moved history still reads its last writes"
        );
    }

    #[test]
    fn no_history_yet_is_nothing_to_move_aside() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            move_aside(&dir.path().join("history.sqlite3"), Utc::now()).unwrap(),
            None
        );
    }

    #[cfg(unix)]
    #[test]
    fn the_history_and_its_directory_are_the_owners_alone() {
        use std::os::unix::fs::PermissionsExt;
        let root = tempfile::tempdir().unwrap();
        let data = root.path().join("data");
        let path = data.join("history.sqlite3");
        let conn = open(&path).unwrap();
        runs::start(&conn, crate::Trigger::Schedule, false, Utc::now()).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&data), 0o700, "the data directory");
        for name in [
            "history.sqlite3",
            "history.sqlite3-wal",
            "history.sqlite3-shm",
        ] {
            assert_eq!(mode(&data.join(name)), 0o600, "{name}");
        }
        drop(conn);
        // A history an older version left readable by everyone is closed down when opened.
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
        drop(open(&path).unwrap());
        assert_eq!((mode(&data), mode(&path)), (0o700, 0o600));
    }
}
