//! What crosses NATS between desktops and the gateway, as JSON: subjects, requests, replies
//! and events. Records of the seam that hold ABI types (transcript entries, case data) travel
//! as plain copies.
//!
//! Subjects, under a deployment prefix `P`:
//! - `P.gw.<agent>.<verb>`: a desktop's request to the gateway (request-reply). The agent is in
//!   the subject so the NATS server's permissions can let a desktop publish only under its
//!   own agent, and the gateway checks the session too.
//! - `P.agent.<agent>.events`: the gateway's events for one agent's desktop.
//! - `P.pages`: what goes to a customer's chat page; every gateway hears it and the one whose
//!   page server holds the room relays it.
//! - `P.presence`: who is present and Ready, as the routing gateway sees it (every desktop
//!   hears it; desktops never touch JetStream).
//!
//! Every request but the sign-in names the session the gateway gave at sign-in, in the
//! [`SESSION_HEADER`] header: a request of a session that is not the agent's current one is
//! answered `not_signed_in`.

use serde::{Deserialize, Serialize};
use switchboard_sdk::{KeyValue, Timestamp, TranscriptEntry};
use switchboard_seam::{
    backend::{AgentSession, BackendEvent, OfferDetails},
    records::{InteractionRow, InteractionState},
    routing::{ChannelCapacity, WithdrawReason},
};

pub use crate::{
    records_wire::{WireEntry, WireStatus},
    transfers::{WireOutcome, WireTarget},
};

/// The subject of a desktop's request.
pub fn request_subject(prefix: &str, agent: &str, verb: &str) -> String {
    format!("{prefix}.gw.{agent}.{verb}")
}

/// The version of what crosses the bus. A gateway answers desktops of
/// [`OLDEST_DESKTOP_VERSION`] up to its own; a desktop newer than its gateway is refused with
/// both versions named (upgrade the gateways first, then the desktops). Within a version,
/// messages only gain fields that have a default; anything else is a new version. The golden
/// snapshots in `tests/wire_golden.rs` hold every request, reply and event as it is sent.
pub const WIRE_VERSION: u32 = 2;

/// The oldest desktop a gateway of this build answers (version 1 sent its password in the
/// sign-in request: never again).
pub const OLDEST_DESKTOP_VERSION: u32 = 2;

/// The subject the gateway tells one agent's desktop on.
pub fn events_subject(prefix: &str, agent: &str) -> String {
    format!("{prefix}.agent.{agent}.events")
}

/// The subject of what goes to customers' chat pages.
pub fn pages_subject(prefix: &str) -> String {
    format!("{prefix}.pages")
}

/// The subject a gateway announces on when it starts routing: desktops sign in to it again.
pub fn active_subject(prefix: &str) -> String {
    format!("{prefix}.gateway.active")
}

/// The subject presence changes are told on.
pub fn presence_subject(prefix: &str) -> String {
    format!("{prefix}.presence")
}

/// The header a request names its session in.
pub const SESSION_HEADER: &str = "Switchboard-Session";

/// A presence change as desktops hear it: Ready for these media types, or gone (`None`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WirePresence {
    /// Sign-in id.
    pub agent: String,
    /// Media types Ready for; `None` when the agent's desktop is gone.
    pub ready: Option<Vec<String>>,
}

fn first_version() -> u32 {
    1
}

