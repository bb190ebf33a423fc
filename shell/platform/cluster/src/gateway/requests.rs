//! Desktops' requests: the agent in the subject is the only one a request may act for (the NATS
//! server lets a connection publish only under its own agent), every request after the
//! sign-in names the agent's current session, the role the gateway holds decides what the
//! agent may do, and record calls pass the access rules first.

use super::*;

/// Answers one desktop request (the reply's bytes), with events for desktops: the agent in
/// the subject is the only one it may act for.
pub(super) fn answer_request(
    shared: &Shared,
    subject: &str,
    headers: Option<&async_nats::HeaderMap>,
    payload: &[u8],
) -> (Vec<u8>, Vec<(String, WireEvent)>) {
    let mut tokens = subject.rsplit('.');
    let (Some(verb), Some(agent)) = (tokens.next(), tokens.next()) else {
        return (encode(&refused("malformed subject")), Vec::new());
    };
    if verb != "sign_in" && !in_session(shared, agent, headers) {
        let reply = if verb == "records" {
            encode(&RecordAnswer::Failed {
                error: WireStoreError::NotSignedIn {
                    agent: agent.to_owned(),
                },
            })
        } else {
            encode(&Reply::NotSignedIn {
                agent: agent.to_owned(),
            })
        };
        return (reply, Vec::new());
    }
    if verb == "records" {
        return (encode(&records_call(shared, agent, payload)), Vec::new());
    }
    let mut events = Vec::new();
    let reply = handle(shared, agent, verb, payload, &mut events);
    (encode(&reply), events)
}

/// Whether `agent` is signed in here and the request names their current session.
pub(super) fn in_session(
    shared: &Shared,
    agent: &str,
    headers: Option<&async_nats::HeaderMap>,
) -> bool {
    let named = headers
        .and_then(|h| h.get(wire::SESSION_HEADER))
        .map(|v| v.as_str());
    match (lock(&shared.signed_in).get(agent), named) {
        (Some(session), Some(named)) => session.id == named,
        _ => false,
    }
}

/// The signed-in agent's role here.
pub(super) fn policy_of(shared: &Shared, agent: &str) -> Option<AgentSessionHere> {
    lock(&shared.signed_in).get(agent).cloned()
}

/// Refuses what the role does not grant, in words, and writes the refusal to the audit
/// trail.
pub(super) fn needs(
    shared: &Shared,
    agent: &str,
    permission: &str,
    what: &str,
) -> Result<(), Reply> {
    let granted = policy_of(shared, agent).is_some_and(|s| s.policy.grants(permission));
    if granted {
        return Ok(());
    }
    let reason = format!("{agent}'s role does not allow {what} (permission {permission})");
    audit_refusal(shared, agent, &reason);
    Err(refused(&reason))
}

/// Writes a refusal to the audit trail.
pub(super) fn audit_refusal(shared: &Shared, agent: &str, reason: &str) {
    tracing::warn!("gateway: refused {agent}: {reason}");
    let entry = switchboard_store_postgres::AuditEntry::new(
        shared.clock.now(),
        "refused",
        Some(agent),
        reason,
    );
    if let Err(e) = shared.store.audit(&entry) {
        tracing::error!("gateway: the audit trail: {e}");
    }
}

/// A Done refused while the role needs a disposition in the interaction and it has none.
fn disposition_missing(shared: &Shared, agent: &str, row: &InteractionRow) -> Option<Reply> {
    let session = policy_of(shared, agent)?;
    if !session
        .policy
        .disposition_required(&row.media_type, &session.channels)
    {
        return None;
    }
    match switchboard_seam::records::WrapUpRecords::disposition(&shared.store, &row.id) {
        Ok(Some(_)) => None,
        Ok(None) => {
            let reason = format!("a disposition is needed before {} is marked done", row.id);
            audit_refusal(shared, agent, &reason);
            Some(refused(&reason))
        }
        Err(e) => Some(refused(&e.to_string())),
    }
}

pub(super) fn encode<T: serde::Serialize>(reply: &T) -> Vec<u8> {
    serde_json::to_vec(reply).unwrap_or_default()
}

