//! The record traits of the seam, implemented over SQLite: each method takes the connection,
//! runs its statements (in one transaction where a record spans rows) and names what it was
//! doing when SQLite refuses.

use rusqlite::{OptionalExtension, params};
use switchboard_sdk::{DeliveryStatus, KeyValue, Timestamp, TranscriptEntry};
use switchboard_seam::records::{
    AgentRecords, Callback, Contact, ContactRecords, HistoryItem, HistoryRecords,
    InteractionRecords, InteractionRow, InteractionState, NewAttachment, NewMessage, PersonalWord,
    StoreError, StoredAttachment, WrapUpRecords,
};

use super::{Doing, Store, assigned, callbacks, contacts, history, media, rows, team};

impl InteractionRecords for Store {
    fn record_opening(
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
        // A customer the records know is named as the records name them, in every channel.
        let known_name: Option<String> = tx
            .query_row(
                "SELECT display_name FROM contacts WHERE id = ?1 AND known = 1",
                [contact_id],
                |r| r.get(0),
            )
            .optional()
            .doing("reading the contact's name")?;
        let named;
        let interaction = match known_name {
            Some(name) if name != interaction.contact_name => {
                named = InteractionRow {
                    contact_name: name,
                    ..interaction.clone()
                };
                &named
            }
            _ => interaction,
        };
        rows::insert_interaction(&tx, interaction, contact_id).doing("storing the interaction")?;
        let mut entry = rows::insert_message(&tx, message).doing("storing the message")?;
        media::insert_attachments(&tx, &mut entry, attachments)
            .doing("storing the message's media")?;
        tx.commit().doing("committing the inbound message")?;
        Ok(Some(entry))
    }

    fn insert_message(
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

    fn reserve_message_ids(&self, agent: &str, count: usize) -> Result<Vec<i64>, StoreError> {
        let count = count.min(switchboard_seam::records::MAX_RESERVED_IDS);
        let mut conn = self.conn();
        let tx = conn
            .transaction()
            .doing("starting to reserve message ids")?;
        let ids = rows::reserve_message_ids(&tx, agent, count).doing("reserving message ids")?;
        tx.commit().doing("committing reserved message ids")?;
        Ok(ids)
    }

    fn insert_reserved_message(
        &self,
        agent: &str,
        id: i64,
        message: &NewMessage,
    ) -> Result<TranscriptEntry, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction().doing("starting to store a message")?;
        if !rows::take_reservation(&tx, agent, id).doing("taking a reserved message id")? {
            return Err(switchboard_seam::records::not_reserved(agent, id));
        }
        let latest =
            rows::latest_time(&tx, &message.interaction).doing("reading the latest message")?;
        let message = message.after(latest);
        let entry = rows::insert_message_as(&tx, Some(id), &message).doing("storing a message")?;
        tx.commit().doing("committing a message")?;
        Ok(entry)
    }

    /// Sets one case-data value of an interaction (added or replaced).
    fn set_case_value(&self, interaction: &str, key: &str, value: &str) -> Result<(), StoreError> {
        self.conn()
            .execute(
                "INSERT INTO case_data (interaction_id, key, value) VALUES (?1, ?2, ?3)
                 ON CONFLICT (interaction_id, key) DO UPDATE SET value = excluded.value",
                params![interaction, key, value],
            )
            .doing("saving a case-data value")?;
        Ok(())
    }

    /// A stored attachment with its thumbnail (not its bytes).
    fn held_by(&self, agent: &str) -> Result<Vec<InteractionRow>, StoreError> {
        rows::held_by(&self.conn(), agent).doing("reading an agent's open interactions")
    }

    fn consulted(&self, interaction: &str) -> Result<Option<String>, StoreError> {
        self.consultation_of(interaction)
    }

    fn attachment(&self, id: i64) -> Result<Option<StoredAttachment>, StoreError> {
        media::attachment(&self.conn(), id).doing("reading an attachment")
    }

    /// The checked bytes of an attachment; `None` when it failed the checks.
    fn attachment_bytes(&self, id: i64) -> Result<Option<Vec<u8>>, StoreError> {
        media::attachment_bytes(&self.conn(), id).doing("reading an attachment's bytes")
    }

    /// The interaction, if it exists.
    fn interaction(&self, id: &str) -> Result<Option<InteractionRow>, StoreError> {
        rows::interaction(&self.conn(), id).doing("reading an interaction")
    }

