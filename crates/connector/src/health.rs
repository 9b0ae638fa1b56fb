//! Health at a glance (green / amber / red), derived in one place from the history, so the tray,
//! the dashboard and notifications always agree.

use serde::Serialize;

/// The connector's health.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum Health {
    /// Green: the last run completed and nothing needs attention.
    Ok,
    /// Amber: orders are held, failed or in conflict, or reference data drifted.
    Warning,
    /// Red: the last run failed (credentials refused, API unreachable, bad settings), or no run has
    /// completed yet.
    Failing,
}

/// Derives the health from the last run's outcome and the number of orders needing attention.
pub fn assess(last_outcome: Option<&str>, attention: u64, alerts: usize) -> Health {
    match last_outcome {
        None | Some("failed") | Some("interrupted") => Health::Failing,
        _ if attention > 0 || alerts > 0 => Health::Warning,
        _ => Health::Ok,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_run_is_red_even_when_no_order_is_held() {
        assert_eq!(assess(Some("failed"), 0, 0), Health::Failing);
    }

    #[test]
    fn held_orders_turn_a_good_run_amber() {
        assert_eq!(assess(Some("attention"), 3, 0), Health::Warning);
        assert_eq!(assess(Some("ok"), 0, 0), Health::Ok);
    }
}
