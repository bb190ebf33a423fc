//! Outbound SMS through a real provider: `send` records the parts in the store's outbox and
//! returns; the platform's clock-driven work sends the parts that are due, one call each, and
//! records each outcome before the next. A part is marked `attempting` (committed) before its
//! call, so a crash mid-call is known at the next start: that message is failed with a line
//! saying it may have left, and never sent again blindly. Delivery then follows the
//! provider's status callbacks.

use std::sync::Arc;

use switchboard_sdk::{DeliveryStatus, Timestamp};
use switchboard_seam::backend::OutboundMessage;
use switchboard_store_sqlite::{InteractionRecords as _, OutboxPart, Store, StoreError};

use crate::{
    EmbeddedPlatform, lock,
    provider::{self, OutboundPart, Provider, SendOutcome},
};

/// Why a message whose call a crash interrupted is marked failed.
pub const UNCERTAIN_REASON: &str = "may not have been sent: the desktop stopped while the provider was answering; check with the contact before sending it again";

/// Parts sent per turn at most, so routing is never held up for long.
const PARTS_PER_TURN: usize = 20;

/// At start: calls a crash interrupted make their messages failed with [`UNCERTAIN_REASON`].
pub(crate) fn settle_interrupted(store: &Store) -> Result<(), StoreError> {
    for message in store.settle_interrupted_parts()? {
        tracing::warn!(
            "message {} of {} was being sent when the platform stopped: marked failed, not sent again",
            message.message_id,
            message.interaction
        );
        store.set_status(
            message.message_id,
            &DeliveryStatus::Failed {
                reason: UNCERTAIN_REASON.into(),
            },
        )?;
    }
    Ok(())
}

/// The provider, when one is configured, and when its next part is due.
#[derive(Default)]
pub(crate) struct Outbox {
    pub(crate) provider: Option<Arc<dyn Provider>>,
    next_due: Option<Timestamp>,
}

impl Outbox {
    pub(crate) fn new(provider: Option<Arc<dyn Provider>>, next_due: Option<Timestamp>) -> Self {
        Self { provider, next_due }
    }
}

impl EmbeddedPlatform {
    /// Whether outbound SMS go to a real provider.
    pub fn has_provider(&self) -> bool {
        lock(&self.inner.outbox).provider.is_some()
    }

    /// Records an SMS's parts for the provider; they leave on the platform's next turn.
    pub(crate) fn queue_for_provider(&self, sms: &OutboundMessage) -> Result<(), StoreError> {
        let now = self.inner.clock.now();
        self.inner
            .store
            .enqueue_parts(sms.message_id, &sms.to, &sms.from, &sms.parts, now)?;
        lock(&self.inner.outbox).next_due = Some(now);
        Ok(())
    }

    /// When the next outbox part is due (read in memory: the desk asks every frame).
    pub(crate) fn outbox_next_due(&self) -> Option<Timestamp> {
        lock(&self.inner.outbox).next_due
    }

    /// Sends the parts that are due.
    pub(crate) fn send_due_parts(&self) {
        let (provider, due_at) = {
            let outbox = lock(&self.inner.outbox);
            (outbox.provider.clone(), outbox.next_due)
        };
        let Some(provider) = provider else {
            return;
        };
        let now = self.inner.clock.now();
        if due_at.is_none_or(|due| due > now) {
            return;
        }
        let due = match self.inner.store.due_parts(now, PARTS_PER_TURN) {
            Ok(due) => due,
            Err(e) => {
                tracing::error!("cannot read the outbox: {e}");
                return;
            }
        };
        for part in due {
            if let Err(e) = self.send_part(provider.as_ref(), &part, now) {
                tracing::error!(
                    "outbox part {} of message {}: {e}",
                    part.part,
                    part.message_id
                );
            }
        }
        let next = self.inner.store.next_part_due().unwrap_or_else(|e| {
            tracing::error!("cannot read the outbox: {e}");
            None
        });
        lock(&self.inner.outbox).next_due = next;
    }

    fn send_part(
        &self,
        provider: &dyn Provider,
        part: &OutboxPart,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let store = &self.inner.store;
        store.part_attempting(part.id)?;
        let outcome = provider.send(&OutboundPart {
            to: part.recipient.clone(),
            from: part.sender.clone(),
            body: part.body.clone(),
        });
        match outcome {
            SendOutcome::Accepted { sid } => store.part_accepted(part, &sid),
            SendOutcome::RetryLater { after, reason } => {
                let attempts = part.attempts + 1;
                if attempts >= provider::MAX_ATTEMPTS {
                    tracing::warn!(
                        "message {}: {reason}; gave up after {attempts} attempts",
                        part.message_id
                    );
                    self.fail_message(
                        part,
                        format!("the provider stayed unavailable ({reason}); send it again later"),
                    )
                } else {
                    let wait = provider::backoff(attempts, after);
                    tracing::info!(
                        "message {}: {reason}; trying again in {} s",
                        part.message_id,
                        wait.as_secs()
                    );
                    store.part_retry_at(part.id, Timestamp(now.0 + wait.as_millis() as i64))
                }
            }
            SendOutcome::Rejected { reason, .. } => self.fail_message(part, reason),
            SendOutcome::Uncertain { reason } => {
                tracing::warn!("message {}: {reason}", part.message_id);
                self.fail_message(part, UNCERTAIN_REASON.to_owned())
            }
        }
    }

    /// The message will not leave (whole): its waiting parts are dropped and the agent reads
    /// why on it.
    fn fail_message(&self, part: &OutboxPart, reason: String) -> Result<(), StoreError> {
        self.inner.store.part_failed(part)?;
        self.report_delivery(
            part.message_id,
            &part.interaction,
            DeliveryStatus::Failed {
                reason: reason.into(),
            },
        );
        Ok(())
    }
}
