//! The control API under `/__control/` (not part of Quipt): no auth, no rate limit, not counted,
//! never faulted, so a test can always steer the simulator. Each route calls the [`QuiptState`]
//! method of the same meaning.
//!
//! | Route | Method |
//! |---|---|
//! | `POST /__control/oauth/approve {oauth_token}` → `{verifier}` | [`QuiptState::approve_request_token`] |
//! | `GET /__control/orders`, `GET /__control/orders/{id}` | `orders`, `order` |
//! | `DELETE /__control/orders/{id}` → the order removed | `remove_order` |
//! | `POST /__control/orders` (a Quipt order, PascalCase; no `OrderedAt`/`ModifiedAt`: the simulated now) | `insert_order_json` |
//! | `POST /__control/orders/new {count, partner?, warehouse?, lines, status}` (codes) → the orders | `new_orders` ([`NewOrders`]) |
//! | `POST /__control/partners {Code, Name}` → the channel | `add_partner` |
//! | `POST /__control/orders/{id}/clear-validation` | `clear_validation` |
//! | `POST /__control/orders/{id}/cancel {reason?}` | `cancel_order` |
//! | `PUT /__control/orders/{id}/ship-to <address or null>` | `edit_ship_to` |
//! | `GET /__control/stats`, `POST /__control/stats/reset` | `stats`, `reset_stats` |
//! | `POST /__control/faults {fail_next: {count, status}, drop_next, unsuccessful_next, garbage_next: {count, body}, latency_ms, outage: {until, status?}, lose_answer_next: {count, write?}, fail_route: {endpoint, skip?, count, status?}}`, `DELETE /__control/faults` | fault setters (`outage_until`, `lose_answer_next`, …), `clear_faults` |
//! | `GET /__control/clock`, `POST /__control/clock {"seconds": n}` or `{"to": instant}` | [`QuiptState::clock`] ([`crate::clock`]) |
//! | `POST /__control/rate-limit {limit, window_ms}` | `set_rate_limit` |
//! | `POST /__control/access-tokens {token, secret}`, `DELETE /__control/access-tokens/{token}` | `add_access_token`, `revoke_access_token` |
//!
//! `GET /__control/stats` also carries `effects`: per kind of write (`acknowledge`, `reject`,
//! `ship`, `void`, `cancel_shipment`), order `Id` → how many times it took effect
//! ([`crate::quipt::Effects`]).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use super::demo_orders::NewOrders;
use super::records::{SimAddress, SimOrder};
use super::rules::{ControlError, Write};
use super::state::QuiptState;
use crate::clock;
use crate::faults::{CountedBody, LostAnswers, Outage, RouteFault};

/// The control routes, to be merged next to the API routes.
pub fn router() -> Router<QuiptState> {
    Router::new()
        .route("/__control/oauth/approve", post(control_approve))
        .route(
            "/__control/orders",
            get(control_orders).post(control_insert),
        )
        .route("/__control/orders/new", post(control_new_orders))
        .route("/__control/partners", post(control_add_partner))
        .route(
            "/__control/orders/{id}",
            get(control_order).delete(control_remove),
        )
        .route(
            "/__control/orders/{id}/clear-validation",
            post(control_clear_validation),
        )
        .route("/__control/orders/{id}/cancel", post(control_cancel))
        .route("/__control/orders/{id}/ship-to", put(control_ship_to))
        .merge(clock::router())
        .route("/__control/stats", get(control_stats))
        .route("/__control/stats/reset", post(control_reset_stats))
        .route(
            "/__control/faults",
            post(control_faults).delete(control_clear_faults),
        )
        .route("/__control/rate-limit", post(control_rate_limit))
        .route("/__control/access-tokens", post(control_add_token))
        .route(
            "/__control/access-tokens/{token}",
            delete(control_revoke_token),
        )
}

fn control_error(e: ControlError) -> Response {
    let status = match e {
        ControlError::UnknownOrder { .. } | ControlError::UnknownCode { .. } => {
            StatusCode::NOT_FOUND
        }
        ControlError::WrongStatus { .. } => StatusCode::CONFLICT,
    };
    (status, Json(json!({"error": e.to_string()}))).into_response()
}

fn control_order_result(r: Result<SimOrder, ControlError>) -> Response {
    match r {
        Ok(order) => Json(order).into_response(),
        Err(e) => control_error(e),
    }
}

#[derive(Deserialize)]
struct ApproveBody {
    oauth_token: String,
}

async fn control_approve(State(state): State<QuiptState>, Json(b): Json<ApproveBody>) -> Response {
    match state.approve_request_token(&b.oauth_token) {
        Some(verifier) => Json(json!({"verifier": verifier})).into_response(),
        None => (
            StatusCode::NOT_FOUND,
            Json(json!({"error": "unknown request token"})),
        )
            .into_response(),
    }
}

