//! ShipStation's rate limit: 40 requests per window per key pair, announced on every response by
//! `X-Rate-Limit-Limit`, `X-Rate-Limit-Remaining` and `X-Rate-Limit-Reset` (whole seconds until the
//! window resets). A window starts with the first request after the previous one ended.

use std::time::{Duration, Instant};

/// Requests allowed per window (shipstation.md, "Transport").
pub const REQUESTS_PER_WINDOW: u32 = 40;

/// The values of the three rate-limit headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateHeaders {
    /// `X-Rate-Limit-Limit`.
    pub limit: u32,
    /// `X-Rate-Limit-Remaining`.
    pub remaining: u32,
    /// `X-Rate-Limit-Reset`: whole seconds, rounded up so that waiting this long always lands in a
    /// new window.
    pub reset_secs: u64,
}

/// Whether a request fits in the current window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// Counted; answer normally with these headers.
    Admitted(RateHeaders),
    /// Over the limit; answer 429 with these headers.
    Refused(RateHeaders),
}

/// One key pair's window.
#[derive(Debug, Clone)]
pub struct RateWindow {
    limit: u32,
    length: Duration,
    started: Option<Instant>,
    used: u32,
}

impl RateWindow {
    /// A fresh window of `length` (60 s in the real API; shortened in tests).
    pub fn new(length: Duration) -> Self {
        Self {
            limit: REQUESTS_PER_WINDOW,
            length,
            started: None,
            used: 0,
        }
    }

    fn roll(&mut self, now: Instant) {
        if let Some(started) = self.started
            && now >= started + self.length
        {
            self.started = None;
            self.used = 0;
        }
    }

    /// Counts one request at `now` if the window has room.
    pub fn admit(&mut self, now: Instant) -> Admission {
        self.roll(now);
        self.started.get_or_insert(now);
        if self.used < self.limit {
            self.used += 1;
            Admission::Admitted(self.headers(now))
        } else {
            Admission::Refused(self.headers(now))
        }
    }

    /// The headers as of `now`, without counting anything (used for 401 answers).
    pub fn headers(&mut self, now: Instant) -> RateHeaders {
        self.roll(now);
        let left = match self.started {
            Some(started) => (started + self.length).saturating_duration_since(now),
            None => self.length,
        };
        RateHeaders {
            limit: self.limit,
            remaining: self.limit.saturating_sub(self.used),
            reset_secs: u64::try_from(left.as_nanos().div_ceil(1_000_000_000)).unwrap_or(u64::MAX),
        }
    }

    /// "Another application used the budget up": nothing remains until the window resets.
    pub fn drain(&mut self, now: Instant) {
        self.roll(now);
        self.started.get_or_insert(now);
        self.used = self.limit;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forty_first_request_of_a_window_is_refused() {
        let start = Instant::now();
        let mut window = RateWindow::new(Duration::from_secs(2));
        for n in 0..40 {
            assert!(
                matches!(window.admit(start), Admission::Admitted(_)),
                "request {n} fits"
            );
        }
        assert!(
            matches!(window.admit(start), Admission::Refused(_)),
            "the 41st is refused"
        );
    }

    #[test]
    fn waiting_reset_seconds_always_lands_in_a_new_window() {
        let start = Instant::now();
        let mut window = RateWindow::new(Duration::from_millis(1500));
        window.drain(start);
        let Admission::Refused(headers) = window.admit(start + Duration::from_millis(100)) else {
            panic!("a drained window refuses");
        };
        assert_eq!(
            headers.reset_secs, 2,
            "1.4 s left is announced as 2 whole seconds"
        );
        let later = start + Duration::from_millis(100) + Duration::from_secs(headers.reset_secs);
        assert!(
            matches!(window.admit(later), Admission::Admitted(_)),
            "after Reset the window is new"
        );
    }
}
