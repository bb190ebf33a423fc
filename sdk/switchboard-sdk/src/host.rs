//! The host object: the services the shell offers a plugin, granted per its manifest.

use std::fmt;

use abi_stable::{
    StableAbi, sabi_trait,
    std_types::{RBox, ROption, RResult, RStr, RString, RVec},
};

use crate::{
    event::{KeyValue, Target},
    message::TranscriptEntry,
    time::Timestamp,
    view::Tone_NE,
};

/// The language of a host that cannot say which one the agent reads (hosts before SDK 1.7):
/// English, the language every channel ships first.
pub const FALLBACK_LANGUAGE: &str = "en";

/// Severity of a log line.
#[repr(u8)]
#[derive(StableAbi, serde::Serialize, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogLevel {
    /// Something failed.
    Error,
    /// Something looks wrong.
    Warn,
    /// Normal operation. Never put message text or phone numbers at this level.
    Info,
    /// Detail for developers.
    Debug,
}

/// Why a host call failed.
#[repr(u8)]
#[derive(StableAbi, serde::Serialize, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[sabi(kind(WithNonExhaustive(size = [usize; 1], traits(Debug, Clone, PartialEq))))]
#[non_exhaustive]
pub enum HostErrorKind {
    /// The manifest or the agent's role does not grant this service or permission.
    Denied,
    /// The interaction or item does not exist (or is closed).
    NotFound,
    /// The store could not save or read.
    Storage,
    /// The platform refused or is unreachable.
    Platform,
    /// The request itself is invalid (empty text, bad time...).
    Invalid,
}

/// A failed host call: a kind to match on and a message for people.
#[repr(C)]
#[derive(StableAbi, serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq)]
pub struct HostError {
    /// What kind of failure.
    #[serde(with = "crate::serde_ne")]
    pub kind: HostErrorKind_NE,
    /// Human-readable reason.
    pub message: RString,
}

impl HostError {
    /// Creates an error of `kind` with a message.
    pub fn new(kind: HostErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind: kind.into(),
            message: RString::from(message.into()),
        }
    }

    /// The kind, or `None` if a newer host sent a kind this SDK does not know.
    pub fn kind(&self) -> Option<HostErrorKind> {
        self.kind.as_enum().ok().copied()
    }
}

impl fmt::Display for HostError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for HostError {}

/// An outbound message to the interaction's contact.
#[repr(C)]
#[derive(StableAbi, serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq)]
pub struct Outbound {
    /// Interaction.
    pub interaction: RString,
    /// The whole text as the agent wrote it (stored and shown).
    pub text: RString,
    /// The parts to hand to the gateway, in order (one SMS each). Empty means one part.
    pub parts: RVec<RString>,
}

/// A toast shown to the agent.
#[repr(C)]
#[derive(StableAbi, serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq)]
pub struct Notification {
    /// First line.
    pub title: RString,
    /// Detail.
    pub body: RString,
    /// Emphasis.
    #[serde(with = "crate::serde_ne")]
    pub tone: Tone_NE,
    /// The interaction it is about, if any (clicking it focuses that interaction).
    pub interaction: ROption<RString>,
}

/// Services the host offers a plugin. Every call is checked against the plugin's manifest and
/// the agent's role; a call that is not granted returns [`HostErrorKind::Denied`].
#[sabi_trait]
pub trait Host: Send + Sync {
    /// Now, by the host clock. Always granted.
    fn now(&self) -> Timestamp;

