//! The connector's engine: settings and their validation, credentials, mapping rules, the sync
//! passes, the SQLite history and the schedule. No UI code.
//!
//! Data flows one way: the API clients (`quipt`, `shipstation`) → this engine → its store → the
//! desktop shell and the CLI. [`Connector`] is the one surface both callers use, so the CLI's
//! `--json` and the app show the same shapes.
//!
//! Crate map: configuration ([`settings`], [`credentials`], [`endpoints`], [`clock`]); the wizard
//! ([`wizard`], [`checks`], [`checkup`], [`reference_memo`]); syncing ([`mapping`], [`reference`](mod@reference),
//! [`sync`], [`reconcile`], [`settle`], [`schedule`], [`run_lock`], [`panics`], [`startup`]); what happened ([`outcome`], [`summary`],
//! [`store`], [`events`], [`health`], [`history`] — read without credentials — and its
//! [`local_day`]s, asked through `views`); support
//! ([`logging`], [`log_view`], [`diagnostics`], [`export`], [`redaction`], [`shown`], [`private_files`],
//! [`shipped_consumer`]). ARCHITECTURE.md says what each holds.
#![deny(missing_docs)]

pub mod checks;
pub mod checkup;
pub mod clock;
pub mod credentials;
pub mod diagnostics;
pub mod endpoints;
pub mod error;
pub mod events;
pub mod export;
pub mod health;
pub mod history;
pub mod local_day;
pub mod log_view;
pub mod logging;
pub mod mapping;
mod open;
pub mod outcome;
pub mod panics;
pub mod private_files;
pub mod reconcile;
pub mod redaction;
pub mod reference;
pub mod reference_memo;
mod run_gate;
pub mod run_lock;
pub mod schedule;
pub mod settings;
pub mod settle;
pub mod shipped_consumer;
pub mod shown;
pub mod startup;
pub mod store;
pub mod summary;
pub mod sync;
pub mod updates;
mod views;
pub mod wizard;

use std::sync::Arc;

use tokio::sync::broadcast;

pub use endpoints::{Endpoints, quipt_client, shipstation_client};
pub use error::{Error, ErrorCode, Result};
pub use events::SyncEvent;
pub use health::Health;
pub use history::{Glance, OrderDetail, Status};
pub use outcome::{Reason, ReasonCode, RunOutcome, TimelineKind, Trigger};
pub use settings::{Paths, Settings};
pub use settle::Settle;
pub use summary::RunSummary;
pub use sync::RunOptions;

use clock::Clock;
use store::reconciliations::ReconciliationTrigger;

/// The engine, opened on one data directory with one set of settings and credentials. Reading the
/// history fails only when SQLite does.
#[derive(Debug)]
pub struct Connector {
    paths: Paths,
    ctx: sync::Context,
    gate: run_gate::RunGate,
}

impl Connector {
    /// The engine's clock.
    pub fn clock(&self) -> Arc<dyn Clock> {
        self.ctx.clock.clone()
    }

    /// The settings in use.
    pub fn settings(&self) -> Arc<Settings> {
        self.ctx.settings()
    }

    /// The paths in use.
    pub fn paths(&self) -> &Paths {
        &self.paths
    }

    /// Progress and results of runs.
    pub fn subscribe(&self) -> broadcast::Receiver<SyncEvent> {
        self.ctx.events.subscribe()
    }

    /// Runs one sync. If a run is already going in this process, waits for it and returns its
    /// summary (Sync now joins); if another process holds the data directory, waits for it to end.
    ///
    /// # Errors
    /// Only when the history cannot be written; a failed run is a summary with outcome failed.
    pub async fn sync(&self, options: RunOptions) -> Result<RunSummary> {
        self.gate.sync(&self.ctx, &self.paths, options).await
    }

    /// The current health, published as a `HealthChanged` event when it changed since it was last
    /// published (time alone can change it: no successful run for a while).
    pub fn publish_health(&self) -> Result<Health> {
        self.gate.publish_health(&self.ctx)
    }

    /// Answers `read` on a blocking thread: the history's questions (`status`, `orders`, …) read
    /// SQLite on their own read-only connection, so the app's commands call them through here
    /// and never hold an async thread that the window and the run need. The few commands that
    /// write to the history without a run (Retry) come through here too, for the same reason.
    ///
    /// # Errors
    /// `read`'s error, or [`Error::Panicked`] when it panicked.
    pub async fn read<T: Send + 'static>(
        self: Arc<Self>,
        read: impl FnOnce(&Self) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let answer = tokio::task::spawn_blocking(move || read(&self)).await;
        answer.unwrap_or_else(|e| Err(panics::from_task(e)))
    }

    /// Re-queues one order (Quipt id or order number) or, with `None`, every held and failed order
    /// for the next run, which redoes what failed; returns how many were queued (none for an order
    /// the operator marked settled: nothing to retry).
    pub fn retry(&self, order: Option<&str>) -> Result<usize> {
        sync::retry::request(&self.ctx.db(), order, self.ctx.now())
    }

    /// Marks one order in conflict (Quipt id or order number) settled by the operator, with their
    /// note in its timeline: it no longer needs attention, and nothing re-opens it by itself.
    /// Anything but a conflict is refused with the reason ([`Settle`]).
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn settle(&self, order: &str, note: Option<&str>) -> Result<Settle> {
        settle::request(&self.ctx.db(), order, note, self.ctx.now())
    }

    /// Compares both sides with the history and records the report, which also counts as the day's
    /// reconciliation.
    ///
    /// # Errors
    /// When either API fails after retries.
    pub async fn reconcile(&self) -> Result<reconcile::ReconcileReport> {
        reconcile::reconcile(&self.ctx, ReconciliationTrigger::OnDemand).await
    }

    /// The wizard's checks that need the APIs, in the guide's order.
    pub async fn check(&self) -> Vec<checks::CheckResult> {
        checkup::run(&self.settings(), &self.ctx.quipt, &self.ctx.shipstation).await
    }
}
