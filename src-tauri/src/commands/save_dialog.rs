//! The native save dialog, answered by an environment variable under automation (the end-to-end
//! tests cannot drive a GTK file chooser). Only a build with the `automation` feature — the one the
//! end-to-end harness makes — reads those variables: in a release nothing outside the dialog can
//! choose where the app writes.

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
    /// The variable whose value, when set, is the answer without a dialog (`automation` builds).
    pub automation_env: &'a str,
}

/// The chosen path, or `None` when the user cancelled.
pub async fn choose(app: &AppHandle, ask: SaveAs<'_>) -> Option<PathBuf> {
    if let Some(path) = automation_answer(ask.automation_env) {
        return Some(path);
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

/// The path the end-to-end tests put in `variable`.
#[cfg(feature = "automation")]
fn automation_answer(variable: &str) -> Option<PathBuf> {
    std::env::var_os(variable).map(PathBuf::from)
}

/// Without the `automation` feature the variables are not read.
#[cfg(not(feature = "automation"))]
fn automation_answer(_variable: &str) -> Option<PathBuf> {
    None
}

#[cfg(all(test, not(feature = "automation")))]
mod tests {
    #[test]
    fn a_build_without_automation_reads_no_path_from_the_environment() {
        assert!(
            std::env::var_os("PATH").is_some(),
            "the test needs a variable that is set"
        );
        assert_eq!(
            super::automation_answer("PATH"),
            None,
            "only the end-to-end build lets a variable answer the save dialog"
        );
    }
}
