//! [`Client`] and [`ClientBuilder`]: base URL, credentials, pacing and retries. This is the only
//! module that sends HTTP; the resource modules add their handlers to [`Client`] and call
//! [`Client::get`], [`Client::post`] or [`Client::delete`], so this module knows no resource.
//!
//! What the transport refuses, whatever the server does: plain http to another computer (the API
//! key and secret would travel in clear text), redirects (they are errors naming the location),
//! answers larger than [`MAX_BODY`] (error answers are cut to [`MAX_ERROR_BODY`]), and waits longer
//! than the 60-second [`RATE_WINDOW`]. TLS trusts the operating system's certificate store as well
//! as the bundled roots, so a company proxy that inspects TLS with its own CA works; `HTTPS_PROXY`
//! and `NO_PROXY` are honoured.

use std::fmt;
use std::pin::pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use reqwest::header::{HeaderMap, LOCATION};
use reqwest::{Method, Url};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::sync::Notify;
use zeroize::Zeroizing;

use crate::clock::{Clock, SystemClock};
use crate::error::{Error, Result};
use crate::pacing::{Budget, RATE_WINDOW, RateHeaders, Reservation, Ticket};
use crate::parse;
use crate::retry::{self, Decision, Failure, RetryPolicy};
use crate::text;

/// The public ShipStation v1 API.
pub const DEFAULT_BASE_URL: &str = "https://ssapi.shipstation.com";
/// The largest successful answer read: a page of 500 orders is a few megabytes at most.
pub const MAX_BODY: usize = 32 * 1024 * 1024;
/// The most of an error answer that is read; only its start becomes the error message.
pub const MAX_ERROR_BODY: usize = 64 * 1024;

/// What the client has done so far; a snapshot from [`Client::metrics`], shared by all clones.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Metrics {
    /// HTTP requests sent (every attempt counts).
    pub requests: u64,
    /// 429 answers received.
    pub rate_limited: u64,
    /// Attempts repeated after a failure.
    pub retries: u64,
    /// Times a request waited for the rate budget before being sent.
    pub paced_waits: u64,
    /// Total time spent waiting (pacing and retry backoff), on the client's [`Clock`].
    pub waited: Duration,
    /// Last `X-Rate-Limit-Limit` seen.
    pub limit: Option<u32>,
    /// Requests left in the current window as last known.
    pub remaining: Option<u32>,
}

/// The API key and secret, wiped from memory when dropped; never printed (the key is a secret as
/// much as the secret: with it a Basic-auth header is half made, and the app only ever shows its
/// last four characters).
struct Credentials {
    key: Zeroizing<String>,
    secret: Zeroizing<String>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("api_key", &"<redacted>")
            .field("api_secret", &"<redacted>")
            .finish()
    }
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    credentials: Option<Credentials>,
    policy: RetryPolicy,
    clock: Arc<dyn Clock>,
    budget: Mutex<Budget>,
    answered: Notify,
    metrics: Mutex<Metrics>,
}

/// A ShipStation v1 client. Cheap to clone; clones share one rate budget, so concurrent use from
/// clones still never exceeds the key's window.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("credentials", &self.inner.credentials)
            .finish_non_exhaustive()
    }
}

/// Builds a [`Client`].
#[derive(Debug)]
pub struct ClientBuilder {
    base_url: String,
    credentials: Option<Credentials>,
    policy: RetryPolicy,
    timeout: Duration,
    clock: Arc<dyn Clock>,
}

/// Checks a ShipStation base URL (`SHIPSTATION_API_URL`) before anything is sent to it: an absolute
/// http(s) URL without query or fragment, and https unless the host is this computer
/// (127.0.0.0/8, ::1, `localhost`), where the sandbox runs.
///
/// # Errors
/// [`Error::InvalidBaseUrl`] saying why.
pub fn check_base_url(url: &str) -> Result<Url> {
    let refuse = |reason| Error::InvalidBaseUrl {
        url: text::bounded(url),
        reason,
    };
    let parsed = Url::parse(url).map_err(|_| refuse("not an absolute URL"))?;
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(refuse("it must not carry a query or fragment"));
    }
    let loopback = match parsed.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    };
    match parsed.scheme() {
        "https" => Ok(parsed),
        "http" if loopback => Ok(parsed),
        "http" => Err(refuse(
            "https is required (plain http only to this computer: 127.0.0.1, ::1 or localhost), so that the API key and secret never travel in clear text",
        )),
        _ => Err(refuse("the scheme must be https")),
    }
}

