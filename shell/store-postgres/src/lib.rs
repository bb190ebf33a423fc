//! The seam's record traits over PostgreSQL, the cluster's system of record (gateways only talk
//! to it). One store is one schema of a database, so tests and tenants each get their own:
//! `PgStore::connect("host=127.0.0.1 user=postgres dbname=test", "switchboard")`.
//!
//! Every record spanning rows is written in one transaction; synchronous commit stays on. The
//! history search uses `tsvector` with the `simple` configuration over accent-folded text (so
//! it finds what the SQLite store finds) and contact search uses `pg_trgm` indexes.

mod access;
mod contacts;
mod history;
mod outbox;
mod records;
mod schema;
mod synthetic;

use std::sync::{Mutex, MutexGuard};

use postgres::{Client, NoTls};
use switchboard_seam::{
    parties::{DirectoryEntry, TargetKind},
    records::StoreError,
};

pub use access::AuditEntry;
pub use outbox::{ClaimedPart, MessageOutcome};
pub use schema::CURRENT_VERSION as SCHEMA_VERSION;

/// A PostgreSQL store in one schema. Share it behind an `Arc`; each call takes a connection of
/// its own from a small set (one by default, [`PgStore::connect_pool`] for more), so a busy
/// gateway's commits overlap and the server groups them.
pub struct PgStore {
    clients: Vec<Mutex<Client>>,
    next: std::sync::atomic::AtomicUsize,
    schema: String,
}

trait Doing<T> {
    fn doing(self, doing: &'static str) -> Result<T, StoreError>;
}

impl<T> Doing<T> for Result<T, postgres::Error> {
    fn doing(self, doing: &'static str) -> Result<T, StoreError> {
        self.map_err(|source| StoreError::Database {
            doing,
            reason: source.to_string(),
        })
    }
}

/// Whether a schema name is one the store accepts: ASCII letters, digits and `_`, starting
/// with a letter, at most 63 bytes (it is written into SQL, so nothing else passes).
pub fn valid_schema_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 63
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl PgStore {
    /// Connects (`params` as libpq takes them, or a `postgres://` URL), creates `schema` if
    /// needed and brings it up to date.
    pub fn connect(params: &str, schema: &str) -> Result<Self, StoreError> {
        Self::connect_pool(params, schema, 1)
    }

    /// [`PgStore::connect`] with `connections` connections (at least one).
    pub fn connect_pool(
        params: &str,
        schema: &str,
        connections: usize,
    ) -> Result<Self, StoreError> {
        if !valid_schema_name(schema) {
            return Err(StoreError::Open {
                path: schema.to_owned(),
                reason: "a schema name is lower-case letters, digits and _, starting with a letter"
                    .into(),
            });
        }
        let open = || -> Result<Client, StoreError> {
            Client::connect(params, NoTls).map_err(|e| StoreError::Open {
                path: redact(params),
                reason: e.to_string(),
            })
        };
        let mut first = open()?;
        schema::migrate(&mut first, schema).doing("migrating the schema")?;
        let mut clients = vec![first];
        for _ in 1..connections.max(1) {
            clients.push(open()?);
        }
        for client in &mut clients {
            client
                .batch_execute(&format!("SET search_path TO {schema}, public"))
                .doing("choosing the schema")?;
        }
        Ok(Self {
            clients: clients.into_iter().map(Mutex::new).collect(),
            next: std::sync::atomic::AtomicUsize::new(0),
            schema: schema.to_owned(),
        })
    }

    /// The schema this store lives in.
    pub fn schema(&self) -> &str {
        &self.schema
    }

    /// Drops the store's schema and everything in it (tests clean up with it).
    pub fn drop_schema(self) -> Result<(), StoreError> {
        let schema = self.schema.clone();
        self.client()
            .batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
            .doing("dropping the schema")
    }

    /// Writes synthetic history (benchmarks): `contacts × interactions × messages` messages
    /// and a note per interaction, in one transaction.
    pub fn generate_synthetic_history(
        &self,
        contacts: i32,
        interactions: i32,
        messages: i32,
    ) -> Result<(), StoreError> {
        synthetic::generate(&mut self.client(), contacts, interactions, messages)
            .doing("generating synthetic history")
    }

    /// How many messages are stored.
    pub fn message_total(&self) -> Result<i64, StoreError> {
        self.client()
            .query_one("SELECT count(*) FROM messages", &[])
            .map(|row| row.get(0))
            .doing("counting messages")
    }

    /// Replaces the deployment's directory with `entries`, in one transaction.
    pub fn set_directory(&self, entries: &[DirectoryEntry]) -> Result<(), StoreError> {
        let mut client = self.client();
        let mut tx = client.transaction().doing("replacing the directory")?;
        tx.execute("DELETE FROM directory", &[])
            .doing("replacing the directory")?;
        for entry in entries {
            tx.execute(
                "INSERT INTO directory (kind, id, name, detail, phone) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (kind, id) DO UPDATE SET name = $3, detail = $4, phone = $5",
                &[
                    &entry.kind.name(),
                    &entry.id,
                    &entry.name,
                    &entry.detail,
                    &entry.phone,
                ],
            )
            .doing("storing a directory entry")?;
        }
        tx.commit().doing("replacing the directory")
    }

    /// The deployment's directory, by kind and name.
    pub fn directory(&self) -> Result<Vec<DirectoryEntry>, StoreError> {
        Ok(self
            .client()
            .query(
                "SELECT kind, id, name, detail, phone FROM directory ORDER BY kind, name",
                &[],
            )
            .doing("reading the directory")?
            .iter()
            .filter_map(|row| {
                Some(DirectoryEntry {
                    kind: TargetKind::from_name(row.get(0))?,
                    id: row.get(1),
                    name: row.get(2),
                    detail: row.get(3),
                    phone: row.get(4),
                })
            })
            .collect())
    }

    /// Sets (or replaces) an agent's password hash (an Argon2 PHC string, never a password).
    pub fn set_password_hash(
        &self,
        agent: &str,
        hash: &str,
        now: switchboard_sdk::Timestamp,
    ) -> Result<(), StoreError> {
        self.client()
            .execute(
                "INSERT INTO agent_passwords (agent_id, hash, updated_ms) VALUES ($1, $2, $3)
                 ON CONFLICT (agent_id) DO UPDATE SET hash = $2, updated_ms = $3",
                &[&agent, &hash, &now.0],
            )
            .map(|_| ())
            .doing("setting a password")
    }

    /// An agent's password hash, if the administrator set one.
    pub fn password_hash(&self, agent: &str) -> Result<Option<String>, StoreError> {
        self.client()
            .query_opt(
                "SELECT hash FROM agent_passwords WHERE agent_id = $1",
                &[&agent],
            )
            .map(|row| row.map(|row| row.get(0)))
            .doing("reading a password hash")
    }

    /// A free connection if there is one, else the next in turn.
    fn client(&self) -> MutexGuard<'_, Client> {
        let start = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        for offset in 0..self.clients.len() {
            if let Ok(client) = self.clients[(start + offset) % self.clients.len()].try_lock() {
                return client;
            }
        }
        self.clients[start % self.clients.len()]
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }

    /// The first connection, always the same: session state such as the routing lease lives
    /// on it.
    fn first_client(&self) -> MutexGuard<'_, Client> {
        self.clients[0].lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Connection parameters without a password, for error messages and logs.
fn redact(params: &str) -> String {
    params
        .split_whitespace()
        .map(|part| {
            if part.starts_with("password=") {
                "password=…"
            } else {
                part
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
        .split('@')
        .next_back()
        .map(str::to_owned)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
