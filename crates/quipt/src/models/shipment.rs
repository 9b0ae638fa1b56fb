//! Shipments and the bodies of the write calls (`shared/api/quipt.md`, "Acknowledging, shipping,
//! cancelling"). The paths and field names here are the contract's **(choice)** points: if a live
//! account disagrees, the field names are corrected here and the paths in `paths.rs`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize, Serializer};

use super::carrier::CarrierMethod;
use super::ids::LineId;
use super::lenient::null_as_default;
use super::quantity::Quantity;

/// A shipment (one package) reported to Quipt.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Shipment {
    /// The ShipStation shipment or fulfilment id; Quipt de-duplicates on it.
    #[serde(default, deserialize_with = "null_as_default")]
    pub external_id: String,
    /// When it shipped.
    #[serde(default)]
    pub ship_at: Option<DateTime<Utc>>,
    /// Tracking number.
    #[serde(default)]
    pub tracking_number: Option<String>,
    /// Carrier and service used.
    #[serde(default)]
    pub carrier_method: Option<CarrierMethod>,
    /// What is in the package.
    #[serde(default, deserialize_with = "null_as_default")]
    pub lines: Vec<ShipmentLine>,
    /// Withdrawn because its label was voided.
    #[serde(default, deserialize_with = "null_as_default")]
    pub voided: bool,
}

/// One line of a shipment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ShipmentLine {
    /// The order line.
    pub line_id: LineId,
    /// How many of it.
    #[serde(default, deserialize_with = "null_as_default")]
    pub quantity: Quantity,
}

/// Body of `POST /orders/fulfillment/{id}/shipments`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct NewShipment {
    /// The ShipStation shipment or fulfilment id: repeating it changes nothing.
    pub external_id: String,
    /// When it shipped.
    pub ship_at: DateTime<Utc>,
    /// Tracking number.
    pub tracking_number: String,
    /// Carrier and service (`Code`, `Carrier.Code`).
    pub carrier_method: Option<CarrierMethod>,
    /// What is in the package.
    pub lines: Vec<ShipmentLine>,
}

/// What the ship call answered.
#[derive(Clone, Debug, PartialEq)]
pub struct ShipOutcome {
    /// The shipment as Quipt stores it.
    pub shipment: Shipment,
    /// `true` when Quipt already had a shipment with this `ExternalId` (it answered with a
    /// Warning and changed nothing).
    pub already_existed: bool,
}

/// Body of `POST /orders/fulfillment/{id}/acknowledgements`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Acknowledgement {
    /// One entry per acknowledged line.
    pub lines: Vec<AckLine>,
}

/// One acknowledged line.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AckLine {
    /// The order line.
    pub line_id: LineId,
    /// Accepted or Rejected.
    pub status: AckStatus,
    /// How many.
    pub quantity: Quantity,
}

/// Acknowledgement status, an integer on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AckStatus {
    /// 1: the merchant will fulfil it.
    Accepted = 1,
    /// 2: the merchant will not; this **cancels that quantity and cannot be undone**.
    Rejected = 2,
}

impl Serialize for AckStatus {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(*self as i64)
    }
}

/// Body of `POST /orders/fulfillment/{id}/cancel-shipment` (soft cancel).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CancelShipment {
    /// Why (shown in Quipt).
    pub reason: String,
    /// The ShipStation order id, so a repeated cancel is recognised.
    pub external_id: Option<String>,
}
