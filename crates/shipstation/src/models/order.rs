//! Orders: what the connector writes ([`NewOrder`]), what the API returns ([`Order`]), bulk results
//! and the `GET /orders` query (shipstation.md, "Orders").

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ids::{OrderId, OrderKey, StoreId, WarehouseId};
use super::null_as_default;
use super::pacific_time;

/// `orderStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// `awaiting_payment`.
    AwaitingPayment,
    /// `awaiting_shipment`.
    AwaitingShipment,
    /// `pending_fulfillment`.
    PendingFulfillment,
    /// `shipped`: updates are refused from now on.
    Shipped,
    /// `on_hold`.
    OnHold,
    /// `cancelled`: updates are refused from now on.
    Cancelled,
    /// `rejected_fulfillment` (to be ignored by the connector).
    RejectedFulfillment,
    /// Any status this client does not know; never sent.
    #[default]
    #[serde(other)]
    Unknown,
}

impl OrderStatus {
    /// The wire text, e.g. `awaiting_shipment`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AwaitingPayment => "awaiting_payment",
            Self::AwaitingShipment => "awaiting_shipment",
            Self::PendingFulfillment => "pending_fulfillment",
            Self::Shipped => "shipped",
            Self::OnHold => "on_hold",
            Self::Cancelled => "cancelled",
            Self::RejectedFulfillment => "rejected_fulfillment",
            Self::Unknown => "unknown",
        }
    }

    /// Whether ShipStation refuses updates of an order in this status.
    pub fn is_closed(self) -> bool {
        matches!(self, Self::Shipped | Self::Cancelled)
    }
}

/// An address (`billTo`, `shipTo`). `country` is ISO-2.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Address {
    /// `name`.
    pub name: Option<String>,
    /// `company`.
    pub company: Option<String>,
    /// `street1`.
    pub street1: Option<String>,
    /// `street2`.
    pub street2: Option<String>,
    /// `street3`.
    pub street3: Option<String>,
    /// `city`.
    pub city: Option<String>,
    /// `state`.
    pub state: Option<String>,
    /// `postalCode`.
    pub postal_code: Option<String>,
    /// `country` (ISO-2).
    pub country: Option<String>,
    /// `phone`.
    pub phone: Option<String>,
    /// `residential`.
    pub residential: Option<bool>,
}

/// An order line (`items[]`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderItem {
    /// `lineItemKey`: the caller's key of the line.
    #[serde(default)]
    pub line_item_key: Option<String>,
    /// `sku`.
    #[serde(default)]
    pub sku: Option<String>,
    /// `name` (required, non-empty).
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    /// `quantity` (whole, ≥ 1).
    #[serde(default, deserialize_with = "null_as_default")]
    pub quantity: i64,
    /// `unitPrice`.
    #[serde(default)]
    pub unit_price: Option<f64>,
    /// `taxAmount`.
    #[serde(default)]
    pub tax_amount: Option<f64>,
    /// `adjustment`: true for non-physical lines such as discounts.
    #[serde(default, deserialize_with = "null_as_default")]
    pub adjustment: bool,
}

/// `advancedOptions`. `store_id` is honoured at creation only; `merged_or_split`, `merged_ids` and
/// `parent_id` are read-only (ShipStation ignores them on write).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdvancedOptions {
    /// `warehouseId` (Ship From Location).
    #[serde(default)]
    pub warehouse_id: Option<WarehouseId>,
    /// `storeId`; omitted → the first manual store.
    #[serde(default)]
    pub store_id: Option<StoreId>,
    /// `source`.
    #[serde(default)]
    pub source: Option<String>,
    /// `customField1`.
    #[serde(default)]
    pub custom_field1: Option<String>,
    /// `customField2`.
    #[serde(default)]
    pub custom_field2: Option<String>,
    /// `customField3`.
    #[serde(default)]
    pub custom_field3: Option<String>,
    /// `mergedOrSplit` (read-only): the user merged or split this order; do not overwrite it.
    #[serde(default, deserialize_with = "null_as_default")]
    pub merged_or_split: bool,
    /// `mergedIds` (read-only).
    #[serde(default, deserialize_with = "null_as_default")]
    pub merged_ids: Vec<OrderId>,
    /// `parentId` (read-only): the order this one was split from.
    #[serde(default)]
    pub parent_id: Option<OrderId>,
}

