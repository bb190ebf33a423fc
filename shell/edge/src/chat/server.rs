//! The customer's chat page on 127.0.0.1: the page itself (plain HTML, CSS and JavaScript
//! from `assets/web/`, no build step) and its WebSocket, `/ws`, speaking [`super::protocol`].
//! What a page asks is handed to a [`ChatDoor`]: the embedded platform, or a cluster gateway.

use std::{net::SocketAddr, sync::Arc};

use axum::{
    Router,
    extract::{
        State,
        ws::{Message, WebSocket, WebSocketUpgrade},
    },
    http::header,
    response::{IntoResponse, Response},
    routing::get,
};

use super::{
    Connection,
    protocol::{self, FromCustomer, MAX_FRAME_BYTES, ToCustomer},
};
use crate::{ConnectionLimits, local_server::LocalServer};

const PAGE: &str = include_str!("../../../../assets/web/index.html");
const SCRIPT: &str = include_str!("../../../../assets/web/chat.js");
const STYLE: &str = include_str!("../../../../assets/web/chat.css");
const WIDGET: &str = include_str!("../../../../assets/web/widget.js");

/// Where what a room says to one page goes (JSON frames of [`ToCustomer`]).
pub type PageSender = tokio::sync::mpsc::UnboundedSender<String>;

/// Where a page's requests go: a checked frame becomes one of these calls. Storing may wait for
/// a disk or a network, so the server calls them off its own threads.
pub trait ChatDoor: Clone + Send + Sync + 'static {
    /// Whether `client` may open one more chat now (a rate per address).
    fn start_allowed(&self, client: std::net::IpAddr) -> bool;
    /// A page opens a chat under `name`; what the room says goes to `page`.
    fn start(&self, name: &str, page: PageSender) -> Connection;
    /// The page closed.
    fn disconnect(&self, connection: &Connection);
    /// The customer wrote `text` in room `token`: stored before it returns; the refusal is
    /// what the page shows.
    fn says(&self, token: &str, text: &str) -> Result<(), String>;
    /// The customer started or stopped typing.
    fn typing(&self, token: &str, on: bool);
    /// The customer ended the chat.
    fn ends(&self, token: &str);
}

/// How a page server admits connections and who may frame its page.
#[derive(Debug, Clone)]
pub struct ChatPageSettings {
    /// Connection count and time limits.
    pub connections: ConnectionLimits,
    /// Sites whose pages may frame the chat (the widget's).
    pub widget_origins: Vec<String>,
}

/// The running page server; dropping it stops it.
pub struct ChatPageServer {
    server: LocalServer,
}

impl ChatPageServer {
    /// Serves the page on 127.0.0.1:`port` (0 picks a free port), handing its requests to
    /// `door`.
    pub fn start_for<D: ChatDoor>(
        door: D,
        settings: ChatPageSettings,
        port: u16,
    ) -> std::io::Result<Self> {
        let ChatPageSettings {
            connections,
            widget_origins: framers,
        } = settings;
        let app = |address: SocketAddr| {
            let guard = Arc::new(OwnAddress::of(address));
            let policy: Arc<str> = content_policy(&framers).into();
            let served = move |content_type: &'static str, body: &'static str| {
                let policy = policy.clone();
                get(move || async move { asset(content_type, body, &policy) })
            };
            Router::new()
                .route("/", served("text/html; charset=utf-8", PAGE))
                .route("/chat.js", served("text/javascript; charset=utf-8", SCRIPT))
                .route("/chat.css", served("text/css; charset=utf-8", STYLE))
                .route(
                    "/widget.js",
                    served("text/javascript; charset=utf-8", WIDGET),
                )
                .route("/ws", get(socket::<D>))
                .layer(axum::middleware::from_fn_with_state(
                    guard,
                    own_host_and_origin,
                ))
                .with_state(door)
        };
        let server = LocalServer::start("chat-page", port, connections, app)?;
        tracing::info!("customer chat page on http://{}/", server.address());
        Ok(Self { server })
    }

    /// The address it listens on.
    pub fn address(&self) -> SocketAddr {
        self.server.address()
    }
}

/// The page's own names: requests must be addressed to it (no DNS rebinding: a name that
/// resolves to 127.0.0.1 is still refused) and sockets opened by its own page.
struct OwnAddress {
    hosts: Vec<String>,
    origins: Vec<String>,
}

impl OwnAddress {
    fn of(address: SocketAddr) -> Self {
        let port = address.port();
        let hosts = vec![format!("127.0.0.1:{port}"), format!("localhost:{port}")];
        let origins = hosts.iter().map(|h| format!("http://{h}")).collect();
        Self { hosts, origins }
    }
}

/// Refuses a request for another host, a socket from another page (or from none, `null`
/// included), and any request a foreign page's script makes.
async fn own_host_and_origin(
    axum::extract::State(own): axum::extract::State<Arc<OwnAddress>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    if let Err(refusal) = own.admits(request.headers(), request.uri().path()) {
        tracing::warn!("chat page: refused a request: {refusal}");
        return (
            axum::http::StatusCode::FORBIDDEN,
            "this chat answers its own page only",
        )
            .into_response();
    }
    next.run(request).await
}

