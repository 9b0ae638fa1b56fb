//! The client's one error type. Each variant says what the caller can do about it; see
//! [`Error::is_retryable`].

use std::fmt;
use std::time::Duration;

use crate::envelope::Message;

/// Which OAuth step failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OAuthStep {
    /// `POST /oauth/initiate`.
    Initiate,
    /// `POST /oauth/token`.
    Exchange,
    /// The loopback callback.
    Callback,
}

impl fmt::Display for OAuthStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Initiate => "initiate",
            Self::Exchange => "token exchange",
            Self::Callback => "callback",
        })
    }
}

fn texts(messages: &[Message]) -> String {
    if messages.is_empty() {
        return "no message".to_string();
    }
    messages
        .iter()
        .map(|m| m.text.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

/// Everything that can go wrong talking to Quipt.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// 401: wrong consumer key/secret, unknown or revoked token, bad signature or clock skew.
    /// Never retried; the user must authorize again.
    #[error("Quipt refused the credentials: {message}")]
    Unauthorized {
        /// Quipt's explanation.
        message: String,
    },
    /// Quipt answered with an error: a 4xx/5xx status, or HTTP 200 with `Success: false`.
    #[error("Quipt answered {status}: {}", texts(.messages))]
    Api {
        /// HTTP status (200 when the envelope said `Success: false`).
        status: u16,
        /// The envelope's messages.
        messages: Vec<Message>,
    },
    /// 429 after every retry.
    #[error("Quipt's rate limit is reached; retry after {retry_after:?}")]
    RateLimited {
        /// What `Retry-After` said.
        retry_after: Duration,
    },
    /// The answer was not the JSON the contract describes.
    #[error("could not read Quipt's answer at `{path}`")]
    Decode {
        /// JSON path of the offending value, e.g. `Result[3].Status`.
        path: String,
        /// The parser's error.
        #[source]
        source: serde_json::Error,
    },
    /// A successful envelope without the `Result` that the endpoint must return.
    #[error("Quipt's answer to {endpoint} has no Result")]
    NoResult {
        /// The endpoint called.
        endpoint: String,
    },
    /// Quipt could not be reached, timed out, or dropped the connection (after every retry).
    #[error("could not reach Quipt")]
    Transport {
        /// The HTTP client's error.
        #[source]
        source: reqwest::Error,
    },
    /// An OAuth step got an answer it cannot use.
    #[error("OAuth {step} failed: {problem}")]
    OAuth {
        /// The step.
        step: OAuthStep,
        /// What was wrong.
        problem: String,
    },
    /// The loopback callback could not listen or read the browser's request.
    #[error("the OAuth loopback callback failed")]
    Callback {
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A base URL that does not parse.
    #[error("invalid Quipt URL `{url}`")]
    InvalidUrl {
        /// The URL given.
        url: String,
        /// Why it does not parse.
        #[source]
        source: url::ParseError,
    },
    /// `ClientBuilder::build` without consumer credentials or an access token.
    #[error("the Quipt client needs {which}")]
    MissingCredentials {
        /// `"consumer credentials"` or `"an access token"`.
        which: &'static str,
    },
}

impl Error {
    /// Whether the same call may succeed if tried again later: rate limits, 5xx answers and
    /// transport failures. Never 400, 401 or 404, and never `Success: false` on a 200.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::RateLimited { .. } | Self::Transport { .. } => true,
            Self::Api { status, .. } => *status >= 500,
            _ => false,
        }
    }

    /// The HTTP status behind the error, when there is one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Unauthorized { .. } => Some(401),
            Self::Api { status, .. } => Some(*status),
            Self::RateLimited { .. } => Some(429),
            Self::Transport { source } => source.status().map(|s| s.as_u16()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_server_side_and_transient_failures_are_retryable() {
        let api = |status| Error::Api {
            status,
            messages: Vec::new(),
        };
        assert!(api(503).is_retryable(), "a 5xx may pass later");
        assert!(!api(400).is_retryable(), "a bad request stays bad");
        assert!(!api(404).is_retryable(), "an unknown id stays unknown");
        assert!(
            !api(200).is_retryable(),
            "Success:false is a refusal, not a glitch"
        );
        assert!(
            !Error::Unauthorized {
                message: String::new()
            }
            .is_retryable(),
            "a refused token needs the user"
        );
        assert!(
            Error::RateLimited {
                retry_after: Duration::from_secs(1)
            }
            .is_retryable(),
            "a rate limit passes"
        );
    }
}
