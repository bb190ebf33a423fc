//! Presence through the gateway: desktops never touch JetStream (a consumer reads whatever
//! its stream holds, whatever subject permissions say), so a desktop's heartbeat is a
//! request the routing gateway writes into the presence bucket for its agent, who is present
//! is a request too, and each change the gateway's watch sees is told once on `P.presence`.

use super::*;
use crate::{presence::AgentPresence, wire::WirePresence};

/// Answers the requests that need the presence bucket (heartbeat, who is present); `None`
/// for any other request. A sign-out's presence is removed here too.
pub(super) async fn answer(shared: &Arc<Shared>, message: &async_nats::Message) -> Option<Vec<u8>> {
    let mut tokens = message.subject.rsplit('.');
    let (Some(verb), Some(agent)) = (tokens.next(), tokens.next()) else {
        return None;
    };
    if !matches!(verb, "heartbeat" | "present" | "sign_out") {
        return None;
    }
    if !requests::in_session(shared, agent, message.headers.as_ref()) {
        // The ordinary path says so, in the same words as for any request.
        return None;
    }
    let agent = agent.to_owned();
    match serde_json::from_slice::<Request>(&message.payload) {
        Ok(Request::Heartbeat { ready }) if verb == "heartbeat" => {
            let presence = AgentPresence {
                agent: agent.clone(),
                ready,
            };
            let reply = match shared.presence.heartbeat(&presence).await {
                Ok(()) => Reply::Done,
                Err(e) => refused(&e.to_string()),
            };
            Some(requests::encode(&reply))
        }
        Ok(Request::Present) if verb == "present" => {
            let reply = match shared.presence.present().await {
                Ok(present) => Reply::Present {
                    agents: present
                        .into_iter()
                        .map(|p| WirePresence {
                            agent: p.agent,
                            ready: Some(p.ready),
                        })
                        .collect(),
                },
                Err(e) => refused(&e.to_string()),
            };
            Some(requests::encode(&reply))
        }
        Ok(Request::SignOut) if verb == "sign_out" => {
            if let Err(e) = shared.presence.leave(&agent).await {
                tracing::warn!("gateway: the presence of {agent} at sign-out: {e}");
            }
            None
        }
        _ => None,
    }
}

/// Tells every desktop a presence change, once (a heartbeat that changes nothing is not told).
pub(super) async fn tell(shared: &Shared, change: &PresenceChange) {
    let told = match change {
        PresenceChange::Alive(presence) => {
            let mut told = lock(&shared.told_presence);
            if told.get(&presence.agent) == Some(&presence.ready) {
                return;
            }
            told.insert(presence.agent.clone(), presence.ready.clone());
            WirePresence {
                agent: presence.agent.clone(),
                ready: Some(presence.ready.clone()),
            }
        }
        PresenceChange::Gone { agent } => {
            lock(&shared.told_presence).remove(agent);
            WirePresence {
                agent: agent.clone(),
                ready: None,
            }
        }
    };
    let Ok(body) = serde_json::to_vec(&told) else {
        return;
    };
    if let Err(e) = shared
        .client
        .publish(wire::presence_subject(&shared.prefix), body.into())
        .await
    {
        tracing::warn!("gateway: cannot tell a presence change: {e}");
    }
}
