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
//! harness's), `QUIPT_SHIPSTATION_EXPORT_PATH` answers the CSV save dialog,
//! `QUIPT_SHIPSTATION_DIAGNOSTICS_PATH` the diagnostics one, and the durations of `automation.rs`
//! can be changed.

mod automation;
mod commands;
mod continued;
mod demo;
mod engine;
mod error;
mod events;
#[cfg(target_os = "linux")]
mod handover;
mod idle;
mod state;
mod tray;
mod tray_host;
mod updates;
#[cfg(target_os = "linux")]
mod webkit_network;
mod window;

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
    let log_file = LogFile(Mutex::new(connector::logging::init_default(&paths)));
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "desktop app started");
    let app = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            window::open(app);
        }))
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            Some(vec!["--minimized"]),
        ))
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(
            tauri_plugin_window_state::Builder::new()
                .with_state_flags(window::state_flags())
                .build(),
        )
        .manage(AppState::new(paths))
        .manage(log_file)
        .invoke_handler(commands::handler())
        .setup(|app| {
            tray::create(app.handle())?;
            window::launch(app.handle(), std::env::args().any(|a| a == "--minimized"))?;
            let continued = continued::Continued::from_args(std::env::args());
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                if let Err(e) = engine::resume(&handle, continued).await {
                    tracing::warn!("the engine did not start: {}", e.message);
                }
            });
            Ok(())
        })
        .on_window_event(|window, event| match event {
            tauri::WindowEvent::CloseRequested { api, .. } => window::close_requested(window, api),
            tauri::WindowEvent::Moved(_) | tauri::WindowEvent::Resized(_) => {
                window::moved_or_resized(window);
            }
            tauri::WindowEvent::Destroyed if window.label() == window::MAIN => {
                idle::window_destroyed(tauri::Manager::app_handle(window));
            }
            _ => {}
        })
        .build(tauri::generate_context!())
        .expect("the desktop app could not start");
    app.run(move |app, event| match event {
        // The window closed to the tray: the app lives on there (Quit passes an exit code).
        tauri::RunEvent::ExitRequested {
            code: None, api, ..
        } => api.prevent_exit(),
        // macOS: the Dock icon clicked while the window is closed to the tray.
        #[cfg(target_os = "macos")]
        tauri::RunEvent::Reopen {
            has_visible_windows: false,
            ..
        } => window::open(app),
        tauri::RunEvent::Exit => {
            tracing::info!("desktop app quit");
            // The event loop ends the process without unwinding: flush the log file now.
            app.state::<LogFile>().close();
        }
        _ => {}
    });
}

/// The log file's writer (`None` when no file could be written), closed — its last lines flushed —
/// when the process ends or is replaced ([`handover`]); lines logged after that reach stderr only.
struct LogFile(Mutex<Option<connector::logging::LogGuard>>);

impl LogFile {
    fn close(&self) {
        drop(self.0.lock().map(|mut guard| guard.take()));
    }
}
