//! The record traits of the seam over PostgreSQL: each method takes the connection, runs its
//! statements (in one transaction where a record spans rows) and names what it was doing when
//! the database refuses.

use postgres::GenericClient;
use switchboard_sdk::{
    Attachment, DeliveryStatus, KeyValue, Timestamp, TranscriptEntry,
    abi_stable::std_types::{ROption, RSome, RVec},
};
use switchboard_seam::records::{
    AgentRecords, AssignedContact, Callback, Contact, ContactRecords, HistoryItem, HistoryRecords,
    InteractionRecords, InteractionRow, InteractionState, NewAttachment, NewMessage, Party,
    PersonalWord, StoreError, StoredAttachment, WrapUpRecords, role_from_text, role_to_text,
    status_from_columns, status_to_columns,
};

use crate::{Doing, PgStore, contacts, history};

const INTERACTION_COLUMNS: &str =
    "id, media_type, contact_name, contact_address, our_address, state, agent_id, created_ms, done";

fn interaction_row(row: &postgres::Row) -> InteractionRow {
    InteractionRow {
        id: row.get(0),
        media_type: row.get(1),
        contact_name: row.get(2),
        contact_address: row.get(3),
        our_address: row.get(4),
        state: InteractionState::from_name(row.get(5)).unwrap_or(InteractionState::Closed),
        agent_id: row.get(6),
        created: Timestamp(row.get(7)),
        done: row.get(8),
        case_data: Vec::new(),
    }
}

/// Whether a message with the same provider id is already stored (a redelivered webhook).
fn already_stored(
    client: &mut impl GenericClient,
    message: &NewMessage,
) -> Result<bool, postgres::Error> {
    let Some(provider_id) = &message.provider_id else {
        return Ok(false);
    };
    Ok(client
        .query_opt(
            "SELECT 1 FROM messages WHERE provider_id = $1",
            &[provider_id],
        )?
        .is_some())
}

fn insert_message(
    client: &mut impl GenericClient,
    message: &NewMessage,
    attachments: &[NewAttachment],
) -> Result<TranscriptEntry, postgres::Error> {
    insert_message_as(client, None, message, attachments)
}

/// Stores a message under `id`, or the sequence's next.
fn insert_message_as(
    client: &mut impl GenericClient,
    id: Option<i64>,
    message: &NewMessage,
    attachments: &[NewAttachment],
) -> Result<TranscriptEntry, postgres::Error> {
    let (status, reason) = status_to_columns(&message.status);
    let id: i64 = client
        .query_one(
            "INSERT INTO messages (id, interaction_id, role, author, author_key, time_ms, body,
                                   status, status_reason, provider_id, parts)
             VALUES (COALESCE($11, nextval('messages_id_seq')), $1, $2, $3, $4, $5, $6, $7,
                     $8, $9, $10)
             RETURNING id",
            &[
                &message.interaction,
                &role_to_text(message.role),
                &message.author,
                &message.author_key,
                &message.time.0,
                &message.body,
                &status,
                &reason,
                &message.provider_id,
                &(message.parts as i32),
                &id,
            ],
        )?
        .get(0);
    let mut entry = message.entry(id);
    for (position, item) in attachments.iter().enumerate() {
        let attachment_id: i64 = client
            .query_one(
                "INSERT INTO attachments (message_id, position, media_type, name, size, data,
                                          thumbnail, problem)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                &[
                    &id,
                    &(position as i32),
                    &item.media_type,
                    &item.name,
                    &(item.size as i64),
                    &item.data,
                    &item.thumbnail,
                    &item.problem,
                ],
            )?
            .get(0);
        entry.attachments.push(Attachment {
            id: attachment_id,
            media_type: item.media_type.as_str().into(),
            name: item.name.as_str().into(),
            size: item.size,
        });
    }
    Ok(entry)
}

fn transcript(
    client: &mut impl GenericClient,
    interaction: &str,
) -> Result<Vec<TranscriptEntry>, postgres::Error> {
    entries(client, interaction, i64::MAX)
}

/// The first `limit` entries of an interaction, oldest first, with their attachments.
const MESSAGE_COLUMNS: &str = "id, interaction_id, role, author, author_key, time_ms, body, \
                               status, status_reason, provider_id";

