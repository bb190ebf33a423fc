//! Who may sign in, and the audit trail: agents an administrator disabled (their connections
//! are closed and refused until enabled again), and one row per sign-in, refusal, password
//! change, disabling or administration change, with the time, the agent and the client's
//! address. Passwords are never written here.

use switchboard_sdk::Timestamp;
use switchboard_seam::records::StoreError;

use crate::{Doing, PgStore};

/// The longest detail kept in one audit row (longer ones are cut).
const DETAIL_LIMIT: usize = 500;

/// One line of the audit trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// When.
    pub at: Timestamp,
    /// What kind of event (`sign_in`, `sign_in_refused`, `refused`, `password_set`,
    /// `disabled`, `enabled`, `administration`).
    pub kind: String,
    /// Whom it concerns, when an agent.
    pub agent: Option<String>,
    /// The client's address, when known.
    pub client: Option<String>,
    /// What happened, in words.
    pub detail: String,
}

impl AuditEntry {
    /// An entry of `kind` about `agent`, now.
    pub fn new(at: Timestamp, kind: &str, agent: Option<&str>, detail: impl Into<String>) -> Self {
        Self {
            at,
            kind: kind.to_owned(),
            agent: agent.map(str::to_owned),
            client: None,
            detail: detail.into(),
        }
    }

    /// The same, from the client at `address`.
    pub fn from_client(mut self, address: &str) -> Self {
        if !address.is_empty() {
            self.client = Some(address.to_owned());
        }
        self
    }
}

impl PgStore {
    /// Adds a line to the audit trail.
    pub fn audit(&self, entry: &AuditEntry) -> Result<(), StoreError> {
        let detail: String = entry.detail.chars().take(DETAIL_LIMIT).collect();
        self.client()
            .execute(
                "INSERT INTO audit (at_ms, kind, agent, client, detail) VALUES ($1, $2, $3, $4, $5)",
                &[
                    &entry.at.0,
                    &entry.kind,
                    &entry.agent,
                    &entry.client,
                    &detail,
                ],
            )
            .map(|_| ())
            .doing("writing the audit trail")
    }

    /// The newest `limit` lines of the audit trail, newest first; only about `agent` when one
    /// is given.
    pub fn audit_trail(
        &self,
        agent: Option<&str>,
        limit: i64,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let rows = self
            .client()
            .query(
                "SELECT at_ms, kind, agent, client, detail FROM audit
                 WHERE $1::TEXT IS NULL OR agent = $1
                 ORDER BY at_ms DESC, id DESC LIMIT $2",
                &[&agent, &limit.clamp(1, 10_000)],
            )
            .doing("reading the audit trail")?;
        Ok(rows
            .iter()
            .map(|row| AuditEntry {
                at: Timestamp(row.get(0)),
                kind: row.get(1),
                agent: row.get(2),
                client: row.get(3),
                detail: row.get(4),
            })
            .collect())
    }

    /// Disables an agent (true) or lets them sign in again (false).
    pub fn set_agent_disabled(
        &self,
        agent: &str,
        disabled: bool,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let mut client = self.client();
        if disabled {
            client.execute(
                "INSERT INTO disabled_agents (agent_id, at_ms) VALUES ($1, $2)
                 ON CONFLICT (agent_id) DO NOTHING",
                &[&agent, &now.0],
            )
        } else {
            client.execute("DELETE FROM disabled_agents WHERE agent_id = $1", &[&agent])
        }
        .map(|_| ())
        .doing("disabling an agent")
    }

    /// Whether an administrator disabled the agent.
    pub fn agent_disabled(&self, agent: &str) -> Result<bool, StoreError> {
        self.client()
            .query_opt(
                "SELECT 1 FROM disabled_agents WHERE agent_id = $1",
                &[&agent],
            )
            .map(|row| row.is_some())
            .doing("reading whether an agent is disabled")
    }

    /// Every disabled agent.
    pub fn disabled_agents(&self) -> Result<Vec<String>, StoreError> {
        Ok(self
            .client()
            .query(
                "SELECT agent_id FROM disabled_agents ORDER BY agent_id",
                &[],
            )
            .doing("reading the disabled agents")?
            .iter()
            .map(|row| row.get(0))
            .collect())
    }
}
