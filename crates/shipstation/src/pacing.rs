//! Pacing from the `X-Rate-Limit-*` headers, so that the client never causes a 429 when it is the
//! key's only user, even when clones of one client send concurrently.
//!
//! The [`Budget`] is pure bookkeeping over `Instant`s; `client.rs` asks [`Budget::reserve`] before
//! every request and reports the answer's headers with [`Budget::record`].
//!
//! How it stays safe:
//! - `remaining` is the **lowest** `X-Rate-Limit-Remaining` seen in the current window (the count
//!   only falls within a window, so the lowest is the newest); requests in flight are subtracted on
//!   top. A request in flight that the server already counted is thus subtracted twice until its
//!   answer arrives, which only ever errs on the cautious side. An answer without headers is
//!   assumed to have used a slot.
//! - The window's end is the **earliest** `received_at + X-Rate-Limit-Reset` seen. The server rounds
//!   Reset up, so each such instant is at or after the true end: waiting until it always lands in a
//!   new window.
//! - At the window's end a new epoch starts with the full limit, minus the requests still in flight
//!   (they may be counted in the new window). Answers to requests of an old epoch are ignored.
//! - Before anything is known (first request), only one request is in flight; the others wait for
//!   its answer.

use std::time::{Duration, Instant};

/// The three rate-limit headers of one answer, as far as they were present and numeric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RateHeaders {
    /// `X-Rate-Limit-Limit`.
    pub limit: Option<u32>,
    /// `X-Rate-Limit-Remaining`.
    pub remaining: Option<u32>,
    /// `X-Rate-Limit-Reset` (whole seconds until the window resets).
    pub reset: Option<Duration>,
}

impl RateHeaders {
    /// Reads the header values (`None` when absent); unparsable values count as absent.
    pub fn parse(limit: Option<&str>, remaining: Option<&str>, reset: Option<&str>) -> Self {
        let number = |v: Option<&str>| v.and_then(|v| v.trim().parse::<u32>().ok());
        Self {
            limit: number(limit),
            remaining: number(remaining),
            reset: reset
                .and_then(|v| v.trim().parse::<f64>().ok())
                .filter(|s| s.is_finite() && *s >= 0.0)
                .map(Duration::from_secs_f64),
        }
    }
}

/// Permission to send one request; give it back with [`Budget::record`].
#[derive(Debug)]
#[must_use = "a ticket must be recorded, or the budget believes the request is still in flight"]
pub struct Ticket {
    epoch: u64,
}

/// What [`Budget::reserve`] decided.
#[derive(Debug)]
pub enum Reservation {
    /// Send now.
    Go(Ticket),
    /// The window is used up: ask again at this instant.
    WaitUntil(Instant),
    /// Nothing is known yet and a probe is in flight: ask again when an answer arrives.
    WaitForAnswer,
}

/// The key's rate budget as this client knows it.
#[derive(Debug, Clone, Default)]
pub struct Budget {
    limit: Option<u32>,
    remaining: Option<u32>,
    window_end: Option<Instant>,
    in_flight: u32,
    epoch: u64,
}

impl Budget {
    /// Nothing known yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The last known `X-Rate-Limit-Limit`.
    pub fn limit(&self) -> Option<u32> {
        self.limit
    }

    /// Requests this client may still send in the current window (in-flight ones subtracted).
    pub fn remaining(&self) -> Option<u32> {
        self.remaining.map(|r| r.saturating_sub(self.in_flight))
    }

    fn roll(&mut self, now: Instant) {
        if let Some(end) = self.window_end
            && now >= end
        {
            self.epoch += 1;
            self.window_end = None;
            self.remaining = self.limit.map(|limit| limit.saturating_sub(self.in_flight));
            self.in_flight = 0;
        }
    }

    fn go(&mut self) -> Reservation {
        self.in_flight += 1;
        Reservation::Go(Ticket { epoch: self.epoch })
    }

    /// Asks to send one request at `now`.
    pub fn reserve(&mut self, now: Instant) -> Reservation {
        self.roll(now);
        match (self.remaining, self.window_end) {
            (Some(remaining), _) if remaining > self.in_flight => self.go(),
            // Slots may be held by requests the server already counted: their answers tell.
            (Some(remaining), _) if remaining > 0 => Reservation::WaitForAnswer,
            (Some(_), Some(end)) => Reservation::WaitUntil(end),
            // Nothing known, or a full budget of a new window whose end is unknown: one probe.
            _ if self.in_flight == 0 => self.go(),
            _ => Reservation::WaitForAnswer,
        }
    }

