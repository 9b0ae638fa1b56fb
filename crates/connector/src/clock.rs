//! The engine's one clock. Every time the engine reasons about — a run's start, a cursor's first
//! value, the age of the reference cache, when the daily checks are due, when the schedule runs
//! next, how long no run has succeeded — comes from the [`Clock`] its [`Context`](crate::sync::Context)
//! holds: the system clock in the app and the CLI, a [`ManualClock`] in tests, which move hours or
//! days forward without waiting.
//!
//! **One clock for every world.** An engine opened on a clock
//! ([`Connector::open_on`](crate::Connector::open_on)) gives the same clock to both clients through
//! [`ClientClock`]: Quipt's OAuth timestamps read it, and every wait a client makes (pacing before
//! a request, a backoff, the wait a 429 asks for) is a [`Clock::pass`] on it. The system clock
//! sleeps there; a [`ManualClock`] moves itself forward instead, since nothing else would. The
//! simulators join through [`ManualClock::follow`]: a test hands it a function that advances both
//! simulated clocks (`RunningSandbox::advance_clock`) by the same duration, so advancing the
//! engine's clock — by the test, or by a client's wait — moves every world at once, and the
//! simulators' rate windows open exactly when the client's wait says they should. With the
//! simulators' clocks frozen (`RunningSandbox::freeze_clocks`: real time no longer passes there)
//! the worlds read the same instant for the whole test, however long it takes in real time.
//!
//! The engine opened with [`Connector::open`](crate::Connector::open) keeps the clients on their
//! own system clocks (a monotonic timer for the pacing). The durations a summary measures are real
//! time.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use tokio::sync::watch;

/// Where the engine reads the time and waits for a moment to come.
pub trait Clock: std::fmt::Debug + Send + Sync {
    /// The current time.
    fn now(&self) -> DateTime<Utc>;

    /// Resolves once [`now`](Clock::now) has reached `at` (at once if it has).
    fn sleep_until(&self, at: DateTime<Utc>) -> BoxFuture<'static, ()>;

    /// Lets `duration` pass, as a client's wait does (pacing, a backoff, a 429's `Retry-After`).
    /// The system clock sleeps; a [`ManualClock`] moves itself forward.
    fn pass(&self, duration: Duration) -> BoxFuture<'static, ()> {
        let at =
            self.now() + chrono::Duration::from_std(duration).unwrap_or(chrono::TimeDelta::MAX);
        self.sleep_until(at)
    }
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
/// every wait on it ends as soon as its moment is reached, and a client's wait
/// ([`Clock::pass`]) advances it. Clones share it.
#[derive(Clone)]
pub struct ManualClock {
    now: Arc<watch::Sender<DateTime<Utc>>>,
    followers: Arc<Mutex<Vec<Follower>>>,
}

/// Told how far a [`ManualClock`] moved, each time it moves.
type Follower = Box<dyn Fn(chrono::Duration) + Send + Sync>;

impl std::fmt::Debug for ManualClock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ManualClock")
            .field("now", &*self.now.borrow())
            .finish_non_exhaustive()
    }
}

impl ManualClock {
    /// A clock standing at `start`.
    pub fn new(start: DateTime<Utc>) -> Self {
        Self {
            now: Arc::new(watch::Sender::new(start)),
            followers: Arc::default(),
        }
    }

    /// Moves the clock forward by `by`, tells every follower, and wakes every wait whose moment
    /// has come.
    pub fn advance(&self, by: chrono::Duration) {
        self.now.send_modify(|now| *now += by);
        for follower in self
            .followers
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .iter()
        {
            follower(by);
        }
    }

    /// From now on `follower` is told each advance (the simulators' clocks move with this one).
    pub fn follow(&self, follower: impl Fn(chrono::Duration) + Send + Sync + 'static) {
        self.followers
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(Box::new(follower));
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

    fn pass(&self, duration: Duration) -> BoxFuture<'static, ()> {
        self.advance(chrono::Duration::from_std(duration).unwrap_or(chrono::TimeDelta::MAX));
        Box::pin(std::future::ready(()))
    }
}

/// The engine's clock as both clients' clock ([`quipt::Clock`], [`shipstation::Clock`]): Quipt
/// signs with the engine's time, and the clients' waits are [`Clock::pass`]es on it.
#[derive(Debug, Clone)]
pub struct ClientClock {
    engine: Arc<dyn Clock>,
    /// A monotonic instant and the engine's time at the same moment: ShipStation's pacing measures
    /// its rate window in instants, which here move with the engine's time.
    origin: (Instant, DateTime<Utc>),
}

impl ClientClock {
    /// The clients' view of `engine`.
    pub fn new(engine: Arc<dyn Clock>) -> Self {
        let origin = (Instant::now(), engine.now());
        Self { engine, origin }
    }
}

impl quipt::Clock for ClientClock {
    fn system_time(&self) -> SystemTime {
        self.engine.now().into()
    }

    fn sleep(
        &self,
        duration: Duration,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + '_>> {
        self.engine.pass(duration)
    }
}

impl shipstation::Clock for ClientClock {
    fn now(&self) -> Instant {
        self.origin.0
            + (self.engine.now() - self.origin.1)
                .to_std()
                .unwrap_or_default()
    }

    fn sleep(
        &self,
        duration: Duration,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + '_>> {
        self.engine.pass(duration)
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
    async fn a_clients_wait_on_a_manual_clock_moves_it_and_its_followers() {
        let clock = ManualClock::new(Utc::now());
        let start = clock.now();
        let followed = Arc::new(Mutex::new(chrono::Duration::zero()));
        let seen = followed.clone();
        clock.follow(move |by| *seen.lock().unwrap() += by);
        let client = ClientClock::new(Arc::new(clock.clone()));
        let before = shipstation::Clock::now(&client);
        shipstation::Clock::sleep(&client, Duration::from_secs(30)).await;
        assert_eq!(
            clock.now() - start,
            chrono::Duration::seconds(30),
            "a 30 s pacing wait moves the engine's clock 30 s"
        );
        assert_eq!(
            *followed.lock().unwrap(),
            chrono::Duration::seconds(30),
            "and the simulators following it"
        );
        assert_eq!(
            shipstation::Clock::now(&client) - before,
            Duration::from_secs(30),
            "the pacing's instants move with it"
        );
        assert_eq!(
            DateTime::<Utc>::from(quipt::Clock::system_time(&client)),
            clock.now(),
            "Quipt signs with the engine's time"
        );
    }

    #[tokio::test]
    async fn a_wait_for_a_past_moment_ends_at_once() {
        let clock = SystemClock;
        clock
            .sleep_until(clock.now() - chrono::Duration::seconds(5))
            .await;
    }
}