/// How ShipStation's users handle an order beyond what the connector maps from Quipt: ship-by
/// date, notes to the customer, gift, package, confirmation, weight. The connector never sets
/// them from Quipt; it carries them over when it sends ShipStation's own copy back (a status
/// change such as a cancellation), since an update replaces the whole order and would clear them.
/// Unset fields are left out of the body, so the connector's own bodies (and their content
/// hashes) are what they were before these fields were known.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Handling {
    /// `shipByDate`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "pacific_time::optional"
    )]
    pub ship_by_date: Option<DateTime<Utc>>,
    /// `customerNotes`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_notes: Option<String>,
    /// `gift`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gift: Option<bool>,
    /// `giftMessage`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gift_message: Option<String>,
    /// `packageCode`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package_code: Option<String>,
    /// `confirmation`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmation: Option<String>,
    /// `weight`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<Weight>,
}

/// `weight {value, units}` of an order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Weight {
    /// `value`.
    pub value: f64,
    /// `units` (`pounds`, `ounces`, `grams`).
    pub units: String,
}

/// An order as the connector writes it (`POST /orders/createorder(s)`). Creating with a known
/// `order_key` replaces that order entirely: every field left `None` is cleared.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewOrder {
    /// `orderNumber` (≤ 50 chars).
    pub order_number: String,
    /// `orderKey`: the upsert key.
    pub order_key: OrderKey,
    /// `orderDate`.
    #[serde(with = "pacific_time::required")]
    pub order_date: DateTime<Utc>,
    /// `paymentDate`.
    #[serde(serialize_with = "pacific_time::optional::serialize")]
    pub payment_date: Option<DateTime<Utc>>,
    /// `orderStatus`.
    pub order_status: OrderStatus,
    /// `customerEmail`.
    pub customer_email: Option<String>,
    /// `customerUsername`.
    pub customer_username: Option<String>,
    /// `billTo`.
    pub bill_to: Address,
    /// `shipTo`.
    pub ship_to: Address,
    /// `items`.
    pub items: Vec<OrderItem>,
    /// `amountPaid`.
    pub amount_paid: Option<f64>,
    /// `taxAmount`.
    pub tax_amount: Option<f64>,
    /// `shippingAmount`.
    pub shipping_amount: Option<f64>,
    /// `requestedShippingService`.
    pub requested_shipping_service: Option<String>,
    /// `carrierCode`.
    pub carrier_code: Option<String>,
    /// `serviceCode`.
    pub service_code: Option<String>,
    /// `internalNotes`.
    pub internal_notes: Option<String>,
    /// `advancedOptions`.
    pub advanced_options: AdvancedOptions,
    /// What ShipStation's users set (left out when unset).
    #[serde(flatten)]
    pub handling: Handling,
}

/// An order as the API returns it (fields the connector reads; others are ignored).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Order {
    /// `orderId`.
    pub order_id: OrderId,
    /// `orderNumber`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub order_number: String,
    /// `orderKey`.
    #[serde(default)]
    pub order_key: Option<OrderKey>,
    /// `orderStatus`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub order_status: OrderStatus,
    /// `orderDate`.
    #[serde(default, deserialize_with = "pacific_time::optional::deserialize")]
    pub order_date: Option<DateTime<Utc>>,
    /// `createDate`.
    #[serde(default, deserialize_with = "pacific_time::optional::deserialize")]
    pub create_date: Option<DateTime<Utc>>,
    /// `modifyDate`: bumps on every change.
    #[serde(default, deserialize_with = "pacific_time::optional::deserialize")]
    pub modify_date: Option<DateTime<Utc>>,
    /// `paymentDate`.
    #[serde(default, deserialize_with = "pacific_time::optional::deserialize")]
    pub payment_date: Option<DateTime<Utc>>,
    /// `customerEmail`.
    #[serde(default)]
    pub customer_email: Option<String>,
    /// `customerUsername`.
    #[serde(default)]
    pub customer_username: Option<String>,
    /// `billTo`.
    #[serde(default)]
    pub bill_to: Option<Address>,
    /// `shipTo`.
    #[serde(default)]
    pub ship_to: Option<Address>,
    /// `items`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub items: Vec<OrderItem>,
    /// `amountPaid`.
    #[serde(default)]
    pub amount_paid: Option<f64>,
    /// `taxAmount`.
    #[serde(default)]
    pub tax_amount: Option<f64>,
    /// `shippingAmount`.
    #[serde(default)]
    pub shipping_amount: Option<f64>,
    /// `requestedShippingService`.
    #[serde(default)]
    pub requested_shipping_service: Option<String>,
    /// `carrierCode`.
    #[serde(default)]
    pub carrier_code: Option<String>,
    /// `serviceCode`.
    #[serde(default)]
    pub service_code: Option<String>,
    /// `internalNotes`.
    #[serde(default)]
    pub internal_notes: Option<String>,
    /// `advancedOptions`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub advanced_options: AdvancedOptions,
    /// What ShipStation's users set: carried over by [`Order::resend_with_status`].
    #[serde(flatten)]
    pub handling: Handling,
}

