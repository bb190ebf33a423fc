//! The one seam to the contact-center platform: routing, presence, customers' messages,
//! colleagues and delivery reports all cross [`Backend`]. The default platform is embedded and
//! in-process (`switchboard-platform-embedded`); a networked one implements the same trait.

use std::sync::Arc;

use switchboard_sdk::{
    DeliveryStatus, InvitationOutcome, KeyValue, Target, Timestamp, TranscriptEntry,
};

use crate::{
    records::InteractionRow,
    routing::{AnswerRefused, ChannelCapacity, WithdrawReason},
};

/// The media type of internal conversations (instant messages between agents) on the
/// platform: the channel that declares it carries them.
pub const INTERNAL_MEDIA_TYPE: &str = "im";

/// The media type of web chats on the platform.
pub const CHAT_MEDIA_TYPE: &str = "chat";

/// The media type of the SMS conversations agents start with a contact (session mode: the
/// contact's answers join them).
pub const OUTBOUND_SMS_MEDIA_TYPE: &str = "sms-session";

/// Called by a backend when it has events, so the UI wakes up and pumps them.
pub type Waker = Arc<dyn Fn() + Send + Sync>;

/// A platform failure.
#[derive(Debug, Clone, thiserror::Error, PartialEq)]
pub enum BackendError {
    /// The link to the platform is down.
    #[error("the contact-center platform is unreachable")]
    Unreachable,
    /// The platform refused the request.
    #[error("the platform refused: {0}")]
    Refused(String),
    /// An answer to an offer came too late, or for an offer that is not the agent's.
    #[error("{0}")]
    Offer(#[from] AnswerRefused),
    /// The platform refused to sign the agent in (a wrong password, no password set): the
    /// desktop stays on the sign-in screen.
    #[error("{0}")]
    SignInRefused(String),
}

/// A signed-in agent as the platform routes to them: who, in which role, and each channel's
/// media types, capacity and offer time-out.
#[derive(Debug, Clone, PartialEq)]
pub struct AgentSession {
    /// Sign-in id.
    pub agent: String,
    /// Name shown to colleagues and customers.
    pub display_name: String,
    /// Role id.
    pub role: String,
    /// The channels the role starts, with their capacity.
    pub channels: Vec<ChannelCapacity>,
    /// The agent's password, for a platform that asks for one.
    pub password: Option<crate::secret::Secret>,
}

/// An offer as the desk shows it: the reservation and everything its notification needs, so
/// the desk reads nothing back.
#[derive(Debug, Clone, PartialEq)]
pub struct OfferDetails {
    /// The reservation's id: the answer names it.
    pub offer_id: String,
    /// The interaction as stored.
    pub interaction: InteractionRow,
    /// Its case data.
    pub case_data: Vec<KeyValue>,
    /// The contact's first message.
    pub first_message: Option<TranscriptEntry>,
    /// For a colleague's consultation: the customer it is about.
    pub consultation_about: Option<String>,
    /// When it was offered.
    pub offered_at: Timestamp,
    /// When the reservation lapses.
    pub expires_at: Timestamp,
}

/// An outbound message handed to the platform, already stored: an SMS (in parts), a chat or
/// IM message, a pushed link.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboundMessage {
    /// Store id of the message.
    pub message_id: i64,
    /// Interaction.
    pub interaction: String,
    /// Contact's address (number, chat room, colleague).
    pub to: String,
    /// Our address.
    pub from: String,
    /// Who wrote it, as the contact sees them (the agent's nickname).
    pub author: String,
    /// The whole text.
    pub text: String,
    /// The parts, one SMS each.
    pub parts: Vec<String>,
}

/// A request to hand an interaction to another agent, a queue, a skill, a group or a routing
/// point.
#[derive(Debug, Clone, PartialEq)]
pub struct TransferRequest {
    /// Interaction.
    pub interaction: String,
    /// The agent handing it over.
    pub from_agent: String,
    /// Who should take it.
    pub target: Target,
    /// Seconds the target has to answer.
    pub timeout_seconds: i64,
}

