//! The tray: a dot coloured by the engine's health (green, amber, red, grey before a setup), a
//! tooltip that says so in words (and "Demo data" in demo mode), and the menu Sync now,
//! Pause/Resume, Open, Quit.

use connector::Health;
use connector::schedule::SyncCommand;
use tauri::image::Image;
use tauri::menu::{Menu, MenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager};

use crate::state::AppState;

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
        .tooltip(tooltip(false, None))
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

/// Recolours the tray for `health` (`None`: not set up yet, grey) and says in its tooltip whether
/// the app shows demo data.
pub fn update(app: &AppHandle, health: Option<Health>) {
    let demo = app.state::<AppState>().is_demo();
    if let Some(tray) = app.tray_by_id(TRAY_ID) {
        let colour = match health {
            None | Some(Health::FirstSync) => GREY,
            Some(Health::Ok) => [46, 160, 67],
            Some(Health::Warning) => [219, 154, 4],
            Some(Health::Failing) => [207, 34, 46],
        };
        let _ = tray.set_icon(Some(dot(colour)));
        let _ = tray.set_tooltip(Some(tooltip(demo, health)));
    }
}

/// The tray's tooltip: the health in words, after "Demo data" while the demo runs.
fn tooltip(demo: bool, health: Option<Health>) -> String {
    let state = health.map_or("not set up yet", describe);
    if demo {
        format!("Quipt ShipStation Connector — Demo data: {state}")
    } else {
        format!("Quipt ShipStation Connector: {state}")
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tooltip_says_demo_data_while_the_demo_runs_and_only_then() {
        assert_eq!(
            tooltip(true, Some(Health::Ok)),
            "Quipt ShipStation Connector — Demo data: all good"
        );
        assert_eq!(
            tooltip(true, None),
            "Quipt ShipStation Connector — Demo data: not set up yet"
        );
        assert_eq!(
            tooltip(false, Some(Health::Failing)),
            "Quipt ShipStation Connector: sync failing",
            "real accounts carry no demo words"
        );
    }
}
