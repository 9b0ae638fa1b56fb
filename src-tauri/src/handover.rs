//! On Linux, the app idling in the tray continues in a fresh process of itself (issue 19: ≤ 120 MB
//! for all its processes). A process that has shown a web view keeps what WebKit brought into it
//! after the window has gone — Mesa's software OpenGL in full, WebKit's and JavaScriptCore's
//! touched pages, about 40 MiB — and nothing gives it back; a process started in the tray, which
//! builds no web view, never touches most of it. So, a while after the window went to the tray
//! ([`crate::idle`]) and between runs, the app replaces itself (`exec`: the same process id, so the
//! desktop and a service manager still see the same app; the single-instance name is taken again
//! by the new process as it starts) with itself started `--minimized`, handing over the schedule as
//! it stood: paused, or when its next run is due. The history is on disk and the update check
//! keeps its day there; what the new process starts afresh is the backoff after failed runs.
//!
//! The app stays as it is — and its schedule goes on — in demo mode (its sandbox lives in this
//! process and would start over), while a Quipt authorization is in progress (its callback
//! listens here), when the keyring does not give the accounts now (a fresh process could not
//! sync), when the window is opened or the engine restarted (Settings, Finish) during the wait,
//! and when the exec fails. The operator's commands sent while a run finishes are carried out
//! first: the schedule hands over only when none waits ([`SyncCommand::HandOver`]); one sent in
//! the instant between the hand-over and the exec is lost.
//!
//! [`SyncCommand::HandOver`]: connector::schedule::SyncCommand::HandOver

use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use nix::sys::signal::Signal;
use nix::unistd::Pid;
use tauri::{AppHandle, Manager};
use tokio::sync::oneshot;

use crate::continued::Continued;
use crate::state::{AppState, Engine};
use crate::webkit_network;
use crate::window::MAIN;

/// One handover at a time (two closes in a row start two waits).
static UNDER_WAY: AtomicBool = AtomicBool::new(false);

/// Set once an exec failed: its log file is closed, so this process does not try again.
static EXEC_FAILED: AtomicBool = AtomicBool::new(false);

/// How long the processes the app ended (WebKit's network process) get to go before the
/// handover reaps them itself: the new process would leave them as zombies.
const REAP_WITHIN: Duration = Duration::from_secs(2);

/// How long the main thread waits, just before the exec, for a network process it had to kill.
const SWEEP_WITHIN: Duration = Duration::from_millis(500);

/// How long the handover waits before asking again when the operator's commands came first.
const ASK_AGAIN: Duration = Duration::from_secs(30);

/// Why the app did not hand over.
#[derive(Debug)]
enum Stayed {
    /// Demo mode, an authorization in progress, the window opened, the engine restarted.
    Holding(&'static str),
    /// The keyring did not give the accounts (locked, say): a new process could not sync.
    Accounts(String),
    /// The new process could not be started (the binary gone after an upgrade, say).
    Exec(std::io::Error),
}

impl std::fmt::Display for Stayed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Holding(what) => f.write_str(what),
            Self::Accounts(e) => write!(f, "a fresh process could not read the accounts: {e}"),
            Self::Exec(e) => write!(f, "a fresh process could not be started: {e}"),
        }
    }
}

/// The window is still gone after the grace: continues in a fresh process unless something
/// holds the app here; `ended` are the processes just sent SIGTERM, reaped first.
pub fn start(app: &AppHandle, ended: Vec<Pid>) {
    if EXEC_FAILED.load(Ordering::SeqCst) || UNDER_WAY.swap(true, Ordering::SeqCst) {
        return;
    }
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        reap(&ended).await;
        let stayed = hand_over(&app).await;
        UNDER_WAY.store(false, Ordering::SeqCst);
        match &stayed {
            Stayed::Exec(_) => tracing::warn!("the app stays in this process: {stayed}"),
            _ => tracing::info!("the app stays in this process: {stayed}"),
        }
    });
}

/// Hands the schedule over between runs and replaces the process; returns why it did not (the
/// schedule then goes on as it stood).
async fn hand_over(app: &AppHandle) -> Stayed {
    let state = app.state::<AppState>();
    loop {
        if let Some(holding) = holding(app, &state) {
            return holding;
        }
        let engine = state.engine.read().await.clone();
        let Some(engine) = engine else {
            // No engine (not set up, or its start waits for the keyring or stopped on an
            // error): the fresh process starts it again as a launch does.
            return exec_on_main_thread(app, None, None).await;
        };
        if let Err(e) = accounts_readable(&state).await {
            return e;
        }
        // Waits for the run in progress; `None` when the operator's commands came first.
        let Some(handed) = engine.schedule.hand_over().await else {
            tokio::time::sleep(ASK_AGAIN).await;
            continue;
        };
        let continued = Continued::from_state(&handed);
        let stayed = exec_on_main_thread(app, Some(&engine), continued).await;
        let interval = Duration::from_secs(handed.interval_minutes.max(1) * 60);
        // Scheduled again with the accounts it holds, unless Settings or Finish started another
        // engine meanwhile, which then stays.
        let (connector, forwarding) = (engine.connector.clone(), engine.forwarding.clone());
        let still = |current: Option<&Engine>| is_current(current, Some(&engine));
        crate::engine::schedule(app, connector, forwarding, continued, interval, still).await;
        return stayed;
    }
}

