//! The order as Quipt serves it (`shared/api/quipt.md`, "Orders the merchant must fulfil").
//!
//! Deliberately lenient: every field except `Id` may be missing or `null`, because the engine must
//! be able to *read* a malformed order (no ShipTo, unknown country, zero quantities, no lines, an
//! over-long number) in order to hold it with a reason instead of failing the whole page.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::carrier::CarrierMethod;
use super::ids::{LineId, OrderId};
use super::lenient::null_as_default;
use super::quantity::{Money, Quantity};
use super::reference::{Partner, Warehouse};
use super::shipment::Shipment;

/// Order status, sent as an integer code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OrderStatus {
    /// 2: not cleared by Quipt yet (the guide's "validating").
    Pending,
    /// 4: shipment ready.
    Open,
    /// 8: every line shipped or canceled.
    Shipped,
    /// 16: every line canceled.
    Canceled,
    /// A code this client does not know.
    Other(i64),
}

impl OrderStatus {
    /// The integer code on the wire.
    pub fn code(self) -> i64 {
        match self {
            Self::Pending => 2,
            Self::Open => 4,
            Self::Shipped => 8,
            Self::Canceled => 16,
            Self::Other(code) => code,
        }
    }

    /// The status of a wire code.
    pub fn from_code(code: i64) -> Self {
        match code {
            2 => Self::Pending,
            4 => Self::Open,
            8 => Self::Shipped,
            16 => Self::Canceled,
            other => Self::Other(other),
        }
    }

    /// Shipped or Canceled: Quipt refuses to ship or cancel such an order.
    pub fn is_closed(self) -> bool {
        matches!(self, Self::Shipped | Self::Canceled)
    }
}

impl Serialize for OrderStatus {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(self.code())
    }
}

impl<'de> Deserialize<'de> for OrderStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Self::from_code(i64::deserialize(d)?))
    }
}

/// An order to fulfil.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Order {
    /// GUID.
    pub id: OrderId,
    /// Quipt's order number (may exceed ShipStation's 50 characters).
    #[serde(default, deserialize_with = "null_as_default")]
    pub order_number: String,
    /// Status code.
    pub status: OrderStatus,
    /// When the buyer ordered.
    #[serde(default)]
    pub ordered_at: Option<DateTime<Utc>>,
    /// Last change; the cursor of incremental polling (`modifiedAfter`).
    #[serde(default)]
    pub modified_at: Option<DateTime<Utc>>,
    /// The sales channel.
    #[serde(default)]
    pub partner: Option<Partner>,
    /// The channel's own order number.
    #[serde(default)]
    pub partner_order_number: Option<String>,
    /// The warehouse that must fulfil it.
    #[serde(default)]
    pub warehouse: Option<Warehouse>,
    /// Where to ship.
    #[serde(default)]
    pub ship_to: Option<Address>,
    /// Who pays.
    #[serde(default)]
    pub bill_to: Option<Address>,
    /// Requested carrier and service; `None` is "an order without a carrier/service".
    #[serde(default)]
    pub requested_carrier_method: Option<CarrierMethod>,
    /// The lines.
    #[serde(default, deserialize_with = "null_as_default")]
    pub lines: Vec<Line>,
    /// Shipments reported so far (with `include=Shipments`).
    #[serde(default, deserialize_with = "null_as_default")]
    pub shipments: Vec<Shipment>,
    /// Cancellations so far (with `include=Cancellations`).
    #[serde(default, deserialize_with = "null_as_default")]
    pub cancellations: Vec<Cancellation>,
}

/// A ship-to or bill-to address; `attention` is the person.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[allow(missing_docs)]
pub struct Address {
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
    pub country: Option<Country>,
}

/// A country as Quipt sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Country {
    /// ISO 3166-1 alpha-2 (what ShipStation wants).
    #[serde(rename = "ISO")]
    pub iso: Option<String>,
    /// ISO 3166-1 alpha-3.
    #[serde(rename = "ISO3")]
    pub iso3: Option<String>,
    /// Name.
    #[serde(rename = "Name")]
    pub name: Option<String>,
}

/// An order line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Line {
    /// GUID.
    pub id: LineId,
    /// Position.
    #[serde(default)]
    pub line_number: Option<i64>,
    /// Title shown to the buyer.
    #[serde(default)]
    pub title: Option<String>,
    /// The item sold.
    #[serde(default)]
    pub item: Option<Item>,
    /// Quantity ordered.
    #[serde(default, deserialize_with = "null_as_default")]
    pub ordered: Quantity,
    /// Quantity shipped so far.
    #[serde(default, deserialize_with = "null_as_default")]
    pub shipped: Quantity,
    /// Quantity canceled so far.
    #[serde(default, deserialize_with = "null_as_default")]
    pub canceled: Quantity,
    /// Unit price.
    #[serde(default)]
    pub price: Option<Money>,
    /// Tax.
    #[serde(default)]
    pub tax: Option<Money>,
    /// Line sub-status: 80 Hold, 95 SoftCancel ("Cancelled By Warehouse"), 105 CancelationRequested.
    #[serde(default)]
    pub sub_status: Option<i64>,
    /// The merchant's acknowledgements of this line; present with `include=Acknowledgements`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub acknowledgements: Vec<LineAcknowledgement>,
}

impl Line {
    /// What is neither shipped nor canceled yet (never negative).
    pub fn remaining(&self) -> f64 {
        (self.ordered.value - self.shipped.value - self.canceled.value).max(0.0)
    }

    /// Whether the merchant has accepted this line (an acknowledgement with status 1).
    pub fn is_accepted(&self) -> bool {
        self.acknowledgements.iter().any(|a| a.status == 1)
    }
}

/// One acknowledgement recorded on a line (`Lines[].Acknowledgements[]`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LineAcknowledgement {
    /// 1 Accepted, 2 Rejected.
    #[serde(default)]
    pub status: i64,
    /// The quantity acknowledged.
    #[serde(default, deserialize_with = "null_as_default")]
    pub quantity: Quantity,
    /// When.
    #[serde(default)]
    pub at: Option<DateTime<Utc>>,
}

/// The item a line sells.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Item {
    /// Stock keeping unit.
    #[serde(rename = "SKU")]
    pub sku: Option<String>,
    /// Item title.
    #[serde(rename = "Title")]
    pub title: Option<String>,
}

/// A cancellation recorded on an order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Cancellation {
    /// `"Shipment"` (soft cancel) or `"Quantity"` (hard cancel / rejection).
    #[serde(rename = "Type", default, deserialize_with = "null_as_default")]
    pub kind: String,
    /// Why.
    #[serde(default)]
    pub reason: Option<String>,
    /// The caller's id (for a soft cancel, the ShipStation order or shipment).
    #[serde(default)]
    pub external_id: Option<String>,
    /// When.
    #[serde(default)]
    pub at: Option<DateTime<Utc>>,
}
