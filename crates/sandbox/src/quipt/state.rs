//! In-memory state of the Quipt simulator and the rules that move it: tokens, orders, the rate
//! limit, request statistics and faults. The HTTP layer (`routes.rs`) only translates to and from
//! these methods, so Rust tests can drive the same rules without HTTP.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::faults::{Fault, Faults};
use super::model::*;
use super::oauth::random_token;
use crate::demo_data;

/// Requests per token per window allowed by default (contract choice: 120 per minute).
pub const DEFAULT_RATE_LIMIT: u32 = 120;
/// Length of the default rate window.
pub const DEFAULT_RATE_WINDOW: Duration = Duration::from_secs(60);

/// Shared state of the Quipt simulator. Cheap to clone: every clone sees the same data.
#[derive(Debug, Clone, Default)]
pub struct QuiptState {
    inner: Arc<Mutex<Inner>>,
}

/// Requests the simulator served, outside the control API.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct QuiptStats {
    /// Every API and OAuth request, including refused and faulted ones.
    pub total: u64,
    /// Per endpoint, keyed `"METHOD /path/{pattern}"`.
    pub by_endpoint: BTreeMap<String, u64>,
}

/// Why a control action could not be done.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ControlError {
    /// No order has this id.
    #[error("no order with id {id}")]
    UnknownOrder {
        /// The id asked for.
        id: String,
    },
    /// The order is not in the status the action needs.
    #[error("order {id} is {status}, the action needs it {needed}")]
    WrongStatus {
        /// The order.
        id: String,
        /// Its status name.
        status: &'static str,
        /// The status the action needs.
        needed: &'static str,
    },
}

/// A message of the envelope (`Severity`: 0 Info, 1 Warning, 2 Fatal).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SimMessage {
    /// Machine-readable code.
    pub code: String,
    /// Human text.
    pub text: String,
    /// 0 Info, 1 Warning, 2 Fatal.
    pub severity: i64,
}

impl SimMessage {
    pub(crate) fn fatal(code: &str, text: impl Into<String>) -> Self {
        Self {
            code: code.to_string(),
            text: text.into(),
            severity: 2,
        }
    }
    pub(crate) fn warning(code: &str, text: impl Into<String>) -> Self {
        Self {
            code: code.to_string(),
            text: text.into(),
            severity: 1,
        }
    }
}

/// The result of an API write, before it becomes HTTP.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// 200, `Success: true`, with a result and maybe warnings.
    Done {
        result: serde_json::Value,
        messages: Vec<SimMessage>,
    },
    /// 404.
    NotFound(String),
    /// 400.
    BadRequest(String),
    /// 200, `Success: false`, Severity 2 (the request was understood but the order refuses it).
    Refused(SimMessage),
}

#[derive(Debug, Clone)]
pub(crate) struct RequestTokenEntry {
    pub secret: String,
    pub callback: String,
    pub verifier: Option<String>,
}

#[derive(Debug)]
pub(crate) struct Inner {
    orders: Vec<SimOrder>,
    index: HashMap<String, usize>,
    pub partners: Vec<SimPartner>,
    pub warehouses: Vec<SimWarehouse>,
    pub consumers: HashMap<String, String>,
    pub access_tokens: HashMap<String, String>,
    pub request_tokens: HashMap<String, RequestTokenEntry>,
    rate_limit: u32,
    rate_window: Duration,
    rate_used: HashMap<String, (Instant, u32)>,
    stats: QuiptStats,
    pub faults: Faults,
}

impl Default for Inner {
    fn default() -> Self {
        Self {
            orders: Vec::new(),
            index: HashMap::new(),
            partners: Vec::new(),
            warehouses: Vec::new(),
            consumers: HashMap::from([(
                demo_data::QUIPT_CONSUMER_KEY.to_string(),
                demo_data::QUIPT_CONSUMER_SECRET.to_string(),
            )]),
            access_tokens: HashMap::from([(
                demo_data::QUIPT_ACCESS_TOKEN.to_string(),
                demo_data::QUIPT_ACCESS_TOKEN_SECRET.to_string(),
            )]),
            request_tokens: HashMap::new(),
            rate_limit: DEFAULT_RATE_LIMIT,
            rate_window: DEFAULT_RATE_WINDOW,
            rate_used: HashMap::new(),
            stats: QuiptStats::default(),
            faults: Faults::default(),
        }
    }
}