/// A message row (of [`MESSAGE_COLUMNS`]) as an entry, without its attachments.
fn message_entry(r: &postgres::Row) -> TranscriptEntry {
    let provider_id: Option<String> = r.get(9);
    TranscriptEntry {
        id: r.get(0),
        interaction: r.get::<_, String>(1).into(),
        role: role_from_text(r.get(2)).into(),
        author: r.get::<_, String>(3).into(),
        author_key: r.get::<_, String>(4).into(),
        time: Timestamp(r.get(5)),
        text: r.get::<_, String>(6).into(),
        attachments: RVec::new(),
        status: status_from_columns(r.get(7), r.get(8)).into(),
        provider_id: provider_id.map_or(ROption::RNone, |p| RSome(p.into())),
    }
}

fn entries(
    client: &mut impl GenericClient,
    interaction: &str,
    limit: i64,
) -> Result<Vec<TranscriptEntry>, postgres::Error> {
    let mut entries: Vec<TranscriptEntry> = client
        .query(
            &format!(
                "SELECT {MESSAGE_COLUMNS} FROM messages WHERE interaction_id = $1
                 ORDER BY time_ms, id LIMIT $2"
            ),
            &[&interaction, &limit],
        )?
        .iter()
        .map(message_entry)
        .collect();
    for row in client.query(
        "SELECT a.id, a.message_id, a.media_type, a.name, a.size
         FROM attachments a JOIN messages m ON m.id = a.message_id
         WHERE m.interaction_id = $1 ORDER BY a.message_id, a.position",
        &[&interaction],
    )? {
        let message_id: i64 = row.get(1);
        if let Some(entry) = entries.iter_mut().find(|e| e.id == message_id) {
            entry.attachments.push(Attachment {
                id: row.get(0),
                media_type: row.get::<_, String>(2).into(),
                name: row.get::<_, String>(3).into(),
                size: row.get::<_, i64>(4).max(0) as u64,
            });
        }
    }
    Ok(entries)
}

fn callback_row(row: &postgres::Row) -> Callback {
    Callback {
        id: row.get(0),
        interaction: row.get(1),
        contact_name: row.get(2),
        number: row.get(3),
        due: Timestamp(row.get(4)),
        note: row.get(5),
        agent: row.get(6),
        state: row.get(7),
    }
}

const CALLBACK_COLUMNS: &str =
    "id, interaction_id, contact_name, number, due_ms, note, agent_id, state";

impl PgStore {
    /// The first entry of an interaction (what an offer shows), without reading the rest.
    pub fn first_message(&self, id: &str) -> Result<Option<TranscriptEntry>, StoreError> {
        entries(&mut *self.client(), id, 1)
            .map(|found| found.into_iter().next())
            .doing("reading a first message")
    }

    /// The contact's open interaction of a media type at an address (a session SMS joins it).
    pub fn open_interaction_with(
        &self,
        address: &str,
        media_type: &str,
    ) -> Result<Option<InteractionRow>, StoreError> {
        self.client()
            .query_opt(
                &format!(
                    "SELECT {INTERACTION_COLUMNS} FROM interactions
                     WHERE contact_address = $1 AND media_type = $2
                       AND state NOT IN ('closed', 'ended', 'transferred') AND NOT done
                     ORDER BY created_ms DESC LIMIT 1"
                ),
                &[&address, &media_type],
            )
            .map(|row| row.as_ref().map(interaction_row))
            .doing("looking for an open session")
    }

    /// One stored message, without its attachments (a chat line), by its id.
    pub fn message_text(&self, message_id: i64) -> Result<Option<TranscriptEntry>, StoreError> {
        self.client()
            .query_opt(
                &format!("SELECT {MESSAGE_COLUMNS} FROM messages WHERE id = $1"),
                &[&message_id],
            )
            .map(|row| row.as_ref().map(message_entry))
            .doing("reading a message")
    }

    /// The interaction a stored message belongs to.
    pub fn interaction_of_message(&self, message_id: i64) -> Result<Option<String>, StoreError> {
        self.client()
            .query_opt(
                "SELECT interaction_id FROM messages WHERE id = $1",
                &[&message_id],
            )
            .map(|row| row.map(|row| row.get(0)))
            .doing("finding a message's interaction")
    }

