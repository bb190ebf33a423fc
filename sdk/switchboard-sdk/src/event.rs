//! Events the host sends to a plugin.

use abi_stable::{
    StableAbi,
    std_types::{RString, RVec},
};

use crate::{
    message::{DeliveryStatus_NE, TranscriptEntry},
    time::Timestamp,
};

/// Someone or something an interaction can be handed to: an agent, a queue, a skill, a group
/// or a routing point, as the Team Communicator found it. SDK 1.3.
#[repr(C)]
#[derive(StableAbi, serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq)]
pub struct Target {
    /// Kind: `agent`, `queue`, `skill`, `group`, `routing-point` (or `contact`).
    pub kind: RString,
    /// Id on the platform (agent login, queue id...).
    pub id: RString,
    /// Name shown to agents.
    pub name: RString,
}

/// How a transfer (or any invitation to another agent) ended. SDK 1.3.
#[repr(u8)]
#[derive(StableAbi, serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq)]
#[sabi(kind(WithNonExhaustive(size = [usize; 5], traits(Debug, Clone, PartialEq))))]
#[non_exhaustive]
pub enum InvitationOutcome {
    /// The target accepted; the interaction now belongs to them.
    Accepted,
    /// The target refused, with the reason to show.
    Rejected {
        /// Why (shown as is).
        reason: RString,
    },
    /// Nobody answered before the administrator's invitation time-out.
    TimedOut,
}

/// One key/value pair of case data.
#[repr(C)]
#[derive(StableAbi, serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq)]
pub struct KeyValue {
    /// The key (`language`, `order_id`...).
    pub key: RString,
    /// The value.
    pub value: RString,
}

/// What the host knows about an interaction when it hands it to a plugin.
#[repr(C)]
#[derive(StableAbi, serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq)]
pub struct InteractionInfo {
    /// Interaction id, unique on the platform.
    pub id: RString,
    /// Media type (`sms`, `chat`...), one of the plugin's manifest media types.
    pub media_type: RString,
    /// Contact's display name, or the address when the contact is unknown.
    pub contact_name: RString,
    /// Contact's address on this channel (phone number, chat id, agent login).
    pub contact_address: RString,
    /// Our address the contact wrote to (the service number).
    pub our_address: RString,
    /// Case data attached by the platform.
    pub case_data: RVec<KeyValue>,
    /// When the interaction was created.
    pub created: Timestamp,
    /// The agent's display name (or nickname) as contacts see it.
    pub agent_name: RString,
}

