//! Interactions and messages as stored.

use switchboard_sdk::{DeliveryStatus, Role, Timestamp};

/// An interaction as stored.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct InteractionRow {
    /// Interaction id.
    pub id: String,
    /// Media type (`sms`...).
    pub media_type: String,
    /// Contact's display name (the address when unknown).
    pub contact_name: String,
    /// Contact's address (phone number...).
    pub contact_address: String,
    /// Our address the contact wrote to.
    pub our_address: String,
    /// Where it is in its life.
    pub state: InteractionState,
    /// Agent handling it.
    pub agent_id: Option<String>,
    /// Creation time.
    #[serde(with = "super::serde_forms::timestamp")]
    pub created: Timestamp,
    /// Whether the agent marked it done.
    pub done: bool,
    /// Case data to store with it (only read on insert).
    pub case_data: Vec<(String, String)>,
}

/// A message to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewMessage {
    /// Interaction.
    pub interaction: String,
    /// Who wrote it.
    pub role: Role,
    /// Display name of the author.
    pub author: String,
    /// Participant key for colours.
    pub author_key: String,
    /// When.
    pub time: Timestamp,
    /// Text.
    pub body: String,
    /// Delivery status.
    pub status: DeliveryStatus,
    /// Provider's id (UNIQUE).
    pub provider_id: Option<String>,
    /// SMS parts it was sent as.
    pub parts: usize,
}

impl NewMessage {
    /// The message timed after `latest`, the time of the newest message stored in its
    /// interaction: a reply stored under an id set aside earlier reads after what was stored
    /// meanwhile, whatever the sender's clock says.
    pub fn after(&self, latest: Option<switchboard_sdk::Timestamp>) -> Self {
        let mut message = self.clone();
        if let Some(latest) = latest {
            message.time = switchboard_sdk::Timestamp(message.time.0.max(latest.0 + 1));
        }
        message
    }

    /// The transcript entry it is once stored under `id` (before its attachments).
    pub fn entry(&self, id: i64) -> switchboard_sdk::TranscriptEntry {
        use switchboard_sdk::abi_stable::std_types::{RNone, RSome, RVec};
        switchboard_sdk::TranscriptEntry {
            id,
            interaction: self.interaction.as_str().into(),
            role: self.role.into(),
            author: self.author.as_str().into(),
            author_key: self.author_key.as_str().into(),
            time: self.time,
            text: self.body.as_str().into(),
            attachments: RVec::new(),
            status: self.status.clone().into(),
            provider_id: self
                .provider_id
                .as_deref()
                .map_or(RNone, |p| RSome(p.into())),
        }
    }
}

/// Where an interaction is in its life. The platform writes it (routing, answers, transfers);
/// the desk asks the platform, never the store, to change it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum InteractionState {
    /// Waiting in a queue for an agent.
    #[default]
    Queued,
    /// Offered to an agent, who has not answered yet.
    Offered,
    /// An agent handles it.
    Accepted,
    /// The conversation ended (the agent or the other side ended it); the agent still has it
    /// open to finish its wrap-up, and sending continues it.
    Ended,
    /// Handed to another agent.
    Transferred,
    /// Closed (done, or abandoned).
    Closed,
}

impl InteractionState {
    /// Every state, in life order.
    pub const ALL: [InteractionState; 6] = [
        Self::Queued,
        Self::Offered,
        Self::Accepted,
        Self::Ended,
        Self::Transferred,
        Self::Closed,
    ];

    /// The stable name stores keep (`queued`, `accepted`...).
    pub fn name(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Offered => "offered",
            Self::Accepted => "accepted",
            Self::Ended => "ended",
            Self::Transferred => "transferred",
            Self::Closed => "closed",
        }
    }

    /// The state with this stable name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }
}

impl std::fmt::Display for InteractionState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The stable name stores keep for a role.
pub fn role_to_text(role: Role) -> &'static str {
    match role {
        Role::Contact => "contact",
        Role::Agent => "agent",
        Role::OtherAgent => "other-agent",
        _ => "system",
    }
}

/// The role with a stored name (unknown names read as system lines).
pub fn role_from_text(text: &str) -> Role {
    match text {
        "contact" => Role::Contact,
        "agent" => Role::Agent,
        "other-agent" => Role::OtherAgent,
        _ => Role::System,
    }
}

/// A delivery status as stored: its name and the failure reason.
pub fn status_to_columns(status: &DeliveryStatus) -> (&'static str, Option<String>) {
    match status {
        DeliveryStatus::Sending => ("sending", None),
        DeliveryStatus::Sent => ("sent", None),
        DeliveryStatus::Delivered => ("delivered", None),
        DeliveryStatus::Read => ("read", None),
        DeliveryStatus::Failed { reason } => ("failed", Some(reason.to_string())),
        _ => ("none", None),
    }
}

/// The delivery status stored as a name and a reason.
pub fn status_from_columns(text: &str, reason: Option<String>) -> DeliveryStatus {
    match text {
        "sending" => DeliveryStatus::Sending,
        "sent" => DeliveryStatus::Sent,
        "delivered" => DeliveryStatus::Delivered,
        "read" => DeliveryStatus::Read,
        "failed" => DeliveryStatus::Failed {
            reason: reason.unwrap_or_default().into(),
        },
        _ => DeliveryStatus::None,
    }
}
