//! Internal conversations (instant messages between agents): who the other party is in the
//! store, and which customer interaction a consultation is about.
//!
//! A plain IM belongs to a colleague record (an unknown contact whose address is
//! `agent:<login>`, never matched by number and never offered as a customer), so earlier IMs with
//! the same colleague are one history, searchable like any other. A consultation belongs to the
//! customer it is about: it joins that customer's history.

use rusqlite::{Connection, OptionalExtension, params};
use switchboard_sdk::TranscriptEntry;

use super::{Doing, InteractionRow, NewMessage, Store, StoreError, rows};

/// Who an internal conversation is with, for the store.
#[derive(Debug, Clone, PartialEq)]
pub enum Party {
    /// A colleague (or the queue, skill... the IM went to), by address (`agent:grace`).
    Colleague {
        /// Address, `kind:id`.
        address: String,
        /// Name shown.
        name: String,
    },
    /// A consultation about a customer interaction: the conversation joins that customer.
    Consulting {
        /// The customer interaction.
        interaction: String,
    },
}

fn colleague_contact(
    conn: &Connection,
    address: &str,
    name: &str,
    now: i64,
) -> rusqlite::Result<i64> {
    let found = conn
        .query_row(
            "SELECT id FROM contacts WHERE phone = ?1 AND known = 0",
            [address],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(id) = found {
        return Ok(id);
    }
    conn.execute(
        "INSERT INTO contacts (display_name, first_name, last_name, phone, known, created_ms)
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
            Party::Colleague { address, name } => {
                colleague_contact(&tx, address, name, row.created.0).doing("finding a colleague")?
            }
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

    /// The customer interaction a consultation is about.
    pub fn consulted(&self, interaction: &str) -> Result<Option<String>, StoreError> {
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
