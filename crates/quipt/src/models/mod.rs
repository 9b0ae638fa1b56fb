//! Quipt's objects, one file per resource. Field names are PascalCase on the wire.

mod ids;
pub(crate) mod lenient;
mod order;
mod quantity;
mod reference;
mod shipment;

pub use ids::{LineId, OrderId, PartnerId, WarehouseId};
pub use order::{
    Address, Cancellation, Carrier, CarrierMethod, Country, Item, Line, LineAcknowledgement, Order,
    OrderStatus,
};
pub use quantity::{Money, Quantity};
pub use reference::{Partner, Warehouse};
pub use shipment::{
    AckLine, AckStatus, Acknowledgement, CancelShipment, NewShipment, ShipOutcome, Shipment,
    ShipmentLine,
};
