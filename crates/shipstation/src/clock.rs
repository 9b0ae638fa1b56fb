//! The client's one time source: the rate window's bookkeeping reads it and every wait the client
//! makes (pacing before a request, retry backoff, the wait a 429 asks for) sleeps on it, so that a
//! test can run the client over simulated days against a simulator whose rate window follows the
//! same simulated clock. The default, [`SystemClock`], is `Instant::now` and tokio's timer.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};

/// Where the client's time comes from. Implement it to make the client's waits advance a
/// simulated clock (an `Instant` taken once plus the simulated time elapsed works as `now`); keep
/// [`SystemClock`] otherwise.
pub trait Clock: Send + Sync + fmt::Debug {
    /// The instant rate windows are measured against.
    fn now(&self) -> Instant;
    /// Waits `duration` as this clock counts it (a simulated clock may only advance itself).
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + '_>>;
}

/// The computer's monotonic clock and tokio's timer.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }

    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        Box::pin(tokio::time::sleep(duration))
    }
}
