//! Typed async client of Quipt's Merchant API v2, signed with OAuth 1.0a
//! (`shared/api/quipt.md` is the contract it follows).
//!
//! What it is: one [`Client`] with a handler per resource — [`Client::orders`],
//! [`Client::warehouses`], [`Client::partners`] — and one method per endpoint; the
//! [`oauth`] module with the pure HMAC-SHA1 signer and the three-step authorization flow; lenient
//! [`models`] that read malformed orders instead of failing a page. Retries (429 with
//! `Retry-After`, 5xx, timeouts, dropped connections) are decided by the pure [`retry`] module and
//! counted in [`Metrics`]. What it is not: the sync engine (`connector`) or the simulator
//! (`sandbox`), and it keeps no state between calls besides its counters.
//!
//! Pointing it at the sandbox:
//! ```no_run
//! # async fn demo() -> Result<(), quipt::Error> {
//! use quipt::{AccessToken, Client, ConsumerCredentials, OrderQuery};
//! let client = Client::builder("http://127.0.0.1:8080") // QUIPT_API_URL, no path
//!     .consumer(ConsumerCredentials { key: "demo-consumer".into(), secret: "demo-consumer-secret".into() })
//!     .token(AccessToken { token: "demo-token".into(), secret: "demo-token-secret".into() })
//!     .build()?;
//! let page = client.orders().list(&OrderQuery::default(), quipt::MAX_PAGE_SIZE, 1).await?;
//! println!("{} orders", page.total);
//! # Ok(()) }
//! ```
#![deny(missing_docs)]

mod client;
mod envelope;
mod error;
pub mod models;
pub mod oauth;
mod orders;
pub mod parse;
mod partners;
mod paths;
pub mod retry;
mod warehouses;

pub use client::{Client, ClientBuilder, Metrics};
pub use envelope::{Message, Page, Severity};
pub use error::{Error, OAuthStep};
pub use models::*;
pub use oauth::{AccessToken, ConsumerCredentials};
pub use orders::{Include, MAX_PAGE_SIZE, OrderQuery, OrdersApi};
pub use partners::PartnersApi;
pub use warehouses::WarehousesApi;
