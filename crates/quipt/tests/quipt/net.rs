//! Hostile and in-between network parts for the clients' tests, all on 127.0.0.1 and each stopping
//! by itself (bounded writes; the tasks end with the test's runtime):
//! - [`RawServer`]: a scripted HTTP server for the answers no simulator gives (wild headers, an
//!   endless or huge body, headers dribbled a byte at a time, HTML, truncated JSON, redirects);
//! - [`AnswerDropper`]: a proxy that forwards a request to the simulator and then drops the answer,
//!   so the write happened but the client never hears of it;
//! - [`TestCa`] and [`TlsFront`]: a TLS endpoint signed by a CA made in the test, as a company proxy
//!   that inspects TLS would present;
//! - [`ConnectProxy`]: an `HTTPS_PROXY` that tunnels with `CONNECT` and records where to.
//!
//! Shared by the Quipt and the ShipStation client tests: the ShipStation test binary includes this
//! file by path, since the clients depend on nothing of ours and there is no shared test crate.
#![allow(dead_code)] // each binary uses its own part of the file

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Output;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The most a test server ever writes on one connection.
const MAX_WRITTEN: usize = 256 * 1024 * 1024;

/// A request as the test servers read it.
#[derive(Debug, Clone)]
pub struct Request {
    /// The head: request line and headers.
    pub head: String,
    /// The body (by `Content-Length`).
    pub body: Vec<u8>,
}

impl Request {
    /// `METHOD /path HTTP/1.1`.
    pub fn line(&self) -> &str {
        self.head.lines().next().unwrap_or_default()
    }
}

/// Reads one request (head, then `Content-Length` bytes of body); `None` when the peer is gone.
async fn read_request(socket: &mut (impl AsyncRead + Unpin)) -> Option<Request> {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        if socket.read(&mut byte).await.ok()? == 0 || buf.len() > 64 * 1024 {
            return None;
        }
        buf.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&buf).into_owned();
    let length = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    socket.read_exact(&mut body).await.ok()?;
    Some(Request { head, body })
}

/// What the [`RawServer`] does with one request.
pub enum Reply {
    /// Writes these bytes, then closes.
    Bytes(Vec<u8>),
    /// Writes this head, then body bytes until the client goes away (bounded).
    Endless {
        /// Status line and headers, ending in an empty line.
        head: String,
    },
    /// Writes these bytes one at a time, `every` apart.
    Dribble {
        /// The whole answer.
        bytes: Vec<u8>,
        /// The pause between two bytes.
        every: Duration,
    },
}

/// A complete answer with `Content-Length` and `Connection: close`.
pub fn answer(status: u16, headers: &[(&str, &str)], body: &str) -> Reply {
    let mut head = format!("HTTP/1.1 {status} Whatever\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    Reply::Bytes([head.as_bytes(), body.as_bytes()].concat())
}

/// A scripted HTTP server: `script(n, request)` says what to do with the `n`-th request (from 0).
pub struct RawServer {
    /// `http://127.0.0.1:port`.
    pub url: String,
    /// Where it listens.
    pub addr: SocketAddr,
    seen: Arc<Mutex<Vec<String>>>,
}

impl RawServer {
    /// Starts the server on a free port.
    pub async fn start(script: impl Fn(usize, &Request) -> Reply + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(script);
        let log = seen.clone();
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let (script, log) = (script.clone(), log.clone());
                tokio::spawn(async move {
                    let Some(request) = read_request(&mut socket).await else {
                        return;
                    };
                    let n = {
                        let mut log = log.lock().unwrap();
                        log.push(request.line().to_string());
                        log.len() - 1
                    };
                    match script(n, &request) {
                        Reply::Bytes(bytes) => {
                            let _ = socket.write_all(&bytes).await;
                        }
                        Reply::Endless { head } => {
                            let _ = socket.write_all(head.as_bytes()).await;
                            let chunk = vec![b'x'; 64 * 1024];
                            let mut written = 0;
                            while written < MAX_WRITTEN && socket.write_all(&chunk).await.is_ok() {
                                written += chunk.len();
                            }
                        }
                        Reply::Dribble { bytes, every } => {
                            for byte in bytes {
                                if socket.write_all(&[byte]).await.is_err() {
                                    break;
                                }
                                tokio::time::sleep(every).await;
                            }
                        }
                    }
                    let _ = socket.shutdown().await;
                });
            }
        });
        Self {
            url: format!("http://{addr}"),
            addr,
            seen,
        }
    }

    /// The request lines served so far, in order.
    pub fn requests(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
}

