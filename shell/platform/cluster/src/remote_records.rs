//! A desktop's records on the cluster: every record trait method becomes a request to the
//! gateway under the signed-in agent's subject (`P.gw.<agent>.records`), so a desktop holds no
//! database credentials and reads only what the gateway lets its agent read. While the NATS
//! connection is down a call fails at once ("the gateway cannot be reached") instead of
//! waiting, so the window never stalls on a lost network.

use std::sync::Arc;

use serde::de::DeserializeOwned;
use switchboard_sdk::{KeyValue, Timestamp, TranscriptEntry};
use switchboard_seam::records::{
    AgentRecords, AssignedContact, Callback, Contact, ContactRecords, HistoryItem, HistoryRecords,
    InteractionOpening, InteractionRecords, InteractionRow, InteractionState, NewAttachment,
    NewMessage, OpeningAsked, PersonalWord, StoreError, StoredAttachment, WrapUpRecords,
};

use crate::{
    ClusterError,
    records_wire::{
        Base64, RecordAnswer, RecordCall, WireEntry, WireMessage, WireOpening, WireStatus,
    },
};

/// What carries record calls to the gateway: the desktop's link, as its signed-in agent.
pub(crate) trait RecordsCarrier: Send + Sync {
    /// Sends a request with `verb` and returns the answer's bytes.
    fn ask(&self, verb: &str, body: Vec<u8>) -> Result<Vec<u8>, ClusterError>;
}

/// The records of the agent signed in on a desktop, kept by the gateway.
#[derive(Clone)]
pub struct RemoteRecords {
    link: Arc<dyn RecordsCarrier>,
}

fn unreachable(reason: impl Into<String>) -> StoreError {
    StoreError::Open {
        path: "the gateway".into(),
        reason: reason.into(),
    }
}

impl RemoteRecords {
    pub(crate) fn new(link: Arc<dyn RecordsCarrier>) -> Self {
        Self { link }
    }

    fn call<T: DeserializeOwned>(&self, call: RecordCall) -> Result<T, StoreError> {
        let body = serde_json::to_vec(&call).map_err(|e| StoreError::Database {
            doing: "encoding a request",
            reason: e.to_string(),
        })?;
        let answer = self
            .link
            .ask("records", body)
            .map_err(|e| unreachable(e.to_string()))?;
        serde_json::from_slice::<RecordAnswer>(&answer)
            .map_err(|e| StoreError::Database {
                doing: "reading the gateway's answer",
                reason: e.to_string(),
            })?
            .into_result()
    }

    fn entry(&self, call: RecordCall) -> Result<Option<TranscriptEntry>, StoreError> {
        Ok(self
            .call::<Option<WireEntry>>(call)?
            .map(TranscriptEntry::from))
    }
}

impl InteractionRecords for RemoteRecords {
    fn record_opening(
        &self,
        interaction: &InteractionRow,
        message: &NewMessage,
        attachments: &[NewAttachment],
    ) -> Result<Option<TranscriptEntry>, StoreError> {
        self.entry(RecordCall::RecordOpening {
            interaction: interaction.clone(),
            message: WireMessage::from(message),
            attachments: attachments.to_vec(),
        })
    }

    fn interaction(&self, id: &str) -> Result<Option<InteractionRow>, StoreError> {
        self.call(RecordCall::Interaction { id: id.into() })
    }

    fn case_data(&self, id: &str) -> Result<Vec<KeyValue>, StoreError> {
        let values: Vec<(String, String)> = self.call(RecordCall::CaseData { id: id.into() })?;
        Ok(values
            .into_iter()
            .map(|(key, value)| KeyValue {
                key: key.into(),
                value: value.into(),
            })
            .collect())
    }

    fn set_case_value(&self, interaction: &str, key: &str, value: &str) -> Result<(), StoreError> {
        self.call(RecordCall::SetCaseValue {
            interaction: interaction.into(),
            key: key.into(),
            value: value.into(),
        })
    }

    fn opening(&self, asked: &OpeningAsked) -> Option<Result<InteractionOpening, StoreError>> {
        Some(
            self.call::<WireOpening>(RecordCall::Opening {
                asked: asked.clone(),
            })
            .map(InteractionOpening::from),
        )
    }

