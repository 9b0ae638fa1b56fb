//! A sync run: the passes of SPEC §2 in order, each reading from its cursor with an overlap window,
//! de-duplicating by id, and advancing its cursor only in the transaction that commits its results.
//!
//! Each pass plans without I/O where the decision is non-trivial ([`orders_out::plan`]) and applies
//! the plan at the edges. Effects are safe to repeat after a crash: ShipStation upserts by the
//! deterministic `orderKey`, Quipt ignores a shipment whose `ExternalId` it has, and a cancellation
//! re-checks the Quipt order before acting again.

pub mod acknowledgements;
pub mod cancellations;
pub(crate) mod cursor;
pub mod daily;
pub mod orders_out;
pub mod reference;
pub mod retry;
pub mod tracking_back;

use std::collections::HashSet;
use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::Instant;

use chrono::{DateTime, Utc};
use futures::FutureExt;
use rusqlite::Connection;

use crate::clock::{ClientClock, Clock};
use crate::error::Result;
use crate::events::{Events, Pass, SyncEvent};
use crate::outcome::{Reason, ReasonCode, RunOutcome, TimelineKind, Trigger};
use crate::settings::{ScheduleSettings, Settings};
use crate::store::{self, orders::Change, orders::OrderState, orders::Seen};
use crate::summary::RunSummary;

/// How far back each pass re-reads before its cursor, against clock skew and late writes.
pub const OVERLAP: chrono::Duration = chrono::Duration::minutes(5);

/// Where a ShipStation pass starts reading: its cursor minus the overlap, or, on the first run, this
/// run's start minus the overlap. Everything of ours in ShipStation was pushed by a run, so history
/// from before the first run (an account's years of labels) is never read.
pub(crate) fn since(cursor: Option<DateTime<Utc>>, run: &Run<'_>) -> DateTime<Utc> {
    overlapped(cursor.unwrap_or(run.started_at))
}

/// `at` minus [`OVERLAP`]; a cursor a server's earliest possible date put at chrono's minimum
/// stays there instead of overflowing.
pub(crate) fn overlapped(at: DateTime<Utc>) -> DateTime<Utc> {
    at.checked_sub_signed(OVERLAP)
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// Options of one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunOptions {
    /// Compute everything, write nothing to either API or to the history.
    pub dry_run: bool,
    /// What started it.
    pub trigger: Trigger,
    /// Refresh the reference data even if the cache is fresh.
    pub refresh_reference: bool,
}

/// What a run works with: the settings, both clients, the history, the clock and the event channel.
#[derive(Debug)]
pub struct Context {
    /// The operator's settings; a run works with the ones it started with.
    pub settings: RwLock<Arc<Settings>>,
    /// ShipStation.
    pub shipstation: shipstation::Client,
    /// Quipt.
    pub quipt: quipt::Client,
    /// The history database, for the runs and every write.
    pub db: Mutex<Connection>,
    /// A read-only connection of its own for the dashboard's and the history view's questions,
    /// so they are answered while a run holds `db` ([`store::open_read_only`]).
    pub reader: Mutex<Connection>,
    /// Progress and results.
    pub events: Events,
    /// The engine's one clock.
    pub clock: Arc<dyn Clock>,
    /// The schedule running in this process, if one does ([`Context::schedule`]).
    pub running_schedule: RwLock<Option<ScheduleSettings>>,
}

impl Context {
    /// Opens the history at `database` and builds both clients for the services at `endpoints`
    /// with `credentials`, on `clock` (engine and clients alike, see [`crate::clock`]), or with
    /// `None` on the system clock, the clients on their own.
    ///
    /// # Errors
    /// When the database cannot be opened or an address is unusable.
    pub fn open(
        settings: Settings,
        endpoints: &crate::Endpoints,
        credentials: &crate::credentials::Credentials,
        database: &Path,
        clock: Option<Arc<dyn Clock>>,
    ) -> Result<Self> {
        let clients = clock.clone().map(ClientClock::new);
        Ok(Self {
            quipt: crate::endpoints::quipt_client_on(endpoints, credentials, clients.as_ref())?,
            shipstation: crate::endpoints::shipstation_client_on(
                endpoints,
                credentials,
                clients.as_ref(),
            )?,
            settings: RwLock::new(Arc::new(settings)),
            db: Mutex::new(store::open(database)?),
            reader: Mutex::new(store::open_read_only(database)?),
            events: Events::default(),
            clock: clock.unwrap_or_else(|| Arc::new(crate::clock::SystemClock)),
            running_schedule: RwLock::new(None),
        })
    }