    /// Records the answer to `ticket` received at `now`; `headers` is `None` when there was no
    /// answer (the request is then assumed to have counted).
    pub fn record(&mut self, ticket: Ticket, headers: Option<RateHeaders>, now: Instant) {
        self.roll(now);
        if ticket.epoch != self.epoch {
            return;
        }
        self.in_flight = self.in_flight.saturating_sub(1);
        let headers = headers.unwrap_or_default();
        if headers.limit.is_some() {
            self.limit = headers.limit;
        }
        self.remaining = match (self.remaining, headers.remaining) {
            (Some(known), Some(reported)) => Some(known.min(reported)),
            (None, Some(reported)) => Some(reported),
            // No count in the answer: assume this request used a slot.
            (known, None) => known.map(|r| r.saturating_sub(1)),
        };
        if let Some(reset) = headers.reset {
            let end = now + reset;
            self.window_end = Some(self.window_end.map_or(end, |known| known.min(end)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(remaining: u32, reset_secs: u64) -> Option<RateHeaders> {
        Some(RateHeaders {
            limit: Some(40),
            remaining: Some(remaining),
            reset: Some(Duration::from_secs(reset_secs)),
        })
    }

    fn ticket(reservation: Reservation) -> Ticket {
        match reservation {
            Reservation::Go(ticket) => ticket,
            other => panic!("expected to be allowed to send, got {other:?}"),
        }
    }

    #[test]
    fn the_first_request_is_a_lone_probe() {
        let now = Instant::now();
        let mut budget = Budget::new();
        let probe = ticket(budget.reserve(now));
        assert!(
            matches!(budget.reserve(now), Reservation::WaitForAnswer),
            "nothing known: one request at a time"
        );
        budget.record(probe, headers(39, 2), now);
        assert!(
            matches!(budget.reserve(now), Reservation::Go(_)),
            "after the answer the budget is known"
        );
    }

    #[test]
    fn concurrent_requests_never_exceed_the_remaining_budget() {
        let now = Instant::now();
        let mut budget = Budget::new();
        let probe = ticket(budget.reserve(now));
        budget.record(probe, headers(39, 2), now);
        let tickets: Vec<Ticket> = (0..39).map(|_| ticket(budget.reserve(now))).collect();
        assert_eq!(
            tickets.len(),
            39,
            "the 39 remaining slots can be used at once"
        );
        assert!(
            matches!(budget.reserve(now), Reservation::WaitForAnswer),
            "the 41st request waits for answers"
        );
        for (n, t) in tickets.into_iter().enumerate() {
            budget.record(t, headers(38 - n as u32, 2), now);
        }
        assert!(
            matches!(budget.reserve(now), Reservation::WaitUntil(_)),
            "all answered, none left: wait for the reset"
        );
    }

    #[test]
    fn a_used_up_window_waits_until_the_earliest_announced_reset() {
        let now = Instant::now();
        let mut budget = Budget::new();
        let first = ticket(budget.reserve(now));
        budget.record(first, headers(0, 2), now);
        let later = now + Duration::from_millis(500);
        match budget.reserve(later) {
            Reservation::WaitUntil(at) => {
                assert_eq!(at, now + Duration::from_secs(2), "wait for the reset")
            }
            other => panic!("expected a wait, got {other:?}"),
        }
        assert!(
            matches!(
                budget.reserve(now + Duration::from_secs(2)),
                Reservation::Go(_)
            ),
            "a new window begins"
        );
    }

    #[test]
    fn another_applications_usage_lowers_the_budget() {
        let now = Instant::now();
        let mut budget = Budget::new();
        let first = ticket(budget.reserve(now));
        budget.record(first, headers(39, 2), now);
        let second = ticket(budget.reserve(now));
        budget.record(second, headers(3, 2), now);
        assert_eq!(budget.remaining(), Some(3), "the server's lower count wins");
    }

    #[test]
    fn stale_high_counts_do_not_raise_the_budget() {
        let now = Instant::now();
        let mut budget = Budget::new();
        let probe = ticket(budget.reserve(now));
        budget.record(probe, headers(30, 2), now);
        let a = ticket(budget.reserve(now));
        let b = ticket(budget.reserve(now));
        budget.record(b, headers(28, 2), now);
        budget.record(a, headers(29, 2), now);
        assert_eq!(
            budget.remaining(),
            Some(28),
            "an answer arriving late reports an older, higher count"
        );
    }

    #[test]
    fn requests_in_flight_across_a_reset_count_against_the_new_window() {
        let now = Instant::now();
        let mut budget = Budget::new();
        let probe = ticket(budget.reserve(now));
        budget.record(probe, headers(10, 1), now);
        let in_flight: Vec<Ticket> = (0..5).map(|_| ticket(budget.reserve(now))).collect();
        let after_reset = now + Duration::from_secs(1);
        let fresh = ticket(budget.reserve(after_reset));
        assert_eq!(
            budget.remaining(),
            Some(34),
            "40 minus 5 old requests in flight minus 1 new"
        );
        for old in in_flight {
            budget.record(old, headers(39, 1), after_reset);
        }
        assert_eq!(
            budget.remaining(),
            Some(34),
            "answers from the old epoch change nothing"
        );
        budget.record(fresh, headers(33, 1), after_reset);
        assert_eq!(
            budget.remaining(),
            Some(33),
            "the new window's own answers count"
        );
    }

    #[test]
    fn a_lost_answer_is_assumed_to_have_counted() {
        let now = Instant::now();
        let mut budget = Budget::new();
        let probe = ticket(budget.reserve(now));
        budget.record(probe, headers(20, 2), now);
        let lost = ticket(budget.reserve(now));
        budget.record(lost, None, now);
        assert_eq!(budget.remaining(), Some(19), "no answer: count it anyway");
    }

    #[test]
    fn header_values_are_read_leniently() {
        let parsed = RateHeaders::parse(Some("40"), Some(" 12 "), Some("abc"));
        assert_eq!(
            parsed,
            RateHeaders {
                limit: Some(40),
                remaining: Some(12),
                reset: None
            },
            "garbage Reset is ignored"
        );
    }
}
