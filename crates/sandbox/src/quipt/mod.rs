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
//! - `/__control/…`: no auth, no rate limit, not counted: `POST oauth/approve {oauth_token}` →
//!   `{verifier}`; `GET|POST orders`; `GET orders/{id}`; `POST orders/{id}/clear-validation`;
//!   `POST orders/{id}/cancel {reason?}`; `PUT orders/{id}/ship-to <address|null>`;
//!   `GET stats`, `POST stats/reset`; `POST faults {fail_next: {count, status}, drop_next,
//!   unsuccessful_next, latency_ms}`, `DELETE faults`; `POST rate-limit {limit, window_ms}`;
//!   `POST access-tokens {token, secret}`, `DELETE access-tokens/{token}`. Each has a method of the
//!   same meaning on [`QuiptState`].

mod demo_orders;
mod faults;
mod model;
mod oauth;
mod routes;
mod state;

pub use demo_orders::{LONG_ORDER_NUMBER, MALFORMED_NUMBERS};
pub use model::*;
pub use routes::{MAX_PAGE_SIZE, router};
pub use state::{
    ControlError, DEFAULT_RATE_LIMIT, DEFAULT_RATE_WINDOW, QuiptState, QuiptStats, SimMessage,
};

use tokio::net::TcpListener;

/// Serves the simulator on `listener` until the task is aborted.
pub async fn serve(listener: TcpListener, state: QuiptState) {
    if let Err(e) = axum::serve(listener, router(state)).await {
        tracing::error!(error = %e, "the Quipt simulator stopped");
    }
}