impl ClientBuilder {
    /// The API key and secret (Basic auth). Without them every call answers 401.
    pub fn credentials(mut self, api_key: &str, api_secret: &str) -> Self {
        self.credentials = Some(Credentials {
            key: Zeroizing::new(api_key.to_owned()),
            secret: Zeroizing::new(api_secret.to_owned()),
        });
        self
    }

    /// Retries after a failed attempt (default 5).
    pub fn max_retries(mut self, n: u32) -> Self {
        self.policy.max_retries = n;
        self
    }

    /// First and longest backoff delay for 5xx and transport failures (default 200 ms and 10 s);
    /// tests shorten them.
    pub fn backoff(mut self, base: Duration, max: Duration) -> Self {
        self.policy.base_delay = base;
        self.policy.max_delay = max.max(base);
        self
    }

    /// Timeout of one attempt, headers and body included (default 30 s).
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = d;
        self
    }

    /// The clock the rate window is measured on and every wait sleeps on (default
    /// [`SystemClock`]): a test passes a simulated one so that pacing, backoffs and 429 waits
    /// advance simulated time.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    /// [`Error::InvalidBaseUrl`] when the base URL is unusable ([`check_base_url`]);
    /// [`Error::Transport`] when the TLS backend cannot be initialised.
    pub fn build(self) -> Result<Client> {
        check_base_url(&self.base_url)?;
        let http = reqwest::Client::builder()
            .timeout(self.timeout)
            .connect_timeout(self.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!(
                "quipt-shipstation-connector/",
                env!("CARGO_PKG_VERSION")
            ))
            .build()
            .map_err(|source| Error::Transport { source })?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url: self.base_url.trim_end_matches('/').to_owned(),
                credentials: self.credentials,
                policy: self.policy,
                clock: self.clock,
                budget: Mutex::new(Budget::new()),
                answered: Notify::new(),
                metrics: Mutex::new(Metrics::default()),
            }),
        })
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A request out on its [`Ticket`]. Given back when the answer (or its failure) arrives; a request
/// dropped before that (its caller abandoned the call: a run ended mid-way) gives it back as
/// unanswered, assumed counted, so the budget never waits for an answer that cannot come.
struct Sent<'a> {
    client: &'a Client,
    ticket: Option<Ticket>,
}

impl Sent<'_> {
    /// The answer's rate headers, `None` when there was no answer.
    fn answered(mut self, headers: Option<RateHeaders>) {
        if let Some(ticket) = self.ticket.take() {
            self.client.record(ticket, headers);
        }
    }
}

impl Drop for Sent<'_> {
    fn drop(&mut self) {
        if let Some(ticket) = self.ticket.take() {
            self.client.record(ticket, None);
        }
    }
}

/// A call that failed, and whether an earlier attempt of it may have reached the API unanswered.
struct Failed {
    error: Error,
    earlier_answer_lost: bool,
}

impl From<Failed> for Error {
    fn from(failed: Failed) -> Self {
        failed.error
    }
}

/// What a `DELETE` came to.
pub(crate) enum Deleted<T> {
    /// Deleted by this call; the API's answer.
    Now(T),
    /// A repeat after a lost answer found the order gone: the lost attempt deleted it.
    Before,
}

/// One HTTP answer, read within the limits.
struct Answer {
    status: u16,
    rate: RateHeaders,
    location: Option<String>,
    body: Vec<u8>,
    /// The body was longer than its limit: `body` holds only its start.
    cut: bool,
}

impl Answer {
    /// The error this non-success answer stands for.
    fn error(&self) -> Error {
        let message = || parse::parse_error_message(&self.body, self.status);
        match self.status {
            300..=399 => Error::Redirect {
                status: self.status,
                location: self.location.clone(),
            },
            401 => Error::Unauthorized { message: message() },
            429 => Error::RateLimited {
                retry_after: self.rate.reset.unwrap_or(RATE_WINDOW),
                server_sent: self.rate.doubtful.clone(),
            },
            status => Error::Api {
                status,
                message: message(),
            },
        }
    }
}

/// The rate headers of an answer, read without trusting them.
fn rate_headers(headers: &HeaderMap) -> RateHeaders {
    let header = |name: &str| headers.get(name).map(|v| v.as_bytes());
    RateHeaders::parse(
        header("X-Rate-Limit-Limit"),
        header("X-Rate-Limit-Remaining"),
        header("X-Rate-Limit-Reset"),
    )
}

