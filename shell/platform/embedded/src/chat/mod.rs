//! Web chat on the embedded platform: the customer's page (served by [`server`]) talks to a
//! room over a WebSocket; the room's conversation is an interaction of media type `chat`,
//! routed like any other. What the customer writes is stored before the desk hears of it; what
//! the agent writes is stored before the page gets it. An ended chat continues when the agent
//! writes again, and the page, if still open, receives it.

pub mod protocol;
pub mod server;

use std::collections::HashMap;

use switchboard_sdk::{DeliveryStatus, Role, Target};
use tokio::sync::mpsc::UnboundedSender;

use super::{EmbeddedPlatform, lock};
#[allow(unused_imports)]
use crate::store::prelude::*;
use crate::{
    backend::{BackendEvent, OutboundMessage},
    store::{InteractionRow, NewMessage, Party},
};
use protocol::ToCustomer;

pub use switchboard_core::backend::CHAT_MEDIA_TYPE;

/// Seconds a colleague who joined a chat takes to greet the customer.
const GREETING_AFTER_SECONDS: i64 = 2;

/// One customer's chat: their open pages and the conversation.
#[derive(Debug)]
struct Room {
    name: String,
    interaction: Option<String>,
    sockets: Vec<(u64, UnboundedSender<String>)>,
    ended: bool,
    conference: Vec<Target>,
}

/// The platform's chat rooms.
#[derive(Debug, Default)]
pub struct Chats {
    rooms: HashMap<String, Room>,
    by_interaction: HashMap<String, String>,
    next_socket: u64,
}

impl Chats {
    fn room_of(&mut self, interaction: &str) -> Option<&mut Room> {
        let token = self.by_interaction.get(interaction)?;
        self.rooms.get_mut(token)
    }

    fn broadcast(&mut self, interaction: &str, message: &ToCustomer) -> bool {
        let Some(room) = self.room_of(interaction) else {
            return false;
        };
        let json = message.to_json();
        room.sockets
            .retain(|(_, socket)| socket.send(json.clone()).is_ok());
        !room.sockets.is_empty()
    }
}

/// A page's connection to a room, as the server keeps it.
#[derive(Debug, Clone)]
pub struct Connection {
    /// The room.
    pub token: String,
    /// This page.
    pub socket: u64,
}

impl EmbeddedPlatform {
    /// A page opens a chat under `name`; its messages go to `socket`.
    pub fn chat_start(&self, name: &str, socket: UnboundedSender<String>) -> Connection {
        // A room token is a secret: 122 random bits, nothing from the clock.
        let token = switchboard_seam::ids::new_secret_id("CH");
        let mut chats = lock(&self.inner.chats);
        chats.next_socket += 1;
        let id = chats.next_socket;
        let _ = socket.send(
            ToCustomer::Started {
                name: name.trim().to_owned(),
            }
            .to_json(),
        );
        chats.rooms.insert(
            token.clone(),
            Room {
                name: name.trim().to_owned(),
                interaction: None,
                sockets: vec![(id, socket)],
                ended: false,
                conference: Vec::new(),
            },
        );
        Connection { token, socket: id }
    }

    /// The page closed.
    pub fn chat_disconnect(&self, connection: &Connection) {
        let closed = {
            let mut chats = lock(&self.inner.chats);
            let Some(room) = chats.rooms.get_mut(&connection.token) else {
                return;
            };
            room.sockets.retain(|(id, _)| *id != connection.socket);
            room.sockets
                .is_empty()
                .then(|| room.interaction.clone())
                .flatten()
        };
        // A closed page types no more.
        if let Some(interaction) = closed {
            self.push(BackendEvent::ContactTyping {
                interaction,
                typing: false,
            });
        }
    }

