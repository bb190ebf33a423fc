//! Web chat on the cluster. A gateway's page server (the binary puts the embedded platform's
//! hardened page before it) hands the customer's words here: stored in PostgreSQL first, then
//! routed like any work, or told to the agents taking part (the holder, and the members of its
//! conference, `chat_conference.rs`). What agents write goes to the page through `pages.rs`.

use switchboard_sdk::{DeliveryStatus, Role, TranscriptEntry};
use switchboard_seam::{
    ids,
    records::{InteractionRecords, InteractionRow, InteractionState, NewMessage, StoreError},
};

use switchboard_edge::chat_protocol::ToCustomer;

use super::{Gateway, Shared, internal_name, lock, pages::to_page, refused};
use crate::{
    conference,
    wire::{Reply, WireEvent},
};

/// The media type of web chat.
pub const CHAT_MEDIA_TYPE: &str = "chat";

/// A customer's words from a chat page.
#[derive(Debug, Clone, PartialEq)]
pub struct InboundChat {
    /// The room's address, `chat:<room>`.
    pub address: String,
    /// The name the customer gave.
    pub name: String,
    /// The room's conversation so far, if any.
    pub interaction: Option<String>,
    /// What they wrote.
    pub text: String,
}

impl Gateway {
    /// Stores a customer's chat message before anyone is told: in the room's conversation
    /// while it is open (told to the agents taking part), else in a new one queued for
    /// routing. Returns the conversation's id.
    pub fn receive_chat(&self, chat: InboundChat) -> Result<String, StoreError> {
        let shared = &self.shared;
        let now = shared.clock.now();
        let message = |interaction: &str| NewMessage {
            interaction: interaction.to_owned(),
            role: Role::Contact,
            author: chat.name.clone(),
            author_key: "contact".into(),
            time: now,
            body: chat.text.clone(),
            status: DeliveryStatus::None,
            provider_id: None,
            parts: 1,
        };
        let live = match &chat.interaction {
            Some(id) => shared.store.interaction(id)?.filter(|row| {
                !row.done
                    && row.state != InteractionState::Closed
                    && row.media_type == CHAT_MEDIA_TYPE
            }),
            None => None,
        };
        if let Some(row) = live {
            if let Some(entry) = shared.store.insert_message(&message(&row.id), &[])? {
                for agent in participants(shared, &row) {
                    let event = WireEvent::Inbound {
                        interaction: row.id.clone(),
                        entry: (&entry).into(),
                    };
                    self.tell(&agent, event);
                }
            }
            return Ok(row.id);
        }
        let id = ids::new_id("CI");
        let row = InteractionRow {
            id: id.clone(),
            media_type: CHAT_MEDIA_TYPE.into(),
            contact_name: chat.name.clone(),
            contact_address: chat.address.clone(),
            our_address: "web chat".into(),
            state: InteractionState::Queued,
            agent_id: None,
            created: now,
            done: false,
            case_data: vec![("source".into(), "web chat".into())],
        };
        shared.store.record_opening(&row, &message(&id), &[])?;
        lock(&shared.router).enqueue(&id, CHAT_MEDIA_TYPE, now);
        shared.wake.notify_one();
        Ok(id)
    }

    /// The customer started or stopped typing: the agents taking part are told.
    pub fn contact_typing(&self, interaction: &str, typing: bool) {
        for agent in self.participants_of(interaction) {
            let event = WireEvent::ContactTyping {
                interaction: interaction.to_owned(),
                typing,
            };
            self.tell(&agent, event);
        }
    }

    /// The customer (`name`) ended the chat: the agents taking part are told.
    pub fn customer_ended(&self, interaction: &str, name: &str) {
        for agent in self.participants_of(interaction) {
            let event = WireEvent::OtherSideEnded {
                interaction: interaction.to_owned(),
                by: name.to_owned(),
            };
            self.tell(&agent, event);
        }
    }

    fn participants_of(&self, interaction: &str) -> Vec<String> {
        match self.shared.store.interaction(interaction) {
            Ok(Some(row)) => participants(&self.shared, &row),
            Ok(None) => Vec::new(),
            Err(e) => {
                tracing::warn!("gateway: who takes part in {interaction}: {e}");
                Vec::new()
            }
        }
    }
}

/// The agents who see the interaction: its holder once accepted, and its conference.
fn participants(shared: &Shared, row: &InteractionRow) -> Vec<String> {
    let mut agents: Vec<String> = row
        .agent_id
        .iter()
        .filter(|_| row.state == InteractionState::Accepted)
        .cloned()
        .collect();
    match conference::members(&shared.store, &row.id) {
        Ok(members) => agents.extend(members),
        Err(e) => tracing::warn!("gateway: the conference of {}: {e}", row.id),
    }
    agents
}

