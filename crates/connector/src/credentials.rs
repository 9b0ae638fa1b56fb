//! Credentials: the OS keyring (service `quipt-shipstation-connector`) and, for headless use, the
//! environment variables of SPEC §3, which take precedence one by one.
//!
//! This is the only module that touches the keyring. Every secret is a [`Secret`]: its `Debug`
//! prints `<redacted>`, it cannot be cloned or serialized by accident, it is zeroed on drop, and
//! [`Secret::expose_secret`] is called only where a client is built. Every value that passes
//! through here, loaded or stored, is handed to [`crate::redaction`], so that no log line, Logs
//! view or support bundle of this process shows it.

use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::redaction::{self, Role};

/// The keyring service name of every entry.
pub const KEYRING_SERVICE: &str = "quipt-shipstation-connector";

/// A secret value: redacted in `Debug`, zeroed on drop, neither `Clone` nor `Serialize`.
pub struct Secret(Zeroizing<String>);

impl Secret {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(Zeroizing::new(value.into()))
    }

    /// The value, for the one place that signs a request or writes the keyring.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

/// A secret typed in the window arrives as a JSON string: wrapped at once, so that it is zeroed
/// when the command ends (the app's commands take a `Secret`, never a `String`).
impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        String::deserialize(d).map(Self::new)
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

/// One credential: its environment variable doubles as its keyring user name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialName {
    /// The connector's OAuth consumer key (shipped default).
    QuiptConsumerKey,
    /// The connector's OAuth consumer secret (shipped default).
    QuiptConsumerSecret,
    /// The Quipt API user's access token.
    QuiptAccessToken,
    /// The Quipt API user's access token secret.
    QuiptAccessTokenSecret,
    /// ShipStation v1 API key.
    ShipStationApiKey,
    /// ShipStation v1 API secret.
    ShipStationApiSecret,
}

impl CredentialName {
    /// Every credential.
    pub const ALL: [CredentialName; 6] = [
        CredentialName::QuiptConsumerKey,
        CredentialName::QuiptConsumerSecret,
        CredentialName::QuiptAccessToken,
        CredentialName::QuiptAccessTokenSecret,
        CredentialName::ShipStationApiKey,
        CredentialName::ShipStationApiSecret,
    ];

    /// The environment variable, also used as the keyring entry's user name.
    pub fn env_var(self) -> &'static str {
        match self {
            CredentialName::QuiptConsumerKey => "QUIPT_CONSUMER_KEY",
            CredentialName::QuiptConsumerSecret => "QUIPT_CONSUMER_SECRET",
            CredentialName::QuiptAccessToken => "QUIPT_ACCESS_TOKEN",
            CredentialName::QuiptAccessTokenSecret => "QUIPT_ACCESS_TOKEN_SECRET",
            CredentialName::ShipStationApiKey => "SHIPSTATION_API_KEY",
            CredentialName::ShipStationApiSecret => "SHIPSTATION_API_SECRET",
        }
    }

    fn hint(self) -> &'static str {
        match self {
            CredentialName::QuiptAccessToken | CredentialName::QuiptAccessTokenSecret => {
                "authorize the connector as the Quipt API user (`quipt-shipstation authorize` or the wizard's step 1)"
            }
            CredentialName::ShipStationApiKey | CredentialName::ShipStationApiSecret => {
                "enter the ShipStation API key and secret (ShipStation: Account → API Settings) in the wizard's step 2, or set SHIPSTATION_API_KEY and SHIPSTATION_API_SECRET"
            }
            _ => "set QUIPT_CONSUMER_KEY and QUIPT_CONSUMER_SECRET",
        }
    }

    /// How [`crate::redaction`] searches for its value.
    fn redaction_role(self) -> Role {
        match self {
            CredentialName::ShipStationApiKey => Role::ShipStationKey,
            CredentialName::ShipStationApiSecret => Role::ShipStationSecret,
            _ => Role::Other,
        }
    }

    fn shipped_default(self) -> Option<&'static str> {
        match self {
            CredentialName::QuiptConsumerKey => Some(crate::shipped_consumer::KEY),
            CredentialName::QuiptConsumerSecret => Some(crate::shipped_consumer::SECRET),
            _ => None,
        }
    }
}

/// All credentials of a run.
#[derive(Debug)]
pub struct Credentials {
    /// The connector's OAuth consumer key.
    pub quipt_consumer_key: Secret,
    /// The connector's OAuth consumer secret.
    pub quipt_consumer_secret: Secret,
    /// The API user's access token.
    pub quipt_access_token: Secret,
    /// The API user's access token secret.
    pub quipt_access_token_secret: Secret,
    /// ShipStation API key.
    pub shipstation_api_key: Secret,
    /// ShipStation API secret.
    pub shipstation_api_secret: Secret,
}

impl Credentials {
    /// Loads every credential: the environment first, then the keyring, then the shipped default.
    /// The keyring is not touched when the environment provides everything (headless use).
    ///
    /// # Errors
    /// [`Error::MissingCredential`] naming the first missing one and how to provide it;
    /// [`Error::KeyringUnavailable`] when the keyring is needed but absent.
    pub fn load() -> Result<Self> {
        let get = |name: CredentialName| -> Result<Secret> {
            if let Some(value) = lookup(name)? {
                return Ok(value);
            }
            Err(Error::MissingCredential {
                name: name.env_var(),
                hint: name.hint(),
            })
        };
        Ok(Self {
            quipt_consumer_key: get(CredentialName::QuiptConsumerKey)?,
            quipt_consumer_secret: get(CredentialName::QuiptConsumerSecret)?,
            quipt_access_token: get(CredentialName::QuiptAccessToken)?,
            quipt_access_token_secret: get(CredentialName::QuiptAccessTokenSecret)?,
            shipstation_api_key: get(CredentialName::ShipStationApiKey)?,
            shipstation_api_secret: get(CredentialName::ShipStationApiSecret)?,
        })
    }
}