/// A proxy in front of an HTTP server that forwards every request and its answer, except that the
/// answers to the first `times` requests whose request line contains `pattern` are dropped after
/// the server has acted on them: the connection closes without a byte of answer.
pub struct AnswerDropper {
    /// `http://127.0.0.1:port`, to give the client instead of the server's URL.
    pub url: String,
    dropped: Arc<Mutex<Vec<String>>>,
}

impl AnswerDropper {
    /// Starts the proxy in front of `backend` (`http://host:port`).
    pub async fn start(backend: &str, pattern: &'static str, times: usize) -> Self {
        let backend = backend.trim_start_matches("http://").to_string();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let dropped = Arc::new(Mutex::new(Vec::new()));
        let log = dropped.clone();
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let (backend, log) = (backend.clone(), log.clone());
                tokio::spawn(async move {
                    while let Some(request) = read_request(&mut client).await {
                        // One request per server connection, so the answer ends where it closes.
                        let head: String = request
                            .head
                            .trim_end()
                            .lines()
                            .filter(|l| !l.to_ascii_lowercase().starts_with("connection:"))
                            .map(|l| format!("{l}\r\n"))
                            .collect();
                        let Ok(mut server) = TcpStream::connect(&backend).await else {
                            return;
                        };
                        let sent =
                            [head.as_bytes(), b"Connection: close\r\n\r\n", &request.body].concat();
                        if server.write_all(&sent).await.is_err() {
                            return;
                        }
                        let mut answer = Vec::new();
                        let _ = server.read_to_end(&mut answer).await;
                        let drop_it = request.line().contains(pattern) && {
                            let mut log = log.lock().unwrap();
                            let drop_it = log.len() < times;
                            if drop_it {
                                log.push(request.line().to_string());
                            }
                            drop_it
                        };
                        if drop_it || client.write_all(&answer).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        Self { url, dropped }
    }

    /// The request lines whose answers were dropped.
    pub fn dropped(&self) -> Vec<String> {
        self.dropped.lock().unwrap().clone()
    }
}

/// A CA made for one test, its certificate written to a PEM file (to hand to `SSL_CERT_FILE`),
/// and a server certificate for `localhost` and 127.0.0.1 it signed.
pub struct TestCa {
    /// The CA certificate, PEM.
    pub pem_file: PathBuf,
    config: Arc<rustls::ServerConfig>,
    _dir: tempfile::TempDir,
}

impl TestCa {
    /// Makes the CA and the server certificate.
    pub fn new() -> Self {
        use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "Test Company Proxy CA");
        let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();
        let server_key = KeyPair::generate().unwrap();
        let server_params =
            CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()]).unwrap();
        let server = server_params.signed_by(&server_key, &ca).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let pem_file = dir.path().join("company-ca.pem");
        std::fs::write(&pem_file, ca.pem()).unwrap();
        let key = rustls::pki_types::PrivateKeyDer::try_from(server_key.serialize_der()).unwrap();
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![server.der().clone(), ca.der().clone()], key)
            .unwrap();
        Self {
            pem_file,
            config: Arc::new(config),
            _dir: dir,
        }
    }
}

/// A TLS endpoint with the [`TestCa`]'s certificate in front of a plain HTTP server.
pub struct TlsFront {
    /// `https://localhost:port`.
    pub url: String,
}

impl TlsFront {
    /// Starts the endpoint in front of `backend`.
    pub async fn start(ca: &TestCa, backend: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let acceptor = tokio_rustls::TlsAcceptor::from(ca.config.clone());
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    // A client that does not trust the CA ends the handshake: nothing to serve.
                    let Ok(mut tls) = acceptor.accept(socket).await else {
                        return;
                    };
                    if let Ok(mut server) = TcpStream::connect(backend).await {
                        let _ = tokio::io::copy_bidirectional(&mut tls, &mut server).await;
                    }
                });
            }
        });
        Self {
            url: format!("https://localhost:{port}"),
        }
    }
}

/// An HTTP proxy that serves `CONNECT host:port` by tunnelling, recording each target.
pub struct ConnectProxy {
    /// `http://127.0.0.1:port`, the value of `HTTPS_PROXY`.
    pub url: String,
    targets: Arc<Mutex<Vec<String>>>,
}

