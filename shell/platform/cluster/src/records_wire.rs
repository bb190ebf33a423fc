//! The record traits as messages: every call a desk makes on its records, as one JSON request
//! a desktop sends to the gateway (`P.gw.<agent>.records`), the gateway's answer, and
//! [`answer`], which runs a call on a store. The transport of the remote store only: who may
//! make which call is [`crate::records_access`]'s job.

use serde::{Deserialize, Serialize, de::DeserializeOwned};
use switchboard_sdk::{
    Attachment, DeliveryStatus, Role, Timestamp, TranscriptEntry,
    abi_stable::std_types::{RNone, RSome},
};
use switchboard_seam::records::HistoryItem;
use switchboard_seam::records::{
    Callback, Contact, InteractionRow, InteractionState, NewAttachment, NewMessage, Records,
    StoreError, TakenAddress, role_from_text, role_to_text, status_from_columns, status_to_columns,
};

/// One call on the records, with its arguments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "call", rename_all = "snake_case")]
#[allow(missing_docs)] // each variant is the record trait method of the same name
pub enum RecordCall {
    RecordOpening {
        interaction: InteractionRow,
        message: WireMessage,
        attachments: Vec<NewAttachment>,
    },
    Interaction {
        id: String,
    },
    CaseData {
        id: String,
    },
    SetCaseValue {
        interaction: String,
        key: String,
        value: String,
    },
    Transcript {
        id: String,
    },
    /// What an interaction opens with, in one round trip.
    Opening {
        asked: switchboard_seam::records::OpeningAsked,
    },
    InsertMessage {
        message: WireMessage,
        attachments: Vec<NewAttachment>,
    },
    ReserveMessageIds {
        agent: String,
        count: usize,
    },
    InsertReservedMessage {
        agent: String,
        id: i64,
        message: WireMessage,
    },
    SetStatus {
        message_id: i64,
        status: WireStatus,
    },
    SetInteractionState {
        id: String,
        state: InteractionState,
        agent: Option<String>,
    },
    CloseInteraction {
        id: String,
        done: bool,
        at: i64,
    },
    HeldBy {
        agent: String,
    },
    Consulted {
        interaction: String,
    },
    Attachment {
        id: i64,
    },
    AttachmentBytes {
        id: i64,
    },
    Contact {
        id: i64,
    },
    ContactOfInteraction {
        id: String,
    },
    SearchContacts {
        query: String,
        limit: usize,
    },
    UpdateContact {
        contact: Contact,
    },
    AssignContact {
        interaction: String,
        contact_id: i64,
    },
    OtherInteractions {
        contact_id: i64,
        exclude: String,
        since: i64,
    },
    AssignedContacts {
        agent: String,
        limit: usize,
    },
    ChatAddressOf {
        contact_id: i64,
    },
    MarkContactRead {
        agent: String,
        contact_id: i64,
        now: i64,
    },
    SetNote {
        id: String,
        body: String,
        now: i64,
    },
    Note {
        id: String,
    },
    SetDisposition {
        id: String,
        code: String,
        now: i64,
    },
    Disposition {
        id: String,
    },
    ScheduleCallback {
        callback: Callback,
        now: i64,
    },
    CallbacksOf {
        agent: String,
    },
    TakeDueCallbacks {
        agent: String,
        now: i64,
    },
    History {
        contact_id: i64,
        limit: usize,
    },
    SearchHistory {
        contact_id: i64,
        query: String,
        limit: usize,
    },
    ToggleFavourite {
        agent: String,
        kind: String,
        id: String,
    },
    Favourites {
        agent: String,
    },
    RecordRecent {
        agent: String,
        kind: String,
        id: String,
        now: i64,
    },
    Recents {
        agent: String,
        limit: usize,
    },
    AddPersonalWord {
        agent: String,
        /// Empty from a desktop built before dictionaries had languages: every language.
        #[serde(default)]
        language: String,
        word: String,
    },
    PersonalWords {
        agent: String,
    },
    RecordPushedUrl {
        list: String,
        url: String,
        now: i64,
    },
    PushedUrls {
        list: String,
        limit: usize,
    },
}

/// The gateway's answer to a record call: the method's result as JSON, or its error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum RecordAnswer {
    /// The method's result.
    Done {
        /// The value, read back as the method's return type.
        value: serde_json::Value,
    },
    /// The method's error.
    Failed {
        /// The error.
        error: WireStoreError,
    },
}