    fn transcript(&self, id: &str) -> Result<Vec<TranscriptEntry>, StoreError> {
        let entries: Vec<WireEntry> = self.call(RecordCall::Transcript { id: id.into() })?;
        Ok(entries.into_iter().map(TranscriptEntry::from).collect())
    }

    fn insert_message(
        &self,
        message: &NewMessage,
        attachments: &[NewAttachment],
    ) -> Result<Option<TranscriptEntry>, StoreError> {
        self.entry(RecordCall::InsertMessage {
            message: WireMessage::from(message),
            attachments: attachments.to_vec(),
        })
    }

    fn reserve_message_ids(&self, agent: &str, count: usize) -> Result<Vec<i64>, StoreError> {
        self.call(RecordCall::ReserveMessageIds {
            agent: agent.into(),
            count,
        })
    }

    fn insert_reserved_message(
        &self,
        agent: &str,
        id: i64,
        message: &NewMessage,
    ) -> Result<TranscriptEntry, StoreError> {
        self.entry(RecordCall::InsertReservedMessage {
            agent: agent.into(),
            id,
            message: WireMessage::from(message),
        })?
        .ok_or_else(|| StoreError::NotFound(format!("message {id}")))
    }

    fn set_status(
        &self,
        message_id: i64,
        status: &switchboard_sdk::DeliveryStatus,
    ) -> Result<(), StoreError> {
        self.call(RecordCall::SetStatus {
            message_id,
            status: WireStatus::from(status),
        })
    }

    fn set_interaction_state(
        &self,
        id: &str,
        state: InteractionState,
        agent: Option<&str>,
    ) -> Result<(), StoreError> {
        self.call(RecordCall::SetInteractionState {
            id: id.into(),
            state,
            agent: agent.map(str::to_owned),
        })
    }

    fn close_interaction(&self, id: &str, done: bool, at: Timestamp) -> Result<(), StoreError> {
        self.call(RecordCall::CloseInteraction {
            id: id.into(),
            done,
            at: at.0,
        })
    }

    fn held_by(&self, agent: &str) -> Result<Vec<InteractionRow>, StoreError> {
        self.call(RecordCall::HeldBy {
            agent: agent.into(),
        })
    }

    fn consulted(&self, interaction: &str) -> Result<Option<String>, StoreError> {
        self.call(RecordCall::Consulted {
            interaction: interaction.into(),
        })
    }

    fn attachment(&self, id: i64) -> Result<Option<StoredAttachment>, StoreError> {
        self.call(RecordCall::Attachment { id })
    }

    fn attachment_bytes(&self, id: i64) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self
            .call::<Option<Base64>>(RecordCall::AttachmentBytes { id })?
            .and_then(|bytes| bytes.0))
    }
}

impl ContactRecords for RemoteRecords {
    fn contact(&self, id: i64) -> Result<Option<Contact>, StoreError> {
        self.call(RecordCall::Contact { id })
    }

    fn contact_of_interaction(&self, id: &str) -> Result<Option<Contact>, StoreError> {
        self.call(RecordCall::ContactOfInteraction { id: id.into() })
    }

    fn search_contacts(&self, query: &str, limit: usize) -> Result<Vec<Contact>, StoreError> {
        self.call(RecordCall::SearchContacts {
            query: query.into(),
            limit,
        })
    }

    fn update_contact(&self, contact: &Contact) -> Result<(), StoreError> {
        self.call(RecordCall::UpdateContact {
            contact: contact.clone(),
        })
    }

    fn assign_contact(&self, interaction: &str, contact_id: i64) -> Result<(), StoreError> {
        self.call(RecordCall::AssignContact {
            interaction: interaction.into(),
            contact_id,
        })
    }

    fn other_interactions(
        &self,
        contact_id: i64,
        exclude: &str,
        since: Timestamp,
    ) -> Result<usize, StoreError> {
        self.call(RecordCall::OtherInteractions {
            contact_id,
            exclude: exclude.into(),
            since: since.0,
        })
    }

    fn assigned_contacts(
        &self,
        agent: &str,
        limit: usize,
    ) -> Result<Vec<AssignedContact>, StoreError> {
        self.call(RecordCall::AssignedContacts {
            agent: agent.into(),
            limit,
        })
    }

