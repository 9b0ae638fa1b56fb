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

/// The watcher's `IsStatusNotifierHostRegistered`; an error when there is no watcher (or no bus).
#[cfg(target_os = "linux")]
fn host_registered() -> zbus::Result<bool> {
    const WATCHER: &str = "org.kde.StatusNotifierWatcher";
    let bus = zbus::blocking::Connection::session()?;
    let watcher: zbus::blocking::Proxy<'_> = zbus::blocking::proxy::Builder::new(&bus)
        .destination(WATCHER)?
        .path("/StatusNotifierWatcher")?
        .interface(WATCHER)?
        .cache_properties(zbus::proxy::CacheProperties::No)
        .build()?;
    watcher.get_property("IsStatusNotifierHostRegistered")
}
