//! One run at a time in this process: a second request while a run is going joins it and gets its
//! summary (Sync now during a scheduled run), and across processes the run lock of the data
//! directory ([`crate::run_lock`]) makes it wait (up to [`run_lock::WAIT`], then it fails naming
//! the holder). Before each run the settings file is read again
//! when the engine was opened from it, so an edit (or the app's Settings) takes effect on the next
//! run; after each run the health is published when it changed.

use std::path::PathBuf;
use std::sync::Mutex;

use tokio::sync::watch;

use crate::error::Result;
use crate::events::SyncEvent;
use crate::health::Health;
use crate::settings::Paths;
use crate::summary::RunSummary;
use crate::sync::{self, Context, RunOptions};
use crate::{history, run_lock};

/// The gate, the settings file to read before each run (when the engine was opened from it), and
/// the health last published.
#[derive(Debug, Default)]
pub(crate) struct RunGate {
    running: tokio::sync::Mutex<()>,
    ended: Ended,
    published: Mutex<Option<Health>>,
    pub settings_file: Option<PathBuf>,
}

/// How many runs of this gate have ended, and the summary of the last one (`None` when it ended
/// without one: the run lock not had in time, the history not written, a panic). Sent on every way
/// out of a run, so a request that joined it never mistakes a later run's summary for it.
#[derive(Debug, Default)]
struct Ended(watch::Sender<(u64, Option<RunSummary>)>);

/// Marks the run ended when dropped, with the summary it was given, if any.
struct Ending<'a> {
    ended: &'a Ended,
    summary: Option<RunSummary>,
}

impl Drop for Ending<'_> {
    fn drop(&mut self) {
        let summary = self.summary.take();
        self.ended.0.send_modify(|(count, last)| {
            *count += 1;
            *last = summary;
        });
    }
}

impl RunGate {
    /// Runs one sync, or joins the one running in this process and gets its summary. A joined run
    /// that ended without a summary, or a dry run when a real one was asked for, is followed by a
    /// run of its own.
    ///
    /// # Errors
    /// Only when the history cannot be written or the lock file opened; a failed run is a summary
    /// with outcome failed.
    pub async fn sync(
        &self,
        ctx: &Context,
        paths: &Paths,
        options: RunOptions,
    ) -> Result<RunSummary> {
        let mut ended = self.ended.0.subscribe();
        let before = ended.borrow().0;
        let guard = match self.running.try_lock() {
            Ok(guard) => guard,
            Err(_) => {
                let joined = ended
                    .wait_for(|(count, _)| *count != before)
                    .await
                    .ok()
                    .and_then(|last| last.1.clone());
                match joined {
                    Some(summary) if !summary.dry_run || options.dry_run => return Ok(summary),
                    _ => self.running.lock().await,
                }
            }
        };
        let mut ending = Ending {
            ended: &self.ended,
            summary: None,
        };
        let wait = run_lock::Wait::UpTo(run_lock::WAIT);
        let _lock = run_lock::RunLock::acquire(&paths.data_dir, wait, ctx.now()).await?;
        let warnings = match &self.settings_file {
            Some(file) => ctx.reload_settings(file),
            None => Vec::new(),
        };
        let summary = sync::run_once(ctx, options, warnings).await?;
        ending.summary = Some(summary.clone());
        drop(ending);
        drop(guard);
        self.publish_health(ctx)?;
        Ok(summary)
    }

    /// Emits `HealthChanged` when the health differs from the one last published, and returns it.
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn publish_health(&self, ctx: &Context) -> Result<Health> {
        let now = history::health(&ctx.reader(), ctx.now(), &ctx.schedule())?.health;
        let mut last = self.published.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(before) = *last
            && before != now
        {
            ctx.events.send(SyncEvent::HealthChanged {
                from: before,
                to: now,
            });
        }
        *last = Some(now);
        Ok(now)
    }
}
