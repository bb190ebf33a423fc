//! Who an internal conversation (IM, consultation, outbound start) is with, for a store.

/// Who an internal conversation is with, for the store.
#[derive(Debug, Clone, PartialEq)]
pub enum Party {
    /// Whoever the exact address names (`agent:grace`, `chat:CH17`): found by that address
    /// only, never matched by number, created unknown under `name` the first time.
    Address {
        /// Address, `kind:id`.
        address: String,
        /// Name shown.
        name: String,
    },
    /// A known contact, by id (an outbound conversation the agent starts).
    Contact {
        /// Store id.
        id: i64,
    },
    /// A consultation about a customer interaction: the conversation joins that customer.
    Consulting {
        /// The customer interaction.
        interaction: String,
    },
}
