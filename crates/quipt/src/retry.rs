//! When to try a request again: a pure decision from what happened, whether the call is safe to
//! repeat, and how many retries were made, so the sending loop in `client.rs` only executes it and
//! the rules are table-tested here.
//!
//! | what happened                        | safe to repeat ([`Repeat::Safe`])  | not safe ([`Repeat::CheckFirst`]) |
//! |--------------------------------------|------------------------------------|-----------------------------------|
//! | 429, `Retry-After` ≤ 60 s or absent  | wait it (or backoff), retry        | the same: Quipt refused it unread |
//! | 429, `Retry-After` beyond 60 s       | stop: rate limited, naming the wait | the same                         |
//! | 5xx                                  | backoff, retry                     | read the order back               |
//! | timeout, connection dropped          | backoff, retry                     | read the order back               |
//! | a write's 2xx that cannot be used    | backoff, retry                     | read the order back               |
//! | connection refused (nothing sent)    | backoff, retry                     | backoff, retry                    |
//! | any other status (400, 401, 404 …)   | stop                               | stop                              |
//! | retries used up                      | stop                               | read the order back               |
//!
//! A write's 2xx answer that cannot be used (not the contract's JSON, larger than read, or, for a
//! write safe to repeat, without the `Result` that says what Quipt did) may follow a write that
//! happened, as when a proxy mangles the answer: the client treats it as a dropped connection
//! ([`Attempt::Dropped`]). A read's unusable answer is not repeated: it is a decode error.
//! Safe to repeat are reads and the writes Quipt de-duplicates (a shipment by its `ExternalId`).
//! Every other write may have happened when its answer was lost, so it is not sent again before the
//! order has been read back (`settle.rs` decides from the order what is still missing). Every wait
//! is at most [`RATE_WINDOW`], whatever the server says: a `Retry-After` beyond it (another
//! application spent the token's budget for the hour) ends the call at once with
//! [`Error::RateLimited`](crate::Error::RateLimited) naming the wait. An unattended connector
//! loses nothing by that: the run says Quipt is rate limited and the next scheduled run tries
//! again, where sleeping minutes inside a run would hold the run lock, Sync now and every other
//! pass for nothing.

use std::time::Duration;

use crate::text;

/// Quipt's rate window (120 requests a minute per token, a **(choice)** of the contract): no wait
/// is ever longer.
pub const RATE_WINDOW: Duration = Duration::from_secs(60);

/// How hard to try.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// First backoff; doubled on each retry.
    pub base_delay: Duration,
    /// Backoff cap.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
        }
    }
}

/// Whether a call may simply be sent again when its answer is lost.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Repeat {
    /// Reads, and writes Quipt de-duplicates: repeating changes nothing.
    Safe,
    /// Writes that would happen twice: read the order back before sending anything again.
    CheckFirst,
}

/// What one attempt ended with, as far as retrying is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attempt {
    /// An HTTP answer that was not a success.
    Status {
        /// The status.
        status: u16,
        /// The wait `Retry-After` asks for, as asked (it may be beyond [`RATE_WINDOW`]).
        retry_after: Option<Duration>,
    },
    /// No full answer in time: the request may have reached Quipt.
    Timeout,
    /// The connection broke after it was made, or the answer could not be read: the request may
    /// have reached Quipt.
    Dropped,
    /// No connection could be made: nothing was sent.
    Refused,
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
    /// The write may have happened: read the order back before sending anything again.
    CheckFirst,
}

/// The capped exponential backoff before retry number `retries_done + 1`.
pub fn backoff(policy: &RetryPolicy, retries_done: u32) -> Duration {
    let factor = 2u32.saturating_pow(retries_done.min(16));
    policy
        .base_delay
        .saturating_mul(factor)
        .min(policy.max_delay)
        .min(RATE_WINDOW)
}

/// Decides what follows `attempt` of a call that is `repeat`, given `retries_done` retries so far.
pub fn decide(
    policy: &RetryPolicy,
    attempt: Attempt,
    repeat: Repeat,
    retries_done: u32,
) -> Decision {
    let outcome_unknown = match attempt {
        Attempt::Timeout | Attempt::Dropped => true,
        Attempt::Status { status, .. } => (500..=599).contains(&status),
        Attempt::Refused => false,
    };
    if outcome_unknown && repeat == Repeat::CheckFirst {
        return Decision::CheckFirst;
    }
    if retries_done >= policy.max_retries {
        return Decision::Stop;
    }
    match attempt {
        Attempt::Status {
            status: 429,
            retry_after: Some(wait),
        } if wait > RATE_WINDOW => Decision::Stop,
        Attempt::Status {
            status: 429,
            retry_after,
        } => Decision::Retry {
            after: retry_after.unwrap_or_else(|| backoff(policy, retries_done)),
        },
        Attempt::Status { .. } if !outcome_unknown => Decision::Stop,
        _ => Decision::Retry {
            after: backoff(policy, retries_done),
        },
    }
}

