//! The client's one error type. Each variant says what the caller can do about it; see
//! [`Error::is_retryable`].

use std::fmt;
use std::time::Duration;

use crate::clock::Skew;
use crate::message::Message;

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

/// Why a transport failure happened, in the operator's words. An untrusted TLS certificate is
/// told apart (from the TLS library's own error in the chain, not from wording): behind a company
/// proxy that inspects TLS it means the proxy's CA is missing from this computer's store. Public
/// for what else is read through this transport ([`crate::get_public`]), whose errors name
/// another service.
pub fn transport_problem(source: &reqwest::Error) -> String {
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

/// What could be told of an order Quipt sent in a form the contract does not describe
/// ([`Error::UnreadableOrder`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Quipt's order {} could not be read at `{path}`: {problem}", order_number.as_deref().or(id.as_deref()).unwrap_or("without an Id"))]
pub struct UnreadableOrder {
    /// Its `Id`, when it has a readable one.
    pub id: Option<String>,
    /// Its `OrderNumber`, when readable.
    pub order_number: Option<String>,
    /// Its `ModifiedAt`, when readable (the listing's cursor moves past it).
    pub modified_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Its `Status`, when readable: a closed order is no one's to hold.
    pub status: Option<crate::OrderStatus>,
    /// JSON path of the offending value, e.g. `Lines[0].Ordered.Value`.
    pub path: String,
    /// What the parser found, cut short.
    pub problem: String,
}

/// How a paged listing would have gone on for ever.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Runaway {
    /// The page brought only orders of earlier pages, yet Quipt said more records followed (a
    /// caching proxy answering page 1 to every page, or a bug).
    #[error("with only orders of earlier pages, yet said more records followed")]
    OnlyRepeats,
    /// Quipt said more records followed beyond the pages its own `Total` fills.
    #[error("past the {total} records it announced, yet said more records followed")]
    BeyondTotal {
        /// The `Total` Quipt announced on that page.
        total: u64,
    },
}

