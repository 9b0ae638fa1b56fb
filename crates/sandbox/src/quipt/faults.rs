//! Scripted faults of the Quipt simulator: an outage until a simulated instant; the next N
//! requests fail with a status, drop their connection, answer HTTP 200 with `Success: false`, or
//! are served and then answered HTTP 200 with a body that is not Quipt's (an HTML page, truncated
//! JSON: what a client gets when a proxy mangles the answer to a write that took effect);
//! requests to one endpoint fail after some of them were served;
//! the next N writes take effect and then lose their answer; every request can be slowed by a
//! latency. Control requests (`/__control/`) are never faulted, so a test can always steer the
//! simulator.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::rules::Write;
use crate::faults::{CountedBody, LostAnswers, Outage, RouteFailure, RouteFault};

/// What the next API request should suffer, decided in one place so the order is fixed:
/// latency first, then an outage, a drop, a failing status, an unsuccessful envelope, a body
/// answered in place of the real one.
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
    /// Requests left to serve and then answer HTTP 200 with this body instead of their own.
    pub garbage_next: Option<CountedBody>,
    /// Added to every API request before it is handled.
    pub latency: Duration,
    /// Down until a simulated instant.
    pub outage: Option<Outage>,
    /// Requests to one endpoint that fail after some were served.
    pub route: Option<RouteFault>,
    /// Writes left whose answer is lost after they took effect, and of which kind (`None`: any).
    pub answer_lost: Option<LostAnswers<Write>>,
}

/// The fault to apply to one request (after the latency).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Close the connection without an answer.
    Drop,
    /// Answer with this HTTP status and an error envelope.
    Status(u16),
    /// Answer HTTP 200 with `Success: false` and a Fatal message.
    Unsuccessful,
    /// Serve the request (a write takes effect), then answer HTTP 200 with this body instead.
    Garbage(String),
}

impl Faults {
    /// Whether the answer to this write, which took effect, is to be lost (counting it down).
    pub fn take_answer_lost(&mut self, write: Write) -> bool {
        LostAnswers::take(&mut self.answer_lost, write)
    }

    /// Takes the fault for a request to `endpoint` (as the statistics name it) at `now`: an
    /// outage in force first, then one armed for that endpoint, then the counted ones (counting
    /// down).
    pub fn take(&mut self, now: DateTime<Utc>, endpoint: &str) -> Option<Fault> {
        if let Some(outage) = Outage::in_force(&mut self.outage, now) {
            return Some(outage.status.map_or(Fault::Drop, Fault::Status));
        }
        if let Some(failure) = RouteFault::take(&mut self.route, endpoint) {
            return Some(match failure {
                RouteFailure::Status(status) => Fault::Status(status),
                RouteFailure::Dropped => Fault::Drop,
            });
        }
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
            CountedBody::take(&mut self.garbage_next).map(Fault::Garbage)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENDPOINT: &str = "GET /v2/orders/fulfillment/{pageSize}/{pageNumber}";

    #[test]
    fn faults_are_taken_once_each_and_then_stop() {
        let mut f = Faults {
            drop_remaining: 1,
            fail_remaining: 2,
            fail_status: 503,
            ..Faults::default()
        };
        let now = Utc::now();
        assert_eq!(f.take(now, ENDPOINT), Some(Fault::Drop), "drops come first");
        assert_eq!(
            f.take(now, ENDPOINT),
            Some(Fault::Status(503)),
            "then the failing statuses"
        );
        assert_eq!(
            f.take(now, ENDPOINT),
            Some(Fault::Status(503)),
            "two of them"
        );
        assert_eq!(
            f.take(now, ENDPOINT),
            None,
            "and then requests are served normally"
        );
    }

    #[test]
    fn an_outage_comes_before_the_counted_faults_and_ends_at_its_instant() {
        let until = DateTime::from_timestamp(1_000, 0).unwrap();
        let mut f = Faults {
            outage: Some(Outage {
                until,
                status: Some(503),
            }),
            drop_remaining: 1,
            ..Faults::default()
        };
        let before = until - chrono::Duration::seconds(1);
        assert_eq!(
            f.take(before, ENDPOINT),
            Some(Fault::Status(503)),
            "down before"
        );
        assert_eq!(
            f.take(before, ENDPOINT),
            Some(Fault::Status(503)),
            "for every request"
        );
        assert_eq!(
            f.take(until, ENDPOINT),
            Some(Fault::Drop),
            "up again at the instant: the drop is next"
        );
        assert_eq!(f.outage, None, "and the ended outage is forgotten");
    }
}
