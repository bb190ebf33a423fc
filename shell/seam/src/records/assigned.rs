//! The Communication view's rows: contacts an agent handled, with unread counts.

use switchboard_sdk::Timestamp;

use super::Contact;

/// A contact the agent handled.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AssignedContact {
    /// The record.
    pub contact: Contact,
    /// When their latest conversation with the agent started.
    #[serde(with = "super::serde_forms::timestamp")]
    pub last_activity: Timestamp,
    /// Their messages since the agent last wrote to them or read their conversations.
    pub unread: usize,
    /// Media types of their conversations (`sms`, `chat`...), most recent first.
    pub media_types: Vec<String>,
    /// Their web chat's address, when they chatted (to continue the chat).
    pub chat_address: Option<String>,
}
