//! The PostgreSQL schema, as numbered migrations run in order under an advisory lock (gateways
//! start together) and recorded in `schema_version`, inside the store's own schema.

use postgres::Client;

/// Key of the advisory lock every migration runs under (also guards creating extensions).
const MIGRATION_LOCK: i64 = 0x5357_4254_4348; // "SWBTCH"

/// The migrations, in order; each runs once per schema.
const MIGRATIONS: &[&str] = &[
    // 1: records, full-text search and contact search.
    "CREATE OR REPLACE FUNCTION sb_fold(text) RETURNS text
         LANGUAGE sql IMMUTABLE PARALLEL SAFE
         AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;
     CREATE TABLE contacts (
         id BIGSERIAL PRIMARY KEY,
         display_name TEXT NOT NULL,
         first_name TEXT NOT NULL DEFAULT '',
         last_name TEXT NOT NULL DEFAULT '',
         language TEXT,
         known BOOLEAN NOT NULL DEFAULT FALSE,
         platform_id TEXT UNIQUE,
         created_ms BIGINT NOT NULL
     );
     CREATE INDEX contacts_by_name ON contacts USING GIN (display_name public.gin_trgm_ops);
     CREATE TABLE contact_points (
         contact_id BIGINT NOT NULL REFERENCES contacts ON DELETE CASCADE,
         kind TEXT NOT NULL,
         position INT NOT NULL,
         label TEXT NOT NULL,
         value TEXT NOT NULL,
         match_key TEXT NOT NULL
     );
     CREATE INDEX contact_points_by_key ON contact_points (kind, match_key);
     CREATE INDEX contact_points_by_value ON contact_points USING GIN (value public.gin_trgm_ops);
     CREATE TABLE contact_fields (
         contact_id BIGINT NOT NULL REFERENCES contacts ON DELETE CASCADE,
         position INT NOT NULL,
         name TEXT NOT NULL,
         value TEXT NOT NULL
     );
     CREATE TABLE interactions (
         id TEXT PRIMARY KEY,
         media_type TEXT NOT NULL,
         contact_id BIGINT REFERENCES contacts,
         contact_name TEXT NOT NULL,
         contact_address TEXT NOT NULL,
         our_address TEXT NOT NULL,
         state TEXT NOT NULL,
         agent_id TEXT,
         created_ms BIGINT NOT NULL,
         closed_ms BIGINT,
         done BOOLEAN NOT NULL DEFAULT FALSE
     );
     CREATE INDEX interactions_by_contact ON interactions (contact_id, created_ms);
     CREATE INDEX interactions_by_state ON interactions (state, created_ms);
     CREATE TABLE case_data (
         interaction_id TEXT NOT NULL REFERENCES interactions ON DELETE CASCADE,
         key TEXT NOT NULL,
         value TEXT NOT NULL,
         PRIMARY KEY (interaction_id, key)
     );
     CREATE TABLE messages (
         id BIGSERIAL PRIMARY KEY,
         interaction_id TEXT NOT NULL REFERENCES interactions ON DELETE CASCADE,
         role TEXT NOT NULL,
         author TEXT NOT NULL,
         author_key TEXT NOT NULL,
         time_ms BIGINT NOT NULL,
         body TEXT NOT NULL,
         status TEXT NOT NULL,
         status_reason TEXT,
         provider_id TEXT UNIQUE,
         parts INT NOT NULL,
         search tsvector GENERATED ALWAYS AS (to_tsvector('simple', sb_fold(body))) STORED
     );
     CREATE INDEX messages_by_interaction ON messages (interaction_id, id);
     CREATE INDEX messages_search ON messages USING GIN (search);
     CREATE TABLE attachments (
         id BIGSERIAL PRIMARY KEY,
         message_id BIGINT NOT NULL REFERENCES messages ON DELETE CASCADE,
         position INT NOT NULL,
         media_type TEXT NOT NULL,
         name TEXT NOT NULL,
         size BIGINT NOT NULL,
         data BYTEA,
         thumbnail BYTEA,
         problem TEXT
     );
     CREATE INDEX attachments_by_message ON attachments (message_id, position);
     CREATE TABLE notes (
         interaction_id TEXT PRIMARY KEY REFERENCES interactions ON DELETE CASCADE,
         body TEXT NOT NULL,
         updated_ms BIGINT NOT NULL,
         search tsvector GENERATED ALWAYS AS (to_tsvector('simple', sb_fold(body))) STORED
     );
     CREATE INDEX notes_search ON notes USING GIN (search);
     CREATE TABLE dispositions (
         interaction_id TEXT PRIMARY KEY REFERENCES interactions ON DELETE CASCADE,
         code TEXT NOT NULL,
         updated_ms BIGINT NOT NULL
     );
     CREATE TABLE consultations (
         interaction_id TEXT PRIMARY KEY REFERENCES interactions ON DELETE CASCADE,
         consults TEXT NOT NULL
     );
     CREATE TABLE callbacks (
         id BIGSERIAL PRIMARY KEY,
         interaction_id TEXT,
         contact_name TEXT NOT NULL,
         number TEXT NOT NULL,
         due_ms BIGINT NOT NULL,
         note TEXT NOT NULL,
         agent_id TEXT NOT NULL,
         state TEXT NOT NULL,
         created_ms BIGINT NOT NULL
     );
     CREATE INDEX callbacks_by_agent ON callbacks (agent_id, state, due_ms);
     CREATE TABLE favourites (
         agent_id TEXT NOT NULL, kind TEXT NOT NULL, target_id TEXT NOT NULL,
         PRIMARY KEY (agent_id, kind, target_id)
     );
     CREATE TABLE recents (
         agent_id TEXT NOT NULL, kind TEXT NOT NULL, target_id TEXT NOT NULL,
         used_ms BIGINT NOT NULL,
         PRIMARY KEY (agent_id, kind, target_id)
     );
     CREATE TABLE personal_words (
         agent_id TEXT NOT NULL, word TEXT NOT NULL, PRIMARY KEY (agent_id, word)
     );
     CREATE TABLE pushed_urls (
         agent_id TEXT NOT NULL, url TEXT NOT NULL, pushed_ms BIGINT NOT NULL,
         PRIMARY KEY (agent_id, url)
     );
     CREATE TABLE contact_reads (
         agent_id TEXT NOT NULL, contact_id BIGINT NOT NULL, read_ms BIGINT NOT NULL,
         PRIMARY KEY (agent_id, contact_id)
     );",
    // 2: agents' passwords, as Argon2 hashes (PHC strings) only.
    "CREATE TABLE agent_passwords (
         agent_id TEXT PRIMARY KEY,
         hash TEXT NOT NULL,
         updated_ms BIGINT NOT NULL
     );",
    // 3: the deployment's directory (the Team Communicator's agents, queues...).
    "CREATE TABLE directory (
         kind TEXT NOT NULL,
         id TEXT NOT NULL,
         name TEXT NOT NULL,
         detail TEXT NOT NULL,
         phone TEXT,
         PRIMARY KEY (kind, id)
     );",
    // 4: the outbox of SMS parts a gateway sends through the provider.
    "CREATE TABLE outbox (
         id BIGSERIAL PRIMARY KEY,
         message_id BIGINT NOT NULL REFERENCES messages ON DELETE CASCADE,
         part_index INT NOT NULL,
         to_addr TEXT NOT NULL,
         from_addr TEXT NOT NULL,
         body TEXT NOT NULL,
         state TEXT NOT NULL,
         attempts INT NOT NULL DEFAULT 0,
         due_ms BIGINT NOT NULL,
         provider_id TEXT UNIQUE,
         reason TEXT
     );
     CREATE INDEX outbox_due ON outbox (state, due_ms);
     CREATE INDEX outbox_by_message ON outbox (message_id);",
    // 5: personal words per language; words added before count in every language ('').
    "ALTER TABLE personal_words ADD COLUMN language TEXT NOT NULL DEFAULT '';
     ALTER TABLE personal_words DROP CONSTRAINT personal_words_pkey;
     ALTER TABLE personal_words ADD PRIMARY KEY (agent_id, language, word);",
    // 6: message ids a desktop set aside to show a reply with its id before it is stored.
    "CREATE TABLE message_id_reservations (
         id BIGINT PRIMARY KEY,
         agent TEXT NOT NULL
     );",
    // 7: agents an administrator disabled, and the audit trail of who was let in or refused.
    "CREATE TABLE disabled_agents (
         agent_id TEXT PRIMARY KEY,
         at_ms BIGINT NOT NULL
     );
     CREATE TABLE audit (
         id BIGSERIAL PRIMARY KEY,
         at_ms BIGINT NOT NULL,
         kind TEXT NOT NULL,
         agent TEXT,
         client TEXT,
         detail TEXT NOT NULL
     );
     CREATE INDEX audit_by_time ON audit (at_ms);
     CREATE INDEX audit_by_agent ON audit (agent, at_ms);",
];

