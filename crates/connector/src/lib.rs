//! The connector's engine: settings and their validation, credentials, mapping rules, the sync
//! passes, the SQLite history and the schedule. No UI code.
//!
//! Data flows one way: the API clients (`quipt`, `shipstation`) → this engine → its store → the
//! desktop shell and the CLI. [`Connector`] is the one surface both callers use, so the CLI's
//! `--json` and the app show the same shapes.
//!
//! Crate map: [`settings`] (TOML, validation), [`credentials`] (keyring + environment),
//! [`checks`] (the wizard's live checks), [`mapping`] (pure Quipt → ShipStation rules),
//! [`reference`](mod@reference) (account data and drift), [`sync`] (the passes), [`store`] (SQLite),
//! [`schedule`] (the background loop), [`events`] and [`health`] (what the UI shows),
//! [`reconcile`] (both sides compared), [`history`] (the history read without credentials),
//! [`redaction`] and [`private_files`] (what never reaches a log, who may read the files).
#![deny(missing_docs)]

pub mod checks;
pub mod credentials;
pub mod diagnostics;
pub mod error;
pub mod events;
pub mod export;
pub mod health;
pub mod history;
pub mod log_view;
pub mod logging;
pub mod mapping;
pub mod private_files;
pub mod reconcile;
pub mod redaction;
pub mod reference;
pub mod run_lock;
pub mod schedule;
pub mod settings;
pub mod shipped_consumer;
pub mod store;
pub mod sync;
pub mod wizard;

use std::sync::Mutex;

use serde::Serialize;
use tokio::sync::broadcast;

pub use error::{Error, ErrorCode, Result};
pub use events::SyncEvent;
pub use health::Health;
pub use settings::{Paths, Settings};
pub use sync::{RunOptions, Trigger, summary::RunSummary};

use credentials::Credentials;
use store::orders::{OrderFilter, OrderRow};
use store::reconciliations::{ReconciliationRow, ReconciliationTrigger};
use store::runs::RunRow;
use store::timeline::Event;
use store::tracking::TrackingRow;

/// The real services' addresses (shared/api/*.md).
const QUIPT_API_URL: &str = "https://api.getquipt.com";
const QUIPT_APP_URL: &str = "https://app.getquipt.com";
const SHIPSTATION_API_URL: &str = "https://ssapi.shipstation.com";

/// Where the two services are: the environment (`QUIPT_API_URL`, `QUIPT_APP_URL`,
/// `SHIPSTATION_API_URL`) over the settings over the real hosts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Endpoints {
    /// Quipt's API host.
    pub quipt_api: String,
    /// Quipt's app host (OAuth).
    pub quipt_app: String,
    /// ShipStation's API.
    pub shipstation: String,
}

impl Endpoints {
    /// Resolves the addresses for `settings`.
    pub fn resolve(settings: Option<&Settings>) -> Self {
        let pick = |env: &str, setting: Option<&String>, default: &str| {
            std::env::var(env)
                .ok()
                .filter(|v| !v.is_empty())
                .or_else(|| setting.cloned())
                .unwrap_or_else(|| default.to_string())
        };
        Self {
            quipt_api: pick(
                "QUIPT_API_URL",
                settings.and_then(|s| s.quipt.api_url.as_ref()),
                QUIPT_API_URL,
            ),
            quipt_app: pick(
                "QUIPT_APP_URL",
                settings.and_then(|s| s.quipt.app_url.as_ref()),
                QUIPT_APP_URL,
            ),
            shipstation: pick(
                "SHIPSTATION_API_URL",
                settings.and_then(|s| s.shipstation.api_url.as_ref()),
                SHIPSTATION_API_URL,
            ),
        }
    }
}

