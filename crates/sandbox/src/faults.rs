//! The faults both simulators arm alike: an outage until a simulated instant, writes that take
//! effect and then lose their answer, requests to one endpoint that fail after some of them
//! were served, and answers replaced by a body of the test's choosing. Each simulator's own `faults.rs` holds them beside its other
//! faults and decides where in its gate they apply.

use chrono::{DateTime, Utc};
use serde::Deserialize;

/// The server is down until a simulated instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct Outage {
    /// The simulated instant it ends.
    pub until: DateTime<Utc>,
    /// What every request gets meanwhile: this status (e.g. 503), or (`None`) its connection
    /// closed without an answer.
    #[serde(default)]
    pub status: Option<u16>,
}

impl Outage {
    /// The outage armed in `slot` if it is still in force at `now`; an ended one is forgotten.
    pub fn in_force(slot: &mut Option<Outage>, now: DateTime<Utc>) -> Option<Outage> {
        *slot = slot.filter(|outage| now < outage.until);
        *slot
    }
}

/// The next writes (of one kind `W`, or any) that take effect and then lose their answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct LostAnswers<W> {
    /// How many writes are left to lose their answer.
    pub count: u32,
    /// Which kind of write; `None`: any.
    #[serde(default = "Option::default")]
    pub write: Option<W>,
}

impl<W: PartialEq + Copy> LostAnswers<W> {
    /// Whether the answer to `write`, which took effect, is to be lost (counting `slot` down).
    pub fn take(slot: &mut Option<Self>, write: W) -> bool {
        let Some(armed) = slot.as_mut() else {
            return false;
        };
        if armed.write.is_some_and(|kind| kind != write) {
            return false;
        }
        armed.count = armed.count.saturating_sub(1);
        if armed.count == 0 {
            *slot = None;
        }
        true
    }
}

/// The next requests answered HTTP 200 with a body of the test's choosing (an HTML page, truncated
/// JSON) instead of their own answer. Each simulator says whether the request was handled first.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CountedBody {
    /// How many requests.
    pub count: u32,
    /// Which body.
    pub body: String,
}

impl CountedBody {
    /// The fault to arm: `count` requests answered with `body` (`None` when there are none).
    pub fn armed(count: u32, body: String) -> Option<Self> {
        (count > 0).then_some(Self { count, body })
    }

    /// The body for the next request, if the fault armed in `slot` takes it (counting it down; a
    /// used-up fault is forgotten).
    pub fn take(slot: &mut Option<Self>) -> Option<String> {
        let armed = slot.as_mut()?;
        armed.count = armed.count.saturating_sub(1);
        if armed.count == 0 {
            return slot.take().map(|last| last.body);
        }
        Some(armed.body.clone())
    }
}

/// Requests to one endpoint that fail once `skip` of them were served: the fault that breaks one
/// call of a run (the second batch of a push, the acceptance sent while shipping) and not every
/// call after it, as the counted faults do.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RouteFault {
    /// The endpoint, as the statistics name it: method and route, e.g.
    /// `POST /orders/createorders`.
    pub endpoint: String,
    /// Requests to it served normally first.
    #[serde(default)]
    pub skip: u32,
    /// Requests to it that fail after those.
    pub count: u32,
    /// What they get: this status, or (`None`) their connection closed without an answer.
    #[serde(default)]
    pub status: Option<u16>,
}

/// How a request the [`RouteFault`] takes fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteFailure {
    /// Answered with this status.
    Status(u16),
    /// Its connection closed without an answer.
    Dropped,
}

impl RouteFault {
    /// The fault to arm: `count` requests to `endpoint` fail once `skip` were served (`None`
    /// when there are none to fail).
    pub fn armed(endpoint: &str, skip: u32, count: u32, status: Option<u16>) -> Option<Self> {
        (count > 0).then(|| Self {
            endpoint: endpoint.to_string(),
            skip,
            count,
            status,
        })
    }

    /// How the request to `endpoint` is to fail, if the fault armed in `slot` takes it (counting
    /// it down; a used-up fault is forgotten).
    pub fn take(slot: &mut Option<Self>, endpoint: &str) -> Option<RouteFailure> {
        let armed = slot.as_mut().filter(|f| f.endpoint == endpoint)?;
        if armed.skip > 0 {
            armed.skip -= 1;
            return None;
        }
        let failure = armed
            .status
            .map_or(RouteFailure::Dropped, RouteFailure::Status);
        armed.count = armed.count.saturating_sub(1);
        if armed.count == 0 {
            *slot = None;
        }
        Some(failure)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_is_answered_as_often_as_armed_and_then_forgotten() {
        let mut slot = CountedBody::armed(2, "<html>".into());
        assert_eq!(CountedBody::take(&mut slot).as_deref(), Some("<html>"));
        assert_eq!(
            CountedBody::take(&mut slot).as_deref(),
            Some("<html>"),
            "twice"
        );
        assert_eq!(slot, None, "and then it is used up");
        assert_eq!(
            CountedBody::take(&mut slot),
            None,
            "so the next answer is the real one"
        );
        assert_eq!(
            CountedBody::armed(0, "x".into()),
            None,
            "none armed for a count of 0"
        );
    }

    #[test]
    fn a_lost_answer_is_taken_only_by_the_write_it_targets_and_only_as_often_as_armed() {
        let mut slot = Some(LostAnswers {
            count: 1,
            write: Some("reject"),
        });
        assert!(
            !LostAnswers::take(&mut slot, "acknowledge"),
            "an acceptance is not the rejection the test armed it for"
        );
        assert!(
            LostAnswers::take(&mut slot, "reject"),
            "the rejection loses its answer"
        );
        assert!(!LostAnswers::take(&mut slot, "reject"), "only once");
        let mut any = Some(LostAnswers::<&str> {
            count: 2,
            write: None,
        });
        assert!(LostAnswers::take(&mut any, "ship"), "unnamed: any write");
        assert!(LostAnswers::take(&mut any, "void"), "twice");
        assert_eq!(any, None, "and then it is used up");
    }

    #[test]
    fn a_route_fault_takes_only_its_endpoint_after_the_requests_it_skips() {
        let mut slot = Some(RouteFault {
            endpoint: "POST /orders/createorders".into(),
            skip: 1,
            count: 2,
            status: None,
        });
        let create = "POST /orders/createorders";
        assert_eq!(
            RouteFault::take(&mut slot, "GET /stores"),
            None,
            "another endpoint is served"
        );
        assert_eq!(
            RouteFault::take(&mut slot, create),
            None,
            "the first batch is served"
        );
        assert_eq!(
            RouteFault::take(&mut slot, create),
            Some(RouteFailure::Dropped),
            "the second is dropped"
        );
        assert_eq!(
            RouteFault::take(&mut slot, create),
            Some(RouteFailure::Dropped),
            "and the third"
        );
        assert_eq!(
            RouteFault::take(&mut slot, create),
            None,
            "then it is used up"
        );
        assert_eq!(slot, None, "and forgotten");
    }

    #[test]
    fn an_outage_ends_at_its_instant() {
        let until = DateTime::from_timestamp(1_000, 0).unwrap();
        let mut slot = Some(Outage {
            until,
            status: Some(503),
        });
        let before = until - chrono::Duration::seconds(1);
        assert!(Outage::in_force(&mut slot, before).is_some(), "down before");
        assert_eq!(
            Outage::in_force(&mut slot, until),
            None,
            "up again at the instant"
        );
        assert_eq!(slot, None, "and the ended outage is forgotten");
    }
}
