//! Scripted faults of the Quipt simulator: the next N requests fail with a status, drop their
//! connection, or answer HTTP 200 with `Success: false`; every request can be slowed by a latency.
//! Control requests (`/__control/`) are never faulted, so a test can always steer the simulator.

use std::time::Duration;

/// What the next API request should suffer, decided in one place so the order is fixed:
/// latency first, then a drop, then a failing status, then an unsuccessful envelope.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    /// Requests left to answer with `fail_status`.
    pub fail_remaining: u32,
    /// Status of the failing answers (e.g. 500, 503).
    pub fail_status: u16,
    /// Connections left to drop without an answer.
    pub drop_remaining: u32,
    /// Requests left to answer HTTP 200 with `Success: false`.
    pub unsuccessful_remaining: u32,
    /// Added to every API request before it is handled.
    pub latency: Duration,
}

/// The fault to apply to one request (after the latency).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Close the connection without an answer.
    Drop,
    /// Answer with this HTTP status and an error envelope.
    Status(u16),
    /// Answer HTTP 200 with `Success: false` and a Fatal message.
    Unsuccessful,
}

impl Faults {
    /// Takes the fault for the next request, counting it down.
    pub fn take(&mut self) -> Option<Fault> {
        if self.drop_remaining > 0 {
            self.drop_remaining -= 1;
            Some(Fault::Drop)
        } else if self.fail_remaining > 0 {
            self.fail_remaining -= 1;
            Some(Fault::Status(self.fail_status))
        } else if self.unsuccessful_remaining > 0 {
            self.unsuccessful_remaining -= 1;
            Some(Fault::Unsuccessful)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_are_taken_once_each_and_then_stop() {
        let mut f = Faults {
            drop_remaining: 1,
            fail_remaining: 2,
            fail_status: 503,
            ..Faults::default()
        };
        assert_eq!(f.take(), Some(Fault::Drop), "drops come first");
        assert_eq!(
            f.take(),
            Some(Fault::Status(503)),
            "then the failing statuses"
        );
        assert_eq!(f.take(), Some(Fault::Status(503)), "two of them");
        assert_eq!(f.take(), None, "and then requests are served normally");
    }
}
