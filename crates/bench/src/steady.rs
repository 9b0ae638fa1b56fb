//! The steady-state push rate, window by window, from the moments the push calls completed.
//!
//! ShipStation counts requests per key in windows of a fixed length (40 per window). A window
//! begins with the first request after the previous one ended, and the client sends that request
//! as soon as its wait for the announced reset ends. So the first push call completed after the
//! client's first wait opened the second window, and while every window carries its full `limit`
//! requests, each `limit`-th call after it opened the next one. The time between two such
//! completions is one whole window period: its length plus whatever the pusher lost at the
//! window's start (the reset is announced in whole seconds and read from an answer, so the wait
//! ends a little after the true reset). The orders completed in between, over that time, are the
//! window's rate. The first window is left out, because its burst is free (a run starts with a
//! full budget) and it also carries the run's reference calls; a last partial window is left out
//! too. When the pusher cannot keep up with the window (it needs longer than the window for
//! `limit` calls, and never waits), windows are counted from its first call and measure its own
//! speed — still the rate a user gets.

use std::time::Instant;

/// One push call completed: when, and how many orders had been pushed by then (this call's
/// included).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Completion {
    /// When its answer was recorded.
    pub at: Instant,
    /// Orders pushed so far.
    pub pushed: u64,
}

/// The push rate of each whole window, in orders per second, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Windows {
    /// One rate per whole window.
    pub rates: Vec<f64>,
    /// Whether the windows were counted from the client's first wait (else from the first call).
    pub after_a_wait: bool,
}

impl Windows {
    /// Splits `completions` (in the order the calls completed) into whole windows of `limit`
    /// calls each, from the first call completed after `opened` (when the client's first wait
    /// for a reset ended), or from the first call when the client never waited.
    pub fn of(completions: &[Completion], limit: usize, opened: Option<Instant>) -> Self {
        let limit = limit.max(1);
        let first = opened.map_or(0, |opened| {
            completions
                .iter()
                .position(|c| c.at > opened)
                .unwrap_or(completions.len())
        });
        let measured = &completions[first..];
        let rates = measured
            .iter()
            .step_by(limit)
            .zip(measured.iter().skip(limit).step_by(limit))
            .map(|(from, to)| {
                let seconds = to.at.saturating_duration_since(from.at).as_secs_f64();
                (to.pushed - from.pushed) as f64 / seconds.max(f64::MIN_POSITIVE)
            })
            .collect();
        Self {
            rates,
            after_a_wait: opened.is_some(),
        }
    }

    /// The windows in words: how many, where they were counted from, and each one's rate as a
    /// fraction of `ceiling`.
    pub fn describe(&self, ceiling: f64) -> String {
        let from = if self.after_a_wait {
            "from the first call after the client's first wait for a reset (the first window, its free burst and the reference calls left out)"
        } else {
            "from the first call (the client never waited: the pusher, not the window, set the pace)"
        };
        let fractions: Vec<String> = self
            .rates
            .iter()
            .map(|rate| format!("{:.3}", rate / ceiling))
            .collect();
        format!(
            "{} whole window(s) {from}: {} of ceiling",
            self.count(),
            fractions.join(", ")
        )
    }

    /// How many whole windows were measured.
    pub fn count(&self) -> usize {
        self.rates.len()
    }

    /// The median rate (the mean of the middle two for an even count); `None` without windows.
    pub fn median(&self) -> Option<f64> {
        let mut sorted = self.rates.clone();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        match n {
            0 => None,
            _ if n % 2 == 1 => Some(sorted[n / 2]),
            _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
        }
    }

    /// The slowest window's rate; `None` without windows.
    pub fn lowest(&self) -> Option<f64> {
        self.rates.iter().copied().min_by(f64::total_cmp)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    /// Completions at these milliseconds after `start`, `per_call` orders each.
    fn calls(start: Instant, millis: &[u64], per_call: u64) -> Vec<Completion> {
        millis
            .iter()
            .enumerate()
            .map(|(n, ms)| Completion {
                at: start + Duration::from_millis(*ms),
                pushed: (n as u64 + 1) * per_call,
            })
            .collect()
    }

    #[rstest::rstest]
    #[case::no_call_is_no_window(&[], 2, None, &[])]
    #[case::a_partial_window_is_not_measured(&[0, 10], 2, None, &[])]
    #[case::without_a_wait_one_window_from_the_first_call(&[0, 10, 1000], 2, None, &[200.0])]
    #[case::back_to_back_windows_each_measured(&[0, 10, 1000, 1010, 2500], 2, None, &[200.0, 133.3])]
    #[case::a_last_partial_window_is_left_out(&[0, 10, 1000, 1010], 2, None, &[200.0])]
    #[case::the_first_window_before_the_first_wait_is_left_out(&[0, 10, 20, 1000, 1010, 2000], 2, Some(500), &[200.0])]
    #[case::a_wait_after_every_call_is_no_window(&[0, 10], 2, Some(20), &[])]
    fn each_whole_window_gives_one_rate(
        #[case] millis: &[u64],
        #[case] limit: usize,
        #[case] woke_at_ms: Option<u64>,
        #[case] expected: &[f64],
    ) {
        let start = Instant::now();
        let opened = woke_at_ms.map(|ms| start + Duration::from_millis(ms));
        let windows = Windows::of(&calls(start, millis, 100), limit, opened);
        let rounded: Vec<f64> = windows
            .rates
            .iter()
            .map(|r| (r * 10.0).round() / 10.0)
            .collect();
        assert_eq!(
            rounded, expected,
            "orders per second of each whole window of {limit} calls, from {millis:?} ms, first wait ending at {woke_at_ms:?} ms"
        );
    }

    #[test]
    fn the_median_and_the_lowest_window_are_reported() {
        let odd = Windows {
            rates: vec![790.0, 770.0, 800.0],
            after_a_wait: true,
        };
        assert_eq!(odd.median(), Some(790.0), "the middle one of three");
        assert_eq!(odd.lowest(), Some(770.0), "the slowest window is printed");
        let even = Windows {
            rates: vec![790.0, 770.0, 800.0, 780.0],
            after_a_wait: true,
        };
        assert_eq!(even.median(), Some(785.0), "the mean of the middle two");
        let none = Windows {
            rates: vec![],
            after_a_wait: false,
        };
        assert_eq!(
            (none.median(), none.lowest()),
            (None, None),
            "no window measured: no figure, rather than a made-up one"
        );
    }
}
