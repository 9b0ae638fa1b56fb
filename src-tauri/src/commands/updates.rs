//! The update notice's commands: what the last check found, and its page in the browser.

use connector::updates::{self, Notice};
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;

use crate::error::{CommandError, CommandResult};
use crate::state::AppState;
use crate::updates::VERSION;

/// The newer release the last check found, if any (no request: a new window shows it at once).
#[tauri::command]
pub async fn update_notice(state: State<'_, AppState>) -> CommandResult<Option<Notice>> {
    Ok(updates::known(&state.paths, state.is_demo(), VERSION))
}

/// Opens the newer release's page in the browser: the feed's https link, never an address the
/// webview passes.
#[tauri::command]
pub async fn open_update_page(app: AppHandle, state: State<'_, AppState>) -> CommandResult<()> {
    let notice = updates::known(&state.paths, state.is_demo(), VERSION)
        .ok_or_else(|| CommandError::app("no newer version is known"))?;
    app.opener()
        .open_url(&notice.url, None::<&str>)
        .map_err(|e| CommandError::app(format!("the browser did not open {}: {e}", notice.url)))
}
