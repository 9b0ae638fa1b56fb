//! The simulated clock of each simulator: simulated now = real now + an offset that only grows, so
//! a test moves a simulated world forward by hours or days without waiting, and tests that never
//! touch it see real time. Every timestamp a simulator writes and every rate window it keeps is
//! read from its clock.
//!
//! The offset has two parts: where the clock started (fixed when the simulator starts; may lie in
//! the past, see [`crate::SandboxConfig::clock_start`]) and how far it was advanced since (only
//! grows). Rate windows are measured in [`Clock::instant`], the monotonic clock plus the advances,
//! so they never run backwards either.
//!
//! Served on each simulator as `GET /__control/clock` → `{"now": "2026-11-01T09:00:00.000Z"}` and
//! `POST /__control/clock` with `{"seconds": 3600}` (advance by a duration) or `{"to":
//! "2026-11-01T09:00:00Z"}` (advance to an instant; 409 if it lies in the simulated past), answered
//! with the new `{"now"}`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Deserialize;
use serde_json::json;

/// A simulator's clock. Clones share it: advancing one advances all.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offsets: Arc<Offsets>,
}

#[derive(Debug, Default)]
struct Offsets {
    /// Simulated minus real time when the clock started, in nanoseconds (negative: the past).
    start_ns: i64,
    /// How far the clock was advanced since, in nanoseconds.
    advanced_ns: AtomicU64,
    /// The real moment real time stopped passing for this clock ([`Clock::freeze`]).
    frozen: OnceLock<(DateTime<Utc>, Instant)>,
}

/// Why the clock cannot be moved as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClockError {
    /// The instant asked for is before the simulated now: the clock only moves forward.
    #[error("the simulated clock only moves forward: it is {now}, not {asked}")]
    Backwards {
        /// The simulated now.
        now: DateTime<Utc>,
        /// The instant asked for.
        asked: DateTime<Utc>,
    },
}

fn nanos(duration: chrono::Duration) -> i64 {
    duration.num_nanoseconds().unwrap_or(i64::MAX)
}

impl Clock {
    /// A clock that reads `start` now (or real time for `None`) and then runs with real time.
    pub fn starting_at(start: Option<DateTime<Utc>>) -> Self {
        let start_ns = start.map_or(0, |start| nanos(start - Utc::now()));
        Self {
            offsets: Arc::new(Offsets {
                start_ns,
                advanced_ns: AtomicU64::new(0),
                frozen: OnceLock::new(),
            }),
        }
    }

    /// An independent clock that reads the same as this one now: the other simulator's clock.
    pub(crate) fn twin(&self) -> Self {
        Self {
            offsets: Arc::new(Offsets {
                start_ns: self.offsets.start_ns,
                advanced_ns: AtomicU64::new(self.advanced_ns()),
                frozen: self.offsets.frozen.clone(),
            }),
        }
    }

    fn advanced_ns(&self) -> u64 {
        self.offsets.advanced_ns.load(Ordering::SeqCst)
    }

    /// The simulated now.
    pub fn now(&self) -> DateTime<Utc> {
        let offset = self
            .offsets
            .start_ns
            .saturating_add_unsigned(self.advanced_ns());
        let real = self.offsets.frozen.get().map_or_else(Utc::now, |f| f.0);
        real + chrono::Duration::nanoseconds(offset)
    }

    /// The monotonic instant that rate windows are measured in: real elapsed time plus every
    /// advance.
    pub fn instant(&self) -> Instant {
        let real = self.offsets.frozen.get().map_or_else(Instant::now, |f| f.1);
        real + Duration::from_nanos(self.advanced_ns())
    }

    /// Stops real time from passing on this clock: from `real` (a real moment, the same for both
    /// simulators) on, it moves only when advanced. A test whose engine runs on a manual clock
    /// that these clocks follow then sees every world at the same instant however long it takes.
    /// A clock is frozen once; later calls change nothing.
    pub fn freeze(&self, real: (DateTime<Utc>, Instant)) {
        let _ = self.offsets.frozen.set(real);
    }

    /// Moves the clock forward by `by`; returns the new simulated now.
    pub fn advance(&self, by: Duration) -> DateTime<Utc> {
        let by = u64::try_from(by.as_nanos()).unwrap_or(u64::MAX);
        self.offsets.advanced_ns.fetch_add(by, Ordering::SeqCst);
        self.now()
    }

    /// How far `at` lies ahead of the simulated now.
    ///
    /// # Errors
    /// [`ClockError::Backwards`] when `at` is before the simulated now.
    pub fn until(&self, at: DateTime<Utc>) -> Result<Duration, ClockError> {
        let now = self.now();
        (at - now)
            .to_std()
            .map_err(|_| ClockError::Backwards { now, asked: at })
    }