    /// Writes to the shell's log, tagged with the plugin id. Always granted.
    fn log(&self, level: LogLevel, message: RStr<'_>);

    /// Stores a system line in an interaction's transcript (service `messages.store`). The
    /// returned entry is shown at once, under the id it is stored with; the host commits it
    /// off the window's thread.
    fn store_system_line(
        &self,
        interaction: RStr<'_>,
        text: RStr<'_>,
    ) -> RResult<TranscriptEntry, HostError>;

    /// Stores an outbound message, then hands it to the platform (service `messages.send`).
    /// The returned entry is shown at once, as sending, under the id it is stored with; the
    /// host commits it and hands it over off the window's thread. Delivery reports follow as
    /// events, a failed commit or hand-over among them (`Failed`, with the reason).
    fn send_message(&self, outbound: Outbound) -> RResult<TranscriptEntry, HostError>;

    /// Shows a notification to the agent (service `notifications`).
    fn notify(&self, notification: Notification) -> RResult<(), HostError>;

    /// Sets (or moves) a named timer; [`crate::Event::TimerFired`] follows when the host clock
    /// reaches `at` (service `timers`).
    fn set_timer(
        &self,
        interaction: RStr<'_>,
        timer: RStr<'_>,
        at: Timestamp,
    ) -> RResult<(), HostError>;

    /// Cancels a named timer; unknown timers are ignored (service `timers`).
    fn cancel_timer(&self, interaction: RStr<'_>, timer: RStr<'_>) -> RResult<(), HostError>;

    /// The stored transcript of an interaction, oldest first (service `messages.store`).
    #[sabi(last_prefix_field)]
    fn transcript(&self, interaction: RStr<'_>) -> RResult<RVec<TranscriptEntry>, HostError>;

    /// Whether the signed-in agent may use a permission (see [`crate::permissions`]): granted
    /// only when the plugin's manifest declares it and the agent's role holds it. Call it before
    /// a permission-gated action; a refusal is logged by the host. Added in SDK 1.1; a 1.0 host
    /// answers with this default, a refusal.
    fn check_permission(&self, permission: RStr<'_>) -> RResult<(), HostError> {
        RResult::RErr(HostError::new(
            HostErrorKind::Denied,
            format!("this shell cannot grant permission {permission}"),
        ))
    }

    /// The contact of an interaction (service `contacts`). Added in SDK 1.2.
    fn contact(&self, interaction: RStr<'_>) -> RResult<ContactCard, HostError> {
        unsupported("contacts", interaction)
    }

    /// The case data of an interaction (service `case-data`). Added in SDK 1.2.
    fn case_data(&self, interaction: RStr<'_>) -> RResult<RVec<KeyValue>, HostError> {
        unsupported("case-data", interaction)
    }

    /// The agent's note on an interaction, empty when none (service `notes`). Added in SDK 1.2.
    fn note(&self, interaction: RStr<'_>) -> RResult<RString, HostError> {
        unsupported("notes", interaction)
    }

    /// Replaces the note on an interaction (service `notes`). Added in SDK 1.2.
    fn set_note(&self, interaction: RStr<'_>, text: RStr<'_>) -> RResult<(), HostError> {
        let _ = text;
        unsupported("notes", interaction)
    }

    /// The disposition code of an interaction, empty when none (service `dispositions`).
    /// Added in SDK 1.2.
    fn disposition(&self, interaction: RStr<'_>) -> RResult<RString, HostError> {
        unsupported("dispositions", interaction)
    }

    /// Records a disposition code; it must be in the administrator's tree for the channel
    /// (service `dispositions`). Added in SDK 1.2.
    fn set_disposition(&self, interaction: RStr<'_>, code: RStr<'_>) -> RResult<(), HostError> {
        let _ = code;
        unsupported("dispositions", interaction)
    }

    /// The contact's interactions, newest first, or those matching `query` (every word, as a
    /// prefix) in transcripts and notes, best first (service `history`). Added in SDK 1.2.
    fn history(
        &self,
        interaction: RStr<'_>,
        query: RStr<'_>,
    ) -> RResult<RVec<HistoryEntry>, HostError> {
        let _ = query;
        unsupported("history", interaction)
    }

    /// An administrator setting for the signed-in agent's role, as text; always granted. Known
    /// names are in [`crate::settings`]; an unknown name is [`HostErrorKind::NotFound`].
    /// Added in SDK 1.3.
    fn setting(&self, name: RStr<'_>) -> RResult<RString, HostError> {
        RResult::RErr(HostError::new(
            HostErrorKind::NotFound,
            format!("this shell has no setting {name}"),
        ))
    }

    /// Asks the platform to transfer an interaction to a target; the answer arrives later as
    /// [`crate::Event::TransferOutcome`] (service `transfer`). Added in SDK 1.3.
    fn transfer(&self, interaction: RStr<'_>, target: Target) -> RResult<(), HostError> {
        let _ = target;
        unsupported("transfer", interaction)
    }

    /// What the platform knows about a phone number: whether it can receive SMS (landlines and
    /// flagged numbers cannot). Always granted. Added in SDK 1.3.
    fn number_info(&self, address: RStr<'_>) -> RResult<NumberInfo, HostError> {
        let _ = address;
        RResult::ROk(NumberInfo {
            can_receive_sms: true,
            note: RString::new(),
        })
    }

    /// Saves an attachment of an interaction to a file the agent chose (service
    /// `attachments` and permission `save-images`). Added in SDK 1.3.
    fn save_attachment(
        &self,
        interaction: RStr<'_>,
        attachment: i64,
        path: RStr<'_>,
    ) -> RResult<(), HostError> {
        let _ = (attachment, path);
        unsupported("attachments", interaction)
    }

    /// Searches the Team Communicator's directory (agents, queues, skills, groups, routing
    /// points, contacts), best first (service `team-communicator`). Added in SDK 1.3.
    fn directory_search(&self, query: RStr<'_>) -> RResult<RVec<Target>, HostError> {
        unsupported("team-communicator", query)
    }

    /// The misspelled words of `text` in the interaction's language, as byte ranges (service
    /// `spell-check`). Added in SDK 1.3.
    fn check_spelling(
        &self,
        interaction: RStr<'_>,
        text: RStr<'_>,
    ) -> RResult<RVec<Misspelling>, HostError> {
        let _ = text;
        unsupported("spell-check", interaction)
    }

    /// Standard responses matching `query` (name, text or keyword) in the interaction's
    /// language, with their field codes filled for it (service `responses`). Added in SDK 1.3.
    fn standard_responses(
        &self,
        interaction: RStr<'_>,
        query: RStr<'_>,
    ) -> RResult<RVec<ResponseText>, HostError> {
        let _ = query;
        unsupported("responses", interaction)
    }

    /// Schedules a callback to `number` at `due` for the signed-in agent; returns its id
    /// (service `callbacks`). Added in SDK 1.3.
    fn schedule_callback(
        &self,
        interaction: RStr<'_>,
        number: RStr<'_>,
        due: Timestamp,
        note: RStr<'_>,
    ) -> RResult<i64, HostError> {
        let _ = (number, due, note);
        unsupported("callbacks", interaction)
    }

    /// Invites a target into one of the plugin's interactions for `purpose` (see
    /// [`crate::purposes`]): an agent, or a queue, skill, group or routing point for which the
    /// platform picks an available agent. The answer arrives as
    /// [`crate::Event::InvitationOutcome`], naming the agent who answered (service
    /// `invitations`). Added in SDK 1.5.
    fn invite(
        &self,
        interaction: RStr<'_>,
        target: Target,
        purpose: RStr<'_>,
    ) -> RResult<(), HostError> {
        let _ = (target, purpose);
        unsupported("invitations", interaction)
    }

    /// Tells the contact whether the agent is typing (service `typing`). Added in SDK 1.5.
    fn set_typing(&self, interaction: RStr<'_>, typing: bool) -> RResult<(), HostError> {
        let _ = typing;
        unsupported("typing", interaction)
    }

    /// Pushes a link to the contact, who is invited to open it: stored in the transcript
    /// first, then handed to the platform (service `messages.send` and permission `push-url`).
    /// Only http and https addresses are accepted. Added in SDK 1.5.
    fn push_url(
        &self,
        interaction: RStr<'_>,
        url: RStr<'_>,
    ) -> RResult<TranscriptEntry, HostError> {
        let _ = url;
        unsupported("push-url", interaction)
    }

    /// The label of the interaction's disposition as the administrator named it (what the
    /// agent reads), empty when none (service `dispositions`). A host without it gives the
    /// code. Added in SDK 1.6.
    fn disposition_label(&self, interaction: RStr<'_>) -> RResult<RString, HostError> {
        self.disposition(interaction)
    }

    /// The language the agent reads the shell in, as a tag (`en`, `fr`); always granted.
    /// [`crate::Event::LanguageChanged`] follows when the agent switches. A host without it
    /// speaks English. Added in SDK 1.7.
    fn language(&self) -> RString {
        RString::from(FALLBACK_LANGUAGE)
    }

    /// Stores a system line as a message id of the plugin's translations with its arguments,
    /// so every reader sees it in their own language (service `messages.store`). A host
    /// without it stores `line.text`. Added in SDK 1.7.
    fn store_translated_line(
        &self,
        interaction: RStr<'_>,
        line: SystemLine,
    ) -> RResult<TranscriptEntry, HostError> {
        self.store_system_line(interaction, line.text.as_rstr())
    }
}

/// A system line by message id: what [`Host::store_translated_line`] stores. Make it with
/// `Words::line` of the `i18n` module. SDK 1.7.
#[repr(C)]
#[derive(StableAbi, serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq)]
pub struct SystemLine {
    /// The message id in the plugin's translations.
    pub id: RString,
    /// Its named arguments (digits only make a number, for plural forms).
    pub args: RVec<KeyValue>,
    /// The line in the agent's language now, for hosts that store text only.
    pub text: RString,
}

/// A misspelled word: byte offsets into the checked text. SDK 1.3.
#[repr(C)]
#[derive(StableAbi, serde::Serialize, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Misspelling {
    /// First byte of the word.
    pub start: u32,
    /// One past its last byte.
    pub end: u32,
}

/// A standard response, filled for an interaction. SDK 1.3.
#[repr(C)]
#[derive(StableAbi, serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq)]
pub struct ResponseText {
    /// Its category in the library.
    pub category: RString,
    /// Its name.
    pub name: RString,
    /// Its shortcut keyword (without `#`), empty when none.
    pub keyword: RString,
    /// The text with field codes filled; a field without a value is left marked.
    pub text: RString,
}

/// What the platform knows about a phone number. SDK 1.3.
#[repr(C)]
#[derive(StableAbi, serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq)]
pub struct NumberInfo {
    /// Whether an SMS sent there can arrive.
    pub can_receive_sms: bool,
    /// Why not, or what else is known ("landline"), shown to the agent; empty when nothing.
    pub note: RString,
}

impl AsRef<HostBox> for HostBox {
    fn as_ref(&self) -> &HostBox {
        self
    }
}

fn unsupported<T>(service: &str, interaction: RStr<'_>) -> RResult<T, HostError> {
    RResult::RErr(HostError::new(
        HostErrorKind::Denied,
        format!("this shell does not offer service {service} (interaction {interaction})"),
    ))
}

/// A contact record as plugins see it.
#[repr(C)]
#[derive(StableAbi, serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq)]
pub struct ContactCard {
    /// Store id.
    pub id: i64,
    /// Name shown to agents.
    pub name: RString,
    /// Phone number, empty when unknown.
    pub phone: RString,
    /// E-mail address, empty when unknown.
    pub email: RString,
    /// Preferred language, empty when unknown.
    pub language: RString,
}

/// One interaction in a contact's history.
#[repr(C)]
#[derive(StableAbi, serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq)]
pub struct HistoryEntry {
    /// Interaction id.
    pub interaction: RString,
    /// Media type.
    pub media_type: RString,
    /// When it was created.
    pub created: Timestamp,
    /// Disposition code, empty when none.
    pub disposition: RString,
    /// The agent's note, empty when none.
    pub note: RString,
    /// A matching excerpt when searching, else the first message.
    pub excerpt: RString,
}

/// The host object as a plugin owns it.
pub type HostBox = Host_TO<'static, RBox<()>>;
