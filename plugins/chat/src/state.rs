//! One web chat as the plugin tracks it: its phase, who is typing, the colleagues in a
//! conference, and the name the customer sees.

use switchboard_sdk::{InteractionInfo, Target};

/// Where a chat stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    /// The customer and the agent are talking.
    Live,
    /// A transfer (or leaving a conference) waits for the platform's answer.
    Transferring(Target),
    /// Over; Done closes it, or sending continues it.
    Ended,
}

/// One chat.
#[derive(Debug, Clone)]
pub struct Chat {
    /// As the host described it.
    pub info: InteractionInfo,
    /// The agent's name as the customer sees it.
    pub nickname: String,
    /// Live, transferring, ended.
    pub phase: Phase,
    /// The customer is typing.
    pub contact_typing: bool,
    /// The customer was told the agent is typing.
    pub agent_typing: bool,
    /// Colleagues who joined the chat.
    pub conference: Vec<Target>,
    /// A conference invitation waiting for an answer.
    pub inviting: Option<Target>,
}

impl Chat {
    /// A chat just accepted.
    pub fn new(info: InteractionInfo, nickname: String) -> Self {
        Self {
            info,
            nickname,
            phase: Phase::Live,
            contact_typing: false,
            agent_typing: false,
            conference: Vec::new(),
            inviting: None,
        }
    }
}
