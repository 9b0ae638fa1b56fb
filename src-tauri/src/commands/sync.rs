//! The dashboard's commands: status, Sync now, the schedule (pause, interval), retry, Mark settled.

use std::time::Duration;

use connector::schedule::{ScheduleState, SyncCommand};
use connector::settings::ScheduleSettings;
use connector::{RunSummary, Settings, Settle, Status};
use serde::Serialize;
use tauri::State;

use crate::error::{CommandError, CommandResult};
use crate::state::AppState;

/// The dashboard: the engine's status and the schedule's state.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Dashboard {
    /// Health, last runs, counts, attention list, orders per day.
    pub status: Status,
    /// Paused, next run, interval.
    pub schedule: ScheduleState,
}

/// The dashboard's data.
#[tauri::command]
pub async fn dashboard(state: State<'_, AppState>) -> CommandResult<Dashboard> {
    let engine = state.engine().await?;
    Ok(Dashboard {
        status: engine.connector.clone().read(|c| c.status()).await?,
        schedule: engine.schedule.state(),
    })
}

/// Sync now: joins a running run or starts one on the schedule's loop; progress arrives as events.
#[tauri::command]
pub async fn sync_now(state: State<'_, AppState>) -> CommandResult<RunSummary> {
    let engine = state.engine().await?;
    let summary = engine
        .schedule
        .sync_now()
        .await
        .ok_or_else(|| CommandError::app("the schedule stopped"))?;
    Ok(summary?)
}

/// Applies the schedule (interval of at least 1 minute, paused or not) to the running loop and
/// saves it in the settings file, so it holds after a restart. Sync now still works while paused.
#[tauri::command]
pub async fn set_schedule(
    state: State<'_, AppState>,
    schedule: ScheduleSettings,
) -> CommandResult<ScheduleState> {
    let engine = state.engine().await?;
    let schedule = ScheduleSettings {
        interval_minutes: schedule.interval_minutes.max(1),
        ..schedule
    };
    Settings::save_schedule(&state.target().paths.config_file, schedule.clone())?;
    engine
        .schedule
        .send(SyncCommand::SetInterval(Duration::from_secs(
            u64::from(schedule.interval_minutes) * 60,
        )))
        .await;
    engine
        .schedule
        .send(if schedule.paused {
            SyncCommand::Pause
        } else {
            SyncCommand::Resume
        })
        .await;
    Ok(engine.schedule.state())
}

/// Retry one order (Quipt id or number) or, with none, every held and failed order.
#[tauri::command]
pub async fn retry(state: State<'_, AppState>, order: Option<String>) -> CommandResult<usize> {
    let connector = state.engine().await?.connector;
    Ok(connector.read(move |c| c.retry(order.as_deref())).await?)
}

/// Mark settled: one order in conflict (Quipt id or number) settled by the operator, with their
/// note; anything else is refused with the reason, as a value.
#[tauri::command]
pub async fn settle(
    state: State<'_, AppState>,
    order: String,
    note: Option<String>,
) -> CommandResult<Settle> {
    let connector = state.engine().await?.connector;
    Ok(connector
        .read(move |c| c.settle(&order, note.as_deref()))
        .await?)
}