/// The schema version this build writes.
pub const CURRENT_VERSION: i32 = MIGRATIONS.len() as i32;

/// Creates the schema if needed and brings it up to date, under an advisory lock so that
/// gateways starting together migrate once.
pub fn migrate(client: &mut Client, schema: &str) -> Result<(), postgres::Error> {
    client.execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK])?;
    let result = migrate_locked(client, schema);
    let unlocked = client.execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK]);
    result.and(unlocked.map(|_| ()))
}

fn migrate_locked(client: &mut Client, schema: &str) -> Result<(), postgres::Error> {
    client.batch_execute(&format!(
        "CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;
         CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
         CREATE SCHEMA IF NOT EXISTS {schema};
         SET search_path TO {schema}, public;
         CREATE TABLE IF NOT EXISTS schema_version (version INT NOT NULL);"
    ))?;
    let version: i32 = client
        .query_opt("SELECT version FROM schema_version", &[])?
        .map_or(0, |row| row.get(0));
    for (index, migration) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        let mut tx = client.transaction()?;
        tx.batch_execute(migration)?;
        tx.execute("DELETE FROM schema_version", &[])?;
        tx.execute(
            "INSERT INTO schema_version (version) VALUES ($1)",
            &[&(index as i32 + 1)],
        )?;
        tx.commit()?;
    }
    Ok(())
}
