//! The SMS webhook on 127.0.0.1: accepts form posts the way SMS providers send them and
//! answers 200 only once what they carry is committed.
//!
//! - `POST /sms`: an inbound SMS or MMS (`From`, `To`, `Body`, `MessageSid`, `NumMedia`,
//!   `MediaUrl0`.., `MediaContentType0`..);
//! - `POST /sms/status`: a delivery-status callback (`MessageSid`, `MessageStatus`,
//!   `ErrorCode`).

use std::{collections::HashMap, net::SocketAddr};

use axum::{
    Form, Router,
    extract::State,
    http::{StatusCode, header},
    response::IntoResponse,
    routing::{get, post},
};

use switchboard_sdk::DeliveryStatus;

use super::{EmbeddedPlatform, InboundMedia, InboundSms, Received, local_server::LocalServer};

/// Most media items accepted in one MMS (providers allow ten).
pub const MAX_MEDIA_ITEMS: usize = 10;

/// Longest accepted SMS body, in bytes (ten concatenated UCS-2 parts fit easily).
pub const MAX_BODY_BYTES: usize = 8 * 1024;

/// A running webhook server; dropping it stops the server.
pub struct WebhookServer {
    server: LocalServer,
}

impl WebhookServer {
    pub(super) fn start(platform: EmbeddedPlatform, port: u16) -> std::io::Result<Self> {
        let per_minute = platform.settings().webhook_posts_per_minute;
        let platform_connections = platform.settings().connections;
        let limit = std::sync::Arc::new(crate::limits::RateLimit::new(per_minute, per_minute / 10));
        let app = |_| {
            Router::new()
                .route("/sms", post(receive_sms))
                .route("/sms/status", post(receive_status))
                .route("/health", get(|| async { "ok" }))
                .layer(axum::middleware::from_fn(refuse_browser_posts))
                .layer(axum::middleware::from_fn_with_state(limit, rate_limited))
                .with_state(platform)
        };
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
    let body = crate::text::clean(form.get("Body").map_or("", String::as_str));
    if body.len() > MAX_BODY_BYTES {
        return (
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("Body is longer than {MAX_BODY_BYTES} bytes"),
        )
            .into_response();
    }
    let media = match media_items(&form) {
        Ok(media) => media,
        Err(reason) => return (StatusCode::BAD_REQUEST, reason).into_response(),
    };
    if media.is_empty() && crate::text::is_blank(&body) {
        return (
            StatusCode::BAD_REQUEST,
            "an empty message (no text, no media) is not stored".to_owned(),
        )
            .into_response();
    }
    let to = field(&form, "To").unwrap_or_default();
    let message_sid = field(&form, "MessageSid").or_else(|| field(&form, "SmsSid"));
    let checked = crate::addresses::check_address("From", &from)
        .and_then(|()| {
            if to.is_empty() {
                Ok(())
            } else {
                crate::addresses::check_address("To", &to)
            }
        })
        .and_then(|()| {
            message_sid.as_deref().map_or(Ok(()), |sid| {
                crate::addresses::check_provider_id("MessageSid", sid)
            })
        });
    if let Err(reason) = checked {
        return (StatusCode::BAD_REQUEST, reason).into_response();
    }
    let sms = InboundSms {
        from,
        to,
        body,
        message_sid,
        name: None,
        case_data: Vec::new(),
        media,
    };
    match commit("message", move || platform.receive_sms(sms)).await {
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
    work: impl FnOnce() -> Result<T, crate::store::StoreError> + Send + 'static,
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

/// The media items an MMS announces (`NumMedia`, `MediaUrlN`, `MediaContentTypeN`).
fn media_items(form: &HashMap<String, String>) -> Result<Vec<InboundMedia>, String> {
    let count = match field(form, "NumMedia") {
        None => 0,
        Some(n) => n
            .parse::<usize>()
            .map_err(|_| format!("NumMedia is not a number: {n}"))?,
    };
    if count > MAX_MEDIA_ITEMS {
        return Err(format!(
            "NumMedia is {count}; at most {MAX_MEDIA_ITEMS} items are accepted"
        ));
    }
    (0..count)
        .map(|i| {
            let url = field(form, &format!("MediaUrl{i}"))
                .ok_or_else(|| format!("missing field MediaUrl{i}"))?;
            Ok(InboundMedia {
                url,
                content_type: field(form, &format!("MediaContentType{i}")).unwrap_or_default(),
            })
        })
        .collect()
}

/// A provider's status name (and error code) as a delivery status; `None` for unknown names.
pub fn status_from_provider(status: &str, error_code: Option<&str>) -> Option<DeliveryStatus> {
    Some(match status.to_ascii_lowercase().as_str() {
        "accepted" | "queued" | "sending" | "scheduled" => DeliveryStatus::Sending,
        "sent" => DeliveryStatus::Sent,
        "delivered" => DeliveryStatus::Delivered,
        "read" => DeliveryStatus::Read,
        "undelivered" | "failed" | "canceled" => DeliveryStatus::Failed {
            reason: match error_code {
                Some(code) => format!("{status} (error {code})"),
                None => status.to_owned(),
            }
            .into(),
        },
        _ => return None,
    })
}

async fn receive_status(
    State(platform): State<EmbeddedPlatform>,
    Form(form): Form<HashMap<String, String>>,
) -> impl IntoResponse {
    let (Some(sid), Some(status_name)) = (
        field(&form, "MessageSid").or_else(|| field(&form, "SmsSid")),
        field(&form, "MessageStatus").or_else(|| field(&form, "SmsStatus")),
    ) else {
        return (
            StatusCode::BAD_REQUEST,
            "missing field MessageSid or MessageStatus".to_owned(),
        )
            .into_response();
    };
    if let Err(reason) = crate::addresses::check_provider_id("MessageSid", &sid) {
        return (StatusCode::BAD_REQUEST, reason).into_response();
    }
    let error_code = field(&form, "ErrorCode");
    let Some(status) = status_from_provider(&status_name, error_code.as_deref()) else {
        return (
            StatusCode::BAD_REQUEST,
            format!("unknown MessageStatus {status_name}"),
        )
            .into_response();
    };
    match commit("status", move || platform.delivery_report(&sid, status)).await {
        Ok(true) => (StatusCode::OK, String::new()).into_response(),
        Ok(false) => (StatusCode::NOT_FOUND, "unknown MessageSid".to_owned()).into_response(),
        Err(response) => response,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_statuses_map_to_delivery_statuses() {
        assert_eq!(
            status_from_provider("delivered", None),
            Some(DeliveryStatus::Delivered)
        );
        assert_eq!(
            status_from_provider("sent", None),
            Some(DeliveryStatus::Sent)
        );
        assert_eq!(
            status_from_provider("undelivered", Some("30003")),
            Some(DeliveryStatus::Failed {
                reason: "undelivered (error 30003)".into()
            })
        );
        assert_eq!(status_from_provider("exploded", None), None);
    }

    #[test]
    fn media_fields_are_read_in_order_and_bounded() {
        let form: HashMap<String, String> = [
            ("NumMedia", "2"),
            ("MediaUrl0", "file:///a.jpg"),
            ("MediaContentType0", "image/jpeg"),
            ("MediaUrl1", "http://127.0.0.1:1/b"),
            ("MediaContentType1", "image/png"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let media = media_items(&form).expect("valid");
        assert_eq!(media.len(), 2);
        assert_eq!(media[1].content_type, "image/png");
        let mut too_many = form.clone();
        too_many.insert("NumMedia".into(), "11".into());
        assert!(media_items(&too_many).is_err());
        let mut missing = form;
        missing.insert("NumMedia".into(), "3".into());
        assert_eq!(
            media_items(&missing),
            Err("missing field MediaUrl2".to_owned())
        );
    }
}
