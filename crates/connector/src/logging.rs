//! Log files for support: one file per day in the log directory, the last [`KEEP_LOG_FILES`]
//! kept, plus warnings on stderr. The CLI calls [`init`] first thing; the desktop shell does the
//! same.
//!
//! The engine never logs a secret (every credential is a [`crate::credentials::Secret`] whose
//! `Debug` is `<redacted>`). As a second fence, both writers pass each line through
//! [`crate::redaction`]: every credential value this process has loaded (environment, keyring,
//! shipped consumer) or received (OAuth, the wizard), in its plain, percent-encoded and Basic-auth
//! forms, becomes `<redacted>` before the line is written. The keyring is not read here: reading
//! it at every start could prompt the operator to unlock it; its values are redacted from the
//! moment the engine loads them. [`crate::diagnostics`] scans again, with the keyring, before
//! anything leaves the machine.
//!
//! The files are the owner's alone: the directory is `0700`, each file `0600` (see
//! [`crate::private_files`]). Every line is plain text, on stderr too: no colour codes, and a
//! server's text in it has its control characters shown, not obeyed ([`crate::shown::log_line`]).

use std::io::Write;
use std::path::{Path, PathBuf};

use tracing_appender::non_blocking::{NonBlockingBuilder, WorkerGuard};
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

use crate::error::{Error, Result};
use crate::private_files;
use crate::redaction;
use crate::settings::Paths;

/// Log files are named `quipt-shipstation.YYYY-MM-DD.log`.
pub const LOG_FILE_PREFIX: &str = "quipt-shipstation";
/// The log files' extension.
pub const LOG_FILE_SUFFIX: &str = "log";
/// How many daily files are kept: two weeks is enough to look back past a weekend and a holiday.
pub const KEEP_LOG_FILES: usize = 14;
/// The environment variable with the stderr filter (`warn` when unset), e.g. `debug` or
/// `connector=debug`.
pub const STDERR_FILTER_ENV: &str = "QUIPT_SHIPSTATION_LOG";
/// Events with this target go to the file only: for a message the caller also prints itself.
pub const FILE_ONLY: &str = "file_only";

/// Keeps the file writer's background thread alive; dropping it flushes the last lines. Hold it
/// until the process ends.
#[derive(Debug)]
#[must_use = "dropping the guard stops writing the log file"]
pub struct LogGuard {
    _worker: WorkerGuard,
    dir: PathBuf,
}

impl LogGuard {
    /// The directory the log files are written to.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

/// Where the log files of this data directory live: `<data-dir>/logs` when the data directory was
/// chosen (`--data-dir`, `QUIPT_SHIPSTATION_DATA_DIR`), otherwise the platform's local data
/// directory (`~/.local/share/quipt-shipstation/logs` on Linux, `%LOCALAPPDATA%` on Windows, so
/// logs do not roam with the profile).
pub fn log_dir(paths: &Paths) -> PathBuf {
    let dirs = directories::ProjectDirs::from("com", "Quipt", "quipt-shipstation");
    match dirs {
        Some(d) if d.data_dir() == paths.data_dir => d.data_local_dir().join("logs"),
        _ => paths.data_dir.join("logs"),
    }
}

/// Installs the process's logger: daily files in `log_dir` filtered by `level` (an `EnvFilter`
/// directive such as `info` or `info,connector=debug`), and stderr filtered by
/// [`STDERR_FILTER_ENV`] or `warn`.
///
/// # Errors
/// [`Error::Io`] when the directory cannot be created or written, when `level` is not a valid
/// filter, or when a logger is already installed in this process. Nothing is installed then, so the
/// caller can fall back to stderr alone.
pub fn init(log_dir: &Path, level: &str) -> Result<LogGuard> {
    let file_filter = EnvFilter::try_new(level)
        .map_err(|e| Error::io("parse the log level for", log_dir, std::io::Error::other(e)))?;
    let stderr_filter = EnvFilter::try_from_env(STDERR_FILTER_ENV)
        .unwrap_or_else(|_| EnvFilter::new("warn"))
        .add_directive(
            format!("{FILE_ONLY}=off")
                .parse()
                .expect("a valid directive"),
        );
    let appender = appender(log_dir)?;
    let (writer, worker) = NonBlockingBuilder::default()
        // Blocking when the buffer is full beats silently losing the line support needs.
        .lossy(false)
        .thread_name("quipt-shipstation-log")
        .finish(appender);
    let file = tracing_subscriber::fmt::layer()
        .with_ansi(false)
        .with_writer(Redacting(writer))
        .with_filter(file_filter);
    let stderr = tracing_subscriber::fmt::layer()
        .with_ansi(false)
        .with_writer(Redacting(std::io::stderr))
        .with_filter(stderr_filter);
    tracing_subscriber::registry()
        .with(file)
        .with(stderr)
        .try_init()
        .map_err(|e| Error::io("install the logger for", log_dir, std::io::Error::other(e)))?;
    Ok(LogGuard {
        _worker: worker,
        dir: log_dir.to_path_buf(),
    })
}

/// The logger as the CLI and the app install it: daily files in [`log_dir`] at `info` (or the filter
/// in [`STDERR_FILTER_ENV`]) and warnings on stderr. When the directory cannot be written, stderr
/// alone, with a warning saying why: a program that cannot log must still run. A panic is logged
/// like any error ([`crate::panics::install_hook`]). Keep the returned
/// guard until the process ends (`None`: no file is written).
pub fn init_default(paths: &Paths) -> Option<LogGuard> {
    crate::panics::install_hook();
    let file_level = std::env::var(STDERR_FILTER_ENV).unwrap_or_else(|_| "info".into());
    match init(&log_dir(paths), &file_level) {
        Ok(guard) => Some(guard),
        Err(e) => {
            let stderr = EnvFilter::try_from_env(STDERR_FILTER_ENV)
                .unwrap_or_else(|_| EnvFilter::new("warn"));
            let _ = tracing_subscriber::fmt()
                .with_env_filter(stderr)
                .with_ansi(false)
                .with_writer(Redacting(std::io::stderr))
                .try_init();
            tracing::warn!("no log file: {e}");
            None
        }
    }
}

/// The daily appender with its retention: older files beyond [`KEEP_LOG_FILES`] are deleted when
/// it opens and at each day's rollover.
///
/// The appender creates each day's file itself and cannot be given a mode, so the process's file
/// mode mask is made owner-only first ([`private_files::owner_only_from_now_on`]); files an older
/// version left readable by others are closed down here.
fn appender(log_dir: &Path) -> Result<RollingFileAppender> {
    private_files::owner_only_from_now_on();
    private_files::create_dir(log_dir).map_err(|e| Error::io("create", log_dir, e))?;
    if let Ok(files) = log_files(log_dir) {
        for file in files {
            private_files::restrict(&file).map_err(|e| Error::io("restrict", &file, e))?;
        }
    }
    RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix(LOG_FILE_PREFIX)
        .filename_suffix(LOG_FILE_SUFFIX)
        .max_log_files(KEEP_LOG_FILES)
        .build(log_dir)
        .map_err(|e| Error::io("open a log file in", log_dir, std::io::Error::other(e)))
}

/// Whether `name` is one of our log files (and not, say, a diagnostics archive saved beside them).
pub fn is_log_file(name: &str) -> bool {
    name.starts_with(LOG_FILE_PREFIX) && name.ends_with(&format!(".{LOG_FILE_SUFFIX}"))
}

/// Our log files in `dir`, oldest first (the names sort by date).
///
/// # Errors
/// When `dir` cannot be listed (`NotFound` when nothing was logged there yet).
pub fn log_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
        .filter(|entry| is_log_file(&entry.file_name().to_string_lossy()))
        .map(|entry| entry.path())
        .collect();
    files.sort();
    Ok(files)
}

