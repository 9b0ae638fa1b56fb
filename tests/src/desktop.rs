//! The desktop around the app, for the journeys that need more than its window: a tray host on
//! the session bus (Xvfb has none), a notification server that keeps what the app notified, a
//! login's session bus whose keyring opens later, a window
//! manager's close button, a second launch (as the tray's Open does, through the single instance),
//! and the memory of the app's processes.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use crate::{App, Scene, Turn, app_path};

/// A stand-in StatusNotifier watcher with a host registered, on the session bus while this value
/// lives: the app then closes its window to the tray (destroying it) instead of minimising it.
/// Started within a journey's turn and holding it (it takes the [`Scene`]): every app on the bus
/// sees it, so one started by a journey still waiting, or left by one that ended, would give
/// another journey's app a tray it must not have.
pub struct TrayHost {
    _connection: zbus::Connection,
    _turn: Turn,
}

struct Watcher;

#[zbus::interface(name = "org.kde.StatusNotifierWatcher")]
impl Watcher {
    fn register_status_notifier_item(&self, _service: &str) {}

    fn register_status_notifier_host(&self, _service: &str) {}

    #[zbus(property)]
    fn is_status_notifier_host_registered(&self) -> bool {
        true
    }

    #[zbus(property)]
    fn registered_status_notifier_items(&self) -> Vec<String> {
        Vec::new()
    }

    #[zbus(property)]
    fn protocol_version(&self) -> i32 {
        0
    }
}

impl TrayHost {
    /// Owns `org.kde.StatusNotifierWatcher` on the session bus, for `scene`'s journey (whose turn
    /// lasts as long as this value).
    pub async fn start(scene: &Scene) -> TrayHost {
        let connection = zbus::connection::Builder::session()
            .and_then(|b| b.name("org.kde.StatusNotifierWatcher"))
            .and_then(|b| b.serve_at("/StatusNotifierWatcher", Watcher))
            .expect("a session bus")
            .build()
            .await
            .expect("the watcher's name is free on this session bus");
        TrayHost {
            _connection: connection,
            _turn: scene.turn.clone(),
        }
    }
}

/// A stand-in desktop notification server (`org.freedesktop.Notifications`) on the session bus
/// while this value lives: it shows nothing and keeps the body of every notification the app sent.
/// Started within a journey's turn and holding it (it takes the [`Scene`]), so it keeps that
/// journey's notifications and no other's.
pub struct NotificationServer {
    _connection: zbus::Connection,
    bodies: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    _turn: Turn,
}

struct Notifications(std::sync::Arc<std::sync::Mutex<Vec<String>>>);

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl Notifications {
    /// The Desktop Notifications Specification's `Notify`; answers a fresh id.
    #[allow(clippy::too_many_arguments)]
    fn notify(
        &self,
        _app_name: &str,
        _replaces_id: u32,
        _app_icon: &str,
        _summary: &str,
        body: &str,
        _actions: Vec<String>,
        _hints: std::collections::HashMap<String, zbus::zvariant::OwnedValue>,
        _expire_timeout: i32,
    ) -> u32 {
        let mut bodies = self.0.lock().unwrap_or_else(|p| p.into_inner());
        bodies.push(body.to_string());
        bodies.len() as u32
    }

    fn get_capabilities(&self) -> Vec<String> {
        vec!["body".into()]
    }

    fn get_server_information(&self) -> (String, String, String, String) {
        (
            "end-to-end".into(),
            "quipt".into(),
            "1".into(),
            "1.2".into(),
        )
    }

    fn close_notification(&self, _id: u32) {}
}

impl NotificationServer {
    /// Owns `org.freedesktop.Notifications` on the session bus (no server runs there under Xvfb),
    /// for `scene`'s journey (whose turn lasts as long as this value).
    pub async fn start(scene: &Scene) -> NotificationServer {
        let bodies = std::sync::Arc::<std::sync::Mutex<Vec<String>>>::default();
        let connection = zbus::connection::Builder::session()
            .and_then(|b| b.name("org.freedesktop.Notifications"))
            .and_then(|b| {
                b.serve_at(
                    "/org/freedesktop/Notifications",
                    Notifications(bodies.clone()),
                )
            })
            .expect("a session bus")
            .build()
            .await
            .expect("the notification server's name is free on this session bus");
        NotificationServer {
            _connection: connection,
            bodies,
            _turn: scene.turn.clone(),
        }
    }

