//! Presence of desktops in a JetStream key-value bucket whose entries expire by themselves:
//! each desktop heartbeats its agent's state with a per-key time-to-live (NATS 2.11 and
//! later); when the heartbeats stop, the server removes the key and leaves a marker, and every
//! watcher (the gateway's router, the Team Communicators) sees the agent gone.

use std::time::Duration;

use async_nats::{
    HeaderMap,
    jetstream::{
        self,
        kv::{self, Operation},
    },
};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};

use crate::ClusterError;

/// What a desktop says of its agent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentPresence {
    /// Sign-in id.
    pub agent: String,
    /// Media types the agent is Ready for.
    pub ready: Vec<String>,
}

/// A change seen on the board.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PresenceChange {
    /// A desktop heartbeat (first, or changed, or the same again).
    Alive(AgentPresence),
    /// The agent's key expired or was removed: the desktop is gone.
    Gone {
        /// Sign-in id.
        agent: String,
    },
}

/// The presence bucket of one deployment (its subject prefix names the bucket).
#[derive(Clone)]
pub struct PresenceBoard {
    jetstream: jetstream::Context,
    store: kv::Store,
    bucket: String,
    ttl: Duration,
}

impl PresenceBoard {
    /// Opens (or creates) the bucket `{prefix}_presence`, whose entries live `ttl` after their
    /// last heartbeat.
    pub async fn open(
        client: async_nats::Client,
        prefix: &str,
        ttl: Duration,
    ) -> Result<Self, ClusterError> {
        let jetstream = jetstream::new(client);
        let bucket = format!("{prefix}_presence");
        let store = jetstream
            .create_key_value(kv::Config {
                bucket: bucket.clone(),
                history: 1,
                // On disk, so the board outlives a restart of the NATS server.
                storage: jetstream::stream::StorageType::File,
                // Expired keys leave a marker that watchers receive, kept briefly.
                limit_markers: Some(Duration::from_secs(60)),
                ..Default::default()
            })
            .await
            .map_err(|e| ClusterError::Nats(format!("presence bucket {bucket}: {e}")))?;
        Ok(Self {
            jetstream,
            store,
            bucket,
            ttl,
        })
    }

    /// Says the agent's desktop is alive, for `ttl` from now.
    pub async fn heartbeat(&self, presence: &AgentPresence) -> Result<(), ClusterError> {
        let key = key_of(&presence.agent)?;
        let mut headers = HeaderMap::new();
        headers.insert("Nats-TTL", self.ttl.as_secs().max(1).to_string().as_str());
        let payload = serde_json::to_vec(presence)
            .map_err(|e| ClusterError::Nats(format!("presence of {}: {e}", presence.agent)))?;
        self.jetstream
            .publish_with_headers(
                format!("$KV.{}.{key}", self.bucket),
                headers,
                payload.into(),
            )
            .await
            .map_err(|e| ClusterError::Nats(format!("heartbeat of {}: {e}", presence.agent)))?
            .await
            .map_err(|e| ClusterError::Nats(format!("heartbeat of {}: {e}", presence.agent)))?;
        Ok(())
    }

    /// Removes the agent at once (sign-out).
    pub async fn leave(&self, agent: &str) -> Result<(), ClusterError> {
        self.store
            .purge(key_of(agent)?)
            .await
            .map_err(|e| ClusterError::Nats(format!("sign-out of {agent}: {e}")))
    }

    /// Who is present now.
    pub async fn present(&self) -> Result<Vec<AgentPresence>, ClusterError> {
        let mut keys = self
            .store
            .keys()
            .await
            .map_err(|e| ClusterError::Nats(format!("presence keys: {e}")))?;
        let mut present = Vec::new();
        while let Some(key) = keys.next().await {
            let key = key.map_err(|e| ClusterError::Nats(format!("presence keys: {e}")))?;
            if let Some(value) = self
                .store
                .get(&key)
                .await
                .map_err(|e| ClusterError::Nats(format!("presence of {key}: {e}")))?
                && let Ok(presence) = serde_json::from_slice(&value)
            {
                present.push(presence);
            }
        }
        Ok(present)
    }

    /// Every change from now on, heartbeats and departures, in order.
    pub async fn watch(
        &self,
    ) -> Result<impl futures_util::Stream<Item = PresenceChange> + use<>, ClusterError> {
        let watch = self
            .store
            .watch_all()
            .await
            .map_err(|e| ClusterError::Nats(format!("presence watch: {e}")))?;
        Ok(watch.filter_map(|entry| async move {
            let entry = entry.ok()?;
            let agent = agent_of(&entry.key);
            match entry.operation {
                Operation::Put => serde_json::from_slice(&entry.value)
                    .ok()
                    .map(PresenceChange::Alive),
                Operation::Delete | Operation::Purge => Some(PresenceChange::Gone { agent }),
            }
        }))
    }
}

/// Keys are agent ids with anything outside `[A-Za-z0-9_-]` escaped, so an id cannot reach
/// another key or subject.
fn key_of(agent: &str) -> Result<String, ClusterError> {
    if agent.is_empty() || agent.len() > 64 {
        return Err(ClusterError::Invalid(format!(
            "agent id {agent:?} must be 1 to 64 characters"
        )));
    }
    Ok(agent
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c.to_string()
            } else {
                format!("_{:x}_", c as u32)
            }
        })
        .collect())
}

fn agent_of(key: &str) -> String {
    let mut agent = String::new();
    let mut rest = key;
    while let Some(start) = rest.find('_') {
        agent.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('_').and_then(|end| {
            u32::from_str_radix(&after[..end], 16)
                .ok()
                .and_then(char::from_u32)
                .map(|c| (c, end))
        }) {
            Some((c, end)) => {
                agent.push(c);
                rest = &after[end + 1..];
            }
            None => {
                agent.push('_');
                rest = after;
            }
        }
    }
    agent.push_str(rest);
    agent
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agent_ids_become_safe_keys_and_come_back() {
        for agent in ["ada", "marc.dubois", "a_b", "x*y>z", "é"] {
            let key = key_of(agent).expect("key");
            assert!(
                key.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
                "{key}"
            );
            assert_eq!(agent_of(&key), agent);
        }
        assert!(key_of("").is_err());
        assert!(key_of(&"a".repeat(65)).is_err());
    }
}
