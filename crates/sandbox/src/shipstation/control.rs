//! The control API under `/__control/` (not part of ShipStation): seed reference data, act as a user
//! in ShipStation's UI, inject faults, read statistics. No auth, not rate-limited, not counted. Each
//! route calls the [`ShipStationState`] method of the same name.
//!
//! | Route | Method |
//! |---|---|
//! | `GET /__control/orders` | [`ShipStationState::all_orders`] |
//! | `PUT /__control/api-keys {"key","secret"}` | [`ShipStationState::set_api_keys`] |
//! | `GET /__control/stats`, `POST /__control/stats/reset` | `stats`, `reset_stats` |
//! | `PUT /__control/stores` (array), `POST /__control/stores/{id}/active {"active":bool}` | `set_stores`, `set_store_active` |
//! | `PUT /__control/warehouses` (array), `DELETE /__control/warehouses/{id}` | `set_warehouses`, `remove_warehouse` |
//! | `PUT /__control/carriers` (array), `DELETE /__control/carriers/{code}` | `set_carriers`, `remove_carrier` |
//! | `POST /__control/orders/{id}/label` ([`LabelRequest`]) → `{"shipmentId"}` | `create_label` |
//! | `POST /__control/shipments/{id}/void` | `void_shipment` |
//! | `POST /__control/orders/{id}/mark-shipped` ([`MarkShippedRequest`]) → `{"fulfillmentId"}` | `mark_shipped` |
//! | `POST /__control/orders/{id}/cancel`, `POST /__control/orders/{id}/delete` | `cancel_order`, `delete_order` |
//! | `POST /__control/orders/{id}/edit` (an object of camelCase fields, e.g. `{"weight": {…}}`) | `edit_order` |
//! | `POST /__control/orders/{id}/split {"lineItemKeys":[..]}` → `{"orderId"}` | `split_order` |
//! | `POST /__control/faults` ([`FaultsRequest`]: `failNext`, `dropNext`, `latencyMs`, `drainBudget`, `poisonOrderNumber`, `nullRows`, `garbleRows {orderNumber, pointer, value}`, `failOrdersMatching`, `garbageNext`, `outage {until, status?}`, `loseAnswerNext {count, write?}`, `failRoute {endpoint, skip?, count, status?}`), `DELETE /__control/faults` | fault setters (`outage_until`, `lose_answer_next`, …), `clear_faults` |
//! | `GET /__control/clock`, `POST /__control/clock {"seconds": n}` or `{"to": instant}` | [`ShipStationState::clock`] ([`crate::clock`]) |
//!
//! `GET /__control/stats` also carries `effects`: per `orderNumber`, how many times a create call
//! `created` the order and how many times it `updated` it ([`crate::shipstation::Effects`]).

use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use super::faults::GarbledRow;
use super::records::{CarrierRecord, StoreRecord, WarehouseRecord};
use super::rules::{ControlError, LabelRequest, MarkShippedRequest, Write};
use super::state::ShipStationState;
use crate::clock;
use crate::faults::{CountedBody, LostAnswers, Outage, RouteFault};

/// Faults to arm with `POST /__control/faults`; only the fields present change.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FaultsRequest {
    /// `{"count": n, "status": 503}`: the next n API requests answer that status.
    pub fail_next: Option<CountedStatus>,
    /// Drop the next n connections without a response.
    pub drop_next: Option<u32>,
    /// Delay every API response by this many milliseconds.
    pub latency_ms: Option<u64>,
    /// Use up the rate budget until the window resets.
    pub drain_budget: bool,
    /// Poison order number (empty string turns it off).
    pub poison_order_number: Option<String>,
    /// Insert `null` rows into lists.
    pub null_rows: Option<bool>,
    /// Garble one field of an order number's listed rows ([`GarbledRow`]).
    pub garble_rows: Option<GarbledRow>,
    /// Fail creates of orders whose number contains this (empty string turns it off).
    pub fail_orders_matching: Option<String>,
    /// `{"count": n, "body": "..."}`: the next n API requests answer 200 with this body.
    pub garbage_next: Option<CountedBody>,
    /// `{"until": "<ISO instant>", "status": 503}`: down until that simulated instant (without
    /// `status`, connections close without an answer).
    pub outage: Option<Outage>,
    /// `{"count": n, "write": "createorders"|"createorder"}`: the next n create calls (of that
    /// kind, or either) take effect and then lose their answer.
    pub lose_answer_next: Option<LostAnswers<Write>>,
    /// `{"endpoint": "POST /orders/createorders", "skip": 1, "count": 1, "status": 500}`: requests
    /// to that endpoint fail once `skip` were served (without `status`, connections close).
    pub fail_route: Option<RouteFault>,
}

/// A count and a status.
#[derive(Debug, Clone, Deserialize)]
pub struct CountedStatus {
    /// How many requests.
    pub count: u32,
    /// Which status.
    pub status: u16,
}

#[derive(Debug, Deserialize)]
struct ApiKeysRequest {
    key: String,
    secret: String,
}

