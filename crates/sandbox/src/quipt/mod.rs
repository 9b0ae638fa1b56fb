//! The Quipt simulator: Quipt's Merchant API v2 under `/v2` and its OAuth 1.0a endpoints, both on one
//! address (`shared/api/quipt.md`, "What the simulator must reproduce").
//!
//! - `POST /oauth/initiate`, `POST /oauth/token`: signed OAuth 1.0a steps (form-encoded answers).
//! - `GET /` reads the fragment `#/oauth/authorizing?oauth_token=…` and forwards to
//!   `GET /oauth/authorize?oauth_token=…`, a login form for the demo API user; its POST redirects
//!   (303) to the request token's callback with `oauth_token` and `oauth_verifier`, or shows the
//!   verifier for `oob`.
//! - `/v2/…`: every call signed with an access token (HMAC-SHA1, timestamp within 5 min), 120
//!   requests per minute per token (configurable with [`QuiptState::set_rate_limit`]), then 429
//!   with `Retry-After`.
//! - `/__control/…`: no auth, no rate limit, not counted (see [`control`]). Each route has a
//!   method of the same meaning on [`QuiptState`].
//!
//! Layout (the ShipStation simulator has the same files):
//! - `gate.rs`: what every API request passes (statistics, faults, signature, rate limit);
//! - `api.rs`: the endpoints, which only translate; `responses.rs`: how answers look;
//! - `control.rs`: the `/__control/` routes;
//! - `state.rs`: the shared state and its operations, split into `records.rs` (what the account
//!   holds), `rules.rs` (how writes and user actions change it), `faults.rs` (what is armed to go
//!   wrong), `rate_limit.rs` and `stats.rs`;
//! - Quipt's own: `oauth.rs` (signature checking), `authorize.rs` (the OAuth endpoints and
//!   pages), `demo_orders.rs` (the generated demo orders).

mod api;
mod authorize;
pub mod control;
mod demo_orders;
mod faults;
mod gate;
pub mod oauth;
mod rate_limit;
mod records;
mod responses;
mod rules;
mod state;
mod stats;

use axum::Router;
use axum::middleware;
use axum::routing::{get, post};
use tokio::net::TcpListener;

pub use api::MAX_PAGE_SIZE;
pub use demo_orders::{LONG_ORDER_NUMBER, MALFORMED_NUMBERS, NewOrders};
pub use rate_limit::{DEFAULT_RATE_LIMIT, DEFAULT_RATE_WINDOW};
pub use records::*;
pub use rules::{ControlError, Write};
pub use state::QuiptState;
pub use stats::Effects;
pub use stats::QuiptStats;

/// The whole simulator: the API and the OAuth steps behind the gate, the authorization pages and
/// the control routes beside them.
pub fn router(state: QuiptState) -> Router {
    let gated = Router::new()
        .route(
            "/v2/orders/fulfillment/{id}/{sub}",
            get(api::fulfillment_get),
        )
        .route(
            "/v2/orders/fulfillment/{id}/acknowledgements",
            post(api::acknowledge),
        )
        .route("/v2/orders/fulfillment/{id}/shipments", post(api::ship))
        .route(
            "/v2/orders/fulfillment/{id}/shipments/{sub}/void",
            post(api::void),
        )
        .route(
            "/v2/orders/fulfillment/{id}/cancel-shipment",
            post(api::cancel_shipment),
        )
        .route("/v2/warehouses", get(api::warehouses))
        .route("/v2/partners", get(api::partners))
        .route("/oauth/initiate", post(authorize::oauth_initiate))
        .route("/oauth/token", post(authorize::oauth_token))
        .route_layer(middleware::from_fn_with_state(state.clone(), gate::gate));
    let open = Router::new()
        .route("/", get(authorize::app_page))
        .route(
            "/oauth/authorize",
            get(authorize::authorize_page).post(authorize::authorize_submit),
        )
        .merge(control::router());
    gated.merge(open).with_state(state)
}

/// Serves the simulator on `listener` until the task is aborted.
pub async fn serve(listener: TcpListener, state: QuiptState) {
    crate::connection::serve(listener, router(state), "Quipt").await;
}
