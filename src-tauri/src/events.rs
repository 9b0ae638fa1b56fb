//! Forwards the engine's `SyncEvent`s to the webview unchanged (event `sync-event`), and turns the
//! two that matter to someone not looking at the window — a health change, orders held — into the
//! tray's colour and a desktop notification. Nothing else notifies, so the desktop stays quiet.
//! Time alone can change the health (no successful run for a while), so it is looked at once a
//! minute as well.

use std::sync::Arc;
use std::time::Duration;

use connector::{Connector, SyncEvent};
use tauri::{AppHandle, Emitter};
use tauri_plugin_notification::NotificationExt;
use tokio::sync::broadcast::error::RecvError;

use crate::state::Forwarding;

/// The webview's event name.
pub const SYNC_EVENT: &str = "sync-event";

/// How often the health is looked at between runs.
const HEALTH_CHECK: Duration = Duration::from_secs(60);

/// Spawns the forwarder for this connector; it ends when the connector is dropped or the
/// returned [`Forwarding`] is ended (after which no event of it reaches the window, the tray or
/// the desktop).
pub fn forward(app: &AppHandle, connector: &Arc<Connector>) -> Forwarding {
    let mut events = connector.subscribe();
    let app = app.clone();
    let watched = Arc::downgrade(connector);
    let forwarding = Forwarding::default();
    let open = forwarding.clone();
    tauri::async_runtime::spawn(async move {
        let mut tick = tokio::time::interval(HEALTH_CHECK);
        loop {
            let received = tokio::select! {
                received = events.recv() => received,
                _ = tick.tick() => {
                    // A change is published as HealthChanged, which arrives here like any event.
                    if let Some(connector) = watched.upgrade() {
                        let _ = connector.read(|c| c.publish_health()).await;
                    }
                    continue;
                }
            };
            let event = match received {
                Ok(event) => event,
                Err(RecvError::Lagged(_)) => continue,
                Err(RecvError::Closed) => break,
            };
            let Some(_passing) = open.pass().await else {
                break;
            };
            let _ = app.emit(SYNC_EVENT, &event);
            match &event {
                SyncEvent::HealthChanged { to, .. } => {
                    crate::tray::refresh(&app).await;
                    notify(
                        &app,
                        &format!("Connector health: {}", crate::tray::describe(*to)),
                    );
                }
                SyncEvent::RunFinished { summary } if !summary.dry_run && summary.held > 0 => {
                    notify(
                        &app,
                        &format!(
                            "{} orders held: open the dashboard to see why and retry",
                            summary.held
                        ),
                    );
                }
                _ => {}
            }
        }
    });
    forwarding
}

fn notify(app: &AppHandle, body: &str) {
    if let Err(e) = app
        .notification()
        .builder()
        .title("Quipt ShipStation Connector")
        .body(body)
        .show()
    {
        tracing::debug!("notification not shown: {e}");
    }
}
