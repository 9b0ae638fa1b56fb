//! "Show in folder" after an export: the system's file manager opens the folder with the file
//! selected (the opener plugin's reveal). Only a file this app wrote since it started — a CSV
//! export, a diagnostics bundle — can be shown, so the window cannot point the file manager at
//! any path it likes.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tauri::{AppHandle, Manager};
use tauri_plugin_opener::OpenerExt;

use crate::error::{CommandError, CommandResult};

/// The files the operator had this app write, newest last.
#[derive(Debug, Default)]
struct Written(Mutex<Vec<PathBuf>>);

/// Remembers a file just written at the operator's request, so that it may be shown in its folder.
pub fn remember(app: &AppHandle, path: &Path) {
    // Managed on first use: `manage` leaves an existing list as it is.
    app.manage(Written::default());
    if let Ok(mut written) = app.state::<Written>().0.lock() {
        written.push(path.to_path_buf());
    }
}

/// Whether `asked` is one of the files the app wrote.
fn may_show(written: &[PathBuf], asked: &Path) -> bool {
    written.iter().any(|path| path == asked)
}

/// Opens the file manager at `path`, the file selected.
#[tauri::command]
pub async fn show_in_folder(app: AppHandle, path: String) -> CommandResult<()> {
    let path = PathBuf::from(path);
    let written = app
        .try_state::<Written>()
        .is_some_and(|w| w.0.lock().is_ok_and(|written| may_show(&written, &path)));
    if !written {
        return Err(CommandError::app(
            "only a file this app has saved can be shown in its folder",
        ));
    }
    let opener = app.clone();
    let shown = path.clone();
    // The reveal talks to the file manager over D-Bus and waits for its answer.
    tauri::async_runtime::spawn_blocking(move || opener.opener().reveal_item_in_dir(&shown))
        .await
        .map_err(|e| CommandError::app(format!("the task stopped: {e}")))?
        .map_err(|e| {
            CommandError::app(format!(
                "no file manager could show it ({e}); the file is {}",
                path.display()
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_file_the_app_wrote_is_shown() {
        let written = vec![PathBuf::from("/home/ops/orders.csv")];
        assert!(
            may_show(&written, Path::new("/home/ops/orders.csv")),
            "the export just saved"
        );
        assert!(
            !may_show(&written, Path::new("/home/ops/.ssh/id_ed25519")),
            "a path the window made up is refused"
        );
        assert!(
            !may_show(&[], Path::new("/home/ops/orders.csv")),
            "nothing saved yet"
        );
    }
}
