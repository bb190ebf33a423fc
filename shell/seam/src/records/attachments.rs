//! Attachments of messages (MMS and messaging-app images) going into and out of a store.

/// A media item to store with an inbound message: checked bytes and thumbnail, or the reason
/// it cannot be shown.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NewAttachment {
    /// MIME type the sender declared.
    pub media_type: String,
    /// File name to show.
    pub name: String,
    /// Size in bytes as received (0 when it could not be fetched).
    pub size: u64,
    /// The bytes, when the item passed the checks.
    #[serde(with = "super::serde_forms::optional_bytes")]
    pub data: Option<Vec<u8>>,
    /// PNG thumbnail, when the item passed the checks.
    #[serde(with = "super::serde_forms::optional_bytes")]
    pub thumbnail: Option<Vec<u8>>,
    /// Why it cannot be shown, when it failed them.
    pub problem: Option<String>,
}

/// A stored attachment as the transcript needs it: its thumbnail, not its bytes (read those
/// with [`super::InteractionRecords::attachment_bytes`] when saving or opening).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StoredAttachment {
    /// Store id.
    pub id: i64,
    /// Message it came with.
    pub message_id: i64,
    /// Interaction of the message.
    pub interaction: String,
    /// MIME type the sender declared.
    pub media_type: String,
    /// File name.
    pub name: String,
    /// Size in bytes.
    pub size: u64,
    /// PNG thumbnail.
    #[serde(with = "super::serde_forms::optional_bytes")]
    pub thumbnail: Option<Vec<u8>>,
    /// Why it cannot be shown.
    pub problem: Option<String>,
}
