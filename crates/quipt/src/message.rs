//! The messages of Quipt's envelope (`shared/api/quipt.md`, "Conventions"): `{Code, Text,
//! Severity}`. The envelope carries them and the error type reports them. Their texts come from
//! the server and travel on to the history, the logs and the UI, so each is cut short as it is
//! read.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::text;

/// The most messages of one answer that are kept.
pub(crate) const MAX_MESSAGES: usize = 10;

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
    /// Machine-readable code, when Quipt gives one (cut short).
    #[serde(default, deserialize_with = "bounded_code")]
    pub code: Option<String>,
    /// Human text (cut short).
    #[serde(default, deserialize_with = "bounded_text")]
    pub text: String,
    /// 0 Info, 1 Warning, 2 Fatal.
    #[serde(default)]
    pub severity: Severity,
}

fn bounded_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.map_or_else(String::new, |t| text::bounded(&t)))
}

fn bounded_code<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<String>::deserialize(d)?.map(|c| text::bounded(&c)))
}
