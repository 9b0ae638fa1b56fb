//! [`Client`] and [`ClientBuilder`]: the only code that sends HTTP. Every API call is signed
//! (OAuth 1.0a, fresh nonce per attempt), read whole, decoded from the envelope, and retried as
//! `retry::decide` says; every attempt, rate limit, retry and wait is counted in [`Metrics`].

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::Method;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use serde::de::DeserializeOwned;
use url::Url;

use crate::envelope::{self, Envelope};
use crate::error::{Error, OAuthStep};
use crate::oauth::{self, AccessToken, ConsumerCredentials, Nonce};
use crate::paths;
use crate::retry::{self, Attempt, Decision, RetryPolicy};
use crate::{OrdersApi, PartnersApi, WarehousesApi};

/// The content type the contract asks for on every call.
const JSON_UTF8: &str = "application/json;charset=UTF-8";
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// What the client has done so far; the run summary reports it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Metrics {
    /// HTTP attempts sent (retries included).
    pub requests: u64,
    /// 429 answers received.
    pub rate_limited: u64,
    /// Retries made.
    pub retries: u64,
    /// Time spent waiting before retries.
    pub waited: Duration,
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
        }
    }

    /// Orders to fulfil: list, get, acknowledge, ship, void, cancel.
    pub fn orders(&self) -> OrdersApi<'_> {
        OrdersApi::new(self)
    }

    /// Quipt's warehouses.
    pub fn warehouses(&self) -> WarehousesApi<'_> {
        WarehousesApi::new(self)
    }

    /// Quipt's sales channels ("partners").
    pub fn partners(&self) -> PartnersApi<'_> {
        PartnersApi::new(self)
    }

    /// Counters since the client was built.
    pub fn metrics(&self) -> Metrics {
        *self.inner.metrics.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn count(&self, f: impl FnOnce(&mut Metrics)) {
        f(&mut self.inner.metrics.lock().unwrap_or_else(|e| e.into_inner()));
    }

    /// Sends one API call under `/v2` and returns its successful envelope.
    ///
    /// `query` pairs are percent-encoded here and signed as sent; `body` is JSON.
    pub(crate) async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        query: &[(String, String)],
        body: Option<Vec<u8>>,
    ) -> Result<Envelope<T>, Error> {
        let mut url = format!("{}{path}", self.inner.api_base);
        if !query.is_empty() {
            let q = query
                .iter()
                .map(|(k, v)| format!("{}={}", oauth::percent_encode(k), oauth::percent_encode(v)))
                .collect::<Vec<_>>()
                .join("&");
            url = format!("{url}?{q}");
        }
        let url = Url::parse(&url).map_err(|source| Error::InvalidUrl { url, source })?;
        let mut retries_done = 0u32;
        loop {
            let header = oauth::authorization_header(
                method.as_str(),
                &url,
                &self.inner.consumer,
                Some((&self.inner.token.token, &self.inner.token.secret)),
                &[],
                &Nonce::fresh(),
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
            let attempt = match send(request).await {
                Ok((status, retry_after, bytes)) => {
                    tracing::debug!(%method, path, status, "quipt answered");
                    if (200..300).contains(&status) {
                        let envelope: Envelope<T> = envelope::decode(&bytes)?;
                        if !envelope.success {
                            return Err(Error::Api {
                                status,
                                messages: envelope.messages,
                            });
                        }
                        return Ok(envelope);
                    }
                    if status == 429 {
                        self.count(|m| m.rate_limited += 1);
                    }
                    let attempt = Attempt::Status {
                        status,
                        retry_after,
                    };
                    match retry::decide(&self.inner.policy, attempt, retries_done) {
                        Decision::Retry { after } => after,
                        Decision::Stop => return Err(status_error(status, retry_after, &bytes)),
                    }
                }
                Err(source) => {
                    let attempt = if source.is_timeout() {
                        Attempt::Timeout
                    } else if source.is_builder() || source.is_redirect() {
                        return Err(Error::Transport { source });
                    } else {
                        Attempt::Connection
                    };
                    tracing::debug!(%method, path, ?attempt, "quipt unreachable");
                    match retry::decide(&self.inner.policy, attempt, retries_done) {
                        Decision::Retry { after } => after,
                        Decision::Stop => return Err(Error::Transport { source }),
                    }
                }
            };
            // A warning: support reading the log wants to see every 429, 5xx and dropped connection.
            tracing::warn!(%method, path, retries_done, wait = ?attempt, "quipt: retrying");
            retries_done += 1;
            self.count(|m| {
                m.retries += 1;
                m.waited += attempt;
            });
            tokio::time::sleep(attempt).await;
        }
    }
}

