//! The pending-response indicator: for channels that ask for it (service `pending-response`),
//! how long the contact has waited for the agent's reply, green, then yellow and red after the
//! role's delays. It starts with the contact's first unanswered message and the agent's reply
//! resets it. Read from the host clock, so tests move time instead of waiting.

use switchboard_sdk::services;

use super::Desk;

/// How urgent a pending reply is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PendingLevel {
    /// Within the first delay.
    Green,
    /// Past the first delay.
    Yellow,
    /// Past the second delay: the indicator flashes.
    Red,
}

/// A reply the contact is waiting for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pending {
    /// How urgent.
    pub level: PendingLevel,
    /// Seconds the contact has waited.
    pub waiting_seconds: i64,
}

impl Desk {
    /// The pending reply of an interaction, when its channel shows one and the contact waits.
    pub fn pending(&self, interaction: &str) -> Option<Pending> {
        let open = self.interaction(interaction)?;
        let shows = self.channels[open.channel]
            .manifest()
            .is_some_and(|m| m.uses_service(services::PENDING_RESPONSE));
        if !shows || open.ended {
            return None;
        }
        let since = open.waiting_since()?;
        let timers = self.agent.as_ref()?.role.timers;
        let waiting_seconds = self.now().seconds_since(since).max(0);
        let level = if waiting_seconds >= i64::from(timers.pending_red_seconds) {
            PendingLevel::Red
        } else if waiting_seconds >= i64::from(timers.pending_yellow_seconds) {
            PendingLevel::Yellow
        } else {
            PendingLevel::Green
        };
        Some(Pending {
            level,
            waiting_seconds,
        })
    }

    /// Whether any interaction has a reply pending (the window asks for attention).
    pub fn any_pending(&self) -> bool {
        self.interactions
            .iter()
            .any(|i| self.pending(&i.row.id).is_some())
    }
}
