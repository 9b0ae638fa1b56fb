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
//! - Nothing the server sends is trusted blindly: a header that is not a number counts as absent, a
//!   reset beyond the [`RATE_WINDOW`] is read as the window, and both are named in
//!   [`RateHeaders::doubtful`] for the log and the error message. No wait is ever longer than the
//!   window.

use std::time::{Duration, Instant};

use crate::text;

/// ShipStation's rate window (`shared/api/shipstation.md`: 40 requests per minute): no wait is
/// ever longer, and a 429 without `X-Rate-Limit-Reset` waits this long.
pub const RATE_WINDOW: Duration = Duration::from_secs(60);

/// The three rate-limit headers of one answer, as far as they were present and believable.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RateHeaders {
    /// `X-Rate-Limit-Limit`.
    pub limit: Option<u32>,
    /// `X-Rate-Limit-Remaining`.
    pub remaining: Option<u32>,
    /// `X-Rate-Limit-Reset` (seconds until the window resets), at most [`RATE_WINDOW`].
    pub reset: Option<Duration>,
    /// What the server sent that was not believable, in words naming the header and its value
    /// (cut short); `None` when every header present was fine.
    pub doubtful: Option<String>,
}

impl RateHeaders {
    /// Reads the raw header values (`None` when absent). Never panics: a count that is not a
    /// whole number (negative, fractional, huge, garbage, non-ASCII) is absent, a reset that is
    /// not a non-negative number is absent, and a reset beyond [`RATE_WINDOW`] is the window.
    pub fn parse(limit: Option<&[u8]>, remaining: Option<&[u8]>, reset: Option<&[u8]>) -> Self {
        let mut doubts = Vec::new();
        let mut doubt = |name: &str, raw: &[u8], why: &str| {
            doubts.push(format!(
                "{name}: {}, {why}",
                text::bounded(&String::from_utf8_lossy(raw))
            ));
        };
        let mut count = |name: &str, raw: Option<&[u8]>| {
            let raw = raw?;
            let value = std::str::from_utf8(raw)
                .ok()
                .map(str::trim)
                .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|v| v.parse::<u32>().ok());
            if value.is_none() {
                doubt(name, raw, "not a count (ignored)");
            }
            value
        };
        let limit = count("X-Rate-Limit-Limit", limit);
        let remaining = count("X-Rate-Limit-Remaining", remaining);
        let reset = reset.and_then(|raw| {
            let seconds = std::str::from_utf8(raw)
                .ok()
                .and_then(|v| v.trim().parse::<f64>().ok())
                .filter(|s| s.is_finite() && *s >= 0.0);
            match seconds {
                None => {
                    doubt(
                        "X-Rate-Limit-Reset",
                        raw,
                        "not a number of seconds (ignored)",
                    );
                    None
                }
                Some(s) if s > RATE_WINDOW.as_secs_f64() => {
                    doubt(
                        "X-Rate-Limit-Reset",
                        raw,
                        "more than the 60-second window (read as 60 s)",
                    );
                    Some(RATE_WINDOW)
                }
                Some(s) => Some(Duration::from_secs_f64(s)),
            }
        });
        Self {
            limit,
            remaining,
            reset,
            doubtful: (!doubts.is_empty()).then(|| doubts.join("; ")),
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
            let end = now.checked_add(reset.min(RATE_WINDOW)).unwrap_or(now);
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
            doubtful: None,
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

    fn read(limit: &str, remaining: &str, reset: &str) -> RateHeaders {
        RateHeaders::parse(
            Some(limit.as_bytes()),
            Some(remaining.as_bytes()),
            Some(reset.as_bytes()),
        )
    }

    #[rstest::rstest]
    #[case::plain_numbers("40", " 12 ", "7", (Some(40), Some(12), Some(7.0)), None)]
    #[case::a_fractional_reset("40", "12", "1.5", (Some(40), Some(12), Some(1.5)), None)]
    #[case::a_huge_reset_is_the_window("40", "0", "99999999999999999999", (Some(40), Some(0), Some(60.0)), Some("X-Rate-Limit-Reset: 99999999999999999999"))]
    #[case::a_reset_just_beyond_the_window_is_the_window("40", "0", "61", (Some(40), Some(0), Some(60.0)), Some("more than the 60-second window"))]
    #[case::a_negative_reset_is_ignored("40", "0", "-5", (Some(40), Some(0), None), Some("X-Rate-Limit-Reset: -5"))]
    #[case::a_nan_reset_is_ignored("40", "0", "NaN", (Some(40), Some(0), None), Some("not a number of seconds"))]
    #[case::an_infinite_reset_is_ignored("40", "0", "inf", (Some(40), Some(0), None), Some("X-Rate-Limit-Reset: inf"))]
    #[case::garbage_is_ignored("40", "abc", "soon", (Some(40), None, None), Some("X-Rate-Limit-Remaining: abc"))]
    #[case::a_negative_count_is_ignored("-1", "12", "7", (None, Some(12), Some(7.0)), Some("X-Rate-Limit-Limit: -1"))]
    #[case::a_count_beyond_u32_is_ignored("40", "99999999999", "7", (Some(40), None, Some(7.0)), Some("X-Rate-Limit-Remaining: 99999999999"))]
    fn rate_headers_are_read_without_trusting_them(
        #[case] limit: &str,
        #[case] remaining: &str,
        #[case] reset: &str,
        #[case] expected: (Option<u32>, Option<u32>, Option<f64>),
        #[case] named: Option<&str>,
    ) {
        let parsed = read(limit, remaining, reset);
        assert_eq!(
            (
                parsed.limit,
                parsed.remaining,
                parsed.reset.map(|r| r.as_secs_f64())
            ),
            expected,
            "read from {limit:?} {remaining:?} {reset:?}"
        );
        match named {
            Some(words) => assert!(
                parsed
                    .doubtful
                    .as_deref()
                    .is_some_and(|d| d.contains(words)),
                "the doubt names what the server sent ({words}): {:?}",
                parsed.doubtful
            ),
            None => assert_eq!(parsed.doubtful, None, "nothing doubtful"),
        }
    }

    #[test]
    fn a_used_up_window_never_waits_longer_than_the_window() {
        let now = Instant::now();
        let mut budget = Budget::new();
        let probe = ticket(budget.reserve(now));
        budget.record(probe, Some(read("40", "0", "99999999999999999999")), now);
        match budget.reserve(now) {
            Reservation::WaitUntil(at) => assert_eq!(
                at,
                now + RATE_WINDOW,
                "a reset in the far future is waited out as one window"
            ),
            other => panic!("expected a wait, got {other:?}"),
        }
    }
}
