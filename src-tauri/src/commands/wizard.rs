//! The setup wizard's commands (SPEC §1); the checks are `connector::wizard`'s.

use std::sync::Arc;

use connector::checks::CheckResult;
use connector::wizard::{self, Accounts, Setup};
use connector::{RunSummary, Settings};
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;

use crate::engine::AppState;
use crate::error::{CommandError, CommandResult};

/// Saved settings (if any) and the answers to start from.
#[tauri::command]
pub async fn setup_state(state: State<'_, AppState>) -> CommandResult<Setup> {
    Ok(wizard::setup(&state.paths))
}

/// Demo mode: starts the sandbox and returns the wizard's answers pointed at it.
#[tauri::command]
pub async fn start_demo(state: State<'_, AppState>) -> CommandResult<Settings> {
    crate::demo::start(&state).await
}

/// Step 1: opens Quipt's authorization page in the browser and waits for the loopback callback or
/// a pasted verifier, then checks the API user.
#[tauri::command]
pub async fn quipt_authorize(
    app: AppHandle,
    state: State<'_, AppState>,
    draft: Settings,
) -> CommandResult<CheckResult> {
    let (authorization, callback) = wizard::begin_quipt_authorization(&draft, false).await?;
    let authorization = Arc::new(authorization);
    let (tx, pasted) = tokio::sync::oneshot::channel();
    *state.pasted_verifier.lock().await = Some(tx);
    *state.authorization.lock().await = Some(authorization.clone());
    app.opener()
        .open_url(&authorization.url, None::<&str>)
        .map_err(|e| {
            CommandError::app(format!(
                "open {} in a browser yourself ({e})",
                authorization.url
            ))
        })?;
    let verifier = match callback {
        Some(callback) => tokio::select! {
            received = callback.wait() => received.map_err(connector::Error::from)?.1,
            pasted = pasted => pasted.map_err(|_| CommandError::app("authorization cancelled"))?,
        },
        None => pasted
            .await
            .map_err(|_| CommandError::app("authorization cancelled"))?,
    };
    authorization.complete(&verifier).await?;
    Ok(wizard::quipt_api_user(&draft).await?)
}

/// Step 1's fallback: the verifier pasted by the user for the authorization in progress.
#[tauri::command]
pub async fn quipt_paste_verifier(
    state: State<'_, AppState>,
    verifier: String,
) -> CommandResult<()> {
    let sender = state.pasted_verifier.lock().await.take();
    sender
        .ok_or_else(|| CommandError::app("start the authorization first"))?
        .send(verifier)
        .map_err(|_| CommandError::app("the authorization already ended"))
}

/// Step 1's check: a signed call reads orders and warehouses.
#[tauri::command]
pub async fn check_quipt(draft: Settings) -> CommandResult<CheckResult> {
    Ok(wizard::quipt_api_user(&draft).await?)
}

/// Step 2: checks the key pair and keeps it in the keyring when ShipStation accepts it.
#[tauri::command]
pub async fn check_shipstation_keys(
    draft: Settings,
    api_key: String,
    api_secret: String,
) -> CommandResult<CheckResult> {
    Ok(wizard::shipstation_keys(&draft, &api_key, &api_secret).await?)
}

/// Steps 3, 5, 7: what the dropdowns offer.
#[tauri::command]
pub async fn load_accounts(draft: Settings) -> CommandResult<Accounts> {
    Ok(wizard::accounts(&draft).await?)
}

/// Every check on the draft.
#[tauri::command]
pub async fn check_answers(
    state: State<'_, AppState>,
    draft: Settings,
) -> CommandResult<Vec<CheckResult>> {
    Ok(wizard::check(&state.paths, &draft).await?)
}

/// Step 8: the dry-run preview.
#[tauri::command]
pub async fn dry_run(state: State<'_, AppState>, draft: Settings) -> CommandResult<RunSummary> {
    Ok(wizard::dry_run(&state.paths, &draft).await?)
}

/// Finish (and Settings' Save): saves the answers and (re)starts the engine and its schedule.
#[tauri::command]
pub async fn finish_wizard(
    app: AppHandle,
    state: State<'_, AppState>,
    settings: Settings,
) -> CommandResult<()> {
    wizard::finish(&state.paths, &settings)?;
    crate::engine::start(&app).await
}
