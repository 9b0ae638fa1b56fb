//! `GET /stores` rows.

use serde::Deserialize;

use super::ids::StoreId;
use super::null_as_default;

/// A ShipStation store. Stores can only be created in ShipStation's UI; manual stores have
/// `marketplace_id == Some(0)`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Store {
    /// `storeId`.
    pub store_id: StoreId,
    /// `storeName`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub store_name: String,
    /// `marketplaceId` (0 = manual store).
    #[serde(default)]
    pub marketplace_id: Option<i64>,
    /// `marketplaceName`.
    #[serde(default)]
    pub marketplace_name: Option<String>,
    /// `active`; inactive stores must not be offered to the user.
    #[serde(default, deserialize_with = "null_as_default")]
    pub active: bool,
}