async fn control_insert(State(state): State<QuiptState>, Json(order): Json<Value>) -> Response {
    match state.insert_order_json(order) {
        Ok(order) => Json(order).into_response(),
        Err(e) => (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": e.to_string()})),
        )
            .into_response(),
    }
}

async fn control_orders(State(state): State<QuiptState>) -> Response {
    Json(state.orders()).into_response()
}

async fn control_order(State(state): State<QuiptState>, Path(id): Path<String>) -> Response {
    control_order_result(state.order(&id).ok_or(ControlError::UnknownOrder { id }))
}

async fn control_remove(State(state): State<QuiptState>, Path(id): Path<String>) -> Response {
    control_order_result(state.remove_order(&id))
}

async fn control_clear_validation(
    State(state): State<QuiptState>,
    Path(id): Path<String>,
) -> Response {
    control_order_result(state.clear_validation(&id))
}

#[derive(Deserialize, Default)]
struct CancelBody {
    #[serde(default)]
    reason: Option<String>,
}

async fn control_cancel(
    State(state): State<QuiptState>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let b: CancelBody = serde_json::from_slice(&body).unwrap_or_default();
    control_order_result(
        state.cancel_order(&id, b.reason.as_deref().unwrap_or("Canceled in Quipt")),
    )
}

async fn control_ship_to(
    State(state): State<QuiptState>,
    Path(id): Path<String>,
    Json(address): Json<Option<SimAddress>>,
) -> Response {
    control_order_result(state.edit_ship_to(&id, address))
}

async fn control_stats(State(state): State<QuiptState>) -> Response {
    Json(state.stats()).into_response()
}

async fn control_reset_stats(State(state): State<QuiptState>) -> StatusCode {
    state.reset_stats();
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
struct FailNext {
    count: u32,
    status: u16,
}

#[derive(Deserialize)]
struct FaultsBody {
    #[serde(default)]
    fail_next: Option<FailNext>,
    #[serde(default)]
    drop_next: Option<u32>,
    #[serde(default)]
    unsuccessful_next: Option<u32>,
    #[serde(default)]
    garbage_next: Option<CountedBody>,
    #[serde(default)]
    latency_ms: Option<u64>,
    #[serde(default)]
    outage: Option<Outage>,
    #[serde(default)]
    lose_answer_next: Option<LostAnswers<Write>>,
    #[serde(default)]
    fail_route: Option<RouteFault>,
}

async fn control_faults(State(state): State<QuiptState>, Json(b): Json<FaultsBody>) -> StatusCode {
    if let Some(outage) = b.outage {
        state.outage_until(outage.until, outage.status);
    }
    if let Some(lose) = b.lose_answer_next {
        state.lose_answer_next(lose.count, lose.write);
    }
    if let Some(route) = b.fail_route {
        state.fail_route(&route.endpoint, route.skip, route.count, route.status);
    }
    if let Some(f) = b.fail_next {
        state.fail_next(f.count, f.status);
    }
    if let Some(n) = b.drop_next {
        state.drop_next(n);
    }
    if let Some(n) = b.unsuccessful_next {
        state.fail_next_unsuccessful(n);
    }
    if let Some(garbage) = b.garbage_next {
        state.garbage_next(garbage.count, garbage.body);
    }
    if let Some(ms) = b.latency_ms {
        state.set_latency(std::time::Duration::from_millis(ms));
    }
    StatusCode::NO_CONTENT
}

async fn control_clear_faults(State(state): State<QuiptState>) -> StatusCode {
    state.clear_faults();
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
struct RateLimitBody {
    limit: u32,
    window_ms: u64,
}

async fn control_rate_limit(
    State(state): State<QuiptState>,
    Json(b): Json<RateLimitBody>,
) -> StatusCode {
    state.set_rate_limit(b.limit, std::time::Duration::from_millis(b.window_ms));
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
struct TokenBody {
    token: String,
    secret: String,
}

async fn control_add_token(
    State(state): State<QuiptState>,
    Json(b): Json<TokenBody>,
) -> StatusCode {
    state.add_access_token(&b.token, &b.secret);
    StatusCode::NO_CONTENT
}

async fn control_revoke_token(
    State(state): State<QuiptState>,
    Path(token): Path<String>,
) -> StatusCode {
    state.revoke_access_token(&token);
    StatusCode::NO_CONTENT
}

async fn control_new_orders(
    State(state): State<QuiptState>,
    Json(request): Json<NewOrders>,
) -> Response {
    match state.new_orders(&request) {
        Ok(orders) => Json(orders).into_response(),
        Err(e) => control_error(e),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PartnerBody {
    code: String,
    name: String,
}

async fn control_add_partner(
    State(state): State<QuiptState>,
    Json(b): Json<PartnerBody>,
) -> Response {
    Json(state.add_partner(&b.code, &b.name)).into_response()
}