impl ConnectProxy {
    /// Starts the proxy on a free port.
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let targets = Arc::new(Mutex::new(Vec::new()));
        let log = targets.clone();
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let log = log.clone();
                tokio::spawn(async move {
                    let Some(request) = read_request(&mut client).await else {
                        return;
                    };
                    let mut words = request.line().split_whitespace();
                    let (Some("CONNECT"), Some(target)) = (words.next(), words.next()) else {
                        let _ = client
                            .write_all(b"HTTP/1.1 405 Only CONNECT\r\nContent-Length: 0\r\n\r\n")
                            .await;
                        return;
                    };
                    log.lock().unwrap().push(target.to_string());
                    let Ok(mut server) = TcpStream::connect(target).await else {
                        return;
                    };
                    if client
                        .write_all(b"HTTP/1.1 200 Connection Established\r\n\r\n")
                        .await
                        .is_ok()
                    {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
            }
        });
        Self { url, targets }
    }

    /// The `host:port` of every tunnel opened so far.
    pub fn targets(&self) -> Vec<String> {
        self.targets.lock().unwrap().clone()
    }
}

/// Runs the ignored test `name` of this test binary in a child process with `env` added (and
/// `SSL_CERT_FILE`, `HTTPS_PROXY`, `NO_PROXY` and their lower-case forms removed first), for
/// settings the HTTP client only reads from the environment; the child's output is returned.
pub async fn run_child_test(name: &str, env: &[(&str, &str)]) -> Output {
    let mut command = tokio::process::Command::new(std::env::current_exe().unwrap());
    command.args(["--ignored", "--exact", "--nocapture", name]);
    for var in [
        "SSL_CERT_FILE",
        "SSL_CERT_DIR",
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
    ] {
        command.env_remove(var);
    }
    command.envs(env.iter().copied());
    tokio::time::timeout(Duration::from_secs(60), command.output())
        .await
        .expect("the child test ends within a minute")
        .expect("the test binary runs again as a child")
}

/// Whether a child test's output says it passed.
pub fn child_passed(output: &Output) -> bool {
    output.status.success() && String::from_utf8_lossy(&output.stdout).contains("1 passed")
}