    /// Interactions queued for an agent, oldest first, as (id, media type, created): what the
    /// routing gateway picks up when another gateway stored them.
    pub fn queued_interactions(&self) -> Result<Vec<(String, String, Timestamp)>, StoreError> {
        self.client()
            .query(
                "SELECT id, media_type, created_ms FROM interactions
                 WHERE state = 'queued' AND NOT done ORDER BY created_ms",
                &[],
            )
            .map(|rows| {
                rows.iter()
                    .map(|row| (row.get(0), row.get(1), Timestamp(row.get(2))))
                    .collect()
            })
            .doing("reading the queued interactions")
    }

    /// Stores a conversation a platform opens itself (an instant message between agents, a
    /// consultation, one an agent starts with a contact) with its party as its contact, and its
    /// first message when there is one, in one transaction: a colleague by their exact address,
    /// a known contact by id, a consultation under the customer it is about (and linked to that
    /// interaction), as the SQLite store does.
    pub fn open_internal(
        &self,
        interaction: &InteractionRow,
        party: &Party,
        first: Option<&NewMessage>,
    ) -> Result<Option<TranscriptEntry>, StoreError> {
        let mut client = self.client();
        let mut tx = client
            .transaction()
            .doing("starting an internal conversation")?;
        let contact = match party {
            Party::Address { address, name } => {
                contacts::platform_contact(&mut tx, address, name, interaction.created)
                    .doing("finding a colleague")?
            }
            Party::Contact { id } => *id,
            Party::Consulting {
                interaction: customer,
            } => tx
                .query_opt(
                    "SELECT contact_id FROM interactions WHERE id = $1",
                    &[customer],
                )
                .doing("finding the consulted customer")?
                .and_then(|row| row.get::<_, Option<i64>>(0))
                .ok_or_else(|| StoreError::NotFound(format!("interaction {customer}")))?,
        };
        insert_interaction_with(&mut tx, interaction, contact)?;
        if let Party::Consulting {
            interaction: customer,
        } = party
        {
            tx.execute(
                "INSERT INTO consultations (interaction_id, consults) VALUES ($1, $2)",
                &[&interaction.id, customer],
            )
            .doing("linking the consultation")?;
        }
        let entry = match first {
            Some(message) => {
                Some(insert_message(&mut tx, message, &[]).doing("storing the first message")?)
            }
            None => None,
        };
        tx.commit().doing("committing the internal conversation")?;
        Ok(entry)
    }

    /// Takes the routing lease of this store if no other connection holds it (a session
    /// advisory lock: it lasts while this store's connection does, so a gateway that dies
    /// frees it). True when this store holds it now.
    pub fn try_lead(&self) -> Result<bool, StoreError> {
        let key = format!("switchboard routing {}", self.schema);
        self.first_client()
            .query_one("SELECT pg_try_advisory_lock(hashtext($1))", &[&key])
            .map(|row| row.get(0))
            .doing("taking the routing lease")
    }

    /// Interactions waiting for an agent (queued, or offered when the router stopped), oldest
    /// first, as (id, media type, created): what a gateway routes again when it starts.
    pub fn waiting_interactions(&self) -> Result<Vec<(String, String, Timestamp)>, StoreError> {
        self.client()
            .query(
                "SELECT id, media_type, created_ms FROM interactions
                 WHERE state IN ('queued', 'offered') AND NOT done ORDER BY created_ms",
                &[],
            )
            .map(|rows| {
                rows.iter()
                    .map(|row| (row.get(0), row.get(1), Timestamp(row.get(2))))
                    .collect()
            })
            .doing("reading the waiting interactions")
    }
}

/// Stores an interaction with its contact (found by address, or a new record) and case data,
/// in the caller's transaction.
fn insert_interaction(
    tx: &mut postgres::Transaction<'_>,
    interaction: &InteractionRow,
) -> Result<(), StoreError> {
    let contact = contacts::find_or_create(
        tx,
        &interaction.contact_address,
        &interaction.contact_name,
        interaction.created,
    )
    .doing("finding the contact")?;
    insert_interaction_with(tx, interaction, contact)
}