/// The interaction, when `agent` holds it or is in its conference; else the refusal.
pub(super) fn taking_part(
    shared: &Shared,
    agent: &str,
    interaction: &str,
) -> Result<InteractionRow, Reply> {
    let row = match shared.store.interaction(interaction) {
        Ok(Some(row)) => row,
        Ok(None) => return Err(refused(&format!("no interaction {interaction}"))),
        Err(e) => return Err(refused(&e.to_string())),
    };
    match conference::takes_part(&shared.store, agent, &row) {
        Ok(true) => Ok(row),
        Ok(false) => Err(refused(&format!(
            "interaction {interaction} is not {agent}'s"
        ))),
        Err(e) => Err(refused(&e.to_string())),
    }
}

pub(super) fn is_chat(row: &InteractionRow) -> bool {
    row.media_type == CHAT_MEDIA_TYPE
}

/// The stored entry `message_id` of `interaction` (one row read, not the transcript).
fn entry_of(
    shared: &Shared,
    interaction: &str,
    message_id: i64,
) -> Result<TranscriptEntry, String> {
    shared
        .store
        .message_text(message_id)
        .map_err(|e| e.to_string())?
        .filter(|entry| entry.interaction.as_str() == interaction)
        .ok_or_else(|| format!("message {message_id} is not in {interaction}"))
}

/// An agent's stored message in a chat: recorded as sent, shown to the other agents taking
/// part, and relayed to the page (delivered once a page got it). `None` when the interaction
/// is no chat.
pub(super) fn send(
    shared: &Shared,
    agent: &str,
    row: &InteractionRow,
    message_id: i64,
    events: &mut Vec<(String, WireEvent)>,
) -> Option<Reply> {
    if !is_chat(row) {
        return None;
    }
    let entry = match entry_of(shared, &row.id, message_id) {
        Ok(entry) => entry,
        Err(reason) => return Some(refused(&reason)),
    };
    if let Err(e) = record_sent(shared, agent, row, message_id, events) {
        return Some(refused(&e.to_string()));
    }
    for other in participants(shared, row).into_iter().filter(|a| a != agent) {
        events.push((
            other,
            WireEvent::Inbound {
                interaction: row.id.clone(),
                entry: (&entry).into(),
            },
        ));
    }
    let update = ToCustomer::Message {
        author: entry.author.to_string(),
        text: entry.text.to_string(),
    };
    to_page(shared, &row.id, Some((message_id, agent)), update);
    Some(Reply::Done)
}

/// Sent, waiting for the customer: what a message is until a page shows it.
fn record_sent(
    shared: &Shared,
    agent: &str,
    row: &InteractionRow,
    message_id: i64,
    events: &mut Vec<(String, WireEvent)>,
) -> Result<(), StoreError> {
    shared.store.set_status(message_id, &DeliveryStatus::Sent)?;
    events.push((
        agent.to_owned(),
        WireEvent::Delivery {
            message_id,
            interaction: row.id.clone(),
            status: (&DeliveryStatus::Sent).into(),
        },
    ));
    Ok(())
}

/// A link the agent stored (its text is the address) goes to the page.
pub(super) fn push_url(
    shared: &Shared,
    agent: &str,
    interaction: &str,
    message_id: i64,
    events: &mut Vec<(String, WireEvent)>,
) -> Reply {
    let row = match taking_part(shared, agent, interaction) {
        Ok(row) => row,
        Err(reply) => return reply,
    };
    if !is_chat(&row) {
        return refused(&format!(
            "links are pushed in chats only, not in {interaction}"
        ));
    }
    let entry = match entry_of(shared, interaction, message_id) {
        Ok(entry) => entry,
        Err(reason) => return refused(&reason),
    };
    if let Err(e) = record_sent(shared, agent, &row, message_id, events) {
        return refused(&e.to_string());
    }
    let update = ToCustomer::Link {
        author: entry.author.to_string(),
        url: entry.text.to_string(),
    };
    to_page(shared, interaction, Some((message_id, agent)), update);
    Reply::Done
}

/// The agent started or stopped typing: the page shows it.
pub(super) fn typing(shared: &Shared, agent: &str, interaction: &str, on: bool) -> Reply {
    match taking_part(shared, agent, interaction) {
        Ok(row) if is_chat(&row) => {
            let author = internal_name(shared, agent);
            to_page(shared, interaction, None, ToCustomer::Typing { author, on });
            Reply::Done
        }
        // Typing in other channels reaches nobody: nothing to refuse.
        Ok(_) => Reply::Done,
        Err(reply) => reply,
    }
}

/// The agent ended the chat: the page says so (the customer's next message opens a new one).
/// `None` when the interaction is no chat.
pub(super) fn end(shared: &Shared, agent: &str, row: &InteractionRow) -> Option<Reply> {
    if !is_chat(row) {
        return None;
    }
    let text = format!(
        "{} ended the chat. Thank you for writing to us.",
        internal_name(shared, agent)
    );
    to_page(shared, &row.id, None, ToCustomer::Ended { text });
    Some(Reply::Done)
}
