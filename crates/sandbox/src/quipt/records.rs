//! What the simulated Quipt account holds: orders, channels ("partners"), warehouses and OAuth
//! tokens, in the simulator's own reading of Quipt's objects (`shared/api/quipt.md`, "Orders the
//! merchant must fulfil"). These are written from the contract, not from the client crate, so a
//! misreading cannot hide in both. Every field defaults, so a test can seed a partial (or
//! deliberately malformed) order. Plain data and look-ups; the rules that change them are in
//! `rules.rs`.

use std::collections::HashMap;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize, Serializer};

use crate::demo_data;

/// Order status: not cleared yet ("validating").
pub const STATUS_PENDING: i64 = 2;
/// Order status: shipment ready.
pub const STATUS_OPEN: i64 = 4;
/// Order status: every line shipped or canceled, something shipped.
pub const STATUS_SHIPPED: i64 = 8;
/// Order status: every line canceled.
pub const STATUS_CANCELED: i64 = 16;
/// Line sub-status "Cancelled By Warehouse", set by a soft cancel.
pub const SUB_STATUS_SOFT_CANCEL: i64 = 95;

/// Real now, truncated to milliseconds (see [`to_millis`]); what an order built in Rust without
/// timestamps gets. The simulator itself reads its clock instead.
pub fn now_ms() -> DateTime<Utc> {
    to_millis(Utc::now())
}

/// An instant truncated to milliseconds: timestamps are sent with millisecond precision, so an
/// order's stored `ModifiedAt` must equal what a client reads back, or `modifiedAfter` would be off
/// by a hair.
pub fn to_millis(at: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(at.timestamp_millis()).unwrap_or(at)
}

/// A fresh GUID.
pub fn new_guid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Serializes a timestamp as ISO 8601 UTC with `Z` and milliseconds (the contract's choice).
pub fn ser_time<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&t.to_rfc3339_opts(SecondsFormat::Millis, true))
}

fn ser_opt_time<S: Serializer>(t: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => ser_time(t, s),
        None => s.serialize_none(),
    }
}

/// A quantity `{"Units": 0, "Value": n}` (0 = Each).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct SimQuantity {
    /// Unit code; 0 = Each.
    pub units: i64,
    /// Amount.
    pub value: f64,
}

impl SimQuantity {
    /// `n` units of Each.
    pub fn each(n: f64) -> Self {
        Self { units: 0, value: n }
    }
}

/// Money `{"Units": 0, "Value": x}` (0 = USD).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct SimMoney {
    /// Currency code; 0 = USD.
    pub units: i64,
    /// Amount.
    pub value: f64,
}

/// A sales channel ("partner").
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct SimPartner {
    /// GUID.
    pub id: String,
    /// Short code, e.g. `AMZ`.
    pub code: String,
    /// Display name, e.g. `Amazon`.
    pub name: String,
}

/// A Quipt warehouse; its `Code` must equal a ShipStation warehouse ID to be matched.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct SimWarehouse {
    /// GUID.
    pub id: String,
    /// Code (a ShipStation warehouse ID when matched).
    pub code: String,
    /// Display name.
    pub display_name: String,
}

/// Country of an address.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SimCountry {
    /// ISO 3166 alpha-2.
    #[serde(rename = "ISO")]
    pub iso: Option<String>,
    /// ISO 3166 alpha-3.
    #[serde(rename = "ISO3")]
    pub iso3: Option<String>,
    /// Name.
    #[serde(rename = "Name")]
    pub name: Option<String>,
}

/// A ship-to or bill-to address (`Attention` is the person).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[allow(missing_docs)]
pub struct SimAddress {
    pub company: Option<String>,
    pub attention: Option<String>,
    pub phone_number: Option<String>,
    pub email_address: Option<String>,
    pub street_line1: Option<String>,
    pub street_line2: Option<String>,
    pub street_line3: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub postal_code: Option<String>,
    pub country: Option<SimCountry>,
}

/// A carrier `{Code, Name}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct SimCarrier {
    /// `UPS`, `FEDEX`, `USPS` or `DHL`.
    pub code: Option<String>,
    /// Display name.
    pub name: Option<String>,
}