/// Stores an interaction with `contact` and its case data, in the caller's transaction.
fn insert_interaction_with(
    tx: &mut postgres::Transaction<'_>,
    interaction: &InteractionRow,
    contact: i64,
) -> Result<(), StoreError> {
    // A customer the records know is named as the records name them, in every channel.
    let known_name: Option<String> = tx
        .query_opt(
            "SELECT display_name FROM contacts WHERE id = $1 AND known",
            &[&contact],
        )
        .doing("reading the contact's name")?
        .map(|row| row.get(0));
    let contact_name = known_name.unwrap_or_else(|| interaction.contact_name.clone());
    tx.execute(
        "INSERT INTO interactions (id, media_type, contact_id, contact_name, contact_address,
                                       our_address, state, agent_id, created_ms)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        &[
            &interaction.id,
            &interaction.media_type,
            &contact,
            &contact_name,
            &interaction.contact_address,
            &interaction.our_address,
            &interaction.state.name(),
            &interaction.agent_id,
            &interaction.created.0,
        ],
    )
    .doing("storing the interaction")?;
    for (key, value) in &interaction.case_data {
        tx.execute(
            "INSERT INTO case_data (interaction_id, key, value) VALUES ($1, $2, $3)",
            &[&interaction.id, key, value],
        )
        .doing("storing case data")?;
    }
    Ok(())
}

impl InteractionRecords for PgStore {
    fn reserve_message_ids(&self, agent: &str, count: usize) -> Result<Vec<i64>, StoreError> {
        let count = count.min(switchboard_seam::records::MAX_RESERVED_IDS) as i64;
        let rows = self
            .client()
            .query(
                "INSERT INTO message_id_reservations (id, agent)
                 SELECT nextval('messages_id_seq'), $1 FROM generate_series(1, $2::BIGINT)
                 RETURNING id",
                &[&agent, &count],
            )
            .doing("reserving message ids")?;
        let mut ids: Vec<i64> = rows.iter().map(|r| r.get(0)).collect();
        ids.sort_unstable();
        Ok(ids)
    }

    fn insert_reserved_message(
        &self,
        agent: &str,
        id: i64,
        message: &NewMessage,
    ) -> Result<TranscriptEntry, StoreError> {
        let mut client = self.client();
        let mut tx = client.transaction().doing("starting to store a message")?;
        let taken = tx
            .execute(
                "DELETE FROM message_id_reservations WHERE id = $1 AND agent = $2",
                &[&id, &agent],
            )
            .doing("taking a reserved message id")?;
        if taken != 1 {
            return Err(switchboard_seam::records::not_reserved(agent, id));
        }
        let latest: Option<i64> = tx
            .query_one(
                "SELECT MAX(time_ms) FROM messages WHERE interaction_id = $1",
                &[&message.interaction],
            )
            .doing("reading the latest message")?
            .get(0);
        let message = message.after(latest.map(Timestamp));
        let entry =
            insert_message_as(&mut tx, Some(id), &message, &[]).doing("storing a message")?;
        tx.commit().doing("committing a message")?;
        Ok(entry)
    }

    fn record_opening(
        &self,
        interaction: &InteractionRow,
        message: &NewMessage,
        attachments: &[NewAttachment],
    ) -> Result<Option<TranscriptEntry>, StoreError> {
        let mut client = self.client();
        let mut tx = client
            .transaction()
            .doing("starting an inbound transaction")?;
        if already_stored(&mut tx, message).doing("checking for a redelivered message")? {
            return Ok(None);
        }
        insert_interaction(&mut tx, interaction)?;
        let entry = insert_message(&mut tx, message, attachments).doing("storing the message")?;
        tx.commit().doing("committing the inbound message")?;
        Ok(Some(entry))
    }

    fn interaction(&self, id: &str) -> Result<Option<InteractionRow>, StoreError> {
        Ok(self
            .client()
            .query_opt(
                &format!("SELECT {INTERACTION_COLUMNS} FROM interactions WHERE id = $1"),
                &[&id],
            )
            .doing("reading an interaction")?
            .as_ref()
            .map(interaction_row))
    }

    fn case_data(&self, id: &str) -> Result<Vec<KeyValue>, StoreError> {
        Ok(self
            .client()
            .query(
                "SELECT key, value FROM case_data WHERE interaction_id = $1 ORDER BY key",
                &[&id],
            )
            .doing("reading case data")?
            .iter()
            .map(|r| KeyValue {
                key: r.get::<_, String>(0).into(),
                value: r.get::<_, String>(1).into(),
            })
            .collect())
    }

