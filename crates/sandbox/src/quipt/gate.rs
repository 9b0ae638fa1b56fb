//! The gate every API and OAuth request passes, in this order: request statistics, any armed
//! fault (latency, then an outage, a fault armed for the endpoint, a dropped connection, a
//! failing status or `Success: false`; a body answered instead of the real one is armed here and
//! applied once the request was served),
//! then for `/v2/` the OAuth 1.0a signature with an access token (401) and the token's rate window
//! (429 with `Retry-After`). The OAuth endpoints check their own signatures with
//! [`check_signature`]. After the handler, a write that took effect loses its answer when a fault
//! is armed for it.

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::Utc;

use super::faults::Fault;
use super::oauth::{OAuthHeader, Refusal, verify};
use super::rules::Write;
use super::state::QuiptState;
use crate::connection;

/// Which token a signed request must carry.
pub enum TokenKind {
    /// None (`/oauth/initiate`): signed with the consumer secret alone.
    None,
    /// A request token (`/oauth/token`).
    Request,
    /// An access token (every API call).
    Access,
}

/// A request whose signature checked out.
pub struct Signed {
    /// Its OAuth parameters.
    pub header: OAuthHeader,
    /// The token it was signed with.
    pub token: Option<String>,
}

/// Checks the OAuth 1.0a signature of a request signed with `kind` of token.
pub fn check_signature(
    state: &QuiptState,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    kind: TokenKind,
) -> Result<Signed, Refusal> {
    let header = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(OAuthHeader::parse)
        .ok_or(Refusal::Missing)?;
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("127.0.0.1");
    let host = host
        .strip_suffix(":80")
        .unwrap_or(host)
        .to_ascii_lowercase();
    let base_uri = format!("http://{host}{}", uri.path());
    let query: Vec<(String, String)> =
        url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
            .into_owned()
            .collect();
    let inner = state.lock();
    let consumer_key = header
        .get("oauth_consumer_key")
        .ok_or(Refusal::UnknownConsumer)?;
    let consumer_secret = inner
        .tokens
        .consumers
        .get(consumer_key)
        .ok_or(Refusal::UnknownConsumer)?
        .clone();
    let token = header
        .get("oauth_token")
        .filter(|t| !t.is_empty())
        .map(str::to_string);
    let token_secret = match (&kind, &token) {
        (TokenKind::None, _) => String::new(),
        (TokenKind::Access, Some(t)) => inner
            .tokens
            .access_tokens
            .get(t)
            .ok_or(Refusal::UnknownToken)?
            .clone(),
        (TokenKind::Request, Some(t)) => inner
            .tokens
            .request_tokens
            .get(t)
            .ok_or(Refusal::UnknownToken)?
            .secret
            .clone(),
        (_, None) => return Err(Refusal::UnknownToken),
    };
    drop(inner);
    verify(
        &header,
        method.as_str(),
        &base_uri,
        &query,
        &consumer_secret,
        &token_secret,
        &[Utc::now().timestamp(), state.now().timestamp()],
    )?;
    Ok(Signed { header, token })
}

fn endpoint_label(method: &Method, matched: &str, path: &str) -> String {
    let pattern = if matched == "/v2/orders/fulfillment/{id}/{sub}" {
        if path.starts_with("/v2/orders/fulfillment/id/") {
            "/v2/orders/fulfillment/id/{id}".to_string()
        } else {
            "/v2/orders/fulfillment/{pageSize}/{pageNumber}".to_string()
        }
    } else {
        matched.replace("{sub}", "{externalId}")
    };
    format!("{method} {pattern}")
}

/// The gate in front of every API and OAuth route (see the module doc). Every answer carries
/// the simulated now as its `Date`, as Quipt's carries its own clock: a client on the same
/// simulated clock sees no skew, however far the clocks were moved.
pub async fn gate(State(state): State<QuiptState>, request: Request, next: Next) -> Response {
    let now = state.now();
    let mut response = answer(state, request, next).await;
    let date = now.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    if let Ok(date) = HeaderValue::from_str(&date) {
        response.headers_mut().insert(header::DATE, date);
    }
    response
}

async fn answer(state: QuiptState, request: Request, next: Next) -> Response {
    let reply = state.reply();
    let matched = request
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_default();
    let label = endpoint_label(request.method(), &matched, request.uri().path());
    state.lock().stats.count(label.clone());

    let (latency, fault) = state.take_fault(&label);
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let garbage = match fault {
        // The connection closes without an answer: exactly what a client sees when a proxy
        // drops it.
        Some(Fault::Drop) => return connection::drop_connection(connection::of(&request).as_ref()),
        Some(Fault::Status(status)) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return reply.error(
                status,
                "InjectedFault",
                "Injected fault: the server failed.",
            );
        }
        Some(Fault::Unsuccessful) => {
            return reply.error(
                StatusCode::OK,
                "InjectedFault",
                "Injected fault: the request failed.",
            );
        }
        Some(Fault::Garbage(body)) => Some(body),
        None => None,
    };

    if request.uri().path().starts_with("/v2/") {
        let signed = match check_signature(
            &state,
            request.method(),
            request.uri(),
            request.headers(),
            TokenKind::Access,
        ) {
            Ok(signed) => signed,
            Err(refusal) => return reply.unauthorized(refusal),
        };
        let token = signed.token.unwrap_or_default();
        let now = state.instant();
        let taken = state.lock().rate.take(&token, now);
        if let Err(wait) = taken {
            let secs = wait.as_secs_f64().ceil().max(1.0) as u64;
            let mut response = reply.error(
                StatusCode::TOO_MANY_REQUESTS,
                "RateLimited",
                format!("Too many requests; retry after {secs} s."),
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
            return response;
        }
    }
    let connection = connection::of(&request);
    let response = next.run(request).await;
    if let Some(&write) = response.extensions().get::<Write>()
        && state.lock().faults.take_answer_lost(write)
    {
        return connection::drop_connection(connection.as_ref());
    }
    match garbage {
        // Served, and the answer replaced on its way back.
        Some(body) => (StatusCode::OK, body).into_response(),
        None => response,
    }
}