/// Everything that can go wrong talking to Quipt.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// 401: wrong consumer key/secret, unknown or revoked token, bad signature. Never retried; the
    /// user must authorize again.
    #[error("Quipt refused the credentials: {message}")]
    Unauthorized {
        /// Quipt's explanation (cut short).
        message: String,
    },
    /// 401 while this computer's clock is more than the OAuth window away from Quipt's (told by
    /// the answer's `Date` header): the signature's timestamp is refused, not the credentials.
    #[error(
        "Quipt refused the signed request because {skew}: check this computer's clock (date, time and time zone), then try again"
    )]
    ClockSkew {
        /// Both clocks.
        skew: Skew,
    },
    /// Quipt answered with an error: a 4xx/5xx status, or HTTP 200 with `Success: false`.
    #[error("Quipt answered {status}: {}", texts(.messages))]
    Api {
        /// HTTP status (200 when the envelope said `Success: false`).
        status: u16,
        /// The envelope's messages.
        messages: Vec<Message>,
    },
    /// 429 after every retry, or at once when Quipt asks for a wait beyond its rate window (the
    /// next run tries again; see `retry.rs`).
    #[error("Quipt's rate limit is reached; retry after {} s{}", retry_after.as_secs(), server_sent.as_ref().map(|s| format!(" (Quipt sent {s})")).unwrap_or_default())]
    RateLimited {
        /// The wait Quipt asked for (the rate window when it named none).
        retry_after: Duration,
        /// The `Retry-After` the server sent when it was not a believable wait (cut short).
        server_sent: Option<String>,
    },
    /// The answer was not the JSON the contract describes.
    #[error("could not read Quipt's answer at `{path}`: {problem}")]
    Decode {
        /// JSON path of the offending value, e.g. `Result[3].Status`.
        path: String,
        /// What the parser found, cut short: its message quotes the offending value, which the
        /// server chooses (a string field of a megabyte), and no error source carries it whole.
        problem: String,
    },
    /// A successful envelope without the `Result` that the endpoint must return.
    #[error("Quipt's answer to {endpoint} has no Result")]
    NoResult {
        /// The endpoint called.
        endpoint: String,
    },
    /// An answer larger than the client reads (a page of orders is far smaller): the rest was
    /// left unread.
    #[error("Quipt's answer is larger than {} MiB; it was not read", limit / (1024 * 1024))]
    BodyTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// A 3xx answer. The client follows no redirect: credentials must only go where they were
    /// configured to go.
    #[error("Quipt answered {status} redirecting to {}; redirects are not followed: check the Quipt address", location.as_deref().unwrap_or("nowhere"))]
    Redirect {
        /// The status.
        status: u16,
        /// Where it pointed (cut short).
        location: Option<String>,
    },
    /// Quipt could not be reached, timed out, or dropped the connection (after every retry).
    #[error("could not reach Quipt: {}", transport_problem(source))]
    Transport {
        /// The HTTP client's error.
        #[source]
        source: reqwest::Error,
    },
    /// A write whose answer was lost, and reading the order back to find out whether it happened
    /// failed too. Nothing was sent again; the next run decides from the order.
    #[error(
        "Quipt may or may not have done {endpoint}: the answer was lost and the order could not be read back ({cause})"
    )]
    OutcomeUnknown {
        /// The write, e.g. `POST /orders/fulfillment/{id}/acknowledgements`.
        endpoint: String,
        /// Why the order could not be read back.
        #[source]
        cause: Box<Error>,
    },
    /// One order of a listing that is not the JSON the contract describes (a quantity as text, a
    /// date no calendar has), with what could be told of it. The listing goes on past it: this is
    /// the order's problem, not the page's.
    #[error("{0}")]
    UnreadableOrder(Box<UnreadableOrder>),
    /// A paged listing Quipt would have kept going for ever, stopped ([`Runaway`]). The orders
    /// read before were returned; not retried, as the same listing would not end next time
    /// either.
    #[error("Quipt answered page {page} of {endpoint} {runaway}; the listing was stopped")]
    EndlessListing {
        /// The listing.
        endpoint: &'static str,
        /// The page whose answer stopped it.
        page: u32,
        /// What Quipt did.
        runaway: Runaway,
    },
    /// A listing came back short: a page with no order although Quipt said more records
    /// followed, or a last page leaving fewer orders listed than its `Total`. Orders were
    /// skipped, so the listing is stopped rather than ended, and a caller keeps its cursor where
    /// it stood. The next run reads it again.
    #[error(
        "Quipt's {endpoint} listing came back short at page {page}: {listed} of the {total} records it announced; the listing was stopped, to be read again"
    )]
    ListingCutShort {
        /// The listing.
        endpoint: &'static str,
        /// The page it stopped at.
        page: u32,
        /// Distinct orders listed.
        listed: u64,
        /// The records announced.
        total: u64,
    },
    /// A write answered with a success that could not be used (not the contract's JSON, larger
    /// than read, or without the `Result` that says what Quipt did), on its last try: Quipt may
    /// have done it. Retryable: a shipment is sent again (Quipt de-duplicates it by its
    /// `ExternalId`), any other write decided from the order read first.
    #[error("Quipt may have done {endpoint}, but its answer could not be used: {cause}")]
    UnusableAnswer {
        /// The write, e.g. `POST /orders/fulfillment/{id}/shipments`.
        endpoint: String,
        /// What was wrong with the answer.
        #[source]
        cause: Box<Error>,
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
    #[error("the OAuth loopback callback failed: {source}")]
    Callback {
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// No approval reached the loopback callback in time; it stopped listening.
    #[error("no authorization arrived within {} minutes; start the authorization again", waited.as_secs().div_ceil(60))]
    CallbackTimedOut {
        /// How long it waited.
        waited: Duration,
    },
    /// A base URL the client refuses, before any request is sent.
    #[error("`{url}` is not a usable Quipt address: {reason}")]
    InvalidUrl {
        /// The URL given.
        url: String,
        /// Why it is refused.
        reason: &'static str,
    },
    /// `ClientBuilder::build` without consumer credentials or an access token.
    #[error("the Quipt client needs {which}")]
    MissingCredentials {
        /// `"consumer credentials"` or `"an access token"`.
        which: &'static str,
    },
}

impl Error {
    /// Whether the same call may succeed if tried again later: rate limits, 5xx answers,
    /// transport failures and writes whose answer was lost or could not be used. Never 400, 401
    /// or 404, and never `Success: false` on a 200.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::RateLimited { .. }
            | Self::Transport { .. }
            | Self::OutcomeUnknown { .. }
            | Self::UnusableAnswer { .. }
            | Self::ListingCutShort { .. } => true,
            Self::Api { status, .. } => *status >= 500,
            _ => false,
        }
    }

    /// Whether Quipt answered this one call and would not, or could not, give what it asked: a
    /// 4xx other than 401 and 429 (a 404 among them), `Success: false` on a 200, or an answer
    /// that is not the contract's JSON. The same call will not do better, but the next one (for
    /// another order) may well: a caller working through many orders records it against the
    /// order and goes on. Credentials refused, a rate limit, an outage or a redirect are not:
    /// they concern every call alike.
    pub fn is_refusal(&self) -> bool {
        match self {
            Self::Api { status, .. } => *status < 500,
            Self::Decode { .. }
            | Self::NoResult { .. }
            | Self::BodyTooLarge { .. }
            | Self::UnreadableOrder(_) => true,
            _ => false,
        }
    }

    /// The HTTP status behind the error, when there is one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Unauthorized { .. } | Self::ClockSkew { .. } => Some(401),
            Self::Api { status, .. } | Self::Redirect { status, .. } => Some(*status),
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
                retry_after: Duration::from_secs(1),
                server_sent: None,
            }
            .is_retryable(),
            "a rate limit passes"
        );
        let unreadable = || Error::Decode {
            path: ".".into(),
            problem: "expected value at line 1 column 1".into(),
        };
        assert!(
            !unreadable().is_retryable(),
            "a read's answer that is not the contract's JSON stays so"
        );
        assert!(
            Error::UnusableAnswer {
                endpoint: "POST /orders/fulfillment/o-1/shipments".into(),
                cause: Box::new(unreadable()),
            }
            .is_retryable(),
            "a write's unusable answer may hide a write that happened: not a refusal"
        );
    }

    #[test]
    fn a_refusal_concerns_the_one_call_and_never_the_credentials_the_budget_or_an_outage() {
        let api = |status| Error::Api {
            status,
            messages: Vec::new(),
        };
        for status in [200, 400, 403, 404, 409] {
            assert!(api(status).is_refusal(), "{status} refuses this call");
        }
        assert!(!api(503).is_refusal(), "an outage concerns every call");
        assert!(
            Error::Decode {
                path: "Result.Lines".into(),
                problem: "invalid type".into(),
            }
            .is_refusal(),
            "an order the client cannot read is that order's"
        );
        assert!(
            !Error::Unauthorized {
                message: String::new()
            }
            .is_refusal(),
            "refused credentials concern every call"
        );
        assert!(
            !Error::RateLimited {
                retry_after: Duration::from_secs(1),
                server_sent: None,
            }
            .is_refusal(),
            "a spent budget concerns every call"
        );
    }
}
