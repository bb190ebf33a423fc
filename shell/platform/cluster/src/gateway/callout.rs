//! The NATS server's authorization requests (`$SYS.REQ.USER.AUTH`), answered by every gateway
//! (one answers each, as a queue group): a connection giving an agent's id and password is
//! let in with that agent's subjects alone, after the throttle, the disabled list and the
//! Argon2 hash agree; anything else is refused, and each answer is written to the audit
//! trail with the client's address, never the password.

use nkeys::KeyPair;
use serde_json::{Value, json};
use switchboard_store_postgres::AuditEntry;

use super::*;
use crate::bus_trust::{jwt, keys::ACCOUNT, permissions};

/// The subject the NATS server asks on.
const AUTH_SUBJECT: &str = "$SYS.REQ.USER.AUTH";

/// Subscribes to the server's authorization requests and answers each on the runtime's
/// blocking threads (Argon2 and PostgreSQL), several at once.
pub(super) async fn listen(shared: Arc<Shared>, issuer: Arc<KeyPair>) -> Result<(), ClusterError> {
    let mut requests = shared
        .client
        .queue_subscribe(AUTH_SUBJECT, "switchboard-callout".into())
        .await
        .map_err(|e| ClusterError::Nats(format!("hearing authorization requests: {e}")))?;
    tokio::spawn(async move {
        while let Some(message) = requests.next().await {
            let Some(reply) = message.reply.clone() else {
                continue;
            };
            let shared = shared.clone();
            let issuer = issuer.clone();
            tokio::spawn(async move {
                let payload = message.payload.clone();
                let worker = shared.clone();
                let answer =
                    tokio::task::spawn_blocking(move || answer(&worker, &issuer, &payload)).await;
                match answer {
                    Ok(Some(token)) => {
                        if let Err(e) = shared.client.publish(reply, token.into()).await {
                            tracing::warn!("gateway: cannot answer an authorization request: {e}");
                        }
                    }
                    Ok(None) => {}
                    Err(e) => tracing::error!("gateway: an authorization request failed: {e}"),
                }
            });
        }
    });
    Ok(())
}

/// What the connection asked, read from the server's signed request.
struct Asked {
    user_nkey: String,
    server_id: String,
    user: String,
    password: String,
    client: String,
}

fn read_request(payload: &[u8]) -> Option<Asked> {
    let token = std::str::from_utf8(payload).ok()?;
    let claims = match jwt::decode(token, 'N') {
        Ok(claims) => claims,
        Err(e) => {
            tracing::warn!("gateway: an authorization request that is not the server's: {e}");
            return None;
        }
    };
    let nats = &claims["nats"];
    let text = |value: &Value| value.as_str().unwrap_or_default().to_owned();
    Some(Asked {
        user_nkey: text(&nats["user_nkey"]),
        server_id: text(&nats["server_id"]["id"]),
        user: text(&nats["connect_opts"]["user"]),
        password: text(&nats["connect_opts"]["pass"]),
        client: text(&nats["client_info"]["host"]),
    })
}

/// The signed answer to one request, or nothing for a request that is not the server's.
fn answer(shared: &Shared, issuer: &KeyPair, payload: &[u8]) -> Option<String> {
    let asked = read_request(payload)?;
    let now = shared.clock.now();
    let seconds = now.0 / 1000;
    let decided = decide(shared, &asked, now);
    let nats = match decided {
        Ok(agent) => {
            let user = json!({
                "sub": asked.user_nkey,
                "name": agent,
                "aud": ACCOUNT,
                "nats": permissions::user_claims(&shared.prefix, &agent),
            });
            match jwt::encode(user, issuer, seconds) {
                Ok(user) => json!({ "jwt": user, "type": "authorization_response", "version": 2 }),
                Err(e) => {
                    json!({ "error": e.to_string(), "type": "authorization_response", "version": 2 })
                }
            }
        }
        Err(reason) => json!({ "error": reason, "type": "authorization_response", "version": 2 }),
    };
    let response = json!({ "sub": asked.user_nkey, "aud": asked.server_id, "nats": nats });
    jwt::encode(response, issuer, seconds)
        .map_err(|e| tracing::error!("gateway: {e}"))
        .ok()
}

/// The agent to let in, or why not (said to the server, written to the audit trail).
fn decide(shared: &Shared, asked: &Asked, now: Timestamp) -> Result<String, String> {
    let agent = asked.user.as_str();
    let audit = |kind: &str, detail: &str| {
        let who = wire::valid_agent_id(agent).then_some(agent);
        let entry = AuditEntry::new(now, kind, who, detail).from_client(&asked.client);
        if let Err(e) = shared.store.audit(&entry) {
            tracing::error!("gateway: the audit trail: {e}");
        }
    };
    let refuse = |detail: String| {
        tracing::warn!(
            "gateway: refused a connection from {}: {detail}",
            asked.client
        );
        audit("sign_in_refused", &detail);
        Err(detail)
    };
    if agent.is_empty() {
        return refuse("a connection without credentials".into());
    }
    if !wire::valid_agent_id(agent) {
        return refuse("a connection with a malformed agent id".into());
    }
    if let Some(wait) = lock(&shared.throttle).wait(agent, &asked.client, now) {
        return refuse(format!(
            "too many failed sign-ins for {agent}: try again in {wait} s"
        ));
    }
    match shared.store.agent_disabled(agent) {
        Ok(false) => {}
        Ok(true) => return refuse(format!("{agent} is disabled by an administrator")),
        Err(e) => return refuse(format!("the gateway cannot check {agent} now: {e}")),
    }
    if shared.settings.roles.policy(agent).is_none() {
        return refuse(format!("{agent} is not an agent of this contact center"));
    }
    let password = Some(Secret::new(asked.password.clone())).filter(|p| !p.expose().is_empty());
    if let Err(reason) = requests::check_password(shared, agent, password) {
        lock(&shared.throttle).failed(agent, &asked.client, now);
        return refuse(reason);
    }
    lock(&shared.throttle).succeeded(agent);
    audit("sign_in", "let in");
    Ok(agent.to_owned())
}