impl Order {
    /// The order as [`NewOrder`] with `status`: ShipStation's own copy sent back, for a change of
    /// status only (an update replaces the whole order, so every field the connector writes is
    /// carried over from what ShipStation holds). `None` without an `orderKey` to upsert by.
    pub fn resend_with_status(&self, status: OrderStatus) -> Option<NewOrder> {
        Some(NewOrder {
            order_number: self.order_number.clone(),
            order_key: self.order_key.clone()?,
            order_date: self.order_date.or(self.create_date)?,
            payment_date: self.payment_date,
            order_status: status,
            customer_email: self.customer_email.clone(),
            customer_username: self.customer_username.clone(),
            bill_to: self.bill_to.clone().unwrap_or_default(),
            ship_to: self.ship_to.clone().unwrap_or_default(),
            items: self.items.clone(),
            amount_paid: self.amount_paid,
            tax_amount: self.tax_amount,
            shipping_amount: self.shipping_amount,
            requested_shipping_service: self.requested_shipping_service.clone(),
            carrier_code: self.carrier_code.clone(),
            service_code: self.service_code.clone(),
            internal_notes: self.internal_notes.clone(),
            advanced_options: self.advanced_options.clone(),
            handling: self.handling.clone(),
        })
    }
}

/// The answer of `POST /orders/createorders`: HTTP 200 even when some orders failed.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkResult {
    /// `hasErrors`: at least one order failed.
    #[serde(default, deserialize_with = "null_as_default")]
    pub has_errors: bool,
    /// One result per order sent, in order.
    #[serde(default, deserialize_with = "null_as_default")]
    pub results: Vec<BulkOrderResult>,
}

/// One order's outcome in a bulk create.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkOrderResult {
    /// `orderId`; `None` (or 0 from the real API, mapped to `None`) when nothing was created.
    #[serde(default, deserialize_with = "nonzero_order_id")]
    pub order_id: Option<OrderId>,
    /// `orderNumber`.
    #[serde(default)]
    pub order_number: Option<String>,
    /// `orderKey`.
    #[serde(default)]
    pub order_key: Option<OrderKey>,
    /// `success`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub success: bool,
    /// `errorMessage`, the API's own text, cut short: it becomes the order's reason in the history,
    /// the logs and the UI.
    #[serde(default, deserialize_with = "bounded_message")]
    pub error_message: Option<String>,
}

fn bounded_message<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<String>::deserialize(d)?.map(|m| crate::text::bounded(&m)))
}

fn nonzero_order_id<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<OrderId>, D::Error> {
    Ok(Option::<OrderId>::deserialize(d)?.filter(|id| id.0 != 0))
}

/// `sortBy` of `GET /orders`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    /// `OrderDate`.
    OrderDate,
    /// `ModifyDate`.
    ModifyDate,
    /// `CreateDate`.
    CreateDate,
}

impl SortBy {
    /// The wire text.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OrderDate => "OrderDate",
            Self::ModifyDate => "ModifyDate",
            Self::CreateDate => "CreateDate",
        }
    }
}

/// `sortDir`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortDir {
    /// `ASC`.
    Asc,
    /// `DESC`.
    Desc,
}

