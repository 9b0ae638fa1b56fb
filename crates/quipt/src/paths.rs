//! Every path and query-parameter name of the contract, in one place. Most are **(choice)** points
//! of `shared/api/quipt.md` (the public docs do not settle them): if a live account disagrees, this
//! file (and the field names in `models/shipment.rs`) is what changes.

use crate::signing::percent_encode;

/// API path prefix, appended to `QUIPT_API_URL`.
pub(crate) const API_PREFIX: &str = "/v2";

/// The orders to fulfil, as a listing (the page size and number follow in the path).
pub(crate) const ORDERS: &str = "/orders/fulfillment";

/// `GET /orders/fulfillment/{pageSize}/{pageNumber}`.
pub(crate) fn orders_page(page_size: u32, page_number: u32) -> String {
    format!("{ORDERS}/{page_size}/{page_number}")
}

/// `GET /orders/fulfillment/id/{id}`.
pub(crate) fn order(id: &str) -> String {
    format!("/orders/fulfillment/id/{}", percent_encode(id))
}

/// `POST /orders/fulfillment/{id}/acknowledgements` (choice).
pub(crate) fn acknowledgements(id: &str) -> String {
    format!(
        "/orders/fulfillment/{}/acknowledgements",
        percent_encode(id)
    )
}

/// `POST /orders/fulfillment/{id}/shipments` (choice).
pub(crate) fn shipments(id: &str) -> String {
    format!("/orders/fulfillment/{}/shipments", percent_encode(id))
}

/// `POST /orders/fulfillment/{id}/shipments/{externalId}/void` (choice).
pub(crate) fn void_shipment(id: &str, external_id: &str) -> String {
    format!(
        "/orders/fulfillment/{}/shipments/{}/void",
        percent_encode(id),
        percent_encode(external_id)
    )
}

/// `POST /orders/fulfillment/{id}/cancel-shipment` (choice).
pub(crate) fn cancel_shipment(id: &str) -> String {
    format!("/orders/fulfillment/{}/cancel-shipment", percent_encode(id))
}

/// `GET /warehouses` (choice).
pub(crate) const WAREHOUSES: &str = "/warehouses";
/// `GET /partners` (choice).
pub(crate) const PARTNERS: &str = "/partners";

/// Query: comma-separated status codes.
pub(crate) const Q_ORDER_STATUS: &str = "orderStatus";
/// Query: comma-separated warehouse GUIDs (choice).
pub(crate) const Q_WAREHOUSE_IDS: &str = "warehouseIds";
/// Query: ISO 8601 timestamp (choice).
pub(crate) const Q_MODIFIED_AFTER: &str = "modifiedAfter";
/// Query: comma-separated includes.
pub(crate) const Q_INCLUDE: &str = "include";

/// OAuth step 1, on the app host.
pub(crate) const OAUTH_INITIATE: &str = "/oauth/initiate";
/// OAuth step 3, on the app host.
pub(crate) const OAUTH_TOKEN: &str = "/oauth/token";
/// OAuth step 2: the page the user's browser opens (a fragment route of Quipt's web app).
pub(crate) const OAUTH_AUTHORIZE_PAGE: &str = "/#/oauth/authorizing";
