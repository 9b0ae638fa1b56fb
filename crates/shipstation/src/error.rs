//! The one error type of the client. Messages keep the API's own text (`Message`, `message`,
//! `ExceptionMessage`), so the connector can show the user what ShipStation said.

use std::time::Duration;

use crate::models::page::UnreadableRow;

/// Why a transport failure happened, in the operator's words. An untrusted TLS certificate is
/// told apart (from the TLS library's own error in the chain, not from wording): behind a company
/// proxy that inspects TLS it means the proxy's CA is missing from this computer's store.
fn transport_problem(source: &reqwest::Error) -> String {
    if let Some(tls) = tls_error(source) {
        return format!(
            "the TLS connection was refused ({tls}); if a company proxy inspects TLS, install its CA certificate in this computer's certificate store"
        );
    }
    if source.is_timeout() {
        "no full answer within the timeout"
    } else if source.is_connect() {
        "no connection could be made"
    } else if source.is_body() || source.is_decode() {
        "the connection broke during the answer"
    } else {
        "the connection failed"
    }
    .to_string()
}

/// The TLS library's error behind a transport failure, when there is one.
fn tls_error(source: &reqwest::Error) -> Option<&rustls::Error> {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(source);
    while let Some(error) = cause {
        if let Some(tls) = error.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        // An I/O error hides the error it wraps from `source()`: step into it instead.
        cause = match error.downcast_ref::<std::io::Error>() {
            Some(io) => io
                .get_ref()
                .map(|inner| inner as &(dyn std::error::Error + 'static)),
            None => error.source(),
        };
    }
    None
}

/// Everything a ShipStation call can fail with. Every text from the server in it is cut short.
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
    #[error("ShipStation's rate limit is exhausted; the window resets in {} s{}", retry_after.as_secs(), server_sent.as_ref().map(|s| format!(" (ShipStation sent {s})")).unwrap_or_default())]
    RateLimited {
        /// `X-Rate-Limit-Reset` of the last 429, at most the 60-second window.
        retry_after: Duration,
        /// The rate headers of the last 429 that were not believable, named with their values.
        server_sent: Option<String>,
    },
    /// A 3xx answer. The client follows no redirect: the API key and secret must only go where
    /// they were configured to go.
    #[error("ShipStation answered {status} redirecting to {}; redirects are not followed: check the ShipStation address", location.as_deref().unwrap_or("nowhere"))]
    Redirect {
        /// The status.
        status: u16,
        /// Where it pointed (cut short).
        location: Option<String>,
    },
    /// An answer larger than the client reads (a page of 500 orders is far smaller): the rest was
    /// left unread.
    #[error("ShipStation's answer is larger than {} MiB; it was not read", limit / (1024 * 1024))]
    BodyTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// The answer was not the JSON the contract describes.
    #[error("unexpected response from ShipStation at `{path}`: {problem}")]
    Decode {
        /// Where in the JSON the mismatch is (`orders[3].orderId`), `.` for the whole body.
        path: String,
        /// What the parser found, cut short: its message quotes the offending value, which the
        /// server chooses (a string field of a megabyte), and no error source carries it whole.
        problem: String,
    },
    /// One row of a listing could not be read (see [`UnreadableRow`]); the listing goes on past
    /// it, so this comes among the rows of a listing's stream, never alone from a call.
    #[error(transparent)]
    UnreadableRow(Box<UnreadableRow>),
    /// The request body could not be encoded (e.g. a non-finite amount).
    #[error("could not encode the request body: {source}")]
    Encode {
        /// What serde found.
        source: serde_json::Error,
    },
    /// No HTTP answer: connection refused or dropped, timeout, after the retries.
    #[error("could not reach ShipStation: {}", transport_problem(source))]
    Transport {
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },
    /// A paged listing the server would have kept going for ever, stopped (see [`Runaway`]): the
    /// rows read before the stop were returned, and the same listing would not end next time
    /// either, so this is not retried.
    #[error("ShipStation kept {endpoint} going: {}; the listing was stopped", runaway.told(*page))]
    EndlessListing {
        /// The listing, e.g. `/shipments`.
        endpoint: &'static str,
        /// The page whose answer stopped it.
        page: u32,
        /// What the server did.
        runaway: Runaway,
    },
    /// A paged listing ended with fewer rows than the server announced (a page came back empty,
    /// or rows moved up a page while listing): rows were skipped, so the listing is stopped
    /// rather than ended, and a caller keeps its cursor where it stood. The next run reads it
    /// again.
    #[error(
        "ShipStation's {endpoint} listing came back short at page {page}: {listed} of the {total} records it announced; the listing was stopped, to be read again"
    )]
    ListingCutShort {
        /// The listing, e.g. `/shipments`.
        endpoint: &'static str,
        /// The page it stopped at.
        page: u32,
        /// Distinct rows listed.
        listed: u64,
        /// The rows announced.
        total: u64,
    },
    /// More than 100 orders passed to one bulk call; nothing was sent.
    #[error("{count} orders in one bulk call; ShipStation accepts at most 100")]
    TooManyOrders {
        /// How many were passed.
        count: usize,
    },
    /// The base URL is refused before any request is sent: not an absolute URL, or plain http to
    /// another computer.
    #[error("`{url}` is not a usable ShipStation base URL: {reason}")]
    InvalidBaseUrl {
        /// What was given.
        url: String,
        /// Why it is refused.
        reason: &'static str,
    },
}

impl Error {
    /// Whether trying again later can help (429, 5xx, transport, a listing cut short). 400, 401
    /// and 404 never do.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::RateLimited { .. } | Self::Transport { .. } | Self::ListingCutShort { .. } => {
                true
            }
            Self::Api { status, .. } => *status >= 500 || *status == 408,
            _ => false,
        }
    }

    /// The HTTP status, when the API answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Unauthorized { .. } => Some(401),
            Self::Api { status, .. } | Self::Redirect { status, .. } => Some(*status),
            Self::RateLimited { .. } => Some(429),
            _ => None,
        }
    }
}

/// Result of every client call.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a listing was stopped before the server ended it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runaway {
    /// The page brought rows, every one of them already on an earlier page of this listing, while
    /// the server announced more pages.
    OnlyRepeats,
    /// The server said the page was not the last, but its `total` fills fewer pages.
    BeyondTotal {
        /// The `total` rows the server announced.
        total: u64,
        /// The rows per page asked for.
        page_size: u32,
    },
}

impl Runaway {
    /// What the server did on `page`, in the operator's words.
    pub fn told(self, page: u32) -> String {
        match self {
            Self::OnlyRepeats => format!(
                "page {page} brought only rows of earlier pages, yet more pages were announced"
            ),
            Self::BeyondTotal { total, page_size } => format!(
                "page {page} was not the last, though its total of {total} record{} fills {} page{} of {page_size}",
                if total == 1 { "" } else { "s" },
                total.div_ceil(u64::from(page_size)),
                if total.div_ceil(u64::from(page_size)) == 1 {
                    ""
                } else {
                    "s"
                },
            ),
        }
    }
}
