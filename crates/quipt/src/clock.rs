//! The client's one time source: every wait it makes (retry backoff, `Retry-After`) sleeps on a
//! [`Clock`], and the OAuth timestamp reads it, so that a test can run the client over simulated
//! days without sleeping. The default, [`SystemClock`], is the computer's clock and tokio's timer.
//! Also here: telling a wrong computer clock from a refused credential ([`skew`]), decided from the
//! server's `Date` header, never from the wording of the 401.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, SystemTime};

use chrono::{DateTime, Datelike, Utc};

/// Where the client's time comes from. Implement it to make the client's waits advance a
/// simulated clock; keep [`SystemClock`] otherwise.
pub trait Clock: Send + Sync + fmt::Debug {
    /// The wall-clock time: signs the OAuth timestamp and is compared with the server's `Date`.
    fn system_time(&self) -> SystemTime;
    /// Waits `duration` as this clock counts it (a simulated clock may only advance itself).
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + '_>>;
}

/// The computer's clock and tokio's timer.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn system_time(&self) -> SystemTime {
        SystemTime::now()
    }

    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// How far a signed request's timestamp may be from Quipt's clock (`shared/api/quipt.md`: 5
/// minutes, a **(choice)** of the contract).
pub const OAUTH_WINDOW: Duration = Duration::from_secs(5 * 60);

/// The years a `Date` header that is believed can name.
const PLAUSIBLE_YEARS: std::ops::Range<i32> = 2000..2200;

/// This computer's clock and Quipt's, when they are further apart than [`OAUTH_WINDOW`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Skew {
    /// This computer's time when the answer arrived.
    pub local: DateTime<Utc>,
    /// Quipt's time, from its `Date` header.
    pub server: DateTime<Utc>,
}

impl fmt::Display for Skew {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Rounded: the server's `Date` has whole seconds only.
        let minutes = ((self.local - self.server).num_seconds() as f64 / 60.0).round() as i64;
        let side = if minutes >= 0 { "ahead of" } else { "behind" };
        write!(
            f,
            "this computer's clock is {} minutes {side} Quipt's ({} here, {} at Quipt)",
            minutes.abs(),
            self.local.format("%Y-%m-%d %H:%M UTC"),
            self.server.format("%Y-%m-%d %H:%M UTC")
        )
    }
}

/// Whether a refused signature is explained by this computer's clock: `server_date` is the
/// answer's `Date` header (RFC 7231 IMF-fixdate), `local` this computer's time. `None` when the
/// header is absent or unreadable, or the clocks agree within [`OAUTH_WINDOW`], or the header
/// names a year no honest server is in (before 2000, from 2200 on): a broken server's date says nothing
/// of this computer's clock, and blaming it would hide Quipt's own reason for the refusal. This
/// computer's clock may be anywhere (a dead clock battery starts it in 1970).
pub fn skew(server_date: Option<&str>, local: SystemTime) -> Option<Skew> {
    let server = DateTime::parse_from_rfc2822(server_date?.trim())
        .ok()?
        .with_timezone(&Utc);
    if !PLAUSIBLE_YEARS.contains(&server.year()) {
        return None;
    }
    let local: DateTime<Utc> = local.into();
    let apart = (local - server).abs().to_std().ok()?;
    (apart > OAUTH_WINDOW).then_some(Skew { local, server })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    const QUIPT_DATE: &str = "Tue, 24 Nov 2026 08:00:00 GMT";

    fn at(rfc3339: &str) -> SystemTime {
        DateTime::parse_from_rfc3339(rfc3339).unwrap().into()
    }

    #[rstest]
    #[case::an_hour_ahead_is_a_wrong_clock(Some(QUIPT_DATE), "2026-11-24T09:00:00Z", Some(60))]
    #[case::a_day_behind_is_a_wrong_clock(Some(QUIPT_DATE), "2026-11-23T08:00:00Z", Some(-1440))]
    #[case::four_minutes_is_within_the_window(Some(QUIPT_DATE), "2026-11-24T08:04:00Z", None)]
    #[case::no_date_header_says_nothing(None, "2030-01-01T00:00:00Z", None)]
    #[case::an_unreadable_date_says_nothing(Some("yesterday"), "2030-01-01T00:00:00Z", None)]
    #[case::a_date_no_honest_server_sends_says_nothing(
        Some("Tue, 24 Nov 9999 08:00:00 GMT"),
        "2026-11-24T08:00:00Z",
        None
    )]
    #[case::a_clock_reset_to_1970_is_blamed(Some(QUIPT_DATE), "1970-01-01T00:00:00Z", Some(-29_925_120))]
    fn a_refused_signature_blames_the_clock_only_when_the_date_header_disagrees(
        #[case] date: Option<&str>,
        #[case] local: &str,
        #[case] minutes_ahead: Option<i64>,
    ) {
        let found = skew(date, at(local));
        assert_eq!(
            found.map(|s| (s.local - s.server).num_minutes()),
            minutes_ahead,
            "Date {date:?} against local {local}"
        );
    }

    #[test]
    fn the_skew_says_which_way_the_clock_is_off() {
        let s = skew(Some(QUIPT_DATE), at("2026-11-24T10:30:00Z")).unwrap();
        assert_eq!(
            s.to_string(),
            "this computer's clock is 150 minutes ahead of Quipt's (2026-11-24 10:30 UTC here, 2026-11-24 08:00 UTC at Quipt)",
            "the operator reads both times"
        );
    }
}
