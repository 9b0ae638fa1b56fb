//! What the app gives back once its window has gone to the tray (issue 19: a connector idling in
//! the tray costs ≤ 120 MB for all its processes).
//!
//! Destroying the window ends WebKit's web process, but WebKit keeps its network process for as
//! long as the app's web context lives, and Tauri keeps that context for the app's lifetime on
//! Linux (WebKit leaks a network process per context otherwise, tauri#14626). So, a while after the
//! window has gone and while it stays gone, the app ends that process itself (WebKit starts a new
//! one with the next window), then continues in a fresh process that builds no web view until Open
//! ([`crate::handover`]), as the journey `a_window_reopened_from_the_tray_works_after_webkit_let_go`
//! checks.

use std::time::Duration;

use tauri::{AppHandle, Manager};

use crate::window::MAIN;

/// How long the window must have been gone before WebKit's network process is ended and the app
/// hands over: a close followed by a quick Open reuses both, and WebKit has long finished with the
/// closed page.
const GRACE: Duration = Duration::from_secs(30);

/// The window was destroyed (closed to the tray): after [`GRACE`], if it is still gone, ends
/// WebKit's network process and hands over to a fresh process.
pub fn window_destroyed(app: &AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        // The end-to-end tests shorten it, so that a journey sees the process end in seconds.
        let grace = crate::automation::millis("QUIPT_SHIPSTATION_TRAY_GRACE_MS").unwrap_or(GRACE);
        tokio::time::sleep(grace).await;
        let on_main = app.clone();
        // On the main thread, where windows are built: no window can appear between the check and
        // the end of the process it would load its page through.
        let asked = app.run_on_main_thread(move || {
            if on_main.get_webview_window(MAIN).is_none() {
                let_go(&on_main);
            }
        });
        if let Err(e) = asked {
            tracing::debug!("WebKit's network process was left running: {e}");
        }
    });
}

/// Ends WebKit's network process, then hands over to a fresh process ([`crate::handover`]).
#[cfg(target_os = "linux")]
fn let_go(app: &AppHandle) {
    // Empty when an earlier close's wait already ended it.
    let ended = crate::webkit_network::end(nix::sys::signal::Signal::SIGTERM);
    if !ended.is_empty() {
        tracing::info!("window in the tray: WebKit's network process ended");
    }
    crate::handover::start(app, ended);
}

/// Elsewhere the app keeps what it has (what a closed web view leaves behind there is not
/// measured).
#[cfg(not(target_os = "linux"))]
fn let_go(_: &AppHandle) {}
