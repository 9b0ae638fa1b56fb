//! The app idling in the tray continues in a fresh process of itself (issue 19: ≤ 120 MB for all
//! its processes). A process that has shown a web view keeps what WebKit loaded for it after the
//! window has gone — Mesa's software OpenGL, WebKit's and JavaScriptCore's pages, about 45 MiB —
//! and nothing unloads them; a process started in the tray never builds a web view. So, a while
//! after the window went to the tray ([`crate::idle`]) and between runs, the app replaces itself
//! (`exec`: the same pid, so the desktop, the service manager and the single-instance lock still
//! see one app) with itself started `--minimized`, handing over the schedule as it stood: paused,
//! or when its next run is due. The history is on disk and the update check remembers its day
//! there, so nothing else is lost; Open then builds the window in the new process.
//!
//! Not handed over: demo mode (its sandbox lives in this process and would start over) and a Quipt
//! authorization in progress (its callback listens in this process). If the window is opened while
//! a run is finishing, the keyring does not give the accounts now (a new process could not sync),
//! or the exec fails, the app stays and its schedule starts again as it stood.

use std::process::Command;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use connector::schedule::ScheduleState;
use tauri::{AppHandle, Manager};
use tokio::sync::oneshot;

use crate::state::AppState;
use crate::window::MAIN;

/// The argument that carries the schedule to the new process.
const ARG: &str = "--continue-schedule=";

/// The schedule as the process that handed over left it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Continued {
    /// Paused (from the tray or Settings): stays paused.
    Paused,
    /// Running: its next run is due then.
    NextRunAt(DateTime<Utc>),
}

impl Continued {
    /// What the schedule's state hands over; `None` when it had planned nothing (no run to keep).
    pub fn from_state(state: &ScheduleState) -> Option<Self> {
        if state.paused {
            Some(Self::Paused)
        } else {
            state.next_run_at.map(Self::NextRunAt)
        }
    }

    /// The command-line argument for the new process.
    fn arg(self) -> String {
        match self {
            Self::Paused => format!("{ARG}paused"),
            Self::NextRunAt(at) => format!("{ARG}{}", at.to_rfc3339()),
        }
    }

    /// The schedule handed over in this process's arguments; `None` in a process the operator (or
    /// the desktop) started, and for an argument this version cannot read (it then runs at start).
    pub fn from_args(args: impl IntoIterator<Item = String>) -> Option<Self> {
        let value = args
            .into_iter()
            .find_map(|a| a.strip_prefix(ARG).map(String::from))?;
        match value.as_str() {
            "paused" => Some(Self::Paused),
            at => DateTime::parse_from_rfc3339(at)
                .ok()
                .map(|at| Self::NextRunAt(at.to_utc())),
        }
    }
}

/// Why the app did not hand over.
#[derive(Debug)]
enum Stayed {
    /// The window was opened meanwhile.
    WindowOpened,
    /// The keyring did not give the accounts (locked, say): a new process could not sync.
    Accounts(String),
    /// The new process could not be started (the binary gone after an upgrade, say).
    Exec(std::io::Error),
}

impl std::fmt::Display for Stayed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::WindowOpened => f.write_str("the window was opened meanwhile"),
            Self::Accounts(e) => write!(f, "a fresh process could not read the accounts: {e}"),
            Self::Exec(e) => write!(f, "a fresh process could not be started: {e}"),
        }
    }
}

/// The window is still gone after the grace: unless demo mode or an authorization in progress
/// holds state only this process has, stops the schedule between runs and continues in a fresh
/// process.
pub fn start(app: &AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let state = app.state::<AppState>();
        if state.is_demo() || state.authorizing.lock().await.is_some() {
            tracing::debug!("demo mode or an authorization in progress: the app stays as it is");
            return;
        }
        let engine = state.engine.read().await.clone();
        let continued = match &engine {
            Some(engine) => {
                // A run in progress ends first; no other starts once the loop has stopped.
                engine.schedule.stop().await;
                Continued::from_state(&engine.schedule.state())
            }
            None => None,
        };
        let stayed = match accounts_readable(&state, engine.is_some()).await {
            Ok(()) => exec_on_main_thread(&app, continued).await,
            Err(stayed) => stayed,
        };
        tracing::info!("the app stays in this process: {stayed}");
        let Some(stopped) = engine else { return };
        // Unless Settings or Finish started another engine meanwhile, this one goes on.
        let current = state.engine.read().await.clone();
        if current.is_some_and(|c| Arc::ptr_eq(&c.connector, &stopped.connector)) {
            crate::engine::schedule(&app, stopped.connector, continued).await;
        }
    });
}