/// `Retry-After` as read without trusting it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RetryAfter {
    /// The server's delta-seconds (a number too large for a `u64` reads as the longest wait);
    /// `None` when the header is absent or neither seconds nor a date (the backoff applies then).
    /// [`decide`] waits it only within [`RATE_WINDOW`].
    pub wait: Option<Duration>,
    /// What the server sent when it was not a believable wait, for the error message (cut short).
    pub doubtful: Option<String>,
}

/// Reads a `Retry-After` value: delta-seconds (the form the contract uses) or an HTTP-date (the
/// other form HTTP allows, RFC 9110 §10.2.3), measured from the answer's own `Date` (`date`) so
/// that a clock apart from the server's does not change the wait; a date already passed is no
/// wait. Never panics; a wait beyond [`RATE_WINDOW`] is kept as asked (the call then stops, see
/// [`decide`]) and noted when it does not even fit a `u64`; anything else (negative, fractional,
/// a date without a `Date` to measure it from, garbage, non-ASCII bytes) is no wait and noted as
/// doubtful.
pub fn parse_retry_after(value: Option<&[u8]>, date: Option<&[u8]>) -> RetryAfter {
    let Some(raw) = value else {
        return RetryAfter::default();
    };
    let shown = || text::bounded(&String::from_utf8_lossy(raw));
    let text = std::str::from_utf8(raw).unwrap_or_default().trim();
    let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    let http_date = |bytes: &[u8]| {
        let text = std::str::from_utf8(bytes).ok()?;
        chrono::DateTime::parse_from_rfc2822(text.trim()).ok()
    };
    if let (false, Some(until), Some(now)) = (digits, http_date(raw), date.and_then(http_date)) {
        return RetryAfter {
            wait: Some((until - now).to_std().unwrap_or(Duration::ZERO)),
            doubtful: None,
        };
    }
    if !digits {
        return RetryAfter {
            wait: None,
            doubtful: Some(format!(
                "Retry-After: {}, neither a number of seconds nor a date the answer's Date measures (ignored)",
                shown()
            )),
        };
    }
    match text.parse::<u64>() {
        Ok(seconds) => RetryAfter {
            wait: Some(Duration::from_secs(seconds)),
            doubtful: None,
        },
        Err(_) => RetryAfter {
            wait: Some(Duration::from_secs(u64::MAX)),
            doubtful: Some(format!("Retry-After: {}, beyond any wait", shown())),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    const MS: fn(u64) -> Duration = Duration::from_millis;
    const S: fn(u64) -> Duration = Duration::from_secs;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            max_retries: 3,
            base_delay: MS(100),
            max_delay: MS(250),
        }
    }

    fn status(status: u16, retry_after: Option<u64>) -> Attempt {
        Attempt::Status {
            status,
            retry_after: retry_after.map(Duration::from_secs),
        }
    }

    use Repeat::{CheckFirst, Safe};

    #[rstest]
    #[case::rate_limit_waits_what_the_server_says(status(429, Some(7)), Safe, 0, Decision::Retry { after: S(7) })]
    #[case::a_refused_write_is_repeated_after_the_wait(status(429, Some(7)), CheckFirst, 0, Decision::Retry { after: S(7) })]
    #[case::rate_limit_without_header_backs_off(status(429, None), Safe, 0, Decision::Retry { after: MS(100) })]
    #[case::a_wait_of_the_whole_window_is_honoured(status(429, Some(60)), Safe, 0, Decision::Retry { after: RATE_WINDOW })]
    #[case::a_wait_beyond_the_window_ends_the_call_for_the_next_run(
        status(429, Some(61)),
        Safe,
        0,
        Decision::Stop
    )]
    #[case::an_hour_long_wait_is_not_slept_through(
        status(429, Some(3600)),
        CheckFirst,
        0,
        Decision::Stop
    )]
    #[case::a_wait_within_the_window_with_retries_used_up_stops(
        status(429, Some(7)),
        Safe,
        3,
        Decision::Stop
    )]
    #[case::server_error_backs_off(status(503, None), Safe, 0, Decision::Retry { after: MS(100) })]
    #[case::server_error_after_a_write_reads_back(
        status(502, None),
        CheckFirst,
        0,
        Decision::CheckFirst
    )]
    #[case::backoff_doubles(status(500, None), Safe, 1, Decision::Retry { after: MS(200) })]
    #[case::backoff_is_capped(status(502, None), Safe, 2, Decision::Retry { after: MS(250) })]
    #[case::timeouts_are_retried(Attempt::Timeout, Safe, 0, Decision::Retry { after: MS(100) })]
    #[case::a_timed_out_write_reads_back(Attempt::Timeout, CheckFirst, 0, Decision::CheckFirst)]
    #[case::dropped_connections_are_retried(Attempt::Dropped, Safe, 1, Decision::Retry { after: MS(200) })]
    #[case::a_write_whose_answer_dropped_reads_back(
        Attempt::Dropped,
        CheckFirst,
        0,
        Decision::CheckFirst
    )]
    #[case::a_write_never_sent_is_retried(Attempt::Refused, CheckFirst, 0, Decision::Retry { after: MS(100) })]
    #[case::bad_request_is_final(status(400, None), Safe, 0, Decision::Stop)]
    #[case::unauthorized_is_final(status(401, None), CheckFirst, 0, Decision::Stop)]
    #[case::not_found_is_final(status(404, None), Safe, 0, Decision::Stop)]
    #[case::retries_run_out(status(503, None), Safe, 3, Decision::Stop)]
    #[case::a_lost_write_reads_back_even_without_retries_left(
        Attempt::Dropped,
        CheckFirst,
        3,
        Decision::CheckFirst
    )]
    fn retry_decisions(
        #[case] attempt: Attempt,
        #[case] repeat: Repeat,
        #[case] done: u32,
        #[case] expected: Decision,
    ) {
        assert_eq!(
            decide(&policy(), attempt, repeat, done),
            expected,
            "{attempt:?} of a {repeat:?} call after {done} retries"
        );
    }

    #[rstest]
    #[case::seconds(Some(" 3 "), Some(S(3)), false)]
    #[case::absent(None, None, false)]
    #[case::huge_is_the_longest_wait(
        Some("99999999999999999999"),
        Some(Duration::from_secs(u64::MAX)),
        true
    )]
    #[case::beyond_the_window_is_kept_as_asked(Some("61"), Some(S(61)), false)]
    #[case::negative_is_no_wait(Some("-5"), None, true)]
    #[case::not_a_number_is_no_wait(Some("NaN"), None, true)]
    #[case::fractions_are_no_wait(Some("1.5"), None, true)]
    #[case::an_http_date_is_the_wait_until_it_by_the_servers_date(
        Some("Wed, 21 Oct 2015 07:28:30 GMT"),
        Some(S(30)),
        false
    )]
    #[case::an_http_date_passed_is_no_wait_at_all(
        Some("Wed, 21 Oct 2015 07:27:00 GMT"),
        Some(S(0)),
        false
    )]
    #[case::an_http_date_an_hour_ahead_is_kept_as_asked(
        Some("Wed, 21 Oct 2015 08:28:00 GMT"),
        Some(S(3600)),
        false
    )]
    #[case::a_date_that_is_no_date_is_no_wait(Some("Wed, 41 Oct 2015 07:28:00 GMT"), None, true)]
    #[case::empty_is_no_wait(Some(""), None, true)]
    fn retry_after_is_read_without_trusting_it(
        #[case] value: Option<&str>,
        #[case] wait: Option<Duration>,
        #[case] doubtful: bool,
    ) {
        let date = "Wed, 21 Oct 2015 07:28:00 GMT";
        let read = parse_retry_after(value.map(str::as_bytes), Some(date.as_bytes()));
        assert_eq!(read.wait, wait, "the wait for {value:?}");
        assert_eq!(
            read.doubtful.is_some(),
            doubtful,
            "whether {value:?} is noted: {read:?}"
        );
        if let (Some(note), Some(value)) = (&read.doubtful, value) {
            assert!(
                note.contains(value.trim()),
                "the note names what the server sent: {note}"
            );
        }
    }

    #[test]
    fn an_http_date_without_the_servers_date_is_no_wait() {
        let read = parse_retry_after(Some(b"Wed, 21 Oct 2015 07:28:30 GMT"), None);
        assert_eq!(
            read.wait, None,
            "nothing to measure it from: the backoff applies"
        );
        assert!(read.doubtful.is_some(), "and it is noted: {read:?}");
    }
}
