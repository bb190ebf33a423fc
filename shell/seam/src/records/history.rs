//! A contact's history as the History panel lists it.

use switchboard_sdk::Timestamp;

/// One past or open interaction of a contact.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryItem {
    /// Interaction id.
    pub interaction: String,
    /// Media type.
    pub media_type: String,
    /// When it was created.
    pub created: Timestamp,
    /// `queued`, `offered`, `accepted`, `closed`.
    pub state: String,
    /// Disposition code chosen.
    pub disposition: Option<String>,
    /// The agent's note.
    pub note: Option<String>,
    /// Number of messages.
    pub messages: usize,
    /// A matching excerpt when searching, else the first message.
    pub excerpt: String,
}