/// Whether an agent id may appear in a subject: letters, digits, `-` and `_` only.
pub fn valid_agent_id(agent: &str) -> bool {
    !agent.is_empty()
        && agent.len() <= 64
        && agent
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// A desktop's request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "verb", rename_all = "snake_case")]
pub enum Request {
    /// Sign in with these channels.
    SignIn {
        /// Role id.
        role: String,
        /// Name shown.
        display_name: String,
        /// Channels and capacities the desktop would like (the gateway grants its role's).
        channels: Vec<WireChannel>,
        /// The desktop's [`WIRE_VERSION`] (absent: version 1).
        #[serde(default = "first_version")]
        wire_version: u32,
    },
    /// The desktop is alive, Ready for these media types (the gateway keeps its presence).
    Heartbeat {
        /// Media types Ready for.
        ready: Vec<String>,
    },
    /// Who is present now.
    Present,
    /// The deployment's directory.
    Directory,
    /// An administrator's action on the deployment's accounts (the role must grant `admin`).
    Administer {
        /// What to do.
        action: WireAccountAction,
    },
    /// Sign out.
    SignOut,
    /// Ready (or not) on media types.
    Ready {
        /// Media types.
        media_types: Vec<String>,
        /// Ready or not.
        ready: bool,
    },
    /// Answer an offer.
    Answer {
        /// The reservation.
        offer_id: String,
        /// Accept or refuse.
        accept: bool,
    },
    /// The agent finished an interaction.
    Close {
        /// Interaction.
        interaction: String,
    },
    /// Send a message the desktop stored (through the records) in one of its interactions.
    Send {
        /// Store id of the message.
        message_id: i64,
        /// Interaction.
        interaction: String,
        /// The parts, one SMS each.
        parts: Vec<String>,
    },
    /// Give an open interaction back to the queue (signing out without finishing it).
    HandBack {
        /// Interaction.
        interaction: String,
    },
    /// Open the agent's side of an instant-message conversation with a colleague.
    StartConversation {
        /// The colleague.
        target: WireTarget,
        /// Media type (`im`).
        media_type: String,
        /// Case data (a consultation's customer case).
        case_data: Vec<(String, String)>,
        /// The customer interaction it consults about (the conversation is filed under that
        /// customer).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        consulting: Option<String>,
    },
    /// Open a conversation with a known contact (an SMS session from the Communication view).
    StartOutbound {
        /// The contact's id in the records.
        contact_id: i64,
        /// Where to write (one of the contact's numbers).
        address: String,
        /// Media type (`sms-session`).
        media_type: String,
    },
    /// Invite the colleague into the agent's conversation, with its first message.
    Invite {
        /// The agent's side of the conversation.
        interaction: String,
        /// The colleague.
        target: WireTarget,
        /// What for (`im`, `consult`...).
        purpose: String,
        /// Seconds the colleague has to answer.
        timeout_seconds: i64,
        /// The first message.
        first_message: String,
        /// Case data shown to the colleague.
        case_data: Vec<(String, String)>,
    },
    /// The agent ended their side of a conversation.
    EndConversation {
        /// The agent's side.
        interaction: String,
    },
    /// Hand an interaction to a colleague or a queue.
    Transfer {
        /// Interaction.
        interaction: String,
        /// Who should take it.
        target: WireTarget,
        /// Seconds a colleague has to answer.
        timeout_seconds: i64,
    },
    /// The agent started or stopped typing in a chat (the customer's page shows it).
    Typing {
        /// Interaction.
        interaction: String,
        /// Typing or not.
        typing: bool,
    },
    /// Push a link the desktop stored (through the records; its text is the address) to the
    /// customer's chat page.
    PushUrl {
        /// Store id of the link's line.
        message_id: i64,
        /// Interaction.
        interaction: String,
    },
}

impl Request {
    /// The verb in the request's subject.
    pub fn verb(&self) -> &'static str {
        match self {
            Request::SignIn { .. } => "sign_in",
            Request::SignOut => "sign_out",
            Request::Heartbeat { .. } => "heartbeat",
            Request::Present => "present",
            Request::Directory => "directory",
            Request::Administer { .. } => "administer",
            Request::Ready { .. } => "ready",
            Request::Answer { .. } => "answer",
            Request::Close { .. } => "close",
            Request::Send { .. } => "send",
            Request::HandBack { .. } => "hand_back",
            Request::Transfer { .. } => "transfer",
            Request::StartConversation { .. } => "start_conversation",
            Request::StartOutbound { .. } => "start_outbound",
            Request::Invite { .. } => "invite",
            Request::EndConversation { .. } => "end_conversation",
            Request::Typing { .. } => "typing",
            Request::PushUrl { .. } => "push_url",
        }
    }
}

/// The gateway's reply: done, or refused with a reason the agent can read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Reply {
    /// Done.
    Done,
    /// Signed in: the session later requests name, and what the role grants.
    SignedIn {
        /// The gateway's [`WIRE_VERSION`].
        wire_version: u32,
        /// The session.
        session: String,
        /// The channels granted.
        channels: Vec<WireChannel>,
        /// The permissions granted.
        permissions: Vec<String>,
    },
    /// Who is present now.
    Present {
        /// Agents present.
        agents: Vec<WirePresence>,
    },
    /// The deployment's directory.
    Directory {
        /// Its entries.
        entries: Vec<switchboard_seam::parties::DirectoryEntry>,
    },
    /// The audit trail asked for, newest first.
    Audit {
        /// Its lines.
        lines: Vec<switchboard_seam::backend::AuditLine>,
    },
    /// A conversation was opened: its interaction.
    Started {
        /// The new interaction.
        interaction: String,
    },
    /// An answer to an offer that was withdrawn, expired or is another agent's.
    OfferRefused {
        /// Why, in words.
        reason: String,
        /// Which refusal.
        kind: OfferRefusal,
    },
    /// The agent is not signed in on this gateway (a gateway that just took over): the
    /// desktop signs in again and asks once more.
    NotSignedIn {
        /// Who.
        agent: String,
    },
    /// Sign-in refused (a wrong password, none set).
    SignInRefused {
        /// Why, in words.
        reason: String,
    },
    /// Refused for another reason.
    Refused {
        /// Why, in words.
        reason: String,
    },
}

