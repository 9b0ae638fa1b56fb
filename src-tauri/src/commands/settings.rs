//! Settings-only commands: start on login (the autostart plugin, called from Rust so the window
//! needs no plugin permission).

use tauri::AppHandle;
use tauri_plugin_autostart::ManagerExt;

use crate::error::{CommandError, CommandResult};

/// Whether the app starts on login.
#[tauri::command]
pub async fn autostart(app: AppHandle) -> CommandResult<bool> {
    app.autolaunch()
        .is_enabled()
        .map_err(|e| CommandError::app(format!("start on login: {e}")))
}

/// Turns start on login on or off.
#[tauri::command]
pub async fn set_autostart(app: AppHandle, enabled: bool) -> CommandResult<bool> {
    let launcher = app.autolaunch();
    let result = if enabled {
        launcher.enable()
    } else {
        launcher.disable()
    };
    result.map_err(|e| CommandError::app(format!("start on login: {e}")))?;
    Ok(enabled)
}
