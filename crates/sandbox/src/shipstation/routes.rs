//! The ShipStation v1 endpoints (shipstation.md) and the gate every API request passes: request
//! statistics, Basic auth, the rate window, then any armed fault.

use std::collections::HashMap;
use std::time::Instant;

use axum::Json;
use axum::body::Bytes;
use axum::extract::connect_info::ConnectInfo;
use axum::extract::{MatchedPath, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Map, Value, json};

use super::faults::{ConnectionHandle, Injected};
use super::pacific;
use super::rate_limit::{Admission, RateHeaders};
use super::state::{Account, OrderRecord, ShipStationState};
use crate::demo_data;

/// Most orders one `POST /orders/createorders` accepts.
pub const MAX_BULK_ORDERS: usize = 100;
/// Largest `pageSize` of the list endpoints.
pub const MAX_PAGE_SIZE: usize = 500;
/// `pageSize` when none is given.
pub const DEFAULT_PAGE_SIZE: usize = 100;

const STATUSES: [&str; 7] = [
    "awaiting_payment",
    "awaiting_shipment",
    "pending_fulfillment",
    "shipped",
    "on_hold",
    "cancelled",
    "rejected_fulfillment",
];

/// ShipStation's loose error body with the given status.
fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "Message": message.into() }))).into_response()
}

fn bad_request(message: impl Into<String>) -> Response {
    error(StatusCode::BAD_REQUEST, message)
}

fn add_rate_headers(response: &mut Response, rate: RateHeaders) {
    let headers = response.headers_mut();
    headers.insert("X-Rate-Limit-Limit", HeaderValue::from(rate.limit));
    headers.insert("X-Rate-Limit-Remaining", HeaderValue::from(rate.remaining));
    headers.insert("X-Rate-Limit-Reset", HeaderValue::from(rate.reset_secs));
}

fn authorized(headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let Some(encoded) = value.strip_prefix("Basic ") else {
        return false;
    };
    let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(encoded.trim()) else {
        return false;
    };
    let expected = format!(
        "{}:{}",
        demo_data::SHIPSTATION_API_KEY,
        demo_data::SHIPSTATION_API_SECRET
    );
    decoded == expected.as_bytes()
}

/// The gate in front of every API route: counts the request, checks Basic auth (401), admits it
/// into the rate window (429 when full), then applies an armed fault. Every answer, 401 and 429
/// included, carries the three rate-limit headers.
pub async fn gate(
    State(state): State<ShipStationState>,
    matched: MatchedPath,
    request: Request,
    next: Next,
) -> Response {
    let endpoint = format!("{} {}", request.method(), matched.as_str());
    let now = Instant::now();
    let (admission, injected, latency, authorized) = {
        let mut account = state.lock();
        account.stats.total += 1;
        *account.stats.per_endpoint.entry(endpoint).or_default() += 1;
        if !authorized(request.headers()) {
            account.stats.unauthorized += 1;
            let rate = account.rate.headers(now);
            (
                Admission::Refused(rate),
                Injected::None,
                std::time::Duration::ZERO,
                false,
            )
        } else {
            let admission = account.rate.admit(now);
            let injected = match admission {
                Admission::Admitted(_) => account.faults.take(),
                Admission::Refused(_) => {
                    account.stats.rate_limited += 1;
                    Injected::None
                }
            };
            (admission, injected, account.faults.latency, true)
        }
    };
    let mut response = match (authorized, admission) {
        (false, Admission::Refused(rate) | Admission::Admitted(rate)) => {
            let mut response = error(
                StatusCode::UNAUTHORIZED,
                "Authorization has been denied for this request.",
            );
            add_rate_headers(&mut response, rate);
            return response;
        }
        (true, Admission::Refused(rate)) => {
            let mut response = (
                StatusCode::TOO_MANY_REQUESTS,
                Json(json!({"message": "Too Many Requests"})),
            )
                .into_response();
            add_rate_headers(&mut response, rate);
            return response;
        }
        (true, Admission::Admitted(rate)) => {
            if !latency.is_zero() {
                tokio::time::sleep(latency).await;
            }
            let mut response = match injected {
                Injected::None => next.run(request).await,
                Injected::Fail(status) => (
                    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                    Json(json!({
                        "Message": "An error has occurred.",
                        "ExceptionMessage": "Simulated server fault",
                        "ExceptionType": "System.Exception"
                    })),
                )
                    .into_response(),
                Injected::Drop => {
                    if let Some(ConnectInfo(connection)) =
                        request.extensions().get::<ConnectInfo<ConnectionHandle>>()
                    {
                        connection.abort();
                    }
                    StatusCode::INTERNAL_SERVER_ERROR.into_response()
                }
                Injected::Garbage(body) => {
                    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
                }
            };
            add_rate_headers(&mut response, rate);
            response
        }
    };
    response
        .headers_mut()
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-cache"));
    response
}