/// A carrier method (service) `{Code, Name, Carrier}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct SimCarrierMethod {
    /// Method code, e.g. `USPS_PRIORITY`.
    pub code: Option<String>,
    /// Display name.
    pub name: Option<String>,
    /// The carrier.
    pub carrier: Option<SimCarrier>,
}

/// The item a line sells.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SimItem {
    /// Stock keeping unit.
    #[serde(rename = "SKU")]
    pub sku: Option<String>,
    /// Item title.
    #[serde(rename = "Title")]
    pub title: Option<String>,
}

/// One acknowledgement recorded on a line.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct SimLineAck {
    /// 1 Accepted, 2 Rejected.
    pub status: i64,
    /// Quantity acknowledged.
    pub quantity: SimQuantity,
    /// When.
    #[serde(serialize_with = "ser_opt_time")]
    pub at: Option<DateTime<Utc>>,
}

/// An order line.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[allow(missing_docs)]
pub struct SimLine {
    pub id: String,
    pub line_number: Option<i64>,
    pub title: Option<String>,
    pub item: Option<SimItem>,
    pub ordered: SimQuantity,
    pub shipped: SimQuantity,
    pub canceled: SimQuantity,
    pub price: Option<SimMoney>,
    pub tax: Option<SimMoney>,
    pub sub_status: Option<i64>,
    pub acknowledgements: Vec<SimLineAck>,
}

impl SimLine {
    /// What is neither shipped nor canceled yet (never negative).
    pub fn remaining(&self) -> f64 {
        (self.ordered.value - self.shipped.value - self.canceled.value).max(0.0)
    }
}

/// A shipment line.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct SimShipmentLine {
    /// The order line.
    pub line_id: String,
    /// Quantity in this package.
    pub quantity: SimQuantity,
}

/// A shipment (one package) reported by the merchant.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[allow(missing_docs)]
pub struct SimShipment {
    pub external_id: String,
    #[serde(serialize_with = "ser_opt_time")]
    pub ship_at: Option<DateTime<Utc>>,
    pub tracking_number: Option<String>,
    pub carrier_method: Option<SimCarrierMethod>,
    pub lines: Vec<SimShipmentLine>,
    pub voided: bool,
}

/// A cancellation `{Type: "Shipment"|"Quantity", Reason, ExternalId, At}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[allow(missing_docs)]
pub struct SimCancellation {
    #[serde(rename = "Type")]
    pub kind: String,
    pub reason: Option<String>,
    pub external_id: Option<String>,
    #[serde(serialize_with = "ser_opt_time")]
    pub at: Option<DateTime<Utc>>,
}

/// An order as the simulator stores and serves it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[allow(missing_docs)]
pub struct SimOrder {
    pub id: String,
    pub order_number: String,
    pub status: i64,
    #[serde(serialize_with = "ser_time")]
    pub ordered_at: DateTime<Utc>,
    #[serde(serialize_with = "ser_time")]
    pub modified_at: DateTime<Utc>,
    pub partner: Option<SimPartner>,
    pub partner_order_number: Option<String>,
    pub warehouse: Option<SimWarehouse>,
    pub ship_to: Option<SimAddress>,
    pub bill_to: Option<SimAddress>,
    pub requested_carrier_method: Option<SimCarrierMethod>,
    pub lines: Vec<SimLine>,
    pub shipments: Vec<SimShipment>,
    pub cancellations: Vec<SimCancellation>,
    /// A fault: values sent in place of the order's own, by JSON pointer into the order as the API
    /// renders it (e.g. `/Lines/0/Ordered/Value` sent as the text `"1"`): an order Quipt sends in
    /// a form the contract does not describe. Never rendered itself.
    #[serde(skip)]
    pub garbled: Vec<(String, serde_json::Value)>,
}