/// The new process reads the accounts from the keyring again: hands over only while it can, or a
/// keyring that locks itself when idle would stop the syncing until someone unlocks it.
async fn accounts_readable(state: &AppState, set_up: bool) -> Result<(), Stayed> {
    if !set_up {
        return Ok(());
    }
    let target = state.target();
    match tauri::async_runtime::spawn_blocking(move || target.credentials().map(drop)).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(Stayed::Accounts(e.to_string())),
        Err(e) => Err(Stayed::Accounts(e.to_string())),
    }
}

/// On the main thread, where windows are built (none can appear between the check and the exec):
/// replaces the process if the window is still gone. Returns only when it did not.
async fn exec_on_main_thread(app: &AppHandle, continued: Option<Continued>) -> Stayed {
    let (tx, rx) = oneshot::channel();
    let on_main = app.clone();
    let asked = app.run_on_main_thread(move || {
        let stayed = if on_main.get_webview_window(MAIN).is_some() {
            Stayed::WindowOpened
        } else {
            exec(&on_main, continued)
        };
        let _ = tx.send(stayed);
    });
    match asked {
        Ok(()) => rx.await.unwrap_or(Stayed::WindowOpened),
        Err(e) => Stayed::Exec(std::io::Error::other(e)),
    }
}

/// Replaces this process with the app started in the tray, carrying `continued`; returns only on
/// failure. The log file is flushed and closed first (the new process opens it again).
#[cfg(target_os = "linux")]
fn exec(app: &AppHandle, continued: Option<Continued>) -> Stayed {
    use std::os::unix::process::CommandExt;
    // A binary replaced by an upgrade reads "<path> (deleted)": the running version stays.
    let exe = match std::env::current_exe() {
        Ok(exe) if exe.is_file() => exe,
        Ok(exe) => {
            return Stayed::Exec(std::io::Error::other(format!("{} is gone", exe.display())));
        }
        Err(e) => return Stayed::Exec(e),
    };
    let mut command = Command::new(exe);
    command
        .arg("--minimized")
        .args(continued.map(Continued::arg));
    tracing::info!(
        ?continued,
        "window in the tray: the app continues in a fresh process without WebKit"
    );
    reap_children(REAP_WITHIN);
    app.state::<crate::LogFile>().close();
    Stayed::Exec(command.exec())
}

/// How long the handover waits for the processes it ended (WebKit's network process) to go.
#[cfg(target_os = "linux")]
const REAP_WITHIN: std::time::Duration = std::time::Duration::from_secs(2);

/// Collects this process's ended children, waiting up to `within` for those still running: the
/// new process knows nothing of them and would leave them as zombies.
#[cfg(target_os = "linux")]
fn reap_children(within: std::time::Duration) {
    use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
    let deadline = std::time::Instant::now() + within;
    loop {
        match waitpid(None, Some(WaitPidFlag::WNOHANG)) {
            Ok(WaitStatus::StillAlive) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            Ok(WaitStatus::StillAlive) => {
                tracing::warn!("a child process is still running as the app hands over");
                return;
            }
            Ok(_) => {}
            // ECHILD: none left.
            Err(_) => return,
        }
    }
}

/// Elsewhere the app stays as it is (what a closed web view leaves behind there is not measured).
#[cfg(not(target_os = "linux"))]
fn exec(_: &AppHandle, _: Option<Continued>) -> Stayed {
    Stayed::Exec(std::io::ErrorKind::Unsupported.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(continued: Option<Continued>) -> Vec<String> {
        let mut args = vec![
            "quipt-shipstation-app".to_string(),
            "--minimized".to_string(),
        ];
        args.extend(continued.map(Continued::arg));
        args
    }

    #[test]
    fn the_schedule_reaches_the_new_process_as_it_stood() {
        let at = DateTime::parse_from_rfc3339("2026-11-30T06:15:00.250Z")
            .unwrap()
            .to_utc();
        for continued in [Continued::Paused, Continued::NextRunAt(at)] {
            assert_eq!(Continued::from_args(args(Some(continued))), Some(continued));
        }
        assert_eq!(
            Continued::from_args(args(None)),
            None,
            "a launch by the operator or the desktop runs at start"
        );
        assert_eq!(
            Continued::from_args(vec![format!("{ARG}next tuesday")]),
            None,
            "an argument this version cannot read runs at start rather than never"
        );
    }

    #[test]
    fn a_paused_schedule_stays_paused_and_a_running_one_keeps_its_next_run() {
        let at = Utc::now();
        let state = |paused, next_run_at| ScheduleState {
            paused,
            next_run_at,
            interval_minutes: 15,
        };
        assert_eq!(
            Continued::from_state(&state(true, None)),
            Some(Continued::Paused)
        );
        assert_eq!(
            Continued::from_state(&state(false, Some(at))),
            Some(Continued::NextRunAt(at))
        );
        assert_eq!(Continued::from_state(&state(false, None)), None);
    }
}
