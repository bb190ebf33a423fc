//! The inbound SMS webhook on 127.0.0.1: accepts form posts the way SMS providers send them
//! (`From`, `To`, `Body`, `MessageSid`), and answers 200 only once the message is committed.

use std::{collections::HashMap, net::SocketAddr, thread::JoinHandle};

use axum::{
    Form, Router,
    extract::State,
    http::{StatusCode, header},
    response::IntoResponse,
    routing::{get, post},
};
use tokio::sync::oneshot;

use super::{EmbeddedPlatform, InboundSms, Received};

/// Longest accepted SMS body, in bytes (ten concatenated UCS-2 parts fit easily).
pub const MAX_BODY_BYTES: usize = 8 * 1024;

/// A running webhook server; dropping it stops the server.
pub struct WebhookServer {
    address: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl WebhookServer {
    pub(super) fn start(platform: EmbeddedPlatform, port: u16) -> std::io::Result<Self> {
        let listener = std::net::TcpListener::bind(("127.0.0.1", port))?;
        listener.set_nonblocking(true)?;
        let address = listener.local_addr()?;
        let (shutdown, shutdown_rx) = oneshot::channel::<()>();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let thread = std::thread::Builder::new()
            .name("sms-webhook".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let listener = match tokio::net::TcpListener::from_std(listener) {
                        Ok(listener) => listener,
                        Err(e) => {
                            tracing::error!("webhook: cannot listen: {e}");
                            return;
                        }
                    };
                    let app = Router::new()
                        .route("/sms", post(receive_sms))
                        .route("/health", get(|| async { "ok" }))
                        .with_state(platform);
                    let served = axum::serve(listener, app)
                        .with_graceful_shutdown(async {
                            let _ = shutdown_rx.await;
                        })
                        .await;
                    if let Err(e) = served {
                        tracing::error!("webhook stopped: {e}");
                    }
                });
            })?;
        tracing::info!("SMS webhook listening on http://{address}/sms");
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

impl Drop for WebhookServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn field(form: &HashMap<String, String>, name: &str) -> Option<String> {
    form.get(name)
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

async fn receive_sms(
    State(platform): State<EmbeddedPlatform>,
    Form(form): Form<HashMap<String, String>>,
) -> impl IntoResponse {
    let Some(from) = field(&form, "From") else {
        return (StatusCode::BAD_REQUEST, "missing field From".to_owned()).into_response();
    };
    let body = form.get("Body").cloned().unwrap_or_default();
    if body.len() > MAX_BODY_BYTES {
        return (
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("Body is longer than {MAX_BODY_BYTES} bytes"),
        )
            .into_response();
    }
    let sms = InboundSms {
        from,
        to: field(&form, "To").unwrap_or_default(),
        body,
        message_sid: field(&form, "MessageSid").or_else(|| field(&form, "SmsSid")),
        name: None,
        case_data: Vec::new(),
    };
    let stored = tokio::task::spawn_blocking(move || platform.receive_sms(sms)).await;
    match stored {
        Ok(Ok(received)) => {
            let note = match received {
                Received::Opened(_) => "",
                Received::Duplicate => "<!-- duplicate MessageSid ignored -->",
            };
            (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "text/xml")],
                format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>{note}"),
            )
                .into_response()
        }
        Ok(Err(e)) => {
            tracing::error!("webhook: message not stored: {e}");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "message not stored; retry".to_owned(),
            )
                .into_response()
        }
        Err(e) => {
            tracing::error!("webhook: storing task failed: {e}");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal error; retry".to_owned(),
            )
                .into_response()
        }
    }
}