    /// The case data of an interaction, by key.
    fn case_data(&self, id: &str) -> Result<Vec<KeyValue>, StoreError> {
        rows::case_data(&self.conn(), id).doing("reading case data")
    }

    /// All entries of an interaction, oldest first.
    fn transcript(&self, id: &str) -> Result<Vec<TranscriptEntry>, StoreError> {
        let conn = self.conn();
        let mut entries = rows::transcript(&conn, id).doing("reading a transcript")?;
        media::attach_to_transcript(&conn, id, &mut entries)
            .doing("reading a transcript's media")?;
        Ok(entries)
    }

    /// Updates the delivery status of an outbound message.
    fn set_status(&self, message_id: i64, status: &DeliveryStatus) -> Result<(), StoreError> {
        let (text, reason) = switchboard_seam::records::status_to_columns(status);
        self.conn()
            .execute(
                "UPDATE messages SET status = ?1, status_reason = ?2 WHERE id = ?3",
                params![text, reason, message_id],
            )
            .doing("updating a delivery status")?;
        Ok(())
    }

    /// Marks who handles an interaction and its state (`queued`, `accepted`, `closed`).
    fn set_interaction_state(
        &self,
        id: &str,
        state: InteractionState,
        agent: Option<&str>,
    ) -> Result<(), StoreError> {
        let state = state.name();
        self.conn()
            .execute(
                "UPDATE interactions SET state = ?1, agent_id = COALESCE(?2, agent_id) WHERE id = ?3",
                params![state, agent, id],
            )
            .doing("updating an interaction's state")?;
        Ok(())
    }

    /// Closes an interaction; `done` records that the agent finished it.
    fn close_interaction(&self, id: &str, done: bool, at: Timestamp) -> Result<(), StoreError> {
        self.conn()
            .execute(
                "UPDATE interactions SET state = 'closed', done = ?1, closed_ms = ?2 WHERE id = ?3",
                params![done, at.0, id],
            )
            .doing("closing an interaction")?;
        Ok(())
    }
}

impl ContactRecords for Store {
    fn assigned_contacts(
        &self,
        agent: &str,
        limit: usize,
    ) -> Result<Vec<switchboard_seam::records::AssignedContact>, StoreError> {
        self.list_assigned(agent, limit)
    }

    fn chat_address_of(&self, contact_id: i64) -> Result<Option<String>, StoreError> {
        assigned::chat_address(&self.conn(), contact_id).doing("finding a contact's chat")
    }

    fn mark_contact_read(
        &self,
        agent: &str,
        contact_id: i64,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.mark_read(agent, contact_id, now)
    }

    /// The contact an interaction is with.
    fn contact_of_interaction(&self, id: &str) -> Result<Option<Contact>, StoreError> {
        contacts::contact_of_interaction(&self.conn(), id).doing("reading a contact")
    }

    /// Assigns an interaction to another contact (an unknown sender who is a known customer):
    /// the interaction, and its messages and note in the history index, move to that contact.
    fn assign_contact(&self, interaction: &str, contact_id: i64) -> Result<(), StoreError> {
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
            return Err(StoreError::NotFound(format!(
                "interaction {interaction} or contact {contact_id}"
            )));
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
    fn update_contact(&self, contact: &Contact) -> Result<(), StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction().doing("starting to save a contact")?;
        contacts::save_contact(&tx, contact)
            .doing("saving a contact")?
            .map_err(StoreError::AddressTaken)?;
        tx.commit().doing("committing a contact")
    }

    /// How many other interactions of the contact are open or were created since `since`.
    fn other_interactions(
        &self,
        contact_id: i64,
        exclude: &str,
        since: Timestamp,
    ) -> Result<usize, StoreError> {
        history::other_interactions(&self.conn(), contact_id, exclude, since)
            .doing("counting interactions")
    }

    /// The contact with this id.
    fn contact(&self, id: i64) -> Result<Option<Contact>, StoreError> {
        contacts::contact(&self.conn(), id).doing("reading a contact")
    }

    /// Contacts whose name, phone or e-mail contain `query`.
    fn search_contacts(&self, query: &str, limit: usize) -> Result<Vec<Contact>, StoreError> {
        contacts::search_contacts(&self.conn(), query, limit).doing("searching contacts")
    }
}

