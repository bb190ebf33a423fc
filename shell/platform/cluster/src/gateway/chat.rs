//! Web chat on the cluster. A gateway's page server (the binary puts the embedded platform's
//! hardened page before it) hands the customer's words here: stored in PostgreSQL first, then
//! routed like any work, or told to the agents taking part. What agents write goes to the page
//! over NATS (`P.pages`): every gateway hears it and the one whose page server holds the room
//! relays it and reports it delivered. A conference brings a colleague into the same
//! interaction ([`crate::conference`]): each sees what the others and the customer write, and
//! when the holder leaves, the colleague keeps the chat.

use serde::{Deserialize, Serialize};
use switchboard_sdk::{DeliveryStatus, Role, TranscriptEntry};
use switchboard_seam::{
    backend::OfferDetails,
    ids,
    records::{InteractionRecords, InteractionRow, InteractionState, NewMessage, StoreError},
};

use super::{Gateway, Shared, held, internal_name, lock, refused};
use crate::{
    conference,
    transfers::{PendingTransfer, WireOutcome, WireTarget},
    wire::{Reply, WireEvent},
};

/// The media type of web chat.
pub const CHAT_MEDIA_TYPE: &str = "chat";

/// What goes to a customer's chat page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PageUpdate {
    /// An agent's message.
    Message {
        /// Who wrote it, as the customer sees them.
        author: String,
        /// The text.
        text: String,
    },
    /// An agent started or stopped typing.
    Typing {
        /// Who.
        author: String,
        /// Typing or not.
        on: bool,
    },
    /// A link the agent pushed.
    Link {
        /// Who pushed it.
        author: String,
        /// The address.
        url: String,
    },
    /// Something happened in the chat (a colleague joined or left).
    Notice {
        /// What, in words.
        text: String,
    },
    /// The agent ended the chat.
    Ended {
        /// Why, in words.
        text: String,
    },
}

/// A page update on its way to the gateway whose page server holds the room.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct PageRelay {
    /// The chat.
    pub interaction: String,
    /// The stored message it carries, and the agent who sent it (told when it is delivered).
    pub message: Option<(i64, String)>,
    /// What the page shows.
    pub update: PageUpdate,
}

/// The customers' chat pages a gateway's page server holds.
pub trait CustomerPages: Send + Sync {
    /// Shows `update` on the pages of the interaction's room: `None` when no room here has it,
    /// else whether an open page got it.
    fn relay(&self, interaction: &str, update: &PageUpdate) -> Option<bool>;
}

/// The page server a gateway relays to, shareable in its settings.
#[derive(Clone)]
pub struct PagesLink(pub std::sync::Arc<dyn CustomerPages>);

impl std::fmt::Debug for PagesLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PagesLink")
    }
}

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

fn is_chat(row: &InteractionRow) -> bool {
    row.media_type == CHAT_MEDIA_TYPE
}

/// Queues an update for the page (whichever gateway holds the room shows it).
fn to_page(shared: &Shared, interaction: &str, message: Option<(i64, &str)>, update: PageUpdate) {
    let relay = PageRelay {
        interaction: interaction.to_owned(),
        message: message.map(|(id, agent)| (id, agent.to_owned())),
        update,
    };
    if shared.pages_out.send(relay).is_err() {
        tracing::warn!("gateway: the page relay stopped; {interaction}'s page misses an update");
    }
}

