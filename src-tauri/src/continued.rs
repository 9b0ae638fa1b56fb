//! The schedule a process of the app hands to the one that continues it ([`crate::handover`]),
//! carried on the new process's command line: paused, or when its next run is due. A leaf: the
//! engine starts the schedule from it, the handover writes it.

use chrono::{DateTime, Utc};
use connector::schedule::ScheduleState;

/// The argument that carries the schedule to the new process.
const ARG: &str = "--continue-schedule=";

/// The schedule as the process that handed over left it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Continued {
    /// Paused (from the tray or Settings): stays paused.
    Paused,
    /// Running: its next run is due then.
    NextRunAt(DateTime<Utc>),
}

impl Continued {
    /// What the schedule's state hands over; `None` when it had planned nothing (no run to keep).
    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    pub fn from_state(state: &ScheduleState) -> Option<Self> {
        if state.paused {
            Some(Self::Paused)
        } else {
            state.next_run_at.map(Self::NextRunAt)
        }
    }

    /// The command-line argument for the new process.
    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    pub fn arg(self) -> String {
        match self {
            Self::Paused => format!("{ARG}paused"),
            Self::NextRunAt(at) => format!("{ARG}{}", at.to_rfc3339()),
        }
    }

    /// The schedule handed over in this process's arguments; `None` in a process the operator (or
    /// the desktop) started, and for an argument this version cannot read (it then runs at start).
    pub fn from_args(args: impl IntoIterator<Item = String>) -> Option<Self> {
        let value = args
            .into_iter()
            .find_map(|a| a.strip_prefix(ARG).map(String::from))?;
        match value.as_str() {
            "paused" => Some(Self::Paused),
            at => DateTime::parse_from_rfc3339(at)
                .ok()
                .map(|at| Self::NextRunAt(at.to_utc())),
        }
    }
}

impl std::fmt::Display for Continued {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Paused => f.write_str("paused"),
            Self::NextRunAt(at) => write!(f, "next run at {}", at.to_rfc3339()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(continued: Option<Continued>) -> Vec<String> {
        let mut args = vec![
            "quipt-shipstation-app".to_string(),
            "--minimized".to_string(),
        ];
        args.extend(continued.map(Continued::arg));
        args
    }

    #[test]
    fn the_schedule_reaches_the_new_process_as_it_stood() {
        let at = DateTime::parse_from_rfc3339("2026-11-30T06:15:00.250Z")
            .unwrap()
            .to_utc();
        for continued in [Continued::Paused, Continued::NextRunAt(at)] {
            assert_eq!(Continued::from_args(args(Some(continued))), Some(continued));
        }
        assert_eq!(
            Continued::from_args(args(None)),
            None,
            "a launch by the operator or the desktop runs at start"
        );
        assert_eq!(
            Continued::from_args(vec![format!("{ARG}next tuesday")]),
            None,
            "an argument this version cannot read runs at start rather than never"
        );
    }

    #[test]
    fn a_paused_schedule_stays_paused_and_a_running_one_keeps_its_next_run() {
        let at = Utc::now();
        let state = |paused, next_run_at| ScheduleState {
            paused,
            next_run_at,
            interval_minutes: 15,
        };
        assert_eq!(
            Continued::from_state(&state(true, None)),
            Some(Continued::Paused)
        );
        assert_eq!(
            Continued::from_state(&state(false, Some(at))),
            Some(Continued::NextRunAt(at))
        );
        assert_eq!(Continued::from_state(&state(false, None)), None);
    }
}
