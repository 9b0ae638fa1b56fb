//! [`Client`] and [`ClientBuilder`]: the only code that sends HTTP. Every API call is signed
//! (OAuth 1.0a, fresh nonce per attempt), read within a size limit, decoded from the envelope, and
//! retried as [`retry::decide`] says; every attempt, rate limit, retry and wait is counted in
//! [`Metrics`]. The resource modules (`orders.rs`, …) add their handlers to [`Client`] and call
//! [`Client::call`], so this module knows no resource.
//!
//! What the transport refuses, whatever the server does: plain http to another computer (the
//! credentials would travel in clear text), redirects (they are errors naming the location),
//! answers larger than [`MAX_BODY`] (error answers are cut to [`MAX_ERROR_BODY`]), and waits longer
//! than [`retry::RATE_WINDOW`]. TLS trusts the operating system's certificate store as well as the
//! bundled roots, so a company proxy that inspects TLS with its own CA works; `HTTPS_PROXY` and
//! `NO_PROXY` are honoured.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use reqwest::Method;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, DATE, LOCATION, RETRY_AFTER};
use serde::de::DeserializeOwned;
use url::{Host, Url};

use crate::clock::{self, Clock, SystemClock};
use crate::credentials::{AccessToken, ConsumerCredentials};
use crate::envelope::{self, Envelope};
use crate::error::{Error, OAuthStep};
use crate::paths;
use crate::retry::{self, Attempt, Decision, Repeat, RetryAfter, RetryPolicy};
use crate::signing::{self, Nonce};
use crate::text;

/// The content type the contract asks for on every call.
const JSON_UTF8: &str = "application/json;charset=UTF-8";
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The largest successful answer read: a page of 200 orders with everything included is a few
/// megabytes at most.
pub const MAX_BODY: usize = 32 * 1024 * 1024;
/// The most of an error answer that is read; only its start becomes the error message.
pub const MAX_ERROR_BODY: usize = 64 * 1024;

/// What the client has done so far; the run summary reports it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Metrics {
    /// HTTP attempts sent (retries included).
    pub requests: u64,
    /// 429 answers received.
    pub rate_limited: u64,
    /// Retries made.
    pub retries: u64,
    /// Time spent waiting before retries (on the client's [`Clock`]).
    pub waited: Duration,
    /// Writes whose answer was lost and that were settled by reading the order back.
    pub read_back: u64,
}

/// A signed client of Quipt's Merchant API v2. Cheap to clone (shared inside); `Debug` shows the
/// URL and the consumer key only.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    api_base: String,
    consumer: ConsumerCredentials,
    token: AccessToken,
    policy: RetryPolicy,
    clock: Arc<dyn Clock>,
    metrics: Mutex<Metrics>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("api_base", &self.inner.api_base)
            .field("consumer_key", &self.inner.consumer.key)
            .finish_non_exhaustive()
    }
}

/// Builds a [`Client`].
#[derive(Debug)]
pub struct ClientBuilder {
    api_url: String,
    consumer: Option<ConsumerCredentials>,
    token: Option<AccessToken>,
    policy: RetryPolicy,
    timeout: Duration,
    clock: Arc<dyn Clock>,
}

/// Checks a Quipt base URL (`QUIPT_API_URL`, `QUIPT_APP_URL`) before anything is sent to it: an
/// absolute http(s) URL without query or fragment, and https unless the host is this computer
/// (127.0.0.0/8, ::1, `localhost`), where the sandbox runs.
///
/// # Errors
/// [`Error::InvalidUrl`] saying why.
pub fn check_base_url(url: &str) -> Result<Url, Error> {
    let refuse = |reason| Error::InvalidUrl {
        url: text::bounded(url),
        reason,
    };
    let parsed = Url::parse(url).map_err(|_| refuse("not an absolute URL"))?;
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(refuse("it must not carry a query or fragment"));
    }
    let loopback = match parsed.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        Some(Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    };
    match parsed.scheme() {
        "https" => Ok(parsed),
        "http" if loopback => Ok(parsed),
        "http" => Err(refuse(
            "https is required (plain http only to this computer: 127.0.0.1, ::1 or localhost), so that the credentials never travel in clear text",
        )),
        _ => Err(refuse("the scheme must be https")),
    }
}

