//! `GET /warehouses` rows.

use serde::Deserialize;

use super::ids::WarehouseId;
use super::null_as_default;

/// A Ship From Location. There is no separate warehouse code: the connector's code must equal
/// `warehouse_id`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Warehouse {
    /// `warehouseId`.
    pub warehouse_id: WarehouseId,
    /// `warehouseName`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub warehouse_name: String,
    /// `isDefault`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub is_default: bool,
}
