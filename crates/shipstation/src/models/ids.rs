//! Identifier newtypes, so that an order id can never be passed where a store id is expected.

use serde::{Deserialize, Serialize};

macro_rules! int_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

int_id!(
    /// ShipStation's `orderId`, assigned by ShipStation when an order is created.
    OrderId
);
int_id!(
    /// `storeId` of a ShipStation store (stores are created in ShipStation's UI only).
    StoreId
);
int_id!(
    /// `warehouseId` of a Ship From Location; the connector's warehouse codes must equal these.
    WarehouseId
);
int_id!(
    /// `shipmentId` of a label.
    ShipmentId
);
int_id!(
    /// `fulfillmentId` of an order marked as shipped without a label.
    FulfillmentId
);

/// `orderKey`: the caller's own key of an order; creating an order with a known key updates it
/// (upsert), so the connector always sends a deterministic one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OrderKey(pub String);

impl std::fmt::Display for OrderKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}
