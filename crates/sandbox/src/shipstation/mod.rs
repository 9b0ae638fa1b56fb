//! The ShipStation v1 simulator: an independent reading of `shared/api/shipstation.md` served over
//! real HTTP. It reproduces Basic auth, the 40-per-window rate limit with its headers and 429s,
//! paging, the upsert / full-replace / closed-order rules of order creation, Pacific wall-clock
//! timestamps, prefix matching on `orderNumber` and `null` rows, plus a control API under
//! `/__control/` (see [`control`]) and the same operations as methods on [`ShipStationState`].
//!
//! Layout: `routes.rs` (the API and its gate), `state.rs` (the account), `rate_limit.rs`,
//! `faults.rs`, `pacific.rs` (dates), `control.rs`.

pub mod control;
pub mod faults;
pub mod pacific;
pub mod rate_limit;
pub mod routes;
pub mod state;

use axum::Router;
use axum::routing::{get, post};
use tokio::net::TcpListener;

pub use state::{
    CarrierRecord, ControlError, LabelRequest, MarkShippedRequest, OrderSnapshot, PackageItem,
    RequestStats, ServiceRecord, ShipStationState, StoreRecord, WarehouseRecord,
};

/// The whole simulator as a router: API routes behind [`routes::gate`], control routes beside them.
pub fn router(state: ShipStationState) -> Router {
    let api = Router::new()
        .route("/stores", get(routes::list_stores))
        .route("/warehouses", get(routes::list_warehouses))
        .route("/carriers", get(routes::list_carriers))
        .route("/carriers/listservices", get(routes::list_services))
        .route("/orders", get(routes::list_orders))
        .route("/orders/createorder", post(routes::create_order))
        .route("/orders/createorders", post(routes::create_orders))
        .route(
            "/orders/{order_id}",
            get(routes::get_order).delete(routes::delete_order),
        )
        .route("/shipments", get(routes::list_shipments))
        .route("/fulfillments", get(routes::list_fulfillments))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            routes::gate,
        ));
    api.merge(control::router()).with_state(state)
}

/// Serves the simulator on `listener` until the task is aborted.
pub async fn serve(listener: TcpListener, state: ShipStationState) {
    let app = router(state).into_make_service_with_connect_info::<faults::ConnectionHandle>();
    if let Err(error) = axum::serve(faults::AbortableListener::new(listener), app).await {
        tracing::error!(%error, "shipstation simulator stopped");
    }
}
