//! SQLite persistence: contacts, interactions, messages, notes, dispositions, case data.
//!
//! WAL with `synchronous=FULL`: a message an agent saw survives a power cut. Inbound messages
//! are committed before the UI shows them, outbound ones before they go to the platform, and
//! the provider's message id is UNIQUE so a redelivered webhook is stored once.

mod assigned;
mod callbacks;
mod contacts;
mod history;
mod internal;
mod media;
mod rows;
mod schema;
mod synthetic;
mod team;

use std::{
    path::Path,
    sync::{Arc, Mutex, MutexGuard},
};

use rusqlite::{Connection, params};
use switchboard_sdk::{DeliveryStatus, KeyValue, Role, Timestamp, TranscriptEntry};

pub use assigned::AssignedContact;
pub use callbacks::Callback;
pub use contacts::{
    Contact, ContactField, ContactPoint, ContactProblem, POINT_LABELS, PointKind, TakenAddress,
    match_key,
};
pub use history::HistoryItem;
pub use internal::Party;
pub use media::{NewAttachment, StoredAttachment};
pub use rows::{InteractionRow, NewMessage};
/// The schema version this build writes.
pub use schema::CURRENT_VERSION as SCHEMA_VERSION;

/// A store failure, naming what was being done.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite refused.
    #[error("database error while {doing}: {source}")]
    Sqlite {
        /// What the store was doing.
        doing: &'static str,
        /// The SQLite error.
        source: rusqlite::Error,
    },
    /// A record the request names does not exist.
    #[error("no {0} in the store")]
    NotFound(String),
    /// An edited contact has an address another contact already has.
    #[error("{} already belongs to the contact {}", .0.address, .0.owner)]
    AddressTaken(TakenAddress),
    /// The database file could not be opened or created.
    #[error("cannot open the database {path}: {reason}")]
    Open {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
}

