//! The Quipt ShipStation Connector's desktop shell (Tauri 2). It only translates: commands call
//! `connector` in one line each, the engine's `SyncEvent`s are forwarded to the webview unchanged,
//! the tray shows the engine's `Health`. Syncs run on tokio in the background, so the window never
//! waits on one.
//!
//! Not here: business rules (they live in `connector`, so the CLI and the app agree), secrets
//! (the keyring only).
//!
//! `QUIPT_SHIPSTATION_CONFIG` and `QUIPT_SHIPSTATION_DATA_DIR` choose the settings file and data
//! directory (as for the CLI). Only in a build with the `automation` feature (the end-to-end
//! harness's), `QUIPT_SHIPSTATION_EXPORT_PATH` answers the CSV save dialog and
//! `QUIPT_SHIPSTATION_DIAGNOSTICS_PATH` the diagnostics one.

mod commands;
mod demo;
mod engine;
mod error;
mod events;
mod state;
mod tray;

use std::path::PathBuf;
use std::sync::Mutex;

use tauri::Manager;

pub use state::AppState;

/// Builds and runs the app: plugins, state, tray, and the engine if the wizard was finished before.
///
/// # Panics
/// When the window system cannot be initialised (nothing useful can run then).
pub fn run() {
    let paths = connector::Paths::resolve(
        std::env::var_os("QUIPT_SHIPSTATION_CONFIG").map(PathBuf::from),
        std::env::var_os("QUIPT_SHIPSTATION_DATA_DIR").map(PathBuf::from),
    );
    // The same daily files as the CLI, so the Logs view and the diagnostics bundle show both.
    let log_guard = Mutex::new(connector::logging::init_default(&paths));
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "desktop app started");
    let app = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            tray::show_window(app);
        }))
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            Some(vec!["--minimized"]),
        ))
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .manage(AppState::new(paths))
        .invoke_handler(commands::handler())
        .setup(|app| {
            tray::create(app.handle())?;
            if std::env::args().any(|a| a == "--minimized")
                && let Some(window) = app.get_webview_window("main")
            {
                window.hide()?;
            }
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                if let Err(e) = engine::resume(&handle).await {
                    tracing::warn!("the engine did not start: {}", e.message);
                }
            });
            Ok(())
        })
        .on_window_event(|window, event| {
            // Closing the window keeps syncing in the tray; Quit is in the tray menu.
            if let tauri::WindowEvent::CloseRequested { api, .. } = event {
                api.prevent_close();
                let _ = window.hide();
            }
        })
        .build(tauri::generate_context!())
        .expect("the desktop app could not start");
    app.run(move |_, event| {
        if let tauri::RunEvent::Exit = event {
            tracing::info!("desktop app quit");
            // The event loop ends the process without unwinding: flush the log file now.
            drop(log_guard.lock().map(|mut guard| guard.take()));
        }
    });
}
