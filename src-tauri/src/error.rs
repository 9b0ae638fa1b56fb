//! What a failed command sends to the webview: a closed code the UI branches on and a message that
//! says what to fix, built from `connector::Error` (never the bare `to_string()` alone).

use serde::Serialize;

/// A command's failure, as the UI receives it.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct CommandError {
    /// The engine's code (`invalid_credentials`, `keyring_unavailable`, …), or `app` for the shell's own.
    pub code: String,
    /// What went wrong and what to do.
    pub message: String,
}

impl From<connector::Error> for CommandError {
    fn from(e: connector::Error) -> Self {
        let code = serde_json::to_value(e.code())
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_else(|| format!("{:?}", e.code()));
        Self {
            code,
            message: e.to_string(),
        }
    }
}

impl CommandError {
    /// A failure of the shell itself (no engine yet, a window or file problem).
    pub fn app(message: impl Into<String>) -> Self {
        Self {
            code: "app".into(),
            message: message.into(),
        }
    }
}

/// The result of every command.
pub type CommandResult<T> = Result<T, CommandError>;