/// A `MakeWriter` whose lines pass through [`redaction::patterns`], read at each event so a value
/// remembered after the logger started is redacted from then on, and then [`crate::shown::log_line`]:
/// a server's text in an event (an order number, an error message) cannot drive the terminal that
/// shows stderr or the log, nor forge a line of its own. The fmt layer writes each event with one
/// `write_all`, so a secret is never split across two writes; it writes no colour either (its
/// escape codes would be shown as text).
struct Redacting<M>(M);

impl<'a, M: MakeWriter<'a>> MakeWriter<'a> for Redacting<M> {
    type Writer = RedactingWriter<M::Writer>;

    fn make_writer(&'a self) -> Self::Writer {
        RedactingWriter(self.0.make_writer())
    }
}

/// One event's writer for [`Redacting`].
struct RedactingWriter<W>(W);

impl<W: Write> Write for RedactingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        let (clean, _) = redaction::patterns().redact(&text);
        self.0
            .write_all(crate::shown::log_line(&clean).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_writer_redacts_a_value_remembered_after_the_logger_started() {
        let value = format!("s3cr3t-value-{}", std::process::id());
        let mut out = Vec::new();
        {
            let mut writer = RedactingWriter(&mut out);
            writer.write_all(b"before anything is known\n").unwrap();
            crate::redaction::remember(crate::redaction::Role::Other, &value);
            writer
                .write_all(format!("calling with {value}\n").as_bytes())
                .unwrap();
        }
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "before anything is known\ncalling with <redacted>\n"
        );
    }

    #[cfg(unix)]
    #[test]
    fn the_log_directory_and_its_files_are_the_owners_alone() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let logs = dir.path().join("logs");
        std::fs::create_dir(&logs).unwrap();
        std::fs::set_permissions(&logs, std::fs::Permissions::from_mode(0o755)).unwrap();
        let old = logs.join(format!("{LOG_FILE_PREFIX}.2020-01-01.{LOG_FILE_SUFFIX}"));
        std::fs::write(&old, "old line\n").unwrap();
        std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o644)).unwrap();
        let mut appender = appender(&logs).expect("the appender opens");
        appender.write_all(b"today\n").unwrap();
        appender.flush().unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&logs), 0o700, "the log directory is closed to others");
        for file in log_files(&logs).unwrap() {
            assert_eq!(
                mode(&file),
                0o600,
                "{} is readable by its owner only",
                file.display()
            );
        }
        assert_eq!(
            log_files(&logs).unwrap().len(),
            2,
            "today's file was written too"
        );
    }

    #[test]
    fn only_the_newest_fourteen_daily_files_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        for day in 1..=20 {
            let name = format!("{LOG_FILE_PREFIX}.2020-01-{day:02}.{LOG_FILE_SUFFIX}");
            std::fs::write(dir.path().join(name), "old line\n").unwrap();
        }
        std::fs::write(dir.path().join("diagnostics.zip"), "not a log").unwrap();
        let _appender = appender(dir.path()).expect("the appender opens");
        let logs: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| is_log_file(n))
            .collect();
        assert_eq!(
            logs.len(),
            KEEP_LOG_FILES,
            "13 old files and today's remain: {logs:?}"
        );
        assert!(
            dir.path().join("diagnostics.zip").exists(),
            "files that are not logs are never deleted"
        );
    }

    #[test]
    fn an_explicit_data_directory_keeps_its_logs_inside_it() {
        let paths = Paths {
            config_file: PathBuf::from("/tmp/x/settings.toml"),
            data_dir: PathBuf::from("/srv/quipt"),
        };
        assert_eq!(log_dir(&paths), PathBuf::from("/srv/quipt/logs"));
    }
}
