//! How the ShipStation API answers: its loose error body and the three rate-limit headers.

use axum::Json;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::rate_limit::RateHeaders;

/// ShipStation's loose error body with the given status.
pub fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "Message": message.into() }))).into_response()
}

/// A 400 with this message.
pub fn bad_request(message: impl Into<String>) -> Response {
    error(StatusCode::BAD_REQUEST, message)
}

/// Adds `X-Rate-Limit-Limit`, `X-Rate-Limit-Remaining` and `X-Rate-Limit-Reset`.
pub fn add_rate_headers(response: &mut Response, rate: RateHeaders) {
    let headers = response.headers_mut();
    headers.insert("X-Rate-Limit-Limit", HeaderValue::from(rate.limit));
    headers.insert("X-Rate-Limit-Remaining", HeaderValue::from(rate.remaining));
    headers.insert("X-Rate-Limit-Reset", HeaderValue::from(rate.reset_secs));
}