/// Sends and reads the whole body, so a connection dropped mid-answer is a transport failure
/// of this attempt (and retried), not a decode error later.
async fn send(
    request: reqwest::RequestBuilder,
) -> Result<(u16, Option<Duration>, Vec<u8>), reqwest::Error> {
    let response = request.send().await?;
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(retry::parse_retry_after);
    let bytes = response.bytes().await?.to_vec();
    Ok((status, retry_after, bytes))
}

fn status_error(status: u16, retry_after: Option<Duration>, body: &[u8]) -> Error {
    let messages = envelope::error_messages(body);
    match status {
        401 => Error::Unauthorized {
            message: messages
                .first()
                .map(|m| m.text.clone())
                .unwrap_or_else(|| "no reason given".to_string()),
        },
        429 => Error::RateLimited {
            retry_after: retry_after.unwrap_or_default(),
        },
        _ => Error::Api { status, messages },
    }
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

    /// Retries after the first attempt (default 3).
    pub fn max_retries(mut self, n: u32) -> Self {
        self.policy.max_retries = n;
        self
    }

    /// Timeout of one attempt (default 30 s); a timeout is retried.
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = d;
        self
    }

    /// Backoff before the first retry, doubled each time up to `max` (default 500 ms … 30 s);
    /// tests make it short.
    pub fn backoff(mut self, base: Duration, max: Duration) -> Self {
        self.policy.base_delay = base;
        self.policy.max_delay = max;
        self
    }

    /// The longest `Retry-After` waited out inside a call (default 120 s); a longer one is
    /// returned as `Error::RateLimited`.
    pub fn max_retry_after(mut self, d: Duration) -> Self {
        self.policy.max_retry_after = d;
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    /// `MissingCredentials` without consumer or token; `InvalidUrl`; `Transport` when the TLS
    /// stack cannot start.
    pub fn build(self) -> Result<Client, Error> {
        let consumer = self.consumer.ok_or(Error::MissingCredentials {
            which: "consumer credentials",
        })?;
        let token = self.token.ok_or(Error::MissingCredentials {
            which: "an access token",
        })?;
        let api_base = format!(
            "{}{}",
            self.api_url.trim_end_matches('/'),
            paths::API_PREFIX
        );
        Url::parse(&api_base).map_err(|source| Error::InvalidUrl {
            url: api_base.clone(),
            source,
        })?;
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
                api_base,
                consumer,
                token,
                policy: self.policy,
                metrics: Mutex::new(Metrics::default()),
            }),
        })
    }
}

/// The HTTP client of the OAuth flow.
pub(crate) fn oauth_http() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(DEFAULT_TIMEOUT)
        .build()
        .unwrap_or_default()
}

/// Sends one signed OAuth step (`POST`, no body) and returns its form-encoded answer.
pub(crate) async fn post_oauth(
    http: &reqwest::Client,
    url: Url,
    authorization: String,
) -> Result<Vec<(String, String)>, Error> {
    let step = if url.path().ends_with(paths::OAUTH_INITIATE) {
        OAuthStep::Initiate
    } else {
        OAuthStep::Exchange
    };
    let response = http
        .post(url)
        .header(AUTHORIZATION, authorization)
        .send()
        .await
        .map_err(|source| Error::Transport { source })?;
    let status = response.status().as_u16();
    let body = response
        .bytes()
        .await
        .map_err(|source| Error::Transport { source })?;
    if !(200..300).contains(&status) {
        return Err(status_error(status, None, &body));
    }
    crate::parse::parse_form(&body, step)
}