/// One credential from the environment, the keyring or the shipped default, in that order.
///
/// # Errors
/// When the keyring is needed and fails.
pub fn lookup(name: CredentialName) -> Result<Option<Secret>> {
    if let Ok(value) = std::env::var(name.env_var())
        && !value.is_empty()
    {
        return Ok(Some(remembered(name, Secret::new(value))));
    }
    let shipped = || {
        name.shipped_default()
            .map(|v| remembered(name, Secret::new(v)))
    };
    match read(name) {
        Ok(Some(value)) => Ok(Some(value)),
        Ok(None) => Ok(shipped()),
        Err(e) if name.shipped_default().is_some() => {
            tracing::debug!("keyring not read for {}: {e}", name.env_var());
            Ok(shipped())
        }
        Err(e) => Err(e),
    }
}

/// Hands the value to [`crate::redaction`] before anyone can log it.
fn remembered(name: CredentialName, secret: Secret) -> Secret {
    redaction::remember(name.redaction_role(), secret.expose_secret());
    secret
}

/// Reads one credential from the keyring; `None` when it was never stored.
///
/// # Errors
/// [`Error::KeyringUnavailable`] when no keyring can be reached.
pub fn read(name: CredentialName) -> Result<Option<Secret>> {
    match entry(name)?.get_password() {
        Ok(value) => Ok(Some(remembered(name, Secret::new(value)))),
        Err(keyring_core::Error::NoEntry) => Ok(None),
        Err(e) => Err(keyring_error(e)),
    }
}

/// Stores one credential in the keyring, replacing any previous value. The value is redacted from
/// this process's logs from now on (an OAuth access token, keys typed in the wizard).
///
/// # Errors
/// [`Error::KeyringUnavailable`] when no keyring can be reached.
pub fn store(name: CredentialName, value: &Secret) -> Result<()> {
    redaction::remember(name.redaction_role(), value.expose_secret());
    entry(name)?
        .set_password(value.expose_secret())
        .map_err(keyring_error)
}

/// Deletes one credential from the keyring; deleting an absent one is not an error.
///
/// # Errors
/// [`Error::KeyringUnavailable`] when no keyring can be reached.
pub fn delete(name: CredentialName) -> Result<()> {
    use keyring_core::Error::NoEntry;
    let entry = entry(name)?;
    let first = match entry.delete_credential() {
        Ok(()) | Err(NoEntry) => return Ok(()),
        Err(e) => e,
    };
    // The item the Secret Service found can be gone when it is deleted ("Object does not exist at
    // path …": deleted meanwhile, or a search answered while a deletion was still settling): what
    // counts is whether one is still there, so the state is read again and a credential still
    // found is deleted once more.
    let gone = matches!(entry.get_password(), Err(NoEntry))
        || matches!(entry.delete_credential(), Ok(()) | Err(NoEntry));
    if gone {
        Ok(())
    } else {
        Err(keyring_error(first))
    }
}

fn entry(name: CredentialName) -> Result<keyring_core::Entry> {
    ensure_default_store()?;
    keyring_core::Entry::new(KEYRING_SERVICE, name.env_var()).map_err(keyring_error)
}

fn keyring_error(source: keyring_core::Error) -> Error {
    match source {
        keyring_core::Error::NoDefaultStore
        | keyring_core::Error::NoStorageAccess(_)
        | keyring_core::Error::PlatformFailure(_) => Error::KeyringUnavailable { source },
        source => Error::Keyring { source },
    }
}

/// Installs the platform's native store once it can be had: Secret Service on Linux, the Keychain
/// on macOS, the Credential Manager on Windows. A failure is not remembered, so a process started
/// before the session's Secret Service answers finds it on a later try ([`crate::startup`]).
fn ensure_default_store() -> Result<()> {
    static INSTALLED: std::sync::Mutex<bool> = std::sync::Mutex::new(false);
    let mut installed = INSTALLED.lock().unwrap_or_else(|p| p.into_inner());
    if !*installed {
        let store = native_store().map_err(|source| Error::KeyringUnavailable { source })?;
        keyring_core::set_default_store(store);
        *installed = true;
    }
    Ok(())
}

#[cfg(target_os = "linux")]
fn native_store() -> keyring_core::Result<std::sync::Arc<keyring_core::CredentialStore>> {
    Ok(zbus_secret_service_keyring_store::Store::new()?)
}

#[cfg(target_os = "macos")]
fn native_store() -> keyring_core::Result<std::sync::Arc<keyring_core::CredentialStore>> {
    Ok(apple_native_keyring_store::keychain::Store::new()?)
}

#[cfg(target_os = "windows")]
fn native_store() -> keyring_core::Result<std::sync::Arc<keyring_core::CredentialStore>> {
    Ok(windows_native_keyring_store::Store::new()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_never_shows_in_debug_output() {
        let secret = Secret::new("hunter2");
        assert_eq!(
            format!("{secret:?}"),
            "<redacted>",
            "Debug must not reveal the value"
        );
        assert_eq!(secret.expose_secret(), "hunter2");
    }

    #[test]
    fn a_secret_typed_in_the_window_arrives_wrapped() {
        let typed: Secret = serde_json::from_str(r#""hunter2""#).expect("a JSON string");
        assert_eq!(typed.expose_secret(), "hunter2");
        assert_eq!(format!("{typed:?}"), "<redacted>");
        assert!(
            serde_json::from_str::<Secret>("42").is_err(),
            "only a string is a secret"
        );
    }
}
