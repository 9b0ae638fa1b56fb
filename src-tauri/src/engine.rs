//! The engine's life in the app: started at launch when a setup exists (continuing the schedule a
//! previous process of the app handed over, [`crate::handover`]), restarted after Finish, stopped
//! (its events silenced, a run in progress abandoned) when the demo is left.

use std::sync::Arc;
use std::time::Duration;

use connector::Connector;
use connector::schedule::{Schedule, SyncCommand};
use connector::startup;
use tauri::{AppHandle, Manager};

use crate::continued::Continued;
use crate::error::{CommandError, CommandResult};
use crate::state::{AppState, Engine, Forwarding};

/// At launch: settles what a demo left (`demo::at_launch`), starts the update check (which needs
/// to know whether the demo shows), then the engine when the current target has settings, its
/// schedule `continued` from the process that handed over, if one did.
///
/// # Errors
/// When the settings or credentials cannot be used (the UI then shows the wizard).
pub async fn resume(app: &AppHandle, continued: Option<Continued>) -> CommandResult<()> {
    let state = app.state::<AppState>();
    // What the dashboard says until the engine runs (or the setup turns out to be missing).
    state.set_not_running(Some(CommandError::starting()));
    if let Err(e) = crate::demo::at_launch(&state).await {
        state.set_not_running(Some(e.clone()));
        return Err(e);
    }
    crate::updates::follow(app);
    crate::tray::refresh(app).await;
    if state.target().paths.config_file.exists() {
        start(app, continued).await?;
    } else {
        state.set_not_running(None);
    }
    Ok(())
}

/// (Re)starts the engine on the current target's saved settings: opens the connector (waiting
/// while the keyring is locked, as at login), forwards its events and schedules it
/// ([`schedule`]). Until it runs, the dashboard says why not: starting, waiting for the keyring,
/// or the error it stopped on.
///
/// # Errors
/// Bad settings, missing credentials, or an unusable history.
pub async fn start(app: &AppHandle, continued: Option<Continued>) -> CommandResult<()> {
    let state = app.state::<AppState>();
    let target = state.target();
    state.set_not_running(Some(CommandError::starting()));
    let opened = startup::open_when_keyring_opens(
        move || target.connector(),
        startup::KEYRING_RETRY,
        |e| {
            let message = startup::waiting_message(e);
            state.set_not_running(Some(CommandError::keyring_waiting(message)));
        },
    )
    .await;
    let connector = match opened {
        Ok(connector) => Arc::new(connector),
        Err(e) => {
            let why = CommandError::from(e);
            state.set_not_running(Some(why.clone()));
            return Err(why);
        }
    };
    state.set_not_running(None);
    let forwarding = crate::events::forward(app, &connector);
    let minutes = connector.settings().schedule.interval_minutes.max(1);
    let interval = Duration::from_secs(u64::from(minutes) * 60);
    schedule(app, connector, forwarding, continued, interval, |_| true).await;
    Ok(())
}

/// Under the engine's write lock, if `replaces` accepts the engine there now: stops its schedule
/// and spawns one on `connector` (whose events go on as `forwarding` says) every `interval` —
/// paused, or with its first run due, as `continued` says; else as the settings say, running at
/// once.
pub async fn schedule(
    app: &AppHandle,
    connector: Arc<Connector>,
    forwarding: Forwarding,
    continued: Option<Continued>,
    interval: Duration,
    replaces: impl FnOnce(Option<&Engine>) -> bool,
) {
    let state = app.state::<AppState>();
    let mut slot = state.engine.write().await;
    if replaces(slot.as_ref()) {
        if let Some(previous) = slot.take() {
            previous.schedule.send(SyncCommand::Stop).await;
        }
        let (paused, first_run) = match continued {
            Some(Continued::Paused) => (true, None),
            Some(Continued::NextRunAt(at)) => (false, Some(at)),
            None => (connector.settings().schedule.paused, None),
        };
        let schedule = Schedule::spawn_from(connector.clone(), interval, paused, first_run);
        follow_in_tray(app, &schedule);
        *slot = Some(Engine {
            connector,
            schedule,
            forwarding,
        });
    }
    drop(slot);
    crate::tray::refresh(app).await;
}

/// Drops the engine (leaving the demo), and returns once nothing of it goes on: its events no
/// longer reach the window, the tray or the desktop, and its schedule has ended, a run in
/// progress abandoned ([`Schedule::abandon`]: its accounts and data go next, so waiting for it
/// would hold the operator for a run that can only fail). The caller refreshes the tray once the
/// target is what it shows next.
pub async fn stop(app: &AppHandle) {
    let state = app.state::<AppState>();
    let previous = state.engine.write().await.take();
    if let Some(previous) = previous {
        previous.forwarding.end().await;
        previous.schedule.abandon().await;
        tracing::info!("the engine stopped (a run in progress, if any, abandoned)");
    }
    state.set_not_running(None);
}

/// Keeps the tray's Pause or Resume and its last sync in step with the schedule, whoever changed
/// it (the tray, Settings, a run that ended); ends with the schedule.
fn follow_in_tray(app: &AppHandle, schedule: &Schedule) {
    let mut changes = schedule.watch();
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        while changes.changed().await.is_ok() {
            crate::tray::refresh(&app).await;
        }
    });
}