    /// The customer wrote: stored (opening the conversation with the first message, or a new
    /// one after the agent finished the last), then the desk is told.
    pub fn chat_customer_says(&self, token: &str, text: &str) -> Result<(), String> {
        let (name, interaction) = {
            let chats = lock(&self.inner.chats);
            let room = chats.rooms.get(token).ok_or("This chat is closed.")?;
            if room.ended {
                return Err("This chat has ended.".into());
            }
            (room.name.clone(), room.interaction.clone())
        };
        let now = self.inner.clock.now();
        let live = interaction.as_deref().and_then(|id| {
            self.inner
                .store
                .interaction(id)
                .ok()
                .flatten()
                .filter(|row| !row.done)
                .map(|row| row.id)
        });
        let message = |interaction: &str| NewMessage {
            interaction: interaction.to_owned(),
            role: Role::Contact,
            author: name.clone(),
            author_key: "contact".into(),
            time: now,
            body: text.to_owned(),
            status: DeliveryStatus::None,
            provider_id: None,
            parts: 1,
        };
        let failed = |e: crate::store::StoreError| {
            tracing::error!("chat: cannot store a customer's message: {e}");
            "Your message could not be saved; please send it again.".to_owned()
        };
        if let Some(id) = live {
            let entry = self
                .inner
                .store
                .insert_message(&message(&id), &[])
                .map_err(failed)?;
            if let Some(entry) = entry {
                self.push(BackendEvent::Inbound {
                    interaction: id,
                    entry,
                });
            }
            return Ok(());
        }
        let id = self.next_id("CI");
        let row = InteractionRow {
            id: id.clone(),
            media_type: CHAT_MEDIA_TYPE.into(),
            contact_name: name.clone(),
            contact_address: format!("chat:{token}"),
            our_address: "web chat".into(),
            state: crate::store::InteractionState::Queued,
            agent_id: None,
            created: now,
            done: false,
            case_data: vec![("source".into(), "web chat".into())],
        };
        let party = Party::Address {
            address: row.contact_address.clone(),
            name: name.clone(),
        };
        self.inner
            .store
            .open_internal(&row, &party, Some(&message(&id)))
            .map_err(failed)?;
        {
            let mut chats = lock(&self.inner.chats);
            if let Some(room) = chats.rooms.get_mut(token) {
                room.interaction = Some(id.clone());
            }
            chats.by_interaction.insert(id.clone(), token.to_owned());
        }
        lock(&self.inner.router).enqueue(&id, CHAT_MEDIA_TYPE, now);
        self.nudge();
        self.route();
        Ok(())
    }

    /// The customer started or stopped typing.
    pub fn chat_customer_typing(&self, token: &str, typing: bool) {
        let interaction = lock(&self.inner.chats)
            .rooms
            .get(token)
            .and_then(|r| r.interaction.clone());
        if let Some(interaction) = interaction {
            self.push(BackendEvent::ContactTyping {
                interaction,
                typing,
            });
        }
    }

    /// The customer ended the chat.
    pub fn chat_customer_ends(&self, token: &str) {
        let (name, interaction) = {
            let mut chats = lock(&self.inner.chats);
            let Some(room) = chats.rooms.get_mut(token) else {
                return;
            };
            room.ended = true;
            let json = ToCustomer::Ended {
                text: "You ended the chat.".into(),
            }
            .to_json();
            room.sockets.retain(|(_, s)| s.send(json.clone()).is_ok());
            (room.name.clone(), room.interaction.clone())
        };
        if let Some(interaction) = interaction {
            self.push(BackendEvent::OtherSideEnded {
                interaction,
                by: name,
            });
        }
    }

    /// The agent's stored message goes to the customer's page; a chat that had ended is live
    /// again. False when the interaction is no chat.
    pub(super) fn chat_send(&self, message: &OutboundMessage) -> bool {
        let reached = {
            let mut chats = lock(&self.inner.chats);
            let Some(room) = chats.room_of(&message.interaction) else {
                return false;
            };
            room.ended = false;
            chats.broadcast(
                &message.interaction,
                &ToCustomer::Message {
                    author: message.author.clone(),
                    text: message.text.clone(),
                },
            )
        };
        self.report_relay(&message.interaction, message.message_id, reached);
        true
    }

