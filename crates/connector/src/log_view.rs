//! The app's log view: the newest lines of the daily log files written by [`crate::logging`],
//! parsed into time, level, target and message, newest first, filtered by level.
//!
//! Why read the files rather than keep lines in memory: the view must show what support will get
//! in the diagnostics bundle, including what the CLI and earlier sessions of the app wrote, and a
//! window opened after a night of scheduled runs must still see them.
//!
//! Every message is redacted again as it is read ([`crate::redaction`]): a line an older version
//! or another process wrote before this process knew a credential shows `<redacted>` in its place.

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::logging;
use crate::redaction;

/// How much of the end of each file is read: thousands of lines, while a file grown large on a
/// `debug` day is not read whole on every refresh.
const TAIL_BYTES: u64 = 4 * 1024 * 1024;

/// The most lines one request may ask for.
pub const MAX_LINES: u32 = 2_000;

/// A log line's level, least severe first (so `>=` filters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum LogLevel {
    /// Finest detail.
    Trace,
    /// Diagnostic detail (progress, each HTTP answer).
    Debug,
    /// Runs starting and finishing, health changes.
    Info,
    /// Held orders, retries, runs needing attention.
    Warn,
    /// Failed runs.
    Error,
}

impl LogLevel {
    fn parse(word: &str) -> Option<Self> {
        Some(match word {
            "TRACE" => LogLevel::Trace,
            "DEBUG" => LogLevel::Debug,
            "INFO" => LogLevel::Info,
            "WARN" => LogLevel::Warn,
            "ERROR" => LogLevel::Error,
            _ => return None,
        })
    }
}

/// One logged event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct LogLine {
    /// When, as written (RFC 3339, UTC).
    pub at: String,
    /// Its level.
    pub level: LogLevel,
    /// The module that logged it (`connector::events`, `shipstation::client`, …).
    pub target: String,
    /// The message and its fields; lines of a multi-line message joined with `\n`.
    pub message: String,
}

/// What the log view shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct LogTail {
    /// The log directory, for the operator who wants the files themselves.
    pub dir: PathBuf,
    /// How many log files the directory holds.
    pub files: usize,
    /// The newest lines at or above the level asked for, newest first.
    pub lines: Vec<LogLine>,
}

/// The newest `limit` (at most [`MAX_LINES`]) lines at `min_level` or above, from the newest files
/// of `dir` back. A directory that does not exist yet is an empty view, not an error.
///
/// # Errors
/// [`Error::Io`] when the directory or a file cannot be read.
pub fn recent(dir: &Path, min_level: LogLevel, limit: u32) -> Result<LogTail> {
    let limit = limit.min(MAX_LINES) as usize;
    let files = match logging::log_files(dir) {
        Ok(files) => files,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(Error::io("list", dir, e)),
    };
    let patterns = redaction::patterns();
    let mut lines = Vec::new();
    for file in files.iter().rev() {
        if lines.len() >= limit {
            break;
        }
        let text = tail(file).map_err(|e| Error::io("read", file, e))?;
        lines.extend(
            newest_first(&text)
                .into_iter()
                .filter(|l| l.level >= min_level)
                .take(limit - lines.len())
                .map(|mut line| {
                    line.message = patterns.redact(&line.message).0;
                    line
                }),
        );
    }
    Ok(LogTail {
        dir: dir.to_path_buf(),
        files: files.len(),
        lines,
    })
}

/// The last [`TAIL_BYTES`] of a file, starting at a line boundary.
fn tail(file: &Path) -> std::io::Result<String> {
    let mut f = std::fs::File::open(file)?;
    let len = f.metadata()?.len();
    let start = len.saturating_sub(TAIL_BYTES);
    f.seek(SeekFrom::Start(start))?;
    let mut bytes = Vec::with_capacity((len - start) as usize);
    f.read_to_end(&mut bytes)?;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    Ok(if start > 0 {
        // The first line was cut by the seek.
        text.split_once('\n')
            .map(|(_, rest)| rest.to_string())
            .unwrap_or_default()
    } else {
        text
    })
}

/// Parses a file's text into events, newest first. A line that does not start with a timestamp and
/// a level continues the message above it (a multi-line error).
pub fn newest_first(text: &str) -> Vec<LogLine> {
    let mut events: Vec<LogLine> = Vec::new();
    for line in text.lines() {
        match parse_line(line) {
            Some(event) => events.push(event),
            None if line.trim().is_empty() => {}
            None => {
                // Before the first event: the rest of an event cut off by the tail, not shown half.
                if let Some(last) = events.last_mut() {
                    last.message.push('\n');
                    last.message.push_str(line);
                }
            }
        }
    }
    events.reverse();
    events
}

