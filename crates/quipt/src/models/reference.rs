//! Reference objects: sales channels ("partners") and warehouses.

use serde::{Deserialize, Serialize};

use super::ids::{PartnerId, WarehouseId};
use super::lenient::null_as_default;

/// A sales channel (Amazon, eBay, …), which Quipt calls a partner.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Partner {
    /// GUID.
    pub id: PartnerId,
    /// Short code.
    #[serde(default, deserialize_with = "null_as_default")]
    pub code: String,
    /// Display name; the settings map channels by this name.
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
}

/// A Quipt warehouse. Its `code` must equal a ShipStation warehouse ID for its orders to be pushed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Warehouse {
    /// GUID.
    pub id: WarehouseId,
    /// The code matched against ShipStation warehouse IDs.
    #[serde(default, deserialize_with = "null_as_default")]
    pub code: String,
    /// Display name.
    #[serde(default, deserialize_with = "null_as_default")]
    pub display_name: String,
}