/// Something the plugin should react to.
#[repr(u8)]
#[derive(StableAbi, serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq)]
#[sabi(kind(WithNonExhaustive(size = [usize; 48], traits(Debug, Clone, PartialEq))))]
#[non_exhaustive]
pub enum Event {
    /// The agent accepted the interaction (or it was auto-answered); its transcript so far is
    /// included. The plugin should start tracking it.
    Accepted {
        /// The interaction.
        interaction: InteractionInfo,
        /// Entries already stored for it, oldest first.
        transcript: RVec<TranscriptEntry>,
    },
    /// A message from the contact, already stored by the host.
    InboundMessage {
        /// The stored entry.
        entry: TranscriptEntry,
    },
    /// The platform reported on an outbound message.
    DeliveryReport {
        /// Interaction of the message.
        interaction: RString,
        /// Store id of the message.
        message_id: i64,
        /// New status.
        #[serde(with = "crate::serde_ne")]
        status: DeliveryStatus_NE,
    },
    /// A timer set with [`crate::Host::set_timer`] is due.
    TimerFired {
        /// Interaction the timer was set for.
        interaction: RString,
        /// The timer's name.
        timer: RString,
    },
    /// The agent used one of the plugin's toolbar actions.
    Action {
        /// Interaction.
        interaction: RString,
        /// The action id from the view model.
        action: RString,
    },
    /// The composer's text changed (the plugin may update its counter).
    ComposerChanged {
        /// Interaction.
        interaction: RString,
        /// The whole current text.
        text: RString,
    },
    /// The agent pressed Send with this text.
    Send {
        /// Interaction.
        interaction: RString,
        /// The text to send.
        text: RString,
    },
    /// The link to the contact-center platform went down (`up == false`) or came back.
    PlatformLink {
        /// Whether the link is up.
        up: bool,
    },
    /// The shell closed the interaction (done); the plugin may drop its state.
    Closed {
        /// Interaction.
        interaction: RString,
    },
    /// The agent picked a target in the Team Communicator the plugin opened with
    /// [`crate::Command::ChooseTarget`]. SDK 1.3.
    TargetChosen {
        /// Interaction.
        interaction: RString,
        /// The purpose given in the command (`transfer`, `conference`, `consult`).
        purpose: RString,
        /// The chosen target.
        target: Target,
    },
    /// A transfer requested with [`crate::Host::transfer`] was answered (or timed out).
    /// SDK 1.3.
    TransferOutcome {
        /// Interaction.
        interaction: RString,
        /// The target as asked.
        target: Target,
        /// What happened.
        #[serde(with = "crate::serde_ne")]
        outcome: InvitationOutcome_NE,
    },
    // New variants go last: a variant's position is part of the ABI.
    /// The agent started a conversation from the shell (the Team Communicator's Send instant
    /// message, or a consultation): nothing is sent yet. The target is
    /// `interaction.contact_name`, and `interaction.contact_address` is written
    /// `kind:id` (`agent:grace`, `skill:s-french`). SDK 1.5.
    Started {
        /// The new interaction.
        interaction: InteractionInfo,
        /// The interaction this one consults about, empty when it stands alone.
        consulting: RString,
    },
    /// An invitation made with [`crate::Host::invite`] was answered (or timed out). SDK 1.5.
    InvitationOutcome {
        /// Interaction.
        interaction: RString,
        /// The purpose given to `invite`.
        purpose: RString,
        /// Who answered: the agent the platform picked when the target was a queue, skill,
        /// group or routing point.
        target: Target,
        /// What happened.
        #[serde(with = "crate::serde_ne")]
        outcome: InvitationOutcome_NE,
    },
    /// The other side ended the conversation (the colleague ended the IM, the contact left).
    /// SDK 1.5.
    OtherSideEnded {
        /// Interaction.
        interaction: RString,
        /// Who ended it, as shown to agents.
        by: RString,
    },
    /// The contact started or stopped typing (never what they type). SDK 1.5.
    ContactTyping {
        /// Interaction.
        interaction: RString,
        /// Whether they are typing now.
        typing: bool,
    },
    /// The agent asked to push a link to the contact from the shell's URL editor (the
    /// [`crate::view::panels::PUSH_URL`] panel). The shell checked it is an http(s) address.
    /// SDK 1.5.
    PushUrl {
        /// Interaction.
        interaction: RString,
        /// The address.
        url: RString,
    },
    /// Records the view may show changed (the agent chose a disposition, the interaction was
    /// assigned to another contact...): read them again through the host now, so `view()`
    /// never has to. `records` is one of [`records`]. SDK 1.6.
    RecordsChanged {
        /// Interaction.
        interaction: RString,
        /// Which records (see [`records`]).
        records: RString,
    },
    /// The agent switched the shell's language: text in view models follows from now on.
    /// `language` is a tag (`en`, `fr`), as [`crate::Host::language`] gives. SDK 1.7.
    LanguageChanged {
        /// The new language.
        language: RString,
    },
}

/// What a [`Event::RecordsChanged`] names. SDK 1.6.
pub mod records {
    /// The disposition code.
    pub const DISPOSITION: &str = "disposition";
    /// The agent's note.
    pub const NOTE: &str = "note";
    /// The case data.
    pub const CASE_DATA: &str = "case-data";
    /// The contact record (edited, or the interaction assigned to another contact), and so its
    /// history.
    pub const CONTACT: &str = "contact";
}

impl Event {
    /// The interaction this event concerns, when it concerns one.
    pub fn interaction(&self) -> Option<&str> {
        match self {
            Event::Accepted { interaction, .. } => Some(&interaction.id),
            Event::InboundMessage { entry } => Some(&entry.interaction),
            Event::DeliveryReport { interaction, .. }
            | Event::TimerFired { interaction, .. }
            | Event::Action { interaction, .. }
            | Event::ComposerChanged { interaction, .. }
            | Event::Send { interaction, .. }
            | Event::Closed { interaction }
            | Event::TargetChosen { interaction, .. }
            | Event::TransferOutcome { interaction, .. }
            | Event::InvitationOutcome { interaction, .. }
            | Event::OtherSideEnded { interaction, .. }
            | Event::ContactTyping { interaction, .. }
            | Event::PushUrl { interaction, .. }
            | Event::RecordsChanged { interaction, .. } => Some(interaction),
            Event::Started { interaction, .. } => Some(&interaction.id),
            Event::PlatformLink { .. } | Event::LanguageChanged { .. } => None,
        }
    }
}
