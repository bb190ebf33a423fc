//! Conversations an agent starts with a known contact from the Communication view: an SMS
//! session from the contact center's session-mode number, so the contact's answers join it;
//! or their web chat again while their page is open. The gateway decides on what it reads
//! itself: the role must grant a channel carrying the media type (and `outbound-sms` for
//! SMS), and the address must be the contact's own: one of their numbers, or the chat room the
//! records tie to them (a desktop cannot write to any address it names).

use switchboard_seam::{
    backend::{CHAT_MEDIA_TYPE, OUTBOUND_SMS_MEDIA_TYPE},
    ids,
    records::{
        ContactRecords, InteractionRecords, InteractionRow, InteractionState, Party, PointKind,
        match_key,
    },
};

use super::{Shared, pages, refused, requests};
use crate::wire::Reply;

/// Opens the agent's conversation with contact `contact_id` at `address` on `media_type`;
/// returns its id (accepted by the agent, nothing sent yet).
pub(super) fn start(
    shared: &Shared,
    agent: &str,
    contact_id: i64,
    address: &str,
    media_type: &str,
) -> Reply {
    let chat = media_type == CHAT_MEDIA_TYPE;
    if !chat && media_type != OUTBOUND_SMS_MEDIA_TYPE {
        return refused(&format!(
            "this contact center cannot start {media_type} conversations from a desktop"
        ));
    }
    if !chat
        && let Err(reply) =
            requests::needs(shared, agent, "outbound-sms", "starting SMS conversations")
    {
        return reply;
    }
    let carried = requests::policy_of(shared, agent).is_some_and(|session| {
        session
            .channels
            .iter()
            .any(|c| c.media_types.iter().any(|m| m == media_type))
    });
    if !carried {
        return refused(&format!(
            "{agent} is not signed in on a channel carrying {media_type}"
        ));
    }
    let contact = match shared.store.contact(contact_id) {
        Ok(Some(contact)) => contact,
        Ok(None) => return refused(&format!("there is no contact {contact_id}")),
        Err(e) => return refused(&e.to_string()),
    };
    let (our_address, their_address) = if chat {
        match shared.store.chat_address_of(contact_id) {
            Ok(Some(room)) if room == address => ("web chat".to_owned(), room),
            Ok(_) => {
                return refuse_address(shared, agent, address, &contact.display_name);
            }
            Err(e) => return refused(&e.to_string()),
        }
    } else {
        let Some(our_number) = shared.settings.session_number.clone() else {
            return refused("this contact center has no session-mode number to write from");
        };
        let number = match_key(PointKind::Phone, address);
        let theirs = !number.is_empty()
            && contact
                .phones
                .iter()
                .any(|p| match_key(PointKind::Phone, &p.value) == number);
        if !theirs {
            return refuse_address(shared, agent, address, &contact.display_name);
        }
        (our_number, number)
    };
    let id = ids::new_id(if chat { "CI" } else { "SO" });
    let row = InteractionRow {
        id: id.clone(),
        media_type: media_type.to_owned(),
        contact_name: contact.display_name.clone(),
        contact_address: their_address.clone(),
        our_address,
        state: InteractionState::Accepted,
        agent_id: Some(agent.to_owned()),
        created: shared.clock.now(),
        done: false,
        case_data: vec![("direction".into(), "outbound".into())],
    };
    if let Err(e) = shared
        .store
        .open_internal(&row, &Party::Contact { id: contact_id }, None)
    {
        return refused(&e.to_string());
    }
    if chat {
        let room = their_address.trim_start_matches("chat:");
        if let Err(reason) = pages::join_room(shared, room, &id) {
            // The page closed meanwhile: the conversation never started.
            if let Err(e) = shared
                .store
                .close_interaction(&id, true, shared.clock.now())
            {
                tracing::warn!("gateway: closing {id}, which could not start: {e}");
            }
            return refused(&reason);
        }
    }
    Reply::Started { interaction: id }
}

fn refuse_address(shared: &Shared, agent: &str, address: &str, contact: &str) -> Reply {
    let reason = format!("{address} is not an address of {contact}");
    requests::audit_refusal(shared, agent, &reason);
    refused(&reason)
}
