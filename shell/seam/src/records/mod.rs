//! The records the desk, the plugin host and the UI read and write, and the traits a store
//! implements to keep them: interactions and their messages, contacts, notes, dispositions,
//! callbacks, history search and what an agent keeps for themselves (favourites, recents,
//! personal words, pushed links).
//!
//! The desk holds a `dyn Records` and never names a database. The SQLite store implements these
//! traits on the desktop; a networked store implements the same ones, and
//! [`conformance`] holds the tests every implementation passes.

mod assigned;
mod attachments;
mod callbacks;
pub mod conformance;
mod contacts;
mod history;
mod interactions;
mod line_ref;
mod opening;
mod party;
pub mod serde_forms;

use switchboard_sdk::{DeliveryStatus, KeyValue, Timestamp, TranscriptEntry};

pub use assigned::AssignedContact;
pub use attachments::{NewAttachment, StoredAttachment};
pub use callbacks::Callback;
pub use contacts::{
    Contact, ContactField, ContactPoint, ContactProblem, POINT_LABELS, PointKind, TakenAddress,
    match_key,
};
pub use history::{HistoryItem, HistoryQuery, fold, words};
pub use interactions::{
    InteractionRow, InteractionState, NewMessage, role_from_text, role_to_text,
    status_from_columns, status_to_columns,
};
pub use line_ref::LineRef;
pub use opening::{InteractionOpening, OPENING_HISTORY, OpeningAsked, read_opening};
pub use party::Party;

/// A store failure, naming what was being done.
#[derive(Debug, Clone, thiserror::Error, PartialEq)]
pub enum StoreError {
    /// The database refused or failed.
    #[error("database error while {doing}: {reason}")]
    Database {
        /// What the store was doing.
        doing: &'static str,
        /// What the database said.
        reason: String,
    },
    /// A record the request names does not exist.
    #[error("no {0} in the store")]
    NotFound(String),
    /// An edited contact has an address another contact already has.
    #[error("{} already belongs to the contact {}", .0.address, .0.owner)]
    AddressTaken(TakenAddress),
    /// The database could not be opened or reached.
    #[error("cannot open the database {path}: {reason}")]
    Open {
        /// The file or address.
        path: String,
        /// Why.
        reason: String,
    },
}

/// The most message ids one reservation sets aside.
pub const MAX_RESERVED_IDS: usize = 256;

/// The refusal of a message id that was not reserved for the agent storing it.
pub fn not_reserved(agent: &str, id: i64) -> StoreError {
    StoreError::NotFound(format!("message id {id} reserved for {agent}"))
}

/// The list of earlier pushed links an agent sees for a contact: one customer's tracking link
/// is never offered to another customer.
pub fn pushed_list(agent: &str, contact: i64) -> String {
    format!("{agent}@contact:{contact}")
}

/// Interactions, their case data, messages and attachments.
pub trait InteractionRecords: Send + Sync {
    /// Records a message that opens a new interaction, in one transaction: the contact (found
    /// by address, or a new record for an unknown sender), the interaction, its case data, the
    /// message and its attachments. Returns `None` when a message with the same provider id
    /// was stored already (a redelivered webhook), storing nothing.
    fn record_opening(
        &self,
        interaction: &InteractionRow,
        message: &NewMessage,
        attachments: &[NewAttachment],
    ) -> Result<Option<TranscriptEntry>, StoreError>;

    /// The interaction, if it exists.
    fn interaction(&self, id: &str) -> Result<Option<InteractionRow>, StoreError>;

    /// What an interaction opens with, in one read, when these records can do better than
    /// [`read_opening`]'s call by call (records across a network: one round trip). `None`:
    /// read it call by call.
    fn opening(&self, asked: &OpeningAsked) -> Option<Result<InteractionOpening, StoreError>> {
        let _ = asked;
        None
    }

    /// The case data of an interaction, by key.
    fn case_data(&self, id: &str) -> Result<Vec<KeyValue>, StoreError>;

    /// Sets one case-data value of an interaction (added or replaced).
    fn set_case_value(&self, interaction: &str, key: &str, value: &str) -> Result<(), StoreError>;