/// A desktop's record call, run on the store when the agent may make it.
pub(super) fn records_call(shared: &Shared, agent: &str, payload: &[u8]) -> RecordAnswer {
    let failed = |reason: String| RecordAnswer::Failed {
        error: WireStoreError::Failed { reason },
    };
    if !wire::valid_agent_id(agent) {
        return failed("malformed agent id".into());
    }
    let call: RecordCall = match serde_json::from_slice(payload) {
        Ok(call) => call,
        Err(e) => return failed(format!("malformed record call: {e}")),
    };
    let permission = match &call {
        RecordCall::SetCaseValue { .. } => Some(("edit-case-data", "editing case data")),
        RecordCall::AssignContact { .. } => Some(("assign-contact", "assigning a contact")),
        RecordCall::RecordPushedUrl { .. } => Some(("push-url", "pushing a link")),
        _ => None,
    };
    if let Some((permission, what)) = permission
        && let Err(Reply::Refused { reason }) = needs(shared, agent, permission, what)
    {
        return failed(format!("refused: {reason}"));
    }
    if let RecordCall::CloseInteraction { id, .. } = &call
        && let Ok(Some(row)) = shared.store.interaction(id)
        && let Some(Reply::Refused { reason }) = disposition_missing(shared, agent, &row)
    {
        return failed(format!("refused: {reason}"));
    }
    if let Err(reason) = records_access::permit(&shared.store, agent, &call) {
        tracing::warn!("gateway: refused a record call from {agent}: {reason}");
        return failed(format!("refused: {reason}"));
    }
    let history = matches!(
        call,
        RecordCall::History { .. } | RecordCall::SearchHistory { .. }
    );
    let opening = matches!(call, RecordCall::Opening { .. });
    let answer = records_wire::answer(&shared.store, call);
    if history {
        records_access::visible_history(&shared.store, agent, answer)
    } else if opening {
        records_access::visible_opening(&shared.store, agent, answer)
    } else {
        answer
    }
}