impl Client {
    /// Starts a builder; `api_url` is the API host without a path (`QUIPT_API_URL`), the client
    /// appends `/v2`.
    pub fn builder(api_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            api_url: api_url.into(),
            consumer: None,
            token: None,
            policy: RetryPolicy::default(),
            timeout: DEFAULT_TIMEOUT,
            clock: Arc::new(SystemClock),
        }
    }

    /// Counters since the client was built.
    pub fn metrics(&self) -> Metrics {
        *self.inner.metrics.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn count(&self, f: impl FnOnce(&mut Metrics)) {
        f(&mut self.inner.metrics.lock().unwrap_or_else(|e| e.into_inner()));
    }

    /// The retry policy, which also bounds how often a lost write is read back and resent.
    pub(crate) fn policy(&self) -> &RetryPolicy {
        &self.inner.policy
    }

    /// Sends one call that is safe to repeat (a read, or a write Quipt de-duplicates) under `/v2`
    /// and returns its successful envelope.
    ///
    /// `query` pairs are percent-encoded here and signed as sent; `body` is JSON.
    pub(crate) async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        query: &[(String, String)],
        body: Option<Vec<u8>>,
    ) -> Result<Envelope<T>, Error> {
        match self.send(method, path, query, body, Repeat::Safe).await? {
            Sent::Answered(envelope) => Ok(envelope),
            Sent::Lost { cause } => Err(cause),
        }
    }

    /// Sends one call as `repeat` allows: a write that is not safe to repeat is sent once (again
    /// only when nothing reached Quipt or Quipt refused it unread, as with a 429), and comes back
    /// as [`Sent::Lost`] when it may have happened without an answer.
    pub(crate) async fn send<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        query: &[(String, String)],
        body: Option<Vec<u8>>,
        repeat: Repeat,
    ) -> Result<Sent<T>, Error> {
        let url = self.url(path, query)?;
        let write = method != Method::GET;
        let mut retries_done = 0u32;
        loop {
            let now = self.inner.clock.system_time();
            let header = signing::authorization_header(
                method.as_str(),
                &url,
                &self.inner.consumer,
                Some((&self.inner.token.token, &self.inner.token.secret)),
                &[],
                &Nonce::fresh(now),
            );
            let mut request = self
                .inner
                .http
                .request(method.clone(), url.clone())
                .header(AUTHORIZATION, header)
                .header(CONTENT_TYPE, JSON_UTF8)
                .header(ACCEPT, "application/json");
            if let Some(body) = &body {
                request = request.body(body.clone());
            }
            self.count(|m| m.requests += 1);
            // Quipt did something to a write whose 2xx answer cannot be used (`Success: false`
            // can): that is the same as no answer at all (see `retry.rs`).
            let (attempt, error) = match fetch(request, MAX_BODY).await {
                Ok(answer) if answer.is_success() => match successful(&answer) {
                    // A write safe to repeat answers what it did.
                    Ok(envelope)
                        if write && repeat == Repeat::Safe && envelope.result.is_none() =>
                    {
                        let endpoint = format!("{method} {path}");
                        let cause = Error::NoResult { endpoint };
                        (Attempt::Dropped, unusable(&method, path, cause))
                    }
                    Ok(envelope) => return Ok(Sent::Answered(envelope)),
                    Err(error) if write && !matches!(error, Error::Api { .. }) => {
                        (Attempt::Dropped, unusable(&method, path, error))
                    }
                    Err(error) => return Err(error),
                },
                Ok(answer) => {
                    tracing::debug!(%method, path, status = answer.status, "quipt answered");
                    if answer.status == 429 {
                        self.count(|m| m.rate_limited += 1);
                    }
                    if let Some(note) = &answer.retry_after.doubtful {
                        tracing::warn!(%method, path, "quipt sent a doubtful {note}");
                    }
                    let attempt = Attempt::Status {
                        status: answer.status,
                        retry_after: answer.retry_after.wait,
                    };
                    (attempt, answer_error(&answer, now))
                }
                Err(source) => {
                    if source.is_builder() {
                        return Err(Error::Transport { source });
                    }
                    let attempt = if source.is_connect() {
                        Attempt::Refused
                    } else if source.is_timeout() {
                        Attempt::Timeout
                    } else {
                        Attempt::Dropped
                    };
                    (attempt, Error::Transport { source })
                }
            };
            let after = match retry::decide(&self.inner.policy, attempt, repeat, retries_done) {
                Decision::Retry { after } => after,
                Decision::Stop => return Err(error),
                Decision::CheckFirst => {
                    tracing::warn!(%method, path, %error, "quipt: the answer to a write was lost; reading the order back before anything is resent");
                    return Ok(Sent::Lost { cause: error });
                }
            };
            // A warning: support reading the log wants to see every 429, 5xx and dropped connection.
            tracing::warn!(%method, path, retries_done, wait = ?after, %error, "quipt: retrying");
            retries_done += 1;
            self.count(|m| {
                m.retries += 1;
                m.waited += after;
            });
            self.inner.clock.sleep(after).await;
        }
    }

    fn url(&self, path: &str, query: &[(String, String)]) -> Result<Url, Error> {
        let mut url = format!("{}{path}", self.inner.api_base);
        if !query.is_empty() {
            let q = query
                .iter()
                .map(|(k, v)| {
                    format!(
                        "{}={}",
                        signing::percent_encode(k),
                        signing::percent_encode(v)
                    )
                })
                .collect::<Vec<_>>()
                .join("&");
            url = format!("{url}?{q}");
        }
        Url::parse(&url).map_err(|_| Error::InvalidUrl {
            url: text::bounded(&url),
            reason: "not an absolute URL",
        })
    }
}

