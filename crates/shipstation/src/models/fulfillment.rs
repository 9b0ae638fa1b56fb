//! `GET /fulfillments`: orders marked as shipped without a ShipStation label. Tracking for these
//! orders only ever appears here; there is no `orderKey`, so join on `order_id`.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;

use super::ids::{FulfillmentId, OrderId};
use super::null_as_default;
use super::order::{push, push_time};
use super::pacific_time;

/// A fulfillment.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Fulfillment {
    /// `fulfillmentId`.
    pub fulfillment_id: FulfillmentId,
    /// `orderId`.
    pub order_id: OrderId,
    /// `orderNumber`.
    #[serde(default)]
    pub order_number: Option<String>,
    /// `createDate`.
    #[serde(default, deserialize_with = "pacific_time::optional::deserialize")]
    pub create_date: Option<DateTime<Utc>>,
    /// `shipDate`.
    #[serde(default, deserialize_with = "pacific_time::optional_date::deserialize")]
    pub ship_date: Option<NaiveDate>,
    /// `trackingNumber`.
    #[serde(default)]
    pub tracking_number: Option<String>,
    /// `carrierCode`.
    #[serde(default)]
    pub carrier_code: Option<String>,
    /// `voided`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub voided: bool,
}

/// Filters of `GET /fulfillments`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FulfillmentQuery {
    /// `createDateStart`.
    pub create_date_start: Option<DateTime<Utc>>,
    /// `createDateEnd`.
    pub create_date_end: Option<DateTime<Utc>>,
    /// `shipDateStart`.
    pub ship_date_start: Option<NaiveDate>,
    /// `shipDateEnd`.
    pub ship_date_end: Option<NaiveDate>,
    /// `orderId`.
    pub order_id: Option<OrderId>,
    /// `orderNumber`.
    pub order_number: Option<String>,
    /// `page` (1-based).
    pub page: Option<u32>,
    /// `pageSize` (≤ 500).
    pub page_size: Option<u32>,
}

impl FulfillmentQuery {
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
        push(
            &mut params,
            "orderId",
            self.order_id.map(|id| id.to_string()),
        );
        push(&mut params, "orderNumber", self.order_number.clone());
        push(&mut params, "page", self.page.map(|p| p.to_string()));
        push(
            &mut params,
            "pageSize",
            self.page_size.map(|p| p.to_string()),
        );
        params
    }
}
