//! The engine's one error type, and the closed set of codes the UI and the CLI branch on.

use serde::Serialize;

/// A closed set of error kinds that callers (the desktop shell, the CLI's exit codes) branch on.
/// Add a code only when a caller needs to tell it apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The settings file is missing, unreadable or fails validation.
    InvalidSettings,
    /// Quipt or ShipStation refused the credentials (401).
    InvalidCredentials,
    /// A credential the run needs is in neither the keyring nor the environment.
    MissingCredentials,
    /// No OS keyring (Secret Service) is reachable.
    KeyringUnavailable,
    /// An API could not be reached, or kept failing after the client's retries.
    ApiUnavailable,
    /// ShipStation's rate budget stayed exhausted after the client's retries.
    RateLimited,
    /// The local history database failed.
    Storage,
    /// Another process holds the run lock of this data directory.
    RunInProgress,
    /// A bug in the connector stopped the run (a panic); the next run goes ahead.
    Internal,
    /// The OAuth authorization did not complete.
    AuthorizationFailed,
    /// This computer's clock is too far from Quipt's for signed requests: the clock must be fixed,
    /// the credentials are fine.
    ClockSkew,
}

/// Everything that can go wrong in the engine. Each variant keeps its source so that the message the
/// operator sees says what to fix.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The settings file cannot be used; `problems` lists every rule it breaks.
    #[error("invalid settings in {path}: {}", problems.join("; "))]
    Settings {
        /// The file that was read.
        path: String,
        /// One sentence per problem, each saying what to fix.
        problems: Vec<String>,
    },
    /// Reading or writing a local file failed.
    #[error("{action} {path}: {source}")]
    Io {
        /// What was being done ("read", "write", "lock").
        action: &'static str,
        /// The file.
        path: String,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// A credential is missing from both the keyring and the environment.
    #[error("missing credential {name}: {hint}")]
    MissingCredential {
        /// The credential's name (e.g. `SHIPSTATION_API_KEY`).
        name: &'static str,
        /// How to provide it.
        hint: &'static str,
    },
    /// The OS keyring cannot be used.
    #[error(
        "no keyring available ({source}); on Linux install and start a Secret Service such as gnome-keyring (Debian: gnome-keyring dbus), or set the credential environment variables"
    )]
    KeyringUnavailable {
        /// The keyring's own error.
        #[source]
        source: keyring_core::Error,
    },
    /// The keyring answered with an error other than "unavailable".
    #[error("keyring: {source}")]
    Keyring {
        /// The keyring's own error.
        #[source]
        source: keyring_core::Error,
    },
    /// The ShipStation client failed.
    #[error("ShipStation: {source}")]
    ShipStation {
        /// The client's error, with the API's message.
        #[from]
        source: shipstation::Error,
    },
    /// The Quipt client failed.
    #[error("Quipt: {source}")]
    Quipt {
        /// The client's error, with the API's messages.
        #[from]
        source: quipt::Error,
    },
    /// The SQLite history failed.
    #[error("history database: {source}")]
    Storage {
        /// SQLite's error.
        #[from]
        source: rusqlite::Error,
    },
    /// The history database was written by a newer version of the connector; nothing was written
    /// to it.
    #[error(
        "the history database {path} is at schema version {found}, written by a newer version of the connector; this version ({version}) knows schema versions up to {supported} and does not touch it. Install the newer version again, or run `quipt-shipstation start-new-history` to keep that file aside and start a new, empty history",
        version = env!("CARGO_PKG_VERSION")
    )]
    DatabaseTooNew {
        /// The database file.
        path: String,
        /// Its schema version (`user_version`).
        found: usize,
        /// The newest schema version this build knows.
        supported: usize,
    },
    /// The history database file is not a SQLite database, or is damaged.
    #[error(
        "the history database {path} is damaged or not a database ({source}); nothing was changed. Run `quipt-shipstation start-new-history` to keep the file aside (renamed, never deleted) and start a new, empty history: no order is pushed or reported twice after that, since ShipStation orders are keyed by orderKey and Quipt shipments by ExternalId"
    )]
    DatabaseDamaged {
        /// The database file.
        path: String,
        /// SQLite's error.
        #[source]
        source: rusqlite::Error,
    },
    /// A stored value could not be decoded (a corrupt row or cache entry).
    #[error("history database holds an unreadable {what}: {source}")]
    Corrupt {
        /// What was being decoded.
        what: &'static str,
        /// The decoder's error.
        #[source]
        source: serde_json::Error,
    },
    /// A bug (a panic) stopped the run or the question; the message is redacted. A run that ends
    /// so is recorded as failed and the schedule goes on.
    #[error("internal error (a bug; please send the diagnostics bundle): {message}")]
    Panicked {
        /// The panic's message, every credential value replaced.
        message: String,
    },
    /// The run lock is held by another process, and waiting was not asked for or ran out.
    #[error(
        "a sync is already running for {data_dir} ({}){}",
        holder.as_deref().map_or_else(|| "by another process".to_string(), |h| format!("by {h}")),
        waited.map(|w| format!("; gave up after waiting {} s for it to end", w.as_secs())).unwrap_or_default()
    )]
    RunInProgress {
        /// The data directory whose lock is held.
        data_dir: String,
        /// Who holds it ("process 4242 since …"), as it wrote itself into the lock file (none
        /// from an older version).
        holder: Option<String>,
        /// How long this process waited before it gave up (none: it did not wait).
        waited: Option<std::time::Duration>,
    },
}

