//! OAuth 1.0a (RFC 5849) with HMAC-SHA1: the pure signing functions every API call goes through,
//! and the three-step authorization flow (`shared/api/quipt.md`, "Authorization").
//!
//! Signing is pure (nonce and timestamp are passed in) so it can be checked against published
//! test vectors. The flow: [`Authorization::initiate`] gets a request token, the user's browser
//! opens [`Authorization::authorize_url`] and approves, Quipt redirects to the
//! [`LoopbackCallback`] (or shows a verifier for `oob`), and [`Authorization::exchange`] trades the
//! request token and verifier for the [`AccessToken`] that [`crate::Client`] signs with.

use std::fmt;
use std::net::SocketAddr;

use base64::Engine as _;
use hmac::{Hmac, Mac};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use sha1::Sha1;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use url::Url;

use crate::client;
use crate::error::{Error, OAuthStep};
use crate::paths;

/// The application's (the connector's) OAuth consumer key and secret.
#[derive(Clone, PartialEq, Eq)]
pub struct ConsumerCredentials {
    /// Consumer key.
    pub key: String,
    /// Consumer secret; never printed.
    pub secret: String,
}

impl fmt::Debug for ConsumerCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConsumerCredentials")
            .field("key", &self.key)
            .field("secret", &"<redacted>")
            .finish()
    }
}

/// The API user's access token and secret, the result of authorization.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken {
    /// Token.
    pub token: String,
    /// Token secret; never printed.
    pub secret: String,
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("token", &self.token)
            .field("secret", &"<redacted>")
            .finish()
    }
}

/// A temporary request token from [`Authorization::initiate`].
#[derive(Clone, PartialEq, Eq)]
pub struct RequestToken {
    /// Token (goes into the authorization URL).
    pub token: String,
    /// Token secret; signs the exchange, never printed.
    pub secret: String,
}

impl fmt::Debug for RequestToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestToken")
            .field("token", &self.token)
            .field("secret", &"<redacted>")
            .finish()
    }
}

