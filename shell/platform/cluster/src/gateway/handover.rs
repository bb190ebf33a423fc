//! Transfers between agents: to a colleague (an offer reserved for them alone until it
//! lapses) or back to routing (a queue, skill, group or routing point).

use super::*;

/// An agent hands an interaction to a colleague (offered to them alone until it lapses; the
/// interaction stays the agent's meanwhile) or to a queue, skill, group or routing point (it
/// leaves the agent at once and is routed to whoever is Ready next).
pub(super) fn transfer(
    shared: &Shared,
    agent: &str,
    interaction: &str,
    target: WireTarget,
    timeout_seconds: i64,
    events: &mut Vec<(String, WireEvent)>,
) -> Reply {
    let row = match held(shared, agent, interaction) {
        Ok(row) => row,
        Err(reply) => return reply,
    };
    if lock(&shared.transfers).is_pending(interaction) {
        return refused(&format!(
            "a transfer of {interaction} is already waiting for an answer"
        ));
    }
    let now = shared.clock.now();
    match target.kind.as_str() {
        "agent" => {
            // Leaving a chat's conference: the colleague already in it keeps it, at once.
            if let Some(reply) =
                super::chat_conference::leave_to(shared, agent, &row, &target, events)
            {
                return reply;
            }
            if target.id == agent {
                return refused("you already hold this interaction");
            }
            if !lock(&shared.signed_in).contains_key(&target.id) {
                return refused(&format!("{} is not signed in", target.name));
            }
            super::colleague_offer::offer_to_colleague(
                shared,
                agent,
                row,
                target,
                timeout_seconds,
                false,
                events,
            )
        }
        "queue" | "skill" | "group" | "routing-point" => {
            if let Err(e) =
                shared
                    .store
                    .set_interaction_state(interaction, InteractionState::Queued, None)
            {
                return refused(&e.to_string());
            }
            lock(&shared.router).hand_back(interaction, &row.media_type, row.created, agent, now);
            shared.wake.notify_one();
            events.push((
                agent.to_owned(),
                WireEvent::TransferAnswered {
                    interaction: interaction.to_owned(),
                    target,
                    outcome: WireOutcome::Accepted,
                },
            ));
            Reply::Done
        }
        other => refused(&format!(
            "an interaction is transferred to agents, queues, skills, groups or routing points, \
             not to a {other}"
        )),
    }
}

/// A colleague's answer to a transfer: accepted, the interaction is theirs (history and all);
/// either way the agent who asked is told.
pub(super) fn answer_transfer(
    shared: &Shared,
    agent: &str,
    transfer: PendingTransfer,
    accept: bool,
    events: &mut Vec<(String, WireEvent)>,
) -> Reply {
    let outcome = if accept {
        if let Err(e) = shared.store.set_interaction_state(
            &transfer.interaction,
            InteractionState::Accepted,
            Some(agent),
        ) {
            return refused(&e.to_string());
        }
        lock(&shared.router).hand_over(&transfer.interaction, agent, shared.clock.now());
        WireOutcome::Accepted
    } else {
        WireOutcome::Rejected {
            reason: format!("{} declined", transfer.target.name),
        }
    };
    events.push((
        transfer.from,
        WireEvent::TransferAnswered {
            interaction: transfer.interaction,
            target: transfer.target,
            outcome,
        },
    ));
    Reply::Done
}