/// A query parameter the API refuses (answered 400 with this message).
#[derive(Debug)]
pub struct Invalid(String);

impl IntoResponse for Invalid {
    fn into_response(self) -> Response {
        bad_request(self.0)
    }
}

/// Query parameters with case-insensitive names, as ASP.NET reads them.
struct Params(HashMap<String, String>);

impl Params {
    fn new(raw: HashMap<String, String>) -> Self {
        Self(
            raw.into_iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), v))
                .collect(),
        )
    }

    fn text(&self, name: &str) -> Option<&str> {
        self.0
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    fn int(&self, name: &str) -> Result<Option<i64>, Invalid> {
        self.text(name)
            .map(|v| {
                v.parse::<i64>()
                    .map_err(|_| Invalid(format!("{name} must be a number")))
            })
            .transpose()
    }

    fn flag(&self, name: &str) -> bool {
        self.text(name)
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }

    fn time(&self, name: &str) -> Result<Option<DateTime<Utc>>, Invalid> {
        self.text(name)
            .map(|v| {
                pacific::parse_filter(v).ok_or_else(|| {
                    Invalid(format!("{name} must be a Pacific time yyyy-MM-dd HH:mm:ss"))
                })
            })
            .transpose()
    }

    fn date(&self, name: &str) -> Result<Option<NaiveDate>, Invalid> {
        self.text(name)
            .map(|v| {
                pacific::parse_date(v)
                    .ok_or_else(|| Invalid(format!("{name} must be a date yyyy-MM-dd")))
            })
            .transpose()
    }

    /// (page, pageSize) with the contract's bounds.
    fn paging(&self) -> Result<(usize, usize), Invalid> {
        let page = self.int("page")?.unwrap_or(1);
        let size = self.int("pageSize")?.unwrap_or(DEFAULT_PAGE_SIZE as i64);
        if page < 1 {
            return Err(Invalid("page must be 1 or more".to_owned()));
        }
        if !(1..=MAX_PAGE_SIZE as i64).contains(&size) {
            return Err(Invalid(format!(
                "pageSize must be between 1 and {MAX_PAGE_SIZE}"
            )));
        }
        Ok((page as usize, size as usize))
    }
}

fn in_range(
    at: Option<DateTime<Utc>>,
    start: Option<DateTime<Utc>>,
    end: Option<DateTime<Utc>>,
) -> bool {
    match at {
        Some(at) => start.is_none_or(|s| at >= s) && end.is_none_or(|e| at <= e),
        None => start.is_none() && end.is_none(),
    }
}

/// Cuts one page, applies the poison and `null`-row faults, and wraps it as `{key, total, page, pages}`.
fn page_response(
    account: &Account,
    key: &str,
    rows: Vec<Value>,
    page: usize,
    size: usize,
) -> Response {
    let total = rows.len();
    let pages = total.div_ceil(size);
    let mut slice: Vec<Value> = rows
        .into_iter()
        .skip((page - 1) * size)
        .take(size)
        .collect();
    if let Some(poison) = &account.faults.poison_order_number
        && slice
            .iter()
            .any(|row| row.get("orderNumber").and_then(Value::as_str) == Some(poison))
    {
        return error(StatusCode::INTERNAL_SERVER_ERROR, "An error has occurred.");
    }
    if account.faults.null_rows {
        // One `null` first and, on a non-empty page, one more in the middle.
        let middle = slice.len() / 2;
        if middle > 0 {
            slice.insert(middle, Value::Null);
        }
        slice.insert(0, Value::Null);
    }
    Json(json!({ key: slice, "total": total, "page": page, "pages": pages })).into_response()
}