/// The stored entry `message_id` of `interaction`.
fn entry_of(
    shared: &Shared,
    interaction: &str,
    message_id: i64,
) -> Result<TranscriptEntry, String> {
    shared
        .store
        .transcript(interaction)
        .map_err(|e| e.to_string())?
        .into_iter()
        .find(|entry| entry.id == message_id)
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
    let update = PageUpdate::Message {
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
    let update = PageUpdate::Link {
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
            to_page(shared, interaction, None, PageUpdate::Typing { author, on });
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
    to_page(shared, &row.id, None, PageUpdate::Ended { text });
    Some(Reply::Done)
}

/// Invites a colleague into the agent's chat: the chat is offered to them alone until the
/// invitation lapses, with its case data and first message; the chat stays the agent's.
pub(super) fn invite(
    shared: &Shared,
    agent: &str,
    interaction: &str,
    target: WireTarget,
    timeout_seconds: i64,
    events: &mut Vec<(String, WireEvent)>,
) -> Reply {
    let row = match held(shared, agent, interaction) {
        Ok(row) => row,
        Err(reply) => return reply,
    };
    if !is_chat(&row) {
        return refused(&format!(
            "{interaction} is no chat: only chats have conferences"
        ));
    }
    if target.kind != "agent" {
        return refused("a conference brings in one colleague: choose an agent");
    }
    if target.id == agent {
        return refused("you are already in this chat");
    }
    if !lock(&shared.signed_in).contains(&target.id) {
        return refused(&format!("{} is not signed in", target.name));
    }
    match conference::members(&shared.store, interaction) {
        Ok(members) if members.contains(&target.id) => {
            return refused(&format!("{} is already in this chat", target.name));
        }
        Ok(_) => {}
        Err(e) => return refused(&e.to_string()),
    }
    if lock(&shared.transfers).is_pending(interaction) {
        return refused(&format!(
            "an invitation or transfer of {interaction} is already waiting for an answer"
        ));
    }
    let now = shared.clock.now();
    let offer_id = ids::new_offer_id();
    let expires_at = now.plus_seconds(timeout_seconds.max(1));
    let details = (|| -> Result<OfferDetails, StoreError> {
        Ok(OfferDetails {
            offer_id: offer_id.clone(),
            case_data: shared.store.case_data(interaction)?,
            first_message: shared.store.first_message(interaction)?,
            consultation_about: None,
            offered_at: now,
            expires_at,
            interaction: row,
        })
    })();
    let details = match details {
        Ok(details) => details,
        Err(e) => return refused(&e.to_string()),
    };
    events.push((target.id.clone(), WireEvent::from(&details)));
    lock(&shared.transfers).offer(
        &offer_id,
        PendingTransfer {
            interaction: interaction.to_owned(),
            from: agent.to_owned(),
            target,
            expires_at,
            conference: true,
        },
    );
    Reply::Done
}

/// The colleague answered a conference invitation: accepted, they join (and read the whole
/// transcript) and the page says so; either way the inviting agent is told.
pub(super) fn answer_invitation(
    shared: &Shared,
    agent: &str,
    invitation: PendingTransfer,
    accept: bool,
    events: &mut Vec<(String, WireEvent)>,
) -> Reply {
    let outcome = if accept {
        if let Err(e) = conference::join(&shared.store, &invitation.interaction, agent) {
            return refused(&e.to_string());
        }
        let text = format!("{} joined the conversation.", internal_name(shared, agent));
        to_page(
            shared,
            &invitation.interaction,
            None,
            PageUpdate::Notice { text },
        );
        WireOutcome::Accepted
    } else {
        WireOutcome::Rejected {
            reason: format!("{} declined", invitation.target.name),
        }
    };
    events.push((
        invitation.from.clone(),
        invitation_answered(invitation, outcome),
    ));
    Reply::Done
}

/// The event telling the inviting agent how their conference invitation ended.
pub(super) fn invitation_answered(invitation: PendingTransfer, outcome: WireOutcome) -> WireEvent {
    WireEvent::InvitationAnswered {
        interaction: invitation.interaction,
        purpose: switchboard_sdk::purposes::CONFERENCE.into(),
        target: invitation.target,
        outcome,
    }
}

/// The holder leaves a conference to `colleague`, a member: the chat is theirs at once.
/// `None` when the colleague is not in the chat's conference.
pub(super) fn leave_to(
    shared: &Shared,
    agent: &str,
    row: &InteractionRow,
    colleague: &WireTarget,
    events: &mut Vec<(String, WireEvent)>,
) -> Option<Reply> {
    let members = conference::members(&shared.store, &row.id).ok()?;
    if !members.contains(&colleague.id) {
        return None;
    }
    let handed = shared
        .store
        .set_interaction_state(&row.id, InteractionState::Accepted, Some(&colleague.id))
        .and_then(|()| conference::leave(&shared.store, &row.id, &colleague.id));
    if let Err(e) = handed {
        return Some(refused(&e.to_string()));
    }
    lock(&shared.router).hand_over(&row.id, &colleague.id, shared.clock.now());
    let text = format!("{} left the conversation.", internal_name(shared, agent));
    to_page(shared, &row.id, None, PageUpdate::Notice { text });
    events.push((
        agent.to_owned(),
        WireEvent::TransferAnswered {
            interaction: row.id.clone(),
            target: colleague.clone(),
            outcome: WireOutcome::Accepted,
        },
    ));
    Some(Reply::Done)
}

/// Relays agents' updates to the pages, in the order they were made.
pub(super) async fn send_to_pages(
    shared: std::sync::Arc<Shared>,
    mut updates: tokio::sync::mpsc::UnboundedReceiver<PageRelay>,
) {
    let subject = crate::wire::pages_subject(&shared.prefix);
    while let Some(relay) = updates.recv().await {
        let Ok(body) = serde_json::to_vec(&relay) else {
            continue;
        };
        if let Err(e) = shared.client.publish(subject.clone(), body.into()).await {
            tracing::warn!("gateway: cannot relay to {}'s page: {e}", relay.interaction);
        }
    }
}

/// Shows the updates for rooms this gateway's page server holds; a message a page got is
/// reported delivered to the agent who sent it.
pub(super) async fn relay_to_pages(
    shared: std::sync::Arc<Shared>,
    mut relays: async_nats::Subscriber,
) {
    use futures_util::StreamExt;
    let Some(pages) = shared.settings.pages.clone() else {
        return;
    };
    while let Some(message) = relays.next().await {
        let relay: PageRelay = match serde_json::from_slice(&message.payload) {
            Ok(relay) => relay,
            Err(e) => {
                tracing::warn!("gateway: a malformed page update: {e}");
                continue;
            }
        };
        let reached = pages.0.relay(&relay.interaction, &relay.update);
        if let (Some(true), Some((message_id, agent))) = (reached, relay.message) {
            let delivered = DeliveryStatus::Delivered;
            let stored =
                tokio::task::block_in_place(|| shared.store.set_status(message_id, &delivered));
            if let Err(e) = stored {
                tracing::warn!("gateway: the delivery of message {message_id}: {e}");
                continue;
            }
            let event = WireEvent::Delivery {
                message_id,
                interaction: relay.interaction,
                status: (&delivered).into(),
            };
            super::publish(&shared, vec![(agent, event)]).await;
        }
    }
}
