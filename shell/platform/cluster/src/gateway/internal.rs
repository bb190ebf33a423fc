//! Instant messages and consultations between agents on two desktops. Each agent has an
//! interaction of their own for the conversation, the two linked by the case-data key
//! [`PEER_KEY`]: the inviting agent's is opened by `start_conversation`; an invitation opens
//! the colleague's with the first message and offers it to them alone; once they accept, what
//! either writes is stored in the other's interaction too and reaches their desktop, and
//! ending it on one side is told to the other.

use switchboard_sdk::{DeliveryStatus, Role};
use switchboard_seam::{
    ids,
    records::{
        InteractionRecords, InteractionRow, InteractionState, NewMessage, Party, StoreError,
    },
};

use super::{Shared, lock, refused};
use crate::{
    transfers::{WireOutcome, WireTarget},
    wire::{Reply, WireEvent},
};

/// The case-data key naming the other agent's interaction of the same conversation (a key
/// starting with `_` is the platform's own: the desk does not show it).
pub const PEER_KEY: &str = "_peer";

/// An invitation waiting for the colleague's answer.
#[derive(Debug, Clone)]
pub(super) struct Invitation {
    /// The inviting agent.
    pub inviter: String,
    /// Their interaction.
    pub inviter_interaction: String,
    /// What for (`im`, `consult`...).
    pub purpose: String,
    /// The colleague invited.
    pub target: WireTarget,
}

fn agent_address(agent: &str) -> String {
    format!("agent:{agent}")
}

fn name_of(shared: &Shared, agent: &str) -> String {
    super::internal_name(shared, agent)
}

/// Opens the agent's side of a conversation with a colleague; returns its id. A consultation
/// is filed under the customer of `consulting`, which must be the agent's own.
pub(super) fn start(
    shared: &Shared,
    agent: &str,
    target: WireTarget,
    media_type: String,
    case_data: Vec<(String, String)>,
    consulting: Option<&str>,
) -> Reply {
    if target.kind == "contact" {
        return refused("instant messages go to colleagues, queues, skills and groups");
    }
    if target.kind == "agent" && target.id == agent {
        return refused("a conversation needs a colleague");
    }
    let party = match consulting {
        Some(customer) => match super::requests::held(shared, agent, customer) {
            Ok(_) => Party::Consulting {
                interaction: customer.to_owned(),
            },
            Err(reply) => return reply,
        },
        None => Party::Address {
            address: agent_address(&target.id),
            name: target.name.clone(),
        },
    };
    let id = ids::new_id("IM");
    let row = InteractionRow {
        id: id.clone(),
        media_type,
        contact_name: target.name.clone(),
        contact_address: agent_address(&target.id),
        our_address: agent_address(agent),
        state: InteractionState::Accepted,
        agent_id: Some(agent.to_owned()),
        created: shared.clock.now(),
        done: false,
        case_data,
    };
    match shared.store.open_internal(&row, &party, None) {
        Ok(_) => Reply::Started { interaction: id },
        Err(e) => refused(&e.to_string()),
    }
}

/// Invites the colleague: their side of the conversation, with the first message and the case
/// data, is offered to them alone until the invitation lapses.
#[allow(clippy::too_many_arguments)] // the invitation's fields, as the request carries them
pub(super) fn invite(
    shared: &Shared,
    agent: &str,
    own: &InteractionRow,
    target: WireTarget,
    purpose: String,
    first_message: String,
    case_data: Vec<(String, String)>,
) -> Reply {
    let routed = matches!(
        target.kind.as_str(),
        "queue" | "skill" | "group" | "routing-point"
    );
    if routed {
        // Whoever is Ready for it first answers: refused at once when nobody is.
        if !lock(&shared.router).anyone_ready_for(&own.media_type, agent) {
            return refused(&format!("nobody in {} is available now", target.name));
        }
    } else if target.kind != "agent" || target.id == agent {
        return refused("an invitation goes to a colleague, a queue, a skill or a group");
    } else if !lock(&shared.signed_in).contains_key(&target.id) {
        return refused(&format!("{} is not signed in", target.name));
    }
    let now = shared.clock.now();
    let id = ids::new_id("IM");
    let mut their_case_data = case_data;
    their_case_data.push((PEER_KEY.to_owned(), own.id.clone()));
    let row = InteractionRow {
        id: id.clone(),
        media_type: own.media_type.clone(),
        contact_name: name_of(shared, agent),
        contact_address: agent_address(agent),
        our_address: if routed {
            String::new()
        } else {
            agent_address(&target.id)
        },
        state: InteractionState::Queued,
        agent_id: None,
        created: now,
        done: false,
        case_data: their_case_data,
    };
    let first = NewMessage {
        interaction: id.clone(),
        role: Role::OtherAgent,
        author: name_of(shared, agent),
        author_key: agent.to_owned(),
        time: now,
        body: first_message,
        status: DeliveryStatus::None,
        provider_id: None,
        parts: 1,
    };
    // A consultation's other side is filed under the same customer: the colleague sees their
    // contact and history; an instant message under the inviting agent.
    let party = match shared.store.consulted(&own.id) {
        Ok(Some(customer)) => Party::Consulting {
            interaction: customer,
        },
        Ok(None) => Party::Address {
            address: agent_address(agent),
            name: name_of(shared, agent),
        },
        Err(e) => return refused(&e.to_string()),
    };
    let stored = shared
        .store
        .open_internal(&row, &party, Some(&first))
        .and_then(|_| shared.store.set_case_value(&own.id, PEER_KEY, &id));
    if let Err(e) = stored {
        return refused(&e.to_string());
    }
    lock(&shared.invitations).insert(
        id.clone(),
        Invitation {
            inviter: agent.to_owned(),
            inviter_interaction: own.id.clone(),
            purpose,
            target: target.clone(),
        },
    );
    if routed {
        lock(&shared.router).enqueue_once_for_anyone_but(&id, &own.media_type, agent, now);
    } else {
        lock(&shared.router).enqueue_once(&id, &own.media_type, Some(&target.id), now);
    }
    shared.wake.notify_one();
    Reply::Done
}

