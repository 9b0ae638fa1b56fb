//! The ShipStation v1 endpoints (shipstation.md). Handlers only translate between HTTP and the
//! state: query parameters in, JSON out; the rules live in `rules.rs`, the gate in `gate.rs`.

use std::collections::HashMap;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Value, json};

use super::pacific;
use super::records::{ORDER_STATUSES, OrderRecord};
use super::responses::{bad_request, error};
use super::rules::Write;
use super::state::{Account, ShipStationState};

/// Most orders one `POST /orders/createorders` accepts.
pub const MAX_BULK_ORDERS: usize = 100;
/// Largest `pageSize` of the list endpoints.
pub const MAX_PAGE_SIZE: usize = 500;
/// `pageSize` when none is given.
pub const DEFAULT_PAGE_SIZE: usize = 100;

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

/// Cuts one page, applies the poison, garbled-row and `null`-row faults, and wraps it as `{key, total, page, pages}`.
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
    let poisons = &account.faults.poison_order_numbers;
    if slice.iter().any(|row| {
        row.get("orderNumber")
            .and_then(Value::as_str)
            .is_some_and(|n| poisons.iter().any(|p| p == n))
    }) {
        return error(StatusCode::INTERNAL_SERVER_ERROR, "An error has occurred.");
    }
    for garbled in &account.faults.garbled_rows {
        for row in &mut slice {
            if row.get("orderNumber").and_then(Value::as_str) == Some(&garbled.order_number)
                && let Some(field) = row.pointer_mut(&garbled.pointer)
            {
                *field = garbled.value.clone();
            }
        }
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
        .records
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
        .records
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
        .records
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
    let Some(carrier) = account.records.carriers.iter().find(|c| c.code == code) else {
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

/// `POST /orders/createorder`: one order; a refused order is a 400 with the reason.
pub async fn create_order(State(state): State<ShipStationState>, body: Bytes) -> Response {
    let Ok(order) = serde_json::from_slice::<Value>(&body) else {
        return bad_request("The request body is not valid JSON");
    };
    if state.poisons(std::slice::from_ref(&order)) {
        return error(StatusCode::INTERNAL_SERVER_ERROR, "An error has occurred.");
    }
    let (result, rendered) = state.upsert_order(&order);
    match (result.done, rendered) {
        (Err(message), _) => bad_request(message),
        (Ok(_), Some(rendered)) => took_effect(Json(rendered).into_response(), Write::CreateOrder),
        (Ok(_), None) => error(StatusCode::INTERNAL_SERVER_ERROR, "An error has occurred."),
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
    if state.poisons(&orders) {
        return error(StatusCode::INTERNAL_SERVER_ERROR, "An error has occurred.");
    }
    let upserted = state.upsert_orders(&orders);
    let any_effect = upserted.iter().any(|result| result.done.is_ok());
    let results: Vec<Value> = upserted
        .into_iter()
        .map(|result| {
            let error = result.done.err();
            json!({
                "orderId": result.order_id, "orderNumber": result.order_number,
                "orderKey": result.order_key, "success": error.is_none(),
                "errorMessage": error
            })
        })
        .collect();
    let has_errors = results.iter().any(|r| r["success"] == json!(false));
    let response = Json(json!({ "hasErrors": has_errors, "results": results })).into_response();
    if any_effect {
        took_effect(response, Write::CreateOrders)
    } else {
        response
    }
}

/// Marks the answer of a write that changed the account, where the gate looks for an armed "answer
/// lost" fault.
fn took_effect(mut response: Response, write: Write) -> Response {
    response.extensions_mut().insert(write);
    response
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
        && !ORDER_STATUSES.contains(&status)
    {
        return bad_request(format!("orderStatus '{status}' is not valid"));
    }
    let prefix = params.text("orderNumber");
    let account = state.lock();
    let mut orders: Vec<&OrderRecord> = account
        .records
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
    match account.records.orders.get(&order_id).filter(|o| o.active) {
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
        .records
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
        .records
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