#[derive(Debug, Deserialize)]
struct ActiveRequest {
    active: bool,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SplitRequest {
    line_item_keys: Vec<String>,
}

impl IntoResponse for ControlError {
    fn into_response(self) -> Response {
        let status = match self {
            ControlError::OrderNotFound { .. }
            | ControlError::ShipmentNotFound { .. }
            | ControlError::StoreNotFound { .. } => StatusCode::NOT_FOUND,
            ControlError::NothingToShip { .. } | ControlError::InvalidSplit { .. } => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
        };
        (status, Json(json!({ "error": self.to_string() }))).into_response()
    }
}

fn done() -> Response {
    Json(json!({"ok": true})).into_response()
}

/// The control routes, to be merged next to the API routes.
pub fn router() -> Router<ShipStationState> {
    Router::new()
        .route("/__control/orders", get(|State(s): State<ShipStationState>| async move { Json(s.all_orders()) }))
        .route("/__control/stats", get(|State(s): State<ShipStationState>| async move { Json(s.stats()) }))
        .route(
            "/__control/stats/reset",
            post(|State(s): State<ShipStationState>| async move {
                s.reset_stats();
                done()
            }),
        )
        .route(
            "/__control/api-keys",
            put(|State(s): State<ShipStationState>, Json(r): Json<ApiKeysRequest>| async move {
                s.set_api_keys(&r.key, &r.secret);
                done()
            }),
        )
        .route(
            "/__control/stores",
            put(|State(s): State<ShipStationState>, Json(stores): Json<Vec<StoreRecord>>| async move {
                s.set_stores(stores);
                done()
            }),
        )
        .route(
            "/__control/stores/{id}/active",
            post(
                |State(s): State<ShipStationState>, Path(id): Path<i64>, Json(r): Json<ActiveRequest>| async move {
                    s.set_store_active(id, r.active).map(|()| done())
                },
            ),
        )
        .route(
            "/__control/warehouses",
            put(|State(s): State<ShipStationState>, Json(w): Json<Vec<WarehouseRecord>>| async move {
                s.set_warehouses(w);
                done()
            }),
        )
        .route(
            "/__control/warehouses/{id}",
            delete(|State(s): State<ShipStationState>, Path(id): Path<i64>| async move {
                Json(json!({"removed": s.remove_warehouse(id)}))
            }),
        )
        .route(
            "/__control/carriers",
            put(|State(s): State<ShipStationState>, Json(c): Json<Vec<CarrierRecord>>| async move {
                s.set_carriers(c);
                done()
            }),
        )
        .route(
            "/__control/carriers/{code}",
            delete(|State(s): State<ShipStationState>, Path(code): Path<String>| async move {
                Json(json!({"removed": s.remove_carrier(&code)}))
            }),
        )
        .route(
            "/__control/orders/{id}/label",
            post(
                |State(s): State<ShipStationState>, Path(id): Path<i64>, Json(r): Json<LabelRequest>| async move {
                    s.create_label(id, r).map(|shipment_id| Json(json!({"shipmentId": shipment_id})))
                },
            ),
        )
        .route(
            "/__control/shipments/{id}/void",
            post(|State(s): State<ShipStationState>, Path(id): Path<i64>| async move {
                s.void_shipment(id).map(|()| done())
            }),
        )
        .route(
            "/__control/orders/{id}/mark-shipped",
            post(
                |State(s): State<ShipStationState>, Path(id): Path<i64>, Json(r): Json<MarkShippedRequest>| async move {
                    s.mark_shipped(id, r).map(|fid| Json(json!({"fulfillmentId": fid})))
                },
            ),
        )
        .route(
            "/__control/orders/{id}/cancel",
            post(|State(s): State<ShipStationState>, Path(id): Path<i64>| async move {
                s.cancel_order(id).map(|()| done())
            }),
        )
        .route(
            "/__control/orders/{id}/edit",
            post(
                |State(s): State<ShipStationState>, Path(id): Path<i64>, Json(fields): Json<serde_json::Map<String, serde_json::Value>>| async move {
                    s.edit_order(id, fields).map(|()| done())
                },
            ),
        )
        .route(
            "/__control/orders/{id}/delete",
            post(|State(s): State<ShipStationState>, Path(id): Path<i64>| async move {
                s.delete_order(id).map(|()| done())
            }),
        )
        .route(
            "/__control/orders/{id}/split",
            post(
                |State(s): State<ShipStationState>, Path(id): Path<i64>, Json(r): Json<SplitRequest>| async move {
                    s.split_order(id, &r.line_item_keys).map(|child| Json(json!({"orderId": child})))
                },
            ),
        )
        .merge(clock::router())
        .route("/__control/faults", post(arm_faults).delete(|State(s): State<ShipStationState>| async move {
            s.clear_faults();
            done()
        }))
}

async fn arm_faults(State(s): State<ShipStationState>, Json(r): Json<FaultsRequest>) -> Response {
    if let Some(fail) = r.fail_next {
        s.fail_next(fail.count, fail.status);
    }
    if let Some(count) = r.drop_next {
        s.drop_next(count);
    }
    if let Some(ms) = r.latency_ms {
        s.set_latency(Duration::from_millis(ms));
    }
    if r.drain_budget {
        s.drain_budget();
    }
    if let Some(number) = r.poison_order_number {
        s.set_poison_order_number(Some(number).filter(|n| !n.is_empty()));
    }
    if let Some(on) = r.null_rows {
        s.set_null_rows(on);
    }
    if let Some(garbled) = r.garble_rows {
        s.garble_rows(garbled);
    }
    if let Some(pattern) = r.fail_orders_matching {
        s.fail_orders_matching(Some(pattern).filter(|p| !p.is_empty()));
    }
    if let Some(garbage) = r.garbage_next {
        s.garbage_next(garbage.count, garbage.body);
    }
    if let Some(outage) = r.outage {
        s.outage_until(outage.until, outage.status);
    }
    if let Some(lose) = r.lose_answer_next {
        s.lose_answer_next(lose.count, lose.write);
    }
    if let Some(route) = r.fail_route {
        s.fail_route(&route.endpoint, route.skip, route.count, route.status);
    }
    done()
}