impl RecordAnswer {
    /// The answer for a method's result.
    pub fn of<T: Serialize>(result: Result<T, StoreError>) -> Self {
        match result.and_then(|value| {
            serde_json::to_value(value).map_err(|e| StoreError::Database {
                doing: "encoding an answer",
                reason: e.to_string(),
            })
        }) {
            Ok(value) => RecordAnswer::Done { value },
            Err(error) => RecordAnswer::Failed {
                error: WireStoreError::from(&error),
            },
        }
    }

    /// The method's result, read as `T`.
    pub fn into_result<T: DeserializeOwned>(self) -> Result<T, StoreError> {
        match self {
            RecordAnswer::Done { value } => {
                serde_json::from_value(value).map_err(|e| StoreError::Database {
                    doing: "reading the gateway's answer",
                    reason: e.to_string(),
                })
            }
            RecordAnswer::Failed { error } => Err(error.into()),
        }
    }
}

/// A store error on the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WireStoreError {
    /// A record the request names does not exist.
    NotFound {
        /// What.
        what: String,
    },
    /// An address already belongs to another contact.
    AddressTaken {
        /// Which, and whose.
        taken: TakenAddress,
    },
    /// The agent is not signed in on this gateway (one that just took over).
    NotSignedIn {
        /// Who.
        agent: String,
    },
    /// Anything else, in words (the database's failure, a refusal by the gateway).
    Failed {
        /// The whole message.
        reason: String,
    },
}

impl From<&StoreError> for WireStoreError {
    fn from(error: &StoreError) -> Self {
        match error {
            StoreError::NotFound(what) => WireStoreError::NotFound { what: what.clone() },
            StoreError::AddressTaken(taken) => WireStoreError::AddressTaken {
                taken: taken.clone(),
            },
            other => WireStoreError::Failed {
                reason: other.to_string(),
            },
        }
    }
}

impl From<WireStoreError> for StoreError {
    fn from(error: WireStoreError) -> Self {
        match error {
            WireStoreError::NotFound { what } => StoreError::NotFound(what),
            WireStoreError::AddressTaken { taken } => StoreError::AddressTaken(taken),
            WireStoreError::NotSignedIn { agent } => StoreError::Database {
                doing: "asking the gateway",
                reason: format!("{agent} is not signed in"),
            },
            WireStoreError::Failed { reason } => StoreError::Database {
                doing: "asking the gateway",
                reason,
            },
        }
    }
}

/// A delivery status on the wire: its stored name and failure reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WireStatus {
    name: String,
    reason: Option<String>,
}

impl From<&DeliveryStatus> for WireStatus {
    fn from(status: &DeliveryStatus) -> Self {
        let (name, reason) = status_to_columns(status);
        Self {
            name: name.to_owned(),
            reason,
        }
    }
}

impl From<WireStatus> for DeliveryStatus {
    fn from(status: WireStatus) -> Self {
        status_from_columns(&status.name, status.reason)
    }
}

/// A message to store, on the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)] // the fields of `NewMessage`
pub struct WireMessage {
    pub interaction: String,
    pub role: String,
    pub author: String,
    pub author_key: String,
    pub time: i64,
    pub body: String,
    pub status: WireStatus,
    pub provider_id: Option<String>,
    pub parts: usize,
}

impl From<&NewMessage> for WireMessage {
    fn from(m: &NewMessage) -> Self {
        Self {
            interaction: m.interaction.clone(),
            role: role_to_text(m.role).to_owned(),
            author: m.author.clone(),
            author_key: m.author_key.clone(),
            time: m.time.0,
            body: m.body.clone(),
            status: WireStatus::from(&m.status),
            provider_id: m.provider_id.clone(),
            parts: m.parts,
        }
    }
}

impl From<WireMessage> for NewMessage {
    fn from(m: WireMessage) -> Self {
        Self {
            interaction: m.interaction,
            role: role_from_text(&m.role),
            author: m.author,
            author_key: m.author_key,
            time: Timestamp(m.time),
            body: m.body,
            status: m.status.into(),
            provider_id: m.provider_id,
            parts: m.parts,
        }
    }
}

/// What an interaction opens with, on the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WireOpening {
    transcript: Vec<WireEntry>,
    contact: Option<Contact>,
    note: Option<String>,
    disposition: Option<String>,
    consults: Option<String>,
    other_interactions: usize,
    pushed_urls: Vec<String>,
    history: Vec<HistoryItem>,
}

impl WireOpening {
    /// Leaves out of its history what `keep` refuses (the gateway's visibility rule).
    pub fn keep_history(&mut self, keep: impl Fn(&HistoryItem) -> bool) {
        self.history.retain(keep);
    }
}

