//! The outbox of SMS parts for a real provider's API, which only the embedded platform uses.
//! A part moves `pending` → `attempting` (committed before the call) → `accepted` (with the
//! provider's id), or back to `pending` with a later attempt time (429, 5xx), or to `failed`
//! (the provider refused it). A part found `attempting` at start was being sent when the
//! process stopped: the provider may have it, so it is `uncertain` and never sent again
//! blindly.

use rusqlite::{Connection, OptionalExtension, params};
use switchboard_sdk::Timestamp;

use super::{Doing, Store, StoreError};

/// One part waiting to be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxPart {
    /// The part's row.
    pub id: i64,
    /// The message it belongs to.
    pub message_id: i64,
    /// The message's interaction.
    pub interaction: String,
    /// Its place in the message, from 0.
    pub part: i64,
    /// To.
    pub recipient: String,
    /// From.
    pub sender: String,
    /// Its text.
    pub body: String,
    /// Calls made for it so far.
    pub attempts: i64,
}

/// A message some of whose parts were being sent when the process stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterruptedMessage {
    /// The message.
    pub message_id: i64,
    /// Its interaction.
    pub interaction: String,
}

impl Store {
    /// Records a message's parts for sending (once: recording them again changes nothing).
    pub fn enqueue_parts(
        &self,
        message_id: i64,
        recipient: &str,
        sender: &str,
        parts: &[String],
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction().doing("starting to queue parts")?;
        for (index, body) in parts.iter().enumerate() {
            tx.execute(
                "INSERT OR IGNORE INTO outbox_parts
                     (message_id, part, recipient, sender, body, state, next_attempt_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, 'pending', ?6)",
                params![message_id, index as i64, recipient, sender, body, at.0],
            )
            .doing("queueing a part")?;
        }
        tx.commit().doing("queueing parts")
    }

    /// Parts due by `now`, oldest first, at most `limit`.
    pub fn due_parts(&self, now: Timestamp, limit: usize) -> Result<Vec<OutboxPart>, StoreError> {
        let conn = self.conn();
        let mut statement = conn
            .prepare_cached(
                "SELECT o.id, o.message_id, m.interaction_id, o.part, o.recipient, o.sender,
                        o.body, o.attempts
                 FROM outbox_parts o JOIN messages m ON m.id = o.message_id
                 WHERE o.state = 'pending' AND o.next_attempt_ms <= ?1
                 ORDER BY o.next_attempt_ms, o.id LIMIT ?2",
            )
            .doing("reading due parts")?;
        statement
            .query_map(params![now.0, limit as i64], |row| {
                Ok(OutboxPart {
                    id: row.get(0)?,
                    message_id: row.get(1)?,
                    interaction: row.get(2)?,
                    part: row.get(3)?,
                    recipient: row.get(4)?,
                    sender: row.get(5)?,
                    body: row.get(6)?,
                    attempts: row.get(7)?,
                })
            })
            .doing("reading due parts")?
            .collect::<Result<_, _>>()
            .doing("reading due parts")
    }

    /// When the next pending part is due, if any is.
    pub fn next_part_due(&self) -> Result<Option<Timestamp>, StoreError> {
        self.conn()
            .query_row(
                "SELECT MIN(next_attempt_ms) FROM outbox_parts WHERE state = 'pending'",
                [],
                |row| row.get::<_, Option<i64>>(0),
            )
            .doing("reading when a part is due")
            .map(|ms| ms.map(Timestamp))
    }

    /// Marks a part as being sent now (committed before the call goes out).
    pub fn part_attempting(&self, id: i64) -> Result<(), StoreError> {
        set_state(
            &self.conn(),
            id,
            "UPDATE outbox_parts SET state = 'attempting', attempts = attempts + 1 WHERE id = ?1",
        )
    }

