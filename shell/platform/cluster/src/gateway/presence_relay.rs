//! Presence through the gateway: desktops never touch JetStream (a consumer reads whatever
//! its stream holds, whatever subject permissions say), so a desktop's heartbeat is a
//! request the routing gateway writes into the presence bucket for its agent (answered on a
//! subscription of its own, never behind other requests), who is present is a request too,
//! and each change the gateway's watch sees is told once on `P.presence`.

use super::*;
use crate::{presence::AgentPresence, wire::WirePresence};

/// The verbs answered here, on their own subscription: a heartbeat never waits behind the
/// requests queue (a busy gateway would otherwise let presences expire).
const VERBS: [&str; 2] = ["heartbeat", "present"];

/// Whether the request's subject is one of [`VERBS`] (the requests loop leaves it).
pub(super) fn answered_apart(subject: &str) -> bool {
    subject
        .rsplit('.')
        .next()
        .is_some_and(|verb| VERBS.contains(&verb))
}

/// Answers heartbeats and who is present, each as it comes, for as long as the gateway routes.
pub(super) async fn listen(shared: Arc<Shared>) -> Result<(), ClusterError> {
    for verb in VERBS {
        let mut requests = shared
            .client
            .subscribe(format!("{}.gw.*.{verb}", shared.prefix))
            .await
            .map_err(|e| ClusterError::Nats(format!("gateway subscription: {e}")))?;
        let shared = shared.clone();
        tokio::spawn(async move {
            while let Some(message) = requests.next().await {
                let shared = shared.clone();
                tokio::spawn(async move {
                    let reply = answer(&shared, &message).await;
                    if let Some(to) = message.reply
                        && let Err(e) = shared.client.publish(to, reply.into()).await
                    {
                        tracing::debug!("gateway: cannot answer a heartbeat: {e}");
                    }
                });
            }
        });
    }
    Ok(())
}

/// A heartbeat or who is present, for an agent in session.
async fn answer(shared: &Shared, message: &async_nats::Message) -> Vec<u8> {
    let mut tokens = message.subject.rsplit('.');
    let (Some(verb), Some(agent)) = (tokens.next(), tokens.next()) else {
        return requests::encode(&refused("malformed subject"));
    };
    if !requests::in_session(shared, agent, message.headers.as_ref()) {
        return requests::encode(&Reply::NotSignedIn {
            agent: agent.to_owned(),
        });
    }
    let reply = match serde_json::from_slice::<Request>(&message.payload) {
        Ok(Request::Heartbeat { ready }) if verb == "heartbeat" => {
            let presence = AgentPresence {
                agent: agent.to_owned(),
                ready,
            };
            match shared.presence.heartbeat(&presence).await {
                Ok(()) => Reply::Done,
                Err(e) => refused(&e.to_string()),
            }
        }
        Ok(Request::Present) if verb == "present" => match shared.presence.present().await {
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
        },
        _ => refused("the request does not match its subject"),
    };
    requests::encode(&reply)
}

/// What a request needs of the presence bucket before it is answered: a sign-out (of the
/// agent's own session) removes the agent's presence at once.
pub(super) async fn before_request(shared: &Shared, message: &async_nats::Message) {
    let mut tokens = message.subject.rsplit('.');
    let (Some("sign_out"), Some(agent)) = (tokens.next(), tokens.next()) else {
        return;
    };
    if requests::in_session(shared, agent, message.headers.as_ref())
        && let Err(e) = shared.presence.leave(agent).await
    {
        tracing::warn!("gateway: the presence of {agent} at sign-out: {e}");
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