/// `GET /stores?showInactive=`.
pub async fn list_stores(
    State(state): State<ShipStationState>,
    Query(raw): Query<HashMap<String, String>>,
) -> Response {
    let params = Params::new(raw);
    let show_inactive = params.flag("showInactive");
    let account = state.lock();
    let stores: Vec<Value> = account
        .stores
        .iter()
        .filter(|store| show_inactive || store.active)
        .map(|store| {
            json!({
                "storeId": store.store_id, "storeName": store.store_name,
                "marketplaceId": store.marketplace_id, "marketplaceName": store.marketplace_name,
                "accountName": null, "email": null, "integrationUrl": null,
                "active": store.active, "companyName": "", "phone": "", "publicEmail": "",
                "website": "", "autoRefresh": false, "statusMappings": null
            })
        })
        .collect();
    Json(stores).into_response()
}

/// `GET /warehouses`.
pub async fn list_warehouses(State(state): State<ShipStationState>) -> Response {
    let account = state.lock();
    let address = |name: &str| {
        json!({"name": name, "company": "Demo Co", "street1": "1 Demo Way", "city": "Reno",
               "state": "NV", "postalCode": "89501", "country": "US", "residential": false})
    };
    let rows: Vec<Value> = account
        .warehouses
        .iter()
        .map(|w| {
            json!({
                "warehouseId": w.warehouse_id, "warehouseName": w.warehouse_name,
                "originAddress": address(&w.warehouse_name), "returnAddress": address(&w.warehouse_name),
                "createDate": "2024-01-02T09:00:00.0000000", "isDefault": w.is_default
            })
        })
        .collect();
    Json(rows).into_response()
}

/// `GET /carriers`.
pub async fn list_carriers(State(state): State<ShipStationState>) -> Response {
    let account = state.lock();
    let rows: Vec<Value> = account
        .carriers
        .iter()
        .enumerate()
        .map(|(index, c)| {
            json!({
                "name": c.name, "code": c.code, "accountNumber": c.account_number,
                "requiresFundedAccount": c.code == "stamps_com", "balance": 100.0,
                "nickname": null, "shippingProviderId": 1000 + index, "primary": c.primary
            })
        })
        .collect();
    Json(rows).into_response()
}

/// `GET /carriers/listservices?carrierCode=`: 400 when the code is missing, 404 when the carrier is
/// not connected.
pub async fn list_services(
    State(state): State<ShipStationState>,
    Query(raw): Query<HashMap<String, String>>,
) -> Response {
    let params = Params::new(raw);
    let Some(code) = params.text("carrierCode") else {
        return bad_request("carrierCode is required");
    };
    let account = state.lock();
    let Some(carrier) = account.carriers.iter().find(|c| c.code == code) else {
        return error(
            StatusCode::NOT_FOUND,
            format!("Carrier '{code}' is not connected"),
        );
    };
    let rows: Vec<Value> = carrier
        .services
        .iter()
        .map(|s| {
            json!({"carrierCode": carrier.code, "code": s.code, "name": s.name,
                   "domestic": s.domestic, "international": s.international})
        })
        .collect();
    Json(rows).into_response()
}

/// Checks one order of a create call; the error text goes to `errorMessage`.
fn validate(order: &Value) -> Result<(&Map<String, Value>, DateTime<Utc>), String> {
    let object = order.as_object().ok_or("The order must be a JSON object")?;
    let number = object
        .get("orderNumber")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if number.trim().is_empty() {
        return Err("orderNumber is required".into());
    }
    if number.chars().count() > 50 {
        return Err("orderNumber must be at most 50 characters".into());
    }
    let order_date = object
        .get("orderDate")
        .and_then(Value::as_str)
        .ok_or("orderDate is required")?;
    let order_date = pacific::parse_timestamp(order_date)
        .ok_or_else(|| format!("orderDate '{order_date}' is not a valid date"))?;
    let status = object
        .get("orderStatus")
        .and_then(Value::as_str)
        .ok_or("orderStatus is required")?;
    if !STATUSES.contains(&status) {
        return Err(format!("orderStatus '{status}' is not valid"));
    }
    for address in ["billTo", "shipTo"] {
        if !object.get(address).is_some_and(Value::is_object) {
            return Err(format!("{address} is required"));
        }
    }
    match object.get("items") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for (index, item) in items.iter().enumerate() {
                let name = item.get("name").and_then(Value::as_str).unwrap_or_default();
                if name.trim().is_empty() {
                    return Err(format!("items[{index}].name is required"));
                }
                let quantity = item.get("quantity");
                let whole = quantity.and_then(Value::as_i64).or_else(|| {
                    quantity
                        .and_then(Value::as_f64)
                        .filter(|q| q.fract() == 0.0)
                        .map(|q| q as i64)
                });
                if whole.is_none_or(|q| q < 1) {
                    return Err(format!(
                        "items[{index}].quantity must be a whole number of at least 1"
                    ));
                }
            }
        }
        Some(_) => return Err("items must be an array".into()),
    }
    Ok((object, order_date))
}

