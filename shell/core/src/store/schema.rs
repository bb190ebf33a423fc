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
    // 2: full-text search over transcripts and notes (FTS5, external content, kept in step
    //    by triggers); the contact's e-mail is searchable by address.
    "CREATE VIRTUAL TABLE messages_fts USING fts5(
        body, content='messages', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
    );
    INSERT INTO messages_fts(rowid, body) SELECT id, body FROM messages;
    CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
        INSERT INTO messages_fts(rowid, body) VALUES (new.id, new.body);
    END;
    CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
        INSERT INTO messages_fts(messages_fts, rowid, body) VALUES ('delete', old.id, old.body);
    END;
    CREATE TRIGGER messages_fts_update AFTER UPDATE OF body ON messages BEGIN
        INSERT INTO messages_fts(messages_fts, rowid, body) VALUES ('delete', old.id, old.body);
        INSERT INTO messages_fts(rowid, body) VALUES (new.id, new.body);
    END;
    CREATE VIRTUAL TABLE notes_fts USING fts5(
        interaction_id UNINDEXED, body, tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER notes_fts_insert AFTER INSERT ON notes BEGIN
        INSERT INTO notes_fts(interaction_id, body) VALUES (new.interaction_id, new.body);
    END;
    CREATE TRIGGER notes_fts_update AFTER UPDATE ON notes BEGIN
        DELETE FROM notes_fts WHERE interaction_id = old.interaction_id;
        INSERT INTO notes_fts(interaction_id, body) VALUES (new.interaction_id, new.body);
    END;
    CREATE INDEX contacts_by_email ON contacts(email);",
];

/// The schema version this build writes.
pub const CURRENT_VERSION: i64 = MIGRATIONS.len() as i64;

/// Applies every migration newer than the database's version, each in its own transaction.
pub fn migrate(connection: &mut Connection) -> rusqlite::Result<()> {
    let version: i64 = connection.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(version.max(0) as usize) {
        let tx: Transaction<'_> = connection.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}