impl WrapUpRecords for Store {
    /// Saves the agent's note on an interaction (replacing the previous one).
    fn set_note(&self, id: &str, body: &str, now: Timestamp) -> Result<(), StoreError> {
        history::set_note(&self.conn(), id, body, now).doing("saving a note")
    }

    /// The agent's note on an interaction.
    fn note(&self, id: &str) -> Result<Option<String>, StoreError> {
        history::note(&self.conn(), id).doing("reading a note")
    }

    /// Records the disposition code of an interaction.
    fn set_disposition(&self, id: &str, code: &str, now: Timestamp) -> Result<(), StoreError> {
        history::set_disposition(&self.conn(), id, code, now).doing("saving a disposition")
    }

    /// The disposition code of an interaction.
    fn disposition(&self, id: &str) -> Result<Option<String>, StoreError> {
        history::disposition(&self.conn(), id).doing("reading a disposition")
    }

    /// Stores a callback; returns its id.
    fn schedule_callback(&self, callback: &Callback, now: Timestamp) -> Result<i64, StoreError> {
        callbacks::schedule(&self.conn(), callback, now).doing("scheduling a callback")
    }

    /// An agent's callbacks, soonest first.
    fn callbacks_of(&self, agent: &str) -> Result<Vec<Callback>, StoreError> {
        callbacks::upcoming(&self.conn(), agent).doing("reading callbacks")
    }

    /// The agent's callbacks that fell due by `now` and were not notified yet (they are marked
    /// notified).
    fn take_due_callbacks(&self, agent: &str, now: Timestamp) -> Result<Vec<Callback>, StoreError> {
        callbacks::take_due(&self.conn(), agent, now).doing("reading due callbacks")
    }
}

impl HistoryRecords for Store {
    /// The contact's interactions, newest first.
    fn history(&self, contact_id: i64, limit: usize) -> Result<Vec<HistoryItem>, StoreError> {
        history::history(&self.conn(), contact_id, limit).doing("reading history")
    }

    /// The contact's interactions whose transcript or note match `query` (every word, as a
    /// prefix), best first, each with a matching excerpt. An empty query lists the history.
    fn search_history(
        &self,
        contact_id: i64,
        query: &str,
        limit: usize,
    ) -> Result<Vec<HistoryItem>, StoreError> {
        history::search_history(&self.conn(), contact_id, query, limit).doing("searching history")
    }
}

impl AgentRecords for Store {
    fn record_pushed_url(&self, agent: &str, url: &str, now: Timestamp) -> Result<(), StoreError> {
        self.remember_pushed_url(agent, url, now)
    }

    fn pushed_urls(&self, agent: &str, limit: usize) -> Result<Vec<String>, StoreError> {
        self.list_pushed_urls(agent, limit)
    }

    /// Adds or removes a Team Communicator favourite; true when it is one afterwards.
    fn toggle_favourite(&self, agent: &str, kind: &str, id: &str) -> Result<bool, StoreError> {
        team::toggle_favourite(&self.conn(), agent, kind, id).doing("saving a favourite")
    }

    /// An agent's favourites as (kind, id).
    fn favourites(&self, agent: &str) -> Result<Vec<(String, String)>, StoreError> {
        team::favourites(&self.conn(), agent).doing("reading favourites")
    }

    /// Records that an agent used a target.
    fn record_recent(
        &self,
        agent: &str,
        kind: &str,
        id: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        team::record_recent(&self.conn(), agent, kind, id, now).doing("recording a recent target")
    }

    /// An agent's recently used targets as (kind, id), most recent first.
    fn recents(&self, agent: &str, limit: usize) -> Result<Vec<(String, String)>, StoreError> {
        team::recents(&self.conn(), agent, limit).doing("reading recent targets")
    }

    /// Adds a word to an agent's personal dictionary for one language.
    fn add_personal_word(&self, agent: &str, language: &str, word: &str) -> Result<(), StoreError> {
        team::add_personal_word(&self.conn(), agent, language, word).doing("saving a personal word")
    }

    /// An agent's personal dictionary.
    fn personal_words(&self, agent: &str) -> Result<Vec<PersonalWord>, StoreError> {
        team::personal_words(&self.conn(), agent).doing("reading personal words")
    }
}
