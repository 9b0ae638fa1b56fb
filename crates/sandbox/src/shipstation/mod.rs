//! The ShipStation v1 simulator: an independent reading of `shared/api/shipstation.md` served over
//! real HTTP. It reproduces Basic auth, the 40-per-window rate limit with its headers and 429s,
//! paging, the upsert / full-replace / closed-order rules of order creation, Pacific wall-clock
//! timestamps, prefix matching on `orderNumber` and `null` rows, plus a control API under
//! `/__control/` (see [`control`]) and the same operations as methods on [`ShipStationState`].
//!
//! Layout (the Quipt simulator has the same files):
//! - `gate.rs`: what every API request passes (statistics, auth, rate limit, faults);
//! - `api.rs`: the endpoints, which only translate; `responses.rs`: how answers look;
//! - `control.rs`: the `/__control/` routes;
//! - `state.rs`: the shared state and its operations, split into `records.rs` (what the account
//!   holds), `rules.rs` (how writes and user actions change it), `faults.rs` (what is armed to go
//!   wrong), `rate_limit.rs` and `stats.rs`;
//! - ShipStation's own: `pacific.rs` (its wall-clock dates).

mod api;
pub mod control;
mod faults;
mod gate;
mod pacific;
mod rate_limit;
mod records;
mod responses;
mod rules;
mod state;
mod stats;

use axum::Router;
use axum::routing::{get, post};
use tokio::net::TcpListener;

pub use api::{DEFAULT_PAGE_SIZE, MAX_BULK_ORDERS, MAX_PAGE_SIZE};
pub use faults::GarbledRow;
pub use rate_limit::REQUESTS_PER_WINDOW;
pub use records::{CarrierRecord, OrderSnapshot, ServiceRecord, StoreRecord, WarehouseRecord};
pub use rules::{ControlError, LabelRequest, MarkShippedRequest, PackageItem, Write};
pub use state::ShipStationState;
pub use stats::{Effects, RequestStats};

/// The whole simulator as a router: API routes behind the gate, control routes beside them.
pub fn router(state: ShipStationState) -> Router {
    let api = Router::new()
        .route("/stores", get(api::list_stores))
        .route("/warehouses", get(api::list_warehouses))
        .route("/carriers", get(api::list_carriers))
        .route("/carriers/listservices", get(api::list_services))
        .route("/orders", get(api::list_orders))
        .route("/orders/createorder", post(api::create_order))
        .route("/orders/createorders", post(api::create_orders))
        .route(
            "/orders/{order_id}",
            get(api::get_order).delete(api::delete_order),
        )
        .route("/shipments", get(api::list_shipments))
        .route("/fulfillments", get(api::list_fulfillments))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            gate::gate,
        ));
    api.merge(control::router()).with_state(state)
}

/// Serves the simulator on `listener` until the task is aborted.
pub async fn serve(listener: TcpListener, state: ShipStationState) {
    crate::connection::serve(listener, router(state), "ShipStation").await;
}
