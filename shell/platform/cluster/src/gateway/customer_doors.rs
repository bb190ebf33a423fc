//! The edge's doors to a gateway: the provider webhook's posts ([`GatewayWebhook`]) and the
//! customer chat page's requests ([`GatewayChat`], over the rooms of [`GatewayRooms`]), the
//! customer's words stored by the gateway (PostgreSQL) and the agents' updates relayed back to
//! the pages the rooms hold.

use std::sync::{Arc, Mutex, MutexGuard};

use switchboard_edge::{
    ChatConnection, ChatDoor, ChatRooms, InboundSink, InboundSms, PageSender, RateLimit, Received,
    chat_protocol::ToCustomer,
};
use switchboard_sdk::DeliveryStatus;
use switchboard_seam::records::StoreError;

use super::{CustomerPages, Gateway, InboundChat};

/// The webhook's posts, stored by the gateway.
#[derive(Clone)]
pub struct GatewayWebhook(pub Arc<Gateway>);

impl InboundSink for GatewayWebhook {
    fn receive_sms(&self, sms: InboundSms) -> Result<Received, StoreError> {
        self.0.receive_sms(sms)
    }

    fn delivery_report(&self, sid: &str, status: DeliveryStatus) -> Result<bool, StoreError> {
        self.0.delivery_report(sid, status)
    }
}

fn lock(rooms: &Mutex<ChatRooms>) -> MutexGuard<'_, ChatRooms> {
    rooms.lock().unwrap_or_else(|p| p.into_inner())
}

/// The rooms of the gateway's page server, as the gateway relays to them.
#[derive(Clone, Default)]
pub struct GatewayRooms(Arc<Mutex<ChatRooms>>);

impl CustomerPages for GatewayRooms {
    fn relay(&self, interaction: &str, update: &ToCustomer) -> Option<bool> {
        lock(&self.0).relay(interaction, update)
    }

    fn join(&self, room: &str, interaction: &str) -> Option<Result<(), String>> {
        let mut rooms = lock(&self.0);
        rooms.holds(room).then(|| rooms.join(room, interaction))
    }
}

/// What the page asks, stored by the gateway.
#[derive(Clone)]
pub struct GatewayChat {
    rooms: GatewayRooms,
    gateway: Arc<Gateway>,
    starts: Arc<RateLimit>,
}

impl GatewayChat {
    /// The page's door to `gateway`, over `rooms` (the ones the gateway relays to), opening at
    /// most `starts_per_minute` chats per client address.
    pub fn new(rooms: GatewayRooms, gateway: Arc<Gateway>, starts_per_minute: u32) -> Self {
        Self {
            rooms,
            gateway,
            starts: Arc::new(RateLimit::new(
                starts_per_minute,
                (starts_per_minute / 4).max(1),
            )),
        }
    }
}

impl ChatDoor for GatewayChat {
    fn start_allowed(&self, client: std::net::IpAddr) -> bool {
        self.starts.allow(client)
    }

    fn start(&self, name: &str, page: PageSender) -> ChatConnection {
        lock(&self.rooms.0).open(name, page)
    }

    fn disconnect(&self, connection: &ChatConnection) {
        let closed = lock(&self.rooms.0).close(connection);
        // A closed page types no more.
        if let Some(interaction) = closed {
            self.gateway.contact_typing(&interaction, false);
        }
    }

    fn says(&self, token: &str, text: &str) -> Result<(), String> {
        let (name, interaction) = lock(&self.rooms.0).writable(token)?;
        let stored = self.gateway.receive_chat(InboundChat {
            address: format!("chat:{token}"),
            name,
            interaction,
            text: text.to_owned(),
        });
        match stored {
            Ok(id) => {
                lock(&self.rooms.0).attach(token, &id);
                Ok(())
            }
            Err(e) => {
                tracing::error!("chat: cannot store a customer's message: {e}");
                Err("Your message could not be saved; please send it again.".into())
            }
        }
    }

    fn typing(&self, token: &str, on: bool) {
        let interaction = lock(&self.rooms.0).interaction_of(token);
        if let Some(interaction) = interaction {
            self.gateway.contact_typing(&interaction, on);
        }
    }

    fn ends(&self, token: &str) {
        let ended = lock(&self.rooms.0).customer_ends(token);
        if let Some((name, Some(interaction))) = ended {
            self.gateway.customer_ended(&interaction, &name);
        }
    }
}