    fn set_case_value(&self, interaction: &str, key: &str, value: &str) -> Result<(), StoreError> {
        self.client()
            .execute(
                "INSERT INTO case_data (interaction_id, key, value) VALUES ($1, $2, $3)
                 ON CONFLICT (interaction_id, key) DO UPDATE SET value = excluded.value",
                &[&interaction, &key, &value],
            )
            .doing("saving a case-data value")?;
        Ok(())
    }

    fn transcript(&self, id: &str) -> Result<Vec<TranscriptEntry>, StoreError> {
        transcript(&mut *self.client(), id).doing("reading a transcript")
    }

    fn insert_message(
        &self,
        message: &NewMessage,
        attachments: &[NewAttachment],
    ) -> Result<Option<TranscriptEntry>, StoreError> {
        let mut client = self.client();
        let mut tx = client.transaction().doing("starting to store a message")?;
        if already_stored(&mut tx, message).doing("checking for a redelivered message")? {
            return Ok(None);
        }
        let entry = insert_message(&mut tx, message, attachments).doing("storing a message")?;
        tx.commit().doing("committing a message")?;
        Ok(Some(entry))
    }

    fn set_status(&self, message_id: i64, status: &DeliveryStatus) -> Result<(), StoreError> {
        let (text, reason) = status_to_columns(status);
        self.client()
            .execute(
                "UPDATE messages SET status = $1, status_reason = $2 WHERE id = $3",
                &[&text, &reason, &message_id],
            )
            .doing("updating a delivery status")?;
        Ok(())
    }

    fn set_interaction_state(
        &self,
        id: &str,
        state: InteractionState,
        agent: Option<&str>,
    ) -> Result<(), StoreError> {
        self.client()
            .execute(
                "UPDATE interactions SET state = $1, agent_id = COALESCE($2, agent_id)
                 WHERE id = $3",
                &[&state.name(), &agent, &id],
            )
            .doing("updating an interaction's state")?;
        Ok(())
    }

    fn close_interaction(&self, id: &str, done: bool, at: Timestamp) -> Result<(), StoreError> {
        self.client()
            .execute(
                "UPDATE interactions SET state = 'closed', done = $1, closed_ms = $2 WHERE id = $3",
                &[&done, &at.0, &id],
            )
            .doing("closing an interaction")?;
        Ok(())
    }

    fn held_by(&self, agent: &str) -> Result<Vec<InteractionRow>, StoreError> {
        Ok(self
            .client()
            .query(
                &format!(
                    "SELECT {INTERACTION_COLUMNS} FROM interactions
                     WHERE agent_id = $1 AND state IN ('accepted', 'ended') AND NOT done
                     ORDER BY created_ms"
                ),
                &[&agent],
            )
            .doing("reading an agent's open interactions")?
            .iter()
            .map(interaction_row)
            .collect())
    }

    fn consulted(&self, interaction: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .client()
            .query_opt(
                "SELECT consults FROM consultations WHERE interaction_id = $1",
                &[&interaction],
            )
            .doing("reading a consultation")?
            .map(|r| r.get(0)))
    }

    fn attachment(&self, id: i64) -> Result<Option<StoredAttachment>, StoreError> {
        Ok(self
            .client()
            .query_opt(
                "SELECT a.id, a.message_id, m.interaction_id, a.media_type, a.name, a.size,
                        a.thumbnail, a.problem
                 FROM attachments a JOIN messages m ON m.id = a.message_id WHERE a.id = $1",
                &[&id],
            )
            .doing("reading an attachment")?
            .map(|r| StoredAttachment {
                id: r.get(0),
                message_id: r.get(1),
                interaction: r.get(2),
                media_type: r.get(3),
                name: r.get(4),
                size: r.get::<_, i64>(5).max(0) as u64,
                thumbnail: r.get(6),
                problem: r.get(7),
            }))
    }

    fn attachment_bytes(&self, id: i64) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self
            .client()
            .query_opt("SELECT data FROM attachments WHERE id = $1", &[&id])
            .doing("reading an attachment's bytes")?
            .and_then(|r| r.get(0)))
    }
}