    /// The provider took the part under `sid`: recorded with the part, mapped for its status
    /// callbacks, and set on the message when it is the first part.
    pub fn part_accepted(&self, part: &OutboxPart, sid: &str) -> Result<(), StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction().doing("starting to record a sent part")?;
        tx.execute(
            "UPDATE outbox_parts SET state = 'accepted', provider_sid = ?1 WHERE id = ?2",
            params![sid, part.id],
        )
        .doing("recording a sent part")?;
        super::media::record_part(&tx, sid, part.message_id).doing("mapping a sent part")?;
        if part.part == 0 {
            tx.execute(
                "UPDATE messages SET provider_id = ?1 WHERE id = ?2",
                params![sid, part.message_id],
            )
            .doing("recording a provider id")?;
        }
        tx.commit().doing("recording a sent part")
    }

    /// The part waits for another attempt at `next`.
    pub fn part_retry_at(&self, id: i64, next: Timestamp) -> Result<(), StoreError> {
        self.conn()
            .execute(
                "UPDATE outbox_parts SET state = 'pending', next_attempt_ms = ?1 WHERE id = ?2",
                params![next.0, id],
            )
            .doing("scheduling a part again")
            .map(|_| ())
    }

    /// The part will not be sent: the provider refused it, or the attempts ran out. Its
    /// message's other waiting parts are dropped with it (half a message helps nobody).
    pub fn part_failed(&self, part: &OutboxPart) -> Result<(), StoreError> {
        self.conn()
            .execute(
                "UPDATE outbox_parts SET state = 'failed'
                 WHERE message_id = ?1 AND state IN ('pending', 'attempting')",
                [part.message_id],
            )
            .doing("recording a failed part")
            .map(|_| ())
    }

    /// At start: parts left `attempting` become `uncertain` (the provider may have them), and
    /// their messages' waiting parts are held back with them. Returns those messages.
    pub fn settle_interrupted_parts(&self) -> Result<Vec<InterruptedMessage>, StoreError> {
        let mut conn = self.conn();
        let tx = conn
            .transaction()
            .doing("starting to settle interrupted parts")?;
        let interrupted: Vec<InterruptedMessage> = {
            let mut statement = tx
                .prepare(
                    "SELECT DISTINCT o.message_id, m.interaction_id
                     FROM outbox_parts o JOIN messages m ON m.id = o.message_id
                     WHERE o.state = 'attempting' ORDER BY o.message_id",
                )
                .doing("reading interrupted parts")?;
            statement
                .query_map([], |row| {
                    Ok(InterruptedMessage {
                        message_id: row.get(0)?,
                        interaction: row.get(1)?,
                    })
                })
                .doing("reading interrupted parts")?
                .collect::<Result<_, _>>()
                .doing("reading interrupted parts")?
        };
        for message in &interrupted {
            tx.execute(
                "UPDATE outbox_parts SET state = CASE state WHEN 'attempting' THEN 'uncertain'
                                                            ELSE 'failed' END
                 WHERE message_id = ?1 AND state IN ('attempting', 'pending')",
                [message.message_id],
            )
            .doing("settling interrupted parts")?;
        }
        tx.commit().doing("settling interrupted parts")?;
        Ok(interrupted)
    }

    /// A part's state and attempts, for tests and the administrator's view.
    pub fn part_state(
        &self,
        message_id: i64,
        part: i64,
    ) -> Result<Option<(String, i64)>, StoreError> {
        self.conn()
            .query_row(
                "SELECT state, attempts FROM outbox_parts WHERE message_id = ?1 AND part = ?2",
                params![message_id, part],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()
            .doing("reading a part's state")
    }
}

fn set_state(conn: &Connection, id: i64, sql: &str) -> Result<(), StoreError> {
    conn.execute(sql, [id])
        .doing("changing a part's state")
        .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelude::*;
    use switchboard_seam::records::NewMessage;

    fn store_with_message() -> (Store, i64) {
        let store = Store::open_in_memory().expect("store");
        let (row, first) = crate::tests::opening("SMS-1", "SMin1", "Hello", 1);
        store
            .record_opening(&row, &first, &[])
            .expect("interaction");
        let interaction = row.id;
        let message = store
            .insert_message(
                &NewMessage {
                    interaction: interaction.clone(),
                    role: switchboard_sdk::Role::Agent,
                    author: "Ada".into(),
                    author_key: "agent".into(),
                    time: Timestamp(1),
                    body: "two parts".into(),
                    status: switchboard_sdk::DeliveryStatus::Sending,
                    provider_id: None,
                    parts: 2,
                },
                &[],
            )
            .expect("stored")
            .expect("new");
        (store, message.id)
    }

    #[test]
    fn parts_are_queued_once_and_taken_in_turn() {
        let (store, message) = store_with_message();
        let parts = ["one".to_owned(), "two".to_owned()];
        store
            .enqueue_parts(message, "+33612345678", "+15550100", &parts, Timestamp(10))
            .expect("queued");
        store
            .enqueue_parts(message, "+33612345678", "+15550100", &parts, Timestamp(10))
            .expect("queued again");
        assert!(store.due_parts(Timestamp(9), 10).expect("due").is_empty());
        let due = store.due_parts(Timestamp(10), 10).expect("due");
        assert_eq!(due.len(), 2, "queued once");
        store.part_attempting(due[0].id).expect("attempting");
        store.part_accepted(&due[0], "SM1").expect("accepted");
        assert_eq!(
            store.message_of_part("SM1").expect("found").map(|m| m.0),
            Some(message)
        );
        store.part_attempting(due[1].id).expect("attempting");
        store
            .part_retry_at(due[1].id, Timestamp(50))
            .expect("retry");
        assert_eq!(store.next_part_due().expect("next"), Some(Timestamp(50)));
        assert_eq!(
            store.part_state(message, 1).expect("state"),
            Some(("pending".to_owned(), 1))
        );
    }

    #[test]
    fn a_part_attempting_at_start_is_uncertain_and_never_due_again() {
        let (store, message) = store_with_message();
        let parts = ["one".to_owned(), "two".to_owned()];
        store
            .enqueue_parts(message, "+33612345678", "+15550100", &parts, Timestamp(10))
            .expect("queued");
        let due = store.due_parts(Timestamp(10), 10).expect("due");
        store.part_attempting(due[0].id).expect("attempting");
        let interrupted = store.settle_interrupted_parts().expect("settled");
        assert_eq!(interrupted.len(), 1);
        assert_eq!(interrupted[0].message_id, message);
        assert!(
            store
                .due_parts(Timestamp(1_000), 10)
                .expect("due")
                .is_empty()
        );
        assert_eq!(
            store.part_state(message, 0).expect("state").map(|s| s.0),
            Some("uncertain".to_owned())
        );
    }
}