/// Builds the Quipt client for these credentials.
///
/// # Errors
/// When the address is unusable.
pub fn quipt_client(endpoints: &Endpoints, credentials: &Credentials) -> Result<quipt::Client> {
    Ok(quipt::Client::builder(endpoints.quipt_api.clone())
        .consumer(quipt::ConsumerCredentials {
            key: credentials.quipt_consumer_key.expose_secret().to_string(),
            secret: credentials
                .quipt_consumer_secret
                .expose_secret()
                .to_string(),
        })
        .token(quipt::AccessToken {
            token: credentials.quipt_access_token.expose_secret().to_string(),
            secret: credentials
                .quipt_access_token_secret
                .expose_secret()
                .to_string(),
        })
        .build()?)
}

/// Builds the ShipStation client for these credentials.
///
/// # Errors
/// When the address is unusable.
pub fn shipstation_client(
    endpoints: &Endpoints,
    credentials: &Credentials,
) -> Result<shipstation::Client> {
    Ok(shipstation::Client::builder(endpoints.shipstation.clone())
        .credentials(
            credentials.shipstation_api_key.expose_secret(),
            credentials.shipstation_api_secret.expose_secret(),
        )
        .build()?)
}

/// The dashboard at a glance.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Status {
    /// Green, amber or red.
    pub health: Health,
    /// The latest run.
    pub last_run: Option<RunRow>,
    /// The latest completed run.
    pub last_success: Option<RunRow>,
    /// Orders per state in the whole history.
    pub counts: Vec<(store::orders::OrderState, u64)>,
    /// Orders pushed since midnight UTC.
    pub pushed_today: u64,
    /// Tracking reported since midnight UTC.
    pub shipped_today: u64,
    /// Orders needing attention, newest first (at most 100).
    pub attention: Vec<OrderRow>,
    /// Orders pushed per day over the last 30 days.
    pub per_day: Vec<(String, u64)>,
    /// The latest reconciliation, daily or on demand.
    pub last_reconciliation: Option<ReconciliationRow>,
}

/// One order with its timeline and tracking, for the history's detail view.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct OrderDetail {
    /// The order.
    pub order: OrderRow,
    /// Its timeline, oldest first.
    pub timeline: Vec<Event>,
    /// Shipments and fulfilments reported.
    pub tracking: Vec<TrackingRow>,
}

/// The engine, opened on one data directory with one set of settings and credentials.
#[derive(Debug)]
pub struct Connector {
    paths: Paths,
    ctx: sync::Context,
    running: tokio::sync::Mutex<()>,
    health: Mutex<Option<Health>>,
}

impl Connector {
    /// Opens the history and builds both clients.
    ///
    /// # Errors
    /// When the database cannot be opened or an address is unusable.
    pub fn open(paths: Paths, settings: Settings, credentials: &Credentials) -> Result<Self> {
        let endpoints = Endpoints::resolve(Some(&settings));
        Self::open_at(paths, settings, &endpoints, credentials)
    }

    /// Opens on fixed addresses, whatever the environment says: the app's demo mode talks only
    /// to its own sandbox.
    ///
    /// # Errors
    /// When the database cannot be opened or an address is unusable.
    pub fn open_at(
        paths: Paths,
        settings: Settings,
        endpoints: &Endpoints,
        credentials: &Credentials,
    ) -> Result<Self> {
        let db = store::open(&paths.database())?;
        let ctx = sync::Context {
            quipt: quipt_client(endpoints, credentials)?,
            shipstation: shipstation_client(endpoints, credentials)?,
            settings,
            db: Mutex::new(db),
            events: events::Events::default(),
        };
        Ok(Self {
            paths,
            ctx,
            running: tokio::sync::Mutex::new(()),
            health: Mutex::new(None),
        })
    }

    /// Opens with the settings file of `paths` and the credentials from the environment or keyring.
    ///
    /// # Errors
    /// Bad settings, missing credentials, or an unusable database.
    pub fn from_paths(paths: Paths) -> Result<Self> {
        let settings = Settings::load(&paths.config_file)?;
        let credentials = Credentials::load()?;
        Self::open(paths, settings, &credentials)
    }

