//! Transfers between agents on the cluster: an agent hands an interaction to a colleague (an
//! offer reserved for them until it expires) or to a queue (routed to whoever is Ready next).
//! The gateway keeps the pending ones here; the interaction stays the first agent's until the
//! colleague accepts. An invitation into a chat's conference waits here too.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use switchboard_sdk::{InvitationOutcome, Target, Timestamp};

/// A transfer's target on the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WireTarget {
    /// `agent`, `queue`, `skill`, `group`, `routing-point`.
    pub kind: String,
    /// Id on the platform.
    pub id: String,
    /// Name shown.
    pub name: String,
}

impl From<&Target> for WireTarget {
    fn from(t: &Target) -> Self {
        Self {
            kind: t.kind.to_string(),
            id: t.id.to_string(),
            name: t.name.to_string(),
        }
    }
}

impl From<WireTarget> for Target {
    fn from(t: WireTarget) -> Self {
        Target {
            kind: t.kind.into(),
            id: t.id.into(),
            name: t.name.into(),
        }
    }
}

/// How a transfer ended, on the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum WireOutcome {
    /// The colleague took it.
    Accepted,
    /// The colleague refused.
    Rejected {
        /// Why, shown as is.
        reason: String,
    },
    /// Nobody answered in time.
    TimedOut,
}

impl From<WireOutcome> for InvitationOutcome {
    fn from(o: WireOutcome) -> Self {
        match o {
            WireOutcome::Accepted => InvitationOutcome::Accepted,
            WireOutcome::Rejected { reason } => InvitationOutcome::Rejected {
                reason: reason.into(),
            },
            WireOutcome::TimedOut => InvitationOutcome::TimedOut,
        }
    }
}

/// A transfer offered to a colleague, waiting for their answer.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingTransfer {
    /// The interaction.
    pub interaction: String,
    /// The agent handing it over.
    pub from: String,
    /// The target as asked.
    pub target: WireTarget,
    /// When the offer lapses.
    pub expires_at: Timestamp,
    /// An invitation to join a chat's conference (the chat stays the first agent's), not a
    /// transfer.
    pub conference: bool,
}

/// The transfers waiting for an answer, by offer id.
#[derive(Debug, Default)]
pub struct Transfers {
    pending: HashMap<String, PendingTransfer>,
}

impl Transfers {
    /// Records a transfer offered under `offer_id`.
    pub fn offer(&mut self, offer_id: &str, transfer: PendingTransfer) {
        self.pending.insert(offer_id.to_owned(), transfer);
    }

    /// Whether an interaction has a transfer waiting.
    pub fn is_pending(&self, interaction: &str) -> bool {
        self.pending.values().any(|t| t.interaction == interaction)
    }

    /// Takes the transfer offered to `agent` under `offer_id`: `None` when there is none (an
    /// ordinary offer, say), `Err` with the transfer left in place when it is another agent's.
    pub fn take(
        &mut self,
        offer_id: &str,
        agent: &str,
    ) -> Option<Result<PendingTransfer, &'static str>> {
        let transfer = self.pending.get(offer_id)?;
        if transfer.target.id != agent {
            return Some(Err("this transfer is offered to another agent"));
        }
        self.pending.remove(offer_id).map(Ok)
    }

    /// The transfers whose offer lapsed by `now`, with their offer ids.
    pub fn expire(&mut self, now: Timestamp) -> Vec<(String, PendingTransfer)> {
        let lapsed: Vec<String> = self
            .pending
            .iter()
            .filter(|(_, t)| t.expires_at <= now)
            .map(|(id, _)| id.clone())
            .collect();
        lapsed
            .into_iter()
            .filter_map(|id| self.pending.remove(&id).map(|t| (id, t)))
            .collect()
    }

    /// When the next offer lapses.
    pub fn next_expiry(&self) -> Option<Timestamp> {
        self.pending.values().map(|t| t.expires_at).min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn to_marc(expires_at: i64) -> PendingTransfer {
        PendingTransfer {
            interaction: "SES-1".into(),
            from: "ada".into(),
            target: WireTarget {
                kind: "agent".into(),
                id: "marc".into(),
                name: "Marc".into(),
            },
            expires_at: Timestamp(expires_at),
            conference: false,
        }
    }

    #[test]
    fn a_transfer_is_taken_by_its_target_once_and_lapses_on_time() {
        let mut transfers = Transfers::default();
        transfers.offer("OFFER-1", to_marc(1_000));
        assert!(transfers.is_pending("SES-1"));
        assert_eq!(transfers.take("OFFER-9", "marc"), None);
        assert!(matches!(transfers.take("OFFER-1", "lea"), Some(Err(_))));
        assert!(matches!(transfers.take("OFFER-1", "marc"), Some(Ok(_))));
        assert_eq!(transfers.take("OFFER-1", "marc"), None, "taken once");

        transfers.offer("OFFER-2", to_marc(1_000));
        assert_eq!(transfers.next_expiry(), Some(Timestamp(1_000)));
        assert!(transfers.expire(Timestamp(999)).is_empty());
        assert_eq!(transfers.expire(Timestamp(1_000)).len(), 1);
        assert!(!transfers.is_pending("SES-1"));
    }
}
