//! The native save dialog, answered by an environment variable under automation (the end-to-end
//! tests cannot drive a GTK file chooser).

use std::path::PathBuf;

use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

/// What to ask for.
pub struct SaveAs<'a> {
    /// The filter's name, e.g. "CSV".
    pub kind: &'a str,
    /// Its extension, without the dot.
    pub extension: &'a str,
    /// The proposed file name.
    pub file_name: String,
    /// The variable whose value, when set, is the answer without a dialog.
    pub automation_env: &'a str,
}

/// The chosen path, or `None` when the user cancelled.
pub async fn choose(app: &AppHandle, ask: SaveAs<'_>) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(ask.automation_env) {
        return Some(PathBuf::from(path));
    }
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .add_filter(ask.kind, &[ask.extension])
        .set_file_name(ask.file_name)
        .save_file(move |path| {
            let _ = tx.send(path.and_then(|p| p.into_path().ok()));
        });
    rx.await.ok().flatten()
}
