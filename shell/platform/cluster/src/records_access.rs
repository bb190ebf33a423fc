//! Who may make which record call: the gateway asks [`permit`] before it runs a desktop's
//! call, with the agent the request's subject names (the NATS server lets a desktop publish
//! only under its own agent).
//!
//! - An agent reads and writes the interactions they hold (offered to them or accepted), and
//!   the chats whose conference they joined; finished interactions of anyone are readable (a
//!   contact's history), never writable.
//! - What an agent keeps (favourites, recents, words, callbacks, pushed links, what they
//!   hold) is theirs only.
//! - Contacts and history search are shared by every signed-in agent; a history shows another
//!   agent's interaction only once it is finished.
//! - Opening interactions, interaction state and delivery reports belong to the gateway: a
//!   desktop writes only its agent's own messages, and marks a failed send of its own.

use switchboard_sdk::{DeliveryStatus, Role};
use switchboard_seam::records::{
    InteractionRecords, InteractionRow, InteractionState, StoreError, role_from_text,
};
use switchboard_store_postgres::PgStore;

use crate::records_wire::{RecordAnswer, RecordCall};

/// Whether `agent` may make `call`; the refusal says why.
pub fn permit(store: &PgStore, agent: &str, call: &RecordCall) -> Result<(), String> {
    use RecordCall as C;
    match call {
        C::RecordOpening { .. } => Err("only the gateway opens interactions".into()),
        C::SetInteractionState { .. } => Err(
            "an interaction's state is the platform's to write; ask through the platform".into(),
        ),
        C::Opening { asked } => {
            own(agent, &asked.agent)?;
            readable(store, agent, &asked.interaction)
        }
        C::Interaction { id }
        | C::CaseData { id }
        | C::Transcript { id }
        | C::ContactOfInteraction { id }
        | C::Note { id }
        | C::Disposition { id }
        | C::Consulted { interaction: id } => readable(store, agent, id),
        C::SetCaseValue { interaction, .. }
        | C::AssignContact { interaction, .. }
        | C::CloseInteraction {
            id: interaction, ..
        }
        | C::SetNote {
            id: interaction, ..
        }
        | C::SetDisposition {
            id: interaction, ..
        } => writable(store, agent, interaction),
        C::InsertMessage { message, .. } => own_message(store, agent, message),
        C::InsertReservedMessage {
            agent: whose,
            message,
            ..
        } => {
            own(agent, whose)?;
            own_message(store, agent, message)
        }
        C::ReserveMessageIds { agent: whose, .. } => own(agent, whose),
        C::SetStatus { message_id, status } => {
            if !matches!(
                DeliveryStatus::from(status.clone()),
                DeliveryStatus::Failed { .. }
            ) {
                return Err("delivery reports are the platform's to write".into());
            }
            let interaction = store
                .interaction_of_message(*message_id)
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("no message {message_id}"))?;
            writable(store, agent, &interaction)
        }
        C::Attachment { id } | C::AttachmentBytes { id } => {
            match store.attachment(*id).map_err(|e| e.to_string())? {
                Some(attachment) => readable(store, agent, &attachment.interaction),
                None => Ok(()),
            }
        }
        C::HeldBy { agent: whose }
        | C::AssignedContacts { agent: whose, .. }
        | C::MarkContactRead { agent: whose, .. }
        | C::CallbacksOf { agent: whose }
        | C::TakeDueCallbacks { agent: whose, .. }
        | C::ToggleFavourite { agent: whose, .. }
        | C::Favourites { agent: whose }
        | C::RecordRecent { agent: whose, .. }
        | C::Recents { agent: whose, .. }
        | C::AddPersonalWord { agent: whose, .. }
        | C::PersonalWords { agent: whose } => own(agent, whose),
        C::ScheduleCallback { callback, .. } => own(agent, &callback.agent),
        C::RecordPushedUrl { list, .. } | C::PushedUrls { list, .. } => {
            match list.split_once('@') {
                Some((whose, _)) => own(agent, whose),
                None => Err(format!("{list:?} is not a list of pushed links")),
            }
        }
        C::Contact { .. }
        | C::SearchContacts { .. }
        | C::UpdateContact { .. }
        | C::OtherInteractions { .. }
        | C::ChatAddressOf { .. }
        | C::History { .. }
        | C::SearchHistory { .. } => Ok(()),
    }
}