/// What a call came to when the client did not repeat it.
#[derive(Debug)]
pub(crate) enum Sent<T> {
    /// Quipt answered with success.
    Answered(Envelope<T>),
    /// A write that is not safe to repeat may have happened: its answer was lost (timeout, dropped
    /// connection, a 5xx from a gateway, an unreadable success). `cause` says how.
    Lost {
        /// How the answer was lost.
        cause: Error,
    },
}

/// One HTTP answer, read within the limits.
struct Answer {
    status: u16,
    retry_after: RetryAfter,
    date: Option<String>,
    location: Option<String>,
    body: Vec<u8>,
    /// The body was longer than its limit: `body` holds only its start.
    cut: bool,
}

impl Answer {
    fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// Sends and reads the answer (a success up to `limit`, an error up to [`MAX_ERROR_BODY`]), so a
/// connection dropped mid-answer is a transport failure of this attempt, not a decode error later,
/// and an endless body ends at the limit.
async fn fetch(request: reqwest::RequestBuilder, limit: usize) -> Result<Answer, reqwest::Error> {
    let mut response = request.send().await?;
    let status = response.status().as_u16();
    let headers = response.headers();
    let header = |name| {
        headers
            .get(name)
            .map(|v: &reqwest::header::HeaderValue| v.as_bytes().to_vec())
    };
    let text_header = |name| header(name).map(|v| text::bounded(&String::from_utf8_lossy(&v)));
    let retry_after =
        retry::parse_retry_after(header(RETRY_AFTER).as_deref(), header(DATE).as_deref());
    let date = text_header(DATE);
    let location = text_header(LOCATION);
    let success = (200..300).contains(&status);
    let limit = if success { limit } else { MAX_ERROR_BODY };
    let mut body = Vec::new();
    let mut cut = response
        .content_length()
        .is_some_and(|len| len > limit as u64 && success);
    while !cut && let Some(chunk) = response.chunk().await? {
        let room = limit - body.len();
        cut = chunk.len() > room;
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
    }
    Ok(Answer {
        status,
        retry_after,
        date,
        location,
        body,
        cut,
    })
}

/// A write's 2xx answer that cannot be used, as the error its caller gets: Quipt may have done it.
fn unusable(method: &Method, path: &str, cause: Error) -> Error {
    Error::UnusableAnswer {
        endpoint: format!("{method} {path}"),
        cause: Box::new(cause),
    }
}

/// The envelope of a 2xx answer, refused when it says `Success: false`.
fn successful<T: DeserializeOwned>(answer: &Answer) -> Result<Envelope<T>, Error> {
    if answer.cut {
        return Err(Error::BodyTooLarge { limit: MAX_BODY });
    }
    let envelope: Envelope<T> = envelope::decode(&answer.body)?;
    if !envelope.success {
        return Err(Error::Api {
            status: answer.status,
            messages: envelope.messages,
        });
    }
    Ok(envelope)
}

/// The error a non-success answer stands for; `local` is this computer's time when it was sent,
/// so a refused signature can be told apart from a wrong clock.
fn answer_error(answer: &Answer, local: SystemTime) -> Error {
    let status = answer.status;
    match status {
        300..=399 => Error::Redirect {
            status,
            location: answer.location.clone(),
        },
        401 => match clock::skew(answer.date.as_deref(), local) {
            Some(skew) => Error::ClockSkew { skew },
            None => Error::Unauthorized {
                message: envelope::error_messages(&answer.body)
                    .first()
                    .map(|m| m.text.clone())
                    .unwrap_or_else(|| "no reason given".to_string()),
            },
        },
        429 => Error::RateLimited {
            retry_after: answer.retry_after.wait.unwrap_or(retry::RATE_WINDOW),
            server_sent: answer.retry_after.doubtful.clone(),
        },
        _ => Error::Api {
            status,
            messages: envelope::error_messages(&answer.body),
        },
    }
}

/// The HTTP client both the API calls and the OAuth flow use: no redirects, the timeout on the
/// whole exchange (so headers dribbled a byte at a time end too), the OS certificate store and
/// the bundled roots (both from reqwest's rustls features), proxies from the environment.
fn http_client(timeout: Duration) -> Result<reqwest::Client, Error> {
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!(
            "quipt-shipstation-connector/",
            env!("CARGO_PKG_VERSION")
        ))
        .build()
        .map_err(|source| Error::Transport { source })
}

