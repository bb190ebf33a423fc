//! Transcript entries: the messages and system lines of an interaction, as stored by the host.

use abi_stable::{
    StableAbi,
    std_types::{ROption, RString, RVec},
};

use crate::time::Timestamp;

/// Who wrote a transcript entry.
#[repr(u8)]
#[derive(StableAbi, serde::Serialize, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[sabi(kind(WithNonExhaustive(size = [usize; 2], traits(Debug, Clone, PartialEq))))]
#[non_exhaustive]
pub enum Role {
    /// The customer.
    Contact,
    /// The signed-in agent.
    Agent,
    /// Another agent (conference, consultation, transfer).
    OtherAgent,
    /// A line written by the system: joins, leaves, transfers, failures.
    System,
}

/// Where an outbound message is in its delivery.
#[repr(u8)]
#[derive(StableAbi, serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
#[sabi(kind(WithNonExhaustive(size = [usize; 5], traits(Debug, Clone, PartialEq))))]
#[non_exhaustive]
pub enum DeliveryStatus {
    /// Not applicable (inbound messages, system lines).
    None,
    /// Stored, handed to the platform, no report yet.
    Sending,
    /// The gateway accepted it.
    Sent,
    /// The handset confirmed it.
    Delivered,
    /// The gateway or the handset refused it.
    Failed {
        /// The provider's reason, shown to the agent.
        reason: RString,
    },
    // New variants go last: a variant's position is part of the ABI.
    /// The contact opened it (messaging apps that send read receipts). New in SDK 1.4: a
    /// plugin built with an older SDK never receives a report with this status.
    Read,
}

/// A file attached to a message (an MMS image, for example).
#[repr(C)]
#[derive(StableAbi, serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq)]
pub struct Attachment {
    /// Store id of the attachment.
    pub id: i64,
    /// MIME type as declared by the sender.
    pub media_type: RString,
    /// File name to show.
    pub name: RString,
    /// Size in bytes.
    pub size: u64,
}

/// One line of a transcript: a message or a system line. The host stores it before anyone
/// sees it, and it stays readable even if the plugin that made it fails.
#[repr(C)]
#[derive(StableAbi, serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq)]
pub struct TranscriptEntry {
    /// Store id, unique across interactions.
    pub id: i64,
    /// The interaction this entry belongs to.
    pub interaction: RString,
    /// Who wrote it.
    #[serde(with = "crate::serde_ne")]
    pub role: Role_NE,
    /// Display name of the author ("Marie Dupont", "Agent 007", "System").
    pub author: RString,
    /// Stable key of the participant, used to pick its colour.
    pub author_key: RString,
    /// When it was written, by the host clock.
    pub time: Timestamp,
    /// The text, exactly as received or sent.
    pub text: RString,
    /// Attached files.
    pub attachments: RVec<Attachment>,
    /// Delivery status of an outbound message.
    #[serde(with = "crate::serde_ne")]
    pub status: DeliveryStatus_NE,
    /// The provider's message id, when it has one.
    pub provider_id: ROption<RString>,
}

impl TranscriptEntry {
    /// The role, or `None` when a newer host sent a role this SDK does not know.
    pub fn role(&self) -> Option<Role> {
        self.role.as_enum().ok().copied()
    }

    /// How many of its attachments are images (`image/*`). A plain Rust helper (SDK 1.4): no
    /// part of the ABI.
    pub fn image_count(&self) -> usize {
        self.attachments
            .iter()
            .filter(|a| a.media_type.starts_with("image/"))
            .count()
    }
}
