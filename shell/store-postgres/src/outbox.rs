//! The outbox of SMS parts a gateway sends through the provider, in PostgreSQL: each part
//! goes `pending` → `attempting` (committed before the call, so a crash never resends blindly)
//! → `accepted` under the provider's id, or back to `pending` later, or `failed`. Several
//! gateways may work it: a part is claimed with `FOR UPDATE SKIP LOCKED`.

use switchboard_sdk::Timestamp;
use switchboard_seam::{provider::OutboundPart, records::StoreError};

use crate::{Doing, PgStore};

/// A part claimed for sending.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimedPart {
    /// Its row.
    pub id: i64,
    /// The message it is part of.
    pub message_id: i64,
    /// What to send.
    pub part: OutboundPart,
    /// Attempts made, this one included.
    pub attempts: i32,
}

/// What a message's parts say of it after a part changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageOutcome {
    /// Some parts are still on their way.
    Pending,
    /// Every part was taken by the provider.
    AllAccepted,
    /// A part failed: the message did.
    Failed,
}

impl PgStore {
    /// Queues a message's parts, in one transaction.
    pub fn enqueue_parts(
        &self,
        message_id: i64,
        parts: &[OutboundPart],
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut client = self.client();
        let mut tx = client.transaction().doing("queueing SMS parts")?;
        for (index, part) in parts.iter().enumerate() {
            tx.execute(
                "INSERT INTO outbox (message_id, part_index, to_addr, from_addr, body, state,
                                     due_ms)
                 VALUES ($1, $2, $3, $4, $5, 'pending', $6)",
                &[
                    &message_id,
                    &(index as i32),
                    &part.to,
                    &part.from,
                    &part.body,
                    &now.0,
                ],
            )
            .doing("queueing an SMS part")?;
        }
        tx.commit().doing("queueing SMS parts")
    }

    /// Claims the oldest part due by `now` (marked attempting, committed), if any.
    pub fn claim_due_part(&self, now: Timestamp) -> Result<Option<ClaimedPart>, StoreError> {
        Ok(self
            .client()
            .query_opt(
                "UPDATE outbox SET state = 'attempting', attempts = attempts + 1
                 WHERE id = (SELECT id FROM outbox WHERE state = 'pending' AND due_ms <= $1
                             ORDER BY due_ms, id LIMIT 1 FOR UPDATE SKIP LOCKED)
                 RETURNING id, message_id, to_addr, from_addr, body, attempts",
                &[&now.0],
            )
            .doing("claiming an SMS part")?
            .map(|row| ClaimedPart {
                id: row.get(0),
                message_id: row.get(1),
                part: OutboundPart {
                    to: row.get(2),
                    from: row.get(3),
                    body: row.get(4),
                },
                attempts: row.get(5),
            }))
    }

    /// When the next pending part falls due.
    pub fn next_part_due(&self) -> Result<Option<Timestamp>, StoreError> {
        Ok(self
            .client()
            .query_one(
                "SELECT min(due_ms) FROM outbox WHERE state = 'pending'",
                &[],
            )
            .doing("reading the outbox")?
            .get::<_, Option<i64>>(0)
            .map(Timestamp))
    }

    /// The provider took a part under its id; says whether its message is now all taken.
    pub fn part_accepted(&self, id: i64, provider_id: &str) -> Result<MessageOutcome, StoreError> {
        let message_id: i64 = self
            .client()
            .query_one(
                "UPDATE outbox SET state = 'accepted', provider_id = $2 WHERE id = $1
                 RETURNING message_id",
                &[&id, &provider_id],
            )
            .doing("recording an accepted SMS part")?
            .get(0);
        self.message_outcome(message_id)
    }

    /// A part waits for another attempt at `due`.
    pub fn part_retry(&self, id: i64, due: Timestamp, reason: &str) -> Result<(), StoreError> {
        self.client()
            .execute(
                "UPDATE outbox SET state = 'pending', due_ms = $2, reason = $3 WHERE id = $1",
                &[&id, &due.0, &reason],
            )
            .map(|_| ())
            .doing("delaying an SMS part")
    }

    /// A part failed for good: its message's other waiting parts are not sent either.
    pub fn part_failed(&self, id: i64, reason: &str) -> Result<(), StoreError> {
        self.client()
            .execute(
                "UPDATE outbox SET state = 'failed', reason = $2
                 WHERE message_id = (SELECT message_id FROM outbox WHERE id = $1)
                   AND (id = $1 OR state = 'pending')",
                &[&id, &reason],
            )
            .map(|_| ())
            .doing("failing an SMS part")
    }

    /// Parts left attempting by a gateway that stopped mid-call: the provider may have them, so
    /// they are never sent again; their messages fail. Returns those messages.
    pub fn settle_interrupted_parts(&self, reason: &str) -> Result<Vec<i64>, StoreError> {
        Ok(self
            .client()
            .query(
                "UPDATE outbox SET state = 'failed', reason = $1 WHERE state = 'attempting'
                 RETURNING message_id",
                &[&reason],
            )
            .doing("settling interrupted SMS parts")?
            .iter()
            .map(|row| row.get(0))
            .collect())
    }

    /// The message (and its interaction) a sent part's provider id belongs to.
    pub fn message_of_part(&self, provider_id: &str) -> Result<Option<(i64, String)>, StoreError> {
        Ok(self
            .client()
            .query_opt(
                "SELECT o.message_id, m.interaction_id FROM outbox o
                 JOIN messages m ON m.id = o.message_id WHERE o.provider_id = $1",
                &[&provider_id],
            )
            .doing("finding a sent SMS part")?
            .map(|row| (row.get(0), row.get(1))))
    }

    fn message_outcome(&self, message_id: i64) -> Result<MessageOutcome, StoreError> {
        let row = self
            .client()
            .query_one(
                "SELECT count(*) FILTER (WHERE state = 'failed'),
                        count(*) FILTER (WHERE state <> 'accepted')
                 FROM outbox WHERE message_id = $1",
                &[&message_id],
            )
            .doing("reading a message's parts")?;
        let (failed, unaccepted): (i64, i64) = (row.get(0), row.get(1));
        Ok(if failed > 0 {
            MessageOutcome::Failed
        } else if unaccepted == 0 {
            MessageOutcome::AllAccepted
        } else {
            MessageOutcome::Pending
        })
    }
}