/// What one create did: the order id and whether it was refused.
struct Outcome {
    order_id: Option<i64>,
    order_number: Option<String>,
    order_key: Option<String>,
    error: Option<String>,
}

/// Creates or updates (upsert by `orderKey`, full replace) one order.
fn upsert(account: &mut Account, order: &Value) -> Outcome {
    let number = order
        .get("orderNumber")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let key = order
        .get("orderKey")
        .and_then(Value::as_str)
        .filter(|k| !k.is_empty())
        .map(str::to_owned);
    let refused = |order_id: Option<i64>, message: String| Outcome {
        order_id,
        order_number: number.clone(),
        order_key: key.clone(),
        error: Some(message),
    };
    let (object, order_date) = match validate(order) {
        Ok(valid) => valid,
        Err(message) => return refused(None, message),
    };
    if let (Some(pattern), Some(number)) = (&account.faults.bulk_fail_matching, &number)
        && number.contains(pattern.as_str())
    {
        return refused(None, format!("Simulated failure for order {number}"));
    }
    let mut body = object.clone();
    for server_owned in [
        "orderId",
        "orderKey",
        "orderNumber",
        "orderStatus",
        "orderDate",
        "createDate",
        "modifyDate",
        "orderTotal",
    ] {
        body.remove(server_owned);
    }
    let status = object
        .get("orderStatus")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let number_text = number.clone().unwrap_or_default();
    let existing = key
        .as_ref()
        .and_then(|key| account.active_order_by_key(key));
    let now = account.change_time();
    if let Some(order_id) = existing {
        let Some(record) = account.orders.get_mut(&order_id) else {
            return refused(None, "order vanished".into());
        };
        if record.status == "shipped" || record.status == "cancelled" {
            return refused(
                Some(order_id),
                format!(
                    "Order {} is {} and can no longer be updated",
                    record.order_number, record.status
                ),
            );
        }
        record.body = body;
        record.order_number = number_text;
        record.status = status;
        record.order_date = order_date;
        record.modify_date = now;
        record.writes += 1;
        return Outcome {
            order_id: Some(order_id),
            order_number: number,
            order_key: key,
            error: None,
        };
    }
    let store_id = match body
        .get("advancedOptions")
        .and_then(|a| a.get("storeId"))
        .and_then(Value::as_i64)
    {
        Some(store_id) if account.stores.iter().any(|s| s.store_id == store_id) => store_id,
        Some(store_id) => return refused(None, format!("storeId {store_id} does not exist")),
        None => account.default_store_id(),
    };
    let order_id = account.next_order_id;
    account.next_order_id += 1;
    let order_key = key
        .clone()
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    account.insert_order(OrderRecord {
        order_id,
        body,
        order_key: order_key.clone(),
        order_number: number_text,
        status,
        store_id,
        order_date,
        create_date: now,
        modify_date: now,
        active: true,
        merged_or_split: false,
        merged_ids: Vec::new(),
        parent_id: None,
        writes: 1,
    });
    Outcome {
        order_id: Some(order_id),
        order_number: number,
        order_key: Some(order_key),
        error: None,
    }
}