/// Reads the body of `response` up to `limit` bytes (the rest is left unread, so an endless body
/// ends here); `cut` says whether there was more.
async fn read_body(
    mut response: reqwest::Response,
    limit: usize,
) -> std::result::Result<(Vec<u8>, bool), reqwest::Error> {
    if limit == MAX_BODY && response.content_length().is_some_and(|n| n > limit as u64) {
        return Ok((Vec::new(), true));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        let room = limit - body.len();
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if chunk.len() > room {
            return Ok((body, true));
        }
    }
    Ok((body, false))
}

impl Client {
    /// Starts building a client for `base_url` ([`DEFAULT_BASE_URL`], or the sandbox's URL).
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            base_url: base_url.into(),
            credentials: None,
            policy: RetryPolicy::default(),
            timeout: Duration::from_secs(30),
            clock: Arc::new(SystemClock),
        }
    }

    /// A snapshot of what this client and its clones have done.
    pub fn metrics(&self) -> Metrics {
        let mut metrics = lock(&self.inner.metrics).clone();
        let budget = lock(&self.inner.budget);
        metrics.limit = budget.limit();
        metrics.remaining = budget.remaining();
        metrics
    }

    pub(crate) async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&'static str, String)],
    ) -> Result<T> {
        let body = self.send(Method::GET, path, query, None).await?;
        parse::decode(&body)
    }

    pub(crate) async fn post<B: Serialize + ?Sized, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T> {
        let body = serde_json::to_vec(body).map_err(|source| Error::Encode { source })?;
        parse::decode(&self.send(Method::POST, path, &[], Some(body)).await?)
    }

    /// `DELETE`, repeated after a lost answer like every call: deleting only makes the order
    /// inactive. A repeat then answered 404 means the lost attempt did it ([`Deleted::Before`]).
    pub(crate) async fn delete<T: DeserializeOwned>(&self, path: &str) -> Result<Deleted<T>> {
        match self.send(Method::DELETE, path, &[], None).await {
            Ok(body) => Ok(Deleted::Now(parse::decode(&body)?)),
            Err(Failed {
                error: Error::Api { status: 404, .. },
                earlier_answer_lost: true,
            }) => Ok(Deleted::Before),
            Err(failed) => Err(failed.error),
        }
    }

    /// Waits (on the client's clock) until the budget allows one more request.
    async fn reserve(&self) -> Ticket {
        let clock = &self.inner.clock;
        let started = clock.now();
        let mut waited = false;
        loop {
            let mut answered = pin!(self.inner.answered.notified());
            answered.as_mut().enable();
            let now = clock.now();
            let reservation = lock(&self.inner.budget).reserve(now);
            match reservation {
                Reservation::Go(ticket) => {
                    if waited {
                        let mut metrics = lock(&self.inner.metrics);
                        metrics.paced_waits += 1;
                        metrics.waited += clock.now().saturating_duration_since(started);
                    }
                    return ticket;
                }
                Reservation::WaitUntil(at) => {
                    waited = true;
                    let wait = at.saturating_duration_since(now).min(RATE_WINDOW);
                    tracing::debug!(?wait, "shipstation: rate window used up, waiting for reset");
                    clock.sleep(wait).await;
                }
                Reservation::WaitForAnswer => {
                    waited = true;
                    // Not a wait for time but for another request's answer, which wakes us; the
                    // real-time timeout only guards against a lost wake-up.
                    let _ = tokio::time::timeout(Duration::from_millis(250), answered).await;
                }
            }
        }
    }

    fn record(&self, ticket: Ticket, headers: Option<RateHeaders>) {
        let now = self.inner.clock.now();
        lock(&self.inner.budget).record(ticket, headers, now);
        self.inner.answered.notify_waiters();
    }

    /// Sends one attempt and reads its answer within the limits, recording the rate headers.
    async fn attempt(
        &self,
        method: &Method,
        url: &str,
        query: &[(&'static str, String)],
        body: Option<&Vec<u8>>,
    ) -> std::result::Result<Answer, reqwest::Error> {
        let sent = Sent {
            client: self,
            ticket: Some(self.reserve().await),
        };
        lock(&self.inner.metrics).requests += 1;
        let mut request = self
            .inner
            .http
            .request(method.clone(), url)
            .header(reqwest::header::ACCEPT, "application/json");
        if !query.is_empty() {
            request = request.query(query);
        }
        if let Some(credentials) = &self.inner.credentials {
            request =
                request.basic_auth(credentials.key.as_str(), Some(credentials.secret.as_str()));
        }
        if let Some(body) = body {
            request = request
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body.clone());
        }
        let response = match request.send().await {
            Ok(response) => response,
            Err(error) => {
                sent.answered(None);
                return Err(error);
            }
        };
        let rate = rate_headers(response.headers());
        if let Some(doubt) = &rate.doubtful {
            tracing::warn!(%method, url, "shipstation sent doubtful rate headers: {doubt}");
        }
        sent.answered(Some(rate.clone()));
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get(LOCATION)
            .map(|v| text::bounded(&String::from_utf8_lossy(v.as_bytes())));
        let limit = if (200..300).contains(&status) {
            MAX_BODY
        } else {
            MAX_ERROR_BODY
        };
        let (body, cut) = read_body(response, limit).await?;
        Ok(Answer {
            status,
            rate,
            location,
            body,
            cut,
        })
    }

    /// One logical call: pace, send, retry per [`retry::decide`]; the body of the successful
    /// answer.
    async fn send(
        &self,
        method: Method,
        path: &str,
        query: &[(&'static str, String)],
        body: Option<Vec<u8>>,
    ) -> std::result::Result<Vec<u8>, Failed> {
        let url = format!("{}{}", self.inner.base_url, path);
        let mut retries_done = 0;
        let mut earlier_answer_lost = false;
        loop {
            let (failure, reset, error) =
                match self.attempt(&method, &url, query, body.as_ref()).await {
                    Err(source) => (Failure::Transport, None, Error::Transport { source }),
                    Ok(answer) if (200..300).contains(&answer.status) => {
                        if answer.cut {
                            return Err(Failed {
                                error: Error::BodyTooLarge { limit: MAX_BODY },
                                earlier_answer_lost,
                            });
                        }
                        return Ok(answer.body);
                    }
                    Ok(answer) => {
                        if answer.status == 429 {
                            lock(&self.inner.metrics).rate_limited += 1;
                        }
                        let error = answer.error();
                        (Failure::Status(answer.status), answer.rate.reset, error)
                    }
                };
            match retry::decide(failure, reset, retries_done, &self.inner.policy) {
                Decision::GiveUp => {
                    return Err(Failed {
                        error,
                        earlier_answer_lost,
                    });
                }
                Decision::Retry { after } => {
                    // A warning: support reading the log wants to see every 429, 5xx and dropped connection.
                    tracing::warn!(%error, ?after, retries_done, "shipstation: retrying");
                    {
                        let mut metrics = lock(&self.inner.metrics);
                        metrics.retries += 1;
                        metrics.waited += after;
                    }
                    retries_done += 1;
                    earlier_answer_lost |= matches!(failure, Failure::Transport)
                        || matches!(failure, Failure::Status(status) if status >= 500);
                    self.inner.clock.sleep(after).await;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_the_key_or_the_secret() {
        let client = Client::builder("http://127.0.0.1:1")
            .credentials("k3y-0123456789", "s3cr3t")
            .build()
            .unwrap();
        let text = format!(
            "{client:?} {:?}",
            Client::builder("http://x").credentials("k3y-0123456789", "s3cr3t")
        );
        for secret in ["s3cr3t", "k3y-0123456789", "k3y"] {
            assert!(
                !text.contains(secret),
                "{secret} leaked into Debug output, where a log line or a panic message could carry it: {text}"
            );
        }
        assert!(
            text.contains("127.0.0.1:1"),
            "the address stays readable: {text}"
        );
    }

    #[rstest::rstest]
    #[case::https_anywhere("https://ssapi.shipstation.com", true)]
    #[case::http_to_this_computer("http://127.0.0.1:8702", true)]
    #[case::http_to_the_whole_loopback_range("http://127.9.9.9:1", true)]
    #[case::http_to_ipv6_loopback("http://[::1]:8702", true)]
    #[case::http_to_localhost("http://localhost:8702", true)]
    #[case::http_to_another_computer("http://ssapi.shipstation.com", false)]
    #[case::http_to_a_private_address("http://10.0.0.7:8702", false)]
    #[case::http_to_a_name_that_only_starts_like_localhost("http://localhost.evil.example", false)]
    #[case::no_scheme("ssapi.shipstation.com", false)]
    #[case::another_scheme("ftp://x", false)]
    #[case::a_query("http://127.0.0.1/?a=b", false)]
    fn only_https_or_loopback_http_base_urls_are_accepted(#[case] url: &str, #[case] ok: bool) {
        let built = Client::builder(url).build();
        assert_eq!(built.is_ok(), ok, "{url}: {built:?}");
        if url.starts_with("http://") && !ok && !url.contains('?') {
            let message = built.unwrap_err().to_string();
            assert!(
                message.contains("https is required"),
                "the refusal says https is required: {message}"
            );
        }
    }
}