impl ClientBuilder {
    /// The connector's consumer key and secret (required).
    pub fn consumer(mut self, c: ConsumerCredentials) -> Self {
        self.consumer = Some(c);
        self
    }

    /// The API user's access token (required).
    pub fn token(mut self, t: AccessToken) -> Self {
        self.token = Some(t);
        self
    }

    /// Retries after the first attempt (default 3); also how often a write whose answer was lost
    /// is read back and what is missing resent.
    pub fn max_retries(mut self, n: u32) -> Self {
        self.policy.max_retries = n;
        self
    }

    /// Timeout of one attempt, headers and body included (default 30 s); a timeout is retried
    /// (a write not safe to repeat is read back instead).
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = d;
        self
    }

    /// Backoff before the first retry, doubled each time up to `max` (default 500 ms … 30 s, never
    /// more than the 60-second rate window); tests make it short.
    pub fn backoff(mut self, base: Duration, max: Duration) -> Self {
        self.policy.base_delay = base;
        self.policy.max_delay = max;
        self
    }

    /// The clock every wait sleeps on and the OAuth timestamp reads (default [`SystemClock`]): a
    /// test passes a simulated one so that backoffs and `Retry-After` advance simulated time.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    /// `MissingCredentials` without consumer or token; `InvalidUrl` for an unusable address
    /// (plain http to another computer among them); `Transport` when the TLS stack cannot start.
    pub fn build(self) -> Result<Client, Error> {
        let consumer = self.consumer.ok_or(Error::MissingCredentials {
            which: "consumer credentials",
        })?;
        let token = self.token.ok_or(Error::MissingCredentials {
            which: "an access token",
        })?;
        check_base_url(&self.api_url)?;
        let api_base = format!(
            "{}{}",
            self.api_url.trim_end_matches('/'),
            paths::API_PREFIX
        );
        Ok(Client {
            inner: Arc::new(Inner {
                http: http_client(self.timeout)?,
                api_base,
                consumer,
                token,
                policy: self.policy,
                clock: self.clock,
                metrics: Mutex::new(Metrics::default()),
            }),
        })
    }
}

