//! # switchboard-edge
//!
//! Everything of Switchboard that faces customers and the SMS provider, used as it is by both
//! platforms (the embedded one plugs its in-process router behind it, the cluster's gateway
//! its PostgreSQL and NATS):
//! - [`webhook`]: the provider's webhook and its forms ([`form`]), addresses
//!   ([`addresses`]) and limits, on the hardened local server;
//! - [`inbound`]: an inbound message and fetching its media;
//! - [`provider`]: the provider's signature, API client and outbox rules;
//! - [`chat`]: the customer's chat page, its protocol and rooms.
//!
//! What a post or a page asks goes to a platform through a trait ([`InboundSink`],
//! [`ChatDoor`]): nothing here stores or routes.

pub mod addresses;
pub mod chat;
mod fetch;
pub mod form;
pub mod inbound;
mod limits;
mod local_server;
pub mod numbers;
pub mod provider;
pub mod text;
pub mod webhook;

pub use chat::{
    ChatDoor, ChatPageServer, ChatPageSettings, ChatRooms, Connection as ChatConnection,
    PageSender, protocol as chat_protocol,
};
pub use inbound::{
    InboundMedia, InboundSms, MediaSources, Received, fetch_attachments, resend_notice,
    resend_notices,
};
pub use limits::RateLimit;
pub use local_server::ConnectionLimits;
pub use numbers::{chat_widget_origin, same_number};
pub use webhook::{InboundSink, WebhookServer, WebhookSettings};