/// A request to invite a target into an interaction: the first message of an instant message,
/// a voice consultation, later a conference.
#[derive(Debug, Clone, PartialEq)]
pub struct InviteRequest {
    /// Interaction.
    pub interaction: String,
    /// The inviting agent.
    pub from_agent: String,
    /// Who is invited: an agent, or a queue, skill, group or routing point for which the
    /// platform picks an available agent.
    pub target: Target,
    /// What for (see `switchboard_sdk::purposes`).
    pub purpose: String,
    /// Seconds the target has to answer.
    pub timeout_seconds: i64,
    /// What the target's notification shows: the first message.
    pub first_message: String,
    /// The case data the target's notification carries (consultations).
    pub case_data: Vec<KeyValue>,
}

/// An internal conversation the agent starts (an instant message, a consultation).
#[derive(Debug, Clone, PartialEq)]
pub struct NewConversation {
    /// The agent starting it.
    pub agent: String,
    /// Who it is with.
    pub target: Target,
    /// The media type of the channel that carries it.
    pub media_type: String,
    /// The customer interaction it consults about.
    pub consulting: Option<String>,
    /// Case data it carries (copied from the consulted interaction).
    pub case_data: Vec<(String, String)>,
}

/// A conversation the agent starts with a known contact (an outbound SMS session, or
/// continuing a customer's web chat).
#[derive(Debug, Clone, PartialEq)]
pub struct NewOutbound {
    /// The agent starting it.
    pub agent: String,
    /// The contact's store id.
    pub contact_id: i64,
    /// The contact's name.
    pub contact_name: String,
    /// Where to write: a phone number, or the contact's chat address.
    pub address: String,
    /// The media type of the channel that carries it.
    pub media_type: String,
}

/// What the platform knows about a phone number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberFacts {
    /// Whether SMS can reach it.
    pub can_receive_sms: bool,
    /// Why not, or what else is known.
    pub note: String,
}

/// What an administrator does to the platform's accounts.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum AccountAction {
    /// Signs the agent out within seconds and refuses them until enabled.
    Disable {
        /// Sign-in id.
        agent: String,
    },
    /// Lets a disabled agent sign in again.
    Enable {
        /// Sign-in id.
        agent: String,
    },
    /// Sets or resets the agent's password.
    SetPassword {
        /// Sign-in id.
        agent: String,
        /// The new password.
        password: crate::secret::Secret,
    },
    /// The newest lines of the audit trail, about one agent or everyone.
    AuditTrail {
        /// Only about this agent.
        agent: Option<String>,
        /// How many lines at most.
        limit: usize,
    },
}

/// What came of an [`AccountAction`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum AccountAnswer {
    /// Done.
    Done,
    /// The audit trail asked for, newest first.
    Audit(Vec<AuditLine>),
}

/// One line of the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AuditLine {
    /// When.
    pub at: Timestamp,
    /// What kind of event (`sign_in`, `sign_in_refused`, `refused`, `administration`...).
    pub kind: String,
    /// Whom it concerns.
    pub agent: Option<String>,
    /// The client's address, when known.
    pub client: Option<String>,
    /// What happened, in words.
    pub detail: String,
}

