//! Typed async client of ShipStation's classic v1 API, as far as the Quipt ShipStation Connector
//! uses it (`shared/api/shipstation.md`).
//!
//! What it is: one method per endpoint (`client.orders().create_many(&batch)`), typed models with
//! `DateTime<Utc>` timestamps (the API's Pacific wall-clock is converted in
//! [`models::pacific_time`]), pacing from the `X-Rate-Limit-*` headers so that the key's only user
//! never provokes a 429 (see [`pacing`]), and retries with backoff for 429/5xx/transport failures
//! (see [`retry`]; no wait is ever longer than the 60-second window, whatever the headers say).
//! Every wait sleeps on the builder's [`Clock`], so a test can run it on simulated time. What it is
//! not: the sync engine (that is `connector`), nor a complete v1 client (no labels, webhooks or
//! products).
//!
//! Point it at the sandbox for tests and demos (plain http is accepted only for this computer):
//!
//! ```no_run
//! # async fn demo() -> Result<(), shipstation::Error> {
//! let client = shipstation::Client::builder("http://127.0.0.1:8081")
//!     .credentials("demo-key", "demo-secret")
//!     .build()?;
//! for store in client.stores().list(false).await? {
//!     println!("{} {}", store.store_id, store.store_name);
//! }
//! # Ok(()) }
//! ```
#![deny(missing_docs)]

mod carriers;
mod client;
mod clock;
mod error;
mod fulfillments;
pub mod models;
mod orders;
pub mod pacing;
mod paging;
pub mod parse;
pub mod retry;
mod shipments;
mod stores;
mod text;
mod warehouses;

pub use carriers::CarriersApi;
pub use client::{
    Client, ClientBuilder, DEFAULT_BASE_URL, MAX_BODY, MAX_ERROR_BODY, Metrics, check_base_url,
};
pub use clock::{Clock, SystemClock};
pub use error::{Error, Result, Runaway};
pub use fulfillments::FulfillmentsApi;
pub use models::carrier::{Carrier, Service};
pub use models::fulfillment::{Fulfillment, FulfillmentQuery};
pub use models::ids::{FulfillmentId, OrderId, OrderKey, ShipmentId, StoreId, WarehouseId};
pub use models::order::{
    Address, AdvancedOptions, BulkOrderResult, BulkResult, Handling, NewOrder, Order, OrderItem,
    OrderQuery, OrderStatus, SortBy, SortDir, Weight,
};
pub use models::page::{Page, UnreadableRow};
pub use models::shipment::{Shipment, ShipmentItem, ShipmentQuery};
pub use models::store::Store;
pub use models::warehouse::Warehouse;
pub use orders::{MAX_BULK_ORDERS, OrdersApi};
pub use shipments::ShipmentsApi;
pub use stores::StoresApi;
pub use warehouses::WarehousesApi;
