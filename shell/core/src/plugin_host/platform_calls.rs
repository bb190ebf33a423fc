//! What the desk and its plugins ask of the platform besides sends: transfers, invitations,
//! typing, and a conversation ended or continued. The plugin is answered at once (asked), the
//! call is carried out on the desk's requests thread in the order made (a cluster's round trip
//! never holds the window's thread), and a refusal comes back as the answer the plugin waits
//! for: a transfer or an invitation refused with the platform's reason.

use crate::backend::{Backend, BackendError, InviteRequest, TransferRequest};

/// One call to the platform, carried out off the window's thread.
#[derive(Debug, Clone, PartialEq)]
pub enum PlatformCall {
    /// Hand an interaction over.
    Transfer(TransferRequest),
    /// Invite a colleague, a queue, a skill or a group into an interaction.
    Invite(InviteRequest),
    /// The agent started or stopped typing.
    Typing {
        /// Interaction.
        interaction: String,
        /// The agent as the contact sees them.
        author: String,
        /// Typing or not.
        typing: bool,
    },
    /// The agent ended a conversation (`by`: as the other side sees them).
    End {
        /// Interaction.
        interaction: String,
        /// Who ended it.
        by: String,
    },
    /// The agent continued an ended conversation.
    Resume {
        /// Interaction.
        interaction: String,
        /// The agent.
        agent: String,
    },
}

impl PlatformCall {
    /// The interaction it is about.
    pub fn interaction(&self) -> &str {
        match self {
            PlatformCall::Transfer(request) => &request.interaction,
            PlatformCall::Invite(request) => &request.interaction,
            PlatformCall::Typing { interaction, .. }
            | PlatformCall::End { interaction, .. }
            | PlatformCall::Resume { interaction, .. } => interaction,
        }
    }

    /// Asks the platform.
    pub fn run(&self, backend: &dyn Backend) -> Result<(), BackendError> {
        match self {
            PlatformCall::Transfer(request) => backend.transfer(request.clone()),
            PlatformCall::Invite(request) => backend.invite(request.clone()),
            PlatformCall::Typing {
                interaction,
                author,
                typing,
            } => backend.set_typing(interaction, author, *typing),
            PlatformCall::End { interaction, by } => backend.end_conversation(interaction, by),
            PlatformCall::Resume { interaction, agent } => {
                backend.resume_conversation(interaction, agent)
            }
        }
    }
}
