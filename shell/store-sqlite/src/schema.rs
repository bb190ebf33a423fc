//! Versioned schema migrations, applied in order and recorded in `PRAGMA user_version`.

use rusqlite::{Connection, Transaction};

/// Each entry moves the schema from version `index` to `index + 1`. Never edit a shipped one.
const MIGRATIONS: &[&str] = &[
    // 1: contacts, interactions, messages, notes, dispositions, case data.
    "CREATE TABLE contacts (
        id INTEGER PRIMARY KEY,
        display_name TEXT NOT NULL,
        phone TEXT UNIQUE,
        email TEXT,
        language TEXT,
        created_ms INTEGER NOT NULL
    );
    CREATE TABLE interactions (
        id TEXT PRIMARY KEY,
        media_type TEXT NOT NULL,
        contact_id INTEGER REFERENCES contacts(id),
        contact_name TEXT NOT NULL,
        contact_address TEXT NOT NULL,
        our_address TEXT NOT NULL,
        state TEXT NOT NULL,
        agent_id TEXT,
        created_ms INTEGER NOT NULL,
        closed_ms INTEGER,
        done INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX interactions_by_contact ON interactions(contact_id, created_ms);
    CREATE INDEX interactions_by_state ON interactions(state, created_ms);
    CREATE TABLE case_data (
        interaction_id TEXT NOT NULL REFERENCES interactions(id),
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (interaction_id, key)
    );
    CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        interaction_id TEXT NOT NULL REFERENCES interactions(id),
        role TEXT NOT NULL,
        author TEXT NOT NULL,
        author_key TEXT NOT NULL,
        time_ms INTEGER NOT NULL,
        body TEXT NOT NULL,
        status TEXT NOT NULL,
        status_reason TEXT,
        provider_id TEXT UNIQUE,
        parts INTEGER NOT NULL DEFAULT 1
    );
    CREATE INDEX messages_by_interaction ON messages(interaction_id, id);
    CREATE TABLE notes (
        interaction_id TEXT PRIMARY KEY REFERENCES interactions(id),
        body TEXT NOT NULL,
        updated_ms INTEGER NOT NULL
    );
    CREATE TABLE dispositions (
        interaction_id TEXT PRIMARY KEY REFERENCES interactions(id),
        code TEXT NOT NULL,
        chosen_ms INTEGER NOT NULL
    );",
    // 2: full-text search over transcripts and notes. Each row carries its contact as an
    //    indexed `owner` token (`c42`), so a search within one contact intersects a short
    //    doclist instead of filtering every hit of a common word.
    "CREATE VIRTUAL TABLE history_fts USING fts5(
        body, owner, kind UNINDEXED, interaction_id UNINDEXED,
        tokenize = 'unicode61 remove_diacritics 2'
    );
    INSERT INTO history_fts(rowid, body, owner, kind, interaction_id)
        SELECT m.id, m.body, 'c' || i.contact_id, 'message', m.interaction_id
        FROM messages m JOIN interactions i ON i.id = m.interaction_id;
    CREATE TRIGGER history_fts_message AFTER INSERT ON messages BEGIN
        INSERT INTO history_fts(rowid, body, owner, kind, interaction_id)
        SELECT new.id, new.body, 'c' || contact_id, 'message', new.interaction_id
        FROM interactions WHERE id = new.interaction_id;
    END;
    CREATE TRIGGER history_fts_message_delete AFTER DELETE ON messages BEGIN
        DELETE FROM history_fts WHERE rowid = old.id;
    END;
    CREATE TRIGGER history_fts_note AFTER INSERT ON notes BEGIN
        INSERT INTO history_fts(rowid, body, owner, kind, interaction_id)
        SELECT -(SELECT rowid FROM notes WHERE interaction_id = new.interaction_id), new.body,
               'c' || contact_id, 'note', new.interaction_id
        FROM interactions WHERE id = new.interaction_id;
    END;
    CREATE TRIGGER history_fts_note_update AFTER UPDATE ON notes BEGIN
        DELETE FROM history_fts WHERE kind = 'note' AND interaction_id = old.interaction_id;
        INSERT INTO history_fts(rowid, body, owner, kind, interaction_id)
        SELECT -(SELECT rowid FROM notes WHERE interaction_id = new.interaction_id), new.body,
               'c' || contact_id, 'note', new.interaction_id
        FROM interactions WHERE id = new.interaction_id;
    END;
    CREATE INDEX contacts_by_email ON contacts(email);",
    // 3: callbacks scheduled by agents.
    "CREATE TABLE callbacks (
        id INTEGER PRIMARY KEY,
        interaction_id TEXT REFERENCES interactions(id),
        contact_name TEXT NOT NULL,
        number TEXT NOT NULL,
        due_ms INTEGER NOT NULL,
        note TEXT NOT NULL,
        agent_id TEXT NOT NULL,
        state TEXT NOT NULL,
        created_ms INTEGER NOT NULL
    );
    CREATE INDEX callbacks_due ON callbacks(state, due_ms);",
    // 4: the Team Communicator's favourites and recents, per agent.
    "CREATE TABLE favourites (
        agent_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        target_id TEXT NOT NULL,
        PRIMARY KEY (agent_id, kind, target_id)
    );
    CREATE TABLE recents (
        agent_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        target_id TEXT NOT NULL,
        used_ms INTEGER NOT NULL,
        PRIMARY KEY (agent_id, kind, target_id)
    );
    CREATE INDEX contacts_by_name ON contacts(display_name);",
    // 5: each agent's personal dictionary.
    "CREATE TABLE personal_words (
        agent_id TEXT NOT NULL,
        word TEXT NOT NULL,
        PRIMARY KEY (agent_id, word)
    );",
    // 6: media sent with messages (MMS images): the checked bytes, their thumbnail, or why
    //    the item cannot be shown; and the lookup of a delivery report by the provider's id.
    "CREATE TABLE attachments (
        id INTEGER PRIMARY KEY,
        message_id INTEGER NOT NULL REFERENCES messages(id),
        position INTEGER NOT NULL,
        media_type TEXT NOT NULL,
        name TEXT NOT NULL,
        size INTEGER NOT NULL,
        data BLOB,
        thumbnail BLOB,
        problem TEXT
    );
    CREATE INDEX attachments_by_message ON attachments(message_id, position);
    CREATE TABLE provider_parts (
        provider_id TEXT PRIMARY KEY,
        message_id INTEGER NOT NULL REFERENCES messages(id)
    );",
    // 7: full contact records: first and last names, several phones and e-mails with labels,
    //    custom fields, and whether the record was made by an agent or stands for an unknown
    //    sender. `contacts.phone`/`email` keep mirroring the first phone and e-mail.
    "ALTER TABLE contacts ADD COLUMN first_name TEXT NOT NULL DEFAULT '';
    ALTER TABLE contacts ADD COLUMN last_name TEXT NOT NULL DEFAULT '';
    ALTER TABLE contacts ADD COLUMN known INTEGER NOT NULL DEFAULT 1;
    UPDATE contacts SET known = 0 WHERE display_name = '' OR display_name = phone;
    UPDATE contacts SET
        first_name = CASE WHEN instr(display_name, ' ') > 0
            THEN substr(display_name, 1, instr(display_name, ' ') - 1) ELSE display_name END,
        last_name = CASE WHEN instr(display_name, ' ') > 0
            THEN substr(display_name, instr(display_name, ' ') + 1) ELSE '' END
        WHERE known = 1;
    CREATE TABLE contact_points (
        contact_id INTEGER NOT NULL REFERENCES contacts(id),
        kind TEXT NOT NULL,
        position INTEGER NOT NULL,
        label TEXT NOT NULL,
        value TEXT NOT NULL,
        match_key TEXT NOT NULL,
        PRIMARY KEY (contact_id, kind, position)
    );
    CREATE INDEX contact_points_by_key ON contact_points(kind, match_key);
    CREATE TABLE contact_fields (
        contact_id INTEGER NOT NULL REFERENCES contacts(id),
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (contact_id, position)
    );",
    // 8: internal conversations (instant messages between agents). A consultation names the
    //    customer interaction it is about; its side panels read that interaction's case data,
    //    contact and history.
    "CREATE TABLE consultations (
        interaction_id TEXT PRIMARY KEY REFERENCES interactions(id),
        consults TEXT NOT NULL REFERENCES interactions(id)
    );",
    // 9: links each agent pushed to chat customers, for the URL editor's list.
    "CREATE TABLE pushed_urls (
        agent_id TEXT NOT NULL,
        url TEXT NOT NULL,
        pushed_ms INTEGER NOT NULL,
        PRIMARY KEY (agent_id, url)
    );",
    // 10: when each agent last read each assigned contact's conversations (Communication view).
    "CREATE TABLE contact_reads (
        agent_id TEXT NOT NULL,
        contact_id INTEGER NOT NULL REFERENCES contacts(id),
        read_ms INTEGER NOT NULL,
        PRIMARY KEY (agent_id, contact_id)
    );
    CREATE INDEX interactions_by_agent ON interactions(agent_id, contact_id);",
    // 11: the records of colleagues and chat visitors keep the platform's id for them in its own
    //     column, not as a phone number agents would be offered to call or text.
    "ALTER TABLE contacts ADD COLUMN platform_id TEXT;
    UPDATE contacts SET platform_id = phone, phone = NULL
        WHERE known = 0 AND (phone LIKE 'agent:%' OR phone LIKE 'queue:%' OR phone LIKE 'skill:%'
            OR phone LIKE 'group:%' OR phone LIKE 'routing-point:%' OR phone LIKE 'contact:%'
            OR phone LIKE 'chat:%');
    CREATE UNIQUE INDEX contacts_by_platform_id ON contacts(platform_id);",
    // 12: the outbox of SMS parts going to a real provider's API: each part is recorded before
    //     it is sent, marked `attempting` (committed) before each call and `accepted` with the
    //     provider's id after, so a part is never sent twice and a crash mid-call is known.
    "CREATE TABLE outbox_parts (
        id INTEGER PRIMARY KEY,
        message_id INTEGER NOT NULL REFERENCES messages(id),
        part INTEGER NOT NULL,
        recipient TEXT NOT NULL,
        sender TEXT NOT NULL,
        body TEXT NOT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_ms INTEGER NOT NULL,
        provider_sid TEXT,
        UNIQUE (message_id, part)
    );
    CREATE INDEX outbox_due ON outbox_parts(state, next_attempt_ms);",
    // 13: personal words per language; words added before count in every language ('').
    "CREATE TABLE personal_words_by_language (
        agent_id TEXT NOT NULL,
        language TEXT NOT NULL,
        word TEXT NOT NULL,
        PRIMARY KEY (agent_id, language, word)
    );
    INSERT INTO personal_words_by_language (agent_id, language, word)
        SELECT agent_id, '', word FROM personal_words;
    DROP TABLE personal_words;
    ALTER TABLE personal_words_by_language RENAME TO personal_words;",
    // 14: message ids a desktop set aside to show a reply with its id before it is stored.
    "CREATE TABLE message_id_reservations (
        id INTEGER PRIMARY KEY,
        agent TEXT NOT NULL
    );",
];

/// The schema version this build writes.
pub const CURRENT_VERSION: i64 = MIGRATIONS.len() as i64;

/// Applies every migration newer than the database's version, each in its own transaction.
pub fn migrate(connection: &mut Connection) -> rusqlite::Result<()> {
    migrate_to(connection, CURRENT_VERSION)
}

/// Applies the migrations newer than the database's version up to `target`.
pub(super) fn migrate_to(connection: &mut Connection, target: i64) -> rusqlite::Result<()> {
    let version: i64 = connection.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let newer = MIGRATIONS.iter().enumerate().skip(version.max(0) as usize);
    for (index, sql) in newer.take_while(|(index, _)| (*index as i64) < target) {
        let tx: Transaction<'_> = connection.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}
