//! What one agent's connection may do on the bus, and nothing more: publish its own agent's
//! requests, hear its own agent's events and its own inbox, who is present and which gateway
//! routes. No JetStream API (a consumer reads whatever its stream holds, whatever the subject
//! permissions say), no other agent's subjects, no wildcard beyond its own.

use serde_json::{Value, json};

use crate::wire;

/// The inbox prefix an agent's desktop uses (NATS's own `_INBOX.` would let every holder read
/// every reply).
pub fn inbox_prefix(agent: &str) -> String {
    format!("_INBOX_{agent}")
}

/// Subjects `agent`'s connection may publish to, in deployment `prefix`.
pub fn publish_allowed(prefix: &str, agent: &str) -> Vec<String> {
    vec![wire::request_subject(prefix, agent, "*")]
}

/// Subjects `agent`'s connection may subscribe to, in deployment `prefix`.
pub fn subscribe_allowed(prefix: &str, agent: &str) -> Vec<String> {
    vec![
        wire::events_subject(prefix, agent),
        format!("{}.>", inbox_prefix(agent)),
        wire::presence_subject(prefix),
        wire::active_subject(prefix),
    ]
}

/// The `nats` part of the user token the gateway issues for `agent`.
pub fn user_claims(prefix: &str, agent: &str) -> Value {
    json!({
        "pub": { "allow": publish_allowed(prefix, agent) },
        "sub": { "allow": subscribe_allowed(prefix, agent) },
        "subs": -1,
        "data": -1,
        "payload": -1,
        "type": "user",
        "version": 2,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether a NATS subject pattern (with `*` and `>`) matches a subject.
    fn matches(pattern: &str, subject: &str) -> bool {
        let mut p = pattern.split('.');
        let mut s = subject.split('.');
        loop {
            match (p.next(), s.next()) {
                (Some(">"), Some(_)) => return true,
                (Some("*"), Some(_)) => {}
                (Some(a), Some(b)) if a == b => {}
                (None, None) => return true,
                _ => return false,
            }
        }
    }

    fn may_publish(agent: &str, subject: &str) -> bool {
        publish_allowed("P", agent)
            .iter()
            .any(|p| matches(p, subject))
    }

    fn may_subscribe(agent: &str, subject: &str) -> bool {
        subscribe_allowed("P", agent)
            .iter()
            .any(|p| matches(p, subject))
    }

    #[test]
    fn an_agent_reaches_its_own_subjects_only() {
        assert!(may_publish("ada", "P.gw.ada.send"));
        assert!(may_publish("ada", "P.gw.ada.records"));
        assert!(!may_publish("ada", "P.gw.marc.send"));
        assert!(!may_publish("ada", "P.gw.ada.send.more"));
        assert!(!may_publish("ada", "P.pages"));
        assert!(!may_publish("ada", "P.agent.marc.events"));
        assert!(!may_publish("ada", "$JS.API.STREAM.LIST"));
        assert!(!may_publish("ada", "$KV.P_presence.marc"));

        assert!(may_subscribe("ada", "P.agent.ada.events"));
        assert!(may_subscribe("ada", "_INBOX_ada.x1.y"));
        assert!(may_subscribe("ada", "P.presence"));
        assert!(!may_subscribe("ada", "P.agent.marc.events"));
        assert!(!may_subscribe("ada", "_INBOX.x1"));
        assert!(!may_subscribe("ada", "_INBOX_marc.x1"));
        assert!(!may_subscribe("ada", "P.gw.marc.send"));
        assert!(!may_subscribe("ada", "P.pages"));
        assert!(!may_subscribe(
            "ada",
            "$JS.API.CONSUMER.CREATE.KV_P_presence"
        ));
        // No pattern the agent holds is wider than its own.
        for pattern in publish_allowed("P", "ada")
            .into_iter()
            .chain(subscribe_allowed("P", "ada"))
        {
            assert_ne!(pattern, ">");
            assert!(!pattern.starts_with('$'), "{pattern}");
        }
    }
}
