//! The tray: a dot coloured by the engine's health (green, amber, red, grey before a setup), a
//! tooltip that says so in words with the last successful sync (and "Demo data" in demo mode), and
//! the menu Sync now, Pause or Resume (only the one that applies), Open, Quit.

use chrono::{DateTime, Local};
use connector::Health;
use connector::schedule::SyncCommand;
use tauri::image::Image;
use tauri::menu::{Menu, MenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Wry};

use crate::state::AppState;

const TRAY_ID: &str = "main";
const SIZE: u32 = 32;
/// Before the first sync has ended: nothing is known to be good or bad yet.
const GREY: [u8; 3] = [140, 140, 140];

/// What the tray shows, read from the engine.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct View {
    /// The health; `None` before a setup.
    pub health: Option<Health>,
    /// Why it is amber or red ("no successful sync for 2 h", "3 orders need attention").
    pub why: Option<String>,
    /// Whether the demo runs.
    pub demo: bool,
    /// Whether the schedule is paused; `None` while there is no engine (nothing to pause).
    pub paused: Option<bool>,
    /// When the last successful sync ended.
    pub last_sync: Option<DateTime<Local>>,
}

/// The menu's entries (id, label) for `paused`: Pause while it runs, Resume while paused, neither
/// before a setup.
fn entries(paused: Option<bool>) -> Vec<(&'static str, &'static str)> {
    let mut entries = vec![("sync_now", "Sync now")];
    match paused {
        Some(false) => entries.push(("pause", "Pause")),
        Some(true) => entries.push(("resume", "Resume")),
        None => {}
    }
    entries.extend([("open", "Open"), ("quit", "Quit")]);
    entries
}

/// Which menu is shown now (it is built again only when that changes).
#[derive(Default)]
pub struct Shown(std::sync::Mutex<Option<Option<bool>>>);

fn menu(app: &AppHandle, paused: Option<bool>) -> tauri::Result<Menu<Wry>> {
    let menu = Menu::new(app)?;
    for (id, label) in entries(paused) {
        menu.append(&MenuItem::with_id(app, id, label, true, None::<&str>)?)?;
    }
    Ok(menu)
}