    /// Moves the clock forward to `at`; returns the new simulated now.
    ///
    /// # Errors
    /// [`ClockError::Backwards`] when `at` is before the simulated now.
    pub fn advance_to(&self, at: DateTime<Utc>) -> Result<DateTime<Utc>, ClockError> {
        Ok(self.advance(self.until(at)?))
    }
}

/// What `POST /__control/clock` takes: one of the two.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Move {
    seconds: Option<u64>,
    to: Option<DateTime<Utc>>,
}

fn reading(now: DateTime<Utc>) -> Json<serde_json::Value> {
    Json(json!({ "now": now.to_rfc3339_opts(SecondsFormat::Millis, true) }))
}

fn refusal(status: StatusCode, text: String) -> Response {
    (status, Json(json!({ "error": text }))).into_response()
}

async fn read(State(clock): State<Clock>) -> Response {
    reading(clock.now()).into_response()
}

async fn advance(State(clock): State<Clock>, Json(body): Json<Move>) -> Response {
    match (body.seconds, body.to) {
        (Some(seconds), None) => {
            reading(clock.advance(Duration::from_secs(seconds))).into_response()
        }
        (None, Some(at)) => match clock.advance_to(at) {
            Ok(now) => reading(now).into_response(),
            Err(error) => refusal(StatusCode::CONFLICT, error.to_string()),
        },
        _ => refusal(
            StatusCode::BAD_REQUEST,
            "give either {\"seconds\": n} or {\"to\": \"<ISO 8601 instant>\"}".to_owned(),
        ),
    }
}

/// `GET|POST /__control/clock` for a simulator whose state holds its [`Clock`].
pub(crate) fn router<S>() -> Router<S>
where
    Clock: FromRef<S>,
    S: Clone + Send + Sync + 'static,
{
    Router::new().route("/__control/clock", get(read).post(advance))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_untouched_clock_reads_real_time() {
        let before = Utc::now();
        let now = Clock::default().now();
        assert!(
            now >= before && now <= Utc::now(),
            "tests that never touch the clock see real time"
        );
    }

    #[test]
    fn a_frozen_clock_moves_only_when_advanced() {
        let clock = Clock::default();
        clock.freeze((Utc::now(), Instant::now()));
        let (now, instant) = (clock.now(), clock.instant());
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(clock.now(), now, "real time no longer passes");
        clock.advance(Duration::from_secs(60));
        assert_eq!(
            clock.now() - now,
            chrono::Duration::seconds(60),
            "a minute later"
        );
        assert_eq!(
            clock.instant() - instant,
            Duration::from_secs(60),
            "rate windows too"
        );
    }

    #[test]
    fn advancing_moves_now_and_the_rate_instant_together() {
        let clock = Clock::default();
        let (now, instant) = (clock.now(), clock.instant());
        clock.advance(Duration::from_secs(3600));
        assert!(
            clock.now() - now >= chrono::Duration::hours(1),
            "an hour later in simulated time"
        );
        assert!(
            clock.instant() - instant >= Duration::from_secs(3600),
            "rate windows see the same hour"
        );
    }

    #[test]
    fn a_clock_started_in_the_past_runs_forward_from_there() {
        let start = DateTime::parse_from_rfc3339("2026-10-31T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let clock = Clock::starting_at(Some(start));
        assert!(
            (clock.now() - start).num_seconds().abs() < 5,
            "it reads its start"
        );
        let later = start + chrono::Duration::days(2);
        let now = clock.advance_to(later).unwrap();
        assert!(now >= later, "advanced to the instant asked for");
    }

    #[test]
    fn the_clock_never_moves_backwards() {
        let clock = Clock::default();
        let past = clock.now() - chrono::Duration::minutes(1);
        assert!(
            matches!(clock.advance_to(past), Err(ClockError::Backwards { .. })),
            "an instant in the simulated past is refused"
        );
    }

    #[test]
    fn a_twin_reads_the_same_and_moves_on_its_own() {
        let clock = Clock::default();
        clock.advance(Duration::from_secs(60));
        let twin = clock.twin();
        assert!(
            (twin.now() - clock.now()).num_milliseconds().abs() < 50,
            "the twin starts at the same reading"
        );
        twin.advance(Duration::from_secs(600));
        assert!(
            twin.now() - clock.now() >= chrono::Duration::minutes(9),
            "advancing the twin leaves the original where it was"
        );
    }
}
