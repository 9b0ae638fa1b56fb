//! HTTP of the Quipt simulator: the `/v2` API and the OAuth endpoints behind one gate (stats,
//! faults, signature, rate limit), the authorization pages, and the unauthenticated control API
//! under `/__control/`. Handlers only translate; the rules live in `state.rs`.

use std::collections::HashMap;
use std::time::Instant;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Form, MatchedPath, Path, Query, RawQuery, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post, put};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Deserialize;
use serde_json::{Value, json};

use super::faults::Fault;
use super::model::*;
use super::oauth::{OAuthHeader, Refusal, random_token, verify};
use super::state::{
    AckBody, CancelShipmentBody, ControlError, Outcome, QuiptState, RequestTokenEntry, ShipBody,
    SimMessage,
};
use crate::demo_data;

/// Largest page size (contract: at most 200).
pub const MAX_PAGE_SIZE: u32 = 200;

/// The whole simulator.
pub fn router(state: QuiptState) -> Router {
    let gated = Router::new()
        .route("/v2/orders/fulfillment/{id}/{sub}", get(fulfillment_get))
        .route(
            "/v2/orders/fulfillment/{id}/acknowledgements",
            post(acknowledge),
        )
        .route("/v2/orders/fulfillment/{id}/shipments", post(ship))
        .route(
            "/v2/orders/fulfillment/{id}/shipments/{sub}/void",
            post(void),
        )
        .route(
            "/v2/orders/fulfillment/{id}/cancel-shipment",
            post(cancel_shipment),
        )
        .route("/v2/warehouses", get(warehouses))
        .route("/v2/partners", get(partners))
        .route("/oauth/initiate", post(oauth_initiate))
        .route("/oauth/token", post(oauth_token))
        .route_layer(middleware::from_fn_with_state(state.clone(), gate));
    let open = Router::new()
        .route("/", get(app_page))
        .route(
            "/oauth/authorize",
            get(authorize_page).post(authorize_submit),
        )
        .route("/__control/oauth/approve", post(control_approve))
        .route(
            "/__control/orders",
            get(control_orders).post(control_insert),
        )
        .route("/__control/orders/{id}", get(control_order))
        .route(
            "/__control/orders/{id}/clear-validation",
            post(control_clear_validation),
        )
        .route("/__control/orders/{id}/cancel", post(control_cancel))
        .route("/__control/orders/{id}/ship-to", put(control_ship_to))
        .route("/__control/stats", get(control_stats))
        .route("/__control/stats/reset", post(control_reset_stats))
        .route(
            "/__control/faults",
            post(control_faults).delete(control_clear_faults),
        )
        .route("/__control/rate-limit", post(control_rate_limit))
        .route("/__control/access-tokens", post(control_add_token))
        .route(
            "/__control/access-tokens/{token}",
            axum::routing::delete(control_revoke_token),
        );
    gated.merge(open).with_state(state)
}

// ----- envelope --------------------------------------------------------------------------------

fn envelope(
    status: StatusCode,
    result: Value,
    paging: Option<Value>,
    success: bool,
    messages: Vec<SimMessage>,
) -> Response {
    let mut body = json!({
        "Result": result,
        "TransactionId": new_guid(),
        "TransactionTime": Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true),
        "Success": success,
        "Messages": messages,
    });
    if let Some(paging) = paging {
        body["Paging"] = paging;
    }
    (status, axum::Json(body)).into_response()
}

fn error(status: StatusCode, code: &str, text: impl Into<String>) -> Response {
    envelope(
        status,
        Value::Null,
        None,
        false,
        vec![SimMessage::fatal(code, text)],
    )
}

fn unauthorized(refusal: Refusal) -> Response {
    let mut response = error(
        StatusCode::UNAUTHORIZED,
        "Unauthorized",
        refusal.to_string(),
    );
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("OAuth realm=\"Quipt\""),
    );
    response
}

fn outcome(outcome: Outcome) -> Response {
    match outcome {
        Outcome::Done { result, messages } => {
            envelope(StatusCode::OK, result, None, true, messages)
        }
        Outcome::NotFound(text) => error(StatusCode::NOT_FOUND, "NotFound", text),
        Outcome::BadRequest(text) => error(StatusCode::BAD_REQUEST, "BadRequest", text),
        Outcome::Refused(message) => {
            envelope(StatusCode::OK, Value::Null, None, false, vec![message])
        }
    }
}

