//! The simulator's shared state: the account's records and tokens, the rate windows, the armed
//! faults and the request statistics behind one lock, and the operations a test or a demo performs
//! on them (seeding, acting as a Quipt user, faults to arm). `control.rs` serves the same
//! operations over HTTP and `api.rs` the API's writes; the rules themselves are in `rules.rs`.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::extract::FromRef;
use chrono::{DateTime, Utc};

use super::demo_orders::{NewOrders, new_order};
use super::faults::{Fault, Faults};
use super::oauth::random_token;
use super::rate_limit::TokenWindows;
use super::records::*;
use super::responses::Reply;
use super::rules::{self, ControlError, Outcome, Write};
use super::stats::QuiptStats;
use crate::clock::Clock;
use crate::config::SandboxConfig;
use crate::faults::{CountedBody, LostAnswers, Outage, RouteFault};

/// Everything behind the lock.
#[derive(Debug, Default)]
pub(crate) struct Inner {
    pub records: Records,
    pub tokens: Tokens,
    pub rate: TokenWindows,
    pub stats: QuiptStats,
    pub faults: Faults,
}

/// The item whose code is `code`, or the first one for `None`.
fn find_by_code<T: Clone>(
    items: &[T],
    code: Option<&str>,
    what: &'static str,
    code_of: impl Fn(&T) -> &String,
) -> Result<T, ControlError> {
    let found = match code {
        Some(code) => items.iter().find(|item| code_of(item) == code),
        None => items.first(),
    };
    found.cloned().ok_or_else(|| ControlError::UnknownCode {
        what,
        code: code.unwrap_or_default().to_owned(),
    })
}

/// Shared state of the Quipt simulator. Cheap to clone: every clone sees the same data.
#[derive(Debug, Clone, Default)]
pub struct QuiptState {
    inner: Arc<Mutex<Inner>>,
    clock: Clock,
}

impl FromRef<QuiptState> for Clock {
    fn from_ref(state: &QuiptState) -> Clock {
        state.clock.clone()
    }
}

impl QuiptState {
    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock must not poison the simulator for the following requests.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The simulator's clock (a clone sharing it): read it, or advance it.
    pub fn clock(&self) -> Clock {
        self.clock.clone()
    }

    /// The simulated now, to the millisecond (timestamps are sent with millisecond precision, so
    /// an order's stored `ModifiedAt` must equal what a client reads back).
    pub(crate) fn now(&self) -> DateTime<Utc> {
        to_millis(self.clock.now())
    }

    /// The instant the rate windows are measured in.
    pub(crate) fn instant(&self) -> Instant {
        self.clock.instant()
    }

    /// Answers stamped with the simulated now.
    pub(crate) fn reply(&self) -> Reply {
        Reply::at(self.now())
    }

    /// Seeds the demo account: channels, warehouses, the pre-authorized demo token and
    /// `config.orders` generated orders, deterministic from `config.seed`, on a clock starting at
    /// `config.clock_start`.
    pub fn with_demo_data(config: &SandboxConfig) -> Self {
        Self::seeded(config, Clock::starting_at(config.clock_start))
    }

    /// [`Self::with_demo_data`] on a given clock.
    pub(crate) fn seeded(config: &SandboxConfig, clock: Clock) -> Self {
        let state = Self {
            inner: Arc::default(),
            clock,
        };
        {
            let mut inner = state.lock();
            let (partners, warehouses, orders) =
                super::demo_orders::generate(config.seed, config.orders, state.now());
            inner.records.partners = partners;
            inner.records.warehouses = warehouses;
            for order in orders {
                inner.records.insert(order);
            }
        }
        state
    }

    // ----- seeding and inspection -------------------------------------------------------------

    /// Inserts (or replaces, by `Id`) an order as given, its timestamps included; a missing `Id`
    /// or line `Id` is generated.
    pub fn insert_order(&self, order: SimOrder) -> SimOrder {
        self.lock().records.insert(order)
    }

    /// Inserts an order given as Quipt JSON (PascalCase; missing fields take defaults, and a
    /// missing `OrderedAt` or `ModifiedAt` is the simulated now).
    ///
    /// # Errors
    /// When the JSON does not have the shape of an order.
    pub fn insert_order_json(
        &self,
        order: serde_json::Value,
    ) -> Result<SimOrder, serde_json::Error> {
        let missing = |field: &str| order.get(field).is_none_or(serde_json::Value::is_null);
        let (no_ordered_at, no_modified_at) = (missing("OrderedAt"), missing("ModifiedAt"));
        let mut order: SimOrder = serde_json::from_value(order)?;
        let now = self.now();
        if no_ordered_at {
            order.ordered_at = now;
        }
        if no_modified_at {
            order.modified_at = now;
        }
        Ok(self.insert_order(order))
    }

    /// One order with everything (shipments, cancellations, line acknowledgements).
    pub fn order(&self, id: &str) -> Option<SimOrder> {
        self.lock().records.order(id).cloned()
    }