/// `POST /orders/createorder`: one order; a refused order is a 400 with the reason.
pub async fn create_order(State(state): State<ShipStationState>, body: Bytes) -> Response {
    let Ok(order) = serde_json::from_slice::<Value>(&body) else {
        return bad_request("The request body is not valid JSON");
    };
    let mut account = state.lock();
    let outcome = upsert(&mut account, &order);
    match (
        outcome.error,
        outcome.order_id.and_then(|id| account.orders.get(&id)),
    ) {
        (None, Some(record)) => Json(record.render()).into_response(),
        (Some(message), _) => bad_request(message),
        (None, None) => error(StatusCode::INTERNAL_SERVER_ERROR, "An error has occurred."),
    }
}

/// `POST /orders/createorders`: at most 100 orders; HTTP 200 with a per-order result even when some
/// failed (the contract's choice); a malformed body is a 400 for the whole call.
pub async fn create_orders(State(state): State<ShipStationState>, body: Bytes) -> Response {
    let Ok(Value::Array(orders)) = serde_json::from_slice::<Value>(&body) else {
        return bad_request("The request body must be a JSON array of orders");
    };
    if orders.len() > MAX_BULK_ORDERS {
        return bad_request(format!(
            "At most {MAX_BULK_ORDERS} orders per call; got {}",
            orders.len()
        ));
    }
    let mut account = state.lock();
    let results: Vec<Value> = orders
        .iter()
        .map(|order| {
            let outcome = upsert(&mut account, order);
            json!({
                "orderId": outcome.order_id, "orderNumber": outcome.order_number,
                "orderKey": outcome.order_key, "success": outcome.error.is_none(),
                "errorMessage": outcome.error
            })
        })
        .collect();
    let has_errors = results.iter().any(|r| r["success"] == json!(false));
    Json(json!({ "hasErrors": has_errors, "results": results })).into_response()
}

/// `GET /orders` with the contract's filters; `orderNumber` is a prefix match. Without `sortBy` the
/// orders come in `orderId` order.
pub async fn list_orders(
    State(state): State<ShipStationState>,
    Query(raw): Query<HashMap<String, String>>,
) -> Response {
    let params = Params::new(raw);
    let filters = (|| {
        Ok::<_, Invalid>((
            params.int("storeId")?,
            params.time("createDateStart")?,
            params.time("createDateEnd")?,
            params.time("modifyDateStart")?,
            params.time("modifyDateEnd")?,
            params.time("orderDateStart")?,
            params.time("orderDateEnd")?,
            params.paging()?,
        ))
    })();
    let (
        store_id,
        create_start,
        create_end,
        modify_start,
        modify_end,
        order_start,
        order_end,
        (page, size),
    ) = match filters {
        Ok(filters) => filters,
        Err(invalid) => return invalid.into_response(),
    };
    let status = params.text("orderStatus");
    if let Some(status) = status
        && !STATUSES.contains(&status)
    {
        return bad_request(format!("orderStatus '{status}' is not valid"));
    }
    let prefix = params.text("orderNumber");
    let account = state.lock();
    let mut orders: Vec<&OrderRecord> = account
        .orders
        .values()
        .filter(|o| o.active)
        .filter(|o| prefix.is_none_or(|p| o.order_number.starts_with(p)))
        .filter(|o| status.is_none_or(|s| o.status == s))
        .filter(|o| store_id.is_none_or(|s| o.store_id == s))
        .filter(|o| in_range(Some(o.create_date), create_start, create_end))
        .filter(|o| in_range(Some(o.modify_date), modify_start, modify_end))
        .filter(|o| in_range(Some(o.order_date), order_start, order_end))
        .collect();
    let sort_by = params.text("sortBy").map(str::to_ascii_lowercase);
    match sort_by.as_deref() {
        None => {}
        Some("orderdate") => orders.sort_by_key(|o| (o.order_date, o.order_id)),
        Some("modifydate") => orders.sort_by_key(|o| (o.modify_date, o.order_id)),
        Some("createdate") => orders.sort_by_key(|o| (o.create_date, o.order_id)),
        Some(other) => return bad_request(format!("sortBy '{other}' is not valid")),
    }
    match params
        .text("sortDir")
        .map(str::to_ascii_uppercase)
        .as_deref()
    {
        None | Some("ASC") => {}
        Some("DESC") => orders.reverse(),
        Some(other) => return bad_request(format!("sortDir '{other}' is not valid")),
    }
    let rows = orders.into_iter().map(OrderRecord::render).collect();
    page_response(&account, "orders", rows, page, size)
}

