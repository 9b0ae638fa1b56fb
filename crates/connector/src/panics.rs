//! What happens when the engine meets a bug (a panic): the run it happened in is recorded as failed
//! with the panic's message, the health turns red, and the schedule goes on to the next run — a
//! connector left for months must not sit green and idle behind a task that died. The panic hook
//! writes the message to the log (through the redacting writers, never the unredacted default
//! hook on stderr), so support sees where it happened.
//!
//! Debug builds (the tests) have one seam, [`seam`]: a file in the data directory makes the next
//! run panic. Release builds do not contain it.

use std::any::Any;

use crate::error::Error;
use crate::redaction;

/// The panic's message, with every credential value this process knows replaced: it is written
/// to the history, the log and the screen.
pub fn message(payload: &(dyn Any + Send)) -> String {
    let text = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("a panic without a message");
    redaction::patterns().redact(text).0
}

/// The error for a panic caught with its `payload` (a run's passes, the schedule's run).
pub fn from_payload(payload: &(dyn Any + Send)) -> Error {
    Error::Panicked {
        message: message(payload),
    }
}

/// The error for a blocking task that panicked (or was cancelled as the runtime shut down).
pub fn from_task(error: tokio::task::JoinError) -> Error {
    match error.try_into_panic() {
        Ok(payload) => from_payload(&*payload),
        Err(_) => Error::Panicked {
            message: "the task was cancelled".to_string(),
        },
    }
}

/// Replaces the default panic hook (which prints to stderr unredacted) with one that logs the
/// message and where it happened as an error: the log file gets it, and stderr through the same
/// redacting writer. The CLI and the app install it with their logger.
///
/// A panic while the redaction's list is being rebuilt on this thread would make the logger wait
/// for ever on that list's lock: the hook then writes a fixed line to stderr, without the message
/// (which could not be redacted), and the process goes on unwinding.
pub fn install_hook() {
    std::panic::set_hook(Box::new(|info| {
        if !redaction::patterns_ready() {
            eprintln!(
                "internal error (a bug) while the redaction list was rebuilt; message withheld"
            );
            return;
        }
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        tracing::error!(
            location,
            "internal error (a bug; please send the diagnostics bundle): {}",
            message(info.payload())
        );
    }));
}

/// The debug-build seam the tests use to make a run panic.
#[cfg(debug_assertions)]
pub mod seam {
    use std::path::Path;

    /// A file of this name in the data directory (beside the history database) makes every run
    /// panic with its text as the message, until it is removed.
    pub const PANIC_FILE: &str = "test-seam-panic";

    /// Panics when the directory of the history `database` holds [`PANIC_FILE`].
    pub fn panic_if_asked(database: &Path) {
        let Some(dir) = database.parent() else {
            return;
        };
        if let Ok(text) = std::fs::read_to_string(dir.join(PANIC_FILE)) {
            panic!("{}", text.trim());
        }
    }
}
