//! Faithful local simulators of the two APIs the connector talks to: Quipt's Merchant API v2 (with its
//! OAuth 1.0a endpoints) and ShipStation's v1 API, each served by axum over real HTTP on loopback.
//!
//! What it is: an independent reading of `shared/api/quipt.md` and `shared/api/shipstation.md`, with
//! in-memory state, used by the clients' and the engine's tests, by the benchmarks, by the app's demo
//! mode and by `quipt-shipstation sandbox`. What it is not: a user of the client crates. It never
//! imports their models, so that a misreading of the contract cannot hide in both.
//!
//! Each simulator also serves a control API under `/__control/` (not part of either real API) to seed
//! data, act as a user would in the vendor's UI, and inject faults; every route is listed in
//! [`quipt::control`] and [`shipstation::control`], and has a method of the same meaning on
//! [`quipt::QuiptState`] or [`shipstation::ShipStationState`] for Rust tests.
//!
//! **Simulated time** ([`clock`]): each simulator has a clock, simulated now = real now + an offset
//! that only grows. `GET /__control/clock` reads it; `POST /__control/clock` with `{"seconds": n}`
//! or `{"to": "<instant>"}` moves it forward. Every date either simulator writes (ShipStation's
//! create, modify, ship and void dates in Pacific wall-clock; Quipt's `OrderedAt`, `ModifiedAt`,
//! acknowledgement and cancellation times, `TransactionTime`) and both rate windows follow it, so
//! a test moves both worlds by hours or days without waiting. [`SandboxConfig::clock_start`]
//! starts both clocks at a chosen instant, even a past one; [`RunningSandbox::advance_clock`] and
//! [`RunningSandbox::advance_clock_to`] move both at once.
//!
//! **Over time**, a test acts as the users: new Quipt orders at the simulated now
//! (`POST /__control/orders/new`, from a channel added with `POST /__control/partners`), labels
//! of several packages, voids hours later, Mark as Shipped, cancel, delete, store deactivation in
//! ShipStation; clear validation, address edits and cancels in Quipt.
//!
//! **Faults** both simulators share ([`faults`]), armed with `POST /__control/faults`: an `outage`
//! until a simulated instant (a status such as 503, or connections closed without an answer), and
//! `lose_answer_next` (ShipStation: `loseAnswerNext`): the next writes take effect and then close
//! their connection without an answer — unlike `drop_next`, which drops a request before it is
//! handled. `GET /__control/stats` counts, per order, how many times each write took effect
//! (`effects`), so a test can prove a retry never had a second effect.
//!
//! **Where the contracts are silent**, the simulators choose as a real server plausibly would, and
//! say so here so a reader of a test knows what it rests on:
//! - ShipStation during an outage answers its status (or drops the connection) before
//!   authentication and the rate window: a server that is down uses no budget and sends no
//!   `X-Rate-Limit-*` headers. Every other answer, 401 and 429 included, carries all three.
//! - A deleted ShipStation order is gone to the API: `GET /orders/{id}` and a second `DELETE` of it
//!   answer 404, as for an unknown id, and listings leave it out.
//! - A voided label puts a `shipped` order back to `awaiting_shipment`, unless its other live
//!   labels still cover every item or it was marked shipped (a fulfilment); a label printed for
//!   some of the items leaves the order `awaiting_shipment`.
//! - Quipt answers a single order read by id with what `include` asks for, as a listing does.
//!
//! Beside them, [`release_feed`] serves the desktop app's release feed for the update notice.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let sandbox = sandbox::Sandbox::start(sandbox::SandboxConfig::default()).await?;
//! println!("quipt: {}", sandbox.quipt_url());
//! println!("shipstation: {}", sandbox.shipstation_url());
//! # Ok(()) }
//! ```
#![deny(missing_docs)]

pub mod clock;
mod config;
mod connection;
pub mod demo_data;
pub mod faults;
pub mod quipt;
pub mod release_feed;
pub mod shipstation;

use std::net::SocketAddr;
use std::time::Duration;

use chrono::{DateTime, Utc};

use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use clock::{Clock, ClockError};
pub use config::SandboxConfig;

/// Entry point: starts both simulators.
#[derive(Debug)]
pub struct Sandbox;

/// Both simulators, serving until this value is dropped.
#[derive(Debug)]
pub struct RunningSandbox {
    quipt_addr: SocketAddr,
    shipstation_addr: SocketAddr,
    /// Shared state of the Quipt simulator, for tests that inspect or seed it directly.
    pub quipt: quipt::QuiptState,
    /// Shared state of the ShipStation simulator, for tests that inspect or seed it directly.
    pub shipstation: shipstation::ShipStationState,
    tasks: Vec<JoinHandle<()>>,
}

impl Sandbox {
    /// Binds both listeners on 127.0.0.1, seeds the demo data and serves until the returned value is
    /// dropped. The listeners are bound before this returns, so the servers are ready at once.
    ///
    /// # Errors
    /// When a port cannot be bound.
    pub async fn start(config: SandboxConfig) -> std::io::Result<RunningSandbox> {
        let quipt_listener = TcpListener::bind(("127.0.0.1", config.quipt_port)).await?;
        let shipstation_listener =
            TcpListener::bind(("127.0.0.1", config.shipstation_port)).await?;
        let quipt_addr = quipt_listener.local_addr()?;
        let shipstation_addr = shipstation_listener.local_addr()?;

        let clock = Clock::starting_at(config.clock_start);
        let shipstation = shipstation::ShipStationState::seeded(&config, clock.twin());
        let quipt = quipt::QuiptState::seeded(&config, clock);

        let tasks = vec![
            tokio::spawn(quipt::serve(quipt_listener, quipt.clone())),
            tokio::spawn(shipstation::serve(
                shipstation_listener,
                shipstation.clone(),
            )),
        ];
        Ok(RunningSandbox {
            quipt_addr,
            shipstation_addr,
            quipt,
            shipstation,
            tasks,
        })
    }
}

impl RunningSandbox {
    /// Base URL of the Quipt simulator (`QUIPT_API_URL` and `QUIPT_APP_URL` both point here).
    pub fn quipt_url(&self) -> String {
        format!("http://{}", self.quipt_addr)
    }

    /// Base URL of the ShipStation simulator (`SHIPSTATION_API_URL`).
    pub fn shipstation_url(&self) -> String {
        format!("http://{}", self.shipstation_addr)
    }

    /// The simulated now (of the Quipt simulator; the ShipStation one reads the same as long as
    /// both are only moved through this handle).
    pub fn now(&self) -> DateTime<Utc> {
        self.quipt.clock().now()
    }

    /// Moves both simulated worlds forward by `by`; returns the new simulated now.
    pub fn advance_clock(&self, by: Duration) -> DateTime<Utc> {
        self.shipstation.clock().advance(by);
        self.quipt.clock().advance(by)
    }

    /// Stops real time from passing in both simulators: they then move only when advanced (an
    /// engine on a manual clock that they follow; see [`Clock::freeze`]).
    pub fn freeze_clocks(&self) {
        let real = (Utc::now(), std::time::Instant::now());
        self.quipt.clock().freeze(real);
        self.shipstation.clock().freeze(real);
    }

    /// Moves both simulated worlds forward to `at`; returns the new simulated now.
    ///
    /// # Errors
    /// [`ClockError::Backwards`] when `at` is before the simulated now; neither clock moves.
    pub fn advance_clock_to(&self, at: DateTime<Utc>) -> Result<DateTime<Utc>, ClockError> {
        Ok(self.advance_clock(self.quipt.clock().until(at)?))
    }
}

impl Drop for RunningSandbox {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}