impl From<&switchboard_seam::records::InteractionOpening> for WireOpening {
    fn from(o: &switchboard_seam::records::InteractionOpening) -> Self {
        Self {
            transcript: o.transcript.iter().map(WireEntry::from).collect(),
            contact: o.contact.clone(),
            note: o.note.clone(),
            disposition: o.disposition.clone(),
            consults: o.consults.clone(),
            other_interactions: o.other_interactions,
            pushed_urls: o.pushed_urls.clone(),
            history: o.history.clone(),
        }
    }
}

impl From<WireOpening> for switchboard_seam::records::InteractionOpening {
    fn from(w: WireOpening) -> Self {
        Self {
            transcript: w
                .transcript
                .into_iter()
                .map(TranscriptEntry::from)
                .collect(),
            contact: w.contact,
            note: w.note,
            disposition: w.disposition,
            consults: w.consults,
            other_interactions: w.other_interactions,
            pushed_urls: w.pushed_urls,
            history: w.history,
        }
    }
}

/// A transcript entry on the wire, whole: attachments (ids, names, sizes), status, provider id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WireEntry {
    id: i64,
    interaction: String,
    role: String,
    author: String,
    author_key: String,
    time: i64,
    text: String,
    #[serde(default)]
    attachments: Vec<(i64, String, String, u64)>,
    #[serde(default = "no_status")]
    status: WireStatus,
    #[serde(default)]
    provider_id: Option<String>,
}

fn no_status() -> WireStatus {
    WireStatus::from(&DeliveryStatus::None)
}

impl From<&TranscriptEntry> for WireEntry {
    fn from(e: &TranscriptEntry) -> Self {
        Self {
            id: e.id,
            interaction: e.interaction.to_string(),
            role: role_to_text(e.role().unwrap_or(Role::System)).to_owned(),
            author: e.author.to_string(),
            author_key: e.author_key.to_string(),
            time: e.time.0,
            text: e.text.to_string(),
            attachments: e
                .attachments
                .iter()
                .map(|a| (a.id, a.media_type.to_string(), a.name.to_string(), a.size))
                .collect(),
            status: e
                .status
                .as_enum()
                .map(WireStatus::from)
                .unwrap_or_else(|_| no_status()),
            provider_id: e.provider_id.as_ref().map(|p| p.to_string()).into_option(),
        }
    }
}

impl From<WireEntry> for TranscriptEntry {
    fn from(w: WireEntry) -> Self {
        TranscriptEntry {
            id: w.id,
            interaction: w.interaction.into(),
            role: role_from_text(&w.role).into(),
            author: w.author.into(),
            author_key: w.author_key.into(),
            time: Timestamp(w.time),
            text: w.text.into(),
            attachments: w
                .attachments
                .into_iter()
                .map(|(id, media_type, name, size)| Attachment {
                    id,
                    media_type: media_type.into(),
                    name: name.into(),
                    size,
                })
                .collect(),
            status: DeliveryStatus::from(w.status).into(),
            provider_id: match w.provider_id {
                Some(id) => RSome(id.into()),
                None => RNone,
            },
        }
    }
}

fn entries(found: Result<Vec<TranscriptEntry>, StoreError>) -> RecordAnswer {
    RecordAnswer::of(found.map(|entries| entries.iter().map(WireEntry::from).collect::<Vec<_>>()))
}

fn entry(found: Result<Option<TranscriptEntry>, StoreError>) -> RecordAnswer {
    RecordAnswer::of(found.map(|entry| entry.as_ref().map(WireEntry::from)))
}

