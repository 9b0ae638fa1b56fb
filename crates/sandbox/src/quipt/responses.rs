//! How the Quipt API answers: the envelope (`Result`, `Paging`, `TransactionId`,
//! `TransactionTime`, `Success`, `Messages`), its error forms and the form-encoded OAuth answers.

use axum::body::Bytes;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};

use super::oauth::Refusal;
use super::records::{SimMessage, new_guid};
use super::rules::Outcome;

/// Answers stamped with the simulator's time (`TransactionTime`); see `QuiptState::reply`.
#[derive(Debug, Clone, Copy)]
pub struct Reply {
    at: DateTime<Utc>,
}

impl Reply {
    /// Answers sent at `at`.
    pub fn at(at: DateTime<Utc>) -> Self {
        Self { at }
    }

    /// The envelope around `result`.
    pub fn envelope(
        self,
        status: StatusCode,
        result: Value,
        paging: Option<Value>,
        success: bool,
        messages: Vec<SimMessage>,
    ) -> Response {
        let mut body = json!({
            "Result": result,
            "TransactionId": new_guid(),
            "TransactionTime": self.at.to_rfc3339_opts(SecondsFormat::Millis, true),
            "Success": success,
            "Messages": messages,
        });
        if let Some(paging) = paging {
            body["Paging"] = paging;
        }
        (status, axum::Json(body)).into_response()
    }

    /// `Success: false` with one Fatal message.
    pub fn error(self, status: StatusCode, code: &str, text: impl Into<String>) -> Response {
        self.envelope(
            status,
            Value::Null,
            None,
            false,
            vec![SimMessage::fatal(code, text)],
        )
    }

    /// A 401 naming why the signature was refused.
    pub fn unauthorized(self, refusal: Refusal) -> Response {
        let mut response = self.error(
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

    /// The answer to a write. One that took effect carries its `Write` in the response's
    /// extensions, where the gate looks for an armed "answer lost" fault.
    pub fn outcome(self, outcome: Outcome) -> Response {
        match outcome {
            Outcome::Done {
                result,
                messages,
                effect,
            } => {
                let mut response = self.envelope(StatusCode::OK, result, None, true, messages);
                if let Some(write) = effect {
                    response.extensions_mut().insert(write);
                }
                response
            }
            Outcome::NotFound(text) => self.error(StatusCode::NOT_FOUND, "NotFound", text),
            Outcome::BadRequest(text) => self.error(StatusCode::BAD_REQUEST, "BadRequest", text),
            Outcome::Refused(message) => {
                self.envelope(StatusCode::OK, Value::Null, None, false, vec![message])
            }
        }
    }

    /// A 400 for a body that could not be read.
    pub fn bad_body(self, text: String) -> Response {
        self.error(StatusCode::BAD_REQUEST, "BadRequest", text)
    }
}

/// Parses a JSON body; the error is the 400 envelope's text.
pub fn parse_body<T: serde::de::DeserializeOwned>(body: &Bytes) -> Result<T, String> {
    serde_json::from_slice(body).map_err(|e| format!("The body is not valid: {e}"))
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
