//! What agents write in a web chat on its way to the customer's page: every update is
//! published on `P.pages`; every gateway hears it, and the one whose page server holds the room
//! shows it and reports a message delivered to the agent who sent it.

use serde::{Deserialize, Serialize};
use switchboard_edge::chat_protocol::ToCustomer;
use switchboard_sdk::DeliveryStatus;
use switchboard_seam::records::InteractionRecords;

use super::Shared;
use crate::wire::WireEvent;

/// A page update on its way to the gateway whose page server holds the room.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct PageRelay {
    /// The chat.
    pub interaction: String,
    /// The stored message it carries, and the agent who sent it (told when it is delivered).
    pub message: Option<(i64, String)>,
    /// What the page shows (nothing for a join alone).
    pub update: Option<ToCustomer>,
    /// A room (its token) the conversation joins first: the agent continues the customer's
    /// chat while their page is open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub join_room: Option<String>,
}

/// The customers' chat pages a gateway's page server holds.
pub trait CustomerPages: Send + Sync {
    /// Shows `update` on the pages of the interaction's room: `None` when no room here has it,
    /// else whether an open page got it.
    fn relay(&self, interaction: &str, update: &ToCustomer) -> Option<bool>;

    /// Makes `interaction` the conversation of the room `room` while a page is open there:
    /// `None` when no room here has that token, else whether it joined (or why not).
    fn join(&self, room: &str, interaction: &str) -> Option<Result<(), String>> {
        let _ = (room, interaction);
        None
    }
}

/// The page server a gateway relays to, shareable in its settings.
#[derive(Clone)]
pub struct PagesLink(pub std::sync::Arc<dyn CustomerPages>);

impl std::fmt::Debug for PagesLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PagesLink")
    }
}

/// Queues an update for the page (whichever gateway holds the room shows it).
pub(super) fn to_page(
    shared: &Shared,
    interaction: &str,
    message: Option<(i64, &str)>,
    update: ToCustomer,
) {
    queue(
        shared,
        PageRelay {
            interaction: interaction.to_owned(),
            message: message.map(|(id, agent)| (id, agent.to_owned())),
            update: Some(update),
            join_room: None,
        },
    );
}

/// Puts `interaction` in the chat room `room`: at once when this gateway's page server holds
/// the room (its answer is the page's: closed, or joined), else through whichever gateway
/// holds it, ahead of the conversation's first message.
pub(super) fn join_room(shared: &Shared, room: &str, interaction: &str) -> Result<(), String> {
    if let Some(joined) = shared
        .settings
        .pages
        .as_ref()
        .and_then(|pages| pages.0.join(room, interaction))
    {
        return joined;
    }
    queue(
        shared,
        PageRelay {
            interaction: interaction.to_owned(),
            message: None,
            update: None,
            join_room: Some(room.to_owned()),
        },
    );
    Ok(())
}

fn queue(shared: &Shared, relay: PageRelay) {
    let interaction = relay.interaction.clone();
    if shared.pages_out.send(relay).is_err() {
        tracing::warn!("gateway: the page relay stopped; {interaction}'s page misses an update");
    }
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
        if let Some(room) = &relay.join_room
            && let Some(Err(e)) = pages.0.join(room, &relay.interaction)
        {
            tracing::warn!("gateway: {} cannot join its room: {e}", relay.interaction);
        }
        let Some(update) = &relay.update else {
            continue;
        };
        let reached = pages.0.relay(&relay.interaction, update);
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
