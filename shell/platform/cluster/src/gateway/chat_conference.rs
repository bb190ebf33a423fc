//! A web chat's conference on the cluster: the holder invites one signed-in colleague by name;
//! the same chat is offered to them alone until the invitation lapses; accepted, they join its
//! members ([`crate::conference`]) and the page says so; when the holder leaves to them, the
//! chat is theirs at once.

use switchboard_seam::records::{InteractionRecords, InteractionRow, InteractionState};

use switchboard_edge::chat_protocol::ToCustomer;

use super::{Shared, chat::is_chat, held, internal_name, lock, pages::to_page, refused};
use crate::{
    conference,
    transfers::{PendingTransfer, WireOutcome, WireTarget},
    wire::{Reply, WireEvent},
};

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
    if !lock(&shared.signed_in).contains_key(&target.id) {
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
    super::colleague_offer::offer_to_colleague(
        shared,
        agent,
        row,
        target,
        timeout_seconds,
        true,
        events,
    )
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
            ToCustomer::Notice { text },
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
    to_page(shared, &row.id, None, ToCustomer::Notice { text });
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
