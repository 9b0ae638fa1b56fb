//! One run at a time per data directory, across processes (the app and the CLI together): an OS
//! file lock on `sync.lock`, released when the holder exits, even by `kill -9`.
//!
//! The holder writes who it is into the file (its process id and since when), so a process that
//! finds the lock taken can say whose run it waits for, and, when the wait runs out, give up with
//! an error naming the holder instead of waiting for ever behind a stuck process.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use crate::error::{Error, Result};

/// How long a run waits for another process's run before it gives up: longer than a large first
/// sync takes at ShipStation's and Quipt's rate limits, short enough that a stuck holder is named
/// within the hour.
pub const WAIT: Duration = Duration::from_secs(30 * 60);

/// How often a waiting process tries the lock again.
const POLL: Duration = Duration::from_millis(250);

/// Whether to wait for another process's run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// Fail at once when the lock is held.
    No,
    /// Wait up to this long, then fail naming the holder.
    UpTo(Duration),
}

/// The process that holds (or last held) a run lock, as it wrote itself into the lock file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holder {
    /// Its process id.
    pub pid: u32,
    /// When it took the lock.
    pub since: DateTime<Utc>,
}

impl std::fmt::Display for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "process {} since {}",
            self.pid,
            self.since.format("%Y-%m-%d %H:%M:%S UTC")
        )
    }
}

impl Holder {
    /// The lock file's text: `pid <n> since <RFC 3339>`.
    fn to_line(self) -> String {
        let since = self
            .since
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        format!("pid {} since {since}\n", self.pid)
    }

    /// Reads what [`Holder::to_line`] wrote; `None` for an empty file (an older version's) or
    /// anything else.
    fn parse(text: &str) -> Option<Self> {
        let rest = text.trim().strip_prefix("pid ")?;
        let (pid, since) = rest.split_once(" since ")?;
        Some(Self {
            pid: pid.parse().ok()?,
            since: DateTime::parse_from_rfc3339(since)
                .ok()?
                .with_timezone(&Utc),
        })
    }
}

/// A held run lock; dropping it releases the lock.
#[derive(Debug)]
pub struct RunLock {
    _file: File,
}

impl RunLock {
    /// Takes the lock of `data_dir` at `now`, waiting for another process's run as `wait` says.
    ///
    /// # Errors
    /// [`Error::RunInProgress`], naming the holder, when the lock is held and `wait` is
    /// [`Wait::No`] or ran out; [`Error::Io`] when the lock file cannot be opened.
    pub async fn acquire(data_dir: &Path, wait: Wait, now: DateTime<Utc>) -> Result<Self> {
        crate::private_files::create_dir(data_dir).map_err(|e| Error::io("create", data_dir, e))?;
        let path = data_dir.join("sync.lock");
        let mut options = OpenOptions::new();
        options.create(true).truncate(false).read(true).write(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, crate::private_files::FILE_MODE);
        let mut file = options
            .open(&path)
            .map_err(|e| Error::io("open", &path, e))?;
        let started = Instant::now();
        let mut announced = false;
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(std::fs::TryLockError::WouldBlock) => {}
                Err(std::fs::TryLockError::Error(e)) => return Err(Error::io("lock", &path, e)),
            }
            let holder = holder(&mut file);
            let waited = started.elapsed();
            let limit = match wait {
                Wait::UpTo(limit) if waited < limit => limit,
                _ => {
                    return Err(Error::RunInProgress {
                        data_dir: data_dir.display().to_string(),
                        holder: holder.map(|h| h.to_string()),
                        waited: (wait != Wait::No).then_some(waited),
                    });
                }
            };
            if !announced {
                announced = true;
                let holder =
                    holder.map_or_else(|| "another process".to_string(), |h| h.to_string());
                tracing::info!(data_dir = %data_dir.display(), "waiting for the run of {holder} to end");
            }
            tokio::time::sleep(POLL.min(limit - waited)).await;
        }
        let me = Holder {
            pid: std::process::id(),
            since: now,
        };
        write_holder(&mut file, me).map_err(|e| Error::io("write", &path, e))?;
        Ok(Self { _file: file })
    }
}

/// Who holds the lock, as written in its file.
fn holder(file: &mut File) -> Option<Holder> {
    let mut text = String::new();
    file.rewind().ok()?;
    Read::take(&mut *file, 200).read_to_string(&mut text).ok()?;
    Holder::parse(&text)
}

fn write_holder(file: &mut File, holder: Holder) -> std::io::Result<()> {
    file.set_len(0)?;
    file.rewind()?;
    file.write_all(holder.to_line().as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_holder_written_to_the_lock_file_reads_back_and_anything_else_is_no_holder() {
        let holder = Holder {
            pid: 4242,
            since: DateTime::parse_from_rfc3339("2026-11-29T22:41:03.000Z")
                .unwrap()
                .with_timezone(&Utc),
        };
        assert_eq!(Holder::parse(&holder.to_line()), Some(holder));
        assert_eq!(
            holder.to_string(),
            "process 4242 since 2026-11-29 22:41:03 UTC"
        );
        for text in ["", "garbage", "pid x since 2026", "pid 12 since yesterday"] {
            assert_eq!(Holder::parse(text), None, "{text:?} names no holder");
        }
    }
}
