//! The loopback listener that receives Quipt's redirect after the user approved the connector: an
//! HTTP listener on 127.0.0.1 (random port), bound before the flow starts so its address can be the
//! `oauth_callback`, then armed with the request token it waits for.
//!
//! Only a callback carrying that request token counts: any other request (a browser's
//! `/favicon.ico`, a stale tab of an earlier attempt, a local program guessing the port) is
//! answered and ignored. Connections are served concurrently, each with a read timeout, so a
//! silent one cannot hold up the browser's; the whole wait has a timeout too. The listener closes
//! when the wait ends, times out, or is dropped unfinished (an abandoned attempt).

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;
use url::Url;

use crate::credentials::RequestToken;
use crate::error::{Error, OAuthStep};
use crate::parse::form_value;

const CALLBACK_PATH: &str = "/callback";
/// The most of a browser's request head that is read.
const MAX_HEAD: usize = 16 * 1024;

const DONE_PAGE: &str = "<!doctype html><html><head><title>Quipt ShipStation Connector</title></head>\
<body><h1>Authorized</h1><p>The connector is authorized. You can close this window.</p></body></html>";

const DENIED_PAGE: &str = "<!doctype html><html><head><title>Quipt ShipStation Connector</title></head>\
<body><h1>Not authorized</h1><p>Quipt did not send a verifier. Close this window and try again.</p></body></html>";

const NOT_OURS_PAGE: &str = "<!doctype html><html><head><title>Quipt ShipStation Connector</title></head>\
<body><h1>Not this authorization</h1><p>This is not the authorization the connector is waiting for. \
Use the page the connector opened last.</p></body></html>";

/// How long the callback waits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CallbackTimeouts {
    /// For one connection's request to arrive in full (default 10 s).
    pub read: Duration,
    /// For the whole authorization, the user's login included (default 15 minutes).
    pub total: Duration,
}

impl Default for CallbackTimeouts {
    fn default() -> Self {
        Self {
            read: Duration::from_secs(10),
            total: Duration::from_secs(15 * 60),
        }
    }
}

/// A bound loopback listener, not yet waiting; [`LoopbackCallback::expect`] arms it.
#[derive(Debug)]
pub struct LoopbackCallback {
    listener: TcpListener,
    addr: SocketAddr,
    timeouts: CallbackTimeouts,
}

/// A loopback listener waiting for the callback of one request token.
#[derive(Debug)]
pub struct PendingCallback {
    listener: TcpListener,
    addr: SocketAddr,
    token: String,
    timeouts: CallbackTimeouts,
}

impl LoopbackCallback {
    /// Binds 127.0.0.1 on a free port, with the default [`CallbackTimeouts`].
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
        Ok(Self {
            listener,
            addr,
            timeouts: CallbackTimeouts::default(),
        })
    }

    /// Other timeouts (tests shorten them).
    pub fn with_timeouts(mut self, timeouts: CallbackTimeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// The `oauth_callback` to give [`Authorization::initiate`](crate::oauth::Authorization::initiate).
    pub fn url(&self) -> String {
        format!("http://{}{CALLBACK_PATH}", self.addr)
    }

    /// Arms the listener for the callback of `request` (the token `initiate` returned).
    pub fn expect(self, request: &RequestToken) -> PendingCallback {
        PendingCallback {
            listener: self.listener,
            addr: self.addr,
            token: request.token.clone(),
            timeouts: self.timeouts,
        }
    }
}

impl PendingCallback {
    /// Waits for the browser's redirect carrying the request token, answers it with a "you can
    /// close this window" page and returns `(oauth_token, oauth_verifier)`. The listener is closed
    /// when this returns (or when the future is dropped).
    ///
    /// # Errors
    /// `CallbackTimedOut` when no callback arrives within the total timeout; `OAuth` when the
    /// callback for this token carries no verifier (the user denied access); `Callback` when the
    /// listener fails.
    pub async fn wait(self) -> Result<(String, String), Error> {
        let deadline = tokio::time::Instant::now() + self.timeouts.total;
        // Dropping the set aborts the connections still being served.
        let mut connections = JoinSet::new();
        loop {
            tokio::select! {
                accepted = self.listener.accept() => {
                    let (socket, _) = accepted.map_err(|source| Error::Callback { source })?;
                    connections.spawn(serve(socket, self.addr, self.token.clone(), self.timeouts.read));
                }
                Some(served) = connections.join_next() => {
                    if let Ok(Some(result)) = served {
                        return result;
                    }
                }
                () = tokio::time::sleep_until(deadline) => {
                    return Err(Error::CallbackTimedOut { waited: self.timeouts.total });
                }
            }
        }
    }
}

/// Serves one connection; `None` when it was not the callback for `token` (answered and ignored).
async fn serve(
    mut socket: TcpStream,
    addr: SocketAddr,
    token: String,
    read_timeout: Duration,
) -> Option<Result<(String, String), Error>> {
    // A connection that sends nothing in time is dropped unanswered.
    let head = tokio::time::timeout(read_timeout, read_head(&mut socket))
        .await
        .ok()?
        .ok()?;
    let target = head.split_whitespace().nth(1).unwrap_or("/");
    let url = Url::parse(&format!("http://{addr}{target}")).ok();
    let Some(url) = url.filter(|u| u.path() == CALLBACK_PATH) else {
        respond(&mut socket, "404 Not Found", "not found", read_timeout).await;
        return None;
    };
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    if form_value(&pairs, "oauth_token").as_deref() != Some(token.as_str()) {
        respond(&mut socket, "400 Bad Request", NOT_OURS_PAGE, read_timeout).await;
        return None;
    }
    match form_value(&pairs, "oauth_verifier").filter(|v| !v.is_empty()) {
        Some(verifier) => {
            respond(&mut socket, "200 OK", DONE_PAGE, read_timeout).await;
            Some(Ok((token, verifier)))
        }
        None => {
            respond(&mut socket, "400 Bad Request", DENIED_PAGE, read_timeout).await;
            Some(Err(Error::OAuth {
                step: OAuthStep::Callback,
                problem: "Quipt's redirect carries no oauth_verifier: the authorization was denied"
                    .into(),
            }))
        }
    }
}

async fn read_head(socket: &mut TcpStream) -> std::io::Result<String> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() < MAX_HEAD {
        let n = socket.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

async fn respond(socket: &mut TcpStream, status: &str, body: &str, write_timeout: Duration) {
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    // The browser may already be gone; the token and verifier are what matter.
    let _ = tokio::time::timeout(write_timeout, async {
        let _ = socket.write_all(response.as_bytes()).await;
        let _ = socket.shutdown().await;
    })
    .await;
}
