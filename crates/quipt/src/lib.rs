//! Typed async client of Quipt's Merchant API v2, signed with OAuth 1.0a
//! (`shared/api/quipt.md` is the contract it follows).
//!
//! What it is: one [`Client`] with a handler per resource — [`Client::orders`],
//! [`Client::warehouses`], [`Client::partners`] — and one method per endpoint; the [`oauth`]
//! functions and types (pure HMAC-SHA1 signing, the three-step authorization flow, the loopback
//! callback); lenient [`models`] that read malformed orders instead of failing a page. Retries
//! (429 with `Retry-After`, 5xx, timeouts, dropped connections) are decided by the pure [`retry`]
//! module and counted in [`Metrics`]; a write Quipt does not de-duplicate is never repeated
//! blindly: after a lost answer the order is read back and [`settle`] decides what is missing.
//! Every wait sleeps on the builder's [`Clock`]. What it is not: the sync engine (`connector`) or
//! the simulator (`sandbox`), and it keeps no state between calls besides its counters.
//!
//! Pointing it at the sandbox (plain http is accepted only for this computer):
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

mod authorize;
mod callback;
mod client;
mod clock;
mod credentials;
mod envelope;
mod error;
mod message;
pub mod models;
mod orders;
pub mod parse;
mod partners;
mod paths;
pub mod retry;
pub mod settle;
mod signing;
mod text;
mod warehouses;

/// OAuth 1.0a in one place: the pure signing functions every call goes through, the
/// authorization flow, and the loopback callback that receives the user's approval.
pub mod oauth {
    pub use crate::authorize::Authorization;
    pub use crate::callback::{CallbackTimeouts, LoopbackCallback, PendingCallback};
    pub use crate::credentials::{AccessToken, ConsumerCredentials, RequestToken};
    pub use crate::signing::{
        Nonce, authorization_header, base_uri, hmac_sha1_signature, percent_encode,
        signature_base_string,
    };
}

pub use client::{
    Client, ClientBuilder, MAX_BODY, MAX_ERROR_BODY, Metrics, check_base_url, get_public,
};
pub use clock::{Clock, OAUTH_WINDOW, Skew, SystemClock, skew};
pub use credentials::{AccessToken, ConsumerCredentials};
pub use envelope::Page;
pub use error::{Error, OAuthStep, Runaway, UnreadableOrder, transport_problem};
pub use message::{Message, Severity};
pub use models::*;
pub use orders::{Include, MAX_PAGE_SIZE, OrderQuery, OrdersApi};
pub use partners::PartnersApi;
pub use warehouses::WarehousesApi;