fn shown(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The company-network cases, for a client whose ignored test `child` calls the URL in
/// `CHILD_API_URL` (expecting `body` back), or expects a refused certificate when `CHILD_EXPECT`
/// is `untrusted`: through `HTTPS_PROXY` with the company CA in `SSL_CERT_FILE`; with `NO_PROXY`
/// bypassing the proxy; and without the CA.
pub async fn check_company_network(child: &str, body: &'static str) {
    let server = RawServer::start(move |_, _| answer(200, &[], body)).await;
    let ca = TestCa::new();
    let front = TlsFront::start(&ca, server.addr).await;
    let proxy = ConnectProxy::start().await;
    let ca_file = ca.pem_file.to_str().unwrap();
    let target = front.url.trim_start_matches("https://").to_string();
    let trusted = [
        ("CHILD_API_URL", front.url.as_str()),
        ("SSL_CERT_FILE", ca_file),
        ("HTTPS_PROXY", proxy.url.as_str()),
    ];

    let through = run_child_test(child, &trusted).await;
    assert!(
        child_passed(&through),
        "with the company CA in the certificate store the call succeeds:\n{}",
        shown(&through)
    );
    assert_eq!(
        proxy.targets(),
        vec![target.clone()],
        "the call went through HTTPS_PROXY"
    );

    let bypass = run_child_test(
        child,
        &[&trusted[..], &[("NO_PROXY", "localhost")]].concat(),
    )
    .await;
    assert!(
        child_passed(&bypass),
        "NO_PROXY still reaches the server:\n{}",
        shown(&bypass)
    );
    assert_eq!(proxy.targets(), vec![target], "NO_PROXY bypassed the proxy");

    let untrusted = run_child_test(
        child,
        &[("CHILD_API_URL", &front.url), ("CHILD_EXPECT", "untrusted")],
    )
    .await;
    assert!(
        child_passed(&untrusted),
        "without the company CA the call is refused and the message says what to install:\n{}",
        shown(&untrusted)
    );
    assert_eq!(
        server.requests().len(),
        2,
        "only the trusted calls reached the server"
    );
}

/// Byte-level cases both clients must pass. Each takes `call`, one call of the client under test
/// against the URL it is given (built with no retries unless the case says otherwise), coming back
/// with the error as the operator reads it.
pub mod cases {
    use super::*;

    /// An answer that never ends is cut at the body limit.
    pub async fn an_endless_body_is_cut<F: Future<Output = Result<(), String>>>(
        call: impl Fn(String) -> F,
    ) {
        let server = RawServer::start(|_, _| Reply::Endless {
            head: "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n"
                .into(),
        })
        .await;
        let error = call(server.url.clone())
            .await
            .expect_err("an endless answer ends at the limit");
        assert!(
            error.contains("larger than 32 MiB"),
            "the error says why: {error}"
        );
    }

    /// A redirect is an error naming the location, neither followed nor retried (`call` may
    /// retry).
    pub async fn a_redirect_is_not_followed<F: Future<Output = Result<(), String>>>(
        call: impl Fn(String) -> F,
    ) {
        let server = RawServer::start(|_, _| {
            answer(302, &[("Location", "https://elsewhere.example/steal")], "")
        })
        .await;
        let error = call(server.url.clone())
            .await
            .expect_err("a redirect is an error");
        assert!(
            error.contains("redirecting to https://elsewhere.example/steal"),
            "the error names where it pointed: {error}"
        );
        assert_eq!(
            server.requests().len(),
            1,
            "neither followed nor retried: the credentials go nowhere else"
        );
    }

    /// A server that sends its answer (`body`, a valid one) a byte a second times out as a whole
    /// (`call` uses a timeout of 1.5 s).
    pub async fn dribbled_headers_time_out<F: Future<Output = Result<(), String>>>(
        body: &'static str,
        call: impl Fn(String) -> F,
    ) {
        let bytes = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .into_bytes();
        let server = RawServer::start(move |_, _| Reply::Dribble {
            bytes: bytes.clone(),
            every: Duration::from_secs(1),
        })
        .await;
        let started = std::time::Instant::now();
        let error = call(server.url.clone())
            .await
            .expect_err("a server too slow to finish its headers times out");
        assert!(
            error.contains("no full answer within the timeout"),
            "the error says it timed out: {error}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the timeout covers the whole answer, not each byte: {:?}",
            started.elapsed()
        );
    }

    /// A 2 MB HTML error page from a gateway becomes a short message naming its title.
    pub async fn an_html_error_page_is_named_by_its_title<
        F: Future<Output = Result<(), String>>,
    >(
        call: impl Fn(String) -> F,
    ) {
        let page = format!(
            "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>{}</body></html>",
            "<p>nginx</p>".repeat(200_000)
        );
        let server =
            RawServer::start(move |_, _| answer(502, &[("Content-Type", "text/html")], &page))
                .await;
        let message = call(server.url.clone())
            .await
            .expect_err("a gateway error fails the call");
        assert!(
            message.contains("an HTML page titled \"502 Bad Gateway\""),
            "the page is named by its title: {message}"
        );
        assert!(
            message.len() < 400,
            "a 2 MB page does not become a 2 MB message ({} bytes)",
            message.len()
        );
    }

    /// A field of the wrong type holding a megabyte (`body`, built around `huge`) is a short
    /// error: the parser quotes the offending value, and neither the message nor any error in its
    /// chain may carry it whole into the history, the logs or the CLI's output. `call` comes back
    /// with the whole chain ([`chain`]).
    pub async fn a_wrong_typed_field_of_a_megabyte_is_cut_short<
        F: Future<Output = Result<(), String>>,
    >(
        body: impl Fn(&str) -> String,
        call: impl Fn(String) -> F,
    ) {
        let body = body(&"x".repeat(1024 * 1024));
        let server = RawServer::start(move |_, _| answer(200, &[], &body)).await;
        let chain = call(server.url.clone())
            .await
            .expect_err("a field of the wrong type fails the call");
        assert!(
            chain.contains("invalid type: string \"xxx"),
            "the error says what the parser found: {chain}"
        );
        assert!(
            chain.chars().count() < 400,
            "a megabyte in a field does not become a megabyte of error ({} characters)",
            chain.chars().count()
        );
    }

    /// `error` and every error behind it (`source()`), as the CLI prints the chain.
    pub fn chain(error: &dyn std::error::Error) -> String {
        let mut text = error.to_string();
        let mut cause = error.source();
        while let Some(error) = cause {
            text.push_str(": ");
            text.push_str(&error.to_string());
            cause = error.source();
        }
        text
    }

    /// A body whose `Content-Length` is over `limit` is refused unread.
    pub async fn a_huge_body_is_not_read<F: Future<Output = Result<(), String>>>(
        limit: usize,
        call: impl Fn(String) -> F,
    ) {
        let huge = format!("[{}]", " ".repeat(limit));
        let server = RawServer::start(move |_, _| answer(200, &[], &huge)).await;
        let error = call(server.url.clone())
            .await
            .expect_err("a body over the limit is refused");
        assert!(
            error.contains("larger than 32 MiB"),
            "the error says why: {error}"
        );
    }
}