/// RFC 3986 unreserved characters stay; everything else becomes `%XX` (RFC 5849 §3.6).
const RFC3986: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes as RFC 5849 §3.6 requires (also used for query strings, so that what is sent
/// is byte for byte what is signed).
pub fn percent_encode(s: &str) -> String {
    utf8_percent_encode(s, RFC3986).to_string()
}

/// The signature base string (RFC 5849 §3.4.1): `METHOD&enc(base URI)&enc(sorted params)`.
/// `params` are the decoded query and `oauth_*` parameters; `oauth_signature` is ignored.
pub fn signature_base_string(method: &str, base_uri: &str, params: &[(String, String)]) -> String {
    let mut pairs: Vec<(String, String)> = params
        .iter()
        .filter(|(k, _)| k != "oauth_signature")
        .map(|(k, v)| (percent_encode(k), percent_encode(v)))
        .collect();
    pairs.sort();
    let normalized = pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    format!(
        "{}&{}&{}",
        method.to_ascii_uppercase(),
        percent_encode(base_uri),
        percent_encode(&normalized)
    )
}

/// HMAC-SHA1 over `base` with key `enc(consumer_secret)&enc(token_secret)`, base64-encoded.
pub fn hmac_sha1_signature(base: &str, consumer_secret: &str, token_secret: &str) -> String {
    let key = format!(
        "{}&{}",
        percent_encode(consumer_secret),
        percent_encode(token_secret)
    );
    let mut mac = Hmac::<Sha1>::new_from_slice(key.as_bytes()).expect("HMAC accepts any key");
    mac.update(base.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// The base string URI of `url` (RFC 5849 §3.4.1.2): scheme and host lowercase, default port
/// dropped, path kept, no query or fragment.
pub fn base_uri(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    match url.port() {
        Some(port) => format!("{}://{host}:{port}{}", url.scheme(), url.path()),
        None => format!("{}://{host}{}", url.scheme(), url.path()),
    }
}

/// Per-request values that make a signature unique.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Nonce {
    /// `oauth_nonce`.
    pub nonce: String,
    /// `oauth_timestamp` (seconds since the epoch).
    pub timestamp: u64,
}

impl Nonce {
    /// A random nonce and the current time.
    pub fn fresh() -> Self {
        let bytes: [u8; 16] = rand::random();
        let timestamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default();
        Self {
            nonce: bytes.iter().map(|b| format!("{b:02x}")).collect(),
            timestamp,
        }
    }
}

/// The `Authorization` header value for one request (pure).
///
/// `token` is `(token, token_secret)` when there is one; `extra` are additional `oauth_*`
/// parameters (`oauth_callback`, `oauth_verifier`). Query parameters of `url` are signed too.
pub fn authorization_header(
    method: &str,
    url: &Url,
    consumer: &ConsumerCredentials,
    token: Option<(&str, &str)>,
    extra: &[(&str, &str)],
    nonce: &Nonce,
) -> String {
    let mut oauth: Vec<(String, String)> = vec![
        ("oauth_consumer_key".into(), consumer.key.clone()),
        ("oauth_nonce".into(), nonce.nonce.clone()),
        ("oauth_signature_method".into(), "HMAC-SHA1".into()),
        ("oauth_timestamp".into(), nonce.timestamp.to_string()),
        ("oauth_version".into(), "1.0".into()),
    ];
    if let Some((t, _)) = token {
        oauth.push(("oauth_token".into(), t.to_string()));
    }
    oauth.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let mut params: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    params.extend(oauth.iter().cloned());
    let base = signature_base_string(method, &base_uri(url), &params);
    let signature = hmac_sha1_signature(&base, &consumer.secret, token.map_or("", |(_, s)| s));
    oauth.push(("oauth_signature".into(), signature));
    oauth.sort();
    let fields = oauth
        .iter()
        .map(|(k, v)| format!("{}=\"{}\"", percent_encode(k), percent_encode(v)))
        .collect::<Vec<_>>()
        .join(", ");
    format!("OAuth {fields}")
}

/// The authorization flow against Quipt's app host (`QUIPT_APP_URL`).
#[derive(Debug, Clone)]
pub struct Authorization {
    app_url: String,
    consumer: ConsumerCredentials,
    http: reqwest::Client,
}

fn form_value(pairs: &[(String, String)], key: &str) -> Option<String> {
    pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
}

impl Authorization {
    /// The flow for the connector's `consumer` credentials against `app_url` (host, no path).
    pub fn new(app_url: impl Into<String>, consumer: ConsumerCredentials) -> Self {
        let app_url = app_url.into().trim_end_matches('/').to_string();
        Self {
            app_url,
            consumer,
            http: client::oauth_http(),
        }
    }

    fn url(&self, path: &str) -> Result<Url, Error> {
        let url = format!("{}{path}", self.app_url);
        Url::parse(&url).map_err(|source| Error::InvalidUrl { url, source })
    }

    /// Step 1, `POST /oauth/initiate`: a request token for `callback` (a URL, or `oob` to have
    /// Quipt show the verifier to the user).
    ///
    /// # Errors
    /// `Unauthorized` for wrong consumer credentials; `OAuth` when the answer lacks the token.
    pub async fn initiate(&self, callback: &str) -> Result<RequestToken, Error> {
        let url = self.url(paths::OAUTH_INITIATE)?;
        let header = authorization_header(
            "POST",
            &url,
            &self.consumer,
            None,
            &[("oauth_callback", callback)],
            &Nonce::fresh(),
        );
        let pairs = client::post_oauth(&self.http, url, header).await?;
        crate::parse::request_token_from(&pairs)
    }

    /// Step 2: the page the user opens to log in as the API user and approve the connector.
    pub fn authorize_url(&self, request: &RequestToken) -> String {
        format!(
            "{}{}?oauth_token={}",
            self.app_url,
            paths::OAUTH_AUTHORIZE_PAGE,
            percent_encode(&request.token)
        )
    }

    /// Step 3, `POST /oauth/token`: trades the approved request token and its verifier for the
    /// access token.
    ///
    /// # Errors
    /// `Unauthorized` when the token was not approved or the verifier is wrong.
    pub async fn exchange(
        &self,
        request: &RequestToken,
        verifier: &str,
    ) -> Result<AccessToken, Error> {
        let url = self.url(paths::OAUTH_TOKEN)?;
        let header = authorization_header(
            "POST",
            &url,
            &self.consumer,
            Some((&request.token, &request.secret)),
            &[("oauth_verifier", verifier)],
            &Nonce::fresh(),
        );
        let pairs = client::post_oauth(&self.http, url, header).await?;
        crate::parse::access_token_from(&pairs)
    }
}

/// A one-shot HTTP listener on 127.0.0.1 (random port) that receives Quipt's redirect after the
/// user approved, answers the browser with a short "you can close this window" page, and hands
/// back the request token and verifier.
#[derive(Debug)]
pub struct LoopbackCallback {
    listener: TcpListener,
    addr: SocketAddr,
}

const CALLBACK_PATH: &str = "/callback";

const DONE_PAGE: &str = "<!doctype html><html><head><title>Quipt ShipStation Connector</title></head>\
<body><h1>Authorized</h1><p>The connector is authorized. You can close this window.</p></body></html>";

const FAILED_PAGE: &str = "<!doctype html><html><head><title>Quipt ShipStation Connector</title></head>\
<body><h1>Not authorized</h1><p>Quipt did not send a verifier. Close this window and try again.</p></body></html>";

impl LoopbackCallback {
    /// Binds 127.0.0.1 on a free port.
    ///
    /// # Errors
    /// `Callback` when no port can be bound.
    pub async fn bind() -> Result<Self, Error> {
        let listener = TcpListener::bind(("127.0.0.1", 0))
            .await
            .map_err(|source| Error::Callback { source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| Error::Callback { source })?;
        Ok(Self { listener, addr })
    }

    /// The `oauth_callback` to give [`Authorization::initiate`].
    pub fn url(&self) -> String {
        format!("http://{}{CALLBACK_PATH}", self.addr)
    }

    /// Waits for the browser's redirect and returns `(oauth_token, oauth_verifier)`. Requests for
    /// other paths (a browser's `/favicon.ico`) get a 404 and are ignored.
    ///
    /// # Errors
    /// `Callback` on I/O failure; `OAuth` when the redirect carries no token or verifier (the
    /// user denied access).
    pub async fn wait(self) -> Result<(String, String), Error> {
        loop {
            let (mut socket, _) = self
                .listener
                .accept()
                .await
                .map_err(|source| Error::Callback { source })?;
            let head = read_head(&mut socket)
                .await
                .map_err(|source| Error::Callback { source })?;
            let target = head.split_whitespace().nth(1).unwrap_or("/").to_string();
            let Ok(url) = Url::parse(&format!("http://{}{target}", self.addr)) else {
                respond(&mut socket, "400 Bad Request", FAILED_PAGE).await;
                continue;
            };
            if url.path() != CALLBACK_PATH {
                respond(&mut socket, "404 Not Found", "not found").await;
                continue;
            }
            let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
            let token = form_value(&pairs, "oauth_token");
            let verifier = form_value(&pairs, "oauth_verifier");
            return match (token, verifier) {
                (Some(token), Some(verifier)) => {
                    respond(&mut socket, "200 OK", DONE_PAGE).await;
                    Ok((token, verifier))
                }
                _ => {
                    respond(&mut socket, "400 Bad Request", FAILED_PAGE).await;
                    Err(Error::OAuth {
                        step: OAuthStep::Callback,
                        problem: "the redirect carries no oauth_token and oauth_verifier".into(),
                    })
                }
            };
        }
    }
}

async fn read_head(socket: &mut tokio::net::TcpStream) -> std::io::Result<String> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() < 16 * 1024 {
        let n = socket.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

async fn respond(socket: &mut tokio::net::TcpStream, status: &str, body: &str) {
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    // The browser may already be gone; the token and verifier are what matter.
    let _ = socket.write_all(response.as_bytes()).await;
    let _ = socket.shutdown().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(k: &str, v: &str) -> (String, String) {
        (k.into(), v.into())
    }

    #[test]
    fn the_oauth_core_test_vector_signs_to_the_published_signature() {
        // OAuth Core 1.0 Appendix A.5 (the photos.example.net example).
        let params = vec![
            p("file", "vacation.jpg"),
            p("size", "original"),
            p("oauth_consumer_key", "dpf43f3p2l4k3l03"),
            p("oauth_token", "nnch734d00sl2jdk"),
            p("oauth_signature_method", "HMAC-SHA1"),
            p("oauth_timestamp", "1191242096"),
            p("oauth_nonce", "kllo9940pd9333jh"),
            p("oauth_version", "1.0"),
        ];
        let base = signature_base_string("GET", "http://photos.example.net/photos", &params);
        assert_eq!(
            base,
            "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal",
            "the base string must match the spec's, byte for byte"
        );
        assert_eq!(
            hmac_sha1_signature(&base, "kd94hf93k423kf44", "pfkkdhi9sl3r4s00"),
            "tR3+Ty81lMeYAr/Fid0kMTYa/WM=",
            "the published signature"
        );
    }

    #[test]
    fn the_rfc5849_base_string_example_is_reproduced() {
        // RFC 5849 §3.4.1.1: query, body and oauth parameters, with repeated names and encodings.
        let params = vec![
            p("b5", "=%3D"),
            p("a3", "a"),
            p("c@", ""),
            p("a2", "r b"),
            p("oauth_consumer_key", "9djdj82h48djs9d2"),
            p("oauth_token", "kkk9d7dh3k39sjv7"),
            p("oauth_signature_method", "HMAC-SHA1"),
            p("oauth_timestamp", "137131201"),
            p("oauth_nonce", "7d8f3e4a"),
            p("c2", ""),
            p("a3", "2 q"),
        ];
        assert_eq!(
            signature_base_string("POST", "http://example.com/request", &params),
            "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7",
            "parameters are encoded, then sorted by name and value"
        );
    }

    #[test]
    fn the_base_uri_drops_default_ports_and_the_query() {
        let url = Url::parse("HTTP://Example.COM:80/r%20v/X?id=123").unwrap();
        assert_eq!(
            base_uri(&url),
            "http://example.com/r%20v/X",
            "RFC 5849 §3.4.1.2 example"
        );
        let url = Url::parse("https://www.example.net:8080/?q=1").unwrap();
        assert_eq!(
            base_uri(&url),
            "https://www.example.net:8080/",
            "a non-default port stays"
        );
    }

    #[test]
    fn the_header_signs_query_parameters_and_never_shows_secrets_in_debug() {
        let consumer = ConsumerCredentials {
            key: "ck".into(),
            secret: "cs-secret".into(),
        };
        let url = Url::parse("http://127.0.0.1:9/v2/x?orderStatus=2%2C4").unwrap();
        let nonce = Nonce {
            nonce: "n".into(),
            timestamp: 1,
        };
        let header = authorization_header(
            "GET",
            &url,
            &consumer,
            Some(("tok", "ts-secret")),
            &[],
            &nonce,
        );
        let params = vec![
            p("orderStatus", "2,4"),
            p("oauth_consumer_key", "ck"),
            p("oauth_nonce", "n"),
            p("oauth_signature_method", "HMAC-SHA1"),
            p("oauth_timestamp", "1"),
            p("oauth_version", "1.0"),
            p("oauth_token", "tok"),
        ];
        let expected = hmac_sha1_signature(
            &signature_base_string("GET", "http://127.0.0.1:9/v2/x", &params),
            "cs-secret",
            "ts-secret",
        );
        assert!(
            header.contains(&format!(
                "oauth_signature=\"{}\"",
                percent_encode(&expected)
            )),
            "the query parameter is part of the signature: {header}"
        );
        assert!(
            !header.contains("secret"),
            "no secret travels in the header"
        );
        assert!(
            !format!("{consumer:?}").contains("cs-secret"),
            "Debug redacts the consumer secret"
        );
        let token = AccessToken {
            token: "t".into(),
            secret: "ts-secret".into(),
        };
        assert!(
            !format!("{token:?}").contains("ts-secret"),
            "Debug redacts the token secret"
        );
    }
}