impl Inner {
    pub fn order_mut(&mut self, id: &str) -> Option<&mut SimOrder> {
        let i = *self.index.get(id)?;
        self.orders.get_mut(i)
    }

    pub fn orders(&self) -> &[SimOrder] {
        &self.orders
    }

    fn insert(&mut self, mut order: SimOrder) -> SimOrder {
        order.fill_ids();
        if let Some(&i) = self.index.get(&order.id) {
            self.orders[i] = order.clone();
        } else {
            self.index.insert(order.id.clone(), self.orders.len());
            self.orders.push(order.clone());
        }
        order
    }

    /// Counts one request of `token`; `Err(retry_after)` when the window's budget is spent.
    pub fn take_rate(&mut self, token: &str, now: Instant) -> Result<(), Duration> {
        let (limit, window) = (self.rate_limit, self.rate_window);
        let slot = self.rate_used.entry(token.to_string()).or_insert((now, 0));
        if now.duration_since(slot.0) >= window {
            *slot = (now, 0);
        }
        if slot.1 >= limit {
            return Err(window.saturating_sub(now.duration_since(slot.0)));
        }
        slot.1 += 1;
        Ok(())
    }

    pub fn count(&mut self, endpoint: String) {
        self.stats.total += 1;
        *self.stats.by_endpoint.entry(endpoint).or_default() += 1;
    }
}

/// Body of `POST /orders/fulfillment/{id}/acknowledgements`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct AckBody {
    pub lines: Vec<AckLineBody>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct AckLineBody {
    pub line_id: String,
    pub status: i64,
    pub quantity: SimQuantity,
}

/// Body of `POST /orders/fulfillment/{id}/shipments`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ShipBody {
    pub external_id: String,
    pub ship_at: DateTime<Utc>,
    pub tracking_number: String,
    #[serde(default)]
    pub carrier_method: Option<SimCarrierMethod>,
    pub lines: Vec<SimShipmentLine>,
}

/// Body of `POST /orders/fulfillment/{id}/cancel-shipment`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct CancelShipmentBody {
    pub reason: String,
    #[serde(default)]
    pub external_id: Option<String>,
}

fn closed_refusal(order: &SimOrder, what: &str) -> Option<SimMessage> {
    (order.status == STATUS_SHIPPED || order.status == STATUS_CANCELED).then(|| {
        SimMessage::fatal(
            "OrderClosed",
            format!(
                "Order {} is {}; it cannot be {what}.",
                order.order_number,
                status_name(order.status)
            ),
        )
    })
}

fn to_value<T: Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).expect("simulator objects always serialize")
}

impl QuiptState {
    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock (e.g. a dropped-connection fault) must not poison the
        // simulator for the following requests.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Seeds the demo account: channels, warehouses, the pre-authorized demo token and
    /// `config.orders` generated orders, deterministic from `config.seed`.
    pub fn with_demo_data(config: &crate::SandboxConfig) -> Self {
        let state = Self::default();
        {
            let mut inner = state.lock();
            let (partners, warehouses, orders) =
                super::demo_orders::generate(config.seed, config.orders, now_ms());
            inner.partners = partners;
            inner.warehouses = warehouses;
            for order in orders {
                inner.insert(order);
            }
        }
        state
    }

    // ----- seeding and inspection -------------------------------------------------------------

    /// Inserts (or replaces, by `Id`) an order; a missing `Id` or line `Id` is generated.
    pub fn insert_order(&self, order: SimOrder) -> SimOrder {
        self.lock().insert(order)
    }

    /// Inserts an order given as Quipt JSON (PascalCase; missing fields take defaults).
    ///
    /// # Errors
    /// When the JSON does not have the shape of an order.
    pub fn insert_order_json(
        &self,
        order: serde_json::Value,
    ) -> Result<SimOrder, serde_json::Error> {
        let order: SimOrder = serde_json::from_value(order)?;
        Ok(self.insert_order(order))
    }

