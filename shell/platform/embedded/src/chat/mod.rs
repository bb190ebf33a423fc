//! Web chat on the embedded platform: the customer's page (the edge's page server) talks to a
//! room over a WebSocket; the room's conversation is an interaction of media type `chat`,
//! routed like any other. What the customer writes is stored before the desk hears of it; what
//! the agent writes is stored before the page gets it. An ended chat continues when the agent
//! writes again, and the page, if still open, receives it.

use switchboard_sdk::{DeliveryStatus, Role, Target};
use tokio::sync::mpsc::UnboundedSender;

use super::{EmbeddedPlatform, lock};
#[allow(unused_imports)]
use crate::store::prelude::*;
use crate::{
    backend::{BackendEvent, OutboundMessage},
    store::{InteractionRow, NewMessage, Party},
};
use switchboard_edge::{
    ChatConnection as Connection, ChatDoor, ChatPageServer, ChatPageSettings, InboundSms,
    PageSender, Received, chat_protocol::ToCustomer,
};

use crate::backend::CHAT_MEDIA_TYPE;

/// Seconds a colleague who joined a chat takes to greet the customer.
const GREETING_AFTER_SECONDS: i64 = 2;

impl EmbeddedPlatform {
    /// A page opens a chat under `name`; its messages go to `socket`.
    pub fn chat_start(&self, name: &str, socket: UnboundedSender<String>) -> Connection {
        lock(&self.inner.chats).open(name, socket)
    }

    /// The page closed.
    pub fn chat_disconnect(&self, connection: &Connection) {
        let closed = lock(&self.inner.chats).close(connection);
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
        let (name, interaction) = lock(&self.inner.chats).writable(token)?;
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
        lock(&self.inner.chats).attach(token, &id);
        lock(&self.inner.router).enqueue(&id, CHAT_MEDIA_TYPE, now);
        self.nudge();
        self.route();
        Ok(())
    }

    /// The customer started or stopped typing.
    pub fn chat_customer_typing(&self, token: &str, typing: bool) {
        let interaction = lock(&self.inner.chats).interaction_of(token);
        if let Some(interaction) = interaction {
            self.push(BackendEvent::ContactTyping {
                interaction,
                typing,
            });
        }
    }

    /// The customer ended the chat.
    pub fn chat_customer_ends(&self, token: &str) {
        let Some((name, interaction)) = lock(&self.inner.chats).customer_ends(token) else {
            return;
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
        let relayed = lock(&self.inner.chats).relay(
            &message.interaction,
            &ToCustomer::Message {
                author: message.author.clone(),
                text: message.text.clone(),
            },
        );
        let Some(reached) = relayed else {
            return false;
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
        lock(&self.inner.chats).relay(
            interaction,
            &ToCustomer::Typing {
                author: author.to_owned(),
                on: typing,
            },
        );
    }

    /// The agent pushed a link (already stored). False when the interaction is no chat.
    pub(super) fn chat_push_url(&self, link: &OutboundMessage) -> bool {
        let relayed = lock(&self.inner.chats).relay(
            &link.interaction,
            &ToCustomer::Link {
                author: link.author.clone(),
                url: link.text.clone(),
            },
        );
        let Some(reached) = relayed else {
            return false;
        };
        self.report_relay(&link.interaction, link.message_id, reached);
        true
    }

    /// The agent ended the chat: the page is told.
    pub(super) fn chat_end(&self, interaction: &str, by: &str) {
        lock(&self.inner.chats).relay(
            interaction,
            &ToCustomer::Ended {
                text: format!("{by} ended the chat. Thank you for writing to us."),
            },
        );
    }

    /// Whether the interaction is a chat.
    pub(super) fn is_chat(&self, interaction: &str) -> bool {
        lock(&self.inner.chats).has(interaction)
    }

    /// Whether `agent` is in the chat's conference.
    pub(super) fn in_conference(&self, interaction: &str, agent: &str) -> bool {
        lock(&self.inner.chats).in_conference(interaction, agent)
    }

    /// A colleague accepted to join the chat: the page is told, and they greet the customer.
    pub(super) fn chat_colleague_joined(&self, interaction: &str, colleague: &Target) {
        {
            let mut chats = lock(&self.inner.chats);
            chats.add_to_conference(interaction, colleague);
            chats.relay(
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
        lock(&self.inner.chats).relay(
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
        lock(&self.inner.chats).join(token, interaction)
    }

    /// Starts the customer chat page on 127.0.0.1 (`port` 0 picks a free port).
    pub fn start_chat_page(&self, port: u16) -> std::io::Result<ChatPageServer> {
        let settings = ChatPageSettings {
            connections: self.settings().connections,
            widget_origins: self.settings().chat_widget_origins.clone(),
        };
        ChatPageServer::start_for(self.clone(), settings, port)
    }
}

impl ChatDoor for EmbeddedPlatform {
    fn start_allowed(&self, client: std::net::IpAddr) -> bool {
        self.chat_start_allowed(client)
    }
    fn start(&self, name: &str, page: PageSender) -> Connection {
        self.chat_start(name, page)
    }
    fn disconnect(&self, connection: &Connection) {
        self.chat_disconnect(connection);
    }
    fn says(&self, token: &str, text: &str) -> Result<(), String> {
        self.chat_customer_says(token, text)
    }
    fn typing(&self, token: &str, on: bool) {
        self.chat_customer_typing(token, on);
    }
    fn ends(&self, token: &str) {
        self.chat_customer_ends(token);
    }
}

impl switchboard_edge::InboundSink for EmbeddedPlatform {
    fn receive_sms(&self, sms: InboundSms) -> Result<Received, crate::store::StoreError> {
        EmbeddedPlatform::receive_sms(self, sms)
    }

    fn delivery_report(
        &self,
        sid: &str,
        status: DeliveryStatus,
    ) -> Result<bool, crate::store::StoreError> {
        EmbeddedPlatform::delivery_report(self, sid, status)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use switchboard_core::clock::ManualClock;
    use switchboard_sdk::Timestamp;

    use super::*;
    use crate::{PlatformSettings, store::Store};

    #[test]
    fn one_address_cannot_open_chats_without_end() {
        let mut settings = PlatformSettings::new("+15550100", "+15550150");
        settings.chat_starts_per_minute = 4;
        let platform = EmbeddedPlatform::with_settings(
            Store::open_in_memory().expect("store"),
            Arc::new(ManualClock::new(Timestamp(0))),
            settings,
        )
        .expect("platform");
        let flooder: std::net::IpAddr = "127.0.0.9".parse().expect("ip");
        let opened = (0..10)
            .filter(|_| ChatDoor::start_allowed(&platform, flooder))
            .count();
        assert_eq!(opened, 1, "a burst of a quarter of the rate, then no more");
        let neighbour: std::net::IpAddr = "127.0.0.10".parse().expect("ip");
        assert!(
            ChatDoor::start_allowed(&platform, neighbour),
            "another address is not held back"
        );
    }
}