impl ContactRecords for PgStore {
    fn contact(&self, id: i64) -> Result<Option<Contact>, StoreError> {
        contacts::contact(&mut *self.client(), id).doing("reading a contact")
    }

    fn contact_of_interaction(&self, id: &str) -> Result<Option<Contact>, StoreError> {
        contacts::contact_of_interaction(&mut *self.client(), id).doing("reading a contact")
    }

    fn search_contacts(&self, query: &str, limit: usize) -> Result<Vec<Contact>, StoreError> {
        contacts::search(&mut *self.client(), query, limit).doing("searching contacts")
    }

    fn update_contact(&self, contact: &Contact) -> Result<(), StoreError> {
        let mut client = self.client();
        let mut tx = client.transaction().doing("starting to save a contact")?;
        contacts::save(&mut tx, contact)
            .doing("saving a contact")?
            .map_err(StoreError::AddressTaken)?;
        tx.commit().doing("committing a contact")
    }

    fn assign_contact(&self, interaction: &str, contact_id: i64) -> Result<(), StoreError> {
        let changed = self
            .client()
            .execute(
                "UPDATE interactions SET contact_id = $2 WHERE id = $1
                 AND EXISTS (SELECT 1 FROM contacts WHERE id = $2)",
                &[&interaction, &contact_id],
            )
            .doing("assigning a contact")?;
        if changed == 0 {
            return Err(StoreError::NotFound(format!(
                "interaction {interaction} or contact {contact_id}"
            )));
        }
        Ok(())
    }

    fn other_interactions(
        &self,
        contact_id: i64,
        exclude: &str,
        since: Timestamp,
    ) -> Result<usize, StoreError> {
        Ok(self
            .client()
            .query_one(
                "SELECT COUNT(*) FROM interactions
                 WHERE contact_id = $1 AND id <> $2 AND (state <> 'closed' OR created_ms >= $3)",
                &[&contact_id, &exclude, &since.0],
            )
            .doing("counting interactions")?
            .get::<_, i64>(0) as usize)
    }

