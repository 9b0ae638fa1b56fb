//! The envelope around every Quipt answer (`shared/api/quipt.md`, "Conventions"):
//! `{Result, Paging, TransactionId, TransactionTime, Success, Messages}`.

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::message::{MAX_MESSAGES, Message, Severity};
use crate::text;

/// Paging of a paged call.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub(crate) struct Paging {
    pub page_number: u32,
    pub total: u64,
    pub has_more_records: bool,
}

/// The envelope, with `Result` typed.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Envelope<T> {
    #[serde(default = "Option::default")]
    pub result: Option<T>,
    #[serde(default)]
    pub paging: Option<Paging>,
    #[serde(default)]
    pub success: bool,
    #[serde(default, deserialize_with = "bounded_messages")]
    pub messages: Vec<Message>,
}

/// One page of a paged list.
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// This page's number (from 1).
    pub page_number: u32,
    /// How many items match in all.
    pub total: u64,
    /// Whether a later page has more.
    pub has_more_records: bool,
}

/// At most [`MAX_MESSAGES`] messages, `null` read as none.
fn bounded_messages<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Message>, D::Error> {
    let mut messages = Option::<Vec<Message>>::deserialize(d)?.unwrap_or_default();
    messages.truncate(MAX_MESSAGES);
    Ok(messages)
}

/// Parses a successful (2xx) body; the error names the JSON path that did not fit (cut short: a
/// path holds the server's map keys).
pub(crate) fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<Envelope<T>, Error> {
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|e| Error::Decode {
        path: text::bounded(&e.path().to_string()),
        problem: text::bounded(&e.into_inner().to_string()),
    })
}

/// The messages of an error answer, as far as they can be read; a body that is not an envelope
/// becomes one Fatal message with (the start of) its text.
pub(crate) fn error_messages(body: &[u8]) -> Vec<Message> {
    match serde_json::from_slice::<Envelope<serde_json::Value>>(body) {
        Ok(envelope) if !envelope.messages.is_empty() => envelope.messages,
        _ => {
            let text = text::describe_body(body);
            if text.is_empty() {
                Vec::new()
            } else {
                vec![Message {
                    code: None,
                    text,
                    severity: Severity::Fatal,
                }]
            }
        }
    }
}
