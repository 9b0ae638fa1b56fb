//! A sync run: the passes of SPEC §2 in order, each reading from its cursor with an overlap window,
//! de-duplicating by id, and advancing its cursor only in the transaction that commits its results.
//!
//! Each pass plans without I/O where the decision is non-trivial ([`orders_out::plan`]) and applies
//! the plan at the edges. Effects are safe to repeat after a crash: ShipStation upserts by the
//! deterministic `orderKey`, Quipt ignores a shipment whose `ExternalId` it has, and a cancellation
//! re-checks the Quipt order before acting again.

pub mod cancellations;
pub mod daily;
pub mod orders_out;
pub mod reference;
pub mod summary;
pub mod tracking_back;

use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use crate::error::Result;
use crate::events::{Events, Pass, SyncEvent};
use crate::settings::Settings;
use crate::store::{self, orders::OrderState};
use summary::RunSummary;

/// How far back each pass re-reads before its cursor, against clock skew and late writes.
pub const OVERLAP: chrono::Duration = chrono::Duration::minutes(5);

/// Where a ShipStation pass starts reading: its cursor minus the overlap, or, on the first run, this
/// run's start minus the overlap. Everything of ours in ShipStation was pushed by a run, so history
/// from before the first run (an account's years of labels) is never read.
pub(crate) fn since(cursor: Option<DateTime<Utc>>, run: &Run<'_>) -> DateTime<Utc> {
    cursor.unwrap_or(run.started_at) - OVERLAP
}

/// What started a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// The background schedule.
    Schedule,
    /// The Sync now button.
    SyncNow,
    /// The CLI's `sync`.
    Cli,
}

impl Trigger {
    fn as_str(self) -> &'static str {
        match self {
            Trigger::Schedule => "schedule",
            Trigger::SyncNow => "sync_now",
            Trigger::Cli => "cli",
        }
    }
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

/// What a run works with: the settings, both clients, the history and the event channel.
#[derive(Debug)]
pub struct Context {
    /// The operator's settings.
    pub settings: Settings,
    /// ShipStation.
    pub shipstation: shipstation::Client,
    /// Quipt.
    pub quipt: quipt::Client,
    /// The history database.
    pub db: Mutex<Connection>,
    /// Progress and results.
    pub events: Events,
}

impl Context {
    /// The history connection. Held only between awaits, never across one.
    pub fn db(&self) -> MutexGuard<'_, Connection> {
        self.db
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// One run in progress.
pub(crate) struct Run<'a> {
    pub ctx: &'a Context,
    pub id: Option<i64>,
    pub dry_run: bool,
    pub summary: RunSummary,
    /// When the first run of this data directory started, for passes without a cursor.
    pub started_at: DateTime<Utc>,
}

impl Run<'_> {
    pub fn progress(&self, pass: Pass, done: u64, total: u64) {
        self.ctx
            .events
            .send(SyncEvent::Progress { pass, done, total });
    }

    pub fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// Runs the passes once. The caller holds the run lock.
///
/// # Errors
/// Never for a failed run: its error is recorded in the history and returned in the summary's
/// `outcome`/`error`. Only when the history itself cannot be written.
pub async fn run_once(ctx: &Context, options: RunOptions) -> Result<RunSummary> {
    let started = Instant::now();
    let ss_before = ctx.shipstation.metrics();
    let quipt_before = ctx.quipt.metrics();
    let id = if options.dry_run {
        None
    } else {
        Some(store::runs::start(
            &ctx.db(),
            options.trigger.as_str(),
            false,
            Utc::now(),
        )?)
    };
    ctx.events.send(SyncEvent::RunStarted {
        run_id: id.unwrap_or(0),
        dry_run: options.dry_run,
    });
    let first_run = store::runs::first_started(&ctx.db())?.unwrap_or_else(Utc::now);
    let mut run = Run {
        ctx,
        started_at: first_run,
        id,
        dry_run: options.dry_run,
        summary: RunSummary {
            run_id: id.unwrap_or(0),
            dry_run: options.dry_run,
            ..RunSummary::default()
        },
    };

    let result = passes(&mut run, options).await;

    let ss = ctx.shipstation.metrics();
    let quipt = ctx.quipt.metrics();
    let mut summary = run.summary;
    summary.shipstation_calls = ss.requests - ss_before.requests;
    summary.quipt_calls = quipt.requests - quipt_before.requests;
    summary.rate_limited = ss.rate_limited - ss_before.rate_limited;
    summary.rate_limit = ss.limit;
    summary.rate_remaining = ss.remaining;
    summary.paced_wait_ms = (ss.waited.saturating_sub(ss_before.waited)).as_millis() as u64;
    summary.duration_ms = started.elapsed().as_millis() as u64;
    summary.attention_total = attention_total(&ctx.db())?;
    summary.outcome = match &result {
        Err(_) => "failed",
        Ok(()) if summary.attention_total > 0 || !summary.alerts.is_empty() => "attention",
        Ok(()) => "ok",
    }
    .to_string();
    summary.error = result.err().map(|e| e.to_string());
    if let Some(id) = id {
        let json = serde_json::to_value(&summary).expect("a summary always serializes");
        store::runs::finish(
            &ctx.db(),
            id,
            &summary.outcome,
            summary.error.as_deref(),
            &json,
            Utc::now(),
        )?;
    }
    ctx.events.send(SyncEvent::RunFinished {
        summary: Box::new(summary.clone()),
    });
    Ok(summary)
}

async fn passes(run: &mut Run<'_>, options: RunOptions) -> Result<()> {
    run.progress(Pass::Reference, 0, 0);
    let reference = reference::load(run.ctx, options.refresh_reference).await?;
    run.summary.alerts = reference.drift(&run.ctx.settings);
    orders_out::run(run, &reference).await?;
    tracking_back::run(run).await?;
    cancellations::run(run).await?;
    cancellations::deletions(run).await?;
    daily::reconciliation(run).await?;
    Ok(())
}

/// Orders needing the operator's attention in the whole history.
pub(crate) fn attention_total(conn: &Connection) -> Result<u64> {
    Ok(store::orders::count_by_state(conn)?
        .into_iter()
        .filter(|(state, _)| state.needs_attention())
        .map(|(_, n)| n)
        .sum())
}

/// Records a state change and its timeline entry in one transaction (skipped in a dry run).
pub(crate) fn record_state(
    run: &Run<'_>,
    quipt_id: &str,
    state: OrderState,
    reason: Option<(&str, &str)>,
    kind: &str,
    message: &str,
) -> Result<()> {
    if run.dry_run {
        return Ok(());
    }
    let mut db = run.ctx.db();
    let tx = db.transaction()?;
    store::orders::update_state(&tx, quipt_id, state, reason, run.now())?;
    store::timeline::append(&tx, quipt_id, run.id, kind, message, run.now())?;
    tx.commit()?;
    Ok(())
}
