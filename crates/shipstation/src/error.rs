//! The one error type of the client. Messages keep the API's own text (`Message`, `message`,
//! `ExceptionMessage`), so the connector can show the user what ShipStation said.

use std::time::Duration;

/// Everything a ShipStation call can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// 401: the API key/secret pair was refused. Never retried.
    #[error("ShipStation refused the API key and secret (401): {message}")]
    Unauthorized {
        /// The API's message.
        message: String,
    },
    /// Any other non-success answer (400 validation, 404 unknown id, 5xx after the retries).
    #[error("ShipStation answered {status}: {message}")]
    Api {
        /// HTTP status.
        status: u16,
        /// The API's message.
        message: String,
    },
    /// 429 and the retries are used up (another application keeps using the key's budget).
    #[error("ShipStation's rate limit is exhausted; the window resets in {retry_after:?}")]
    RateLimited {
        /// `X-Rate-Limit-Reset` of the last 429.
        retry_after: Duration,
    },
    /// The answer was not the JSON the contract describes.
    #[error("unexpected response from ShipStation at `{path}`: {source}")]
    Decode {
        /// Where in the JSON the mismatch is (`orders[3].orderId`), `.` for the whole body.
        path: String,
        /// What serde found.
        source: serde_json::Error,
    },
    /// The request body could not be encoded (e.g. a non-finite amount).
    #[error("could not encode the request body: {source}")]
    Encode {
        /// What serde found.
        source: serde_json::Error,
    },
    /// No HTTP answer: connection refused or dropped, timeout, after the retries.
    #[error("could not reach ShipStation: {source}")]
    Transport {
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },
    /// More than 100 orders passed to one bulk call; nothing was sent.
    #[error("{count} orders in one bulk call; ShipStation accepts at most 100")]
    TooManyOrders {
        /// How many were passed.
        count: usize,
    },
    /// The base URL is not an absolute http(s) URL.
    #[error("`{url}` is not a usable ShipStation base URL: {reason}")]
    InvalidBaseUrl {
        /// What was given.
        url: String,
        /// Why it is refused.
        reason: &'static str,
    },
}

impl Error {
    /// Whether trying again later can help (429, 5xx, transport). 400, 401 and 404 never do.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::RateLimited { .. } | Self::Transport { .. } => true,
            Self::Api { status, .. } => *status >= 500 || *status == 408,
            _ => false,
        }
    }

    /// The HTTP status, when the API answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Unauthorized { .. } => Some(401),
            Self::Api { status, .. } => Some(*status),
            Self::RateLimited { .. } => Some(429),
            _ => None,
        }
    }
}

/// Result of every client call.
pub type Result<T, E = Error> = std::result::Result<T, E>;
