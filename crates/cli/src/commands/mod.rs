//! One module per command: its `Args` and its `run`.

pub mod authorize;
pub mod check;
pub mod completions;
pub mod credentials;
pub mod daemon;
pub mod diagnostics;
pub mod history;
pub mod manual;
pub mod reconcile;
pub mod retry;
pub mod sandbox;
pub mod settle;
pub mod start_new_history;
pub mod status;
pub mod sync;

use std::process::ExitCode;

/// Exit code 2: the run completed but something needs the operator (orders held or failed,
/// conflicts, drift alerts).
pub const ATTENTION: u8 = 2;

/// The exit code of a finished run (SPEC §5).
pub fn exit_code(summary: &connector::RunSummary) -> ExitCode {
    use connector::RunOutcome;
    match summary.outcome {
        RunOutcome::Ok => ExitCode::SUCCESS,
        RunOutcome::Attention => ExitCode::from(ATTENTION),
        RunOutcome::Failed | RunOutcome::Running | RunOutcome::Interrupted => ExitCode::from(1),
    }
}