impl SortDir {
    /// The wire text.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Asc => "ASC",
            Self::Desc => "DESC",
        }
    }
}

/// Filters of `GET /orders`. `order_number` is a **prefix** match on the API;
/// [`crate::OrdersApi::find_by_number`] compares exactly. Dates are sent as Pacific wall-clock.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OrderQuery {
    /// `orderNumber` (prefix).
    pub order_number: Option<String>,
    /// `orderStatus`.
    pub order_status: Option<OrderStatus>,
    /// `storeId`.
    pub store_id: Option<StoreId>,
    /// `createDateStart`.
    pub create_date_start: Option<DateTime<Utc>>,
    /// `createDateEnd`.
    pub create_date_end: Option<DateTime<Utc>>,
    /// `modifyDateStart`.
    pub modify_date_start: Option<DateTime<Utc>>,
    /// `modifyDateEnd`.
    pub modify_date_end: Option<DateTime<Utc>>,
    /// `sortBy`.
    pub sort_by: Option<SortBy>,
    /// `sortDir`.
    pub sort_dir: Option<SortDir>,
    /// `page` (1-based).
    pub page: Option<u32>,
    /// `pageSize` (≤ 500, API default 100).
    pub page_size: Option<u32>,
}

impl OrderQuery {
    pub(crate) fn to_params(&self) -> Vec<(&'static str, String)> {
        let mut params = Vec::new();
        push(&mut params, "orderNumber", self.order_number.clone());
        push(
            &mut params,
            "orderStatus",
            self.order_status.map(|s| s.as_str().to_owned()),
        );
        push(&mut params, "storeId", self.store_id.map(|s| s.to_string()));
        push_time(&mut params, "createDateStart", self.create_date_start);
        push_time(&mut params, "createDateEnd", self.create_date_end);
        push_time(&mut params, "modifyDateStart", self.modify_date_start);
        push_time(&mut params, "modifyDateEnd", self.modify_date_end);
        push(
            &mut params,
            "sortBy",
            self.sort_by.map(|s| s.as_str().to_owned()),
        );
        push(
            &mut params,
            "sortDir",
            self.sort_dir.map(|s| s.as_str().to_owned()),
        );
        push(&mut params, "page", self.page.map(|p| p.to_string()));
        push(
            &mut params,
            "pageSize",
            self.page_size.map(|p| p.to_string()),
        );
        params
    }
}

pub(crate) fn push(
    params: &mut Vec<(&'static str, String)>,
    name: &'static str,
    value: Option<String>,
) {
    if let Some(value) = value {
        params.push((name, value));
    }
}

pub(crate) fn push_time(
    params: &mut Vec<(&'static str, String)>,
    name: &'static str,
    value: Option<DateTime<Utc>>,
) {
    push(params, name, value.map(pacific_time::format_filter));
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn handling_left_unset_is_left_out_and_set_handling_is_carried_over_on_a_resend() {
        assert_eq!(
            serde_json::to_value(Handling::default()).unwrap(),
            json!({}),
            "unset, nothing is written: the connector's own bodies and their content hashes stay as they were"
        );
        let read: Order = serde_json::from_value(json!({
            "orderId": 5, "orderNumber": "Q-1", "orderKey": "quipt-1",
            "orderDate": "2026-11-24T08:46:27.0000000", "orderStatus": "awaiting_shipment",
            "shipByDate": "2026-11-26T09:00:00.0000000", "weight": {"value": 24.0, "units": "ounces"},
            "packageCode": "flat_rate_envelope", "gift": true
        }))
        .unwrap();
        let resent = serde_json::to_value(
            read.resend_with_status(OrderStatus::Cancelled)
                .expect("an order with a key can be sent back"),
        )
        .unwrap();
        assert_eq!(resent["weight"], json!({"value": 24.0, "units": "ounces"}));
        assert_eq!(resent["packageCode"], "flat_rate_envelope");
        assert_eq!(resent["gift"], true);
        assert_eq!(
            resent["shipByDate"], "2026-11-26T09:00:00.0000000",
            "the ship-by date goes back as ShipStation's Pacific wall clock"
        );
        assert_eq!(resent["orderStatus"], "cancelled");
    }
}
