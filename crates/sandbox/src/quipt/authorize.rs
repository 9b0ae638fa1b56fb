//! Quipt's OAuth 1.0a flow on the app host: `POST /oauth/initiate` and `POST /oauth/token` (signed,
//! form-encoded answers), and the authorization pages where the demo API user approves a request
//! token (`GET /` forwards the fragment `#/oauth/authorizing?oauth_token=…` to the login form of
//! `GET /oauth/authorize`; its POST redirects to the callback, or shows the verifier for `oob`).

use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::gate::{TokenKind, check_signature};
use super::oauth::random_token;
use super::records::RequestTokenEntry;
use super::responses::form_response;
use super::state::QuiptState;
use crate::demo_data;

pub async fn oauth_initiate(
    State(state): State<QuiptState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let reply = state.reply();
    let signed = match check_signature(&state, &method, &uri, &headers, TokenKind::None) {
        Ok(signed) => signed,
        Err(refusal) => return reply.unauthorized(refusal),
    };
    let Some(callback) = signed.header.get("oauth_callback").map(str::to_string) else {
        return reply.error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            "oauth_callback is required.",
        );
    };
    let (token, secret) = (random_token(), random_token());
    state.lock().tokens.request_tokens.insert(
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

pub async fn oauth_token(
    State(state): State<QuiptState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let reply = state.reply();
    let signed = match check_signature(&state, &method, &uri, &headers, TokenKind::Request) {
        Ok(signed) => signed,
        Err(refusal) => return reply.unauthorized(refusal),
    };
    let request_token = signed.token.unwrap_or_default();
    let given = signed
        .header
        .get("oauth_verifier")
        .unwrap_or_default()
        .to_string();
    let mut inner = state.lock();
    let approved = inner
        .tokens
        .request_tokens
        .get(&request_token)
        .and_then(|e| e.verifier.clone())
        .is_some_and(|v| v == given);
    if !approved {
        return reply.error(
            StatusCode::UNAUTHORIZED,
            "Unauthorized",
            "The request token is not approved, or the verifier does not match.",
        );
    }
    inner.tokens.request_tokens.remove(&request_token);
    let (token, secret) = (random_token(), random_token());
    inner
        .tokens
        .access_tokens
        .insert(token.clone(), secret.clone());
    drop(inner);
    form_response(&[("oauth_token", &token), ("oauth_token_secret", &secret)])
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The app's page: the real authorization URL is a fragment (`/#/oauth/authorizing?oauth_token=`)
/// that only a script can read, so this page forwards it to the server-side form.
pub async fn app_page() -> Html<&'static str> {
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
pub(super) struct AuthorizeQuery {
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

pub async fn authorize_page(
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
pub(super) struct AuthorizeForm {
    #[serde(default)]
    oauth_token: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

pub async fn authorize_submit(
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
