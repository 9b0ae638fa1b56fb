//! The engine's one clock. Every time the engine reasons about — a run's start, a cursor's first
//! value, the age of the reference cache, when the daily checks are due, when the schedule runs
//! next, how long no run has succeeded — comes from the [`Clock`] its [`Context`](crate::sync::Context)
//! holds: the system clock in the app and the CLI, a [`ManualClock`] in tests, which move hours or
//! days forward without waiting.
//!
//! The clients keep their own time seams (`quipt::Clock`, `shipstation::Clock`, given to their
//! builders): their pacing, retries and Quipt's OAuth timestamps must follow the servers' clocks,
//! so they join this one only when the simulators' clocks move with it. The durations a summary
//! measures are real time.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use tokio::sync::watch;

/// Where the engine reads the time and waits for a moment to come.
pub trait Clock: std::fmt::Debug + Send + Sync {
    /// The current time.
    fn now(&self) -> DateTime<Utc>;

    /// Resolves once [`now`](Clock::now) has reached `at` (at once if it has).
    fn sleep_until(&self, at: DateTime<Utc>) -> BoxFuture<'static, ()>;
}

/// The system's wall clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

/// The longest a wait sleeps before it looks at the wall clock again: a machine that slept
/// through a due run (suspend, hibernation) or whose clock was set runs it within this long.
const WALL_CLOCK_CHECK: Duration = Duration::from_secs(60);

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn sleep_until(&self, at: DateTime<Utc>) -> BoxFuture<'static, ()> {
        Box::pin(until_wall_clock(at, Utc::now, WALL_CLOCK_CHECK))
    }
}

/// Waits until `wall` reads `at` or later, sleeping at most `check` at a time: the monotonic timer
/// does not count a suspended machine's sleep, the wall clock does, so a run due while the
/// computer slept starts within `check` of its waking.
async fn until_wall_clock(at: DateTime<Utc>, wall: impl Fn() -> DateTime<Utc>, check: Duration) {
    while let Ok(left) = (at - wall()).to_std() {
        if left.is_zero() {
            break;
        }
        tokio::time::sleep(left.min(check)).await;
    }
}

/// A clock that moves only when told: tests (and simulated weeks) advance it by hours or days,
/// and every wait on it ends as soon as its moment is reached.
#[derive(Debug, Clone)]
pub struct ManualClock {
    now: Arc<watch::Sender<DateTime<Utc>>>,
}

impl ManualClock {
    /// A clock standing at `start`.
    pub fn new(start: DateTime<Utc>) -> Self {
        Self {
            now: Arc::new(watch::Sender::new(start)),
        }
    }

    /// Moves the clock forward by `by`, waking every wait whose moment has come.
    pub fn advance(&self, by: chrono::Duration) {
        self.now.send_modify(|now| *now += by);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.now.borrow()
    }

    fn sleep_until(&self, at: DateTime<Utc>) -> BoxFuture<'static, ()> {
        let mut moments = self.now.subscribe();
        Box::pin(async move {
            // The sender lives as long as any clone of the clock; if all are gone nothing can move
            // time any more, and the wait ends.
            let _ = moments.wait_for(|now| *now >= at).await;
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_wait_on_a_manual_clock_ends_when_the_clock_is_moved_past_its_moment() {
        let clock = ManualClock::new(Utc::now());
        let start = clock.now();
        let wait = tokio::spawn(clock.sleep_until(start + chrono::Duration::hours(1)));
        clock.advance(chrono::Duration::minutes(59));
        tokio::task::yield_now().await;
        assert!(!wait.is_finished(), "59 minutes are not an hour");
        clock.advance(chrono::Duration::minutes(1));
        wait.await.expect("the wait ends once an hour has passed");
        assert_eq!(clock.now() - start, chrono::Duration::hours(1));
    }

    #[tokio::test]
    async fn a_wait_on_the_wall_clock_ends_soon_after_waking_from_a_suspend_that_passed_its_moment()
    {
        // The wall clock as the test sets it; the monotonic timer keeps its real pace, as it does
        // across a suspend, which it does not count.
        let wall = Arc::new(std::sync::Mutex::new(Utc::now()));
        let due = *wall.lock().unwrap() + chrono::Duration::minutes(15);
        let read = {
            let wall = wall.clone();
            move || *wall.lock().unwrap()
        };
        let check = Duration::from_millis(50);
        let wait = tokio::spawn(until_wall_clock(due, read, check));
        tokio::task::yield_now().await;
        assert!(!wait.is_finished(), "15 minutes are not up");

        // The computer slept for two hours: on waking the wall clock is past the moment.
        *wall.lock().unwrap() += chrono::Duration::hours(2);
        tokio::time::timeout(Duration::from_secs(10), wait)
            .await
            .expect("the wait ends within a check of waking, not 15 monotonic minutes later")
            .unwrap();
    }

    #[tokio::test]
    async fn a_wait_for_a_past_moment_ends_at_once() {
        let clock = SystemClock;
        clock
            .sleep_until(clock.now() - chrono::Duration::seconds(5))
            .await;
    }
}