trait Doing<T> {
    fn doing(self, doing: &'static str) -> Result<T, StoreError>;
}

impl<T> Doing<T> for Result<T, rusqlite::Error> {
    fn doing(self, doing: &'static str) -> Result<T, StoreError> {
        self.map_err(|source| StoreError::Sqlite { doing, source })
    }
}

/// The store. Cheap to clone; clones share one connection.
#[derive(Clone)]
pub struct Store {
    connection: Arc<Mutex<Connection>>,
}

impl Store {
    /// Opens (or creates) the database file and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| StoreError::Open {
                path: path.display().to_string(),
                reason: e.to_string(),
            })?;
        }
        let connection = Connection::open(path).map_err(|e| StoreError::Open {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        Self::from_connection(connection)
    }

    /// A private in-memory database (tests, benchmarks).
    pub fn open_in_memory() -> Result<Self, StoreError> {
        Self::from_connection(Connection::open_in_memory().doing("opening in memory")?)
    }

    fn from_connection(mut connection: Connection) -> Result<Self, StoreError> {
        connection
            .execute_batch(
                "PRAGMA journal_mode = WAL;
                 PRAGMA synchronous = FULL;
                 PRAGMA foreign_keys = ON;
                 PRAGMA busy_timeout = 5000;",
            )
            .doing("setting durability pragmas")?;
        schema::migrate(&mut connection).doing("migrating the schema")?;
        Ok(Self {
            connection: Arc::new(Mutex::new(connection)),
        })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        self.connection.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `load` with commits not synced one by one (`synchronous = NORMAL`), for
    /// regenerable bulk data such as the demo history; full durability returns after.
    pub fn bulk_load<T>(
        &self,
        load: impl FnOnce() -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.conn()
            .execute_batch("PRAGMA synchronous = NORMAL;")
            .doing("relaxing durability for a bulk load")?;
        let result = load();
        self.conn()
            .execute_batch("PRAGMA synchronous = FULL;")
            .doing("restoring durability after a bulk load")?;
        result
    }

    /// The schema version after migrations.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        self.conn()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .doing("reading the schema version")
    }

    /// Records an inbound message that opens a new interaction, in one transaction: the
    /// contact (found or created by address), the interaction, its case data and the message.
    /// Returns `None` when a message with the same provider id was stored already.
    pub fn record_inbound_opening(
        &self,
        interaction: &InteractionRow,
        message: &NewMessage,
    ) -> Result<Option<TranscriptEntry>, StoreError> {
        self.record_inbound_opening_with(interaction, message, &[])
    }

    /// [`Store::record_inbound_opening`] with media items stored in the same transaction.
    pub fn record_inbound_opening_with(
        &self,
        interaction: &InteractionRow,
        message: &NewMessage,
        attachments: &[NewAttachment],
    ) -> Result<Option<TranscriptEntry>, StoreError> {
        let mut conn = self.conn();
        let tx = conn
            .transaction()
            .doing("starting an inbound transaction")?;
        if rows::already_stored(&tx, message).doing("checking for a redelivered message")? {
            return Ok(None);
        }
        let contact_id = contacts::find_or_create_contact(
            &tx,
            &interaction.contact_address,
            &interaction.contact_name,
            interaction.created,
        )
        .doing("finding the contact")?;
        rows::insert_interaction(&tx, interaction, contact_id).doing("storing the interaction")?;
        let mut entry = rows::insert_message(&tx, message).doing("storing the message")?;
        media::insert_attachments(&tx, &mut entry, attachments)
            .doing("storing the message's media")?;
        tx.commit().doing("committing the inbound message")?;
        Ok(Some(entry))
    }

    /// Sets one case-data value of an interaction (added or replaced).
    pub fn set_case_value(
        &self,
        interaction: &str,
        key: &str,
        value: &str,
    ) -> Result<(), StoreError> {
        self.conn()
            .execute(
                "INSERT INTO case_data (interaction_id, key, value) VALUES (?1, ?2, ?3)
                 ON CONFLICT (interaction_id, key) DO UPDATE SET value = excluded.value",
                params![interaction, key, value],
            )
            .doing("saving a case-data value")?;
        Ok(())
    }

    /// The open (not closed, not done) interaction of a media type with a contact address,
    /// newest first: where a session-mode SMS joins.
    pub fn open_interaction_with(
        &self,
        address: &str,
        media_type: &str,
    ) -> Result<Option<InteractionRow>, StoreError> {
        rows::open_interaction_with(&self.conn(), address, media_type)
            .doing("looking for an open session")
    }

    /// A stored attachment with its thumbnail (not its bytes).
    pub fn attachment(&self, id: i64) -> Result<Option<StoredAttachment>, StoreError> {
        media::attachment(&self.conn(), id).doing("reading an attachment")
    }

    /// The checked bytes of an attachment; `None` when it failed the checks.
    pub fn attachment_bytes(&self, id: i64) -> Result<Option<Vec<u8>>, StoreError> {
        media::attachment_bytes(&self.conn(), id).doing("reading an attachment's bytes")
    }

    /// Remembers the provider's id of one sent SMS part, so its delivery report finds the
    /// message.
    pub fn record_part(&self, provider_id: &str, message_id: i64) -> Result<(), StoreError> {
        media::record_part(&self.conn(), provider_id, message_id).doing("recording a sent part")
    }

    /// The message (and its interaction) a provider's part id belongs to.
    pub fn message_of_part(&self, provider_id: &str) -> Result<Option<(i64, String)>, StoreError> {
        media::message_of_part(&self.conn(), provider_id).doing("finding a sent part")
    }

    /// Stores one message in an existing interaction and commits it. Returns `None` for a
    /// redelivered provider id.
    pub fn insert_message(
        &self,
        message: &NewMessage,
    ) -> Result<Option<TranscriptEntry>, StoreError> {
        let conn = self.conn();
        if rows::already_stored(&conn, message).doing("checking for a redelivered message")? {
            return Ok(None);
        }
        rows::insert_message(&conn, message)
            .map(Some)
            .doing("storing a message")
    }

    /// [`Store::insert_message`] with media items stored in the same transaction (a later
    /// message with images joining an open conversation).
    pub fn insert_message_with(
        &self,
        message: &NewMessage,
        attachments: &[NewAttachment],
    ) -> Result<Option<TranscriptEntry>, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction().doing("starting to store a message")?;
        if rows::already_stored(&tx, message).doing("checking for a redelivered message")? {
            return Ok(None);
        }
        let mut entry = rows::insert_message(&tx, message).doing("storing a message")?;
        media::insert_attachments(&tx, &mut entry, attachments)
            .doing("storing the message's media")?;
        tx.commit().doing("committing a message")?;
        Ok(Some(entry))
    }

    /// The interaction, if it exists.
    pub fn interaction(&self, id: &str) -> Result<Option<InteractionRow>, StoreError> {
        rows::interaction(&self.conn(), id).doing("reading an interaction")
    }

    /// The case data of an interaction, by key.
    pub fn case_data(&self, id: &str) -> Result<Vec<KeyValue>, StoreError> {
        rows::case_data(&self.conn(), id).doing("reading case data")
    }

    /// All entries of an interaction, oldest first.
    pub fn transcript(&self, id: &str) -> Result<Vec<TranscriptEntry>, StoreError> {
        let conn = self.conn();
        let mut entries = rows::transcript(&conn, id).doing("reading a transcript")?;
        media::attach_to_transcript(&conn, id, &mut entries)
            .doing("reading a transcript's media")?;
        Ok(entries)
    }

    /// Updates the delivery status of an outbound message.
    pub fn set_status(&self, message_id: i64, status: &DeliveryStatus) -> Result<(), StoreError> {
        let (text, reason) = rows::status_to_columns(status);
        self.conn()
            .execute(
                "UPDATE messages SET status = ?1, status_reason = ?2 WHERE id = ?3",
                params![text, reason, message_id],
            )
            .doing("updating a delivery status")?;
        Ok(())
    }

    /// Sets the provider's id on an outbound message once the gateway accepted it.
    pub fn set_provider_id(&self, message_id: i64, provider_id: &str) -> Result<(), StoreError> {
        self.conn()
            .execute(
                "UPDATE messages SET provider_id = ?1 WHERE id = ?2",
                params![provider_id, message_id],
            )
            .doing("recording a provider id")?;
        Ok(())
    }

    /// Marks who handles an interaction and its state (`queued`, `accepted`, `closed`).
    pub fn set_interaction_state(
        &self,
        id: &str,
        state: &str,
        agent: Option<&str>,
    ) -> Result<(), StoreError> {
        self.conn()
            .execute(
                "UPDATE interactions SET state = ?1, agent_id = COALESCE(?2, agent_id) WHERE id = ?3",
                params![state, agent, id],
            )
            .doing("updating an interaction's state")?;
        Ok(())
    }

    /// Closes an interaction; `done` records that the agent finished it.
    pub fn close_interaction(&self, id: &str, done: bool, at: Timestamp) -> Result<(), StoreError> {
        self.conn()
            .execute(
                "UPDATE interactions SET state = 'closed', done = ?1, closed_ms = ?2 WHERE id = ?3",
                params![done, at.0, id],
            )
            .doing("closing an interaction")?;
        Ok(())
    }

    /// Interactions waiting for an agent (state `queued`), oldest first: what the platform must
    /// still route after a restart.
    pub fn queued_interactions(&self) -> Result<Vec<InteractionRow>, StoreError> {
        rows::interactions_in_state(&self.conn(), "queued").doing("reading queued interactions")
    }

    /// The contact an interaction is with.
    pub fn contact_of_interaction(&self, id: &str) -> Result<Option<Contact>, StoreError> {
        contacts::contact_of_interaction(&self.conn(), id).doing("reading a contact")
    }

    /// Assigns an interaction to another contact (an unknown sender who is a known customer):
    /// the interaction, and its messages and note in the history index, move to that contact.
    pub fn assign_contact(&self, interaction: &str, contact_id: i64) -> Result<(), StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction().doing("starting a contact assignment")?;
        let owner = format!("c{contact_id}");
        let changed = tx
            .execute(
                "UPDATE interactions SET contact_id = ?2 WHERE id = ?1
                 AND EXISTS (SELECT 1 FROM contacts WHERE id = ?2)",
                params![interaction, contact_id],
            )
            .doing("assigning a contact")?;
        if changed == 0 {
            return Err(StoreError::Sqlite {
                doing: "assigning a contact",
                source: rusqlite::Error::QueryReturnedNoRows,
            });
        }
        tx.execute(
            "UPDATE history_fts SET owner = ?2 WHERE rowid IN
                 (SELECT id FROM messages WHERE interaction_id = ?1
                  UNION SELECT -rowid FROM notes WHERE interaction_id = ?1)",
            params![interaction, owner],
        )
        .doing("moving the history of an assigned interaction")?;
        tx.commit().doing("committing a contact assignment")?;
        Ok(())
    }

    /// Saves an agent's edit of a contact (making a record of an unknown sender known):
    /// refused, naming the other contact, when one of its addresses belongs to someone else.
    pub fn update_contact(&self, contact: &Contact) -> Result<(), StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction().doing("starting to save a contact")?;
        contacts::save_contact(&tx, contact)
            .doing("saving a contact")?
            .map_err(StoreError::AddressTaken)?;
        tx.commit().doing("committing a contact")
    }

    /// Saves the agent's note on an interaction (replacing the previous one).
    pub fn set_note(&self, id: &str, body: &str, now: Timestamp) -> Result<(), StoreError> {
        history::set_note(&self.conn(), id, body, now).doing("saving a note")
    }

    /// The agent's note on an interaction.
    pub fn note(&self, id: &str) -> Result<Option<String>, StoreError> {
        history::note(&self.conn(), id).doing("reading a note")
    }

    /// Records the disposition code of an interaction.
    pub fn set_disposition(&self, id: &str, code: &str, now: Timestamp) -> Result<(), StoreError> {
        history::set_disposition(&self.conn(), id, code, now).doing("saving a disposition")
    }

    /// The disposition code of an interaction.
    pub fn disposition(&self, id: &str) -> Result<Option<String>, StoreError> {
        history::disposition(&self.conn(), id).doing("reading a disposition")
    }

    /// How many other interactions of the contact are open or were created since `since`.
    pub fn other_interactions(
        &self,
        contact_id: i64,
        exclude: &str,
        since: Timestamp,
    ) -> Result<usize, StoreError> {
        history::other_interactions(&self.conn(), contact_id, exclude, since)
            .doing("counting interactions")
    }

    /// The contact's interactions, newest first.
    pub fn history(&self, contact_id: i64, limit: usize) -> Result<Vec<HistoryItem>, StoreError> {
        history::history(&self.conn(), contact_id, limit).doing("reading history")
    }

    /// The contact's interactions whose transcript or note match `query` (every word, as a
    /// prefix), best first, each with a matching excerpt. An empty query lists the history.
    pub fn search_history(
        &self,
        contact_id: i64,
        query: &str,
        limit: usize,
    ) -> Result<Vec<HistoryItem>, StoreError> {
        history::search_history(&self.conn(), contact_id, query, limit).doing("searching history")
    }

    /// Fills the store with synthetic history: `contacts × interactions × messages` messages
    /// and a note per interaction (benchmarks and load tests; deterministic).
    pub fn generate_synthetic_history(
        &self,
        contacts: usize,
        interactions: usize,
        messages: usize,
    ) -> Result<(), StoreError> {
        synthetic::generate(&mut self.conn(), contacts, interactions, messages)
            .doing("generating synthetic history")
    }

    /// How many messages are stored.
    pub fn message_total(&self) -> Result<usize, StoreError> {
        self.conn()
            .query_row("SELECT COUNT(*) FROM messages", [], |r| r.get::<_, i64>(0))
            .map(|n| n as usize)
            .doing("counting messages")
    }

    /// Stores a callback; returns its id.
    pub fn schedule_callback(
        &self,
        callback: &Callback,
        now: Timestamp,
    ) -> Result<i64, StoreError> {
        callbacks::schedule(&self.conn(), callback, now).doing("scheduling a callback")
    }

    /// An agent's callbacks, soonest first.
    pub fn callbacks_of(&self, agent: &str) -> Result<Vec<Callback>, StoreError> {
        callbacks::upcoming(&self.conn(), agent).doing("reading callbacks")
    }

    /// The agent's callbacks that fell due by `now` and were not notified yet (they are marked
    /// notified).
    pub fn take_due_callbacks(
        &self,
        agent: &str,
        now: Timestamp,
    ) -> Result<Vec<Callback>, StoreError> {
        callbacks::take_due(&self.conn(), agent, now).doing("reading due callbacks")
    }

    /// Adds or removes a Team Communicator favourite; true when it is one afterwards.
    pub fn toggle_favourite(&self, agent: &str, kind: &str, id: &str) -> Result<bool, StoreError> {
        team::toggle_favourite(&self.conn(), agent, kind, id).doing("saving a favourite")
    }

    /// An agent's favourites as (kind, id).
    pub fn favourites(&self, agent: &str) -> Result<Vec<(String, String)>, StoreError> {
        team::favourites(&self.conn(), agent).doing("reading favourites")
    }

    /// Records that an agent used a target.
    pub fn record_recent(
        &self,
        agent: &str,
        kind: &str,
        id: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        team::record_recent(&self.conn(), agent, kind, id, now).doing("recording a recent target")
    }

    /// An agent's recently used targets as (kind, id), most recent first.
    pub fn recents(&self, agent: &str, limit: usize) -> Result<Vec<(String, String)>, StoreError> {
        team::recents(&self.conn(), agent, limit).doing("reading recent targets")
    }

    /// Adds a word to an agent's personal dictionary.
    pub fn add_personal_word(&self, agent: &str, word: &str) -> Result<(), StoreError> {
        team::add_personal_word(&self.conn(), agent, word).doing("saving a personal word")
    }

    /// An agent's personal dictionary.
    pub fn personal_words(&self, agent: &str) -> Result<Vec<String>, StoreError> {
        team::personal_words(&self.conn(), agent).doing("reading personal words")
    }

    /// The contact with this id.
    pub fn contact(&self, id: i64) -> Result<Option<Contact>, StoreError> {
        contacts::contact(&self.conn(), id).doing("reading a contact")
    }

    /// Contacts whose name, phone or e-mail contain `query`.
    pub fn search_contacts(&self, query: &str, limit: usize) -> Result<Vec<Contact>, StoreError> {
        contacts::search_contacts(&self.conn(), query, limit).doing("searching contacts")
    }

    /// How many interactions are stored.
    pub fn interaction_count(&self) -> Result<usize, StoreError> {
        self.conn()
            .query_row("SELECT COUNT(*) FROM interactions", [], |r| {
                r.get::<_, i64>(0)
            })
            .map(|n| n as usize)
            .doing("counting interactions")
    }

    /// Count of stored messages of a role in an interaction (tests and diagnostics).
    pub fn count_messages(&self, interaction: &str, role: Role) -> Result<usize, StoreError> {
        let role = rows::role_to_text(role);
        self.conn()
            .query_row(
                "SELECT COUNT(*) FROM messages WHERE interaction_id = ?1 AND role = ?2",
                params![interaction, role],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n as usize)
            .doing("counting messages")
    }
}

#[cfg(test)]
mod contact_tests;
#[cfg(test)]
mod tests;
