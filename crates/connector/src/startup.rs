//! Starting unattended: the app started at login, or the daemon by a user's service manager, may
//! come up before the session has unlocked the keyring (or before its Secret Service answers).
//! That is not a reason to fail for good: [`open_when_keyring_opens`] says "keyring locked —
//! waiting", tries again every [`KEYRING_RETRY`], and returns the engine once the credentials can
//! be read. Every other reason not to start (bad settings, a credential that is simply missing)
//! is returned at once: waiting would not fix it. So is a keyring out of reach where none can ever
//! open: on Linux, a process without a D-Bus session bus (a system service such as the
//! `quipt-shipstation@` template unit) reads its credentials from the environment only, and one
//! missing there is an error to fix, not a keyring to wait for.

use std::time::Duration;

use crate::error::{Error, ErrorCode, Result};
use crate::{Connector, panics};

/// How often a start waiting for the keyring tries again: the operator unlocking it sees syncing
/// begin within seconds, and a locked keyring is asked a cheap question.
pub const KEYRING_RETRY: Duration = Duration::from_secs(5);

/// Whether a start that failed with `error` should wait for the keyring and try again, where
/// `keyring_may_open` says whether one could yet open ([`keyring_may_open`]).
pub fn waits_for_keyring(error: &Error, keyring_may_open: bool) -> bool {
    keyring_may_open && error.code() == ErrorCode::KeyringUnavailable
}

/// Whether this process could yet reach a keyring: on Linux only through a D-Bus session bus
/// (`DBUS_SESSION_BUS_ADDRESS`, which a login session and its user services have and a system
/// service has not); elsewhere the OS keyring belongs to the logged-in user.
pub fn keyring_may_open() -> bool {
    !cfg!(target_os = "linux") || std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some()
}

/// What the app and the daemon show while waiting.
pub fn waiting_message(error: &Error) -> String {
    format!(
        "keyring locked — waiting: syncing starts once it is unlocked (tried every {} s; {error})",
        KEYRING_RETRY.as_secs()
    )
}

/// Opens the engine with `open` (e.g. [`Connector::from_paths`]) on a blocking thread — the
/// keyring and SQLite are blocking calls —, trying again every `retry` while the keyring is locked
/// or absent; `waiting` is told each time a try finds it so.
///
/// # Errors
/// Whatever else keeps the engine from opening (settings, a missing credential, the history).
pub async fn open_when_keyring_opens(
    open: impl Fn() -> Result<Connector> + Clone + Send + 'static,
    retry: Duration,
    mut waiting: impl FnMut(&Error),
) -> Result<Connector> {
    loop {
        let attempt = open.clone();
        let opened = tokio::task::spawn_blocking(attempt)
            .await
            .unwrap_or_else(|e| Err(panics::from_task(e)));
        match opened {
            Err(error) if waits_for_keyring(&error, keyring_may_open()) => {
                waiting(&error);
                tokio::time::sleep(retry).await;
            }
            opened => return opened,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_keyring_that_cannot_be_read_yet_is_waited_for() {
        let locked = Error::KeyringUnavailable {
            source: keyring_core::Error::NoStorageAccess("locked".into()),
        };
        assert!(waits_for_keyring(&locked, true), "unlocking it will fix it");
        assert!(
            !waits_for_keyring(&locked, false),
            "without a session bus no keyring will ever open: the environment lacks a credential"
        );
        assert!(
            waiting_message(&locked).starts_with("keyring locked — waiting"),
            "the words the app and the daemon show"
        );
        let missing = Error::MissingCredential {
            name: "SHIPSTATION_API_KEY",
            hint: "enter it in the wizard",
        };
        assert!(
            !waits_for_keyring(&missing, true),
            "waiting would not make it appear"
        );
        let settings = Error::Settings {
            path: "settings.toml".into(),
            problems: vec!["warehouses.codes is empty".into()],
        };
        assert!(
            !waits_for_keyring(&settings, true),
            "the operator must fix the file"
        );
    }
}