/// Something the platform tells the desk. Every event carries what the desk shows, already
/// committed by the platform: the desk reads nothing back.
#[derive(Debug, Clone, PartialEq)]
pub enum BackendEvent {
    /// An interaction is offered to the agent (a reservation until it expires).
    Offer(Box<OfferDetails>),
    /// The platform took an offer back before it was answered.
    OfferWithdrawn {
        /// The reservation.
        offer_id: String,
        /// The interaction.
        interaction: String,
        /// Why.
        reason: WithdrawReason,
    },
    /// A new message in an interaction the agent already handles, as stored.
    Inbound {
        /// Interaction id.
        interaction: String,
        /// The stored message.
        entry: TranscriptEntry,
    },
    /// A delivery report for an outbound message.
    Delivery {
        /// Store id of the message.
        message_id: i64,
        /// Interaction.
        interaction: String,
        /// New status.
        status: DeliveryStatus,
    },
    /// A transfer was answered or timed out.
    TransferAnswered {
        /// Interaction.
        interaction: String,
        /// The target as asked.
        target: Target,
        /// What happened.
        outcome: InvitationOutcome,
    },
    /// An invitation made with [`Backend::invite`] was answered or timed out.
    InvitationAnswered {
        /// Interaction.
        interaction: String,
        /// What it was for.
        purpose: String,
        /// The agent who answered (picked by the platform for a queue, skill...).
        target: Target,
        /// What happened.
        outcome: InvitationOutcome,
    },
    /// The contact started or stopped typing (web chat).
    ContactTyping {
        /// Interaction.
        interaction: String,
        /// Whether they are typing.
        typing: bool,
    },
    /// The other side ended a conversation (a colleague ended the IM, the customer left).
    OtherSideEnded {
        /// Interaction.
        interaction: String,
        /// Who, as shown to agents.
        by: String,
    },
    /// The link went down or came back.
    Link {
        /// Whether it is up.
        up: bool,
    },
    /// The platform signed the agent out (an administrator disabled them): the desk signs
    /// out and says why.
    SignedOut {
        /// Why, in words.
        reason: String,
    },
    /// The deployment's directory arrived (or changed): the Team Communicator lists it.
    Directory {
        /// Agents, queues, skills, groups and routing points.
        entries: Vec<crate::parties::DirectoryEntry>,
    },
}

impl BackendEvent {
    /// The interaction the event is about, if it is about one.
    pub fn interaction(&self) -> Option<&str> {
        match self {
            BackendEvent::Offer(details) => Some(&details.interaction.id),
            BackendEvent::OfferWithdrawn { interaction, .. }
            | BackendEvent::Inbound { interaction, .. }
            | BackendEvent::Delivery { interaction, .. }
            | BackendEvent::TransferAnswered { interaction, .. }
            | BackendEvent::InvitationAnswered { interaction, .. }
            | BackendEvent::ContactTyping { interaction, .. }
            | BackendEvent::OtherSideEnded { interaction, .. } => Some(interaction),
            BackendEvent::Link { .. }
            | BackendEvent::Directory { .. }
            | BackendEvent::SignedOut { .. } => None,
        }
    }
}

/// The contact-center platform as the shell sees it.
pub trait Backend: Send + Sync {
    /// Whether the link to the platform is up.
    fn link_up(&self) -> bool;

    /// Whether signing in takes a password (the cluster does; the embedded demo does not).
    fn asks_for_password(&self) -> bool {
        false
    }

    /// An agent signs in: routing learns their channels, capacities and offer time-outs.
    fn sign_in(&self, session: &AgentSession) -> Result<(), BackendError>;

    /// An agent signs out: they are Ready for nothing, and their pending offers are withdrawn.
    fn sign_out(&self, agent: &str) -> Result<(), BackendError>;

    /// The desktop of a signed-in agent is alive (a platform may expire a silent one).
    fn heartbeat(&self, agent: &str) -> Result<(), BackendError> {
        let _ = agent;
        Ok(())
    }

    /// Makes the agent Ready (or not) for some media types. Routing only offers work on media
    /// types the agent is Ready for, within the free capacity of the channel; going Not Ready
    /// withdraws the offers on those media types.
    fn set_ready(
        &self,
        agent: &str,
        media_types: &[String],
        ready: bool,
    ) -> Result<(), BackendError>;

    /// Answers an offer by its reservation id. An answer to a withdrawn, expired or another
    /// agent's offer is refused with [`BackendError::Offer`].
    fn answer_offer(&self, agent: &str, offer_id: &str, accept: bool) -> Result<(), BackendError>;

    /// Sends an outbound message (already stored): SMS parts to the gateway, or to the chat
    /// page or colleague the interaction is with.
    fn send(&self, message: OutboundMessage) -> Result<(), BackendError>;

    /// Asks a target to take an interaction; [`BackendEvent::TransferAnswered`] follows.
    fn transfer(&self, request: TransferRequest) -> Result<(), BackendError>;

