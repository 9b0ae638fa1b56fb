//! Log files for support: one file per day in the log directory, the last [`KEEP_LOG_FILES`]
//! kept, plus warnings on stderr. The CLI calls [`init`] first thing; the desktop shell does the
//! same.
//!
//! The engine never logs a secret (every credential is a [`crate::credentials::Secret`] whose
//! `Debug` is `<redacted>`). As a second fence, both writers replace the credential values
//! found in the environment (and the shipped OAuth consumer) with `<redacted>` before a line
//! is written. The keyring is not read here: reading it at every start could prompt the
//! operator to unlock it. [`crate::diagnostics`] scans again, with the keyring, before anything
//! leaves the machine.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tracing_appender::non_blocking::{NonBlockingBuilder, WorkerGuard};
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

use crate::error::{Error, Result};
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
/// What replaces a secret value.
pub const REDACTED: &str = "<redacted>";

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
    let secrets = known_secrets();
    let (writer, worker) = NonBlockingBuilder::default()
        // Blocking when the buffer is full beats silently losing the line support needs.
        .lossy(false)
        .thread_name("quipt-shipstation-log")
        .finish(appender);
    let file = tracing_subscriber::fmt::layer()
        .with_ansi(false)
        .with_writer(Redacting::new(writer, secrets.clone()))
        .with_filter(file_filter);
    let stderr = tracing_subscriber::fmt::layer()
        .with_writer(Redacting::new(std::io::stderr, secrets))
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
/// alone, with a warning saying why: a program that cannot log must still run. Keep the returned
/// guard until the process ends (`None`: no file is written).
pub fn init_default(paths: &Paths) -> Option<LogGuard> {
    let file_level = std::env::var(STDERR_FILTER_ENV).unwrap_or_else(|_| "info".into());
    match init(&log_dir(paths), &file_level) {
        Ok(guard) => Some(guard),
        Err(e) => {
            let stderr = EnvFilter::try_from_env(STDERR_FILTER_ENV)
                .unwrap_or_else(|_| EnvFilter::new("warn"));
            let _ = tracing_subscriber::fmt()
                .with_env_filter(stderr)
                .with_writer(std::io::stderr)
                .try_init();
            tracing::warn!("no log file: {e}");
            None
        }
    }
}

/// The daily appender with its retention: older files beyond [`KEEP_LOG_FILES`] are deleted when
/// it opens and at each day's rollover.
fn appender(log_dir: &Path) -> Result<RollingFileAppender> {
    std::fs::create_dir_all(log_dir).map_err(|e| Error::io("create", log_dir, e))?;
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

/// The credential values the logger can know without touching the keyring: see
/// [`environment_secrets`], plus the OAuth consumer a release build ships with.
fn known_secrets() -> Vec<String> {
    let shipped = [
        option_env!("QUIPT_SHIPPED_CONSUMER_KEY"),
        option_env!("QUIPT_SHIPPED_CONSUMER_SECRET"),
    ];
    let mut secrets = environment_secrets();
    secrets.extend(shipped.into_iter().flatten().map(str::to_string));
    secrets
}

/// The values of `QUIPT_*` and `SHIPSTATION_*` environment variables that hold a credential: the
/// six of SPEC §3, and any other whose name says secret, token, key or password (a build variable
/// or a test's password left in the environment).
pub(crate) fn environment_secrets() -> Vec<String> {
    std::env::vars_os()
        .filter_map(|(name, value)| Some((name.into_string().ok()?, value.into_string().ok()?)))
        .filter(|(name, value)| {
            (name.starts_with("QUIPT_") || name.starts_with("SHIPSTATION_"))
                && !value.is_empty()
                && looks_secret(name)
        })
        .map(|(_, value)| value)
        .collect()
}

/// Whether a setting or variable name says it holds a secret. `key` also matches store and
/// warehouse IDs' neighbours by accident; callers list their known non-secret names.
pub fn looks_secret(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["secret", "token", "key", "password", "passwd", "credential"]
        .iter()
        .any(|word| name.contains(word))
}

/// Replaces every occurrence of each secret in `text` with [`REDACTED`], longest secret first (so
/// a key that is a prefix of its secret does not leave the secret's tail behind); returns the text
/// and how many occurrences were replaced. Values shorter than [`MIN_SECRET_LEN`] are ignored:
/// replacing every `a` in a file would destroy it and hide nothing.
pub fn redact(text: &str, secrets: &[impl AsRef<str>]) -> (String, usize) {
    let mut secrets: Vec<&str> = secrets
        .iter()
        .map(AsRef::as_ref)
        .filter(|s| s.len() >= MIN_SECRET_LEN)
        .collect();
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    secrets.dedup();
    let mut text = text.to_string();
    let mut replaced = 0;
    for secret in secrets {
        let n = text.matches(secret).count();
        if n > 0 {
            replaced += n;
            text = text.replace(secret, REDACTED);
        }
    }
    (text, replaced)
}

/// Shorter values are not treated as secrets by [`redact`].
pub const MIN_SECRET_LEN: usize = 4;

/// A `MakeWriter` whose lines pass through [`redact`]. The fmt layer writes each event with one
/// `write_all`, so a secret is never split across two writes.
struct Redacting<M> {
    inner: M,
    secrets: Arc<Vec<String>>,
}

impl<M> Redacting<M> {
    fn new(inner: M, secrets: Vec<String>) -> Self {
        Self {
            inner,
            secrets: Arc::new(secrets),
        }
    }
}

impl<'a, M: MakeWriter<'a>> MakeWriter<'a> for Redacting<M> {
    type Writer = RedactingWriter<M::Writer>;

    fn make_writer(&'a self) -> Self::Writer {
        RedactingWriter {
            inner: self.inner.make_writer(),
            secrets: Arc::clone(&self.secrets),
        }
    }
}

/// One event's writer for [`Redacting`].
struct RedactingWriter<W> {
    inner: W,
    secrets: Arc<Vec<String>>,
}

impl<W: Write> Write for RedactingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.secrets.is_empty() {
            return self.inner.write(buf);
        }
        let text = String::from_utf8_lossy(buf);
        let (clean, _) = redact(&text, &self.secrets);
        self.inner.write_all(clean.as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_that_prefixes_its_secret_leaves_no_tail_of_the_secret() {
        let (text, n) = redact(
            "key=demo-consumer secret=demo-consumer-secret",
            &["demo-consumer", "demo-consumer-secret"],
        );
        assert_eq!(text, "key=<redacted> secret=<redacted>");
        assert_eq!(n, 2, "both occurrences are counted");
    }

    #[test]
    fn values_too_short_to_be_credentials_are_left_alone() {
        let (text, n) = redact("a bag of apples", &["a", ""]);
        assert_eq!(
            text, "a bag of apples",
            "a one-letter value would destroy the file"
        );
        assert_eq!(n, 0);
    }

    #[test]
    fn the_file_writer_redacts_a_line_before_it_reaches_the_disk() {
        let mut out = Vec::new();
        {
            let mut writer = RedactingWriter {
                inner: &mut out,
                secrets: Arc::new(vec!["s3cr3t-value".to_string()]),
            };
            writer.write_all(b"calling with s3cr3t-value\n").unwrap();
        }
        assert_eq!(String::from_utf8(out).unwrap(), "calling with <redacted>\n");
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