/// Sends one signed OAuth step (`POST`, no body) to an address [`check_base_url`] accepted, and
/// returns its form-encoded answer.
pub(crate) async fn post_oauth(
    url: Url,
    authorization: String,
    step: OAuthStep,
) -> Result<Vec<(String, String)>, Error> {
    let sent_at = SystemTime::now();
    let request = http_client(DEFAULT_TIMEOUT)?
        .post(url)
        .header(AUTHORIZATION, authorization);
    let answer = fetch(request, MAX_BODY)
        .await
        .map_err(|source| Error::Transport { source })?;
    if !answer.is_success() {
        return Err(answer_error(&answer, sent_at));
    }
    if answer.cut {
        return Err(Error::BodyTooLarge { limit: MAX_BODY });
    }
    crate::parse::parse_form(&answer.body, step)
}

/// Reads a small public document (no credentials, one attempt) through the same transport as the
/// API calls — https only (plain http only to this computer, [`check_base_url`]), the OS
/// certificate store, `HTTPS_PROXY`, no redirects, at most `limit` bytes — so that everything the
/// connector reads over the network goes one way. The desktop app's release feed is one.
///
/// # Errors
/// [`Error::InvalidUrl`]; [`Error::Transport`]; [`Error::Redirect`] or [`Error::Api`] for an
/// answer other than 2xx; [`Error::BodyTooLarge`] beyond `limit`.
pub async fn get_public(url: &str, limit: usize) -> Result<Vec<u8>, Error> {
    let url = check_base_url(url)?;
    let sent_at = SystemTime::now();
    let request = http_client(DEFAULT_TIMEOUT)?
        .get(url)
        .header(ACCEPT, "application/json");
    let answer = fetch(request, limit)
        .await
        .map_err(|source| Error::Transport { source })?;
    if !answer.is_success() {
        return Err(answer_error(&answer, sent_at));
    }
    if answer.cut {
        return Err(Error::BodyTooLarge { limit });
    }
    Ok(answer.body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case::https_anywhere("https://api.getquipt.com", true)]
    #[case::http_to_this_computer("http://127.0.0.1:8701", true)]
    #[case::http_to_the_whole_loopback_range("http://127.2.3.4", true)]
    #[case::http_to_ipv6_loopback("http://[::1]:8701", true)]
    #[case::http_to_localhost("http://LocalHost:8701/", true)]
    #[case::http_to_another_computer("http://api.getquipt.com", false)]
    #[case::http_to_a_private_address("http://192.168.1.5", false)]
    #[case::http_to_a_name_that_only_starts_like_localhost("http://localhost.example.com", false)]
    #[case::another_scheme("ftp://api.getquipt.com", false)]
    #[case::no_scheme("api.getquipt.com", false)]
    #[case::a_query("https://api.getquipt.com/?a=b", false)]
    fn only_https_or_loopback_http_base_urls_are_accepted(#[case] url: &str, #[case] ok: bool) {
        let checked = check_base_url(url);
        assert_eq!(checked.is_ok(), ok, "{url}: {checked:?}");
        if url.starts_with("http://") && !ok {
            let message = checked.unwrap_err().to_string();
            assert!(
                message.contains("https is required"),
                "the refusal says https is required: {message}"
            );
        }
    }

    #[test]
    fn a_client_for_plain_http_to_another_computer_is_never_built() {
        let built = Client::builder("http://api.getquipt.com")
            .consumer(ConsumerCredentials {
                key: "k".into(),
                secret: "s".into(),
            })
            .token(AccessToken {
                token: "t".into(),
                secret: "ts".into(),
            })
            .build();
        assert!(
            matches!(built, Err(Error::InvalidUrl { .. })),
            "refused before any request: {built:?}"
        );
    }
}
