//! The tray: a dot coloured by the engine's health (green, amber, red, grey before the first run)
//! and the menu Sync now, Pause/Resume, Open, Quit.

use connector::Health;
use connector::schedule::SyncCommand;
use tauri::image::Image;
use tauri::menu::{Menu, MenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager};

use crate::engine::AppState;

const TRAY_ID: &str = "main";
const SIZE: u32 = 32;
/// Before the first sync has ended: nothing is known to be good or bad yet.
const GREY: [u8; 3] = [140, 140, 140];

/// Creates the tray icon and its menu.
///
/// # Errors
/// When the desktop has no tray support.
pub fn create(app: &AppHandle) -> tauri::Result<()> {
    let menu = Menu::with_items(
        app,
        &[
            &MenuItem::with_id(app, "sync_now", "Sync now", true, None::<&str>)?,
            &MenuItem::with_id(app, "pause", "Pause", true, None::<&str>)?,
            &MenuItem::with_id(app, "resume", "Resume", true, None::<&str>)?,
            &MenuItem::with_id(app, "open", "Open", true, None::<&str>)?,
            &MenuItem::with_id(app, "quit", "Quit", true, None::<&str>)?,
        ],
    )?;
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(dot(GREY))
        .tooltip("Quipt ShipStation Connector: not set up yet")
        .menu(&menu)
        .on_menu_event(|app, event| {
            let app = app.clone();
            match event.id().as_ref() {
                "open" => show_window(&app),
                "quit" => app.exit(0),
                id => {
                    let command = id.to_string();
                    tauri::async_runtime::spawn(async move {
                        let Ok(engine) = app.state::<AppState>().engine().await else {
                            show_window(&app);
                            return;
                        };
                        match command.as_str() {
                            "sync_now" => engine.schedule.send(SyncCommand::SyncNow(None)).await,
                            "pause" => engine.schedule.send(SyncCommand::Pause).await,
                            "resume" => engine.schedule.send(SyncCommand::Resume).await,
                            _ => {}
                        }
                    });
                }
            }
        })
        .build(app)?;
    Ok(())
}

/// Recolours the tray for `health`.
pub fn set_health(app: &AppHandle, health: Health) {
    if let Some(tray) = app.tray_by_id(TRAY_ID) {
        let colour = match health {
            Health::FirstSync => GREY,
            Health::Ok => [46, 160, 67],
            Health::Warning => [219, 154, 4],
            Health::Failing => [207, 34, 46],
        };
        let _ = tray.set_icon(Some(dot(colour)));
        let _ = tray.set_tooltip(Some(format!(
            "Quipt ShipStation Connector: {}",
            describe(health)
        )));
    }
}

/// The words for a health.
pub fn describe(health: Health) -> &'static str {
    match health {
        Health::FirstSync => "first sync in progress",
        Health::Ok => "all good",
        Health::Warning => "orders need attention",
        Health::Failing => "sync failing",
    }
}

/// Shows and focuses the main window (the tray's Open, a second launch).
pub fn show_window(app: &AppHandle) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.show();
        let _ = window.unminimize();
        let _ = window.set_focus();
    }
}

/// A filled circle of `rgb` on transparency, drawn here so the three colours need no image files.
fn dot(rgb: [u8; 3]) -> Image<'static> {
    let mut rgba = Vec::with_capacity((SIZE * SIZE * 4) as usize);
    let centre = (SIZE as f32 - 1.0) / 2.0;
    let radius = SIZE as f32 / 2.0 - 2.0;
    for y in 0..SIZE {
        for x in 0..SIZE {
            let d = ((x as f32 - centre).powi(2) + (y as f32 - centre).powi(2)).sqrt();
            let alpha = ((radius - d + 0.5).clamp(0.0, 1.0) * 255.0) as u8;
            rgba.extend_from_slice(&[rgb[0], rgb[1], rgb[2], alpha]);
        }
    }
    Image::new_owned(rgba, SIZE, SIZE)
}