    /// Every order, in insertion order.
    pub fn orders(&self) -> Vec<SimOrder> {
        self.lock().records.orders().to_vec()
    }

    /// The warehouses.
    pub fn warehouses(&self) -> Vec<SimWarehouse> {
        self.lock().records.warehouses.clone()
    }

    /// The sales channels.
    pub fn partners(&self) -> Vec<SimPartner> {
        self.lock().records.partners.clone()
    }

    // ----- the account over time --------------------------------------------------------------

    /// A new sales channel appears (the merchant connected one); an existing `code` is left as
    /// it is. Returns the channel.
    pub fn add_partner(&self, code: &str, name: &str) -> SimPartner {
        let partners = &mut self.lock().records.partners;
        if let Some(existing) = partners.iter().find(|p| p.code == code) {
            return existing.clone();
        }
        let partner = SimPartner {
            id: new_guid(),
            code: code.to_owned(),
            name: name.to_owned(),
        };
        partners.push(partner.clone());
        partner
    }

    /// New orders arrive: `request.count` well-formed orders of a channel and warehouse (by
    /// code), dated at the simulated now, numbered `Q-NEW-000001` on.
    ///
    /// # Errors
    /// [`ControlError::UnknownCode`] for a channel or warehouse code the account does not have.
    pub fn new_orders(&self, request: &NewOrders) -> Result<Vec<SimOrder>, ControlError> {
        let now = self.now();
        let mut inner = self.lock();
        let records = &mut inner.records;
        let partner = find_by_code(
            &records.partners,
            request.partner.as_deref(),
            "channel",
            |p| &p.code,
        )?;
        let warehouse = find_by_code(
            &records.warehouses,
            request.warehouse.as_deref(),
            "warehouse",
            |w| &w.code,
        )?;
        Ok((0..request.count)
            .map(|_| {
                records.new_orders += 1;
                let order = new_order(
                    records.new_orders,
                    partner.clone(),
                    warehouse.clone(),
                    request.lines,
                    request.status,
                    now,
                );
                records.insert(order)
            })
            .collect())
    }

    // ----- acting as a Quipt user -------------------------------------------------------------

    fn with_order<T>(
        &self,
        id: &str,
        action: impl FnOnce(&mut SimOrder, DateTime<Utc>) -> Result<T, ControlError>,
    ) -> Result<T, ControlError> {
        let now = self.now();
        let mut inner = self.lock();
        let order = inner
            .records
            .order_mut(id)
            .ok_or_else(|| ControlError::UnknownOrder { id: id.to_string() })?;
        action(order, now)
    }

    /// Quipt clears an order's validation: Pending (2) → Open (4).
    ///
    /// # Errors
    /// Unknown order, or not Pending.
    pub fn clear_validation(&self, id: &str) -> Result<SimOrder, ControlError> {
        self.with_order(id, rules::clear_validation)
    }

    /// A Quipt user cancels the order: every remaining quantity is canceled and it becomes
    /// Canceled (16).
    ///
    /// # Errors
    /// Unknown order, or already Shipped or Canceled.
    pub fn cancel_order(&self, id: &str, reason: &str) -> Result<SimOrder, ControlError> {
        self.with_order(id, |order, now| rules::cancel_order(order, reason, now))
    }

    /// A fault: from now on the API sends `value` at the JSON `pointer` of the order (e.g.
    /// `/Lines/0/Ordered/Value` as the text `"1"`), a form the contract does not describe; with
    /// `None`, Quipt corrects it: the order is sent as it is again, changed now.
    ///
    /// # Errors
    /// Unknown order.
    pub fn garble_order(
        &self,
        id: &str,
        garbled: Option<(&str, serde_json::Value)>,
    ) -> Result<(), ControlError> {
        self.with_order(id, |order, now| {
            match garbled {
                Some((pointer, value)) => order.garbled.push((pointer.to_string(), value)),
                None => {
                    order.garbled.clear();
                    order.touch(now);
                }
            }
            Ok(())
        })
    }

    /// The order vanishes from the account (archived or purged on Quipt's side): every read or
    /// write of it is answered 404 from now on, as the contract does for an unknown id.
    ///
    /// # Errors
    /// Unknown order.
    pub fn remove_order(&self, id: &str) -> Result<SimOrder, ControlError> {
        self.lock()
            .records
            .remove(id)
            .ok_or_else(|| ControlError::UnknownOrder { id: id.to_string() })
    }

    /// A Quipt user edits the ship-to address (`None` removes it).
    ///
    /// # Errors
    /// Unknown order.
    pub fn edit_ship_to(
        &self,
        id: &str,
        address: Option<SimAddress>,
    ) -> Result<SimOrder, ControlError> {
        self.with_order(id, |order, now| rules::edit_ship_to(order, address, now))
    }

    // ----- the API's writes -------------------------------------------------------------------

