//! How to start the two simulators ([`SandboxConfig`]); its own module so that each simulator's
//! state reads it without reaching back into the crate root.

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::demo_data;

/// How to start the two simulators.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// Port of the Quipt simulator on 127.0.0.1; 0 picks any free port.
    pub quipt_port: u16,
    /// Port of the ShipStation simulator on 127.0.0.1; 0 picks any free port.
    pub shipstation_port: u16,
    /// Length of ShipStation's rate window (40 requests per window); the real API uses 60 s.
    pub rate_window: Duration,
    /// Seed of the generated demo orders, so that a run can be reproduced.
    pub seed: u64,
    /// How many demo orders to seed in Quipt; 0 seeds only the reference data.
    pub orders: usize,
    /// Where both simulated clocks start (they may start in the past, e.g. before a daylight
    /// saving change a test must cross); `None` starts them at real time. From there they only
    /// move forward ([`crate::Clock`]).
    pub clock_start: Option<DateTime<Utc>>,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            quipt_port: 0,
            shipstation_port: 0,
            rate_window: Duration::from_secs(60),
            seed: 1,
            orders: demo_data::DEFAULT_ORDER_COUNT,
            clock_start: None,
        }
    }
}
