//! Quipt's objects, one file per resource. Field names are PascalCase on the wire.

mod carrier;
mod ids;
pub(crate) mod lenient;
mod order;
mod quantity;
mod reference;
mod shipment;

pub use carrier::{Carrier, CarrierMethod};
pub use ids::{LineId, OrderId, PartnerId, WarehouseId};
pub use order::{
    Address, Cancellation, Country, Item, Line, LineAcknowledgement, Order, OrderStatus,
};
pub use quantity::{Money, Quantity};
pub use reference::{Partner, Warehouse};
pub use shipment::{
    AckLine, AckStatus, Acknowledgement, CancelShipment, NewShipment, ShipOutcome, Shipment,
    ShipmentLine,
};

/// A request body as JSON. The bodies hold strings, ids and finite quantities only, so encoding
/// cannot fail.
pub(crate) fn to_json<T: serde::Serialize>(body: &T) -> Vec<u8> {
    serde_json::to_vec(body).expect("request bodies always serialize")
}
