//! The loopback callback of the authorization flow, against requests a browser, a stale tab or a
//! local program could send: only the callback carrying the request token counts, a silent
//! connection holds nothing up, the whole wait times out, and the port is closed afterwards.

use std::time::Duration;

use quipt::Error;
use quipt::oauth::{CallbackTimeouts, LoopbackCallback, PendingCallback, RequestToken};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn request_token() -> RequestToken {
    RequestToken {
        token: "req-token-1".into(),
        secret: "req-secret".into(),
    }
}

/// A bound callback with short timeouts, armed for [`request_token`]; its port.
async fn armed(read: Duration, total: Duration) -> (PendingCallback, u16) {
    let callback = LoopbackCallback::bind()
        .await
        .expect("the callback binds")
        .with_timeouts(CallbackTimeouts { read, total });
    let url = callback.url();
    let port = url
        .trim_start_matches("http://127.0.0.1:")
        .trim_end_matches("/callback")
        .parse()
        .expect("a 127.0.0.1 URL with a port");
    (callback.expect(&request_token()), port)
}

/// What a browser gets for `GET target`.
async fn browse(port: u16, target: &str) -> String {
    let mut socket = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    socket
        .write_all(format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut answer = String::new();
    let _ = socket.read_to_string(&mut answer).await;
    answer
}

async fn port_is_closed(port: u16) -> bool {
    TcpStream::connect(("127.0.0.1", port)).await.is_err()
}

#[tokio::test]
async fn only_the_callback_carrying_the_request_token_completes_the_flow() {
    let (callback, port) = armed(Duration::from_secs(5), Duration::from_secs(20)).await;
    let waiting = tokio::spawn(callback.wait());

    let favicon = browse(port, "/favicon.ico").await;
    assert!(
        favicon.starts_with("HTTP/1.1 404"),
        "other paths get a 404: {favicon}"
    );
    let stale = browse(
        port,
        "/callback?oauth_token=an-old-attempt&oauth_verifier=v0",
    )
    .await;
    assert!(
        stale.starts_with("HTTP/1.1 400") && stale.contains("not the authorization"),
        "a callback for another token is answered and ignored: {stale}"
    );
    assert!(!waiting.is_finished(), "neither ended the wait");

    let ours = browse(port, "/callback?oauth_token=req-token-1&oauth_verifier=v1").await;
    assert!(
        ours.contains("close this window"),
        "the user is told: {ours}"
    );
    let (token, verifier) = waiting.await.unwrap().expect("our callback completes it");
    assert_eq!(
        (token.as_str(), verifier.as_str()),
        ("req-token-1", "v1"),
        "ours"
    );
    assert!(
        port_is_closed(port).await,
        "the listener is closed when the flow ends"
    );
}

#[tokio::test]
async fn a_silent_connection_does_not_hold_up_the_browsers_callback() {
    let (callback, port) = armed(Duration::from_millis(500), Duration::from_secs(20)).await;
    let waiting = tokio::spawn(callback.wait());
    let mut silent = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let ours = browse(port, "/callback?oauth_token=req-token-1&oauth_verifier=v2").await;
    assert!(
        ours.contains("close this window"),
        "served while another connection is silent"
    );
    let (_, verifier) = waiting.await.unwrap().unwrap();
    assert_eq!(verifier, "v2", "the browser's verifier");
    let mut buf = [0u8; 1];
    let read = tokio::time::timeout(Duration::from_secs(5), silent.read(&mut buf)).await;
    assert!(
        matches!(read, Ok(Ok(0)) | Ok(Err(_))),
        "the silent connection was closed, not left open: {read:?}"
    );
}

#[tokio::test]
async fn a_denied_authorization_ends_the_wait_with_the_reason() {
    let (callback, port) = armed(Duration::from_secs(5), Duration::from_secs(20)).await;
    let waiting = tokio::spawn(callback.wait());
    let page = browse(port, "/callback?oauth_token=req-token-1&denied=1").await;
    assert!(
        page.contains("Not authorized"),
        "the browser is told: {page}"
    );
    let result = waiting.await.unwrap();
    assert!(
        matches!(&result, Err(Error::OAuth { problem, .. }) if problem.contains("denied")),
        "the flow ends saying it was denied: {result:?}"
    );
}

#[tokio::test]
async fn the_whole_wait_times_out_and_closes_the_listener() {
    let (callback, port) = armed(Duration::from_millis(200), Duration::from_millis(600)).await;
    let result = callback.wait().await;
    let Err(error @ Error::CallbackTimedOut { .. }) = result else {
        panic!("no callback in time ends the wait: {result:?}")
    };
    assert!(
        error.to_string().contains("start the authorization again"),
        "the operator is told what to do: {error}"
    );
    assert!(
        port_is_closed(port).await,
        "the listener is closed after the timeout"
    );
}

#[tokio::test]
async fn an_abandoned_attempt_closes_the_listener() {
    let (callback, port) = armed(Duration::from_secs(5), Duration::from_secs(600)).await;
    let waiting = tokio::spawn(callback.wait());
    let _ = browse(port, "/favicon.ico").await;
    waiting.abort();
    let _ = waiting.await;
    assert!(
        port_is_closed(port).await,
        "dropping the wait (the user pasted the verifier, or gave up) closes the port"
    );
    let (never_armed, port) = armed(Duration::from_secs(5), Duration::from_secs(600)).await;
    drop(never_armed);
    assert!(
        port_is_closed(port).await,
        "so does dropping it before the wait"
    );
}
