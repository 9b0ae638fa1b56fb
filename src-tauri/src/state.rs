//! What the commands, the tray and the event forwarder share: the operator's paths, whose accounts
//! the app works on now (the real ones or the demo's), the engine once a setup is finished, the
//! demo's sandbox while it runs, and a Quipt authorization in progress. A leaf: it knows no other
//! module of the shell but the error type, so every module may use it without a cycle.

use std::sync::Arc;

use connector::schedule::Schedule;
use connector::wizard::{QuiptAuthorization, Target};
use connector::{Connector, Paths};
use tokio::sync::{Mutex, RwLock, oneshot};

use crate::error::{CommandError, CommandResult};

/// The connector and its background schedule.
#[derive(Debug, Clone)]
pub struct Engine {
    /// The engine.
    pub connector: Arc<Connector>,
    /// Its schedule (Sync now, pause, interval).
    pub schedule: Schedule,
    /// Whether its events still reach the window, the tray and the desktop.
    pub forwarding: Forwarding,
}

/// Whether one engine's events are still passed on ([`crate::events`]): each is passed on while
/// [`Forwarding::pass`]'s guard is held, so once [`Forwarding::end`] returns none is, and an engine
/// dropped (the demo left) tells the operator nothing more.
#[derive(Debug, Clone)]
pub struct Forwarding(Arc<Mutex<bool>>);

impl Default for Forwarding {
    /// Passing events on.
    fn default() -> Self {
        Self(Arc::new(Mutex::new(true)))
    }
}

impl Forwarding {
    /// Held while one event is passed on; `None` once ended.
    pub async fn pass(&self) -> Option<tokio::sync::MutexGuard<'_, bool>> {
        let open = self.0.lock().await;
        (*open).then_some(open)
    }

    /// Passes no more events on; returns once the one being passed on (if any) has been.
    pub async fn end(&self) {
        *self.0.lock().await = false;
    }
}

/// A Quipt authorization started in the browser and not finished yet.
#[derive(Debug)]
pub struct Authorizing {
    /// The request token and the page the user approves on.
    pub authorization: QuiptAuthorization,
    /// The loopback listener that receives the verifier; `None` for the pasted-verifier (`oob`) flow.
    pub callback: Option<quipt::oauth::PendingCallback>,
    /// Whose credentials receive the access token.
    pub target: Arc<Target>,
}

/// Everything the commands share.
#[derive(Debug)]
pub struct AppState {
    /// The operator's settings file and data directory (the demo keeps its own beneath it).
    pub paths: Paths,
    target: std::sync::RwLock<Arc<Target>>,
    /// Present once the current target's settings exist.
    pub engine: RwLock<Option<Engine>>,
    /// The in-process sandbox of demo mode.
    pub demo: Mutex<Option<sandbox::RunningSandbox>>,
    /// The authorization started by `quipt_authorize_start`.
    pub authorizing: Mutex<Option<Authorizing>>,
    /// Ends a `quipt_authorize_finish` still waiting when a new authorization starts.
    pub cancel_wait: Mutex<Option<oneshot::Sender<()>>>,
    /// Why there is no engine now, for the dashboard: starting, waiting for the keyring ("keyring
    /// locked — waiting…"), or the error its start stopped on; `None` before any start (no setup).
    not_running: std::sync::Mutex<Option<CommandError>>,
}

impl AppState {
    /// Nothing started yet; the operator's real accounts are the target.
    pub fn new(paths: Paths) -> Self {
        Self {
            target: std::sync::RwLock::new(Arc::new(Target::real(paths.clone()))),
            paths,
            engine: RwLock::new(None),
            demo: Mutex::new(None),
            authorizing: Mutex::new(None),
            cancel_wait: Mutex::new(None),
            not_running: std::sync::Mutex::new(None),
        }
    }

    /// Whose accounts the wizard, Settings and the engine work on now.
    pub fn target(&self) -> Arc<Target> {
        self.target
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Switches to `target` (entering or leaving demo mode).
    pub fn set_target(&self, target: Target) {
        *self.target.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(target);
    }

    /// Whether the app shows demo data now.
    pub fn is_demo(&self) -> bool {
        self.target().is_demo()
    }

    /// Ends an authorization in progress: a new one replaces it, or the wizard it belonged to is
    /// gone (the demo started or was left, the wizard finished). A `quipt_authorize_finish` still
    /// waiting for the browser's callback returns at once and its loopback listener closes,
    /// instead of staying bound until its own timeout.
    pub async fn abandon_authorization(&self) {
        self.authorizing.lock().await.take();
        if let Some(cancel) = self.cancel_wait.lock().await.take() {
            let _ = cancel.send(());
        }
    }

    /// Says why there is no engine now (`None` once it runs, or when there is no setup to run).
    pub fn set_not_running(&self, why: Option<CommandError>) {
        *self.not_running.lock().unwrap_or_else(|p| p.into_inner()) = why;
    }

    /// The running engine; else why not: starting, waiting for the keyring, stopped on an error,
    /// or the wizard not finished.
    pub async fn engine(&self) -> CommandResult<Engine> {
        if let Some(engine) = self.engine.read().await.clone() {
            return Ok(engine);
        }
        let why = self
            .not_running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        Err(why.unwrap_or_else(|| CommandError::app("finish the setup wizard first")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn abandoning_an_authorization_ends_the_wait_for_its_callback() {
        let dir = std::env::temp_dir().join("quipt-shipstation-state-test");
        let state = AppState::new(Paths {
            config_file: dir.join("settings.toml"),
            data_dir: dir.join("data"),
        });
        let (cancel, cancelled) = oneshot::channel();
        *state.cancel_wait.lock().await = Some(cancel);

        state.abandon_authorization().await;

        assert!(
            cancelled.await.is_ok(),
            "the waiting finish is told to stop (its listener closes)"
        );
        assert!(state.cancel_wait.lock().await.is_none());
        assert!(state.authorizing.lock().await.is_none());
    }
}