    /// One order with everything (shipments, cancellations, line acknowledgements).
    pub fn order(&self, id: &str) -> Option<SimOrder> {
        let inner = self.lock();
        inner.index.get(id).map(|&i| inner.orders[i].clone())
    }

    /// Every order, in insertion order.
    pub fn orders(&self) -> Vec<SimOrder> {
        self.lock().orders.clone()
    }

    /// The warehouses.
    pub fn warehouses(&self) -> Vec<SimWarehouse> {
        self.lock().warehouses.clone()
    }

    /// The sales channels.
    pub fn partners(&self) -> Vec<SimPartner> {
        self.lock().partners.clone()
    }

    // ----- acting as a Quipt user -------------------------------------------------------------

    fn with_order<T>(
        &self,
        id: &str,
        f: impl FnOnce(&mut SimOrder) -> Result<T, ControlError>,
    ) -> Result<T, ControlError> {
        let mut inner = self.lock();
        let order = inner
            .order_mut(id)
            .ok_or_else(|| ControlError::UnknownOrder { id: id.to_string() })?;
        f(order)
    }

    /// Quipt clears an order's validation: Pending (2) → Open (4).
    ///
    /// # Errors
    /// Unknown order, or not Pending.
    pub fn clear_validation(&self, id: &str) -> Result<SimOrder, ControlError> {
        self.with_order(id, |o| {
            if o.status != STATUS_PENDING {
                return Err(ControlError::WrongStatus {
                    id: o.id.clone(),
                    status: status_name(o.status),
                    needed: "Pending",
                });
            }
            o.status = STATUS_OPEN;
            o.touch();
            Ok(o.clone())
        })
    }

    /// A Quipt user cancels the order: every remaining quantity is canceled and it becomes
    /// Canceled (16).
    ///
    /// # Errors
    /// Unknown order, or already Shipped or Canceled.
    pub fn cancel_order(&self, id: &str, reason: &str) -> Result<SimOrder, ControlError> {
        self.with_order(id, |o| {
            if o.status == STATUS_SHIPPED || o.status == STATUS_CANCELED {
                return Err(ControlError::WrongStatus {
                    id: o.id.clone(),
                    status: status_name(o.status),
                    needed: "Pending or Open",
                });
            }
            for line in &mut o.lines {
                line.canceled.value += line.remaining();
            }
            o.cancellations.push(SimCancellation {
                kind: "Quantity".to_string(),
                reason: Some(reason.to_string()),
                external_id: None,
                at: Some(now_ms()),
            });
            o.status = STATUS_CANCELED;
            o.touch();
            Ok(o.clone())
        })
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
        self.with_order(id, |o| {
            o.ship_to = address;
            o.touch();
            Ok(o.clone())
        })
    }

    // ----- OAuth ------------------------------------------------------------------------------

    /// Approves a request token as the demo API user would on the authorization page; returns
    /// the verifier, or `None` for an unknown request token.
    pub fn approve_request_token(&self, request_token: &str) -> Option<String> {
        let mut inner = self.lock();
        let entry = inner.request_tokens.get_mut(request_token)?;
        let verifier = entry.verifier.get_or_insert_with(random_token).clone();
        Some(verifier)
    }

    /// The callback a request token was issued with (`oob` for out-of-band).
    pub fn request_token_callback(&self, request_token: &str) -> Option<String> {
        self.lock()
            .request_tokens
            .get(request_token)
            .map(|e| e.callback.clone())
    }

    /// Adds an access token (as if a user had authorized it).
    pub fn add_access_token(&self, token: &str, secret: &str) {
        self.lock()
            .access_tokens
            .insert(token.to_string(), secret.to_string());
    }

    /// Revokes an access token: its next request is a 401.
    pub fn revoke_access_token(&self, token: &str) {
        self.lock().access_tokens.remove(token);
    }

    // ----- stats, rate limit, faults ----------------------------------------------------------

    /// Requests served since the start or the last [`reset_stats`](Self::reset_stats).
    pub fn stats(&self) -> QuiptStats {
        self.lock().stats.clone()
    }

    /// Forgets the request statistics.
    pub fn reset_stats(&self) {
        self.lock().stats = QuiptStats::default();
    }