impl Default for SimOrder {
    fn default() -> Self {
        let now = now_ms();
        Self {
            id: new_guid(),
            order_number: String::new(),
            status: STATUS_OPEN,
            ordered_at: now,
            modified_at: now,
            partner: None,
            partner_order_number: None,
            warehouse: None,
            ship_to: None,
            bill_to: None,
            requested_carrier_method: None,
            lines: Vec::new(),
            shipments: Vec::new(),
            cancellations: Vec::new(),
            garbled: Vec::new(),
        }
    }
}

impl SimOrder {
    /// Records a change at `now`: `ModifiedAt` moves forward, strictly, so incremental polling
    /// sees it.
    pub fn touch(&mut self, now: DateTime<Utc>) {
        self.modified_at = if now > self.modified_at {
            now
        } else {
            self.modified_at + chrono::Duration::milliseconds(1)
        };
    }

    /// Gives every line without an id a fresh one, so seeded partial orders are addressable.
    pub(crate) fn fill_ids(&mut self) {
        if self.id.is_empty() {
            self.id = new_guid();
        }
        for line in &mut self.lines {
            if line.id.is_empty() {
                line.id = new_guid();
            }
        }
    }
}

/// Human name of a status code, for messages.
pub fn status_name(status: i64) -> &'static str {
    match status {
        STATUS_PENDING => "Pending",
        STATUS_OPEN => "Open",
        STATUS_SHIPPED => "Shipped",
        STATUS_CANCELED => "Canceled",
        _ => "in an unknown status",
    }
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

/// The account's orders (with an index by `Id`), channels and warehouses.
#[derive(Debug, Default)]
pub(crate) struct Records {
    orders: Vec<SimOrder>,
    index: HashMap<String, usize>,
    pub partners: Vec<SimPartner>,
    pub warehouses: Vec<SimWarehouse>,
    /// How many orders were made for `QuiptState::new_orders` (their numbers count on).
    pub new_orders: u64,
}

impl Records {
    pub fn order(&self, id: &str) -> Option<&SimOrder> {
        self.orders.get(*self.index.get(id)?)
    }

    pub fn order_mut(&mut self, id: &str) -> Option<&mut SimOrder> {
        let i = *self.index.get(id)?;
        self.orders.get_mut(i)
    }

    /// Every order, in insertion order.
    pub fn orders(&self) -> &[SimOrder] {
        &self.orders
    }

    /// Removes an order; the orders after it keep their order.
    pub fn remove(&mut self, id: &str) -> Option<SimOrder> {
        let i = self.index.remove(id)?;
        let order = self.orders.remove(i);
        for position in self.index.values_mut().filter(|p| **p > i) {
            *position -= 1;
        }
        Some(order)
    }

    /// Inserts (or replaces, by `Id`) an order, giving missing ids fresh ones.
    pub fn insert(&mut self, mut order: SimOrder) -> SimOrder {
        order.fill_ids();
        if let Some(&i) = self.index.get(&order.id) {
            self.orders[i] = order.clone();
        } else {
            self.index.insert(order.id.clone(), self.orders.len());
            self.orders.push(order.clone());
        }
        order
    }
}

/// A request token between `/oauth/initiate` and `/oauth/token`.
#[derive(Debug, Clone)]
pub(crate) struct RequestTokenEntry {
    pub secret: String,
    pub callback: String,
    pub verifier: Option<String>,
}

/// The OAuth parties the account knows: consumer key → secret, access token → secret, and the
/// request tokens of flows in progress.
#[derive(Debug)]
pub(crate) struct Tokens {
    pub consumers: HashMap<String, String>,
    pub access_tokens: HashMap<String, String>,
    pub request_tokens: HashMap<String, RequestTokenEntry>,
}

impl Default for Tokens {
    /// The demo consumer and the demo API user's pre-authorized access token.
    fn default() -> Self {
        Self {
            consumers: HashMap::from([(
                demo_data::QUIPT_CONSUMER_KEY.to_string(),
                demo_data::QUIPT_CONSUMER_SECRET.to_string(),
            )]),
            access_tokens: HashMap::from([(
                demo_data::QUIPT_ACCESS_TOKEN.to_string(),
                demo_data::QUIPT_ACCESS_TOKEN_SECRET.to_string(),
            )]),
            request_tokens: HashMap::new(),
        }
    }
}
