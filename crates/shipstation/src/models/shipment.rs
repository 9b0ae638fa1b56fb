//! `GET /shipments`: labels created in ShipStation (shipstation.md, "Shipments and fulfillments").

use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;

use super::ids::{OrderId, OrderKey, ShipmentId, StoreId, WarehouseId};
use super::null_as_default;
use super::order::{push, push_time};
use super::pacific_time;

/// A label. It may be voided later (`voided`), after its tracking was already reported.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Shipment {
    /// `shipmentId`.
    pub shipment_id: ShipmentId,
    /// `orderId`.
    pub order_id: OrderId,
    /// `orderKey`.
    #[serde(default)]
    pub order_key: Option<OrderKey>,
    /// `orderNumber`.
    #[serde(default)]
    pub order_number: Option<String>,
    /// `createDate`.
    #[serde(default, deserialize_with = "pacific_time::optional::deserialize")]
    pub create_date: Option<DateTime<Utc>>,
    /// `shipDate` (a date).
    #[serde(default, deserialize_with = "pacific_time::optional_date::deserialize")]
    pub ship_date: Option<NaiveDate>,
    /// `trackingNumber`.
    #[serde(default)]
    pub tracking_number: Option<String>,
    /// `carrierCode`.
    #[serde(default)]
    pub carrier_code: Option<String>,
    /// `serviceCode`.
    #[serde(default)]
    pub service_code: Option<String>,
    /// `warehouseId`.
    #[serde(default)]
    pub warehouse_id: Option<WarehouseId>,
    /// `voided`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub voided: bool,
    /// `voidDate`.
    #[serde(default, deserialize_with = "pacific_time::optional::deserialize")]
    pub void_date: Option<DateTime<Utc>>,
    /// `shipmentItems` (empty unless `include_shipment_items` was asked for).
    #[serde(default, deserialize_with = "null_as_default")]
    pub shipment_items: Vec<ShipmentItem>,
}

/// One line of a label's package.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShipmentItem {
    /// `lineItemKey`.
    #[serde(default)]
    pub line_item_key: Option<String>,
    /// `sku`.
    #[serde(default)]
    pub sku: Option<String>,
    /// `quantity`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub quantity: i64,
}

/// Filters of `GET /shipments`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ShipmentQuery {
    /// `createDateStart`.
    pub create_date_start: Option<DateTime<Utc>>,
    /// `createDateEnd`.
    pub create_date_end: Option<DateTime<Utc>>,
    /// `shipDateStart`.
    pub ship_date_start: Option<NaiveDate>,
    /// `shipDateEnd`.
    pub ship_date_end: Option<NaiveDate>,
    /// `voidDateStart`.
    pub void_date_start: Option<DateTime<Utc>>,
    /// `voidDateEnd`.
    pub void_date_end: Option<DateTime<Utc>>,
    /// `orderId`.
    pub order_id: Option<OrderId>,
    /// `orderNumber`.
    pub order_number: Option<String>,
    /// `storeId`.
    pub store_id: Option<StoreId>,
    /// `includeShipmentItems`.
    pub include_shipment_items: bool,
    /// `page` (1-based).
    pub page: Option<u32>,
    /// `pageSize` (≤ 500).
    pub page_size: Option<u32>,
}

impl ShipmentQuery {
    pub(crate) fn to_params(&self) -> Vec<(&'static str, String)> {
        let mut params = Vec::new();
        push_time(&mut params, "createDateStart", self.create_date_start);
        push_time(&mut params, "createDateEnd", self.create_date_end);
        push(
            &mut params,
            "shipDateStart",
            self.ship_date_start.map(pacific_time::format_date),
        );
        push(
            &mut params,
            "shipDateEnd",
            self.ship_date_end.map(pacific_time::format_date),
        );
        push_time(&mut params, "voidDateStart", self.void_date_start);
        push_time(&mut params, "voidDateEnd", self.void_date_end);
        push(
            &mut params,
            "orderId",
            self.order_id.map(|id| id.to_string()),
        );
        push(&mut params, "orderNumber", self.order_number.clone());
        push(
            &mut params,
            "storeId",
            self.store_id.map(|id| id.to_string()),
        );
        if self.include_shipment_items {
            params.push(("includeShipmentItems", "true".to_owned()));
        }
        push(&mut params, "page", self.page.map(|p| p.to_string()));
        push(
            &mut params,
            "pageSize",
            self.page_size.map(|p| p.to_string()),
        );
        params
    }
}