/// An administrator's action on the accounts, on the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum WireAccountAction {
    /// Disable an agent.
    Disable {
        /// Sign-in id.
        agent: String,
    },
    /// Enable an agent.
    Enable {
        /// Sign-in id.
        agent: String,
    },
    /// Set or reset an agent's password.
    SetPassword {
        /// Sign-in id.
        agent: String,
        /// The new password (its `Debug` hides it).
        password: WirePassword,
    },
    /// The newest lines of the audit trail.
    AuditTrail {
        /// Only about this agent.
        agent: Option<String>,
        /// How many at most.
        limit: usize,
    },
}

/// A password on the wire, to the gateway only; its `Debug` hides it.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct WirePassword(pub String);

impl std::fmt::Debug for WirePassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WirePassword(…)")
    }
}

/// Which offer refusal (the seam's `AnswerRefused`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OfferRefusal {
    /// Withdrawn or never made.
    Withdrawn,
    /// Its time ran out.
    Expired,
    /// Another agent's.
    NotYours,
}

/// A channel of a signing-in agent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WireChannel {
    /// Channel id.
    pub channel: String,
    /// Media types.
    pub media_types: Vec<String>,
    /// Capacity, if limited.
    pub capacity: Option<u32>,
    /// Offer time-out in seconds.
    pub offer_timeout_seconds: i64,
}

impl From<&ChannelCapacity> for WireChannel {
    fn from(c: &ChannelCapacity) -> Self {
        Self {
            channel: c.channel.clone(),
            media_types: c.media_types.clone(),
            capacity: c.capacity,
            offer_timeout_seconds: c.offer_timeout_seconds,
        }
    }
}

impl From<WireChannel> for ChannelCapacity {
    fn from(c: WireChannel) -> Self {
        Self {
            channel: c.channel,
            media_types: c.media_types,
            capacity: c.capacity,
            offer_timeout_seconds: c.offer_timeout_seconds,
        }
    }
}

impl Request {
    /// The sign-in request of a session.
    pub fn sign_in(session: &AgentSession) -> Self {
        Request::SignIn {
            role: session.role.clone(),
            display_name: session.display_name.clone(),
            channels: session.channels.iter().map(WireChannel::from).collect(),
            wire_version: WIRE_VERSION,
        }
    }
}

/// An interaction row on the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WireInteraction {
    id: String,
    media_type: String,
    contact_name: String,
    contact_address: String,
    our_address: String,
    state: String,
    agent_id: Option<String>,
    created: i64,
    done: bool,
}

impl From<&InteractionRow> for WireInteraction {
    fn from(r: &InteractionRow) -> Self {
        Self {
            id: r.id.clone(),
            media_type: r.media_type.clone(),
            contact_name: r.contact_name.clone(),
            contact_address: r.contact_address.clone(),
            our_address: r.our_address.clone(),
            state: r.state.name().to_owned(),
            agent_id: r.agent_id.clone(),
            created: r.created.0,
            done: r.done,
        }
    }
}

impl From<WireInteraction> for InteractionRow {
    fn from(w: WireInteraction) -> Self {
        Self {
            id: w.id,
            media_type: w.media_type,
            contact_name: w.contact_name,
            contact_address: w.contact_address,
            our_address: w.our_address,
            state: InteractionState::from_name(&w.state).unwrap_or(InteractionState::Queued),
            agent_id: w.agent_id,
            created: Timestamp(w.created),
            done: w.done,
            case_data: Vec::new(),
        }
    }
}

/// An offer on the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WireOffer {
    /// The reservation.
    offer_id: String,
    /// The interaction.
    interaction: WireInteraction,
    /// Its case data.
    case_data: Vec<(String, String)>,
    /// The contact's first message.
    first_message: Option<WireEntry>,
    /// For a consultation, the customer it is about.
    consultation_about: Option<String>,
    /// Offered at.
    offered_at: i64,
    /// Lapses at.
    expires_at: i64,
}

