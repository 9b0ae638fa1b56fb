//! The simulator's shared state: the account's records, its rate window, the armed faults and the
//! request statistics behind one lock, and the operations a test or a demo performs on them
//! (what a user does in ShipStation's UI, faults to arm). `control.rs` serves the same operations
//! over HTTP; the rules themselves are in `rules.rs`.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::extract::FromRef;
use chrono::{DateTime, Utc};
use serde_json::Value;

use super::faults::{Faults, GarbledRow};
use super::rate_limit::RateWindow;
use super::records::{
    CarrierRecord, OrderRecord, OrderSnapshot, Records, ServiceRecord, StoreRecord,
    WarehouseRecord, manual_store_name,
};
use super::rules::{ControlError, LabelRequest, MarkShippedRequest, UpsertResult, Write};
use super::stats::RequestStats;
use crate::clock::Clock;
use crate::config::SandboxConfig;
use crate::demo_data;
use crate::faults::{CountedBody, LostAnswers, Outage, RouteFault};

/// Everything behind the lock.
#[derive(Debug)]
pub(crate) struct Account {
    /// The API key and secret the account accepts (Basic auth): the demo's until
    /// [`ShipStationState::set_api_keys`].
    pub api_keys: (String, String),
    pub records: Records,
    pub rate: RateWindow,
    pub faults: Faults,
    pub stats: RequestStats,
}

impl Account {
    /// One order of a create call, with the armed failure pattern; its effect is counted.
    fn upsert(&mut self, order: &Value, now: DateTime<Utc>) -> UpsertResult {
        let result = self
            .records
            .upsert(order, now, self.faults.bulk_fail_matching.as_deref());
        if let Ok(upserted) = result.done {
            self.stats
                .effect(upserted, result.order_number.as_deref().unwrap_or_default());
        }
        result
    }
}

/// Shared state of the ShipStation simulator. Cheap to clone; every clone sees the same account.
///
/// The pub methods are the control API for Rust tests; `/__control/` exposes the same operations
/// over HTTP (see `control.rs`).
#[derive(Debug, Clone)]
pub struct ShipStationState {
    inner: Arc<Mutex<Account>>,
    clock: Clock,
}

impl FromRef<ShipStationState> for Clock {
    fn from_ref(state: &ShipStationState) -> Clock {
        state.clock.clone()
    }
}

impl Default for ShipStationState {
    fn default() -> Self {
        Self::with_demo_data(&SandboxConfig::default())
    }
}

impl ShipStationState {
    /// Seeds the demo account (SPEC §5): the stores (all manual, one inactive), warehouses and
    /// carriers of [`demo_data`], no orders (they come from the connector), and a rate window of
    /// `config.rate_window`, its clock starting at `config.clock_start`.
    pub fn with_demo_data(config: &SandboxConfig) -> Self {
        Self::seeded(config, Clock::starting_at(config.clock_start))
    }

