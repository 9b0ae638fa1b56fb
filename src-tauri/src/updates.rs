//! The update notice in the app: the engine's check ([`connector::updates`]) looked at once an
//! hour (it reads the feed at most once a day), a newer release sent to the window as the event
//! [`UPDATE_EVENT`]. Nothing is downloaded or installed; the window links to the release's page.

use std::time::Duration;

use tauri::{AppHandle, Emitter, Manager};

use crate::state::AppState;

/// The webview's event name; its payload is a [`connector::updates::Notice`].
pub const UPDATE_EVENT: &str = "update-notice";

/// This build's version, compared with the feed's.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// How often the check is looked at (the engine decides whether the feed is due).
const LOOK: Duration = Duration::from_secs(60 * 60);

/// Spawns the hourly look at the update check for the app's whole life.
pub fn follow(app: &AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            let state = app.state::<AppState>();
            let checked = connector::updates::check(
                &state.paths,
                state.is_demo(),
                VERSION,
                chrono::Utc::now(),
            )
            .await;
            match checked {
                Ok(Some(notice)) => {
                    tracing::info!(version = notice.version, "an update is available");
                    let _ = app.emit(UPDATE_EVENT, &notice);
                }
                Ok(None) => {}
                Err(e) => tracing::warn!("{e}"),
            }
            tokio::time::sleep(LOOK).await;
        }
    });
}