    /// Starts an internal conversation and returns its interaction id (stored, accepted by
    /// `agent`, nothing sent yet).
    fn start_conversation(&self, conversation: NewConversation) -> Result<String, BackendError> {
        let _ = conversation;
        Err(BackendError::Refused(
            "this platform does not carry internal conversations".into(),
        ))
    }

    /// Starts a conversation with a known contact and returns its interaction id (stored,
    /// accepted by the agent, nothing sent yet).
    fn start_outbound(&self, outbound: NewOutbound) -> Result<String, BackendError> {
        Err(BackendError::Refused(format!(
            "this platform cannot start {} conversations",
            outbound.media_type
        )))
    }

    /// Invites a target into an interaction; [`BackendEvent::InvitationAnswered`] follows.
    fn invite(&self, request: InviteRequest) -> Result<(), BackendError> {
        Err(BackendError::Refused(format!(
            "this platform takes no {} invitations",
            request.purpose
        )))
    }

    /// Tells the contact whether the agent (shown as `author`) is typing.
    fn set_typing(
        &self,
        interaction: &str,
        author: &str,
        typing: bool,
    ) -> Result<(), BackendError> {
        let _ = (interaction, author, typing);
        Ok(())
    }

    /// Pushes a link (already stored; its text is the address) to the contact; a delivery
    /// report follows.
    fn push_url(&self, link: OutboundMessage) -> Result<(), BackendError> {
        Err(BackendError::Refused(format!(
            "links cannot be pushed in {} on this platform",
            link.interaction
        )))
    }

    /// The agent (shown as `by`) ended the conversation: the platform records it ended (the
    /// contact's next message opens a new one) and the other side is told.
    fn end_conversation(&self, interaction: &str, by: &str) -> Result<(), BackendError> {
        let _ = (interaction, by);
        Ok(())
    }

    /// The agent continued an ended conversation: the platform records it live again.
    fn resume_conversation(&self, interaction: &str, agent: &str) -> Result<(), BackendError> {
        let _ = (interaction, agent);
        Ok(())
    }

    /// What the platform knows about a phone number (number lookup).
    fn number_facts(&self, number: &str) -> NumberFacts;

    /// Administers the platform's accounts, for an agent whose role grants `admin` (the
    /// platform checks it). A platform without accounts refuses.
    fn administer(&self, action: AccountAction) -> Result<AccountAnswer, BackendError> {
        let _ = action;
        Err(BackendError::Refused(
            "this platform keeps no accounts: its agents sign in without a password".into(),
        ))
    }

    /// The deployment's directory, when the platform keeps one (the cluster does, in its
    /// database); `None` leaves the desk with the shipped demo directory.
    fn directory(&self) -> Option<Vec<crate::parties::DirectoryEntry>> {
        None
    }

    /// An agent's presence now, when the platform knows it (it changes over the day).
    fn presence(&self, agent: &str) -> Option<crate::parties::Presence> {
        let _ = agent;
        None
    }

    /// When the platform will next have something to say by the clock (an answer falling
    /// due), so the UI can wake up for it.
    fn next_due(&self) -> Option<Timestamp> {
        None
    }

    /// The agent finished the interaction: the platform records it closed and done (it is the
    /// one writer of interaction state) and frees the agent's place on its channel.
    fn close(&self, interaction: &str) -> Result<(), BackendError>;

    /// The agent gives an open interaction back (signing out without finishing it): the
    /// platform records it queued again, frees the agent's place, and offers it again, ahead
    /// of newer work, to whoever is Ready for it.
    fn hand_back(&self, agent: &str, interaction: &str) -> Result<(), BackendError> {
        let _ = agent;
        Err(BackendError::Refused(format!(
            "this platform cannot give {interaction} back to the queue yet"
        )))
    }

    /// Takes the events that arrived since the last call.
    fn poll(&self) -> Vec<BackendEvent>;

    /// Sets the function called when events arrive.
    fn set_waker(&self, waker: Waker);
}