    /// All entries of an interaction, oldest first, with their attachments' thumbnails.
    fn transcript(&self, id: &str) -> Result<Vec<TranscriptEntry>, StoreError>;

    /// Stores one message (all its parts, and its attachments) in an existing interaction, in
    /// one transaction. Returns `None` for a provider id stored already (a redelivered webhook).
    fn insert_message(
        &self,
        message: &NewMessage,
        attachments: &[NewAttachment],
    ) -> Result<Option<TranscriptEntry>, StoreError>;

    /// Sets aside `count` message ids (at most [`MAX_RESERVED_IDS`]) for `agent`'s desktop: it
    /// shows a reply with its id at once and stores it later with
    /// [`InteractionRecords::insert_reserved_message`]; no other message takes them.
    fn reserve_message_ids(&self, agent: &str, count: usize) -> Result<Vec<i64>, StoreError>;

    /// Stores a message under an id reserved for `agent`, in one transaction; refused when the
    /// id was not reserved for them or was used already.
    fn insert_reserved_message(
        &self,
        agent: &str,
        id: i64,
        message: &NewMessage,
    ) -> Result<TranscriptEntry, StoreError>;

    /// Updates the delivery status of an outbound message.
    fn set_status(&self, message_id: i64, status: &DeliveryStatus) -> Result<(), StoreError>;

    /// Records an interaction's state and, when given, the agent handling it.
    fn set_interaction_state(
        &self,
        id: &str,
        state: InteractionState,
        agent: Option<&str>,
    ) -> Result<(), StoreError>;

    /// Closes an interaction; `done` records that the agent finished it.
    fn close_interaction(&self, id: &str, done: bool, at: Timestamp) -> Result<(), StoreError>;

    /// What an agent holds: interactions accepted (or ended, awaiting wrap-up) by them and not
    /// done, oldest first; what a desktop opens again at sign-in after a crash or a restart.
    fn held_by(&self, agent: &str) -> Result<Vec<InteractionRow>, StoreError>;

    /// The customer interaction a consultation is about, when it is one.
    fn consulted(&self, interaction: &str) -> Result<Option<String>, StoreError>;

    /// A stored attachment with its thumbnail (not its bytes).
    fn attachment(&self, id: i64) -> Result<Option<StoredAttachment>, StoreError>;

    /// The checked bytes of an attachment; `None` when it failed the checks.
    fn attachment_bytes(&self, id: i64) -> Result<Option<Vec<u8>>, StoreError>;
}

/// Contact records and which interactions they had.
pub trait ContactRecords: Send + Sync {
    /// The contact with this id.
    fn contact(&self, id: i64) -> Result<Option<Contact>, StoreError>;

    /// The contact an interaction is with.
    fn contact_of_interaction(&self, id: &str) -> Result<Option<Contact>, StoreError>;

    /// Known contacts whose name, phone or e-mail contain `query`.
    fn search_contacts(&self, query: &str, limit: usize) -> Result<Vec<Contact>, StoreError>;

    /// Saves an agent's edit of a contact (making a record of an unknown sender known):
    /// refused with [`StoreError::AddressTaken`] when one of its addresses is someone else's.
    fn update_contact(&self, contact: &Contact) -> Result<(), StoreError>;

    /// Assigns an interaction to another contact; its history moves with it.
    fn assign_contact(&self, interaction: &str, contact_id: i64) -> Result<(), StoreError>;

    /// How many other interactions of the contact are open or were created since `since`.
    fn other_interactions(
        &self,
        contact_id: i64,
        exclude: &str,
        since: Timestamp,
    ) -> Result<usize, StoreError>;

    /// The contacts an agent handled, newest activity first, with unread counts.
    fn assigned_contacts(
        &self,
        agent: &str,
        limit: usize,
    ) -> Result<Vec<AssignedContact>, StoreError>;

    /// The address of a contact's newest web chat, if they chatted.
    fn chat_address_of(&self, contact_id: i64) -> Result<Option<String>, StoreError>;

    /// Records that an agent read a contact's conversations up to `now`.
    fn mark_contact_read(
        &self,
        agent: &str,
        contact_id: i64,
        now: Timestamp,
    ) -> Result<(), StoreError>;
}

