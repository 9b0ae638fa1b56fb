//! The main window's life. It is built from `tauri.conf.json`'s window (`"create": false`) when it
//! is first shown and again on Open. Closing it to the tray destroys it: the webview — WebKit's
//! web process, most of the app's memory — is freed while the engine keeps syncing in Rust, and
//! Open builds a fresh one. Without a tray host ([`crate::tray_host`]) closing minimises instead,
//! so the app never becomes invisible while it syncs.
//!
//! Size and position (the window-state plugin) are saved to disk when the window is asked to close,
//! before it goes away, and a moment after it was last moved or resized — not only when the app
//! quits, which a logout, a stop of the service or a kill skips — and restored whenever it is
//! built. A start minimised to the tray (`--minimized`, start on login)
//! builds no window at all until Open.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tauri::webview::PageLoadEvent;
use tauri::{AppHandle, CloseRequestApi, Manager, WebviewWindow, WebviewWindowBuilder, Window};
use tauri_plugin_window_state::{AppHandleExt, StateFlags};

/// The main window's label (`tauri.conf.json`, `capabilities/main.json`).
pub const MAIN: &str = "main";

/// What the window-state plugin keeps: everything but visibility, which [`at_launch`] decides.
pub fn state_flags() -> StateFlags {
    StateFlags::all() - StateFlags::VISIBLE
}

/// What closing the window does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnClose {
    /// Destroy it (and its webview); the tray's Open builds it again.
    ToTray,
    /// Keep it, minimised: there is no tray to come back from.
    Minimise,
}

/// What closing does, given whether a tray host shows our icon.
pub fn on_close(tray_host: bool) -> OnClose {
    if tray_host {
        OnClose::ToTray
    } else {
        OnClose::Minimise
    }
}

/// What a launch does with the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AtLaunch {
    /// Build and show it.
    Show,
    /// Build it minimised (started minimised, but no tray to open it from).
    Minimised,
    /// No window until Open (started minimised to the tray).
    InTray,
}

/// What a launch does, given `--minimized` (start on login) and whether a tray host exists.
pub fn at_launch(minimized: bool, tray_host: bool) -> AtLaunch {
    match (minimized, tray_host) {
        (false, _) => AtLaunch::Show,
        (true, true) => AtLaunch::InTray,
        (true, false) => AtLaunch::Minimised,
    }
}

/// At launch: builds the window, minimised or not at all as [`at_launch`] decides.
///
/// # Errors
/// When the window cannot be built.
pub fn launch(app: &AppHandle, minimized: bool) -> tauri::Result<()> {
    match at_launch(minimized, crate::tray_host::present()) {
        AtLaunch::Show => {
            build(app, "launch")?;
        }
        AtLaunch::Minimised => build(app, "launch")?.minimize()?,
        AtLaunch::InTray => tracing::info!("started in the tray: no window until Open"),
    }
    Ok(())
}

/// Shows and focuses the main window, building it again if it was closed to the tray (the tray's
/// Open, a second launch, the Dock icon on macOS).
pub fn open(app: &AppHandle) {
    let shown = match app.get_webview_window(MAIN) {
        Some(window) => window
            .show()
            .and_then(|()| window.unminimize())
            .and_then(|()| window.set_focus()),
        None => build(app, "reopen").map(drop),
    };
    if let Err(e) = shown {
        tracing::warn!("the window could not be opened: {e}");
    }
}

/// The window was asked to close (its close button, the window manager): saves its size and
/// position, then lets it go to the tray or minimises it.
pub fn close_requested(window: &Window, api: &CloseRequestApi) {
    if let Err(e) = window.app_handle().save_window_state(state_flags()) {
        tracing::warn!("the window's size and position were not saved: {e}");
    }
    match on_close(crate::tray_host::present()) {
        OnClose::ToTray => tracing::info!("window closed to the tray; the engine keeps syncing"),
        OnClose::Minimise => {
            api.prevent_close();
            if let Err(e) = window.minimize() {
                tracing::warn!("the window could not be minimised: {e}");
            }
            tracing::info!("no tray host on this desktop: the window is minimised, not closed");
        }
    }
}

/// How long the window must stay still after a move or resize before its state is saved: a drag
/// is one save, not hundreds. The end-to-end tests lengthen it
/// (`QUIPT_SHIPSTATION_WINDOW_SETTLE_MS`) to see the save a close makes on its own.
const SETTLE: Duration = Duration::from_millis(500);

/// The window was moved or resized: saves its state once it has stayed still for [`SETTLE`].
pub fn moved_or_resized(window: &Window) {
    static LATEST: AtomicU64 = AtomicU64::new(0);
    let this = LATEST.fetch_add(1, Ordering::SeqCst) + 1;
    let app = window.app_handle().clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(
            crate::automation::millis("QUIPT_SHIPSTATION_WINDOW_SETTLE_MS").unwrap_or(SETTLE),
        )
        .await;
        if LATEST.load(Ordering::SeqCst) == this
            && let Err(e) = app.save_window_state(state_flags())
        {
            tracing::warn!("the window's size and position were not saved: {e}");
        }
    });
}

/// Builds the main window from the configuration (the plugin restores its size and position) and
/// logs how long its first page took to load (`after` says whether at launch or reopening).
fn build(app: &AppHandle, after: &'static str) -> tauri::Result<WebviewWindow> {
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == MAIN)
        .cloned()
        .ok_or_else(|| tauri::Error::WindowNotFound)?;
    let started = Instant::now();
    WebviewWindowBuilder::from_config(app, &config)?
        .on_page_load(move |_, payload| {
            if payload.event() == PageLoadEvent::Finished {
                let ms = started.elapsed().as_millis();
                tracing::info!(ms, after, "window ready in {ms} ms ({after})");
            }
        })
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closing_goes_to_the_tray_only_where_a_tray_host_shows_the_icon() {
        assert_eq!(
            on_close(true),
            OnClose::ToTray,
            "with a tray, closing frees the window"
        );
        assert_eq!(
            on_close(false),
            OnClose::Minimise,
            "without a tray the app must stay reachable while it syncs"
        );
    }

    #[test]
    fn a_start_minimised_builds_no_window_with_a_tray_and_a_minimised_one_without() {
        assert_eq!(at_launch(false, true), AtLaunch::Show);
        assert_eq!(at_launch(false, false), AtLaunch::Show);
        assert_eq!(
            at_launch(true, true),
            AtLaunch::InTray,
            "start on login with a tray: nothing on screen, no webview in memory"
        );
        assert_eq!(
            at_launch(true, false),
            AtLaunch::Minimised,
            "start on login without a tray: a minimised window, never an invisible app"
        );
    }
}
