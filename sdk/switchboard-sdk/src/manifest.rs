//! What a plugin declares about itself: identity, media types, and the services and
//! permissions it needs. The host grants nothing else.

use abi_stable::{
    StableAbi,
    std_types::{RString, RVec},
};

/// A plugin's declaration of itself, read once at load.
#[repr(C)]
#[derive(StableAbi, serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq)]
pub struct Manifest {
    /// Unique id, lowercase with dashes (`sms-page`). Also the channel id in configuration.
    pub id: RString,
    /// Name shown to agents ("SMS").
    pub name: RString,
    /// The plugin's own version.
    pub version: RString,
    /// The SDK version the plugin was built with ([`crate::SDK_VERSION`]).
    pub sdk_version: RString,
    /// Media types of interactions this plugin handles (`sms`, `sms-session`, `mms`, `chat`).
    pub media_types: RVec<RString>,
    /// Host services the plugin uses (see [`services`]).
    pub services: RVec<RString>,
    /// Agent permissions the plugin's features need (see [`permissions`]).
    pub permissions: RVec<RString>,
    /// Name of the icon the shell shows for this channel (`sms`, `chat`, `im`...).
    pub icon: RString,
}

impl Manifest {
    /// Starts a manifest with an id, a display name and the plugin's version.
    pub fn new(id: &str, name: &str, version: &str) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            version: version.into(),
            sdk_version: crate::SDK_VERSION.into(),
            media_types: RVec::new(),
            services: RVec::new(),
            permissions: RVec::new(),
            icon: RString::new(),
        }
    }

    /// Adds a media type this plugin handles.
    pub fn media_type(mut self, media_type: &str) -> Self {
        self.media_types.push(media_type.into());
        self
    }

    /// Adds a host service this plugin needs.
    pub fn service(mut self, service: &str) -> Self {
        self.services.push(service.into());
        self
    }

    /// Adds a permission this plugin's features need.
    pub fn permission(mut self, permission: &str) -> Self {
        self.permissions.push(permission.into());
        self
    }

    /// Sets the channel icon name: one of [`icons`] the shell draws as its tag, or any other
    /// name, for which the shell shows the channel's own name.
    pub fn icon(mut self, icon: &str) -> Self {
        self.icon = icon.into();
        self
    }

    /// Whether the manifest asks for `service`.
    pub fn uses_service(&self, service: &str) -> bool {
        self.services.iter().any(|s| s == service)
    }
}

/// Names of host services a manifest can ask for. The clock and logging are always granted.
pub mod services {
    /// Store system lines and read transcripts ([`crate::Host::store_system_line`], [`crate::Host::transcript`]).
    pub const MESSAGES_STORE: &str = "messages.store";
    /// Send outbound messages to contacts ([`crate::Host::send_message`]).
    pub const MESSAGES_SEND: &str = "messages.send";
    /// Show notifications to the agent ([`crate::Host::notify`]).
    pub const NOTIFICATIONS: &str = "notifications";
    /// Set and cancel timers on the host clock ([`crate::Host::set_timer`]).
    pub const TIMERS: &str = "timers";
    /// Read contact records ([`crate::Host::contact`]). SDK 1.2.
    pub const CONTACTS: &str = "contacts";
    /// Read case data ([`crate::Host::case_data`]). SDK 1.2.
    pub const CASE_DATA: &str = "case-data";
    /// Read and write notes ([`crate::Host::note`]). SDK 1.2.
    pub const NOTES: &str = "notes";
    /// Read and record disposition codes ([`crate::Host::disposition`]). SDK 1.2.
    pub const DISPOSITIONS: &str = "dispositions";
    /// Read and search contact history ([`crate::Host::history`]). SDK 1.2.
    pub const HISTORY: &str = "history";
    /// Transfer interactions to other agents and queues ([`crate::Host::transfer`]). SDK 1.3.
    pub const TRANSFER: &str = "transfer";
    /// Save attachments to files ([`crate::Host::save_attachment`]). SDK 1.3.
    pub const ATTACHMENTS: &str = "attachments";
    /// Search the directory ([`crate::Host::directory_search`]). SDK 1.3.
    pub const TEAM_COMMUNICATOR: &str = "team-communicator";
    /// Check spelling ([`crate::Host::check_spelling`]). SDK 1.3.
    pub const SPELL_CHECK: &str = "spell-check";
    /// Read standard responses ([`crate::Host::standard_responses`]). SDK 1.3.
    pub const RESPONSES: &str = "responses";
    /// Schedule callbacks ([`crate::Host::schedule_callback`]). SDK 1.3.
    pub const CALLBACKS: &str = "callbacks";
    /// Invite other agents into an interaction ([`crate::Host::invite`]). SDK 1.5.
    pub const INVITATIONS: &str = "invitations";
    /// Tell the contact the agent is typing ([`crate::Host::set_typing`]). SDK 1.5.
    pub const TYPING: &str = "typing";
    /// The shell shows how long the contact has waited for a reply, green, then yellow and red
    /// after the role's delays, and asks for the agent's attention while a reply is pending.
    /// A feature the shell draws, not a method. SDK 1.5.
    pub const PENDING_RESPONSE: &str = "pending-response";
}