/// `GET /orders/{orderId}`: 404 for unknown and deleted orders.
pub async fn get_order(
    State(state): State<ShipStationState>,
    Path(order_id): Path<i64>,
) -> Response {
    let account = state.lock();
    match account.orders.get(&order_id).filter(|o| o.active) {
        Some(order) => Json(order.render()).into_response(),
        None => error(
            StatusCode::NOT_FOUND,
            format!("The order {order_id} was not found"),
        ),
    }
}

/// `DELETE /orders/{orderId}`: the order becomes inactive.
pub async fn delete_order(
    State(state): State<ShipStationState>,
    Path(order_id): Path<i64>,
) -> Response {
    match state.delete_order(order_id) {
        Ok(()) => {
            Json(json!({"success": true, "message": "The requested order has been deleted."}))
                .into_response()
        }
        Err(_) => error(
            StatusCode::NOT_FOUND,
            format!("The order {order_id} was not found"),
        ),
    }
}

/// `GET /shipments` with the contract's filters (`orderNumber` exact here).
pub async fn list_shipments(
    State(state): State<ShipStationState>,
    Query(raw): Query<HashMap<String, String>>,
) -> Response {
    let params = Params::new(raw);
    let filters = (|| {
        Ok::<_, Invalid>((
            params.time("createDateStart")?,
            params.time("createDateEnd")?,
            params.date("shipDateStart")?,
            params.date("shipDateEnd")?,
            params.time("voidDateStart")?,
            params.time("voidDateEnd")?,
            params.int("orderId")?,
            params.int("storeId")?,
            params.paging()?,
        ))
    })();
    let (
        create_start,
        create_end,
        ship_start,
        ship_end,
        void_start,
        void_end,
        order_id,
        store_id,
        (page, size),
    ) = match filters {
        Ok(filters) => filters,
        Err(invalid) => return invalid.into_response(),
    };
    let number = params.text("orderNumber");
    let include_items = params.flag("includeShipmentItems");
    let account = state.lock();
    let rows = account
        .shipments
        .iter()
        .filter(|s| in_range(Some(s.create_date), create_start, create_end))
        .filter(|s| {
            ship_start.is_none_or(|d| s.ship_date >= d) && ship_end.is_none_or(|d| s.ship_date <= d)
        })
        .filter(|s| in_range(s.void_date, void_start, void_end))
        .filter(|s| order_id.is_none_or(|id| s.order_id == id))
        .filter(|s| number.is_none_or(|n| s.order_number == n))
        .filter(|s| store_id.is_none_or(|id| s.store_id == id))
        .map(|s| s.render(include_items))
        .collect();
    page_response(&account, "shipments", rows, page, size)
}

/// `GET /fulfillments` with the contract's filters.
pub async fn list_fulfillments(
    State(state): State<ShipStationState>,
    Query(raw): Query<HashMap<String, String>>,
) -> Response {
    let params = Params::new(raw);
    let filters = (|| {
        Ok::<_, Invalid>((
            params.time("createDateStart")?,
            params.time("createDateEnd")?,
            params.date("shipDateStart")?,
            params.date("shipDateEnd")?,
            params.int("orderId")?,
            params.paging()?,
        ))
    })();
    let (create_start, create_end, ship_start, ship_end, order_id, (page, size)) = match filters {
        Ok(filters) => filters,
        Err(invalid) => return invalid.into_response(),
    };
    let number = params.text("orderNumber");
    let account = state.lock();
    let rows = account
        .fulfillments
        .iter()
        .filter(|f| in_range(Some(f.create_date), create_start, create_end))
        .filter(|f| {
            ship_start.is_none_or(|d| f.ship_date >= d) && ship_end.is_none_or(|d| f.ship_date <= d)
        })
        .filter(|f| order_id.is_none_or(|id| f.order_id == id))
        .filter(|f| number.is_none_or(|n| f.order_number == n))
        .map(|f| f.render())
        .collect();
    page_response(&account, "fulfillments", rows, page, size)
}