    /// The history connection. Held only between awaits, never across one.
    pub fn db(&self) -> MutexGuard<'_, Connection> {
        self.db
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The read-only connection (see [`Context::reader`](field@Context::reader)).
    pub fn reader(&self) -> MutexGuard<'_, Connection> {
        self.reader
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The settings as they are now.
    pub fn settings(&self) -> Arc<Settings> {
        self.settings
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// The schedule the health and the acknowledgement lane go by: the one running in this
    /// process (a daemon's `--interval-minutes` is not in the settings file), else the settings
    /// file's (a `status` beside it, a run with no schedule).
    pub fn schedule(&self) -> ScheduleSettings {
        self.running_schedule
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
            .unwrap_or_else(|| self.settings().schedule.clone())
    }

    /// The engine's time.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Reads the settings file again and uses it from the next run on; logs when it changed. A
    /// file that cannot be read leaves the settings in use, and says so in the returned warnings
    /// (the run's summary carries them). The clients keep the addresses they were built with: a
    /// changed `api_url` takes effect when the engine is opened again (the app's Save does that).
    pub fn reload_settings(&self, file: &Path) -> Vec<String> {
        match Settings::load(file) {
            Ok(fresh) => {
                let mut current = self
                    .settings
                    .write()
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                if **current != fresh {
                    tracing::info!(file = %file.display(), "the settings file changed: this run uses it");
                    *current = Arc::new(fresh);
                }
                Vec::new()
            }
            Err(e) => {
                tracing::warn!("{e}; the run uses the settings read before");
                vec![format!("{e}; the run used the settings read before")]
            }
        }
    }
}

/// One order as [`Run::read_quipt_order`] found it in Quipt.
#[derive(Debug)]
pub(crate) enum Read {
    /// The order as Quipt has it now.
    Order(Box<quipt::Order>),
    /// Quipt no longer has it; already recorded as a conflict.
    Gone,
    /// Quipt would not give this order (the error says why); nothing is recorded yet.
    Refused(quipt::Error),
}

/// One run in progress.
pub(crate) struct Run<'a> {
    pub ctx: &'a Context,
    /// The settings this run started with.
    pub settings: Arc<Settings>,
    pub id: Option<i64>,
    pub dry_run: bool,
    pub summary: RunSummary,
    /// When the first run of this data directory started, for passes without a cursor.
    pub started_at: DateTime<Utc>,
    /// The orders this run recorded a conflict of, so the summary counts each once however many
    /// of its passes met it (a cancellation after shipping, then its tracking refused).
    pub conflicted: HashSet<String>,
}

