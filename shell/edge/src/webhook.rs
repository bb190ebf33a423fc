//! The SMS webhook on 127.0.0.1: accepts form posts the way SMS providers send them and
//! answers 200 only once what they carry is committed.
//!
//! - `POST /sms`: an inbound SMS or MMS (`From`, `To`, `Body`, `MessageSid`, `NumMedia`,
//!   `MediaUrl0`.., `MediaContentType0`..);
//! - `POST /sms/status`: a delivery-status callback (`MessageSid`, `MessageStatus`,
//!   `ErrorCode`).
//!
//! The front (signature check, browser posts refused, rate limits, connection caps, form
//! bounds) is the same for every platform: what a post carries goes to an [`InboundSink`],
//! the embedded platform here, the cluster's gateway in `switchboard gateway`.

use std::{collections::HashMap, net::SocketAddr};

use axum::{
    Form, Router,
    extract::State,
    http::{StatusCode, header},
    response::IntoResponse,
    routing::{get, post},
};

use switchboard_sdk::DeliveryStatus;

use switchboard_seam::records::StoreError;

use crate::{
    ConnectionLimits, InboundSms, Received, local_server::LocalServer, provider::ProviderSettings,
};

/// Where the webhook's posts go, once checked: a platform that stores them.
pub trait InboundSink: Clone + Send + Sync + 'static {
    /// Stores a customer's message; only a committed message is acknowledged.
    fn receive_sms(&self, sms: InboundSms) -> Result<Received, StoreError>;

    /// Records a delivery report; false when the provider id is unknown.
    fn delivery_report(&self, sid: &str, status: DeliveryStatus) -> Result<bool, StoreError>;
}

/// How the webhook's front behaves, whichever platform is behind it.
#[derive(Debug, Clone)]
pub struct WebhookSettings {
    /// Posts per minute from one address.
    pub posts_per_minute: u32,
    /// Connection caps and time limits.
    pub connections: ConnectionLimits,
    /// The real provider, whose signature every post must carry.
    pub provider: Option<ProviderSettings>,
}

#[derive(Clone)]
struct Front<S> {
    sink: S,
    provider: Option<ProviderSettings>,
}

/// A running webhook server; dropping it stops the server.
pub struct WebhookServer {
    server: LocalServer,
}

impl WebhookServer {
    /// A webhook on 127.0.0.1:`port` (0 picks one) whose posts go to `sink`.
    pub fn start_for<S: InboundSink>(
        sink: S,
        settings: WebhookSettings,
        port: u16,
    ) -> std::io::Result<Self> {
        let per_minute = settings.posts_per_minute;
        let limit = std::sync::Arc::new(crate::limits::RateLimit::new(per_minute, per_minute / 10));
        let front = Front {
            sink,
            provider: settings.provider,
        };
        let app = |_| {
            Router::new()
                .route("/sms", post(receive_sms::<S>))
                .route("/sms/status", post(receive_status::<S>))
                .route("/health", get(|| async { "ok" }))
                .layer(axum::middleware::from_fn_with_state(
                    front.clone(),
                    signed_only::<S>,
                ))
                .layer(axum::middleware::from_fn(refuse_browser_posts))
                .layer(axum::middleware::from_fn_with_state(limit, rate_limited))
                .with_state(front.clone())
        };
        let platform_connections = settings.connections;
        let server = LocalServer::start("sms-webhook", port, platform_connections, app)?;
        tracing::info!("SMS webhook listening on http://{}/sms", server.address());
        Ok(Self { server })
    }

    /// The address it listens on.
    pub fn address(&self) -> SocketAddr {
        self.server.address()
    }
}

/// A provider posts from its servers, never from a browser: a post carrying an `Origin` header
/// is a page somewhere making the agent's browser post (a cross-site form), and is refused.
async fn refuse_browser_posts(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    if request.headers().contains_key(header::ORIGIN) {
        tracing::warn!("webhook: refused a post from a browser page");
        return (
            StatusCode::FORBIDDEN,
            "posts from browser pages are refused".to_owned(),
        )
            .into_response();
    }
    next.run(request).await
}

