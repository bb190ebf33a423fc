//! An administrator's actions on the deployment's accounts, from a desktop whose role grants
//! `admin`: disable or enable an agent (the routing gateway signs a disabled agent out within a
//! second), set or reset a password (hashed here, never stored or logged in clear), and read
//! the audit trail. Each action is written to the audit trail, naming who did it.

use switchboard_seam::backend::AuditLine;
use switchboard_store_postgres::AuditEntry;

use super::*;
use crate::wire::WireAccountAction;

/// The most audit lines one answer carries.
const MOST_LINES: usize = 500;

/// Carries out `action` for `admin` (whose role the caller checked).
pub(super) fn administer(shared: &Shared, admin: &str, action: WireAccountAction) -> Reply {
    let now = shared.clock.now();
    let done = |kind: &str, agent: &str, detail: String| {
        let entry = AuditEntry::new(now, kind, Some(agent), format!("{detail} by {admin}"));
        if let Err(e) = shared.store.audit(&entry) {
            tracing::error!("gateway: the audit trail: {e}");
        }
        Reply::Done
    };
    let valid = |agent: &str| {
        if wire::valid_agent_id(agent) {
            Ok(())
        } else {
            Err(refused(&format!("{agent:?} is not an agent id")))
        }
    };
    match action {
        WireAccountAction::Disable { agent } | WireAccountAction::Enable { agent }
            if agent == admin =>
        {
            refused("an administrator cannot disable or enable themselves")
        }
        WireAccountAction::Disable { agent } => {
            if let Err(reply) = valid(&agent) {
                return reply;
            }
            match shared.store.set_agent_disabled(&agent, true, now) {
                Ok(()) => done("disabled", &agent, "disabled".into()),
                Err(e) => refused(&e.to_string()),
            }
        }
        WireAccountAction::Enable { agent } => {
            if let Err(reply) = valid(&agent) {
                return reply;
            }
            match shared.store.set_agent_disabled(&agent, false, now) {
                Ok(()) => done("enabled", &agent, "enabled".into()),
                Err(e) => refused(&e.to_string()),
            }
        }
        WireAccountAction::SetPassword { agent, password } => {
            if let Err(reply) = valid(&agent) {
                return reply;
            }
            match crate::passwords::enroll(&shared.store, &agent, &Secret::new(password.0), now) {
                Ok(()) => done("password_set", &agent, "password set".into()),
                Err(e) => refused(&e.to_string()),
            }
        }
        WireAccountAction::AuditTrail { agent, limit } => {
            let limit = limit.clamp(1, MOST_LINES) as i64;
            match shared.store.audit_trail(agent.as_deref(), limit) {
                Ok(trail) => Reply::Audit {
                    lines: trail
                        .into_iter()
                        .map(|entry| AuditLine {
                            at: entry.at,
                            kind: entry.kind,
                            agent: entry.agent,
                            client: entry.client,
                            detail: entry.detail,
                        })
                        .collect(),
                },
                Err(e) => refused(&e.to_string()),
            }
        }
    }
}
