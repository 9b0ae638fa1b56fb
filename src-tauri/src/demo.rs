//! Demo mode: with nothing configured, "Try it with demo data" starts both simulators in-process
//! (`sandbox`, 200 demo orders) and fills the wizard with their accounts, so a newcomer can click
//! through and watch a sync. A marker file in the data directory brings the sandbox back on the next
//! launch (its data starts afresh; the history remembers what was synced).

use connector::Paths;
use connector::credentials::CredentialName;
use connector::wizard;
use sandbox::demo_data;

use crate::engine::AppState;
use crate::error::{CommandError, CommandResult};

const MARKER: &str = "demo-sandbox";

/// Whether the last session ran in demo mode.
pub fn was_used(paths: &Paths) -> bool {
    paths.data_dir.join(MARKER).exists()
}

/// Starts the sandbox (once), keeps its demo credentials in the keyring and returns the wizard's
/// answers pointed at it.
///
/// # Errors
/// When the sandbox cannot listen or the keyring is unavailable.
pub async fn start(state: &AppState) -> CommandResult<connector::Settings> {
    let (quipt_url, shipstation_url) = ensure_sandbox(state).await?;
    wizard::store_credentials(&[
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
    ])?;
    std::fs::create_dir_all(&state.paths.data_dir)
        .and_then(|()| std::fs::write(state.paths.data_dir.join(MARKER), b"demo\n"))
        .map_err(|e| CommandError::app(format!("cannot write the demo marker: {e}")))?;
    let mut draft = wizard::draft();
    draft.quipt.api_user_email = demo_data::QUIPT_API_USER_EMAIL.into();
    draft.quipt.api_url = Some(quipt_url.clone());
    draft.quipt.app_url = Some(quipt_url);
    draft.shipstation.api_url = Some(shipstation_url);
    Ok(draft)
}

/// At launch after a demo session: starts a fresh sandbox and points the saved settings at it.
///
/// # Errors
/// When the sandbox cannot listen or the settings cannot be rewritten.
pub async fn restart(state: &AppState) -> CommandResult<()> {
    let (quipt_url, shipstation_url) = ensure_sandbox(state).await?;
    if let Ok(mut settings) = connector::Settings::load(&state.paths.config_file) {
        settings.quipt.api_url = Some(quipt_url.clone());
        settings.quipt.app_url = Some(quipt_url);
        settings.shipstation.api_url = Some(shipstation_url);
        wizard::finish(&state.paths, &settings)?;
    }
    Ok(())
}

async fn ensure_sandbox(state: &AppState) -> CommandResult<(String, String)> {
    let mut demo = state.demo.lock().await;
    if demo.is_none() {
        let running = sandbox::Sandbox::start(sandbox::SandboxConfig::default())
            .await
            .map_err(|e| CommandError::app(format!("the demo sandbox could not start: {e}")))?;
        *demo = Some(running);
    }
    let running = demo.as_ref().expect("started above");
    Ok((running.quipt_url(), running.shipstation_url()))
}
