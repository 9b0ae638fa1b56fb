//! What a failed command sends to the webview: a closed code the UI branches on and a message that
//! says what to fix, built from `connector::Error` (never the bare `to_string()` alone).

use connector::ErrorCode;
use serde::Serialize;

/// A command's failure, as the UI receives it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct CommandError {
    /// The engine's [`ErrorCode`], or the shell's own.
    pub code: Code,
    /// What went wrong and what to do.
    pub message: String,
}

/// Who failed: the engine (with its closed code) or the shell. Serialized as the bare code, so
/// the UI sees `"invalid_credentials" | … | "app"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(untagged)]
pub enum Code {
    /// The engine's code.
    Engine(ErrorCode),
    /// The shell's own.
    Shell(ShellCode),
}

/// The shell's own failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum ShellCode {
    /// No engine yet, a window, dialog or file problem, a step taken out of order.
    App,
    /// The engine is starting (opening the keyring and the history): ask again in a moment.
    Starting,
    /// The engine waits for the keyring to be unlocked (as at login) and starts by itself once it
    /// opens: ask again in a moment. A keyring that can never open is the engine's
    /// `keyring_unavailable` instead, which asking again will not change.
    KeyringWaiting,
}

impl From<connector::Error> for CommandError {
    fn from(e: connector::Error) -> Self {
        Self {
            code: Code::Engine(e.code()),
            message: e.to_string(),
        }
    }
}

impl CommandError {
    /// A failure of the shell itself (no engine yet, a window or file problem).
    pub fn app(message: impl Into<String>) -> Self {
        Self {
            code: Code::Shell(ShellCode::App),
            message: message.into(),
        }
    }
}

impl CommandError {
    /// The engine is starting: what the dashboard says until it runs or says why not.
    pub fn starting() -> Self {
        Self {
            code: Code::Shell(ShellCode::Starting),
            message: "the connector is starting: opening the keyring and the history".into(),
        }
    }

    /// The engine waits for the keyring to be unlocked (`message` says since when and why).
    pub fn keyring_waiting(message: String) -> Self {
        Self {
            code: Code::Shell(ShellCode::KeyringWaiting),
            message,
        }
    }
}

/// The result of every command.
pub type CommandResult<T> = Result<T, CommandError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ui_receives_the_bare_code_of_the_engine_or_of_the_shell() {
        let engine = CommandError::from(connector::Error::MissingCredential {
            name: "SHIPSTATION_API_KEY",
            hint: "enter it",
        });
        assert_eq!(
            serde_json::to_value(&engine).unwrap()["code"],
            "missing_credentials",
            "the UI branches on the engine's code"
        );
        assert_eq!(
            serde_json::to_value(CommandError::app("x")).unwrap()["code"],
            "app"
        );
        assert_eq!(
            serde_json::to_value(CommandError::keyring_waiting("locked".into())).unwrap()["code"],
            "keyring_waiting",
            "the dashboard looks again while the keyring may yet open, not when it never can"
        );
    }
}
