//! [`Client`] and [`ClientBuilder`]: base URL, credentials, pacing and retries. This is the only
//! module that sends HTTP; the resource modules describe endpoints and call [`Client::get`],
//! [`Client::post`] or [`Client::delete`].

use std::fmt;
use std::pin::pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::sync::Notify;

use crate::error::{Error, Result};
use crate::pacing::{Budget, RateHeaders, Reservation, Ticket};
use crate::retry::{self, Decision, Failure, RetryPolicy};
use crate::{CarriersApi, FulfillmentsApi, OrdersApi, ShipmentsApi, StoresApi, WarehousesApi};

/// The public ShipStation v1 API.
pub const DEFAULT_BASE_URL: &str = "https://ssapi.shipstation.com";

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
    /// Total time spent waiting (pacing and retry backoff).
    pub waited: Duration,
    /// Last `X-Rate-Limit-Limit` seen.
    pub limit: Option<u32>,
    /// Requests left in the current window as last known.
    pub remaining: Option<u32>,
}

/// The API secret; never printed.
struct Secret(String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    credentials: Option<(String, Secret)>,
    policy: RetryPolicy,
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
            .field(
                "api_key",
                &self.inner.credentials.as_ref().map(|(key, _)| key),
            )
            .field("api_secret", &"<redacted>")
            .finish_non_exhaustive()
    }
}

/// Builds a [`Client`].
pub struct ClientBuilder {
    base_url: String,
    credentials: Option<(String, Secret)>,
    policy: RetryPolicy,
    timeout: Duration,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("api_key", &self.credentials.as_ref().map(|(key, _)| key))
            .field("policy", &self.policy)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The API key and secret (Basic auth). Without them every call answers 401.
    pub fn credentials(mut self, api_key: &str, api_secret: &str) -> Self {
        self.credentials = Some((api_key.to_owned(), Secret(api_secret.to_owned())));
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

    /// Timeout of one attempt (default 30 s).
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = d;
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    /// [`Error::InvalidBaseUrl`] when the base URL is not absolute http(s); [`Error::Transport`]
    /// when the TLS backend cannot be initialised.
    pub fn build(self) -> Result<Client> {
        let url = reqwest::Url::parse(&self.base_url).map_err(|_| Error::InvalidBaseUrl {
            url: self.base_url.clone(),
            reason: "not an absolute URL",
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Error::InvalidBaseUrl {
                url: self.base_url,
                reason: "the scheme must be http or https",
            });
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(Error::InvalidBaseUrl {
                url: self.base_url,
                reason: "it must not carry a query or fragment",
            });
        }
        let http = reqwest::Client::builder()
            .timeout(self.timeout)
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

/// The API's message from a loose error body: `Message` (+ `ExceptionMessage`), or `message`, or
/// the body text itself.
pub(crate) fn api_message(body: &[u8], status: u16) -> String {
    if let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(body) {
        let text = |key: &str| {
            map.get(key)
                .and_then(|v| v.as_str())
                .map(str::trim)
                .filter(|s| !s.is_empty())
        };
        let main = text("Message").or_else(|| text("message"));
        match (main, text("ExceptionMessage")) {
            (Some(main), Some(detail)) => return format!("{main} {detail}"),
            (Some(one), None) | (None, Some(one)) => return one.to_owned(),
            (None, None) => {}
        }
    }
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.is_empty() {
        reqwest::StatusCode::from_u16(status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("no message")
            .to_owned()
    } else {
        text.chars().take(500).collect()
    }
}

/// Decodes a body, keeping the JSON path of a mismatch.
pub(crate) fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| Error::Decode {
        path: error.path().to_string(),
        source: error.into_inner(),
    })
}

impl Client {
    /// Starts building a client for `base_url` ([`DEFAULT_BASE_URL`], or the sandbox's URL).
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            base_url: base_url.into(),
            credentials: None,
            policy: RetryPolicy::default(),
            timeout: Duration::from_secs(30),
        }
    }