#[cfg(test)]
mod tests {
    use switchboard_sdk::{DeliveryStatus, Role};
    use switchboard_seam::records::{
        InteractionRecords, InteractionRow, InteractionState, NewMessage,
    };

    use super::*;

    fn part(body: &str) -> OutboundPart {
        OutboundPart {
            to: "+33612345678".into(),
            from: "+15550100".into(),
            body: body.into(),
        }
    }

    #[test]
    fn parts_are_claimed_once_retried_and_settled() {
        let store = crate::tests::scratch_store("outbox");
        let row = InteractionRow {
            id: "SMS-1".into(),
            media_type: "sms".into(),
            contact_name: "+33612345678".into(),
            contact_address: "+33612345678".into(),
            our_address: "+15550100".into(),
            state: InteractionState::Accepted,
            agent_id: Some("ada".into()),
            created: Timestamp(0),
            done: false,
            case_data: Vec::new(),
        };
        let message = |body: &str, role| NewMessage {
            interaction: "SMS-1".into(),
            role,
            author: "x".into(),
            author_key: "x".into(),
            time: Timestamp(0),
            body: body.into(),
            status: DeliveryStatus::None,
            provider_id: None,
            parts: 1,
        };
        store
            .record_opening(&row, &message("Bonjour", Role::Contact), &[])
            .expect("opened");
        let reply = store
            .insert_message(&message("one two", Role::Agent), &[])
            .expect("stored")
            .expect("new");
        store
            .enqueue_parts(reply.id, &[part("one"), part("two")], Timestamp(10))
            .expect("queued");
        assert_eq!(
            store.claim_due_part(Timestamp(9)).expect("claim"),
            None,
            "not due"
        );
        let first = store
            .claim_due_part(Timestamp(10))
            .expect("claim")
            .expect("due");
        assert_eq!(first.part.body, "one");
        let second = store
            .claim_due_part(Timestamp(10))
            .expect("claim")
            .expect("due");
        assert_eq!(second.part.body, "two");
        assert_eq!(
            store.claim_due_part(Timestamp(99)).expect("claim"),
            None,
            "claimed once"
        );

        assert_eq!(
            store.part_accepted(first.id, "SMa").expect("accepted"),
            MessageOutcome::Pending
        );
        store
            .part_retry(second.id, Timestamp(20), "429")
            .expect("retry");
        assert_eq!(store.next_part_due().expect("due"), Some(Timestamp(20)));
        let again = store
            .claim_due_part(Timestamp(20))
            .expect("claim")
            .expect("due");
        assert_eq!((again.id, again.attempts), (second.id, 2));
        assert_eq!(
            store.part_accepted(again.id, "SMb").expect("accepted"),
            MessageOutcome::AllAccepted
        );
        assert_eq!(
            store.message_of_part("SMb").expect("found"),
            Some((reply.id, "SMS-1".into()))
        );

        // A part left attempting by a gateway that stopped is never resent.
        store
            .enqueue_parts(reply.id, &[part("three")], Timestamp(30))
            .expect("queued");
        store
            .claim_due_part(Timestamp(30))
            .expect("claim")
            .expect("due");
        assert_eq!(
            store
                .settle_interrupted_parts("may not have been sent")
                .expect("settled"),
            vec![reply.id]
        );
        assert_eq!(store.claim_due_part(Timestamp(99)).expect("claim"), None);
        store.drop_schema().expect("dropped");
    }
}