impl Error {
    /// The code a caller branches on.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Settings { .. } => ErrorCode::InvalidSettings,
            Error::Io { .. }
            | Error::Storage { .. }
            | Error::Corrupt { .. }
            | Error::DatabaseTooNew { .. }
            | Error::DatabaseDamaged { .. } => ErrorCode::Storage,
            Error::MissingCredential { .. } => ErrorCode::MissingCredentials,
            Error::KeyringUnavailable { .. } | Error::Keyring { .. } => {
                ErrorCode::KeyringUnavailable
            }
            Error::ShipStation { source } => match source {
                shipstation::Error::Unauthorized { .. } => ErrorCode::InvalidCredentials,
                shipstation::Error::RateLimited { .. } => ErrorCode::RateLimited,
                shipstation::Error::InvalidBaseUrl { .. } => ErrorCode::InvalidSettings,
                _ => ErrorCode::ApiUnavailable,
            },
            Error::Quipt { source } => match source {
                quipt::Error::Unauthorized { .. } => ErrorCode::InvalidCredentials,
                quipt::Error::ClockSkew { .. } => ErrorCode::ClockSkew,
                quipt::Error::RateLimited { .. } => ErrorCode::RateLimited,
                quipt::Error::InvalidUrl { .. } => ErrorCode::InvalidSettings,
                quipt::Error::OAuth { .. }
                | quipt::Error::Callback { .. }
                | quipt::Error::CallbackTimedOut { .. } => ErrorCode::AuthorizationFailed,
                _ => ErrorCode::ApiUnavailable,
            },
            Error::RunInProgress { .. } => ErrorCode::RunInProgress,
            Error::Panicked { .. } => ErrorCode::Internal,
        }
    }

    pub(crate) fn io(action: &'static str, path: &std::path::Path, source: std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.display().to_string(),
            source,
        }
    }
}

/// The engine's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrong_clock_and_an_insecure_address_are_not_told_as_refused_credentials() {
        let skew = quipt::skew(
            Some("Tue, 24 Nov 2026 08:00:00 GMT"),
            std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_795_510_800),
        )
        .expect("an hour apart is a wrong clock");
        let clock = Error::from(quipt::Error::ClockSkew { skew });
        assert_eq!(
            clock.code(),
            ErrorCode::ClockSkew,
            "fix the clock, not the keys"
        );
        assert!(
            clock.to_string().contains("check this computer's clock"),
            "the operator is told what to do: {clock}"
        );
        let insecure = Error::from(quipt::check_base_url("http://api.getquipt.com").unwrap_err());
        assert_eq!(
            insecure.code(),
            ErrorCode::InvalidSettings,
            "an address to fix"
        );
        let insecure =
            Error::from(shipstation::check_base_url("http://ssapi.shipstation.com").unwrap_err());
        assert_eq!(
            insecure.code(),
            ErrorCode::InvalidSettings,
            "an address to fix"
        );
        assert!(
            insecure.to_string().contains("https is required"),
            "the message says https is required: {insecure}"
        );
    }
}
