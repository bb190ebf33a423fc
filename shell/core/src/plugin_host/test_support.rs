//! What the plugin host's tests share: a platform double that takes every request and has
//! nothing to say (so the tests see what the host itself checks and stores before a platform is
//! asked), and an SMS interaction stored with its first message.

use switchboard_sdk::{DeliveryStatus, Role, Timestamp};

use crate::{
    backend::{Backend, BackendError, BackendEvent, NumberFacts, OutboundMessage, TransferRequest},
    store::{InteractionRecords, InteractionRow, InteractionState, NewMessage},
};

/// Stores SMS interaction `id` from +33612345678 in `state`, held by `agent`, with its first
/// message ("Hello"); the stored row.
pub(super) fn store_sms(
    store: &switchboard_store_sqlite::Store,
    id: &str,
    state: InteractionState,
    agent: Option<&str>,
) -> InteractionRow {
    let row = InteractionRow {
        id: id.to_owned(),
        media_type: "sms".into(),
        contact_name: "+33612345678".into(),
        contact_address: "+33612345678".into(),
        our_address: "+15550100".into(),
        state,
        agent_id: agent.map(str::to_owned),
        created: Timestamp(0),
        done: false,
        case_data: Vec::new(),
    };
    let first = NewMessage {
        interaction: id.to_owned(),
        role: Role::Contact,
        author: "+33612345678".into(),
        author_key: "contact".into(),
        time: Timestamp(0),
        body: "Hello".into(),
        status: DeliveryStatus::None,
        provider_id: None,
        parts: 1,
    };
    store
        .record_opening(&row, &first, &[])
        .expect("interaction stored");
    row
}

/// A platform that takes every request and has nothing to say: these tests are about
/// what the host checks and stores before the platform is asked.
pub(super) struct QuietPlatform;

impl Backend for QuietPlatform {
    fn link_up(&self) -> bool {
        true
    }
    fn sign_in(&self, _: &crate::backend::AgentSession) -> Result<(), BackendError> {
        Ok(())
    }
    fn sign_out(&self, _: &str) -> Result<(), BackendError> {
        Ok(())
    }
    fn set_ready(&self, _: &str, _: &[String], _: bool) -> Result<(), BackendError> {
        Ok(())
    }
    fn answer_offer(&self, _: &str, _: &str, _: bool) -> Result<(), BackendError> {
        Ok(())
    }
    fn send(&self, _: OutboundMessage) -> Result<(), BackendError> {
        Ok(())
    }
    fn transfer(&self, _: TransferRequest) -> Result<(), BackendError> {
        Ok(())
    }
    fn number_facts(&self, _: &str) -> NumberFacts {
        NumberFacts {
            can_receive_sms: true,
            note: String::new(),
        }
    }
    fn close(&self, _: &str) -> Result<(), BackendError> {
        Ok(())
    }
    fn poll(&self) -> Vec<BackendEvent> {
        Vec::new()
    }
    fn set_waker(&self, _: crate::backend::Waker) {}
}