    fn chat_address_of(&self, contact_id: i64) -> Result<Option<String>, StoreError> {
        self.call(RecordCall::ChatAddressOf { contact_id })
    }

    fn mark_contact_read(
        &self,
        agent: &str,
        contact_id: i64,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.call(RecordCall::MarkContactRead {
            agent: agent.into(),
            contact_id,
            now: now.0,
        })
    }
}

impl WrapUpRecords for RemoteRecords {
    fn set_note(&self, id: &str, body: &str, now: Timestamp) -> Result<(), StoreError> {
        self.call(RecordCall::SetNote {
            id: id.into(),
            body: body.into(),
            now: now.0,
        })
    }

    fn note(&self, id: &str) -> Result<Option<String>, StoreError> {
        self.call(RecordCall::Note { id: id.into() })
    }

    fn set_disposition(&self, id: &str, code: &str, now: Timestamp) -> Result<(), StoreError> {
        self.call(RecordCall::SetDisposition {
            id: id.into(),
            code: code.into(),
            now: now.0,
        })
    }

    fn disposition(&self, id: &str) -> Result<Option<String>, StoreError> {
        self.call(RecordCall::Disposition { id: id.into() })
    }

    fn schedule_callback(&self, callback: &Callback, now: Timestamp) -> Result<i64, StoreError> {
        self.call(RecordCall::ScheduleCallback {
            callback: callback.clone(),
            now: now.0,
        })
    }

    fn callbacks_of(&self, agent: &str) -> Result<Vec<Callback>, StoreError> {
        self.call(RecordCall::CallbacksOf {
            agent: agent.into(),
        })
    }

    fn take_due_callbacks(&self, agent: &str, now: Timestamp) -> Result<Vec<Callback>, StoreError> {
        self.call(RecordCall::TakeDueCallbacks {
            agent: agent.into(),
            now: now.0,
        })
    }
}

impl HistoryRecords for RemoteRecords {
    fn history(&self, contact_id: i64, limit: usize) -> Result<Vec<HistoryItem>, StoreError> {
        self.call(RecordCall::History { contact_id, limit })
    }

    fn search_history(
        &self,
        contact_id: i64,
        query: &str,
        limit: usize,
    ) -> Result<Vec<HistoryItem>, StoreError> {
        self.call(RecordCall::SearchHistory {
            contact_id,
            query: query.into(),
            limit,
        })
    }
}

impl AgentRecords for RemoteRecords {
    fn toggle_favourite(&self, agent: &str, kind: &str, id: &str) -> Result<bool, StoreError> {
        self.call(RecordCall::ToggleFavourite {
            agent: agent.into(),
            kind: kind.into(),
            id: id.into(),
        })
    }

    fn favourites(&self, agent: &str) -> Result<Vec<(String, String)>, StoreError> {
        self.call(RecordCall::Favourites {
            agent: agent.into(),
        })
    }

    fn record_recent(
        &self,
        agent: &str,
        kind: &str,
        id: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.call(RecordCall::RecordRecent {
            agent: agent.into(),
            kind: kind.into(),
            id: id.into(),
            now: now.0,
        })
    }

    fn recents(&self, agent: &str, limit: usize) -> Result<Vec<(String, String)>, StoreError> {
        self.call(RecordCall::Recents {
            agent: agent.into(),
            limit,
        })
    }

    fn add_personal_word(&self, agent: &str, language: &str, word: &str) -> Result<(), StoreError> {
        self.call(RecordCall::AddPersonalWord {
            agent: agent.into(),
            language: language.into(),
            word: word.into(),
        })
    }

    fn personal_words(&self, agent: &str) -> Result<Vec<PersonalWord>, StoreError> {
        self.call(RecordCall::PersonalWords {
            agent: agent.into(),
        })
    }

    fn record_pushed_url(&self, list: &str, url: &str, now: Timestamp) -> Result<(), StoreError> {
        self.call(RecordCall::RecordPushedUrl {
            list: list.into(),
            url: url.into(),
            now: now.0,
        })
    }

    fn pushed_urls(&self, list: &str, limit: usize) -> Result<Vec<String>, StoreError> {
        self.call(RecordCall::PushedUrls {
            list: list.into(),
            limit,
        })
    }
}
