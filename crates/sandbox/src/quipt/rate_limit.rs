//! Quipt's rate limit, the contract's choice: 120 requests a minute per access token, then `429`
//! with `Retry-After`. A token's window starts with its first request after the previous window
//! ended.

use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Requests per token per window allowed by default (contract choice: 120 per minute).
pub const DEFAULT_RATE_LIMIT: u32 = 120;
/// Length of the default rate window.
pub const DEFAULT_RATE_WINDOW: Duration = Duration::from_secs(60);

/// Every token's window.
#[derive(Debug)]
pub(crate) struct TokenWindows {
    limit: u32,
    window: Duration,
    used: HashMap<String, (Instant, u32)>,
}

impl Default for TokenWindows {
    fn default() -> Self {
        Self {
            limit: DEFAULT_RATE_LIMIT,
            window: DEFAULT_RATE_WINDOW,
            used: HashMap::new(),
        }
    }
}

impl TokenWindows {
    /// New limits; every window starts afresh.
    pub fn set(&mut self, limit: u32, window: Duration) {
        self.limit = limit;
        self.window = window;
        self.used.clear();
    }

    /// Counts one request of `token` at `now`; `Err(retry_after)` when its window is spent.
    pub fn take(&mut self, token: &str, now: Instant) -> Result<(), Duration> {
        let slot = self.used.entry(token.to_string()).or_insert((now, 0));
        if now.duration_since(slot.0) >= self.window {
            *slot = (now, 0);
        }
        if slot.1 >= self.limit {
            return Err(self.window.saturating_sub(now.duration_since(slot.0)));
        }
        slot.1 += 1;
        Ok(())
    }
}