    /// Sets the per-token rate limit (default 120 per 60 s); tests shorten the window.
    pub fn set_rate_limit(&self, limit: u32, window: Duration) {
        let mut inner = self.lock();
        inner.rate_limit = limit;
        inner.rate_window = window;
        inner.rate_used.clear();
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

    /// Every API request waits `latency` before being handled.
    pub fn set_latency(&self, latency: Duration) {
        self.lock().faults.latency = latency;
    }

    /// Removes every scripted fault and the latency.
    pub fn clear_faults(&self) {
        self.lock().faults = Faults::default();
    }

    pub(crate) fn take_fault(&self) -> (Duration, Option<Fault>) {
        let mut inner = self.lock();
        let latency = inner.faults.latency;
        (latency, inner.faults.take())
    }

    // ----- API writes (quipt.md "Acknowledging, shipping, cancelling") ------------------------

    pub(crate) fn acknowledge(&self, id: &str, body: AckBody) -> Outcome {
        let mut inner = self.lock();
        let Some(order) = inner.order_mut(id) else {
            return Outcome::NotFound(format!("No order with id {id}."));
        };
        if body.lines.is_empty() {
            return Outcome::BadRequest("Lines must not be empty.".to_string());
        }
        for l in &body.lines {
            if !order.lines.iter().any(|line| line.id == l.line_id) {
                return Outcome::BadRequest(format!("Line {} is not on this order.", l.line_id));
            }
            if l.status != 1 && l.status != 2 {
                return Outcome::BadRequest(format!("Status {} is not 1 or 2.", l.status));
            }
            if l.quantity.value < 0.0 {
                return Outcome::BadRequest("Quantity must not be negative.".to_string());
            }
        }
        let rejects = body.lines.iter().any(|l| l.status == 2);
        let refusal = if rejects {
            closed_refusal(order, "canceled")
        } else if order.status == STATUS_CANCELED {
            closed_refusal(order, "acknowledged")
        } else {
            None
        };
        if let Some(message) = refusal {
            return Outcome::Refused(message);
        }
        let now = now_ms();
        let mut rejected_any = false;
        for l in &body.lines {
            let line = order
                .lines
                .iter_mut()
                .find(|line| line.id == l.line_id)
                .expect("checked");
            let quantity = if l.status == 2 {
                let q = l.quantity.value.min(line.remaining());
                line.canceled.value += q;
                rejected_any |= q > 0.0;
                SimQuantity {
                    units: l.quantity.units,
                    value: q,
                }
            } else {
                l.quantity
            };
            line.acknowledgements.push(SimLineAck {
                status: l.status,
                quantity,
                at: Some(now),
            });
        }
        if rejected_any {
            order.cancellations.push(SimCancellation {
                kind: "Quantity".to_string(),
                reason: Some("Rejected by the merchant".to_string()),
                external_id: None,
                at: Some(now),
            });
            order.settle_status();
        }
        order.touch();
        Outcome::Done {
            result: to_value(&*order),
            messages: Vec::new(),
        }
    }

    pub(crate) fn ship(&self, id: &str, body: ShipBody) -> Outcome {
        let mut inner = self.lock();
        let Some(order) = inner.order_mut(id) else {
            return Outcome::NotFound(format!("No order with id {id}."));
        };
        if body.external_id.trim().is_empty() {
            return Outcome::BadRequest("ExternalId is required.".to_string());
        }
        // Idempotency comes first: a retried call after the order became Shipped must still get
        // its shipment back, not an error.
        if let Some(existing) = order
            .shipments
            .iter()
            .find(|s| s.external_id == body.external_id)
        {
            return Outcome::Done {
                result: to_value(existing),
                messages: vec![SimMessage::warning(
                    "DuplicateExternalId",
                    format!(
                        "A shipment with ExternalId {} already exists; nothing was changed.",
                        body.external_id
                    ),
                )],
            };
        }
        if let Some(message) = closed_refusal(order, "shipped") {
            return Outcome::Refused(message);
        }
        if order.status == STATUS_PENDING {
            return Outcome::Refused(SimMessage::fatal(
                "OrderNotReady",
                format!("Order {} is still Pending validation.", order.order_number),
            ));
        }
        if body.lines.is_empty() {
            return Outcome::BadRequest("Lines must not be empty.".to_string());
        }
        for l in &body.lines {
            let Some(line) = order.lines.iter().find(|line| line.id == l.line_id) else {
                return Outcome::BadRequest(format!("Line {} is not on this order.", l.line_id));
            };
            if l.quantity.value <= 0.0 {
                return Outcome::BadRequest("Quantity must be positive.".to_string());
            }
            let asked: f64 = body
                .lines
                .iter()
                .filter(|x| x.line_id == l.line_id)
                .map(|x| x.quantity.value)
                .sum();
            if asked > line.remaining() {
                return Outcome::BadRequest(format!(
                    "Line {} has {} left to ship, not {asked}.",
                    l.line_id,
                    line.remaining()
                ));
            }
        }
        for l in &body.lines {
            let line = order
                .lines
                .iter_mut()
                .find(|line| line.id == l.line_id)
                .expect("checked");
            line.shipped.value += l.quantity.value;
        }
        let shipment = SimShipment {
            external_id: body.external_id,
            ship_at: Some(body.ship_at),
            tracking_number: Some(body.tracking_number),
            carrier_method: body.carrier_method,
            lines: body.lines,
            voided: false,
        };
        let result = to_value(&shipment);
        order.shipments.push(shipment);
        order.settle_status();
        order.touch();
        Outcome::Done {
            result,
            messages: Vec::new(),
        }
    }

    pub(crate) fn void(&self, id: &str, external_id: &str) -> Outcome {
        let mut inner = self.lock();
        let Some(order) = inner.order_mut(id) else {
            return Outcome::NotFound(format!("No order with id {id}."));
        };
        let Some(i) = order
            .shipments
            .iter()
            .position(|s| s.external_id == external_id)
        else {
            return Outcome::NotFound(format!("No shipment with ExternalId {external_id}."));
        };
        if order.shipments[i].voided {
            return Outcome::Done {
                result: to_value(&order.shipments[i]),
                messages: vec![SimMessage::warning(
                    "AlreadyVoided",
                    format!("Shipment {external_id} was already voided."),
                )],
            };
        }
        if order.status == STATUS_CANCELED {
            return Outcome::Refused(SimMessage::fatal(
                "OrderClosed",
                format!(
                    "Order {} is Canceled; its shipments cannot change.",
                    order.order_number
                ),
            ));
        }
        let lines = order.shipments[i].lines.clone();
        for l in &lines {
            if let Some(line) = order.lines.iter_mut().find(|line| line.id == l.line_id) {
                line.shipped.value = (line.shipped.value - l.quantity.value).max(0.0);
            }
        }
        order.shipments[i].voided = true;
        let result = to_value(&order.shipments[i]);
        order.settle_status();
        order.touch();
        Outcome::Done {
            result,
            messages: Vec::new(),
        }
    }

    pub(crate) fn cancel_shipment(&self, id: &str, body: CancelShipmentBody) -> Outcome {
        let mut inner = self.lock();
        let Some(order) = inner.order_mut(id) else {
            return Outcome::NotFound(format!("No order with id {id}."));
        };
        if body.reason.trim().is_empty() {
            return Outcome::BadRequest("Reason is required.".to_string());
        }
        if let Some(message) = closed_refusal(order, "canceled") {
            return Outcome::Refused(message);
        }
        if let Some(ext) = &body.external_id
            && order
                .cancellations
                .iter()
                .any(|c| c.kind == "Shipment" && c.external_id.as_ref() == Some(ext))
        {
            return Outcome::Done {
                result: to_value(&*order),
                messages: vec![SimMessage::warning(
                    "DuplicateExternalId",
                    format!("The shipment was already canceled for ExternalId {ext}."),
                )],
            };
        }
        for line in &mut order.lines {
            if line.remaining() > 0.0 {
                line.sub_status = Some(SUB_STATUS_SOFT_CANCEL);
            }
        }
        order.cancellations.push(SimCancellation {
            kind: "Shipment".to_string(),
            reason: Some(body.reason),
            external_id: body.external_id,
            at: Some(now_ms()),
        });
        order.touch();
        Outcome::Done {
            result: to_value(&*order),
            messages: Vec::new(),
        }
    }
}
