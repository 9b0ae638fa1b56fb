//! The clocks of the benchmarks: [`Simulated`], both clients and the engine on the sandbox's
//! simulated clock, so that a first sync at ShipStation's real 60-second window takes seconds to
//! measure instead of minutes; and [`Recording`], the computer's clock noting when each of the ShipStation
//! client's waits ended, which tells where the rate windows began.
//!
//! Simulated time is real time plus every advance ([`sandbox::Clock`]). The clients' waits —
//! pacing until ShipStation's window resets, a 429's `Retry-After`, retry backoff — advance both
//! simulators' clocks by their length at once instead of sleeping; everything else (HTTP on
//! loopback, mapping, SQLite) takes its real time, which the simulated clock counts as it is. So a
//! simulated duration is what the same run would take against these simulators at the real
//! window, with each wait cut to nothing in real time but counted in full.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use sandbox::RunningSandbox;

/// The clients' and the engine's clock over both simulators' clocks: one simulated timeline.
#[derive(Debug, Clone)]
pub struct Simulated {
    quipt: sandbox::Clock,
    shipstation: sandbox::Clock,
}

impl Simulated {
    /// The clock of `sandbox`'s two simulators.
    pub fn of(sandbox: &RunningSandbox) -> Self {
        Self {
            quipt: sandbox.quipt.clock(),
            shipstation: sandbox.shipstation.clock(),
        }
    }

    /// Waits `duration` in simulated time: both worlds move forward together, at once.
    fn wait(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + 'static>> {
        self.quipt.advance(duration);
        self.shipstation.advance(duration);
        Box::pin(std::future::ready(()))
    }
}

impl connector::clock::Clock for Simulated {
    fn now(&self) -> DateTime<Utc> {
        self.quipt.now()
    }

    /// Moves both worlds to `at` (if it lies ahead) at once.
    fn sleep_until(&self, at: DateTime<Utc>) -> BoxFuture<'static, ()> {
        self.wait(self.quipt.until(at).unwrap_or_default())
    }
}

impl shipstation::Clock for Simulated {
    /// ShipStation's rate window is measured on this instant, in the simulator and in the client.
    fn now(&self) -> Instant {
        self.shipstation.instant()
    }

    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        self.wait(duration)
    }
}

impl quipt::Clock for Simulated {
    /// The OAuth timestamp: Quipt's simulator checks it against its simulated now.
    fn system_time(&self) -> SystemTime {
        self.quipt.now().into()
    }

    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        self.wait(duration)
    }
}

/// The computer's clock (as [`shipstation::SystemClock`]), noting when each wait ended. The
/// client waits for the rate window to reset (or, after a failure, to retry); the request it
/// sends after a pacing wait opens a new window, so the first wait's end marks where the whole
/// windows of a push begin ([`crate::steady`]).
#[derive(Debug, Clone, Default)]
pub struct Recording {
    woke: Arc<Mutex<Vec<Instant>>>,
}

impl Recording {
    /// When each wait ended, in order.
    pub fn wakes(&self) -> Vec<Instant> {
        self.woke
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl shipstation::Clock for Recording {
    fn now(&self) -> Instant {
        Instant::now()
    }

    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        Box::pin(async move {
            tokio::time::sleep(duration).await;
            self.woke
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(Instant::now());
        })
    }
}
