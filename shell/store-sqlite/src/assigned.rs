//! The Communication view's data: the contacts an agent handled, newest activity first, with
//! how many of their messages the agent has not read yet, and read marks.

use rusqlite::{Connection, OptionalExtension, params};
use switchboard_sdk::Timestamp;

use switchboard_seam::records::AssignedContact;

use super::{Doing, Store, StoreError, contacts};

/// The address of a contact's newest web chat, if they chatted.
pub(super) fn chat_address(conn: &Connection, contact_id: i64) -> rusqlite::Result<Option<String>> {
    conn.query_row(
        "SELECT contact_address FROM interactions
         WHERE contact_id = ?1 AND contact_address LIKE 'chat:%'
         ORDER BY created_ms DESC LIMIT 1",
        [contact_id],
        |r| r.get(0),
    )
    .optional()
}

impl Store {
    /// The contacts `agent` handled (colleagues left out), newest activity first.
    pub(super) fn list_assigned(
        &self,
        agent: &str,
        limit: usize,
    ) -> Result<Vec<AssignedContact>, StoreError> {
        let conn = self.conn();
        let mut statement = conn
            .prepare_cached(
                "SELECT i.contact_id, MAX(i.created_ms) FROM interactions i
                 JOIN contacts c ON c.id = i.contact_id
                 WHERE i.agent_id = ?1
                   AND (c.platform_id IS NULL OR c.platform_id LIKE 'chat:%')
                 GROUP BY i.contact_id ORDER BY MAX(i.created_ms) DESC LIMIT ?2",
            )
            .doing("listing assigned contacts")?;
        let rows: Vec<(i64, i64)> = statement
            .query_map(params![agent, limit as i64], |r| Ok((r.get(0)?, r.get(1)?)))
            .doing("listing assigned contacts")?
            .collect::<Result<_, _>>()
            .doing("reading assigned contacts")?;
        let mut assigned = Vec::with_capacity(rows.len());
        for (contact_id, last) in rows {
            let Some(contact) =
                contacts::contact(&conn, contact_id).doing("reading an assigned contact")?
            else {
                continue;
            };
            let read_ms: i64 = conn
                .query_row(
                    "SELECT MAX(COALESCE((SELECT read_ms FROM contact_reads
                                          WHERE agent_id = ?1 AND contact_id = ?2), 0),
                                COALESCE((SELECT MAX(m.time_ms) FROM messages m
                                          JOIN interactions i ON i.id = m.interaction_id
                                          WHERE i.contact_id = ?2 AND m.role = 'agent'), 0))",
                    params![agent, contact_id],
                    |r| r.get(0),
                )
                .doing("reading a read mark")?;
            let unread: i64 = conn
                .query_row(
                    "SELECT COUNT(*) FROM messages m JOIN interactions i ON i.id = m.interaction_id
                     WHERE i.contact_id = ?1 AND m.role = 'contact' AND m.time_ms > ?2",
                    params![contact_id, read_ms],
                    |r| r.get(0),
                )
                .doing("counting unread messages")?;
            let mut media = conn
                .prepare_cached(
                    "SELECT media_type FROM interactions WHERE contact_id = ?1
                     GROUP BY media_type ORDER BY MAX(created_ms) DESC",
                )
                .doing("listing a contact's channels")?;
            let media_types = media
                .query_map([contact_id], |r| r.get(0))
                .doing("listing a contact's channels")?
                .collect::<Result<Vec<String>, _>>()
                .doing("reading a contact's channels")?;
            let chat_address = chat_address(&conn, contact_id).doing("finding a contact's chat")?;
            assigned.push(AssignedContact {
                contact,
                last_activity: Timestamp(last),
                unread: unread.max(0) as usize,
                media_types,
                chat_address,
            });
        }
        Ok(assigned)
    }

    /// The agent read the contact's conversations now.
    pub(super) fn mark_read(
        &self,
        agent: &str,
        contact_id: i64,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.conn()
            .execute(
                "INSERT INTO contact_reads (agent_id, contact_id, read_ms) VALUES (?1, ?2, ?3)
                 ON CONFLICT (agent_id, contact_id) DO UPDATE SET read_ms = excluded.read_ms",
                params![agent, contact_id, now.0],
            )
            .doing("marking a contact read")?;
        Ok(())
    }
}
