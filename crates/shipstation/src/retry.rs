//! When to try a request again: a pure function of what happened, the server's reset hint and the
//! attempt number, so that the rules can be read (and tested) as a table. `client.rs` only executes
//! the decision.
//!
//! - 429 → wait `X-Rate-Limit-Reset` (60 s when absent), then retry;
//! - 5xx, 408, timeouts and dropped connections → exponential backoff from `base_delay`, capped;
//! - 400, 401, 404, a redirect and every other status → never retried;
//! - at most `max_retries` retries in all, and no wait longer than the 60-second [`RATE_WINDOW`].
//!
//! Repeating any call of this client after a lost answer is safe, so none is read back first:
//! `createorders`/`createorder` upsert by `orderKey` (which [`NewOrder`](crate::NewOrder) always
//! carries), the lists read, and `DELETE /orders/{orderId}` only sets the order inactive (a repeat
//! answered 404 after a lost answer means the lost attempt did it, and counts as done).

use std::time::Duration;

use crate::pacing::RATE_WINDOW;

/// How hard to retry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (default 5).
    pub max_retries: u32,
    /// First backoff delay (default 200 ms); doubles per retry.
    pub base_delay: Duration,
    /// Longest backoff delay (default 10 s).
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 5,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(10),
        }
    }
}

/// What went wrong with one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The API answered with this non-success status.
    Status(u16),
    /// No answer: connect error, timeout, connection dropped mid-way.
    Transport,
}

/// What to do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Wait this long, then send again.
    Retry {
        /// The wait.
        after: Duration,
    },
    /// Report the failure.
    GiveUp,
}

/// Decides about attempt number `retries_done + 1`. `reset` is the `X-Rate-Limit-Reset` of the
/// answer, if any.
pub fn decide(
    failure: Failure,
    reset: Option<Duration>,
    retries_done: u32,
    policy: &RetryPolicy,
) -> Decision {
    if retries_done >= policy.max_retries {
        return Decision::GiveUp;
    }
    let backoff = || {
        let factor = 2u32.saturating_pow(retries_done.min(20));
        policy
            .base_delay
            .saturating_mul(factor)
            .min(policy.max_delay)
            .min(RATE_WINDOW)
    };
    match failure {
        Failure::Status(429) => Decision::Retry {
            after: reset.unwrap_or(RATE_WINDOW).min(RATE_WINDOW),
        },
        Failure::Status(status) if status >= 500 || status == 408 => {
            Decision::Retry { after: backoff() }
        }
        Failure::Transport => Decision::Retry { after: backoff() },
        Failure::Status(_) => Decision::GiveUp,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    const MS: fn(u64) -> Duration = Duration::from_millis;

    #[rstest]
    #[case::rate_limited_waits_the_reset(Failure::Status(429), Some(Duration::from_secs(7)), 0, Decision::Retry { after: Duration::from_secs(7) })]
    #[case::rate_limited_without_reset_waits_a_minute(Failure::Status(429), None, 0, Decision::Retry { after: Duration::from_secs(60) })]
    #[case::no_wait_is_longer_than_the_window(Failure::Status(429), Some(Duration::from_secs(3600)), 0, Decision::Retry { after: RATE_WINDOW })]
    #[case::a_redirect_is_final(Failure::Status(302), None, 0, Decision::GiveUp)]
    #[case::server_error_backs_off_from_the_base(Failure::Status(500), None, 0, Decision::Retry { after: MS(200) })]
    #[case::backoff_doubles(Failure::Status(503), None, 2, Decision::Retry { after: MS(800) })]
    #[case::backoff_keeps_doubling(Failure::Transport, None, 4, Decision::Retry { after: MS(3200) })]
    #[case::transport_failures_are_retried(Failure::Transport, None, 0, Decision::Retry { after: MS(200) })]
    #[case::validation_errors_are_final(Failure::Status(400), None, 0, Decision::GiveUp)]
    #[case::bad_credentials_are_final(Failure::Status(401), None, 0, Decision::GiveUp)]
    #[case::unknown_ids_are_final(Failure::Status(404), None, 0, Decision::GiveUp)]
    #[case::retries_run_out(Failure::Status(500), None, 5, Decision::GiveUp)]
    #[case::even_for_rate_limits(
        Failure::Status(429),
        Some(Duration::from_secs(1)),
        5,
        Decision::GiveUp
    )]
    fn decisions(
        #[case] failure: Failure,
        #[case] reset: Option<Duration>,
        #[case] done: u32,
        #[case] expected: Decision,
    ) {
        let policy = RetryPolicy::default();
        assert_eq!(
            decide(failure, reset, done, &policy),
            expected,
            "{failure:?} after {done} retries"
        );
    }

    #[test]
    fn the_cap_bounds_long_backoffs() {
        let policy = RetryPolicy {
            max_retries: 50,
            base_delay: MS(200),
            max_delay: MS(1000),
        };
        assert_eq!(
            decide(Failure::Transport, None, 40, &policy),
            Decision::Retry { after: MS(1000) },
            "capped at max_delay"
        );
    }
}