/// What of a history answer `agent` may read: a contact's interactions that are finished or
/// that they take part in; another agent's open conversation is left out (its excerpt and note
/// would show what is being written now).
pub fn visible_history(store: &PgStore, agent: &str, answer: RecordAnswer) -> RecordAnswer {
    let RecordAnswer::Done { value } = answer else {
        return answer;
    };
    let serde_json::Value::Array(items) = value else {
        return RecordAnswer::Done { value };
    };
    let kept = items
        .into_iter()
        .filter(|item| {
            // A closed interaction is anyone's history: only open ones are looked up.
            item["state"] == "closed"
                || item["interaction"]
                    .as_str()
                    .is_some_and(|id| readable(store, agent, id).is_ok())
        })
        .collect();
    RecordAnswer::Done {
        value: serde_json::Value::Array(kept),
    }
}

/// What of an interaction's opening `agent` may read: its history without another agent's
/// open conversations (as [`visible_history`]).
pub fn visible_opening(store: &PgStore, agent: &str, answer: RecordAnswer) -> RecordAnswer {
    let RecordAnswer::Done { value } = answer else {
        return answer;
    };
    match serde_json::from_value::<crate::records_wire::WireOpening>(value) {
        Ok(mut opening) => {
            opening.keep_history(|item| {
                item.state == "closed" || readable(store, agent, &item.interaction).is_ok()
            });
            RecordAnswer::of(Ok(opening))
        }
        Err(e) => RecordAnswer::of::<()>(Err(StoreError::Database {
            doing: "reading an opening",
            reason: e.to_string(),
        })),
    }
}

/// A message a desktop may store: its agent's or a system line, in an interaction it writes.
fn own_message(
    store: &PgStore,
    agent: &str,
    message: &crate::records_wire::WireMessage,
) -> Result<(), String> {
    if role_from_text(&message.role) == Role::Contact || message.provider_id.is_some() {
        return Err("a desktop writes its agent's messages and system lines only".into());
    }
    writable(store, agent, &message.interaction)
}

fn own(agent: &str, whose: &str) -> Result<(), String> {
    if agent == whose {
        Ok(())
    } else {
        Err(format!("{agent} cannot use {whose}'s records"))
    }
}

fn finished(row: &InteractionRow) -> bool {
    row.done || row.state == InteractionState::Closed
}

fn holds(store: &PgStore, agent: &str, row: &InteractionRow) -> Result<bool, String> {
    crate::conference::takes_part(store, agent, row).map_err(|e| e.to_string())
}

fn find(store: &PgStore, id: &str) -> Result<Option<InteractionRow>, String> {
    store.interaction(id).map_err(|e: StoreError| e.to_string())
}

/// The agent holds it, or it is finished (history); an unknown id reads as nothing.
fn readable(store: &PgStore, agent: &str, id: &str) -> Result<(), String> {
    match find(store, id)? {
        Some(row) if !finished(&row) && !holds(store, agent, &row)? => {
            Err(format!("interaction {id} is not {agent}'s"))
        }
        _ => Ok(()),
    }
}

/// The agent holds it; a colleague in its conference writes only while it is open.
fn writable(store: &PgStore, agent: &str, id: &str) -> Result<(), String> {
    let Some(row) = find(store, id)? else {
        return Err(format!("no interaction {id}"));
    };
    if row.agent_id.as_deref() == Some(agent) {
        return Ok(());
    }
    match (holds(store, agent, &row)?, finished(&row)) {
        (true, false) => Ok(()),
        (true, true) => Err(format!("interaction {id} is finished")),
        (false, _) => Err(format!("interaction {id} is not {agent}'s")),
    }
}