/// Handles one platform request of `agent`.
pub(super) fn handle(
    shared: &Shared,
    agent: &str,
    verb: &str,
    payload: &[u8],
    events: &mut Vec<(String, WireEvent)>,
) -> Reply {
    if !wire::valid_agent_id(agent) {
        return refused("malformed agent id");
    }
    let request: Request = match serde_json::from_slice(payload) {
        Ok(request) => request,
        Err(e) => return refused(&format!("malformed request: {e}")),
    };
    if request.verb() != verb {
        return refused("the request does not match its subject");
    }
    let now = shared.clock.now();
    match request {
        Request::SignIn {
            channels,
            display_name,
            wire_version,
            ..
        } => {
            if !(wire::OLDEST_DESKTOP_VERSION..=wire::WIRE_VERSION).contains(&wire_version) {
                let reason = format!(
                    "this desktop speaks version {wire_version} of the contact center's protocol \
                     and the gateway versions {} to {}: {}",
                    wire::OLDEST_DESKTOP_VERSION,
                    wire::WIRE_VERSION,
                    if wire_version > wire::WIRE_VERSION {
                        "upgrade the gateway"
                    } else {
                        "upgrade this desktop"
                    }
                );
                audit_refusal(shared, agent, &reason);
                return Reply::SignInRefused { reason };
            }
            // The connection was let in with the agent's password (the NATS server's
            // authorization callout); the role is the gateway's to give.
            let Some(policy) = shared.settings.roles.policy(agent) else {
                let reason = format!("{agent} is not an agent of this contact center");
                audit_refusal(shared, agent, &reason);
                return Reply::SignInRefused { reason };
            };
            match shared.store.agent_disabled(agent) {
                Ok(false) => {}
                Ok(true) => {
                    return Reply::SignInRefused {
                        reason: format!("{agent} is disabled by an administrator"),
                    };
                }
                Err(e) => return refused(&e.to_string()),
            }
            let granted = shared
                .settings
                .roles
                .granted(&policy, channels.into_iter().map(Into::into).collect());
            // What the agent holds counts against their capacity, on whichever gateway.
            let held = shared.store.held_by(agent).unwrap_or_default();
            let mut router = lock(&shared.router);
            router.sign_in(agent, granted.clone(), now);
            for row in held {
                router.hold(agent, &row.id, &row.media_type);
            }
            drop(router);
            // Signing in again while signed in keeps the session: a desktop's heartbeat and
            // its requests may both sign in again after a lost link, and neither may end the
            // other's session (the connection is the agent's own, by the server's permissions).
            let session = lock(&shared.signed_in)
                .get(agent)
                .map(|current| current.id.clone())
                .unwrap_or_else(|| ids::new_secret_id("S"));
            let permissions = policy.permissions.clone();
            lock(&shared.signed_in).insert(
                agent.to_owned(),
                AgentSessionHere {
                    id: session.clone(),
                    policy,
                    channels: granted.clone(),
                },
            );
            lock(&shared.names).insert(agent.to_owned(), display_name);
            lock(&shared.gone).remove(agent);
            Reply::SignedIn {
                wire_version: wire::WIRE_VERSION,
                session,
                channels: granted.iter().map(wire::WireChannel::from).collect(),
                permissions,
            }
        }
        Request::Heartbeat { .. } | Request::Present => {
            // Answered with the presence bucket before this (`presence_relay`).
            refused("this gateway does not route now")
        }
        Request::Administer { action } => {
            match needs(shared, agent, "admin", "administering accounts") {
                Ok(()) => accounts::administer(shared, agent, action),
                Err(reply) => reply,
            }
        }
        Request::Directory => match shared.store.directory() {
            Ok(entries) => Reply::Directory { entries },
            Err(e) => refused(&e.to_string()),
        },
        Request::SignOut => {
            lock(&shared.signed_in).remove(agent);
            let withdrawn = lock(&shared.router).sign_out(agent, now);
            requeue(shared, withdrawn);
            Reply::Done
        }
        Request::Ready { media_types, ready } => {
            let withdrawn = lock(&shared.router).set_ready(agent, &media_types, ready, now);
            requeue(shared, withdrawn);
            Reply::Done
        }
        Request::Answer { offer_id, accept } => {
            let transfer = lock(&shared.transfers).take(&offer_id, agent);
            match transfer {
                Some(Ok(invitation)) if invitation.conference => {
                    return chat_conference::answer_invitation(
                        shared, agent, invitation, accept, events,
                    );
                }
                Some(Ok(transfer)) => {
                    return answer_transfer(shared, agent, transfer, accept, events);
                }
                Some(Err(_)) => {
                    return Reply::OfferRefused {
                        reason: AnswerRefused::NotYours.to_string(),
                        kind: OfferRefusal::NotYours,
                    };
                }
                None => {}
            }
            let answered = lock(&shared.router).answer(&offer_id, agent, accept, now);
            match answered {
                Ok(reservation) => {
                    let id = &reservation.interaction;
                    if internal::is_invitation(shared, id) {
                        if accept
                            && let Err(e) = shared.store.set_interaction_state(
                                id,
                                InteractionState::Accepted,
                                Some(agent),
                            )
                        {
                            return refused(&e.to_string());
                        }
                        let outcome = if accept {
                            WireOutcome::Accepted
                        } else {
                            WireOutcome::Rejected {
                                reason: format!("{} declined", internal_name(shared, agent)),
                            }
                        };
                        events.extend(internal::answered(shared, id, outcome, Some(agent)));
                        return Reply::Done;
                    }
                    let state = if accept {
                        InteractionState::Accepted
                    } else {
                        InteractionState::Queued
                    };
                    let holder = accept.then_some(agent);
                    match shared.store.set_interaction_state(
                        &reservation.interaction,
                        state,
                        holder,
                    ) {
                        Ok(()) => Reply::Done,
                        Err(e) => refused(&e.to_string()),
                    }
                }
                Err(refusal) => Reply::OfferRefused {
                    reason: refusal.to_string(),
                    kind: match refusal {
                        AnswerRefused::Withdrawn => OfferRefusal::Withdrawn,
                        AnswerRefused::Expired => OfferRefusal::Expired,
                        AnswerRefused::NotYours => OfferRefusal::NotYours,
                    },
                },
            }
        }
        Request::Close { interaction } => {
            let row = match held(shared, agent, &interaction) {
                Ok(row) => row,
                Err(reply) => return reply,
            };
            if let Some(reply) = disposition_missing(shared, agent, &row) {
                return reply;
            }
            if let Err(e) = shared.store.close_interaction(&interaction, true, now) {
                return refused(&e.to_string());
            }
            lock(&shared.router).release(&interaction, now);
            Reply::Done
        }
        Request::HandBack { interaction } => {
            let row = match held(shared, agent, &interaction) {
                Ok(row) => row,
                Err(reply) => return reply,
            };
            if let Err(e) =
                shared
                    .store
                    .set_interaction_state(&interaction, InteractionState::Queued, None)
            {
                return refused(&e.to_string());
            }
            lock(&shared.router).hand_back(&interaction, &row.media_type, row.created, agent, now);
            shared.wake.notify_one();
            Reply::Done
        }
        Request::Transfer {
            interaction,
            target,
            timeout_seconds,
        } => transfer(shared, agent, &interaction, target, timeout_seconds, events),
        Request::StartConversation {
            target,
            media_type,
            case_data,
            consulting,
        } => match needs(shared, agent, "internal-im", "instant messages") {
            Ok(()) => internal::start(
                shared,
                agent,
                target,
                media_type,
                case_data,
                consulting.as_deref(),
            ),
            Err(reply) => reply,
        },
        Request::Invite { purpose, .. }
            if purpose == switchboard_sdk::purposes::VOICE_CONSULTATION =>
        {
            refused("voice consultations need a telephony platform; this contact center has none")
        }
        Request::StartOutbound {
            contact_id,
            address,
            media_type,
        } => contact_start::start(shared, agent, contact_id, &address, &media_type),
        Request::Invite {
            interaction,
            target,
            purpose,
            timeout_seconds,
            ..
        } if purpose == switchboard_sdk::purposes::CONFERENCE => {
            chat_conference::invite(shared, agent, &interaction, target, timeout_seconds, events)
        }
        Request::Invite {
            interaction,
            target,
            purpose,
            first_message,
            case_data,
            ..
        } => match held(shared, agent, &interaction) {
            Ok(own) => internal::invite(
                shared,
                agent,
                &own,
                target,
                purpose,
                first_message,
                case_data,
            ),
            Err(reply) => reply,
        },
        Request::EndConversation { interaction } => match held(shared, agent, &interaction) {
            Ok(row) => chat::end(shared, agent, &row).unwrap_or_else(|| {
                events.extend(internal::end(shared, agent, &interaction));
                Reply::Done
            }),
            Err(reply) => reply,
        },
        Request::Typing {
            interaction,
            typing,
        } => chat::typing(shared, agent, &interaction, typing),
        Request::PushUrl {
            message_id,
            interaction,
        } => match needs(shared, agent, "push-url", "pushing a link") {
            Ok(()) => chat::push_url(shared, agent, &interaction, message_id, events),
            Err(reply) => reply,
        },
        Request::Send {
            message_id,
            interaction,
            parts,
        } => {
            // In a chat's conference, every agent taking part writes.
            let row = match chat::taking_part(shared, agent, &interaction) {
                Ok(row) => row,
                Err(reply) => return reply,
            };
            match shared.store.interaction_of_message(message_id) {
                Ok(Some(of)) if of == interaction => {}
                Ok(_) => return refused(&format!("message {message_id} is not in {interaction}")),
                Err(e) => return refused(&e.to_string()),
            }
            if let Some(reply) = chat::send(shared, agent, &row, message_id, events) {
                return reply;
            }
            let status = match internal::peer_of(shared, &interaction) {
                // A conversation between agents: the colleague's side gets it.
                Ok(Some(peer)) => {
                    match internal::deliver(shared, agent, &peer, &parts.concat(), events) {
                        Ok(status) => status,
                        Err(e) => return refused(&e.to_string()),
                    }
                }
                Ok(None) if shared.settings.provider.is_some() => {
                    if let Err(e) = outbound::queue(shared, message_id, &row, &parts) {
                        return refused(&e.to_string());
                    }
                    return Reply::Done;
                }
                Ok(None) => {
                    // No provider account is connected to this gateway: the message is
                    // recorded as sent and goes no further (a trial deployment).
                    tracing::info!(
                        "gateway: {agent} sent {} part(s) to {} in {interaction}; recorded as sent",
                        parts.len(),
                        row.contact_address
                    );
                    DeliveryStatus::Sent
                }
                Err(e) => return refused(&e.to_string()),
            };
            if let Err(e) = shared.store.set_status(message_id, &status) {
                return refused(&e.to_string());
            }
            events.push((
                agent.to_owned(),
                WireEvent::Delivery {
                    message_id,
                    interaction,
                    status: (&status).into(),
                },
            ));
            Reply::Done
        }
    }
}