    /// Applies one API write to the order `id` at the simulator's time (404 when unknown) and
    /// counts its effect.
    pub(crate) fn write(
        &self,
        id: &str,
        write: impl FnOnce(&mut SimOrder, DateTime<Utc>) -> Outcome,
    ) -> Outcome {
        let now = self.now();
        let mut inner = self.lock();
        let outcome = match inner.records.order_mut(id) {
            Some(order) => write(order, now),
            None => Outcome::NotFound(format!("No order with id {id}.")),
        };
        if let Outcome::Done {
            effect: Some(write),
            ..
        } = outcome
        {
            inner.stats.effect(write, id);
        }
        outcome
    }

    // ----- OAuth ------------------------------------------------------------------------------

    /// Approves a request token as the demo API user would on the authorization page; returns
    /// the verifier, or `None` for an unknown request token.
    pub fn approve_request_token(&self, request_token: &str) -> Option<String> {
        let mut inner = self.lock();
        let entry = inner.tokens.request_tokens.get_mut(request_token)?;
        let verifier = entry.verifier.get_or_insert_with(random_token).clone();
        Some(verifier)
    }

    /// The callback a request token was issued with (`oob` for out-of-band).
    pub fn request_token_callback(&self, request_token: &str) -> Option<String> {
        self.lock()
            .tokens
            .request_tokens
            .get(request_token)
            .map(|e| e.callback.clone())
    }

    /// Adds an access token (as if a user had authorized it).
    pub fn add_access_token(&self, token: &str, secret: &str) {
        self.lock()
            .tokens
            .access_tokens
            .insert(token.to_string(), secret.to_string());
    }

    /// Revokes an access token: its next request is a 401.
    pub fn revoke_access_token(&self, token: &str) {
        self.lock().tokens.access_tokens.remove(token);
    }

    // ----- stats, rate limit, faults ----------------------------------------------------------

    /// Requests served and writes that took effect since the start or the last
    /// [`reset_stats`](Self::reset_stats).
    pub fn stats(&self) -> QuiptStats {
        self.lock().stats.clone()
    }

    /// Forgets the request statistics and the effect counts.
    pub fn reset_stats(&self) {
        self.lock().stats = QuiptStats::default();
    }

    /// Sets the per-token rate limit (default 120 per 60 s); tests shorten the window.
    pub fn set_rate_limit(&self, limit: u32, window: Duration) {
        self.lock().rate.set(limit, window);
    }

    /// The next `count` API requests are answered with `status` (e.g. 503).
    pub fn fail_next(&self, count: u32, status: u16) {
        let mut inner = self.lock();
        inner.faults.fail_remaining = count;
        inner.faults.fail_status = status;
    }

    /// The next `count` API requests have their connection closed without an answer.
    pub fn drop_next(&self, count: u32) {
        self.lock().faults.drop_remaining = count;
    }

    /// The next `count` API requests are answered HTTP 200 with `Success: false`.
    pub fn fail_next_unsuccessful(&self, count: u32) {
        self.lock().faults.unsuccessful_remaining = count;
    }

    /// The next `count` API requests are served (a write takes effect) and then answered HTTP 200
    /// with `body` instead of their own answer (malformed-answer tests).
    pub fn garbage_next(&self, count: u32, body: String) {
        self.lock().faults.garbage_next = CountedBody::armed(count, body);
    }

    /// Every API request waits `latency` before being handled.
    pub fn set_latency(&self, latency: Duration) {
        self.lock().faults.latency = latency;
    }

    /// Down until the simulated instant `until`: every API and OAuth request meanwhile gets
    /// `status` (e.g. 503), or with `None` its connection closed without an answer.
    pub fn outage_until(&self, until: DateTime<Utc>, status: Option<u16>) {
        self.lock().faults.outage = Some(Outage { until, status });
    }

    /// The next `count` writes (of kind `write`, or any with `None`) take effect and then lose
    /// their answer: the connection closes without one.
    pub fn lose_answer_next(&self, count: u32, write: Option<Write>) {
        self.lock().faults.answer_lost = (count > 0).then_some(LostAnswers { count, write });
    }

    /// Requests to `endpoint` (method and route, as the statistics name it) fail `count` times
    /// once `skip` of them were served: with `status`, or (`None`) a connection closed without
    /// an answer.
    pub fn fail_route(&self, endpoint: &str, skip: u32, count: u32, status: Option<u16>) {
        self.lock().faults.route = RouteFault::armed(endpoint, skip, count, status);
    }

    /// Removes every scripted fault and the latency.
    pub fn clear_faults(&self) {
        self.lock().faults = Faults::default();
    }

    /// The latency and the fault for the next request.
    pub(crate) fn take_fault(&self, endpoint: &str) -> (Duration, Option<Fault>) {
        let now = self.now();
        let mut inner = self.lock();
        let latency = inner.faults.latency;
        (latency, inner.faults.take(now, endpoint))
    }
}