/// One line as `tracing_subscriber::fmt` writes it without colour:
/// `2026-11-25T18:49:27.123456Z  INFO connector::events: sync run started run_id=1`.
pub fn parse_line(line: &str) -> Option<LogLine> {
    let (at, rest) = line.split_once(' ')?;
    chrono::DateTime::parse_from_rfc3339(at).ok()?;
    let rest = rest.trim_start();
    let (level, rest) = rest.split_once(' ').unwrap_or((rest, ""));
    let level = LogLevel::parse(level)?;
    let rest = rest.trim_start();
    let (target, message) = match rest.split_once(": ") {
        Some((target, message)) if !target.contains(' ') => (target, message),
        _ => ("", rest),
    };
    Some(LogLine {
        at: at.to_string(),
        level,
        target: target.to_string(),
        message: message.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "\
2026-11-25T18:00:00.000001Z  INFO connector::events: sync run started run_id=1 dry_run=false
2026-11-25T18:00:01.000001Z  WARN connector::events: order held: the ship-to address has no country order=Q-1005
2026-11-25T18:00:02.000001Z ERROR connector::events: sync run 1 finished: failed: ShipStation refused the key
  caused by: 401 Unauthorized
2026-11-25T18:00:03.000001Z DEBUG connector::events: progress pass=\"orders_out\" done=1 total=2
";

    #[test]
    fn a_line_is_split_into_time_level_target_and_message() {
        let line = parse_line(FILE.lines().nth(1).unwrap()).expect("a log line");
        assert_eq!(line.at, "2026-11-25T18:00:01.000001Z");
        assert_eq!(line.level, LogLevel::Warn);
        assert_eq!(line.target, "connector::events");
        assert_eq!(
            line.message,
            "order held: the ship-to address has no country order=Q-1005"
        );
    }

    #[test]
    fn newest_comes_first_and_a_continuation_stays_with_its_event() {
        let lines = newest_first(FILE);
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[0].level, LogLevel::Debug, "the last line is first");
        assert_eq!(
            lines[1].message,
            "sync run 1 finished: failed: ShipStation refused the key\n  caused by: 401 Unauthorized"
        );
    }

    #[test]
    fn text_without_a_timestamp_and_level_is_not_an_event() {
        assert_eq!(parse_line("  caused by: 401 Unauthorized"), None);
        assert_eq!(parse_line("2026-11-25T18:00:00Z LOUD something"), None);
        assert_eq!(parse_line(""), None);
    }

    #[test]
    fn the_view_reads_back_through_older_files_and_filters_by_level() {
        let dir = tempfile::tempdir().unwrap();
        let name = |day: &str| format!("quipt-shipstation.{day}.log");
        std::fs::write(
            dir.path().join(name("2026-11-24")),
            "2026-11-24T09:00:00Z  WARN shipstation::client: shipstation: retrying\n",
        )
        .unwrap();
        std::fs::write(dir.path().join(name("2026-11-25")), FILE).unwrap();
        std::fs::write(dir.path().join("notes.txt"), "not a log").unwrap();

        let all = recent(dir.path(), LogLevel::Trace, 100).unwrap();
        assert_eq!(all.files, 2);
        assert_eq!(all.lines.len(), 5, "every event of both files");
        assert_eq!(all.lines[4].target, "shipstation::client", "oldest last");

        let warnings = recent(dir.path(), LogLevel::Warn, 2).unwrap();
        let levels: Vec<LogLevel> = warnings.lines.iter().map(|l| l.level).collect();
        assert_eq!(levels, [LogLevel::Error, LogLevel::Warn], "the newest two");

        let older = recent(dir.path(), LogLevel::Warn, 3).unwrap();
        assert!(
            older.lines[2].at.starts_with("2026-11-24"),
            "the third warning comes from yesterday's file"
        );
    }

    #[test]
    fn a_credential_written_before_it_was_known_is_redacted_in_the_view() {
        let dir = tempfile::tempdir().unwrap();
        let token = format!("oauth-token-{}", std::process::id());
        std::fs::write(
            dir.path().join("quipt-shipstation.2026-11-25.log"),
            format!("2026-11-25T18:00:00Z  WARN quipt::client: retrying oauth_token=\"{token}\"\n"),
        )
        .unwrap();
        crate::redaction::remember(crate::redaction::Role::Other, &token);
        let view = recent(dir.path(), LogLevel::Info, 10).unwrap();
        assert_eq!(
            view.lines[0].message, "retrying oauth_token=\"<redacted>\"",
            "the Logs view never shows a credential the app has loaded"
        );
    }

    #[test]
    fn no_log_directory_yet_is_an_empty_view() {
        let dir = tempfile::tempdir().unwrap();
        let view = recent(&dir.path().join("logs"), LogLevel::Info, 10).unwrap();
        assert_eq!((view.files, view.lines.len()), (0, 0));
    }

    #[test]
    fn a_tail_cut_mid_line_starts_at_the_next_line() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("quipt-shipstation.2026-11-25.log");
        let filler = "2026-11-25T18:00:00Z  INFO x: filler line\n";
        let text = filler.repeat((TAIL_BYTES as usize / filler.len()) + 10);
        std::fs::write(&file, &text).unwrap();
        let read = tail(&file).unwrap();
        assert!(read.len() as u64 <= TAIL_BYTES);
        assert!(
            read.lines().all(|l| parse_line(l).is_some()),
            "no half line"
        );
    }
}
