//! The gate every API request passes, in this order: request statistics, an outage in force (its
//! status, or a dropped connection, before anything else: a server that is down uses no budget and
//! sends no rate headers), Basic auth (401), the rate window (429 when full), then any armed fault
//! (latency, a fault armed for the endpoint, a failing status, a dropped connection, a garbage
//! body). Every other answer, 401 and 429 included, carries the three rate-limit headers. After
//! the handler, a create that took effect loses its answer when a fault is armed for it.

use axum::Json;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde_json::json;

use super::faults::Injected;
use super::rate_limit::Admission;
use super::responses::{add_rate_headers, error};
use super::rules::Write;
use super::state::ShipStationState;
use crate::connection;

/// Whether the request's Basic auth is the account's key pair.
fn authorized(headers: &HeaderMap, (key, secret): &(String, String)) -> bool {
    let Some(value) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let Some(encoded) = value.strip_prefix("Basic ") else {
        return false;
    };
    let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(encoded.trim()) else {
        return false;
    };
    decoded == format!("{key}:{secret}").as_bytes()
}

/// The gate in front of every API route (see the module doc).
pub async fn gate(
    State(state): State<ShipStationState>,
    matched: MatchedPath,
    request: Request,
    next: Next,
) -> Response {
    let endpoint = format!("{} {}", request.method(), matched.as_str());
    let (now, instant) = (state.now(), state.instant());
    let connection = connection::of(&request);
    let (admission, injected, latency, authorized) = {
        let mut account = state.lock();
        account.stats.count(endpoint.clone());
        if let Some(outage) = account.faults.outage_at(now) {
            return match outage.status {
                Some(status) => error(
                    StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE),
                    "The service is unavailable.",
                ),
                None => connection::drop_connection(connection.as_ref()),
            };
        }
        if !authorized(request.headers(), &account.api_keys) {
            account.stats.unauthorized += 1;
            let rate = account.rate.headers(instant);
            (
                Admission::Refused(rate),
                Injected::None,
                std::time::Duration::ZERO,
                false,
            )
        } else {
            let admission = account.rate.admit(instant);
            let injected = match admission {
                Admission::Admitted(_) => account.faults.take(&endpoint),
                Admission::Refused(_) => {
                    account.stats.rate_limited += 1;
                    Injected::None
                }
            };
            (admission, injected, account.faults.latency, true)
        }
    };
    let mut response = match (authorized, admission) {
        (false, Admission::Refused(rate) | Admission::Admitted(rate)) => {
            let mut response = error(
                StatusCode::UNAUTHORIZED,
                "Authorization has been denied for this request.",
            );
            add_rate_headers(&mut response, rate);
            return response;
        }
        (true, Admission::Refused(rate)) => {
            let mut response = (
                StatusCode::TOO_MANY_REQUESTS,
                Json(json!({"message": "Too Many Requests"})),
            )
                .into_response();
            add_rate_headers(&mut response, rate);
            return response;
        }
        (true, Admission::Admitted(rate)) => {
            if !latency.is_zero() {
                tokio::time::sleep(latency).await;
            }
            let mut response = match injected {
                Injected::None => {
                    let response = next.run(request).await;
                    if let Some(&write) = response.extensions().get::<Write>()
                        && state.lock().faults.take_answer_lost(write)
                    {
                        return connection::drop_connection(connection.as_ref());
                    }
                    response
                }
                Injected::Fail(status) => (
                    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                    Json(json!({
                        "Message": "An error has occurred.",
                        "ExceptionMessage": "Simulated server fault",
                        "ExceptionType": "System.Exception"
                    })),
                )
                    .into_response(),
                Injected::Drop => connection::drop_connection(connection.as_ref()),
                Injected::Garbage(body) => {
                    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
                }
            };
            add_rate_headers(&mut response, rate);
            response
        }
    };
    response
        .headers_mut()
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-cache"));
    response
}