/// The colleague answered (or let lapse) an invitation: the inviting agent is told (who
/// answered, for an invitation to a queue or skill); a refused or lapsed invitation's
/// interaction is closed.
pub(super) fn answered(
    shared: &Shared,
    invited_interaction: &str,
    outcome: WireOutcome,
    answering: Option<&str>,
) -> Option<(String, WireEvent)> {
    let mut invitation = lock(&shared.invitations).remove(invited_interaction)?;
    if let Some(colleague) = answering
        && invitation.target.kind != "agent"
    {
        invitation.target = WireTarget {
            kind: "agent".into(),
            id: colleague.to_owned(),
            name: name_of(shared, colleague),
        };
    }
    if outcome != WireOutcome::Accepted
        && let Err(e) =
            shared
                .store
                .close_interaction(invited_interaction, false, shared.clock.now())
    {
        tracing::error!("gateway: cannot close the refused invitation {invited_interaction}: {e}");
    }
    Some((
        invitation.inviter,
        WireEvent::InvitationAnswered {
            interaction: invitation.inviter_interaction,
            purpose: invitation.purpose,
            target: invitation.target,
            outcome,
        },
    ))
}

/// Whether an interaction is an invitation waiting for its answer.
pub(super) fn is_invitation(shared: &Shared, interaction: &str) -> bool {
    lock(&shared.invitations).contains_key(interaction)
}

/// The other agent's side of a conversation, if this interaction is one.
pub(super) fn peer_of(shared: &Shared, interaction: &str) -> Result<Option<String>, StoreError> {
    Ok(shared
        .store
        .case_data(interaction)?
        .into_iter()
        .find(|kv| kv.key.as_str() == PEER_KEY)
        .map(|kv| kv.value.into_string()))
}

/// An agent's message in a conversation reaches the colleague's side: stored there, and sent
/// to their desktop once they accepted. Returns the status of the agent's message.
pub(super) fn deliver(
    shared: &Shared,
    agent: &str,
    peer: &str,
    text: &str,
    events: &mut Vec<(String, WireEvent)>,
) -> Result<DeliveryStatus, StoreError> {
    let Some(their) = shared.store.interaction(peer)? else {
        return Ok(DeliveryStatus::Failed {
            reason: "the colleague's side of the conversation is gone".into(),
        });
    };
    if their.done || their.state == InteractionState::Closed {
        return Ok(DeliveryStatus::Failed {
            reason: format!(
                "{} left the conversation",
                their
                    .agent_id
                    .as_deref()
                    .map_or_else(|| "the colleague".to_owned(), |a| name_of(shared, a))
            )
            .into(),
        });
    }
    let entry = shared.store.insert_message(
        &NewMessage {
            interaction: peer.to_owned(),
            role: Role::OtherAgent,
            author: name_of(shared, agent),
            author_key: agent.to_owned(),
            time: shared.clock.now(),
            body: text.to_owned(),
            status: DeliveryStatus::None,
            provider_id: None,
            parts: 1,
        },
        &[],
    )?;
    match (&their.agent_id, their.state, entry) {
        (Some(holder), InteractionState::Accepted, Some(entry)) => {
            events.push((
                holder.clone(),
                WireEvent::Inbound {
                    interaction: peer.to_owned(),
                    entry: (&entry).into(),
                },
            ));
            Ok(DeliveryStatus::Delivered)
        }
        _ => Ok(DeliveryStatus::Sent),
    }
}

/// An agent ended their side: the colleague holding the other side is told.
pub(super) fn end(shared: &Shared, agent: &str, interaction: &str) -> Vec<(String, WireEvent)> {
    let Ok(Some(peer)) = peer_of(shared, interaction) else {
        return Vec::new();
    };
    match shared.store.interaction(&peer) {
        Ok(Some(their)) => match their.agent_id {
            Some(holder) if !their.done => vec![(
                holder,
                WireEvent::OtherSideEnded {
                    interaction: peer,
                    by: name_of(shared, agent),
                },
            )],
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}
