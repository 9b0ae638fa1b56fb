//! Scripted faults of the ShipStation simulator: what a test or a demo can make go wrong, and the
//! listener that lets the simulator drop a connection without answering.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::extract::connect_info::Connected;
use axum::serve::{IncomingStream, Listener};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

/// The faults currently armed. Counters count down as requests consume them.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    /// Answer the next `n` API requests with this status (a 5xx) and an error body.
    pub fail_next: Option<(u32, u16)>,
    /// Close the next `n` API connections without any response.
    pub drop_next: u32,
    /// Delay every API response by this much.
    pub latency: Duration,
    /// Any list page containing an order with this number answers 500.
    pub poison_order_number: Option<String>,
    /// Insert `null` rows into order, shipment and fulfillment lists.
    pub null_rows: bool,
    /// Bulk and single creates fail (per order, HTTP 200) for orders whose number contains this.
    pub bulk_fail_matching: Option<String>,
    /// Answer the next `n` API requests with 200 and this body instead of the real answer.
    pub garbage_next: Option<(u32, String)>,
}

/// What the middleware must do with one admitted request, decided once from [`Faults`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Injected {
    /// Nothing: answer normally.
    None,
    /// Answer with this status and ShipStation's loose error body.
    Fail(u16),
    /// Close the connection without a response.
    Drop,
    /// Answer 200 with this body.
    Garbage(String),
}

impl Faults {
    /// Consumes one armed fault for the next request, if any.
    pub fn take(&mut self) -> Injected {
        if self.drop_next > 0 {
            self.drop_next -= 1;
            return Injected::Drop;
        }
        if let Some((left, status)) = self.fail_next.as_mut() {
            let status = *status;
            *left = left.saturating_sub(1);
            if *left == 0 {
                self.fail_next = None;
            }
            return Injected::Fail(status);
        }
        if let Some((left, body)) = self.garbage_next.as_mut() {
            let body = body.clone();
            *left = left.saturating_sub(1);
            if *left == 0 {
                self.garbage_next = None;
            }
            return Injected::Garbage(body);
        }
        Injected::None
    }
}

/// Per-connection switch: once set, the connection fails its next write, so hyper closes the socket
/// without having sent a byte of the response.
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

/// A TCP listener whose connections can be aborted from a handler through [`ConnectionHandle`].
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

/// A TCP stream that errors on write once its [`ConnectionHandle`] was aborted.
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
                    tracing::warn!(%error, "shipstation simulator: accept failed");
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
