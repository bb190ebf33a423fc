//! Agents' SMS replies through the provider: a reply is queued as parts in the PostgreSQL
//! outbox, and the routing gateway's outbox worker sends each part (claimed and committed as
//! attempting before the call), retries what the provider asks to retry (2, 4, 8… seconds, at
//! most six attempts), fails what it refuses, and tells the agent's desktop when every part is
//! sent or one failed. A part a stopped gateway left mid-call is never sent again blindly: its
//! message fails with a reason the agent reads. Delivery reports name a part and update its
//! message.

use std::{sync::Arc, time::Duration};

use switchboard_sdk::{DeliveryStatus, Timestamp};
use switchboard_seam::{
    provider::{MAX_ATTEMPTS, OutboundPart, Provider, SendOutcome, backoff},
    records::{InteractionRecords, InteractionRow, StoreError},
};
use switchboard_store_postgres::{ClaimedPart, MessageOutcome};

use super::{Shared, publish};
use crate::wire::WireEvent;

/// Why a part left mid-call by a stopped gateway fails its message.
pub const INTERRUPTED: &str =
    "may not have been sent: the gateway stopped while sending it; send it again if needed";

/// The provider a gateway sends through, shareable in its settings.
#[derive(Clone)]
pub struct ProviderLink(pub Arc<dyn Provider>);

impl std::fmt::Debug for ProviderLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ProviderLink")
    }
}

/// Queues a reply's parts for the provider, from our number to the customer.
pub(super) fn queue(
    shared: &Shared,
    message_id: i64,
    row: &InteractionRow,
    parts: &[String],
) -> Result<(), StoreError> {
    let parts: Vec<OutboundPart> = parts
        .iter()
        .map(|body| OutboundPart {
            to: row.contact_address.clone(),
            from: row.our_address.clone(),
            body: body.clone(),
        })
        .collect();
    shared
        .store
        .enqueue_parts(message_id, &parts, shared.clock.now())?;
    shared.outbox_wake.notify_one();
    Ok(())
}

/// The outbox worker of the routing gateway: parts left mid-call fail first, then every part
/// is sent as it falls due.
pub(super) async fn work(shared: Arc<Shared>, provider: Arc<dyn Provider>) {
    match tokio::task::block_in_place(|| shared.store.settle_interrupted_parts(INTERRUPTED)) {
        Ok(messages) => {
            for message_id in messages {
                let events =
                    tokio::task::block_in_place(|| fail_message(&shared, message_id, INTERRUPTED));
                publish(&shared, events).await;
            }
        }
        Err(e) => tracing::error!("gateway: cannot settle interrupted parts: {e}"),
    }
    loop {
        let now = shared.clock.now();
        match tokio::task::block_in_place(|| shared.store.claim_due_part(now)) {
            Ok(Some(part)) => {
                let call = provider.clone();
                let outgoing = part.part.clone();
                let outcome = tokio::task::spawn_blocking(move || call.send(&outgoing))
                    .await
                    .unwrap_or_else(|e| SendOutcome::Uncertain {
                        reason: format!("the provider call failed: {e}"),
                    });
                let events = tokio::task::block_in_place(|| settle(&shared, &part, outcome));
                publish(&shared, events).await;
            }
            Ok(None) => {
                let next = tokio::task::block_in_place(|| shared.store.next_part_due())
                    .ok()
                    .flatten();
                let wait = next.map_or(Duration::from_secs(60), |at| {
                    Duration::from_millis((at.0 - shared.clock.now().0).clamp(0, 60_000) as u64)
                });
                tokio::select! {
                    () = shared.outbox_wake.notified() => {}
                    () = tokio::time::sleep(wait) => {}
                }
            }
            Err(e) => {
                tracing::warn!("gateway: the outbox: {e}");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

/// What becomes of a part after the provider's answer; returns what to tell whom.
fn settle(shared: &Shared, part: &ClaimedPart, outcome: SendOutcome) -> Vec<(String, WireEvent)> {
    let result = match outcome {
        SendOutcome::Accepted { sid } => match shared.store.part_accepted(part.id, &sid) {
            Ok(MessageOutcome::AllAccepted) => {
                return report(shared, part.message_id, DeliveryStatus::Sent);
            }
            Ok(_) => Ok(()),
            Err(e) => Err(e),
        },
        SendOutcome::RetryLater { after, reason } => {
            if i64::from(part.attempts) >= MAX_ATTEMPTS {
                return fail_part(
                    shared,
                    part,
                    &format!("not sent after {MAX_ATTEMPTS} attempts: {reason}"),
                );
            }
            let wait = backoff(i64::from(part.attempts), after);
            tracing::info!("gateway: SMS part {} waits {wait:?}: {reason}", part.id);
            let due = Timestamp(shared.clock.now().0 + wait.as_millis() as i64);
            shared.store.part_retry(part.id, due, &reason)
        }
        SendOutcome::Rejected { reason, .. } => return fail_part(shared, part, &reason),
        SendOutcome::Uncertain { reason } => {
            return fail_part(shared, part, &format!("{INTERRUPTED} ({reason})"));
        }
    };
    if let Err(e) = result {
        tracing::error!("gateway: recording SMS part {}: {e}", part.id);
    }
    Vec::new()
}

fn fail_part(shared: &Shared, part: &ClaimedPart, reason: &str) -> Vec<(String, WireEvent)> {
    if let Err(e) = shared.store.part_failed(part.id, reason) {
        tracing::error!("gateway: failing SMS part {}: {e}", part.id);
    }
    fail_message(shared, part.message_id, reason)
}

fn fail_message(shared: &Shared, message_id: i64, reason: &str) -> Vec<(String, WireEvent)> {
    report(
        shared,
        message_id,
        DeliveryStatus::Failed {
            reason: reason.into(),
        },
    )
}

/// Records a message's status and tells the desktop of the agent who holds its interaction.
pub(super) fn report(
    shared: &Shared,
    message_id: i64,
    status: DeliveryStatus,
) -> Vec<(String, WireEvent)> {
    if let Err(e) = shared.store.set_status(message_id, &status) {
        tracing::error!("gateway: the status of message {message_id}: {e}");
        return Vec::new();
    }
    let holder = shared
        .store
        .interaction_of_message(message_id)
        .ok()
        .flatten()
        .and_then(|id| shared.store.interaction(&id).ok().flatten());
    match holder {
        Some(InteractionRow {
            id,
            agent_id: Some(agent),
            ..
        }) => vec![(
            agent,
            WireEvent::Delivery {
                message_id,
                interaction: id,
                status: (&status).into(),
            },
        )],
        _ => Vec::new(),
    }
}
