//! Demo mode (SPEC §4): offered only while nothing of a real setup exists, it starts both
//! simulators in-process (`sandbox`, 100 demo orders) and works on its own [`Target`]: settings and
//! history under `<data dir>/demo/`, the sandbox's public credentials in memory (never in the
//! keyring), the sandbox's addresses whatever the environment says. So a real setup made later
//! inherits no demo URL, key or history, and a real setup made earlier is never touched.
//!
//! A finished demo is resumed at the next launch on a fresh sandbox (and a fresh demo history, as
//! the sandbox's data starts over). Leaving it — or a real Finish — removes `<data dir>/demo/`.
//! Older versions marked demo mode with a `demo-sandbox` file in the data directory and pointed the
//! real settings at the sandbox; that marker is now removed at launch and changes nothing.

use std::path::PathBuf;

use connector::credentials::CredentialName;
use connector::wizard::{self, Setup, Target};
use connector::{Endpoints, Paths};
use sandbox::demo_data;

use crate::error::{CommandError, CommandResult};
use crate::state::AppState;

/// The demo's ShipStation rate window (40 requests per window).
const DEMO_RATE_WINDOW: std::time::Duration = std::time::Duration::from_secs(10);

/// Demo orders: enough for a dry run that lists only part of them, few enough that the first
/// sync's acknowledgements stay within Quipt's 120 requests a minute and it ends in seconds.
const DEMO_ORDERS: usize = 100;

/// The marker older versions left in the data directory.
const LEGACY_MARKER: &str = "demo-sandbox";

/// The demo's public sandbox credentials (SPEC §5), kept in memory only.
const CREDENTIALS: [(CredentialName, &str); 6] = [
    (
        CredentialName::QuiptConsumerKey,
        demo_data::QUIPT_CONSUMER_KEY,
    ),
    (
        CredentialName::QuiptConsumerSecret,
        demo_data::QUIPT_CONSUMER_SECRET,
    ),
    (
        CredentialName::QuiptAccessToken,
        demo_data::QUIPT_ACCESS_TOKEN,
    ),
    (
        CredentialName::QuiptAccessTokenSecret,
        demo_data::QUIPT_ACCESS_TOKEN_SECRET,
    ),
    (
        CredentialName::ShipStationApiKey,
        demo_data::SHIPSTATION_API_KEY,
    ),
    (
        CredentialName::ShipStationApiSecret,
        demo_data::SHIPSTATION_API_SECRET,
    ),
];

/// The demo's own directory, beneath the operator's data directory.
fn dir(real: &Paths) -> PathBuf {
    real.data_dir.join("demo")
}

/// The demo's settings file and history.
fn paths(real: &Paths) -> Paths {
    Paths {
        config_file: dir(real).join("settings.toml"),
        data_dir: dir(real),
    }
}

/// "Try it with demo data": starts the sandbox, switches to the demo's target and returns the
/// wizard's answers filled from the sandbox's accounts (store, matched warehouses, service), so
/// Next alone clicks through.
///
/// # Errors
/// When a real setup exists (the demo is never offered then), or the sandbox cannot start.
pub async fn start(state: &AppState) -> CommandResult<Setup> {
    if !wizard::setup(&state.target()).demo_offered {
        return Err(CommandError::app(
            "the demo is offered only before any account is set up: your own setup stays as it is",
        ));
    }
    remove(&state.paths)?;
    let target = begin(state).await?;
    let accounts = wizard::accounts(&target, &wizard::draft()).await?;
    let mut setup = wizard::setup(&target);
    setup.draft.quipt.api_user_email = demo_data::QUIPT_API_USER_EMAIL.into();
    setup.draft = wizard::prefill(setup.draft, &accounts);
    Ok(setup)
}

/// At launch: removes the marker of older versions (a real setup stays byte for byte as it is),
/// resumes a finished demo on a fresh sandbox when no real setup exists, and removes whatever
/// else a demo left.
///
/// # Errors
/// When the demo directory cannot be cleared or the sandbox cannot start.
pub async fn at_launch(state: &AppState) -> CommandResult<()> {
    let legacy = state.paths.data_dir.join(LEGACY_MARKER);
    if legacy.exists() {
        tracing::info!("removed the demo marker of an older version; the settings are untouched");
        std::fs::remove_file(&legacy)
            .map_err(|e| CommandError::app(format!("cannot remove {}: {e}", legacy.display())))?;
    }
    let demo = paths(&state.paths);
    if state.paths.config_file.exists() || !demo.config_file.exists() {
        return remove(&state.paths);
    }
    // The sandbox starts afresh, so the demo's history does too.
    for file in [
        "history.sqlite3",
        "history.sqlite3-wal",
        "history.sqlite3-shm",
    ] {
        let _ = std::fs::remove_file(demo.data_dir.join(file));
    }
    begin(state).await?;
    Ok(())
}

/// Leaves the demo (the engine already stopped): the sandbox stops, `<data dir>/demo/` is removed
/// and the operator's real accounts are the target again.
///
/// # Errors
/// When the demo directory cannot be removed.
pub async fn leave(state: &AppState) -> CommandResult<()> {
    state.set_target(Target::real(state.paths.clone()));
    end(state).await
}

/// Starts the sandbox and switches to the demo's target.
async fn begin(state: &AppState) -> CommandResult<std::sync::Arc<Target>> {
    let mut demo = state.demo.lock().await;
    let running = sandbox::Sandbox::start(sandbox::SandboxConfig {
        // ShipStation's 60 s window would stall the wizard's live checks for a minute: the demo
        // shows a sync, not a rate limit.
        rate_window: DEMO_RATE_WINDOW,
        orders: DEMO_ORDERS,
        ..sandbox::SandboxConfig::default()
    })
    .await
    .map_err(|e| CommandError::app(format!("the demo sandbox could not start: {e}")))?;
    // The end-to-end tests delay each of the demo's Quipt answers, as a real network does: at
    // loopback speed the demo's first sync can end before the dashboard shows it, and a journey
    // checks that it is shown in progress.
    if let Some(latency) = crate::automation::millis("QUIPT_SHIPSTATION_DEMO_QUIPT_LATENCY_MS") {
        running.quipt.set_latency(latency);
    }
    let endpoints = Endpoints {
        quipt_api: running.quipt_url(),
        quipt_app: running.quipt_url(),
        shipstation: running.shipstation_url(),
    };
    *demo = Some(running);
    state.set_target(Target::demo(paths(&state.paths), endpoints, &CREDENTIALS));
    Ok(state.target())
}

/// Removes what a demo left (nothing when there is none).
fn remove(real: &Paths) -> CommandResult<()> {
    let dir = dir(real);
    match std::fs::remove_dir_all(&dir) {
        Ok(()) => {
            tracing::info!("removed the demo's data in {}", dir.display());
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(CommandError::app(format!(
            "cannot remove the demo's data in {}: {e}",
            dir.display()
        ))),
    }
}

/// A real Finish ends demo mode: no sandbox, no demo directory.
///
/// # Errors
/// When the demo directory cannot be removed.
pub async fn end(state: &AppState) -> CommandResult<()> {
    state.demo.lock().await.take();
    remove(&state.paths)
}
