//! Where the two services are, and their clients built for a set of credentials: the environment
//! (`QUIPT_API_URL`, `QUIPT_APP_URL`, `SHIPSTATION_API_URL`) over the settings over the real hosts.

use std::sync::Arc;

use serde::Serialize;

use crate::clock::ClientClock;
use crate::credentials::Credentials;
use crate::error::Result;
use crate::settings::Settings;

/// The real services' addresses (shared/api/*.md).
const QUIPT_API_URL: &str = "https://api.getquipt.com";
const QUIPT_APP_URL: &str = "https://app.getquipt.com";
const SHIPSTATION_API_URL: &str = "https://ssapi.shipstation.com";

/// Where the two services are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Endpoints {
    /// Quipt's API host.
    pub quipt_api: String,
    /// Quipt's app host (OAuth).
    pub quipt_app: String,
    /// ShipStation's API.
    pub shipstation: String,
}

impl Endpoints {
    /// Resolves the addresses for `settings`.
    pub fn resolve(settings: Option<&Settings>) -> Self {
        let pick = |env: &str, setting: Option<&String>, default: &str| {
            std::env::var(env)
                .ok()
                .filter(|v| !v.is_empty())
                .or_else(|| setting.cloned())
                .unwrap_or_else(|| default.to_string())
        };
        Self {
            quipt_api: pick(
                "QUIPT_API_URL",
                settings.and_then(|s| s.quipt.api_url.as_ref()),
                QUIPT_API_URL,
            ),
            quipt_app: pick(
                "QUIPT_APP_URL",
                settings.and_then(|s| s.quipt.app_url.as_ref()),
                QUIPT_APP_URL,
            ),
            shipstation: pick(
                "SHIPSTATION_API_URL",
                settings.and_then(|s| s.shipstation.api_url.as_ref()),
                SHIPSTATION_API_URL,
            ),
        }
    }
}

/// Builds the Quipt client for these credentials.
///
/// # Errors
/// When the address is unusable.
pub fn quipt_client(endpoints: &Endpoints, credentials: &Credentials) -> Result<quipt::Client> {
    quipt_client_on(endpoints, credentials, None)
}

/// Builds the Quipt client for these credentials on the engine's clock (`None`: the client's own
/// system clock).
///
/// # Errors
/// When the address is unusable.
pub fn quipt_client_on(
    endpoints: &Endpoints,
    credentials: &Credentials,
    clock: Option<&ClientClock>,
) -> Result<quipt::Client> {
    let builder = quipt::Client::builder(endpoints.quipt_api.clone());
    let builder = match clock {
        Some(clock) => builder.clock(Arc::new(clock.clone())),
        None => builder,
    };
    Ok(builder
        .consumer(quipt::ConsumerCredentials {
            key: credentials.quipt_consumer_key.expose_secret().to_string(),
            secret: credentials
                .quipt_consumer_secret
                .expose_secret()
                .to_string(),
        })
        .token(quipt::AccessToken {
            token: credentials.quipt_access_token.expose_secret().to_string(),
            secret: credentials
                .quipt_access_token_secret
                .expose_secret()
                .to_string(),
        })
        .build()?)
}

/// Builds the ShipStation client for these credentials.
///
/// # Errors
/// When the address is unusable.
pub fn shipstation_client(
    endpoints: &Endpoints,
    credentials: &Credentials,
) -> Result<shipstation::Client> {
    shipstation_client_on(endpoints, credentials, None)
}

/// Builds the ShipStation client for these credentials on the engine's clock (`None`: the
/// client's own monotonic clock).
///
/// # Errors
/// When the address is unusable.
pub fn shipstation_client_on(
    endpoints: &Endpoints,
    credentials: &Credentials,
    clock: Option<&ClientClock>,
) -> Result<shipstation::Client> {
    let builder = shipstation::Client::builder(endpoints.shipstation.clone());
    let builder = match clock {
        Some(clock) => builder.clock(Arc::new(clock.clone())),
        None => builder,
    };
    Ok(builder
        .credentials(
            credentials.shipstation_api_key.expose_secret(),
            credentials.shipstation_api_secret.expose_secret(),
        )
        .build()?)
}