/// With a provider configured, every post must carry the provider's signature for the public
/// address it was sent to (403 otherwise, logged without the body, nothing stored).
async fn signed_only<S: InboundSink>(
    State(front): State<Front<S>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let Some(provider) = front.provider.clone() else {
        return next.run(request).await;
    };
    if request.method() != axum::http::Method::POST {
        return next.run(request).await;
    }
    let path = request
        .uri()
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_owned();
    let signature = request
        .headers()
        .get(crate::provider::signature::HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 2 * 1024 * 1024).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "body too large".to_owned()).into_response();
    };
    let params: Vec<(String, String)> = url::form_urlencoded::parse(&bytes).into_owned().collect();
    let address = provider.public_address(&path);
    let valid = signature.as_deref().is_some_and(|signature| {
        crate::provider::signature::verify(
            provider.auth_token.expose(),
            &address,
            &params,
            signature,
        )
    });
    if !valid {
        let what = if signature.is_some() { "a wrong" } else { "no" };
        tracing::warn!("webhook: refused a post to {address} with {what} signature");
        return (
            StatusCode::FORBIDDEN,
            "the provider's signature is missing or wrong".to_owned(),
        )
            .into_response();
    }
    next.run(axum::extract::Request::from_parts(
        parts,
        axum::body::Body::from(bytes),
    ))
    .await
}

/// A client over its rate is told to slow down, with when to come back; nothing is stored.
async fn rate_limited(
    State(limit): State<std::sync::Arc<crate::limits::RateLimit>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let client = request
        .extensions()
        .get::<axum::extract::ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip());
    if let Some(client) = client
        && !limit.allow(client)
    {
        tracing::warn!("webhook: {client} is over its rate; told to retry later");
        return (
            StatusCode::TOO_MANY_REQUESTS,
            [(
                header::RETRY_AFTER,
                limit.retry_after().as_secs().to_string(),
            )],
            "too many posts; retry later".to_owned(),
        )
            .into_response();
    }
    next.run(request).await
}

async fn receive_sms<S: InboundSink>(
    State(front): State<Front<S>>,
    Form(form): Form<HashMap<String, String>>,
) -> impl IntoResponse {
    let sms = match crate::form::inbound_sms(&form) {
        Ok(sms) => sms,
        Err(refusal) => return refusal.into_response(),
    };
    match commit("message", move || front.sink.receive_sms(sms)).await {
        Ok(received) => {
            let note = match received {
                Received::Opened(_) | Received::Joined(_) => "",
                Received::Duplicate => "<!-- duplicate MessageSid ignored -->",
            };
            (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "text/xml")],
                format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>{note}"),
            )
                .into_response()
        }
        Err(response) => response,
    }
}

/// Runs a store write off the server's thread; a failure becomes the answer that tells the
/// provider to retry (503 when the store refused, 500 when the task itself failed).
async fn commit<T: Send + 'static>(
    what: &'static str,
    work: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, axum::response::Response> {
    match tokio::task::spawn_blocking(work).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => {
            tracing::error!("webhook: {what} not stored: {e}");
            Err((
                StatusCode::SERVICE_UNAVAILABLE,
                format!("{what} not stored; retry"),
            )
                .into_response())
        }
        Err(e) => {
            tracing::error!("webhook: storing the {what} failed: {e}");
            Err((
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal error; retry".to_owned(),
            )
                .into_response())
        }
    }
}

async fn receive_status<S: InboundSink>(
    State(front): State<Front<S>>,
    Form(form): Form<HashMap<String, String>>,
) -> impl IntoResponse {
    let (sid, status) = match crate::form::status_report(&form) {
        Ok(report) => report,
        Err(refusal) => return refusal.into_response(),
    };
    match commit("status", move || front.sink.delivery_report(&sid, status)).await {
        Ok(true) => (StatusCode::OK, String::new()).into_response(),
        Ok(false) => (StatusCode::NOT_FOUND, "unknown MessageSid".to_owned()).into_response(),
        Err(response) => response,
    }
}