/// Whether the password is the agent's (the administrator set one with `switchboard
/// set-password`); the refusal never repeats the password.
pub(super) fn check_password(
    shared: &Shared,
    agent: &str,
    password: Option<Secret>,
) -> Result<(), String> {
    let stored = shared
        .store
        .password_hash(agent)
        .map_err(|e| format!("the gateway cannot check passwords now: {e}"))?
        .ok_or_else(|| {
            format!("{agent} has no password yet: the administrator sets one with switchboard set-password {agent}")
        })?;
    let Some(password) = password else {
        return Err(format!("{agent} must give a password"));
    };
    if crate::passwords::matches(&password, &stored) {
        Ok(())
    } else {
        Err(format!("wrong password for {agent}"))
    }
}

pub(super) fn internal_name(shared: &Shared, agent: &str) -> String {
    lock(&shared.names)
        .get(agent)
        .cloned()
        .unwrap_or_else(|| agent.to_owned())
}

/// The interaction, when `agent` holds it; else the refusal to send back.
pub(super) fn held(
    shared: &Shared,
    agent: &str,
    interaction: &str,
) -> Result<InteractionRow, Reply> {
    match shared.store.interaction(interaction) {
        Ok(Some(row)) if row.agent_id.as_deref() == Some(agent) => Ok(row),
        Ok(_) => Err(refused(&format!(
            "interaction {interaction} is not {agent}'s"
        ))),
        Err(e) => Err(refused(&e.to_string())),
    }
}

pub(super) fn refused(reason: &str) -> Reply {
    Reply::Refused {
        reason: reason.to_owned(),
    }
}