impl OwnAddress {
    /// Whether a request is for this page, from this page.
    fn admits(&self, headers: &axum::http::HeaderMap, path: &str) -> Result<(), String> {
        let text = |name: header::HeaderName| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_ascii_lowercase)
        };
        let host = text(header::HOST);
        if !host.as_ref().is_some_and(|h| self.hosts.contains(h)) {
            return Err(format!("host {host:?}"));
        }
        match text(header::ORIGIN) {
            Some(origin) if self.origins.contains(&origin) => Ok(()),
            Some(origin) => Err(format!("origin {origin:?}")),
            // Sockets are opened by the page, and a page's browser always says where from.
            None if path == "/ws" => Err("a socket without an origin".into()),
            None => Ok(()),
        }
    }
}

/// The page's content policy: it runs only its own script, talks only to its own server, and
/// only itself and the configured sites (the chat widget's) may frame it.
fn content_policy(framers: &[String]) -> String {
    let mut ancestors = String::from("'self'");
    for origin in framers {
        ancestors.push(' ');
        ancestors.push_str(origin);
    }
    format!(
        "default-src 'self'; connect-src 'self'; img-src 'self'; style-src 'self'; \
         script-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors {ancestors}"
    )
}

fn asset(content_type: &'static str, body: &'static str, policy: &str) -> Response {
    let mut response = (
        [
            (header::CONTENT_TYPE, content_type),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        body,
    )
        .into_response();
    if let Ok(value) = header::HeaderValue::from_str(policy) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, value);
    }
    response
}

async fn socket<D: ChatDoor>(
    ws: WebSocketUpgrade,
    State(platform): State<D>,
    axum::extract::ConnectInfo(client): axum::extract::ConnectInfo<SocketAddr>,
) -> Response {
    ws.max_message_size(MAX_FRAME_BYTES)
        .max_frame_size(MAX_FRAME_BYTES)
        .on_upgrade(move |socket| serve(socket, platform, client.ip()))
}

/// One page: frames in are checked and handed to the platform; the room's messages go out.
async fn serve<D: ChatDoor>(mut socket: WebSocket, platform: D, client: std::net::IpAddr) {
    let (sender, mut outgoing) = tokio::sync::mpsc::unbounded_channel::<String>();
    let mut connection: Option<Connection> = None;
    loop {
        tokio::select! {
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Text(frame))) => {
                    // Storing waits for the disk: off the server's thread, so other pages
                    // stay served meanwhile.
                    let (page_platform, page) = (platform.clone(), sender.clone());
                    let mut current = connection.take();
                    let handled = tokio::task::spawn_blocking(move || {
                        let reply =
                            handle(&page_platform, &mut current, &page, frame.as_str(), client);
                        (current, reply)
                    })
                    .await;
                    let reply = match handled {
                        Ok((current, reply)) => {
                            connection = current;
                            reply
                        }
                        Err(e) => Err(format!("the chat could not take that message ({e})")),
                    };
                    if let Err(text) = reply {
                        let _ = sender.send(ToCustomer::Error { text }.to_json());
                    }
                }
                Some(Ok(Message::Binary(_))) => {
                    let text = "The chat takes text only.".to_owned();
                    let _ = sender.send(ToCustomer::Error { text }.to_json());
                }
                Some(Ok(_)) => {}
                Some(Err(_)) | None => break,
            },
            out = outgoing.recv() => match out {
                Some(json) => {
                    if socket.send(Message::Text(json.into())).await.is_err() {
                        break;
                    }
                }
                None => break,
            },
        }
    }
    if let Some(connection) = connection {
        platform.disconnect(&connection);
    }
}

fn handle<D: ChatDoor>(
    platform: &D,
    connection: &mut Option<Connection>,
    sender: &tokio::sync::mpsc::UnboundedSender<String>,
    frame: &str,
    client: std::net::IpAddr,
) -> Result<(), String> {
    let request = protocol::parse(frame)?;
    match (request, connection.as_ref()) {
        (FromCustomer::Start { name }, None) => {
            if !platform.start_allowed(client) {
                tracing::warn!("chat page: {client} opens chats too fast; refused one");
                return Err("Too many chats were started from here; please wait a minute.".into());
            }
            *connection = Some(platform.start(&name, sender.clone()));
            Ok(())
        }
        (FromCustomer::Start { .. }, Some(_)) => Err("This chat has already started.".into()),
        (_, None) => Err("Start the chat with your name first.".into()),
        (FromCustomer::Message { text }, Some(c)) => platform.says(&c.token, &text),
        (FromCustomer::Typing { on }, Some(c)) => {
            platform.typing(&c.token, on);
            Ok(())
        }
        (FromCustomer::End, Some(c)) => {
            platform.ends(&c.token);
            Ok(())
        }
    }
}