/// Runs one call on a store and answers with its result.
pub fn answer(store: &dyn Records, call: RecordCall) -> RecordAnswer {
    use RecordCall as C;
    match call {
        C::RecordOpening {
            interaction,
            message,
            attachments,
        } => entry(store.record_opening(&interaction, &message.into(), &attachments)),
        C::Interaction { id } => RecordAnswer::of(store.interaction(&id)),
        C::CaseData { id } => RecordAnswer::of(store.case_data(&id).map(|values| {
            values
                .iter()
                .map(|kv| (kv.key.to_string(), kv.value.to_string()))
                .collect::<Vec<_>>()
        })),
        C::SetCaseValue {
            interaction,
            key,
            value,
        } => RecordAnswer::of(store.set_case_value(&interaction, &key, &value)),
        C::Transcript { id } => entries(store.transcript(&id)),
        C::Opening { asked } => RecordAnswer::of(
            switchboard_seam::records::read_opening(store, &asked).map(|o| WireOpening::from(&o)),
        ),
        C::InsertMessage {
            message,
            attachments,
        } => entry(store.insert_message(&message.into(), &attachments)),
        C::ReserveMessageIds { agent, count } => {
            RecordAnswer::of(store.reserve_message_ids(&agent, count))
        }
        C::InsertReservedMessage { agent, id, message } => entry(
            store
                .insert_reserved_message(&agent, id, &message.into())
                .map(Some),
        ),
        C::SetStatus { message_id, status } => {
            RecordAnswer::of(store.set_status(message_id, &status.into()))
        }
        C::SetInteractionState { id, state, agent } => {
            RecordAnswer::of(store.set_interaction_state(&id, state, agent.as_deref()))
        }
        C::CloseInteraction { id, done, at } => {
            RecordAnswer::of(store.close_interaction(&id, done, Timestamp(at)))
        }
        C::HeldBy { agent } => RecordAnswer::of(store.held_by(&agent)),
        C::Consulted { interaction } => RecordAnswer::of(store.consulted(&interaction)),
        C::Attachment { id } => RecordAnswer::of(store.attachment(id)),
        C::AttachmentBytes { id } => RecordAnswer::of(
            store
                .attachment_bytes(id)
                .map(|bytes| bytes.map(|bytes| Base64(Some(bytes)))),
        ),
        C::Contact { id } => RecordAnswer::of(store.contact(id)),
        C::ContactOfInteraction { id } => RecordAnswer::of(store.contact_of_interaction(&id)),
        C::SearchContacts { query, limit } => {
            RecordAnswer::of(store.search_contacts(&query, limit))
        }
        C::UpdateContact { contact } => RecordAnswer::of(store.update_contact(&contact)),
        C::AssignContact {
            interaction,
            contact_id,
        } => RecordAnswer::of(store.assign_contact(&interaction, contact_id)),
        C::OtherInteractions {
            contact_id,
            exclude,
            since,
        } => RecordAnswer::of(store.other_interactions(contact_id, &exclude, Timestamp(since))),
        C::AssignedContacts { agent, limit } => {
            RecordAnswer::of(store.assigned_contacts(&agent, limit))
        }
        C::ChatAddressOf { contact_id } => RecordAnswer::of(store.chat_address_of(contact_id)),
        C::MarkContactRead {
            agent,
            contact_id,
            now,
        } => RecordAnswer::of(store.mark_contact_read(&agent, contact_id, Timestamp(now))),
        C::SetNote { id, body, now } => {
            RecordAnswer::of(store.set_note(&id, &body, Timestamp(now)))
        }
        C::Note { id } => RecordAnswer::of(store.note(&id)),
        C::SetDisposition { id, code, now } => {
            RecordAnswer::of(store.set_disposition(&id, &code, Timestamp(now)))
        }
        C::Disposition { id } => RecordAnswer::of(store.disposition(&id)),
        C::ScheduleCallback { callback, now } => {
            RecordAnswer::of(store.schedule_callback(&callback, Timestamp(now)))
        }
        C::CallbacksOf { agent } => RecordAnswer::of(store.callbacks_of(&agent)),
        C::TakeDueCallbacks { agent, now } => {
            RecordAnswer::of(store.take_due_callbacks(&agent, Timestamp(now)))
        }
        C::History { contact_id, limit } => RecordAnswer::of(store.history(contact_id, limit)),
        C::SearchHistory {
            contact_id,
            query,
            limit,
        } => RecordAnswer::of(store.search_history(contact_id, &query, limit)),
        C::ToggleFavourite { agent, kind, id } => {
            RecordAnswer::of(store.toggle_favourite(&agent, &kind, &id))
        }
        C::Favourites { agent } => RecordAnswer::of(store.favourites(&agent)),
        C::RecordRecent {
            agent,
            kind,
            id,
            now,
        } => RecordAnswer::of(store.record_recent(&agent, &kind, &id, Timestamp(now))),
        C::Recents { agent, limit } => RecordAnswer::of(store.recents(&agent, limit)),
        C::AddPersonalWord {
            agent,
            language,
            word,
        } => RecordAnswer::of(store.add_personal_word(&agent, &language, &word)),
        C::PersonalWords { agent } => RecordAnswer::of(store.personal_words(&agent)),
        C::RecordPushedUrl { list, url, now } => {
            RecordAnswer::of(store.record_pushed_url(&list, &url, Timestamp(now)))
        }
        C::PushedUrls { list, limit } => RecordAnswer::of(store.pushed_urls(&list, limit)),
    }
}

/// Bytes as base64 text on the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Base64(
    #[serde(with = "switchboard_seam::records::serde_forms::optional_bytes")] pub Option<Vec<u8>>,
);