impl Run<'_> {
    pub fn progress(&self, pass: Pass, done: u64, total: u64) {
        self.ctx
            .events
            .send(SyncEvent::Progress { pass, done, total });
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.ctx.now()
    }

    /// Counts a conflict of `quipt_id` in the summary, once per order and run.
    pub fn count_conflict(&mut self, quipt_id: &str) {
        if self.conflicted.insert(quipt_id.to_string()) {
            self.summary.conflicts += 1;
        }
    }

    /// Records a decision about an order (its row and timeline, in one transaction); a dry run
    /// records nothing.
    pub fn record(&self, quipt_id: &str, change: &Change) -> Result<()> {
        self.in_transaction(|tx, at| store::orders::record(tx, quipt_id, self.id, change, at))
    }

    /// Records a decision about an order read from Quipt that the history may not know yet (a
    /// hold), as [`Run::record`] does.
    pub fn record_seen(&self, seen: &Seen<'_>, change: &Change) -> Result<()> {
        self.in_transaction(|tx, at| store::orders::record_seen(tx, seen, self.id, change, at))
    }

    /// Runs `write` in one transaction at the run's time; a dry run writes nothing.
    pub fn in_transaction(
        &self,
        write: impl FnOnce(&Connection, DateTime<Utc>) -> Result<()>,
    ) -> Result<()> {
        if self.dry_run {
            return Ok(());
        }
        let mut db = self.ctx.db();
        let tx = db.transaction()?;
        write(&tx, self.now())?;
        tx.commit()?;
        Ok(())
    }

    /// Adds a timeline entry without changing the order's state (skipped in a dry run).
    pub fn note(&self, quipt_id: &str, kind: TimelineKind, message: &str) -> Result<()> {
        if self.dry_run {
            return Ok(());
        }
        store::timeline::append(&self.ctx.db(), quipt_id, self.id, kind, message, self.now())
    }

    /// Reads one order from Quipt before acting on it. An order Quipt no longer has (404: an
    /// unknown id, decided from the status, never the message) is an outcome of that order, not
    /// of the run: it is recorded as a conflict ("the order no longer exists in Quipt") and
    /// [`Read::Gone`] is returned, so the pass goes on with the other orders and its cursor
    /// moves. It is said once: the same order met again (a pass's overlap reads it twice) is not
    /// noted again until the operator asks for a retry. Any other refusal of this one order
    /// ([`quipt::Error::is_refusal`]) is returned for the caller to record against the order;
    /// what concerns every call (credentials, the rate budget, an outage) is the run's error.
    pub async fn read_quipt_order(&self, quipt_id: &str) -> Result<Read> {
        match self
            .ctx
            .quipt
            .orders()
            .get(&quipt::OrderId(quipt_id.to_string()))
            .await
        {
            Ok(order) => Ok(Read::Order(Box::new(order))),
            Err(e) if e.status() == Some(404) => {
                let known = store::orders::get(&self.ctx.db(), quipt_id)?;
                if known.is_some_and(|r| r.reason_code == Some(ReasonCode::GoneInQuipt) && !r.retry)
                {
                    return Ok(Read::Gone);
                }
                let gone = "the order no longer exists in Quipt";
                self.record_state(
                    quipt_id,
                    OrderState::Conflict,
                    Some(Reason::new(ReasonCode::GoneInQuipt, gone)),
                    TimelineKind::GoneInQuipt,
                    gone.into(),
                )?;
                Ok(Read::Gone)
            }
            Err(e) if e.is_refusal() => Ok(Read::Refused(e)),
            Err(e) => Err(e.into()),
        }
    }

    /// Records a new state, its reason and one timeline entry that says what happened.
    pub fn record_state(
        &self,
        quipt_id: &str,
        state: OrderState,
        reason: Option<Reason>,
        kind: TimelineKind,
        message: String,
    ) -> Result<()> {
        self.record(
            quipt_id,
            &Change {
                state,
                reason,
                pushed: None,
                timeline: vec![(kind, message)],
            },
        )
    }
}

/// Runs the passes once; `warnings` (from before the run) go into its summary. The caller holds the
/// run lock.
///
/// # Errors
/// Never for a failed run: its error is recorded in the history and returned in the summary's
/// `outcome`/`error`. Only when the history itself cannot be written.
pub async fn run_once(
    ctx: &Context,
    options: RunOptions,
    warnings: Vec<String>,
) -> Result<RunSummary> {
    let started = Instant::now();
    let ss_before = ctx.shipstation.metrics();
    let quipt_before = ctx.quipt.metrics();
    let id = if options.dry_run {
        None
    } else {
        Some(store::runs::start(
            &ctx.db(),
            options.trigger,
            false,
            ctx.now(),
        )?)
    };
    ctx.events.send(SyncEvent::RunStarted {
        run_id: id.unwrap_or(0),
        dry_run: options.dry_run,
    });
    let first_run = store::runs::first_started(&ctx.db())?.unwrap_or_else(|| ctx.now());
    let mut run = Run {
        ctx,
        settings: ctx.settings(),
        started_at: first_run,
        id,
        dry_run: options.dry_run,
        conflicted: HashSet::new(),
        summary: RunSummary {
            run_id: id.unwrap_or(0),
            dry_run: options.dry_run,
            warnings,
            ..RunSummary::default()
        },
    };

    // A bug in a pass ends this run as failed, with its message; the schedule goes on.
    let result = match AssertUnwindSafe(passes(&mut run, options))
        .catch_unwind()
        .await
    {
        Ok(result) => result,
        Err(payload) => Err(crate::panics::from_payload(&*payload)),
    };

    let ss = ctx.shipstation.metrics();
    let quipt = ctx.quipt.metrics();
    let mut summary = run.summary;
    summary.shipstation_calls = ss.requests - ss_before.requests;
    summary.quipt_calls = quipt.requests - quipt_before.requests;
    summary.rate_limited = ss.rate_limited - ss_before.rate_limited;
    summary.quipt_rate_limited = quipt.rate_limited - quipt_before.rate_limited;
    summary.rate_limit = ss.limit;
    summary.rate_remaining = ss.remaining;
    summary.paced_wait_ms = (ss.waited.saturating_sub(ss_before.waited)).as_millis() as u64;
    summary.duration_ms = started.elapsed().as_millis() as u64;
    summary.attention_total = store::orders::attention_total(&ctx.db())?;
    summary.outcome = match &result {
        Err(_) => RunOutcome::Failed,
        Ok(()) if summary.attention_total > 0 || !summary.alerts.is_empty() => {
            RunOutcome::Attention
        }
        Ok(()) => RunOutcome::Ok,
    };
    summary.error = result.err().map(|e| e.to_string());
    if let Some(id) = id {
        store::runs::finish(&ctx.db(), id, &summary, ctx.now())?;
    }
    ctx.events.send(SyncEvent::RunFinished {
        summary: Box::new(summary.clone()),
    });
    Ok(summary)
}

