//! The setup wizard's commands (SPEC §1) and demo mode's two (start, leave); the checks are
//! `connector::wizard`'s, on the app's current target (the real accounts or the demo's).

use connector::checks::CheckResult;
use connector::credentials::Secret;
use connector::wizard::{self, Accounts, Saved, Setup};
use connector::{RunSummary, Settings};
use serde::Serialize;
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;

use super::{blocking, blocking_step};
use crate::error::{CommandError, CommandResult};
use crate::state::{AppState, Authorizing};

/// Saved settings (if any), the answers to start from, and whether this is the demo.
#[tauri::command]
pub async fn setup_state(state: State<'_, AppState>) -> CommandResult<Setup> {
    Ok(wizard::setup(&state.target()))
}

/// "Try it with demo data" (only while nothing is set up): starts the sandbox and returns the
/// demo's answers.
#[tauri::command]
pub async fn start_demo(app: AppHandle, state: State<'_, AppState>) -> CommandResult<Setup> {
    state.abandon_authorization().await;
    let setup = crate::demo::start(&state).await?;
    crate::tray::refresh(&app).await;
    Ok(setup)
}

/// "Leave demo and set up my accounts": stops the engine (nothing of the demo's run goes on) and
/// the sandbox, removes the demo's data and returns the real accounts' fresh answers for the
/// wizard's step 1; the tray then shows the real accounts (not set up yet, no "Demo data").
#[tauri::command]
pub async fn leave_demo(app: AppHandle, state: State<'_, AppState>) -> CommandResult<Setup> {
    state.abandon_authorization().await;
    crate::engine::stop(&app).await;
    let left = crate::demo::leave(&state).await;
    crate::tray::refresh(&app).await;
    left?;
    Ok(wizard::setup(&state.target()))
}

/// The authorization page to approve on, and whether the browser was opened on it.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct AuthorizationStarted {
    /// Quipt's page where the API user logs in and approves the connector.
    pub url: String,
    /// Whether the system browser opened it (if not, the user opens `url` themselves).
    pub browser_opened: bool,
}

/// Step 1: starts Quipt's authorization and opens its page in the browser. `paste_verifier`
/// chooses the out-of-band flow (Quipt shows a verifier to paste) for a browser that cannot reach
/// this app; otherwise Quipt redirects to a loopback callback of the app.
#[tauri::command]
pub async fn quipt_authorize_start(
    app: AppHandle,
    state: State<'_, AppState>,
    draft: Settings,
    paste_verifier: bool,
) -> CommandResult<AuthorizationStarted> {
    state.abandon_authorization().await;
    let target = state.target();
    let (authorization, callback) =
        wizard::begin_quipt_authorization(&target, &draft, paste_verifier).await?;
    let url = authorization.url.clone();
    *state.authorizing.lock().await = Some(Authorizing {
        authorization,
        callback,
        target,
    });
    let opened = app.opener().open_url(&url, None::<&str>);
    if let Err(e) = &opened {
        tracing::info!("the browser did not open the authorization page: {e}");
    }
    Ok(AuthorizationStarted {
        url,
        browser_opened: opened.is_ok(),
    })
}

/// Step 1, second half: the verifier (pasted, or from the loopback callback when `verifier` is
/// `None`) is exchanged for the access token, then the API user is checked.
#[tauri::command]
pub async fn quipt_authorize_finish(
    state: State<'_, AppState>,
    draft: Settings,
    verifier: Option<Secret>,
) -> CommandResult<CheckResult> {
    let Some(Authorizing {
        authorization,
        callback,
        target,
    }) = state.authorizing.lock().await.take()
    else {
        return Err(CommandError::app("press Authorize first"));
    };
    let verifier = match (verifier, callback) {
        (Some(pasted), _) => pasted,
        (None, Some(callback)) => {
            let (cancel, cancelled) = tokio::sync::oneshot::channel();
            *state.cancel_wait.lock().await = Some(cancel);
            tokio::select! {
                received = callback.wait() => Secret::new(received.map_err(connector::Error::from)?.1),
                _ = cancelled => return Err(CommandError::app("a new authorization replaced this one")),
            }
        }
        (None, None) => {
            return Err(CommandError::app(
                "paste the verifier Quipt showed after you approved",
            ));
        }
    };
    blocking_step(move || async move {
        authorization
            .complete(&target, verifier.expose_secret())
            .await?;
        wizard::quipt_api_user(&target, &draft).await
    })
    .await
}

/// Step 1's check: a signed call reads orders and warehouses.
#[tauri::command]
pub async fn check_quipt(
    state: State<'_, AppState>,
    draft: Settings,
) -> CommandResult<CheckResult> {
    let target = state.target();
    blocking_step(move || async move { wizard::quipt_api_user(&target, &draft).await }).await
}

/// Step 2: the stored API key masked to its last four characters, if one is stored.
#[tauri::command]
pub async fn stored_shipstation_key(state: State<'_, AppState>) -> CommandResult<Option<String>> {
    let target = state.target();
    blocking(move || wizard::stored_shipstation_key(&target)).await
}

/// Step 2: checks the typed key pair and keeps it when ShipStation accepts it; both empty checks
/// the stored pair.
#[tauri::command]
pub async fn check_shipstation_keys(
    state: State<'_, AppState>,
    draft: Settings,
    api_key: Secret,
    api_secret: Secret,
) -> CommandResult<CheckResult> {
    let target = state.target();
    blocking_step(move || async move {
        let (key, secret) = (api_key.expose_secret(), api_secret.expose_secret());
        wizard::shipstation_keys(&target, &draft, key, secret).await
    })
    .await
}

/// Steps 3, 5, 7: what the dropdowns offer.
#[tauri::command]
pub async fn load_accounts(state: State<'_, AppState>, draft: Settings) -> CommandResult<Accounts> {
    let target = state.target();
    blocking_step(move || async move { wizard::accounts(&target, &draft).await }).await
}

/// Every check on the draft.
#[tauri::command]
pub async fn check_answers(
    state: State<'_, AppState>,
    draft: Settings,
) -> CommandResult<Vec<CheckResult>> {
    let target = state.target();
    blocking_step(move || async move { wizard::check(&target, &draft).await }).await
}

/// Step 8: the dry-run preview.
#[tauri::command]
pub async fn dry_run(state: State<'_, AppState>, draft: Settings) -> CommandResult<RunSummary> {
    let target = state.target();
    blocking_step(move || async move { wizard::dry_run(&target, &draft).await }).await
}

/// Finish (and Settings' Save): saves the answers, (re)starts the engine and its schedule, and
/// says how many held orders the change releases. A Finish for the real accounts ends demo mode:
/// whatever a demo left is removed.
#[tauri::command]
pub async fn finish_wizard(
    app: AppHandle,
    state: State<'_, AppState>,
    settings: Settings,
) -> CommandResult<Saved> {
    state.abandon_authorization().await;
    let target = state.target();
    let finishing = target.clone();
    let saved =
        blocking_step(move || async move { wizard::finish(&finishing, &settings).await }).await?;
    if !target.is_demo() {
        crate::demo::end(&state).await?;
    }
    crate::engine::start(&app, None).await?;
    Ok(saved)
}