    /// The settings in use.
    pub fn settings(&self) -> &Settings {
        &self.ctx.settings
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
    /// Only when the history cannot be written; a failed run is a summary with outcome `failed`.
    pub async fn sync(&self, options: RunOptions) -> Result<RunSummary> {
        let mut events = self.subscribe();
        let guard = match self.running.try_lock() {
            Ok(guard) => guard,
            Err(_) => {
                // Join the running run: its summary is ours.
                loop {
                    match events.recv().await {
                        Ok(SyncEvent::RunFinished { summary })
                            if !summary.dry_run || options.dry_run =>
                        {
                            return Ok(*summary);
                        }
                        Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => continue,
                        Err(broadcast::error::RecvError::Closed) => break,
                    }
                }
                self.running.lock().await
            }
        };
        let _lock = run_lock::RunLock::acquire(&self.paths.data_dir, true).await?;
        let summary = sync::run_once(&self.ctx, options).await?;
        drop(guard);
        self.publish_health()?;
        Ok(summary)
    }

    /// Emits `HealthChanged` when the health differs from the last one published.
    fn publish_health(&self) -> Result<()> {
        let now = self.health()?;
        let mut last = self.health.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(before) = *last
            && before != now
        {
            self.ctx.events.send(SyncEvent::HealthChanged {
                from: before,
                to: now,
            });
        }
        *last = Some(now);
        Ok(())
    }

    /// The current health.
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn health(&self) -> Result<Health> {
        history::health(&self.ctx.db())
    }

    /// The dashboard's data.
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn status(&self) -> Result<Status> {
        history::status(&self.ctx.db())
    }

    /// The history's order list.
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn orders(&self, filter: &OrderFilter) -> Result<Vec<OrderRow>> {
        store::orders::list(&self.ctx.db(), filter)
    }

    /// One order (by Quipt id, order number or tracking number) with its timeline.
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn order(&self, search: &str) -> Result<Option<OrderDetail>> {
        history::order(&self.ctx.db(), search)
    }

    /// The latest runs.
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn runs(&self, limit: u32) -> Result<Vec<RunRow>> {
        store::runs::recent(&self.ctx.db(), limit)
    }

    /// Re-queues one order (Quipt id or order number) or, with `None`, every held and failed order
    /// for the next run; returns how many were queued.
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn retry(&self, order: Option<&str>) -> Result<usize> {
        let db = self.ctx.db();
        match order {
            None => store::orders::request_retry(&db, None),
            Some(search) => {
                let mut n = 0;
                let ids: Vec<String> = if store::orders::get(&db, search)?.is_some() {
                    vec![search.to_string()]
                } else {
                    store::orders::by_number(&db, search)?
                        .into_iter()
                        .map(|r| r.quipt_id)
                        .collect()
                };
                for id in ids {
                    n += store::orders::request_retry(&db, Some(&id))?;
                }
                Ok(n)
            }
        }
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
        let mut results = vec![checks::quipt_api_user(&self.ctx.quipt).await];
        let reference = match sync::reference::fetch(&self.ctx.shipstation).await {
            Ok(r) => {
                results.push(checks::CheckResult {
                    step: "shipstation_keys",
                    ok: true,
                    message: format!("connected: {} stores", r.stores.len()),
                    details: vec![],
                });
                r
            }
            Err(e) => {
                results.push(checks::CheckResult {
                    step: "shipstation_keys",
                    ok: false,
                    message: e.to_string(),
                    details: vec![],
                });
                return results;
            }
        };
        let partners = self.ctx.quipt.partners().list().await.unwrap_or_default();
        results.push(checks::stores(&self.ctx.settings, &reference, &partners));
        results.push(checks::carrier(&self.ctx.settings, &reference));
        let quipt_warehouses = self.ctx.quipt.warehouses().list().await.unwrap_or_default();
        results.push(checks::warehouses(&self.ctx.settings, &reference, &quipt_warehouses).0);
        results
    }
}
