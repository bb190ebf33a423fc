//! The desktop's store: the seam's record traits over SQLite (contacts, interactions,
//! messages, notes, dispositions, case data, callbacks, history search), and what only the
//! embedded platform needs besides (sent parts, queued work, bulk loads).
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
mod outbox;
mod records;
mod rows;
mod schema;
mod synthetic;
mod team;

use std::{
    path::Path,
    sync::{Arc, Mutex, MutexGuard},
};

use rusqlite::{Connection, params};
use switchboard_sdk::{Role, TranscriptEntry};

/// The schema version this build writes.
pub use outbox::{InterruptedMessage, OutboxPart};
pub use schema::CURRENT_VERSION as SCHEMA_VERSION;
pub use switchboard_seam::records::*;

trait Doing<T> {
    fn doing(self, doing: &'static str) -> Result<T, StoreError>;
}

impl<T> Doing<T> for Result<T, rusqlite::Error> {
    fn doing(self, doing: &'static str) -> Result<T, StoreError> {
        self.map_err(|source| StoreError::Database {
            doing,
            reason: source.to_string(),
        })
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

    /// Remembers the provider's id of one sent SMS part, so its delivery report finds the
    /// message.
    pub fn record_part(&self, provider_id: &str, message_id: i64) -> Result<(), StoreError> {
        media::record_part(&self.conn(), provider_id, message_id).doing("recording a sent part")
    }

    /// The message (and its interaction) a provider's part id belongs to.
    pub fn message_of_part(&self, provider_id: &str) -> Result<Option<(i64, String)>, StoreError> {
        media::message_of_part(&self.conn(), provider_id).doing("finding a sent part")
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

    /// Interactions waiting for an agent (state `queued`), oldest first.
    pub fn queued_interactions(&self) -> Result<Vec<InteractionRow>, StoreError> {
        rows::interactions_in_states(&self.conn(), &[InteractionState::Queued])
            .doing("reading queued interactions")
    }

    /// Interactions no agent holds (queued, or offered when the platform stopped), oldest
    /// first: what the platform must route again after a restart.
    pub fn unassigned_interactions(&self) -> Result<Vec<InteractionRow>, StoreError> {
        rows::interactions_in_states(
            &self.conn(),
            &[InteractionState::Queued, InteractionState::Offered],
        )
        .doing("reading unassigned interactions")
    }

    /// Marks every message still `sending` as failed with `reason` (at start: nothing is
    /// sending any more); returns how many. Messages in the provider outbox are left to it
    /// (their waiting parts are sent; see [`Store::settle_interrupted_parts`]). An interaction its agent closed with such a reply
    /// ("Send and close", then the desktop stopped) is open for that agent again: the work was
    /// not done, and at the next sign-in the agent reads the failure and sends again.
    pub fn fail_unsent(&self, reason: &str) -> Result<usize, StoreError> {
        let mut conn = self.conn();
        let tx = conn
            .transaction()
            .doing("starting to mark unsent messages failed")?;
        tx.execute(
            "UPDATE interactions SET state = 'accepted', done = 0, closed_ms = NULL
             WHERE agent_id IS NOT NULL AND state = 'closed'
               AND id IN (SELECT interaction_id FROM messages WHERE status = 'sending'
                          AND id NOT IN (SELECT message_id FROM outbox_parts))",
            [],
        )
        .doing("reopening interactions closed with an unsent reply")?;
        let failed = tx
            .execute(
                "UPDATE messages SET status = 'failed', status_reason = ?1
                 WHERE status = 'sending' AND id NOT IN (SELECT message_id FROM outbox_parts)",
                [reason],
            )
            .doing("marking unsent messages failed")?;
        tx.commit().doing("marking unsent messages failed")?;
        Ok(failed)
    }

    /// The first entry of an interaction (what an offer shows), with its attachments.
    pub fn first_message(&self, id: &str) -> Result<Option<TranscriptEntry>, StoreError> {
        let conn = self.conn();
        let mut entries = rows::first_entry(&conn, id).doing("reading a first message")?;
        media::attach_to_transcript(&conn, id, &mut entries)
            .doing("reading a first message's media")?;
        Ok(entries.into_iter().next())
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
        let role = switchboard_seam::records::role_to_text(role);
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

/// The record traits, to call them on a [`Store`]: `use switchboard_store_sqlite::prelude::*`.
pub mod prelude {
    pub use switchboard_seam::records::{
        AgentRecords, ContactRecords, HistoryRecords, InteractionRecords, Records, WrapUpRecords,
    };
}
