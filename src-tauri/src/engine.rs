//! The engine's life in the app: started at launch when a setup exists, restarted after Finish,
//! stopped when the demo is left.

use std::sync::Arc;
use std::time::Duration;

use connector::schedule::{Schedule, SyncCommand};
use connector::startup;
use tauri::{AppHandle, Manager};

use crate::error::CommandResult;
use crate::state::{AppState, Engine};

/// At launch: settles what a demo left (`demo::at_launch`), then starts the engine when the
/// current target has settings.
///
/// # Errors
/// When the settings or credentials cannot be used (the UI then shows the wizard).
pub async fn resume(app: &AppHandle) -> CommandResult<()> {
    let state = app.state::<AppState>();
    crate::demo::at_launch(&state).await?;
    crate::tray::update(app, None);
    if state.target().paths.config_file.exists() {
        start(app).await?;
    }
    Ok(())
}

/// (Re)starts the engine on the current target's saved settings: opens the connector (waiting
/// while the keyring is locked, as at login: the dashboard says so), stops a previous schedule,
/// spawns the schedule and forwards its events.
///
/// # Errors
/// Bad settings, missing credentials, or an unusable history.
pub async fn start(app: &AppHandle) -> CommandResult<()> {
    let state = app.state::<AppState>();
    let target = state.target();
    let opened = startup::open_when_keyring_opens(
        move || target.connector(),
        startup::KEYRING_RETRY,
        |e| state.set_waiting(Some(startup::waiting_message(e))),
    )
    .await;
    state.set_waiting(None);
    let connector = Arc::new(opened?);
    let mut slot = state.engine.write().await;
    if let Some(previous) = slot.take() {
        previous.schedule.send(SyncCommand::Stop).await;
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

/// Stops the schedule and drops the engine (leaving the demo); the tray goes back to "not set up".
pub async fn stop(app: &AppHandle) {
    let state = app.state::<AppState>();
    if let Some(previous) = state.engine.write().await.take() {
        previous.schedule.send(SyncCommand::Stop).await;
    }
    crate::tray::update(app, None);
}