/// What an agent records about an interaction: notes, dispositions, callbacks.
pub trait WrapUpRecords: Send + Sync {
    /// Saves the agent's note on an interaction (replacing the previous one).
    fn set_note(&self, id: &str, body: &str, now: Timestamp) -> Result<(), StoreError>;

    /// The agent's note on an interaction.
    fn note(&self, id: &str) -> Result<Option<String>, StoreError>;

    /// Records the disposition code of an interaction.
    fn set_disposition(&self, id: &str, code: &str, now: Timestamp) -> Result<(), StoreError>;

    /// The disposition code of an interaction.
    fn disposition(&self, id: &str) -> Result<Option<String>, StoreError>;

    /// Stores a callback; returns its id.
    fn schedule_callback(&self, callback: &Callback, now: Timestamp) -> Result<i64, StoreError>;

    /// An agent's callbacks, soonest first.
    fn callbacks_of(&self, agent: &str) -> Result<Vec<Callback>, StoreError>;

    /// The agent's callbacks that fell due by `now` and were not notified yet (they are marked
    /// notified, so each is returned once).
    fn take_due_callbacks(&self, agent: &str, now: Timestamp) -> Result<Vec<Callback>, StoreError>;
}

/// A contact's history and its full-text search.
pub trait HistoryRecords: Send + Sync {
    /// The contact's interactions, newest first.
    fn history(&self, contact_id: i64, limit: usize) -> Result<Vec<HistoryItem>, StoreError>;

    /// The contact's interactions whose transcript or note match `query` (every word, as a
    /// prefix, accents and case folded), best first, each with a matching excerpt. An empty
    /// query lists the history.
    fn search_history(
        &self,
        contact_id: i64,
        query: &str,
        limit: usize,
    ) -> Result<Vec<HistoryItem>, StoreError>;
}

/// A word of an agent's personal dictionary, in the language it was added for (empty: every
/// language).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PersonalWord {
    /// Language tag (`en`, `fr`), or empty for every language.
    pub language: String,
    /// The word as the agent added it.
    pub word: String,
}

/// What an agent keeps for themselves: Team Communicator favourites and recents, personal
/// dictionary words, links pushed to customers.
pub trait AgentRecords: Send + Sync {
    /// Adds or removes a favourite; true when it is one afterwards.
    fn toggle_favourite(&self, agent: &str, kind: &str, id: &str) -> Result<bool, StoreError>;

    /// An agent's favourites as (kind, id).
    fn favourites(&self, agent: &str) -> Result<Vec<(String, String)>, StoreError>;

    /// Records that an agent used a target.
    fn record_recent(
        &self,
        agent: &str,
        kind: &str,
        id: &str,
        now: Timestamp,
    ) -> Result<(), StoreError>;

    /// An agent's recently used targets as (kind, id), most recent first.
    fn recents(&self, agent: &str, limit: usize) -> Result<Vec<(String, String)>, StoreError>;

    /// Adds a word to an agent's personal dictionary for one language (`en`, `fr`).
    fn add_personal_word(&self, agent: &str, language: &str, word: &str) -> Result<(), StoreError>;

    /// An agent's personal dictionary, by word then language. Words added before
    /// dictionaries had languages have an empty language: they count in every language.
    fn personal_words(&self, agent: &str) -> Result<Vec<PersonalWord>, StoreError>;

    /// Records a link pushed on a list of earlier links (see [`pushed_list`]: one per agent and
    /// contact).
    fn record_pushed_url(&self, list: &str, url: &str, now: Timestamp) -> Result<(), StoreError>;

    /// The links of a list, newest first, each once.
    fn pushed_urls(&self, list: &str, limit: usize) -> Result<Vec<String>, StoreError>;
}

/// Everything the desk keeps: one object implementing every record trait.
pub trait Records:
    InteractionRecords + ContactRecords + WrapUpRecords + HistoryRecords + AgentRecords
{
}

impl<T> Records for T where
    T: InteractionRecords + ContactRecords + WrapUpRecords + HistoryRecords + AgentRecords
{
}
