//! Conversations that are not SMS: who the other party is in the store (a colleague, a chat
//! visitor), which customer interaction a consultation is about, and the links each agent
//! pushed to chat customers.
//!
//! A plain IM belongs to a colleague record (an unknown contact whose address is
//! `agent:<login>`, never matched by number and never offered as a customer), so earlier IMs with
//! the same colleague are one history, searchable like any other. A consultation belongs to the
//! customer it is about: it joins that customer's history.

use rusqlite::{Connection, OptionalExtension, params};
use switchboard_sdk::TranscriptEntry;
use switchboard_seam::records::Party;

use super::{Doing, InteractionRow, NewMessage, Store, StoreError, rows};

fn colleague_contact(
    conn: &Connection,
    address: &str,
    name: &str,
    now: i64,
) -> rusqlite::Result<i64> {
    let found = conn
        .query_row(
            "SELECT id FROM contacts WHERE platform_id = ?1",
            [address],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(id) = found {
        return Ok(id);
    }
    conn.execute(
        "INSERT INTO contacts (display_name, first_name, last_name, platform_id, known, created_ms)
         VALUES (?1, '', '', ?2, 0, ?3)",
        params![name, address, now],
    )?;
    Ok(conn.last_insert_rowid())
}

fn contact_of(conn: &Connection, interaction: &str) -> rusqlite::Result<Option<i64>> {
    conn.query_row(
        "SELECT contact_id FROM interactions WHERE id = ?1",
        [interaction],
        |r| r.get(0),
    )
    .optional()
    .map(Option::flatten)
}

impl Store {
    /// Stores a new internal conversation, with its first message when a colleague opened it,
    /// in one transaction. A consultation copies nothing: its case data is the row's.
    pub fn open_internal(
        &self,
        row: &InteractionRow,
        party: &Party,
        first: Option<&NewMessage>,
    ) -> Result<Option<TranscriptEntry>, StoreError> {
        let mut conn = self.conn();
        let tx = conn
            .transaction()
            .doing("starting an internal conversation")?;
        let contact = match party {
            Party::Address { address, name } => {
                colleague_contact(&tx, address, name, row.created.0).doing("finding a colleague")?
            }
            Party::Contact { id } => *id,
            Party::Consulting { interaction } => contact_of(&tx, interaction)
                .doing("finding the consulted customer")?
                .ok_or_else(|| StoreError::NotFound(format!("interaction {interaction}")))?,
        };
        rows::insert_interaction(&tx, row, contact).doing("storing the conversation")?;
        if let Party::Consulting { interaction } = party {
            tx.execute(
                "INSERT INTO consultations (interaction_id, consults) VALUES (?1, ?2)",
                params![row.id, interaction],
            )
            .doing("linking the consultation")?;
        }
        let entry = match first {
            Some(message) => {
                Some(rows::insert_message(&tx, message).doing("storing the first message")?)
            }
            None => None,
        };
        tx.commit().doing("committing the conversation")?;
        Ok(entry)
    }

    /// Remembers a link the agent pushed (the newest first in [`switchboard_seam::records::AgentRecords::pushed_urls`]).
    pub(super) fn remember_pushed_url(
        &self,
        agent: &str,
        url: &str,
        now: switchboard_sdk::Timestamp,
    ) -> Result<(), StoreError> {
        self.conn()
            .execute(
                "INSERT INTO pushed_urls (agent_id, url, pushed_ms) VALUES (?1, ?2, ?3)
                 ON CONFLICT (agent_id, url) DO UPDATE SET pushed_ms = excluded.pushed_ms",
                params![agent, url, now.0],
            )
            .doing("remembering a pushed link")?;
        Ok(())
    }

    /// The links an agent pushed, newest first.
    pub(super) fn list_pushed_urls(
        &self,
        agent: &str,
        limit: usize,
    ) -> Result<Vec<String>, StoreError> {
        let conn = self.conn();
        let mut statement = conn
            .prepare_cached(
                "SELECT url FROM pushed_urls WHERE agent_id = ?1
                 ORDER BY pushed_ms DESC, url LIMIT ?2",
            )
            .doing("listing pushed links")?;
        let urls = statement
            .query_map(params![agent, limit as i64], |r| r.get(0))
            .doing("listing pushed links")?
            .collect::<Result<Vec<String>, _>>()
            .doing("reading pushed links")?;
        Ok(urls)
    }

    /// The newest interaction with a contact address, whatever its state.
    pub fn latest_interaction_with(&self, address: &str) -> Result<Option<String>, StoreError> {
        self.conn()
            .query_row(
                "SELECT id FROM interactions WHERE contact_address = ?1
                 ORDER BY created_ms DESC LIMIT 1",
                [address],
                |r| r.get(0),
            )
            .optional()
            .doing("finding a contact's newest interaction")
    }

    /// The customer interaction a consultation is about.
    pub(super) fn consultation_of(&self, interaction: &str) -> Result<Option<String>, StoreError> {
        self.conn()
            .query_row(
                "SELECT consults FROM consultations WHERE interaction_id = ?1",
                [interaction],
                |r| r.get(0),
            )
            .optional()
            .doing("reading a consultation")
    }
}