    fn assigned_contacts(
        &self,
        agent: &str,
        limit: usize,
    ) -> Result<Vec<AssignedContact>, StoreError> {
        let mut client = self.client();
        let rows = client
            .query(
                "SELECT i.contact_id, MAX(i.created_ms) FROM interactions i
                 JOIN contacts c ON c.id = i.contact_id
                 WHERE i.agent_id = $1
                   AND (c.platform_id IS NULL OR c.platform_id LIKE 'chat:%')
                 GROUP BY i.contact_id ORDER BY MAX(i.created_ms) DESC LIMIT $2",
                &[&agent, &(limit as i64)],
            )
            .doing("listing assigned contacts")?;
        let mut assigned = Vec::with_capacity(rows.len());
        for row in rows {
            let (contact_id, last): (i64, i64) = (row.get(0), row.get(1));
            let Some(contact) =
                contacts::contact(&mut *client, contact_id).doing("reading a contact")?
            else {
                continue;
            };
            let unread: i64 = client
                .query_one(
                    "SELECT COUNT(*) FROM messages m JOIN interactions i ON i.id = m.interaction_id
                     WHERE i.contact_id = $1 AND m.role = 'contact' AND m.time_ms > GREATEST(
                        COALESCE((SELECT read_ms FROM contact_reads
                                  WHERE agent_id = $2 AND contact_id = $1), 0),
                        COALESCE((SELECT MAX(m2.time_ms) FROM messages m2
                                  JOIN interactions i2 ON i2.id = m2.interaction_id
                                  WHERE i2.contact_id = $1 AND m2.role = 'agent'), 0))",
                    &[&contact_id, &agent],
                )
                .doing("counting unread messages")?
                .get(0);
            let media_types = client
                .query(
                    "SELECT media_type FROM interactions WHERE contact_id = $1
                     GROUP BY media_type ORDER BY MAX(created_ms) DESC",
                    &[&contact_id],
                )
                .doing("listing a contact's channels")?
                .iter()
                .map(|r| r.get(0))
                .collect();
            let chat_address = chat_address(&mut *client, contact_id)?;
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

    fn chat_address_of(&self, contact_id: i64) -> Result<Option<String>, StoreError> {
        chat_address(&mut *self.client(), contact_id)
    }

    fn mark_contact_read(
        &self,
        agent: &str,
        contact_id: i64,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.client()
            .execute(
                "INSERT INTO contact_reads (agent_id, contact_id, read_ms) VALUES ($1, $2, $3)
                 ON CONFLICT (agent_id, contact_id) DO UPDATE SET read_ms = excluded.read_ms",
                &[&agent, &contact_id, &now.0],
            )
            .doing("marking a contact read")?;
        Ok(())
    }
}

fn chat_address(
    client: &mut impl GenericClient,
    contact_id: i64,
) -> Result<Option<String>, StoreError> {
    Ok(client
        .query_opt(
            "SELECT contact_address FROM interactions
             WHERE contact_id = $1 AND contact_address LIKE 'chat:%'
             ORDER BY created_ms DESC LIMIT 1",
            &[&contact_id],
        )
        .doing("finding a contact's chat")?
        .map(|r| r.get(0)))
}

impl WrapUpRecords for PgStore {
    fn set_note(&self, id: &str, body: &str, now: Timestamp) -> Result<(), StoreError> {
        self.client()
            .execute(
                "INSERT INTO notes (interaction_id, body, updated_ms) VALUES ($1, $2, $3)
                 ON CONFLICT (interaction_id) DO UPDATE
                 SET body = excluded.body, updated_ms = excluded.updated_ms",
                &[&id, &body, &now.0],
            )
            .doing("saving a note")?;
        Ok(())
    }

    fn note(&self, id: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .client()
            .query_opt("SELECT body FROM notes WHERE interaction_id = $1", &[&id])
            .doing("reading a note")?
            .map(|r| r.get(0)))
    }

    fn set_disposition(&self, id: &str, code: &str, now: Timestamp) -> Result<(), StoreError> {
        self.client()
            .execute(
                "INSERT INTO dispositions (interaction_id, code, updated_ms) VALUES ($1, $2, $3)
                 ON CONFLICT (interaction_id) DO UPDATE
                 SET code = excluded.code, updated_ms = excluded.updated_ms",
                &[&id, &code, &now.0],
            )
            .doing("saving a disposition")?;
        Ok(())
    }

    fn disposition(&self, id: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .client()
            .query_opt(
                "SELECT code FROM dispositions WHERE interaction_id = $1",
                &[&id],
            )
            .doing("reading a disposition")?
            .map(|r| r.get(0)))
    }

    fn schedule_callback(&self, callback: &Callback, now: Timestamp) -> Result<i64, StoreError> {
        Ok(self
            .client()
            .query_one(
                "INSERT INTO callbacks (interaction_id, contact_name, number, due_ms, note,
                                        agent_id, state, created_ms)
                 VALUES ($1, $2, $3, $4, $5, $6, 'scheduled', $7) RETURNING id",
                &[
                    &callback.interaction,
                    &callback.contact_name,
                    &callback.number,
                    &callback.due.0,
                    &callback.note,
                    &callback.agent,
                    &now.0,
                ],
            )
            .doing("scheduling a callback")?
            .get(0))
    }

    fn callbacks_of(&self, agent: &str) -> Result<Vec<Callback>, StoreError> {
        Ok(self
            .client()
            .query(
                &format!(
                    "SELECT {CALLBACK_COLUMNS} FROM callbacks WHERE agent_id = $1 ORDER BY due_ms"
                ),
                &[&agent],
            )
            .doing("reading callbacks")?
            .iter()
            .map(callback_row)
            .collect())
    }

    fn take_due_callbacks(&self, agent: &str, now: Timestamp) -> Result<Vec<Callback>, StoreError> {
        // One statement marks and returns them: two gateways never notify one twice.
        let mut due: Vec<Callback> = self
            .client()
            .query(
                &format!(
                    "UPDATE callbacks SET state = 'notified'
                     WHERE agent_id = $1 AND state = 'scheduled' AND due_ms <= $2
                     RETURNING {CALLBACK_COLUMNS}"
                ),
                &[&agent, &now.0],
            )
            .doing("reading due callbacks")?
            .iter()
            .map(|r| Callback {
                state: "scheduled".into(),
                ..callback_row(r)
            })
            .collect();
        due.sort_by_key(|c| c.due);
        Ok(due)
    }
}

