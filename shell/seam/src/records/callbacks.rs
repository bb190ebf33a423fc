//! Callbacks: an agent's promise to call a contact back at a date and time.

use switchboard_sdk::Timestamp;

/// A scheduled callback.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Callback {
    /// Store id.
    pub id: i64,
    /// The interaction it came from.
    pub interaction: Option<String>,
    /// Who to call.
    pub contact_name: String,
    /// Number to call.
    pub number: String,
    /// When.
    #[serde(with = "super::serde_forms::timestamp")]
    pub due: Timestamp,
    /// What it is about.
    pub note: String,
    /// The agent who scheduled it.
    pub agent: String,
    /// `scheduled`, `notified`.
    pub state: String,
}