/// What holds the app in this process now, if anything.
fn holding(app: &AppHandle, state: &AppState) -> Option<Stayed> {
    if state.is_demo() {
        Some(Stayed::Holding("demo mode"))
    } else if app.get_webview_window(MAIN).is_some() {
        Some(Stayed::Holding("the window was opened"))
    } else if state.authorizing.try_lock().map_or(true, |a| a.is_some()) {
        Some(Stayed::Holding("a Quipt authorization is in progress"))
    } else {
        None
    }
}

/// Whether `engine` (the one whose schedule was handed over) is still the app's `current`
/// one: Settings and Finish start another.
fn is_current(current: Option<&Engine>, engine: Option<&Engine>) -> bool {
    match (current, engine) {
        (Some(current), Some(engine)) => Arc::ptr_eq(&current.connector, &engine.connector),
        (None, None) => true,
        _ => false,
    }
}

/// The new process reads the accounts from the keyring again: hands over only while it can,
/// or a keyring that locks itself when idle would stop the syncing until someone unlocks it.
async fn accounts_readable(state: &AppState) -> Result<(), Stayed> {
    let target = state.target();
    match tauri::async_runtime::spawn_blocking(move || target.credentials().map(drop)).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(Stayed::Accounts(e.to_string())),
        Err(e) => Err(Stayed::Accounts(e.to_string())),
    }
}

/// On the main thread, where windows are built (none can appear between the checks and the
/// exec): replaces the process unless something holds it here now. Returns only when it did
/// not.
async fn exec_on_main_thread(
    app: &AppHandle,
    engine: Option<&Engine>,
    continued: Option<Continued>,
) -> Stayed {
    let (tx, rx) = oneshot::channel();
    let on_main = app.clone();
    let engine = engine.cloned();
    let asked = app.run_on_main_thread(move || {
        let state = on_main.state::<AppState>();
        let current = state.engine.try_read().ok();
        let stayed = holding(&on_main, &state)
            .or_else(|| match &current {
                Some(current) if is_current(current.as_ref(), engine.as_ref()) => None,
                _ => Some(Stayed::Holding("the engine was started again")),
            })
            .unwrap_or_else(|| {
                drop(current);
                exec(&on_main, continued)
            });
        let _ = tx.send(stayed);
    });
    match asked {
        Ok(()) => rx
            .await
            .unwrap_or(Stayed::Holding("the main thread did not answer")),
        Err(e) => Stayed::Exec(std::io::Error::other(e)),
    }
}

/// Replaces this process with the app started in the tray, carrying `continued`; returns only
/// on failure. The log file is flushed and closed first (the new process opens it again), so
/// after a failed exec this process logs to stderr only and does not try again.
fn exec(app: &AppHandle, continued: Option<Continued>) -> Stayed {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    // A binary replaced by an upgrade reads "<path> (deleted)": the running version stays.
    let exe = match std::env::current_exe() {
        Ok(exe)
            if exe
                .metadata()
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0) =>
        {
            exe
        }
        Ok(exe) => {
            return Stayed::Exec(std::io::Error::other(format!("{} is gone", exe.display())));
        }
        Err(e) => return Stayed::Exec(e),
    };
    let mut command = Command::new(exe);
    command
        .arg("--minimized")
        .args(continued.map(Continued::arg));
    let schedule = continued.map_or_else(|| "none".to_string(), |c| c.to_string());
    tracing::info!(
        "window in the tray: the app continues in a fresh process that builds no web view \
         (schedule: {schedule})"
    );
    sweep_network_processes();
    app.state::<crate::LogFile>().close();
    let error = command.exec();
    EXEC_FAILED.store(true, Ordering::SeqCst);
    Stayed::Exec(error)
}

/// Collects `ended` as they exit, waiting up to [`REAP_WITHIN`] (off the main thread): the new
/// process knows nothing of them and would leave them as zombies.
async fn reap(ended: &[Pid]) {
    let deadline = Instant::now() + REAP_WITHIN;
    let mut left = ended.to_vec();
    webkit_network::collect(&mut left);
    while !left.is_empty() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
        webkit_network::collect(&mut left);
    }
}

/// Just before the exec, on the main thread: a network process WebKit started since the grace
/// ended it (the window opened and closed again during the wait) is killed and collected, briefly
/// waited for, so none is left to the new process.
fn sweep_network_processes() {
    let deadline = Instant::now() + SWEEP_WITHIN;
    let mut left = webkit_network::end(Signal::SIGKILL);
    webkit_network::collect(&mut left);
    while !left.is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
        webkit_network::collect(&mut left);
    }
}
