//! Support: the Logs view and Export diagnostics. Both work before the wizard is finished, since
//! that is when an operator most needs them.

use connector::diagnostics::{self, DiagnosticsReport};
use connector::log_view::{self, LogLevel, LogTail};
use tauri::{AppHandle, State};

use super::blocking;
use super::save_dialog::{self, SaveAs};
use crate::error::CommandResult;
use crate::state::AppState;

/// The newest log lines at `min_level` or above, newest first.
#[tauri::command]
pub async fn logs(
    state: State<'_, AppState>,
    min_level: LogLevel,
    limit: u32,
) -> CommandResult<LogTail> {
    let dir = connector::logging::log_dir(&state.paths);
    blocking(move || log_view::recent(&dir, min_level, limit)).await
}

/// Writes the support bundle where the user chooses (the save dialog); `None` when cancelled.
#[tauri::command]
pub async fn export_diagnostics(
    app: AppHandle,
    state: State<'_, AppState>,
) -> CommandResult<Option<DiagnosticsReport>> {
    let ask = SaveAs {
        kind: "Zip archive",
        extension: "zip",
        file_name: diagnostics::default_file_name(chrono::Utc::now()),
        automation_env: "QUIPT_SHIPSTATION_DIAGNOSTICS_PATH",
    };
    let Some(path) = save_dialog::choose(&app, ask).await else {
        return Ok(None);
    };
    // What the window shows (the demo's settings and history in demo mode), and the app's logs.
    let paths = state.target().paths.clone();
    let logs = connector::logging::log_dir(&state.paths);
    let written = path.clone();
    let report = blocking(move || diagnostics::export(&paths, &logs, &written)).await?;
    super::folder::remember(&app, &path);
    Ok(Some(report))
}
