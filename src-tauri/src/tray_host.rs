//! Whether the desktop shows tray icons at all. Stock GNOME has none (its AppIndicator extension,
//! KDE, XFCE's panel plugin and most others run a StatusNotifier host): an app closed "to the tray"
//! there would become invisible while it keeps syncing, with no way back but a second launch. So
//! closing the window asks here first, every time (a host can come and go during a session).
//!
//! On Linux the answer is the session bus's `org.kde.StatusNotifierWatcher`, the registry the
//! tray library (libayatana-appindicator) hands our icon to: present, and saying a host is
//! registered. Anything else — no watcher, no session bus, a watcher without a host — counts as
//! no tray, which only costs a minimised window instead of a hidden one. macOS (the menu bar) and
//! Windows (the notification area) always have one.

/// How long a close waits for the tray's registry to answer before it counts as no tray.
#[cfg(target_os = "linux")]
const ANSWER_WITHIN: std::time::Duration = std::time::Duration::from_millis(500);

/// Whether a tray host shows our icon now.
#[cfg(target_os = "linux")]
pub fn present() -> bool {
    match host_registered() {
        Ok(registered) => registered,
        Err(e) => {
            tracing::debug!("no StatusNotifier host on the session bus: {e}");
            false
        }
    }
}

/// Whether a tray host shows our icon now.
#[cfg(not(target_os = "linux"))]
pub fn present() -> bool {
    true
}

/// The watcher's `IsStatusNotifierHostRegistered`; an error when there is no watcher (or no bus),
/// or when it does not answer within [`ANSWER_WITHIN`]: the question is asked on the window's
/// thread as it closes, which must not hang on a stuck watcher (D-Bus's own default is 25 s).
#[cfg(target_os = "linux")]
fn host_registered() -> zbus::Result<bool> {
    const WATCHER: &str = "org.kde.StatusNotifierWatcher";
    let bus = zbus::blocking::connection::Builder::session()?
        .method_timeout(ANSWER_WITHIN)
        .build()?;
    let watcher: zbus::blocking::Proxy<'_> = zbus::blocking::proxy::Builder::new(&bus)
        .destination(WATCHER)?
        .path("/StatusNotifierWatcher")?
        .interface(WATCHER)?
        .cache_properties(zbus::proxy::CacheProperties::No)
        .build()?;
    watcher.get_property("IsStatusNotifierHostRegistered")
}
