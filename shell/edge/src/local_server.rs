//! An HTTP server on 127.0.0.1 in its own thread and runtime, stopped when dropped: what the
//! SMS webhook and the customer chat page run on. It bounds what one client can hold: a cap
//! on open connections (WebSockets included), a time limit to send a request's headers and
//! another to send its body; past them the connection is closed or the request answered 408.

use std::{
    net::SocketAddr,
    pin::Pin,
    sync::Arc,
    task::{Context, Poll},
    thread::JoinHandle,
    time::Duration,
};

use axum::{
    Router,
    body::Body,
    extract::{ConnectInfo, Request, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::{
    io::{AsyncRead, AsyncWrite, ReadBuf},
    net::TcpStream,
    sync::{OwnedSemaphorePermit, Semaphore, oneshot},
};
use tower_service::Service;

/// Largest request body buffered (a form post is a few kilobytes; an MMS with ten media URLs
/// a few more).
const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// How much one server lets its clients hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Connections open at once (WebSockets count while open); more are closed at once.
    pub max_connections: usize,
    /// Time a client has to send a request's headers, from the connection's start or the end
    /// of its previous request (an idle keep-alive connection is closed after it too).
    pub header_timeout: Duration,
    /// Time a client has to send a request's body once its headers are in (answered 408).
    pub body_timeout: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        Self {
            max_connections: 256,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
        }
    }
}

/// A running local server; dropping it stops it.
pub struct LocalServer {
    address: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl LocalServer {
    /// Binds 127.0.0.1:`port` (0 picks a free port) and serves the router `app` makes for
    /// the bound address until dropped, within `limits`.
    pub fn start(
        name: &str,
        port: u16,
        limits: ConnectionLimits,
        app: impl FnOnce(SocketAddr) -> Router,
    ) -> std::io::Result<Self> {
        let listener = std::net::TcpListener::bind(("127.0.0.1", port))?;
        listener.set_nonblocking(true)?;
        let address = listener.local_addr()?;
        let app = app(address).layer(axum::middleware::from_fn_with_state(
            limits.body_timeout,
            body_within,
        ));
        let (shutdown, shutdown_rx) = oneshot::channel::<()>();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let label = name.to_owned();
        let thread = std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || {
                runtime.block_on(async move {
                    match tokio::net::TcpListener::from_std(listener) {
                        Ok(listener) => {
                            accept_until(listener, app, limits, &label, shutdown_rx).await;
                        }
                        Err(e) => tracing::error!("{label}: cannot listen: {e}"),
                    }
                });
                // Dropping the runtime here ends every connection still open.
            })?;
        Ok(Self {
            address,
            shutdown: Some(shutdown),
            thread: Some(thread),
        })
    }

    /// The address it listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }
}

impl Drop for LocalServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Accepts connections and serves each on its own task until `shutdown` fires.
async fn accept_until(
    listener: tokio::net::TcpListener,
    app: Router,
    limits: ConnectionLimits,
    label: &str,
    mut shutdown: oneshot::Receiver<()>,
) {
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let mut refusing = false;
    loop {
        let accepted = tokio::select! {
            _ = &mut shutdown => return,
            accepted = listener.accept() => accepted,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(e) => {
                // Out of file descriptors and the like: wait a little rather than spin.
                tracing::warn!("{label}: accepting a connection failed: {e}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            if !refusing {
                tracing::warn!(
                    "{label}: {} connections open, the most allowed; closing new ones until some end",
                    limits.max_connections
                );
                refusing = true;
            }
            drop(stream);
            continue;
        };
        refusing = false;
        let _ = stream.set_nodelay(true);
        let router = app.clone();
        let service = hyper::service::service_fn(move |mut request: Request<_>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            router.clone().call(request)
        });
        let header_timeout = limits.header_timeout;
        tokio::spawn(async move {
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout)
                .serve_connection(TokioIo::new(HeldStream { stream, slot }), service)
                .with_upgrades();
            if let Err(e) = connection.await {
                tracing::debug!("connection from {peer} ended: {e}");
            }
        });
    }
}

/// Reads the request's body within `limit` (408 past it), so a client that sends headers and
/// then trickles or withholds the body holds nothing for long.
async fn body_within(
    State(limit): State<Duration>,
    request: Request,
    next: axum::middleware::Next,
) -> Response {
    let (parts, body) = request.into_parts();
    match tokio::time::timeout(limit, axum::body::to_bytes(body, MAX_BODY_BYTES)).await {
        Ok(Ok(bytes)) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Ok(Err(_)) => (
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("a request body is at most {MAX_BODY_BYTES} bytes"),
        )
            .into_response(),
        Err(_) => {
            tracing::warn!("a request's body did not arrive within {limit:?}; answered 408");
            (
                StatusCode::REQUEST_TIMEOUT,
                format!("the body did not arrive within {} seconds", limit.as_secs()),
            )
                .into_response()
        }
    }
}

/// A connection holding its slot among the allowed connections until it closes (after an
/// upgrade to a WebSocket too, since the stream moves into the socket).
struct HeldStream {
    stream: TcpStream,
    #[expect(dead_code, reason = "held for its drop, which frees the slot")]
    slot: OwnedSemaphorePermit,
}

impl AsyncRead for HeldStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for HeldStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}