    /// The bodies of the notifications received so far, in order.
    pub fn bodies(&self) -> Vec<String> {
        self.bodies
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

/// A session bus of its own, as a desktop login starts one before the keyring daemon has joined
/// it (the app launched on it finds no Secret Service); [`LoginBus::open_keyring`] then starts
/// gnome-keyring on it over the journeys' own keyring files, unlocked. Both end with this value,
/// which holds the journey's turn: that second daemon must not outlive it.
pub struct LoginBus {
    dir: PathBuf,
    address: String,
    bus: Child,
    keyring: Option<Child>,
    _turn: Turn,
}

impl LoginBus {
    /// Starts a session's `dbus-daemon` listening in `scene`'s directory, without the desktop's
    /// service files: nothing starts the keyring on demand.
    pub fn start(scene: &Scene) -> LoginBus {
        let dir = scene.dir.path();
        let address = format!("unix:path={}", dir.join("login-bus").display());
        let config = dir.join("login-bus.conf");
        std::fs::write(
            &config,
            format!(
                r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>{address}</listen>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#
            ),
        )
        .expect("the bus's configuration is written");
        let mut bus = Command::new("dbus-daemon")
            .arg(format!("--config-file={}", config.display()))
            .args(["--nofork", "--print-address"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon runs (scripts/setup.sh installs dbus)");
        let mut listening = String::new();
        BufReader::new(bus.stdout.take().expect("its output"))
            .read_line(&mut listening)
            .expect("dbus-daemon prints its address");
        assert!(
            listening.starts_with("unix:"),
            "the bus listens: {listening}"
        );
        LoginBus {
            dir: dir.to_path_buf(),
            address,
            bus,
            keyring: None,
            _turn: scene.turn.clone(),
        }
    }

    /// The bus's address, for `DBUS_SESSION_BUS_ADDRESS`.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// The keyring opens: gnome-keyring joins the bus and unlocks the login keyring the journeys'
    /// credentials are in (its password is the empty one `scripts/test.sh` gives).
    pub fn open_keyring(&mut self) {
        let mut keyring = Command::new("gnome-keyring-daemon")
            .args(["--foreground", "--unlock", "--components=secrets"])
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            // Its control socket apart from the journeys' own daemon's.
            .env("XDG_RUNTIME_DIR", &self.dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("gnome-keyring-daemon runs");
        keyring
            .stdin
            .take()
            .expect("its input")
            .write_all(b"\n")
            .expect("the password line is written");
        self.keyring = Some(keyring);
    }
}

impl Drop for LoginBus {
    fn drop(&mut self) {
        for child in self.keyring.iter_mut().chain([&mut self.bus]) {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// The main window's title (`tauri.conf.json`).
pub const TITLE: &str = "Quipt ShipStation Connector";

/// Asks the app's window to close as its close button would (`tools/close-window.py`); whether a
/// window with that title was there.
pub fn close_window() -> bool {
    Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tools/close-window.py"))
        .arg(TITLE)
        .status()
        .expect("python3 runs")
        .success()
}

/// Types `keys` (xdotool's names: `ctrl+r`) into the app's window after focusing it as a click
/// would: for a window WebDriver does not drive (its session ends with the window it started, so
/// a window built again by Open is out of its reach). Whether a shown window took them.
pub fn press_in_window(keys: &str) -> bool {
    // Bounded (`timeout`): `--sync` waits for ever for a window that never shows or takes focus.
    Command::new("timeout")
        .args([&crate::DEADLINE.as_secs().to_string(), "xdotool"])
        .args(["search", "--sync", "--onlyvisible", "--name", TITLE])
        .args(["windowfocus", "--sync", "key", "--clearmodifiers", keys])
        .status()
        .expect("xdotool runs")
        .success()
}

/// The proportional set size of a process, in KiB (`/proc/<pid>/smaps_rollup`); 0 once it is gone.
pub fn pss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("Pss:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Where a process's PSS lies: KiB per mapped file (`[heap]`, `[anon]` for anonymous memory),
/// largest first (`/proc/<pid>/smaps`).
pub fn pss_by_mapping(pid: u32) -> Vec<(String, u64)> {
    let smaps = std::fs::read_to_string(format!("/proc/{pid}/smaps")).unwrap_or_default();
    let mut by: std::collections::BTreeMap<String, u64> = Default::default();
    let mut current = String::new();
    for line in smaps.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if let Some(pss) = line.strip_prefix("Pss:") {
            let kib = pss
                .trim()
                .trim_end_matches("kB")
                .trim()
                .parse()
                .unwrap_or(0);
            *by.entry(current.clone()).or_default() += kib;
        } else if fields
            .first()
            .is_some_and(|f| f.contains('-') && !f.ends_with(':'))
        {
            current = fields.get(5).map_or("[anon]", |name| name).to_string();
        }
    }
    let mut sorted: Vec<_> = by.into_iter().collect();
    sorted.sort_by_key(|(_, kib)| std::cmp::Reverse(*kib));
    sorted
}

/// What was there when a launching app gave no WebDriver session: the processes of the driver's
/// `group` (was the app started, is it still alive?), who owns the single instance on the app's
/// bus (`address`; an app left running would have been handed the launch) and the last lines of
/// the app's log and of the drivers' output in `dir` (did it get as far as its window?). CI keeps
/// only the output, so everything is in the message.
pub(crate) async fn no_session(group: u32, address: Option<&str>, dir: &Path) -> String {
    let mut logs: Vec<PathBuf> = std::fs::read_dir(dir.join("data/logs"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .collect();
    logs.sort();
    let tail = |file: Option<&PathBuf>| {
        let text = file
            .and_then(|file| std::fs::read_to_string(file).ok())
            .unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    };
    format!(
        "processes of the driver's group: {:?}\nthe single instance's owner: {:?}\n\
         the app's log ends with:\n{}\n\
         tauri-driver's, WebKitWebDriver's and the app's output ends with:\n{}",
        running_in_group(group),
        single_instance_owner(address).await,
        tail(logs.last()),
        tail(Some(&dir.join("driver.log"))),
    )
}

/// A process as `/proc` shows it.
struct Process {
    pid: u32,
    parent: u32,
    group: u32,
    name: String,
    /// Ended but not yet collected by its parent (a zombie).
    ended: bool,
}

/// Every process now.
fn processes() -> Vec<Process> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // `pid (comm) state ppid pgrp …`; comm may hold spaces, so split after its ')'.
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
            continue;
        };
        let name = stat[open + 1..close].to_string();
        let rest: Vec<&str> = stat[close + 1..].split_whitespace().collect();
        if let [state, parent, group, ..] = rest[..] {
            all.push(Process {
                pid,
                parent: parent.parse().unwrap_or(0),
                group: group.parse().unwrap_or(0),
                name,
                ended: matches!(state, "Z" | "X"),
            });
        }
    }
    all
}

/// The processes of `group` still running (an ended one waiting to be collected by whoever
/// adopted it does not count), as `name (pid N)`.
pub(crate) fn running_in_group(group: u32) -> Vec<String> {
    processes()
        .into_iter()
        .filter(|p| p.group == group && !p.ended)
        .map(|p| format!("{} (pid {})", p.name, p.pid))
        .collect()
}

/// Waits until no process of `group` runs any more, at most `within` (SIGKILLing the group
/// halfway); those still running then, if any.
pub(crate) fn group_ended(group: u32, within: std::time::Duration) -> Vec<String> {
    let start = std::time::Instant::now();
    let mut killed = false;
    loop {
        let left = running_in_group(group);
        if left.is_empty() || start.elapsed() >= within {
            return left;
        }
        if !killed && start.elapsed() >= within / 2 {
            crate::signal_group(group, "-KILL");
            killed = true;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// Resolves once the app has started in `group` and is no longer running.
pub(crate) async fn app_ended(group: u32) {
    let mut started = false;
    loop {
        let running = processes()
            .iter()
            .any(|p| p.group == group && !p.ended && p.name.starts_with(APP_NAME));
        if running {
            started = true;
        } else if started {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// The app's process name as `/proc` gives it (the first 15 bytes of `quipt-shipstation-app`).
const APP_NAME: &str = "quipt-shipstati";

/// The single instance's name on the session bus (tauri-plugin-single-instance: the identifier of
/// `tauri.conf.json` and `.SingleInstance`). A launch that finds it owned hands over to its owner
/// and exits, and a WebDriver session waiting for it is never answered.
const SINGLE_INSTANCE: &str = "com.quipt.shipstation-connector.SingleInstance";

/// The process id of the single instance's owner on the bus at `address` (`None`: the session
/// bus), when the app runs there.
pub(crate) async fn single_instance_owner(address: Option<&str>) -> Option<u32> {
    let connection = match address {
        Some(address) => zbus::connection::Builder::address(address)
            .ok()?
            .build()
            .await
            .ok()?,
        None => zbus::Connection::session().await.ok()?,
    };
    let bus = zbus::fdo::DBusProxy::new(&connection).await.ok()?;
    let name = zbus::names::BusName::try_from(SINGLE_INSTANCE).ok()?;
    bus.get_connection_unix_process_id(name).await.ok()
}

impl App {
    /// The app's process and its descendants (WebKit's web and network processes), by name.
    pub fn app_processes(&self) -> Vec<(u32, String)> {
        let all = processes();
        let group = self.driver.0.id();
        let Some(app) = all
            .iter()
            .find(|p| p.group == group && p.name.starts_with(APP_NAME))
        else {
            return Vec::new();
        };
        let mut tree = vec![(app.pid, app.name.clone())];
        let mut i = 0;
        while i < tree.len() {
            let parent = tree[i].0;
            tree.extend(
                all.iter()
                    .filter(|p| p.parent == parent)
                    .map(|p| (p.pid, p.name.clone())),
            );
            i += 1;
        }
        tree
    }

    /// Launches the app a second time, as the desktop's menu would: the running one opens its
    /// window (the single instance) and the second exits.
    pub fn open_again(&self) {
        // Bounded (`timeout`): the second launch waits, without a limit of its own, for the running
        // one to take its arguments.
        let status = Command::new("timeout")
            .arg(crate::DEADLINE.as_secs().to_string())
            .arg(app_path())
            .env(
                "QUIPT_SHIPSTATION_CONFIG",
                self.dir.path().join("settings.toml"),
            )
            .env("QUIPT_SHIPSTATION_DATA_DIR", self.dir.path().join("data"))
            .env("XDG_CONFIG_HOME", self.dir.path().join("xdg"))
            .status()
            .expect("the app starts");
        assert!(status.success(), "the second launch hands over and exits");
    }

    /// Waits for the first line of the app's log that contains `text` and returns it; fails the
    /// journey after [`crate::DEADLINE`], saying `what` was awaited.
    pub async fn log_line_until(&self, text: &str, what: &str) -> String {
        let deadline = std::time::Instant::now() + crate::DEADLINE;
        loop {
            if let Some(line) = self.log_lines(text).into_iter().next() {
                return line;
            }
            assert!(std::time::Instant::now() < deadline, "{what}");
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }

    /// The lines of the app's log files that contain `text`, in order.
    pub fn log_lines(&self, text: &str) -> Vec<String> {
        let logs = self.dir.path().join("data/logs");
        let mut files: Vec<_> = std::fs::read_dir(logs)
            .into_iter()
            .flatten()
            .flatten()
            .map(|entry| entry.path())
            .collect();
        files.sort();
        files
            .iter()
            .flat_map(|file| {
                let content = std::fs::read_to_string(file).unwrap_or_default();
                content
                    .lines()
                    .filter(|line| line.contains(text))
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// The milliseconds of every "window ready in N ms (`after`)" line in the app's log, in order.
    pub fn window_ready_ms(&self, after: &str) -> Vec<u64> {
        self.log_lines("window ready in ")
            .iter()
            .filter_map(|line| {
                let rest = line.split("window ready in ").nth(1)?;
                if !rest.contains(&format!("({after})")) {
                    return None;
                }
                rest.split(' ').next()?.parse().ok()
            })
            .collect()
    }
}
