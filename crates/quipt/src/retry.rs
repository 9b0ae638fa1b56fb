//! When to try a request again: a pure decision from what happened and how many retries were made,
//! so the sending loop in `client.rs` only executes it and the rules are table-tested here.
//!
//! Retried: 429 (waiting what `Retry-After` says), 5xx, timeouts and dropped or refused
//! connections, with a capped exponential backoff. Never retried: any other status (400, 401, 404…)
//! and `Success: false` on a 200, which are answers, not glitches.

use std::time::Duration;

/// How hard to try.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// First backoff; doubled on each retry.
    pub base_delay: Duration,
    /// Backoff cap.
    pub max_delay: Duration,
    /// A `Retry-After` longer than this is not waited out in-call: the caller gets
    /// `Error::RateLimited` and can reschedule.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(120),
        }
    }
}

/// What one attempt ended with, as far as retrying is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attempt {
    /// An HTTP answer that was not a success.
    Status {
        /// The status.
        status: u16,
        /// `Retry-After`, when present.
        retry_after: Option<Duration>,
    },
    /// No answer in time.
    Timeout,
    /// The connection failed or was dropped before a full answer.
    Connection,
}

/// What to do next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Wait, then send again.
    Retry {
        /// How long to wait.
        after: Duration,
    },
    /// Give the error to the caller.
    Stop,
}

/// The capped exponential backoff before retry number `retries_done + 1`.
pub fn backoff(policy: &RetryPolicy, retries_done: u32) -> Duration {
    let factor = 2u32.saturating_pow(retries_done.min(16));
    policy
        .base_delay
        .saturating_mul(factor)
        .min(policy.max_delay)
}

/// Decides whether to retry after `attempt`, given `retries_done` retries so far.
pub fn decide(policy: &RetryPolicy, attempt: Attempt, retries_done: u32) -> Decision {
    if retries_done >= policy.max_retries {
        return Decision::Stop;
    }
    match attempt {
        Attempt::Status {
            status: 429,
            retry_after,
        } => {
            let after = retry_after.unwrap_or_else(|| backoff(policy, retries_done));
            if after > policy.max_retry_after {
                Decision::Stop
            } else {
                Decision::Retry { after }
            }
        }
        Attempt::Status { status, .. } if (500..=599).contains(&status) => Decision::Retry {
            after: backoff(policy, retries_done),
        },
        Attempt::Status { .. } => Decision::Stop,
        Attempt::Timeout | Attempt::Connection => Decision::Retry {
            after: backoff(policy, retries_done),
        },
    }
}

/// Parses `Retry-After` as delta-seconds (the form the contract uses).
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    const MS: fn(u64) -> Duration = Duration::from_millis;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            max_retries: 3,
            base_delay: MS(100),
            max_delay: MS(250),
            max_retry_after: Duration::from_secs(60),
        }
    }

    fn status(status: u16, retry_after: Option<u64>) -> Attempt {
        Attempt::Status {
            status,
            retry_after: retry_after.map(Duration::from_secs),
        }
    }

    #[rstest]
    #[case::rate_limit_waits_what_the_server_says(status(429, Some(7)), 0, Decision::Retry { after: Duration::from_secs(7) })]
    #[case::rate_limit_without_header_backs_off(status(429, None), 0, Decision::Retry { after: MS(100) })]
    #[case::rate_limit_too_long_is_handed_back(status(429, Some(600)), 0, Decision::Stop)]
    #[case::server_error_backs_off(status(503, None), 0, Decision::Retry { after: MS(100) })]
    #[case::backoff_doubles(status(500, None), 1, Decision::Retry { after: MS(200) })]
    #[case::backoff_is_capped(status(502, None), 2, Decision::Retry { after: MS(250) })]
    #[case::timeouts_are_retried(Attempt::Timeout, 0, Decision::Retry { after: MS(100) })]
    #[case::dropped_connections_are_retried(Attempt::Connection, 1, Decision::Retry { after: MS(200) })]
    #[case::bad_request_is_final(status(400, None), 0, Decision::Stop)]
    #[case::unauthorized_is_final(status(401, None), 0, Decision::Stop)]
    #[case::not_found_is_final(status(404, None), 0, Decision::Stop)]
    #[case::retries_run_out(status(503, None), 3, Decision::Stop)]
    fn retry_decisions(#[case] attempt: Attempt, #[case] done: u32, #[case] expected: Decision) {
        assert_eq!(
            decide(&policy(), attempt, done),
            expected,
            "{attempt:?} after {done} retries"
        );
    }

    #[test]
    fn retry_after_is_read_as_seconds() {
        assert_eq!(
            parse_retry_after(" 3 "),
            Some(Duration::from_secs(3)),
            "delta-seconds"
        );
        assert_eq!(parse_retry_after("soon"), None, "anything else is ignored");
    }
}
