//! Errors in the window (uncaught exceptions, rejected promises; `ui/src/errors.ts`) written to the
//! log files with the engine's own lines, so the Logs view and a diagnostics bundle show them.

/// The longest report kept: the text comes from the window, and one report is one log line.
const MAX_CHARS: usize = 4000;

/// Writes an error the window reported, at error level.
#[tauri::command]
pub fn log_webview_error(report: String) {
    tracing::error!(target: "webview", "error in the window: {}", bounded(&report));
}

/// `report` cut to [`MAX_CHARS`] characters, `…` marking a cut.
fn bounded(report: &str) -> String {
    let mut chars = report.chars();
    let kept: String = chars.by_ref().take(MAX_CHARS).collect();
    if chars.next().is_some() {
        format!("{kept}…")
    } else {
        kept
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_report_is_cut_and_says_so() {
        assert_eq!(bounded("TypeError: x"), "TypeError: x", "a short one whole");
        let long = "é".repeat(MAX_CHARS + 5);
        let cut = bounded(&long);
        assert_eq!(
            cut.chars().count(),
            MAX_CHARS + 1,
            "cut to the bound, plus the mark"
        );
        assert!(cut.ends_with('…'), "the cut is visible in the log");
    }
}