/// An event for a desktop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum WireEvent {
    /// An offer (a reservation until it expires).
    Offer(Box<WireOffer>),
    /// An offer taken back.
    OfferWithdrawn {
        /// The reservation.
        offer_id: String,
        /// The interaction.
        interaction: String,
        /// Expired (else the agent went away or the work went elsewhere).
        expired: bool,
    },
    /// A customer's new message in an interaction the agent holds, as stored.
    Inbound {
        /// The interaction.
        interaction: String,
        /// The stored message.
        entry: WireEntry,
    },
    /// A transfer the agent asked for was answered (or lapsed).
    TransferAnswered {
        /// The interaction.
        interaction: String,
        /// The target as asked.
        target: WireTarget,
        /// What happened.
        outcome: WireOutcome,
    },
    /// An invitation the agent made was answered (or lapsed).
    InvitationAnswered {
        /// The agent's side of the conversation.
        interaction: String,
        /// What it was for.
        purpose: String,
        /// The colleague.
        target: WireTarget,
        /// What happened.
        outcome: WireOutcome,
    },
    /// The colleague ended their side of the conversation.
    OtherSideEnded {
        /// The agent's side.
        interaction: String,
        /// Who, as shown.
        by: String,
    },
    /// The customer started or stopped typing (a chat).
    ContactTyping {
        /// The interaction.
        interaction: String,
        /// Typing or not.
        typing: bool,
    },
    /// The gateway signed the agent out (an administrator disabled them).
    SignedOut {
        /// Why, in words.
        reason: String,
    },
    /// A delivery report for one of the agent's messages.
    Delivery {
        /// Store id of the message.
        message_id: i64,
        /// The interaction.
        interaction: String,
        /// Its new status.
        status: WireStatus,
    },
}

impl From<&OfferDetails> for WireEvent {
    fn from(o: &OfferDetails) -> Self {
        WireEvent::Offer(Box::new(WireOffer {
            offer_id: o.offer_id.clone(),
            interaction: WireInteraction::from(&o.interaction),
            case_data: o
                .case_data
                .iter()
                .map(|kv| (kv.key.to_string(), kv.value.to_string()))
                .collect(),
            first_message: o.first_message.as_ref().map(WireEntry::from),
            consultation_about: o.consultation_about.clone(),
            offered_at: o.offered_at.0,
            expires_at: o.expires_at.0,
        }))
    }
}

impl From<WireEvent> for BackendEvent {
    fn from(event: WireEvent) -> Self {
        match event {
            WireEvent::Offer(offer) => {
                let WireOffer {
                    offer_id,
                    interaction,
                    case_data,
                    first_message,
                    consultation_about,
                    offered_at,
                    expires_at,
                } = *offer;
                BackendEvent::Offer(Box::new(OfferDetails {
                    offer_id,
                    interaction: interaction.into(),
                    case_data: case_data
                        .into_iter()
                        .map(|(key, value)| KeyValue {
                            key: key.into(),
                            value: value.into(),
                        })
                        .collect(),
                    first_message: first_message.map(TranscriptEntry::from),
                    consultation_about,
                    offered_at: Timestamp(offered_at),
                    expires_at: Timestamp(expires_at),
                }))
            }
            WireEvent::OfferWithdrawn {
                offer_id,
                interaction,
                expired,
            } => BackendEvent::OfferWithdrawn {
                offer_id,
                interaction,
                reason: if expired {
                    WithdrawReason::Expired
                } else {
                    WithdrawReason::Gone
                },
            },
            WireEvent::TransferAnswered {
                interaction,
                target,
                outcome,
            } => BackendEvent::TransferAnswered {
                interaction,
                target: target.into(),
                outcome: outcome.into(),
            },
            WireEvent::InvitationAnswered {
                interaction,
                purpose,
                target,
                outcome,
            } => BackendEvent::InvitationAnswered {
                interaction,
                purpose,
                target: target.into(),
                outcome: outcome.into(),
            },
            WireEvent::OtherSideEnded { interaction, by } => {
                BackendEvent::OtherSideEnded { interaction, by }
            }
            WireEvent::Inbound { interaction, entry } => BackendEvent::Inbound {
                interaction,
                entry: entry.into(),
            },
            WireEvent::ContactTyping {
                interaction,
                typing,
            } => BackendEvent::ContactTyping {
                interaction,
                typing,
            },
            WireEvent::SignedOut { reason } => BackendEvent::SignedOut { reason },
            WireEvent::Delivery {
                message_id,
                interaction,
                status,
            } => BackendEvent::Delivery {
                message_id,
                interaction,
                status: status.into(),
            },
        }
    }
}
