//! How the Quipt API answers: the envelope (`Result`, `Paging`, `TransactionId`,
//! `TransactionTime`, `Success`, `Messages`), its error forms and the form-encoded OAuth answers.

use axum::body::Bytes;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{SecondsFormat, Utc};
use serde_json::{Value, json};

use super::oauth::Refusal;
use super::records::{SimMessage, new_guid};
use super::rules::Outcome;

pub fn envelope(
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

pub fn error(status: StatusCode, code: &str, text: impl Into<String>) -> Response {
    envelope(
        status,
        Value::Null,
        None,
        false,
        vec![SimMessage::fatal(code, text)],
    )
}

pub fn unauthorized(refusal: Refusal) -> Response {
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

pub fn outcome(outcome: Outcome) -> Response {
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
pub fn parse_body<T: serde::de::DeserializeOwned>(body: &Bytes) -> Result<T, String> {
    serde_json::from_slice(body).map_err(|e| format!("The body is not valid: {e}"))
}

pub fn bad_body(text: String) -> Response {
    error(StatusCode::BAD_REQUEST, "BadRequest", text)
}

/// A form-encoded answer (the OAuth steps).
pub fn form_response(pairs: &[(&str, &str)]) -> Response {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    (
        [(header::CONTENT_TYPE, "application/x-www-form-urlencoded")],
        body,
    )
        .into_response()
}
