//! Conversations an agent starts with a known contact from the Communication view: an SMS
//! session from the contact center's session-mode number, so the contact's answers join it.
//! The gateway decides on what it reads itself: the role must grant `outbound-sms` and a
//! channel carrying session-mode SMS, and the number must be one of the contact's own (a
//! desktop cannot write to any number it names).

use switchboard_seam::{
    backend::OUTBOUND_SMS_MEDIA_TYPE,
    ids,
    records::{ContactRecords, InteractionRow, InteractionState, PointKind, match_key},
};

use super::{Shared, refused, requests};
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
    if media_type != OUTBOUND_SMS_MEDIA_TYPE {
        return refused(&format!(
            "this contact center cannot start {media_type} conversations from a desktop"
        ));
    }
    if let Err(reply) = requests::needs(shared, agent, "outbound-sms", "starting SMS conversations")
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
    let Some(our_number) = shared.settings.session_number.clone() else {
        return refused("this contact center has no session-mode number to write from");
    };
    let contact = match shared.store.contact(contact_id) {
        Ok(Some(contact)) => contact,
        Ok(None) => return refused(&format!("there is no contact {contact_id}")),
        Err(e) => return refused(&e.to_string()),
    };
    let number = match_key(PointKind::Phone, address);
    let theirs = !number.is_empty()
        && contact
            .phones
            .iter()
            .any(|p| match_key(PointKind::Phone, &p.value) == number);
    if !theirs {
        let reason = format!(
            "{address} is not a phone number of {}",
            contact.display_name
        );
        requests::audit_refusal(shared, agent, &reason);
        return refused(&reason);
    }
    let id = ids::new_id("SO");
    let row = InteractionRow {
        id: id.clone(),
        media_type: media_type.to_owned(),
        contact_name: contact.display_name.clone(),
        contact_address: number,
        our_address: our_number,
        state: InteractionState::Accepted,
        agent_id: Some(agent.to_owned()),
        created: shared.clock.now(),
        done: false,
        case_data: vec![("direction".into(), "outbound".into())],
    };
    match shared.store.open_internal(&row, None) {
        Ok(_) => Reply::Started { interaction: id },
        Err(e) => refused(&e.to_string()),
    }
}
