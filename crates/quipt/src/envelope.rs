//! The envelope around every Quipt answer (`shared/api/quipt.md`, "Conventions"):
//! `{Result, Paging, TransactionId, TransactionTime, Success, Messages}`.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::Error;

/// Severity of a [`Message`], an integer on the wire. A message without one counts as Fatal.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Severity {
    /// 0.
    Info,
    /// 1: the call succeeded but something is worth knowing (e.g. a repeated `ExternalId`).
    Warning,
    /// 2: the call failed.
    #[default]
    Fatal,
    /// A code this client does not know.
    Other(i64),
}

impl Serialize for Severity {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(match self {
            Self::Info => 0,
            Self::Warning => 1,
            Self::Fatal => 2,
            Self::Other(code) => *code,
        })
    }
}

impl<'de> Deserialize<'de> for Severity {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match Option::<i64>::deserialize(d)? {
            Some(0) => Self::Info,
            Some(1) => Self::Warning,
            Some(2) | None => Self::Fatal,
            Some(other) => Self::Other(other),
        })
    }
}

/// One message of the envelope.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Message {
    /// Machine-readable code, when Quipt gives one.
    #[serde(default)]
    pub code: Option<String>,
    /// Human text.
    #[serde(default, deserialize_with = "crate::models::lenient::null_as_default")]
    pub text: String,
    /// 0 Info, 1 Warning, 2 Fatal.
    #[serde(default)]
    pub severity: Severity,
}

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
    #[serde(default, deserialize_with = "crate::models::lenient::null_as_default")]
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

/// Parses a successful (2xx) body; the error names the JSON path that did not fit.
pub(crate) fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<Envelope<T>, Error> {
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|e| Error::Decode {
        path: e.path().to_string(),
        source: e.into_inner(),
    })
}

/// The messages of an error answer, as far as they can be read; a body that is not an envelope
/// becomes one Fatal message with (the start of) its text.
pub(crate) fn error_messages(body: &[u8]) -> Vec<Message> {
    match serde_json::from_slice::<Envelope<serde_json::Value>>(body) {
        Ok(envelope) if !envelope.messages.is_empty() => envelope.messages,
        _ => {
            let text = String::from_utf8_lossy(body);
            let text: String = text.chars().take(300).collect();
            if text.trim().is_empty() {
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
