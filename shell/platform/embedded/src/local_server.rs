//! An HTTP server on 127.0.0.1 in its own thread and runtime, stopped when dropped: what the
//! SMS webhook and the customer chat page run on.

use std::{net::SocketAddr, thread::JoinHandle};

use axum::Router;
use tokio::sync::oneshot;

/// A running local server; dropping it stops it.
pub struct LocalServer {
    address: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl LocalServer {
    /// Binds 127.0.0.1:`port` (0 picks a free port) and serves the router `app` makes for
    /// the bound address until dropped.
    pub fn start(
        name: &str,
        port: u16,
        app: impl FnOnce(SocketAddr) -> Router,
    ) -> std::io::Result<Self> {
        let listener = std::net::TcpListener::bind(("127.0.0.1", port))?;
        listener.set_nonblocking(true)?;
        let address = listener.local_addr()?;
        let app = app(address);
        let (shutdown, shutdown_rx) = oneshot::channel::<()>();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let label = name.to_owned();
        let thread = std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || {
                runtime.block_on(async move {
                    let listener = match tokio::net::TcpListener::from_std(listener) {
                        Ok(listener) => listener,
                        Err(e) => {
                            tracing::error!("{label}: cannot listen: {e}");
                            return;
                        }
                    };
                    let served = axum::serve(
                        listener,
                        app.into_make_service_with_connect_info::<SocketAddr>(),
                    )
                    .with_graceful_shutdown(async {
                        let _ = shutdown_rx.await;
                    })
                    .await;
                    if let Err(e) = served {
                        tracing::error!("{label} stopped: {e}");
                    }
                });
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