    /// Orders: create (upsert), list, get, delete.
    pub fn orders(&self) -> OrdersApi<'_> {
        OrdersApi::new(self)
    }

    /// Shipments (labels).
    pub fn shipments(&self) -> ShipmentsApi<'_> {
        ShipmentsApi::new(self)
    }

    /// Fulfillments (marked shipped without a label).
    pub fn fulfillments(&self) -> FulfillmentsApi<'_> {
        FulfillmentsApi::new(self)
    }

    /// Stores.
    pub fn stores(&self) -> StoresApi<'_> {
        StoresApi::new(self)
    }

    /// Warehouses (Ship From Locations).
    pub fn warehouses(&self) -> WarehousesApi<'_> {
        WarehousesApi::new(self)
    }

    /// Carriers and their services.
    pub fn carriers(&self) -> CarriersApi<'_> {
        CarriersApi::new(self)
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
        self.send(Method::GET, path, query, None).await
    }

    pub(crate) async fn post<B: Serialize + ?Sized, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T> {
        let body = serde_json::to_vec(body).map_err(|source| Error::Encode { source })?;
        self.send(Method::POST, path, &[], Some(body)).await
    }

    pub(crate) async fn delete<T: DeserializeOwned>(&self, path: &str) -> Result<T> {
        self.send(Method::DELETE, path, &[], None).await
    }

    /// Waits until the budget allows one more request.
    async fn reserve(&self) -> Ticket {
        let started = Instant::now();
        let mut waited = false;
        loop {
            let mut answered = pin!(self.inner.answered.notified());
            answered.as_mut().enable();
            let reservation = lock(&self.inner.budget).reserve(Instant::now());
            match reservation {
                Reservation::Go(ticket) => {
                    if waited {
                        let mut metrics = lock(&self.inner.metrics);
                        metrics.paced_waits += 1;
                        metrics.waited += started.elapsed();
                    }
                    return ticket;
                }
                Reservation::WaitUntil(at) => {
                    waited = true;
                    tracing::debug!(wait = ?at.saturating_duration_since(Instant::now()), "shipstation: rate window used up, waiting for reset");
                    tokio::time::sleep_until(at.into()).await;
                }
                Reservation::WaitForAnswer => {
                    waited = true;
                    // The timeout only guards against a lost wake-up; answers normally wake us.
                    let _ = tokio::time::timeout(Duration::from_millis(250), answered).await;
                }
            }
        }
    }

    fn record(&self, ticket: Ticket, headers: Option<RateHeaders>) {
        lock(&self.inner.budget).record(ticket, headers, Instant::now());
        self.inner.answered.notify_waiters();
    }

    /// One logical call: pace, send, retry per [`retry::decide`], decode.
    async fn send<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        query: &[(&'static str, String)],
        body: Option<Vec<u8>>,
    ) -> Result<T> {
        let url = format!("{}{}", self.inner.base_url, path);
        let mut retries_done = 0;
        loop {
            let ticket = self.reserve().await;
            lock(&self.inner.metrics).requests += 1;
            let mut request = self
                .inner
                .http
                .request(method.clone(), &url)
                .header(reqwest::header::ACCEPT, "application/json");
            if !query.is_empty() {
                request = request.query(query);
            }
            if let Some((key, secret)) = &self.inner.credentials {
                request = request.basic_auth(key, Some(&secret.0));
            }
            if let Some(body) = &body {
                request = request
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(body.clone());
            }
            let (failure, reset, error) = match request.send().await {
                Err(source) => {
                    self.record(ticket, None);
                    (Failure::Transport, None, Error::Transport { source })
                }
                Ok(response) => {
                    let header =
                        |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok());
                    let headers = RateHeaders::parse(
                        header("X-Rate-Limit-Limit"),
                        header("X-Rate-Limit-Remaining"),
                        header("X-Rate-Limit-Reset"),
                    );
                    self.record(ticket, Some(headers));
                    let status = response.status().as_u16();
                    match response.bytes().await {
                        Err(source) => (Failure::Transport, None, Error::Transport { source }),
                        Ok(bytes) if (200..300).contains(&status) => return decode(&bytes),
                        Ok(bytes) => {
                            let message = api_message(&bytes, status);
                            let error = match status {
                                401 => Error::Unauthorized { message },
                                429 => {
                                    lock(&self.inner.metrics).rate_limited += 1;
                                    Error::RateLimited {
                                        retry_after: headers
                                            .reset
                                            .unwrap_or(retry::DEFAULT_RATE_LIMIT_WAIT),
                                    }
                                }
                                _ => Error::Api { status, message },
                            };
                            (Failure::Status(status), headers.reset, error)
                        }
                    }
                }
            };
            match retry::decide(failure, reset, retries_done, &self.inner.policy) {
                Decision::GiveUp => return Err(error),
                Decision::Retry { after } => {
                    // A warning: support reading the log wants to see every 429, 5xx and dropped connection.
                    tracing::warn!(%error, ?after, retries_done, "shipstation: retrying");
                    {
                        let mut metrics = lock(&self.inner.metrics);
                        metrics.retries += 1;
                        metrics.waited += after;
                    }
                    retries_done += 1;
                    tokio::time::sleep(after).await;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_the_secret() {
        let client = Client::builder("http://127.0.0.1:1")
            .credentials("key-1", "s3cr3t")
            .build()
            .unwrap();
        let text = format!(
            "{client:?} {:?}",
            Client::builder("http://x").credentials("k", "s3cr3t")
        );
        assert!(
            !text.contains("s3cr3t"),
            "the secret leaked into Debug output: {text}"
        );
    }

    #[test]
    fn error_bodies_keep_the_apis_own_words() {
        let dotnet =
            br#"{"Message":"The request is invalid.","ExceptionMessage":"orderDate is required"}"#;
        assert_eq!(
            api_message(dotnet, 400),
            "The request is invalid. orderDate is required",
            "both parts kept"
        );
        assert_eq!(
            api_message(br#"{"message":"Too Many Requests"}"#, 429),
            "Too Many Requests",
            "lower-case key"
        );
        assert_eq!(
            api_message(b"<html>oops</html>", 502),
            "<html>oops</html>",
            "non-JSON body kept as text"
        );
        assert_eq!(
            api_message(b"", 503),
            "Service Unavailable",
            "empty body falls back to the reason phrase"
        );
    }

    #[test]
    fn only_http_base_urls_are_accepted() {
        for bad in ["ssapi.shipstation.com", "ftp://x", "http://x/?a=b"] {
            assert!(
                matches!(
                    Client::builder(bad).build(),
                    Err(Error::InvalidBaseUrl { .. })
                ),
                "{bad} must be refused before any request"
            );
        }
    }
}