    /// [`Self::with_demo_data`] on a given clock.
    pub(crate) fn seeded(config: &SandboxConfig, clock: Clock) -> Self {
        let stores = demo_data::SHIPSTATION_STORES
            .iter()
            .map(|&(store_id, name, active)| StoreRecord {
                store_id,
                store_name: name.to_owned(),
                marketplace_id: 0,
                marketplace_name: manual_store_name(),
                active,
            })
            .collect();
        let warehouses = demo_data::SHIPSTATION_WAREHOUSES
            .iter()
            .enumerate()
            .map(|(index, &(warehouse_id, name))| WarehouseRecord {
                warehouse_id,
                warehouse_name: name.to_owned(),
                is_default: index == 0,
            })
            .collect();
        let carriers = demo_data::SHIPSTATION_CARRIERS
            .iter()
            .enumerate()
            .map(|(index, &(code, name, services))| CarrierRecord {
                code: code.to_owned(),
                name: name.to_owned(),
                account_number: Some(format!("DEMO{:04}", index + 1)),
                primary: true,
                services: services
                    .iter()
                    .map(|&(code, name)| ServiceRecord {
                        code: code.to_owned(),
                        name: name.to_owned(),
                        domestic: !code.contains("worldwide"),
                        international: code.contains("worldwide"),
                    })
                    .collect(),
            })
            .collect();
        let account = Account {
            api_keys: (
                demo_data::SHIPSTATION_API_KEY.to_owned(),
                demo_data::SHIPSTATION_API_SECRET.to_owned(),
            ),
            records: Records::new(stores, warehouses, carriers),
            rate: RateWindow::new(config.rate_window),
            faults: Faults::default(),
            stats: RequestStats::default(),
        };
        Self {
            inner: Arc::new(Mutex::new(account)),
            clock,
        }
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Account> {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The account's API key pair is replaced (as its owner does in ShipStation's settings): only
    /// the new pair is accepted from now on. Tests give a "real" account keys of its own, so that a
    /// demo's keys reaching it would be refused.
    pub fn set_api_keys(&self, key: &str, secret: &str) {
        self.lock().api_keys = (key.to_owned(), secret.to_owned());
    }

    /// The simulator's clock (a clone sharing it): read it, or advance it.
    pub fn clock(&self) -> Clock {
        self.clock.clone()
    }

    /// The simulated now.
    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// The instant the rate window is measured in.
    pub(crate) fn instant(&self) -> Instant {
        self.clock.instant()
    }

    /// Creates or updates each order of a `createorders` call (the API's bulk write) and counts
    /// the effects.
    pub(crate) fn upsert_orders(&self, orders: &[Value]) -> Vec<UpsertResult> {
        let now = self.now();
        let mut account = self.lock();
        orders
            .iter()
            .map(|order| account.upsert(order, now))
            .collect()
    }

    /// Creates or updates the order of a `createorder` call and counts the effect; with the order
    /// as it now renders.
    pub(crate) fn upsert_order(&self, order: &Value) -> (UpsertResult, Option<Value>) {
        let now = self.now();
        let mut account = self.lock();
        let result = account.upsert(order, now);
        let rendered = result
            .order_id
            .and_then(|id| account.records.orders.get(&id))
            .map(OrderRecord::render);
        (result, rendered)
    }

    // ----- reference data -------------------------------------------------------------------

    /// Replaces the account's stores (as if the user edited them in the UI).
    pub fn set_stores(&self, stores: Vec<StoreRecord>) {
        self.lock().records.stores = stores;
    }

    /// Activates or deactivates a store (drift tests: a configured store was deactivated).
    ///
    /// # Errors
    /// [`ControlError::StoreNotFound`].
    pub fn set_store_active(&self, store_id: i64, active: bool) -> Result<(), ControlError> {
        self.lock().records.set_store_active(store_id, active)
    }

    /// Replaces the account's warehouses.
    pub fn set_warehouses(&self, warehouses: Vec<WarehouseRecord>) {
        self.lock().records.warehouses = warehouses;
    }

    /// Removes a warehouse; returns whether it existed.
    pub fn remove_warehouse(&self, warehouse_id: i64) -> bool {
        let warehouses = &mut self.lock().records.warehouses;
        let before = warehouses.len();
        warehouses.retain(|w| w.warehouse_id != warehouse_id);
        warehouses.len() != before
    }

    /// The connected carriers (and their services).
    pub fn carriers(&self) -> Vec<CarrierRecord> {
        self.lock().records.carriers.clone()
    }

    /// Replaces the connected carriers (and their services).
    pub fn set_carriers(&self, carriers: Vec<CarrierRecord>) {
        self.lock().records.carriers = carriers;
    }

    /// Disconnects a carrier; returns whether it was connected.
    pub fn remove_carrier(&self, carrier_code: &str) -> bool {
        let carriers = &mut self.lock().records.carriers;
        let before = carriers.len();
        carriers.retain(|c| c.code != carrier_code);
        carriers.len() != before
    }

    // ----- acting as a ShipStation user -----------------------------------------------------

    /// Creates a label (shipment) for an order, as a user does in the UI. The order becomes
    /// `shipped` once every physical item is on a non-voided label. Returns the `shipmentId`.
    ///
    /// # Errors
    /// Unknown or deleted order; a package line that is not on the order or already shipped.
    pub fn create_label(&self, order_id: i64, label: LabelRequest) -> Result<i64, ControlError> {
        let now = self.now();
        self.lock().records.create_label(order_id, label, now)
    }

    /// Voids a label. An order that was shipped by labels and is no longer fully covered goes back
    /// to `awaiting_shipment`.
    ///
    /// # Errors
    /// [`ControlError::ShipmentNotFound`].
    pub fn void_shipment(&self, shipment_id: i64) -> Result<(), ControlError> {
        let now = self.now();
        self.lock().records.void_shipment(shipment_id, now)
    }

    /// "Mark as Shipped": creates a fulfillment (no label) and sets the order `shipped`. Returns the
    /// `fulfillmentId`.
    ///
    /// # Errors
    /// [`ControlError::OrderNotFound`].
    pub fn mark_shipped(
        &self,
        order_id: i64,
        request: MarkShippedRequest,
    ) -> Result<i64, ControlError> {
        let now = self.now();
        self.lock().records.mark_shipped(order_id, request, now)
    }

    /// Cancels an order as a user would (status `cancelled`).
    ///
    /// # Errors
    /// [`ControlError::OrderNotFound`].
    pub fn cancel_order(&self, order_id: i64) -> Result<(), ControlError> {
        let now = self.now();
        self.lock().records.cancel_order(order_id, now)
    }

    /// Edits an order as a user does in ShipStation's UI: each of `fields` (camelCase, e.g.
    /// `weight`, `packageCode`, `customerNotes`) replaces the order's own.
    ///
    /// # Errors
    /// [`ControlError::OrderNotFound`].
    pub fn edit_order(
        &self,
        order_id: i64,
        fields: serde_json::Map<String, serde_json::Value>,
    ) -> Result<(), ControlError> {
        let now = self.now();
        self.lock().records.edit_order(order_id, fields, now)
    }

    /// Deletes an order as a user would: it becomes inactive, hidden from lists and `GET` (404).
    ///
    /// # Errors
    /// [`ControlError::OrderNotFound`].
    pub fn delete_order(&self, order_id: i64) -> Result<(), ControlError> {
        let now = self.now();
        self.lock().records.delete_order(order_id, now)
    }

    /// Splits an order: the items whose `lineItemKey` (or `sku`) is listed move to a new child order
    /// that keeps the `orderNumber`; both carry `mergedOrSplit = true` and the child has `parentId`.
    /// The child gets its own generated `orderKey`. Returns the child's `orderId`.
    ///
    /// # Errors
    /// Unknown order, or a split that moves nothing or everything.
    pub fn split_order(
        &self,
        order_id: i64,
        line_item_keys: &[String],
    ) -> Result<i64, ControlError> {
        let now = self.now();
        self.lock()
            .records
            .split_order(order_id, line_item_keys, now)
    }

    /// Every order, including deleted ones, in `orderId` order (for test assertions).
    pub fn all_orders(&self) -> Vec<OrderSnapshot> {
        self.lock()
            .records
            .orders
            .values()
            .map(OrderRecord::snapshot)
            .collect()
    }

    // ----- statistics and faults ------------------------------------------------------------

    /// API request statistics and create effects since the start or the last
    /// [`Self::reset_stats`].
    pub fn stats(&self) -> RequestStats {
        self.lock().stats.clone()
    }

    /// Zeroes the request statistics and the effect counts.
    pub fn reset_stats(&self) {
        self.lock().stats = RequestStats::default();
    }

    /// Answers the next `count` API requests with `status` (e.g. 500 or 503) and an error body.
    pub fn fail_next(&self, count: u32, status: u16) {
        self.lock().faults.fail_next = (count > 0).then_some((count, status));
    }

    /// Closes the next `count` API connections without sending a response.
    pub fn drop_next(&self, count: u32) {
        self.lock().faults.drop_next = count;
    }

    /// Delays every API response by `latency` (zero turns it off).
    pub fn set_latency(&self, latency: Duration) {
        self.lock().faults.latency = latency;
    }

    /// Another application used the key: nothing remains until the current window resets.
    pub fn drain_budget(&self) {
        let now = self.instant();
        self.lock().rate.drain(now);
    }

    /// Whether a create holds an order with a poison number ([`Faults::poison_order_numbers`]).
    pub(crate) fn poisons(&self, orders: &[Value]) -> bool {
        let account = self.lock();
        let poisons = &account.faults.poison_order_numbers;
        orders.iter().any(|o| {
            o.get("orderNumber")
                .and_then(Value::as_str)
                .is_some_and(|n| poisons.iter().any(|p| p == n))
        })
    }

    /// Any list page or create holding an order with this number answers 500; `None` turns it
    /// off.
    pub fn set_poison_order_number(&self, order_number: Option<String>) {
        self.set_poison_order_numbers(order_number.into_iter().collect());
    }

    /// Any list page or create holding an order with one of these numbers answers 500; none
    /// turns it off.
    pub fn set_poison_order_numbers(&self, order_numbers: Vec<String>) {
        self.lock().faults.poison_order_numbers = order_numbers;
    }

    /// Inserts `null` rows into every order, shipment and fulfillment list page.
    pub fn set_null_rows(&self, on: bool) {
        self.lock().faults.null_rows = on;
    }

    /// Listed rows of `garbled.order_number` carry `garbled.value` at `garbled.pointer` from now
    /// on (added to any garbled before; [`Self::clear_faults`] ends them all).
    pub fn garble_rows(&self, garbled: GarbledRow) {
        self.lock().faults.garbled_rows.push(garbled);
    }

    /// Creates fail (per order, HTTP 200, `success: false`) for orders whose number contains
    /// `pattern`; `None` turns it off.
    pub fn fail_orders_matching(&self, pattern: Option<String>) {
        self.lock().faults.bulk_fail_matching = pattern;
    }

    /// Answers the next `count` API requests with 200 and `body` (malformed-response tests).
    pub fn garbage_next(&self, count: u32, body: String) {
        self.lock().faults.garbage_next = CountedBody::armed(count, body);
    }

    /// Down until the simulated instant `until`: every API request meanwhile gets `status` (e.g.
    /// 503, without rate headers and without using the budget), or with `None` its connection
    /// closed without an answer.
    pub fn outage_until(&self, until: DateTime<Utc>, status: Option<u16>) {
        self.lock().faults.outage = Some(Outage { until, status });
    }

    /// The next `count` create calls (of kind `write`, or either with `None`) that create or
    /// update an order take effect and then lose their answer: the connection closes without one.
    pub fn lose_answer_next(&self, count: u32, write: Option<Write>) {
        self.lock().faults.answer_lost = (count > 0).then_some(LostAnswers { count, write });
    }

    /// Requests to `endpoint` (method and route, as the statistics name it) fail `count` times
    /// once `skip` of them were served: with `status`, or (`None`) a connection closed without
    /// an answer.
    pub fn fail_route(&self, endpoint: &str, skip: u32, count: u32, status: Option<u16>) {
        self.lock().faults.route = RouteFault::armed(endpoint, skip, count, status);
    }

    /// Disarms every fault.
    pub fn clear_faults(&self) {
        self.lock().faults = Faults::default();
    }
}
