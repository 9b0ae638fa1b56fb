//! The listener both simulators serve on. Its connections can be aborted from the gate, so a fault
//! can close a connection without an answer: before the request is handled (a dropped request) or
//! after its write took effect (an answer lost on the way back).

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use axum::Router;
use axum::extract::Request;
use axum::extract::connect_info::{ConnectInfo, Connected};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::serve::{IncomingStream, Listener};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

/// Serves `router` on `listener` until the task is aborted; every request carries the
/// [`ConnectionHandle`] of its connection.
pub async fn serve(listener: TcpListener, router: Router, name: &str) {
    let app = router.into_make_service_with_connect_info::<ConnectionHandle>();
    if let Err(error) = axum::serve(AbortableListener::new(listener), app).await {
        tracing::error!(%error, "the {name} simulator stopped");
    }
}

/// The connection that carried `request` (kept before the request is handed on, so the gate can
/// still drop the connection after the handler ran).
pub fn of(request: &Request) -> Option<ConnectionHandle> {
    request
        .extensions()
        .get::<ConnectInfo<ConnectionHandle>>()
        .map(|ConnectInfo(connection)| connection.clone())
}

/// Closes `connection` without answering: the returned response is never written. A router
/// served without [`serve`] has no handle; its connection task is unwound instead, which closes
/// the socket the same way (`resume_unwind` skips the panic hook, so nothing is printed).
pub fn drop_connection(connection: Option<&ConnectionHandle>) -> Response {
    match connection {
        Some(connection) => {
            connection.abort();
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
        None => std::panic::resume_unwind(Box::new("simulated dropped connection")),
    }
}

/// Per-connection switch: once set, the connection fails its next read or write, so hyper closes
/// the socket without having sent a byte of the response.
#[derive(Debug, Clone, Default)]
pub struct ConnectionHandle {
    abort: Arc<AtomicBool>,
}

impl ConnectionHandle {
    /// Makes the connection die instead of answering.
    pub fn abort(&self) {
        self.abort.store(true, Ordering::SeqCst);
    }
}

/// A TCP listener whose connections can be aborted through [`ConnectionHandle`].
#[derive(Debug)]
pub struct AbortableListener {
    inner: TcpListener,
}

impl AbortableListener {
    /// Wraps an already-bound listener.
    pub fn new(inner: TcpListener) -> Self {
        Self { inner }
    }
}

/// A TCP stream that errors on read and write once its [`ConnectionHandle`] was aborted.
#[derive(Debug)]
pub struct AbortableStream {
    stream: TcpStream,
    abort: Arc<AtomicBool>,
}

impl Listener for AbortableListener {
    type Io = AbortableStream;
    type Addr = ConnectionHandle;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            match self.inner.accept().await {
                Ok((stream, _)) => {
                    let _ = stream.set_nodelay(true);
                    let handle = ConnectionHandle::default();
                    let io = AbortableStream {
                        stream,
                        abort: handle.abort.clone(),
                    };
                    return (io, handle);
                }
                Err(error) => {
                    tracing::warn!(%error, "simulator: accept failed");
                    tokio::task::yield_now().await;
                }
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.inner.local_addr().map(|_| ConnectionHandle::default())
    }
}

impl Connected<IncomingStream<'_, AbortableListener>> for ConnectionHandle {
    fn connect_info(stream: IncomingStream<'_, AbortableListener>) -> Self {
        stream.remote_addr().clone()
    }
}

fn aborted() -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::ConnectionAborted,
        "connection dropped by fault injection",
    )
}

impl AsyncRead for AbortableStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        if self.abort.load(Ordering::SeqCst) {
            return Poll::Ready(Err(aborted()));
        }
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for AbortableStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        if self.abort.load(Ordering::SeqCst) {
            return Poll::Ready(Err(aborted()));
        }
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        if self.abort.load(Ordering::SeqCst) {
            return Poll::Ready(Err(aborted()));
        }
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}