/// Parses a JSON body; the error is the 400 envelope's text.
fn parse_body<T: serde::de::DeserializeOwned>(body: &Bytes) -> Result<T, String> {
    serde_json::from_slice(body).map_err(|e| format!("The body is not valid: {e}"))
}

fn bad_body(text: String) -> Response {
    error(StatusCode::BAD_REQUEST, "BadRequest", text)
}

// ----- the gate: stats, faults, signature, rate limit ------------------------------------------

/// Which token a signed request must carry.
enum TokenKind {
    /// None (`/oauth/initiate`): signed with the consumer secret alone.
    None,
    /// A request token (`/oauth/token`).
    Request,
    /// An access token (every API call).
    Access,
}

struct Signed {
    header: OAuthHeader,
    token: Option<String>,
}

fn check_signature(
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
            .access_tokens
            .get(t)
            .ok_or(Refusal::UnknownToken)?
            .clone(),
        (TokenKind::Request, Some(t)) => inner
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
        Utc::now().timestamp(),
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

async fn gate(State(state): State<QuiptState>, request: Request, next: Next) -> Response {
    let matched = request
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_default();
    let label = endpoint_label(request.method(), &matched, request.uri().path());
    state.lock().count(label);

    let (latency, fault) = state.take_fault();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    match fault {
        // Unwinding out of the handler ends hyper's connection task, which closes the socket
        // without an answer: exactly what a client sees when a proxy drops the connection.
        // `resume_unwind` skips the panic hook, so nothing is printed.
        Some(Fault::Drop) => std::panic::resume_unwind(Box::new("simulated dropped connection")),
        Some(Fault::Status(status)) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return error(
                status,
                "InjectedFault",
                "Injected fault: the server failed.",
            );
        }
        Some(Fault::Unsuccessful) => {
            return error(
                StatusCode::OK,
                "InjectedFault",
                "Injected fault: the request failed.",
            );
        }
        None => {}
    }

    if request.uri().path().starts_with("/v2/") {
        let signed = match check_signature(
            &state,
            request.method(),
            request.uri(),
            request.headers(),
            TokenKind::Access,
        ) {
            Ok(signed) => signed,
            Err(refusal) => return unauthorized(refusal),
        };
        let token = signed.token.unwrap_or_default();
        let taken = state.lock().take_rate(&token, Instant::now());
        if let Err(wait) = taken {
            let secs = wait.as_secs_f64().ceil().max(1.0) as u64;
            let mut response = error(
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
    next.run(request).await
}

// ----- API -------------------------------------------------------------------------------------

fn render(order: &SimOrder, includes: &[String]) -> Value {
    let mut value = serde_json::to_value(order).expect("orders serialize");
    let has = |name: &str| includes.iter().any(|i| i.eq_ignore_ascii_case(name));
    if let Some(map) = value.as_object_mut() {
        if !has("Shipments") {
            map.remove("Shipments");
        }
        if !has("Cancellations") {
            map.remove("Cancellations");
        }
        if !has("Acknowledgements")
            && let Some(Value::Array(lines)) = map.get_mut("Lines")
        {
            for line in lines {
                if let Some(line) = line.as_object_mut() {
                    line.remove("Acknowledgements");
                }
            }
        }
    }
    value
}

async fn fulfillment_get(
    State(state): State<QuiptState>,
    Path((first, second)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> Response {
    if first == "id" {
        return match state.order(&second) {
            Some(order) => {
                let all = ["Shipments", "Cancellations", "Acknowledgements"].map(String::from);
                envelope(StatusCode::OK, render(&order, &all), None, true, Vec::new())
            }
            None => error(
                StatusCode::NOT_FOUND,
                "NotFound",
                format!("No order with id {second}."),
            ),
        };
    }
    let bad = |text: String| error(StatusCode::BAD_REQUEST, "BadRequest", text);
    let size: u32 = match first.parse() {
        Ok(n) if (1..=MAX_PAGE_SIZE).contains(&n) => n,
        _ => {
            return bad(format!(
                "pageSize must be between 1 and {MAX_PAGE_SIZE}, not {first}."
            ));
        }
    };
    let page: u32 = match second.parse() {
        Ok(n) if n >= 1 => n,
        _ => return bad(format!("pageNumber must be 1 or more, not {second}.")),
    };
    let params: HashMap<String, String> =
        url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    let list = |key: &str| -> Vec<String> {
        params
            .get(key)
            .map(|v| {
                v.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut statuses = Vec::new();
    for s in list("orderStatus") {
        match s.parse::<i64>() {
            Ok(code) => statuses.push(code),
            Err(_) => return bad(format!("orderStatus has an invalid code: {s}.")),
        }
    }
    let warehouse_ids = list("warehouseIds");
    let modified_after = match params.get("modifiedAfter") {
        Some(t) => match DateTime::parse_from_rfc3339(t) {
            Ok(t) => Some(t.with_timezone(&Utc)),
            Err(_) => return bad(format!("modifiedAfter is not an ISO 8601 timestamp: {t}.")),
        },
        None => None,
    };
    let includes = list("include");

    let inner = state.lock();
    let mut matching: Vec<&SimOrder> = inner
        .orders()
        .iter()
        .filter(|o| statuses.is_empty() || statuses.contains(&o.status))
        .filter(|o| {
            warehouse_ids.is_empty()
                || o.warehouse
                    .as_ref()
                    .is_some_and(|w| warehouse_ids.contains(&w.id))
        })
        .filter(|o| modified_after.is_none_or(|t| o.modified_at > t))
        .collect();
    // Ordered by fields that never change, so acknowledging or shipping an order while a client
    // pages through the list does not shift the later pages.
    matching.sort_by(|a, b| (a.ordered_at, &a.id).cmp(&(b.ordered_at, &b.id)));
    let total = matching.len() as u64;
    let start = (page as usize - 1) * size as usize;
    let items: Vec<Value> = matching
        .iter()
        .skip(start)
        .take(size as usize)
        .map(|o| render(o, &includes))
        .collect();
    let has_more = (start + items.len()) < matching.len();
    drop(inner);
    let paging = json!({"PageNumber": page, "Total": total, "HasMoreRecords": has_more});
    envelope(
        StatusCode::OK,
        Value::Array(items),
        Some(paging),
        true,
        Vec::new(),
    )
}

async fn acknowledge(
    State(state): State<QuiptState>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    match parse_body::<AckBody>(&body) {
        Ok(body) => outcome(state.acknowledge(&id, body)),
        Err(text) => bad_body(text),
    }
}

async fn ship(State(state): State<QuiptState>, Path(id): Path<String>, body: Bytes) -> Response {
    match parse_body::<ShipBody>(&body) {
        Ok(body) => outcome(state.ship(&id, body)),
        Err(text) => bad_body(text),
    }
}

async fn void(
    State(state): State<QuiptState>,
    Path((id, external_id)): Path<(String, String)>,
) -> Response {
    outcome(state.void(&id, &external_id))
}

async fn cancel_shipment(
    State(state): State<QuiptState>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    match parse_body::<CancelShipmentBody>(&body) {
        Ok(body) => outcome(state.cancel_shipment(&id, body)),
        Err(text) => bad_body(text),
    }
}

async fn warehouses(State(state): State<QuiptState>) -> Response {
    let result = serde_json::to_value(state.warehouses()).expect("warehouses serialize");
    envelope(StatusCode::OK, result, None, true, Vec::new())
}

async fn partners(State(state): State<QuiptState>) -> Response {
    let result = serde_json::to_value(state.partners()).expect("partners serialize");
    envelope(StatusCode::OK, result, None, true, Vec::new())
}

// ----- OAuth endpoints -------------------------------------------------------------------------

fn form_response(pairs: &[(&str, &str)]) -> Response {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    (
        [(header::CONTENT_TYPE, "application/x-www-form-urlencoded")],
        body,
    )
        .into_response()
}

async fn oauth_initiate(
    State(state): State<QuiptState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let signed = match check_signature(&state, &method, &uri, &headers, TokenKind::None) {
        Ok(signed) => signed,
        Err(refusal) => return unauthorized(refusal),
    };
    let Some(callback) = signed.header.get("oauth_callback").map(str::to_string) else {
        return error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            "oauth_callback is required.",
        );
    };
    let (token, secret) = (random_token(), random_token());
    state.lock().request_tokens.insert(
        token.clone(),
        RequestTokenEntry {
            secret: secret.clone(),
            callback,
            verifier: None,
        },
    );
    form_response(&[
        ("oauth_token", &token),
        ("oauth_token_secret", &secret),
        ("oauth_callback_confirmed", "true"),
    ])
}

async fn oauth_token(
    State(state): State<QuiptState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let signed = match check_signature(&state, &method, &uri, &headers, TokenKind::Request) {
        Ok(signed) => signed,
        Err(refusal) => return unauthorized(refusal),
    };
    let request_token = signed.token.unwrap_or_default();
    let given = signed
        .header
        .get("oauth_verifier")
        .unwrap_or_default()
        .to_string();
    let mut inner = state.lock();
    let approved = inner
        .request_tokens
        .get(&request_token)
        .and_then(|e| e.verifier.clone())
        .is_some_and(|v| v == given);
    if !approved {
        return error(
            StatusCode::UNAUTHORIZED,
            "Unauthorized",
            "The request token is not approved, or the verifier does not match.",
        );
    }
    inner.request_tokens.remove(&request_token);
    let (token, secret) = (random_token(), random_token());
    inner.access_tokens.insert(token.clone(), secret.clone());
    drop(inner);
    form_response(&[("oauth_token", &token), ("oauth_token_secret", &secret)])
}

// ----- authorization pages ---------------------------------------------------------------------

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The app's page: the real authorization URL is a fragment (`/#/oauth/authorizing?oauth_token=`)
/// that only a script can read, so this page forwards it to the server-side form.
async fn app_page() -> Html<&'static str> {
    Html(
        r##"<!doctype html><html><head><title>Quipt (sandbox)</title></head><body>
<p>Quipt sandbox.</p>
<script>
var h = window.location.hash || "";
var prefix = "#/oauth/authorizing?";
if (h.indexOf(prefix) === 0) { window.location.replace("/oauth/authorize?" + h.substring(prefix.length)); }
</script></body></html>"##,
    )
}

#[derive(Deserialize)]
struct AuthorizeQuery {
    #[serde(default)]
    oauth_token: String,
}

fn login_form(token: &str, problem: Option<&str>) -> String {
    let problem = problem
        .map(|p| format!("<p class=\"error\">{}</p>", escape_html(p)))
        .unwrap_or_default();
    format!(
        r#"<!doctype html><html><head><title>Authorize the connector</title></head><body>
<h1>Authorize Quipt ShipStation Connector</h1>
<p>Log in as the company API user to let the connector read and fulfil orders.</p>{problem}
<form method="post" action="/oauth/authorize">
<input type="hidden" name="oauth_token" value="{token}">
<label>E-mail <input name="email" type="email"></label>
<label>Password <input name="password" type="password"></label>
<button type="submit">Start</button>
</form></body></html>"#,
        token = escape_html(token)
    )
}

async fn authorize_page(
    State(state): State<QuiptState>,
    Query(q): Query<AuthorizeQuery>,
) -> Response {
    if state.request_token_callback(&q.oauth_token).is_none() {
        return (
            StatusCode::BAD_REQUEST,
            Html("<p>Unknown or expired request token.</p>".to_string()),
        )
            .into_response();
    }
    Html(login_form(&q.oauth_token, None)).into_response()
}

#[derive(Deserialize)]
struct AuthorizeForm {
    #[serde(default)]
    oauth_token: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

async fn authorize_submit(
    State(state): State<QuiptState>,
    Form(form): Form<AuthorizeForm>,
) -> Response {
    let Some(callback) = state.request_token_callback(&form.oauth_token) else {
        return (
            StatusCode::BAD_REQUEST,
            Html("<p>Unknown or expired request token.</p>".to_string()),
        )
            .into_response();
    };
    if form.email != demo_data::QUIPT_API_USER_EMAIL
        || form.password != demo_data::QUIPT_API_USER_PASSWORD
    {
        let page = login_form(&form.oauth_token, Some("Wrong e-mail or password."));
        return (StatusCode::UNAUTHORIZED, Html(page)).into_response();
    }
    let Some(verifier) = state.approve_request_token(&form.oauth_token) else {
        return (
            StatusCode::BAD_REQUEST,
            Html("<p>Unknown request token.</p>".to_string()),
        )
            .into_response();
    };
    if callback == "oob" {
        return Html(format!(
            "<!doctype html><html><body><p>Paste this verifier into the connector:</p>\
             <p><code id=\"verifier\">{}</code></p></body></html>",
            escape_html(&verifier)
        ))
        .into_response();
    }
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("oauth_token", &form.oauth_token)
        .append_pair("oauth_verifier", &verifier)
        .finish();
    let separator = if callback.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{callback}{separator}{query}")).into_response()
}

// ----- control API -----------------------------------------------------------------------------

fn control_error(e: ControlError) -> Response {
    let status = match e {
        ControlError::UnknownOrder { .. } => StatusCode::NOT_FOUND,
        ControlError::WrongStatus { .. } => StatusCode::CONFLICT,
    };
    (status, axum::Json(json!({"error": e.to_string()}))).into_response()
}

fn control_order_result(r: Result<SimOrder, ControlError>) -> Response {
    match r {
        Ok(order) => axum::Json(order).into_response(),
        Err(e) => control_error(e),
    }
}

#[derive(Deserialize)]
struct ApproveBody {
    oauth_token: String,
}

async fn control_approve(
    State(state): State<QuiptState>,
    axum::Json(b): axum::Json<ApproveBody>,
) -> Response {
    match state.approve_request_token(&b.oauth_token) {
        Some(verifier) => axum::Json(json!({"verifier": verifier})).into_response(),
        None => (
            StatusCode::NOT_FOUND,
            axum::Json(json!({"error": "unknown request token"})),
        )
            .into_response(),
    }
}

async fn control_insert(
    State(state): State<QuiptState>,
    axum::Json(order): axum::Json<Value>,
) -> Response {
    match state.insert_order_json(order) {
        Ok(order) => axum::Json(order).into_response(),
        Err(e) => (
            StatusCode::BAD_REQUEST,
            axum::Json(json!({"error": e.to_string()})),
        )
            .into_response(),
    }
}

async fn control_orders(State(state): State<QuiptState>) -> Response {
    axum::Json(state.orders()).into_response()
}

async fn control_order(State(state): State<QuiptState>, Path(id): Path<String>) -> Response {
    control_order_result(state.order(&id).ok_or(ControlError::UnknownOrder { id }))
}

async fn control_clear_validation(
    State(state): State<QuiptState>,
    Path(id): Path<String>,
) -> Response {
    control_order_result(state.clear_validation(&id))
}

#[derive(Deserialize, Default)]
struct CancelBody {
    #[serde(default)]
    reason: Option<String>,
}

async fn control_cancel(
    State(state): State<QuiptState>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let b: CancelBody = serde_json::from_slice(&body).unwrap_or_default();
    control_order_result(
        state.cancel_order(&id, b.reason.as_deref().unwrap_or("Canceled in Quipt")),
    )
}

async fn control_ship_to(
    State(state): State<QuiptState>,
    Path(id): Path<String>,
    axum::Json(address): axum::Json<Option<SimAddress>>,
) -> Response {
    control_order_result(state.edit_ship_to(&id, address))
}

async fn control_stats(State(state): State<QuiptState>) -> Response {
    axum::Json(state.stats()).into_response()
}

async fn control_reset_stats(State(state): State<QuiptState>) -> StatusCode {
    state.reset_stats();
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
struct FailNext {
    count: u32,
    status: u16,
}

#[derive(Deserialize)]
struct FaultsBody {
    #[serde(default)]
    fail_next: Option<FailNext>,
    #[serde(default)]
    drop_next: Option<u32>,
    #[serde(default)]
    unsuccessful_next: Option<u32>,
    #[serde(default)]
    latency_ms: Option<u64>,
}

async fn control_faults(
    State(state): State<QuiptState>,
    axum::Json(b): axum::Json<FaultsBody>,
) -> StatusCode {
    if let Some(f) = b.fail_next {
        state.fail_next(f.count, f.status);
    }
    if let Some(n) = b.drop_next {
        state.drop_next(n);
    }
    if let Some(n) = b.unsuccessful_next {
        state.fail_next_unsuccessful(n);
    }
    if let Some(ms) = b.latency_ms {
        state.set_latency(std::time::Duration::from_millis(ms));
    }
    StatusCode::NO_CONTENT
}

async fn control_clear_faults(State(state): State<QuiptState>) -> StatusCode {
    state.clear_faults();
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
struct RateLimitBody {
    limit: u32,
    window_ms: u64,
}

async fn control_rate_limit(
    State(state): State<QuiptState>,
    axum::Json(b): axum::Json<RateLimitBody>,
) -> StatusCode {
    state.set_rate_limit(b.limit, std::time::Duration::from_millis(b.window_ms));
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
struct TokenBody {
    token: String,
    secret: String,
}

async fn control_add_token(
    State(state): State<QuiptState>,
    axum::Json(b): axum::Json<TokenBody>,
) -> StatusCode {
    state.add_access_token(&b.token, &b.secret);
    StatusCode::NO_CONTENT
}

async fn control_revoke_token(
    State(state): State<QuiptState>,
    Path(token): Path<String>,
) -> StatusCode {
    state.revoke_access_token(&token);
    StatusCode::NO_CONTENT
}