impl HistoryRecords for PgStore {
    fn history(&self, contact_id: i64, limit: usize) -> Result<Vec<HistoryItem>, StoreError> {
        history::history(&mut *self.client(), contact_id, limit).doing("reading history")
    }

    fn search_history(
        &self,
        contact_id: i64,
        query: &str,
        limit: usize,
    ) -> Result<Vec<HistoryItem>, StoreError> {
        history::search(&mut *self.client(), contact_id, query, limit).doing("searching history")
    }
}

impl AgentRecords for PgStore {
    fn toggle_favourite(&self, agent: &str, kind: &str, id: &str) -> Result<bool, StoreError> {
        let mut client = self.client();
        let removed = client
            .execute(
                "DELETE FROM favourites WHERE agent_id = $1 AND kind = $2 AND target_id = $3",
                &[&agent, &kind, &id],
            )
            .doing("removing a favourite")?;
        if removed > 0 {
            return Ok(false);
        }
        client
            .execute(
                "INSERT INTO favourites (agent_id, kind, target_id) VALUES ($1, $2, $3)
                 ON CONFLICT DO NOTHING",
                &[&agent, &kind, &id],
            )
            .doing("saving a favourite")?;
        Ok(true)
    }

    fn favourites(&self, agent: &str) -> Result<Vec<(String, String)>, StoreError> {
        Ok(self
            .client()
            .query(
                "SELECT kind, target_id FROM favourites WHERE agent_id = $1
                 ORDER BY kind, target_id",
                &[&agent],
            )
            .doing("reading favourites")?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect())
    }

    fn record_recent(
        &self,
        agent: &str,
        kind: &str,
        id: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.client()
            .execute(
                "INSERT INTO recents (agent_id, kind, target_id, used_ms) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (agent_id, kind, target_id) DO UPDATE SET used_ms = excluded.used_ms",
                &[&agent, &kind, &id, &now.0],
            )
            .doing("recording a recent target")?;
        Ok(())
    }

    fn recents(&self, agent: &str, limit: usize) -> Result<Vec<(String, String)>, StoreError> {
        Ok(self
            .client()
            .query(
                "SELECT kind, target_id FROM recents WHERE agent_id = $1
                 ORDER BY used_ms DESC LIMIT $2",
                &[&agent, &(limit as i64)],
            )
            .doing("reading recent targets")?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect())
    }

    fn add_personal_word(&self, agent: &str, language: &str, word: &str) -> Result<(), StoreError> {
        self.client()
            .execute(
                "INSERT INTO personal_words (agent_id, language, word) VALUES ($1, $2, $3)
                 ON CONFLICT DO NOTHING",
                &[&agent, &language, &word],
            )
            .doing("saving a personal word")?;
        Ok(())
    }

    fn personal_words(&self, agent: &str) -> Result<Vec<PersonalWord>, StoreError> {
        Ok(self
            .client()
            .query(
                "SELECT language, word FROM personal_words WHERE agent_id = $1
                 ORDER BY word COLLATE \"C\", language",
                &[&agent],
            )
            .doing("reading personal words")?
            .iter()
            .map(|r| PersonalWord {
                language: r.get(0),
                word: r.get(1),
            })
            .collect())
    }

    fn record_pushed_url(&self, agent: &str, url: &str, now: Timestamp) -> Result<(), StoreError> {
        self.client()
            .execute(
                "INSERT INTO pushed_urls (agent_id, url, pushed_ms) VALUES ($1, $2, $3)
                 ON CONFLICT (agent_id, url) DO UPDATE SET pushed_ms = excluded.pushed_ms",
                &[&agent, &url, &now.0],
            )
            .doing("remembering a pushed link")?;
        Ok(())
    }

    fn pushed_urls(&self, agent: &str, limit: usize) -> Result<Vec<String>, StoreError> {
        Ok(self
            .client()
            .query(
                "SELECT url FROM pushed_urls WHERE agent_id = $1
                 ORDER BY pushed_ms DESC, url LIMIT $2",
                &[&agent, &(limit as i64)],
            )
            .doing("listing pushed links")?
            .iter()
            .map(|r| r.get(0))
            .collect())
    }
}
