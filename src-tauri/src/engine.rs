//! The app's state: the paths, the engine once the wizard is finished (the connector and its
//! schedule), the demo sandbox when one runs, and an OAuth authorization in progress.

use std::sync::Arc;
use std::time::Duration;

use connector::schedule::Schedule;
use connector::wizard::QuiptAuthorization;
use connector::{Connector, Paths, startup};
use tauri::{AppHandle, Manager};
use tokio::sync::{Mutex, RwLock, oneshot};

use crate::error::{CommandError, CommandResult};

/// The connector and its background schedule.
#[derive(Debug, Clone)]
pub struct Engine {
    /// The engine.
    pub connector: Arc<Connector>,
    /// Its schedule (Sync now, pause, interval).
    pub schedule: Schedule,
}

/// Everything the commands share.
#[derive(Debug)]
pub struct AppState {
    /// Settings file and data directory.
    pub paths: Paths,
    /// Present once settings exist.
    pub engine: RwLock<Option<Engine>>,
    /// The in-process sandbox of demo mode.
    pub demo: Mutex<Option<sandbox::RunningSandbox>>,
    /// A pasted verifier for the authorization in progress.
    pub pasted_verifier: Mutex<Option<oneshot::Sender<String>>>,
    /// The authorization in progress.
    pub authorization: Mutex<Option<Arc<QuiptAuthorization>>>,
    /// Why the engine is not running yet while it waits for the keyring ("keyring locked —
    /// waiting…"), for the dashboard.
    pub waiting: std::sync::Mutex<Option<String>>,
}

impl AppState {
    /// Nothing started yet.
    pub fn new(paths: Paths) -> Self {
        Self {
            paths,
            engine: RwLock::new(None),
            demo: Mutex::new(None),
            pasted_verifier: Mutex::new(None),
            authorization: Mutex::new(None),
            waiting: std::sync::Mutex::new(None),
        }
    }

    /// The running engine; else why not: waiting for the keyring, or the wizard to finish.
    pub async fn engine(&self) -> CommandResult<Engine> {
        if let Some(engine) = self.engine.read().await.clone() {
            return Ok(engine);
        }
        let waiting = self
            .waiting
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        Err(match waiting {
            Some(message) => CommandError {
                code: "keyring_unavailable".into(),
                message,
            },
            None => CommandError::app("finish the setup wizard first"),
        })
    }
}

/// At launch: restarts the demo sandbox if the last session used it, then starts the engine when
/// settings exist.
///
/// # Errors
/// When the settings or credentials cannot be used (the UI then shows the wizard).
pub async fn resume(app: &AppHandle) -> CommandResult<()> {
    let state = app.state::<AppState>();
    if crate::demo::was_used(&state.paths) {
        crate::demo::restart(&state).await?;
    }
    if state.paths.config_file.exists() {
        start(app).await?;
    }
    Ok(())
}

/// (Re)starts the engine on the saved settings: opens the connector (waiting while the keyring is
/// locked, as at login), stops a previous schedule, spawns the schedule and forwards its events.
///
/// # Errors
/// Bad settings, missing credentials, or an unusable history.
pub async fn start(app: &AppHandle) -> CommandResult<()> {
    let state = app.state::<AppState>();
    let waiting = |message: Option<String>| {
        *state.waiting.lock().unwrap_or_else(|p| p.into_inner()) = message;
    };
    let opened =
        startup::open_when_keyring_opens(state.paths.clone(), startup::KEYRING_RETRY, |e| {
            waiting(Some(startup::waiting_message(e)));
        })
        .await;
    waiting(None);
    let connector = Arc::new(opened?);
    let mut slot = state.engine.write().await;
    if let Some(previous) = slot.take() {
        previous
            .schedule
            .send(connector::schedule::SyncCommand::Stop)
            .await;
    }
    let schedule_settings = connector.settings().schedule.clone();
    crate::events::forward(app, &connector);
    let schedule = Schedule::spawn(
        connector.clone(),
        Duration::from_secs(u64::from(schedule_settings.interval_minutes.max(1)) * 60),
        schedule_settings.paused,
    );
    *slot = Some(Engine {
        connector,
        schedule,
    });
    Ok(())
}