/// Channel icon names the shell knows ([`Manifest::icon`]); another name shows the channel's
/// own name as its tag.
pub mod icons {
    /// SMS.
    pub const SMS: &str = "sms";
    /// MMS.
    pub const MMS: &str = "mms";
    /// Web chat and messaging apps.
    pub const CHAT: &str = "chat";
    /// Instant messages between agents.
    pub const IM: &str = "im";
}

/// Kinds of [`crate::Target`] the Team Communicator gives a plugin (`Target::kind`).
pub mod target_kinds {
    /// An agent.
    pub const AGENT: &str = "agent";
    /// A queue: the platform picks a Ready agent.
    pub const QUEUE: &str = "queue";
    /// A skill: the platform picks a Ready agent who has it.
    pub const SKILL: &str = "skill";
    /// A group of agents.
    pub const GROUP: &str = "group";
    /// A routing point.
    pub const ROUTING_POINT: &str = "routing-point";
    /// A contact from the directory (never a transfer or invitation target).
    pub const CONTACT: &str = "contact";
}

/// What an invitation ([`crate::Host::invite`]) or a Team Communicator choice
/// ([`crate::Command::ChooseTarget`]) is for. SDK 1.5 names them; the strings are the contract.
pub mod purposes {
    /// Hand the interaction over.
    pub const TRANSFER: &str = "transfer";
    /// Bring another agent into the conversation with the contact.
    pub const CONFERENCE: &str = "conference";
    /// Ask a colleague for help: the shell opens an instant-message consultation inside the
    /// interaction.
    pub const CONSULT: &str = "consult";
    /// The first message of an internal instant message: the target is asked to accept it.
    pub const INSTANT_MESSAGE: &str = "instant-message";
    /// Turn a consultation into a voice call between the agents.
    pub const VOICE_CONSULTATION: &str = "voice-consultation";
}

/// Names of administrator settings a plugin can read with [`crate::Host::setting`]. SDK 1.3.
pub mod settings {
    /// Seconds without a message after which an SMS session ends.
    pub const SESSION_INACTIVITY_SECONDS: &str = "session-inactivity-seconds";
    /// Seconds after which a reply pending in a chat turns yellow.
    pub const PENDING_YELLOW_SECONDS: &str = "pending-yellow-seconds";
    /// Seconds after which a reply pending in a chat turns red.
    pub const PENDING_RED_SECONDS: &str = "pending-red-seconds";
    /// Seconds an invitation (transfer, conference, IM) waits for an answer.
    pub const INVITATION_TIMEOUT_SECONDS: &str = "invitation-timeout-seconds";
    /// The name contacts see for the agent.
    pub const AGENT_NICKNAME: &str = "agent-nickname";
}

/// Names of agent permissions, granted per role by the administrator.
pub mod permissions {
    /// Send SMS to a contact who did not write first.
    pub const OUTBOUND_SMS: &str = "outbound-sms";
    /// Save MMS images to disk.
    pub const SAVE_IMAGES: &str = "save-images";
    /// Push URLs to a chat contact.
    pub const PUSH_URL: &str = "push-url";
    /// Assign an unknown sender to an existing contact.
    pub const ASSIGN_CONTACT: &str = "assign-contact";
    /// Use internal instant messaging.
    pub const INTERNAL_IM: &str = "internal-im";
    /// Edit case data keys marked editable.
    pub const EDIT_CASE_DATA: &str = "edit-case-data";
}