    /// Delivered when an open page got the message; sent (waiting for the customer) when not.
    fn report_relay(&self, interaction: &str, message_id: i64, reached: bool) {
        let status = if reached {
            DeliveryStatus::Delivered
        } else {
            DeliveryStatus::Sent
        };
        self.report_delivery(message_id, interaction, status);
    }

    /// The agent started or stopped typing.
    pub(super) fn chat_typing(&self, interaction: &str, author: &str, typing: bool) {
        lock(&self.inner.chats).broadcast(
            interaction,
            &ToCustomer::Typing {
                author: author.to_owned(),
                on: typing,
            },
        );
    }

    /// The agent pushed a link (already stored). False when the interaction is no chat.
    pub(super) fn chat_push_url(&self, link: &OutboundMessage) -> bool {
        let reached = {
            let mut chats = lock(&self.inner.chats);
            if chats.room_of(&link.interaction).is_none() {
                return false;
            }
            chats.broadcast(
                &link.interaction,
                &ToCustomer::Link {
                    author: link.author.clone(),
                    url: link.text.clone(),
                },
            )
        };
        self.report_relay(&link.interaction, link.message_id, reached);
        true
    }

    /// The agent ended the chat: the page is told.
    pub(super) fn chat_end(&self, interaction: &str, by: &str) {
        let mut chats = lock(&self.inner.chats);
        if let Some(room) = chats.room_of(interaction) {
            room.ended = true;
        }
        chats.broadcast(
            interaction,
            &ToCustomer::Ended {
                text: format!("{by} ended the chat. Thank you for writing to us."),
            },
        );
    }

    /// Whether the interaction is a chat.
    pub(super) fn is_chat(&self, interaction: &str) -> bool {
        lock(&self.inner.chats).room_of(interaction).is_some()
    }

    /// Whether `agent` is in the chat's conference.
    pub(super) fn in_conference(&self, interaction: &str, agent: &str) -> bool {
        lock(&self.inner.chats)
            .room_of(interaction)
            .is_some_and(|r| r.conference.iter().any(|t| t.id == agent))
    }

    /// A colleague accepted to join the chat: the page is told, and they greet the customer.
    pub(super) fn chat_colleague_joined(&self, interaction: &str, colleague: &Target) {
        {
            let mut chats = lock(&self.inner.chats);
            if let Some(room) = chats.room_of(interaction) {
                room.conference.push(colleague.clone());
            }
            chats.broadcast(
                interaction,
                &ToCustomer::Notice {
                    text: format!("{} joined the conversation.", colleague.name),
                },
            );
        }
        let greeting = format!("Hello, I'm {}. I'm here to help too.", colleague.name);
        self.join_as_colleague(interaction, colleague, GREETING_AFTER_SECONDS, &greeting);
    }

    /// A colleague's stored line in a chat goes to the page too.
    pub(super) fn chat_relay(&self, interaction: &str, author: &str, text: &str) {
        lock(&self.inner.chats).broadcast(
            interaction,
            &ToCustomer::Message {
                author: author.to_owned(),
                text: text.to_owned(),
            },
        );
    }

    /// A new conversation in the chat room of `address` (`chat:<room>`), when the customer's
    /// page is still there: the agent writes first.
    pub(super) fn chat_join_room(&self, address: &str, interaction: &str) -> Result<(), String> {
        let token = address
            .strip_prefix("chat:")
            .ok_or_else(|| format!("{address} is no chat address"))?;
        let mut chats = lock(&self.inner.chats);
        let room = chats
            .rooms
            .get_mut(token)
            .filter(|r| !r.sockets.is_empty())
            .ok_or("the customer's chat page is closed; write to them by SMS")?;
        room.interaction = Some(interaction.to_owned());
        room.ended = false;
        chats
            .by_interaction
            .insert(interaction.to_owned(), token.to_owned());
        Ok(())
    }

    /// Starts the customer chat page on 127.0.0.1 (`port` 0 picks a free port).
    pub fn start_chat_page(&self, port: u16) -> std::io::Result<server::ChatPageServer> {
        server::ChatPageServer::start(self.clone(), port)
    }
}