/// The run's passes, then the history's own housekeeping, which needs neither API: a connector
/// whose runs fail every day (Quipt down, a refused key) still prunes its old timeline events.
/// The passes' error, if any, is the run's.
async fn passes(run: &mut Run<'_>, options: RunOptions) -> Result<()> {
    let synced = sync_passes(run, options).await;
    let pruned = daily::retention(run).await;
    synced.and(pruned)
}

async fn sync_passes(run: &mut Run<'_>, options: RunOptions) -> Result<()> {
    #[cfg(debug_assertions)]
    {
        let database = run.ctx.db().path().map(std::path::PathBuf::from);
        if let Some(database) = database {
            crate::panics::seam::panic_if_asked(&database);
        }
    }
    run.progress(Pass::Reference, 0, 0);
    let mut reference = reference::load(run, options.refresh_reference).await?;
    run.summary.alerts = reference.data.drift(&run.settings);
    let acknowledgements = match orders_out::run(run, &mut reference).await {
        Ok(acknowledgements) => acknowledgements,
        // Pushes that fail because an API did (ShipStation failing every batch, Quipt's listing
        // cut short) hold back no label's tracking and no cancellation: those passes read their
        // own cursors and run all the same, each whatever became of the other; the run fails with
        // the push's error, and says what else failed. A key refused or the history unwritable
        // fails them alike, so they are not tried.
        Err(pushing) => {
            if matches!(
                pushing.code(),
                crate::ErrorCode::ApiUnavailable | crate::ErrorCode::RateLimited
            ) {
                let tracking = tracking_back::run(run).await;
                let cancelling = cancellations::run(run).await;
                for (pass, result) in [("tracking", tracking), ("cancellations", cancelling)] {
                    if let Err(e) = result {
                        let warning = format!(
                            "after the orders could not all be pushed, {pass} failed too: {e}"
                        );
                        tracing::warn!("{warning}");
                        run.summary.warnings.push(warning);
                    }
                }
            }
            return Err(pushing);
        }
    };
    tracking_back::run(run).await?;
    cancellations::run(run).await?;
    retry::run(run).await?;
    acknowledgements.work_off(run).await?;
    run.summary.acknowledgements_left = store::orders::ack_backlog_len(&run.ctx.db())?;
    daily::run(run).await?;
    Ok(())
}

/// Notes on the order's timeline that Quipt would not give it (or either API gave it in a form the
/// connector cannot read), in the caller's transaction: said once for as long as the API says the
/// same, not every run the order is read again.
pub(crate) fn note_refused_read(
    tx: &rusqlite::Connection,
    run_id: Option<i64>,
    id: &str,
    message: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    let said = store::timeline::for_order(tx, id)?
        .iter()
        .rfind(|e| e.kind == TimelineKind::ReadRefused)
        .is_some_and(|last| last.message == message);
    if said {
        return Ok(());
    }
    store::timeline::append(tx, id, run_id, TimelineKind::ReadRefused, message, at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_overlap_goes_back_five_minutes_and_stops_at_the_earliest_date() {
        let at = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        assert_eq!(overlapped(at), at - chrono::Duration::minutes(5));
        assert_eq!(
            overlapped(DateTime::<Utc>::MIN_UTC),
            DateTime::<Utc>::MIN_UTC,
            "a cursor a server put at the earliest date does not overflow the next run"
        );
    }
}