/// Creates the tray icon and its menu.
///
/// # Errors
/// When the desktop has no tray support.
pub fn create(app: &AppHandle) -> tauri::Result<()> {
    app.manage(Shown::default());
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(dot(GREY))
        .tooltip(tooltip(&View::default(), Local::now()))
        .menu(&menu(app, None)?)
        .on_menu_event(|app, event| {
            let app = app.clone();
            match event.id().as_ref() {
                "open" => crate::window::open(&app),
                "quit" => app.exit(0),
                id => {
                    let command = id.to_string();
                    tauri::async_runtime::spawn(async move {
                        let Ok(engine) = app.state::<AppState>().engine().await else {
                            crate::window::open(&app);
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

/// Shows the engine's current state in the tray: colour, tooltip, and Pause or Resume.
pub async fn refresh(app: &AppHandle) {
    let state = app.state::<AppState>();
    let engine = state.engine.read().await.clone();
    let view = match engine {
        Some(engine) => {
            // The history is read off the async threads, on its own connection.
            let glance = engine.connector.clone().read(|c| c.glance()).await.ok();
            View {
                health: glance.as_ref().map(|g| g.health.health),
                why: glance.as_ref().map(|g| g.health.why.clone()),
                demo: state.is_demo(),
                paused: Some(engine.schedule.state().paused),
                last_sync: glance
                    .and_then(|g| g.last_success_at)
                    .and_then(|at| DateTime::parse_from_rfc3339(&at).ok())
                    .map(|at| at.with_timezone(&Local)),
            }
        }
        None => View {
            demo: state.is_demo(),
            ..View::default()
        },
    };
    show(app, &view);
}

fn show(app: &AppHandle, view: &View) {
    let Some(tray) = app.tray_by_id(TRAY_ID) else {
        return;
    };
    let _ = tray.set_icon(Some(dot(colour(view.health))));
    let _ = tray.set_tooltip(Some(tooltip(view, Local::now())));
    let shown = app.state::<Shown>();
    let mut shown = shown.0.lock().unwrap_or_else(|p| p.into_inner());
    if *shown != Some(view.paused) {
        match menu(app, view.paused).and_then(|menu| tray.set_menu(Some(menu))) {
            Ok(()) => *shown = Some(view.paused),
            Err(e) => tracing::warn!("the tray menu could not be updated: {e}"),
        }
    }
}

/// The dot's colour: green, amber or red by health; grey until there is one (not set up, or the
/// first sync still running).
fn colour(health: Option<Health>) -> [u8; 3] {
    match health {
        None | Some(Health::FirstSync) => GREY,
        Some(Health::Ok) => [46, 160, 67],
        Some(Health::Warning) => [219, 154, 4],
        Some(Health::Failing) => [207, 34, 46],
    }
}

/// The tray's tooltip: the health in words and the last successful sync, after "Demo data" while
/// the demo runs.
fn tooltip(view: &View, now: DateTime<Local>) -> String {
    let mut state = view.health.map_or("not set up yet", describe).to_string();
    if let (Some(Health::Warning | Health::Failing), Some(why)) = (view.health, &view.why)
        && !why.is_empty()
    {
        state.push_str(&format!(" ({why})"));
    }
    if view.health.is_some_and(|h| h != Health::FirstSync) {
        state.push_str(&match view.last_sync {
            Some(at) if at.date_naive() == now.date_naive() => {
                format!("; last sync {}", at.format("%H:%M"))
            }
            Some(at) => format!("; last sync {}", at.format("%-d %b %H:%M")),
            None => "; no successful sync yet".to_string(),
        });
    }
    if view.demo {
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
        Health::Warning => "needs attention",
        Health::Failing => "sync failing",
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
    use chrono::TimeZone;

    use super::*;

    fn at(day: u32, hour: u32, minute: u32) -> DateTime<Local> {
        Local
            .with_ymd_and_hms(2026, 12, day, hour, minute, 0)
            .single()
            .expect("a local time")
    }

    #[test]
    fn the_tooltip_says_demo_data_while_the_demo_runs_and_only_then() {
        let ok = View {
            health: Some(Health::Ok),
            last_sync: Some(at(3, 14, 5)),
            ..View::default()
        };
        assert_eq!(
            tooltip(
                &View {
                    demo: true,
                    ..ok.clone()
                },
                at(3, 15, 0)
            ),
            "Quipt ShipStation Connector — Demo data: all good; last sync 14:05"
        );
        assert_eq!(
            tooltip(
                &View {
                    demo: true,
                    ..View::default()
                },
                at(3, 15, 0)
            ),
            "Quipt ShipStation Connector — Demo data: not set up yet"
        );
        assert_eq!(
            tooltip(
                &View {
                    health: Some(Health::Failing),
                    ..ok
                },
                at(3, 15, 0)
            ),
            "Quipt ShipStation Connector: sync failing; last sync 14:05",
            "real accounts carry no demo words"
        );
    }

    #[test]
    fn the_tooltip_dates_a_last_sync_of_another_day_and_says_when_there_was_none() {
        let view = View {
            health: Some(Health::Warning),
            why: Some("2 orders held".into()),
            last_sync: Some(at(2, 23, 50)),
            ..View::default()
        };
        assert_eq!(
            tooltip(&view, at(3, 0, 10)),
            "Quipt ShipStation Connector: needs attention (2 orders held); last sync 2 Dec 23:50",
            "a time alone would read as today's"
        );
        assert_eq!(
            tooltip(
                &View {
                    health: Some(Health::FirstSync),
                    ..View::default()
                },
                at(3, 0, 10)
            ),
            "Quipt ShipStation Connector: first sync in progress",
            "the first sync is its own news"
        );
        assert_eq!(
            tooltip(
                &View {
                    health: Some(Health::Failing),
                    ..View::default()
                },
                at(3, 0, 10)
            ),
            "Quipt ShipStation Connector: sync failing; no successful sync yet"
        );
    }

    #[test]
    fn the_dot_is_green_amber_or_red_by_health_and_grey_before_there_is_one() {
        let [r, g, _] = colour(Some(Health::Ok));
        assert!(g > r, "ok is green");
        let [r, g, b] = colour(Some(Health::Warning));
        assert!(r > b && g > b && r > g, "warning is amber");
        let [r, g, b] = colour(Some(Health::Failing));
        assert!(r > g && r > b, "failing is red");
        assert_eq!(colour(None), GREY, "not set up yet: grey");
        assert_eq!(
            colour(Some(Health::FirstSync)),
            GREY,
            "the first sync is not judged yet"
        );
        let all = [Health::Ok, Health::Warning, Health::Failing].map(|h| colour(Some(h)));
        assert!(
            all.iter().all(|c| *c != GREY) && all[0] != all[1] && all[1] != all[2],
            "each health has its own colour: {all:?}"
        );
    }

    #[test]
    fn the_menu_offers_only_the_pause_or_resume_that_applies() {
        let ids = |paused| -> Vec<&str> { entries(paused).into_iter().map(|(id, _)| id).collect() };
        assert_eq!(
            ids(Some(false)),
            ["sync_now", "pause", "open", "quit"],
            "running: Pause"
        );
        assert_eq!(
            ids(Some(true)),
            ["sync_now", "resume", "open", "quit"],
            "paused: Resume"
        );
        assert_eq!(
            ids(None),
            ["sync_now", "open", "quit"],
            "nothing set up: nothing to pause"
        );
    }
}
