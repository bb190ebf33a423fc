//! # Switchboard SDK
//!
//! The stable contract between the Switchboard shell and its channel plugins.
//!
//! A channel plugin is a dynamic library that exports one [`module::PluginModule`]. The shell
//! loads it, checks its SDK version and type layout (through `abi_stable`), reads its
//! [`Manifest`], and creates the plugin with a [`HostBox`]: the services the host grants it,
//! which the plugin calls in plain Rust through [`Services`] (`&str` in, `Result` out).
//!
//! From then on the conversation is simple:
//! - the host sends [`Event`]s (an interaction offered or accepted, a message in, a delivery
//!   report, a timer, a click on one of the plugin's actions, the platform link going down...);
//! - the plugin answers with [`Command`]s (mark done, end, show an error) and calls host services
//!   (send a message, store a system line, set a timer, notify);
//! - the shell asks the plugin for a [`ViewModel`] of each interaction and draws it. Plugins never
//!   draw: the look, the keyboard handling and accessibility are the same for every channel.
//!
//! Plugin authors implement the plain Rust trait [`Channel`] and export it with
//! [`export_channel!`]; the SDK wraps every call so a panic inside the plugin comes back to the
//! host as an error instead of aborting the shell.
//!
//! # A whole channel
//!
//! Interactions of the media type `acme-chat`: the agent's text is sent, Mark done closes.
//! (`sdk/template` is this, with a test against the host double; `sdk/README.md` shows how to
//! build it and see the shell load it.)
//!
//! ```
//! use std::collections::HashMap;
//! use switchboard_sdk::{
//!     Action, Channel, Command, ConnectionState, Event, Header, HostBox, InteractionInfo,
//!     Manifest, PluginError, Services, ViewModel, services,
//! };
//!
//! pub struct AcmeChat {
//!     host: Services,
//!     open: HashMap<String, InteractionInfo>,
//! }
//!
//! impl Channel for AcmeChat {
//!     fn manifest() -> Manifest {
//!         Manifest::new("acme-chat", "Acme chat", "0.1.0")
//!             .media_type("acme-chat")
//!             .service(services::MESSAGES_SEND)
//!     }
//!
//!     fn create(host: HostBox) -> Result<Self, PluginError> {
//!         Ok(Self { host: Services::new(host), open: HashMap::new() })
//!     }
//!
//!     fn handle(&mut self, event: Event) -> Result<Vec<Command>, PluginError> {
//!         Ok(match event {
//!             Event::Accepted { interaction, .. } => {
//!                 self.open.insert(interaction.id.to_string(), interaction);
//!                 Vec::new()
//!             }
//!             Event::Send { interaction, text } => {
//!                 match self.host.send_message(&interaction, &text, &[]) {
//!                     Ok(_) => vec![Command::ClearComposer { interaction }],
//!                     Err(e) => vec![Command::ShowError {
//!                         interaction,
//!                         text: format!("Not sent: {e}").into(),
//!                     }],
//!                 }
//!             }
//!             Event::Action { interaction, action } if action == "done" => {
//!                 vec![Command::MarkDone { interaction }]
//!             }
//!             Event::Closed { interaction } => {
//!                 self.open.remove(interaction.as_str());
//!                 Vec::new()
//!             }
//!             _ => Vec::new(),
//!         })
//!     }
//!
//!     fn view(&self, interaction: &str) -> Result<ViewModel, PluginError> {
//!         let info = self
//!             .open
//!             .get(interaction)
//!             .ok_or_else(|| PluginError::unknown_interaction(interaction))?;
//!         let header = Header::new(&info.contact_name, &info.contact_address, ConnectionState::Connected)
//!             .subtitle("Acme chat");
//!         Ok(ViewModel::new(header)
//!             .toolbar([Action::new("done", "action-mark-done", "Mark done", "done")]))
//!     }
//! }
//!
//! switchboard_sdk::export_channel!(AcmeChat);
//! # fn main() {}
//! ```
//!
//! Growth rules (see `PENDING_CHANGES.md`): enums that may grow are `NonExhaustive`; the root
//! module and trait objects only grow at the end; structs are frozen within a major version.
// The abi_stable derives expand to unsafe code and to `*_Ref`/`*_NE` names; no unsafe is
// written by hand in this crate.
#![allow(unsafe_code, non_local_definitions, non_camel_case_types)]

pub mod command;
pub mod event;
pub mod host;
pub mod host_calls;
pub mod i18n;
pub mod manifest;
pub mod message;
pub mod module;
pub mod plugin;
#[doc(hidden)]
pub mod serde_ne;
pub mod sms;
pub mod time;
pub mod view;

pub use abi_stable;

pub use command::{Command, Command_NE};
pub use event::{
    Event, Event_NE, InteractionInfo, InvitationOutcome, InvitationOutcome_NE, KeyValue, Target,
    records,
};
pub use host::{
    ContactCard, HistoryEntry, Host, HostBox, HostError, HostErrorKind, LogLevel, Misspelling,
    Notification, NumberInfo, Outbound, ResponseText, SystemLine,
};
pub use host_calls::Services;
pub use i18n::{Translations, Words};
pub use manifest::{Manifest, icons, permissions, purposes, services, settings, target_kinds};
pub use message::{Attachment, DeliveryStatus, DeliveryStatus_NE, Role, Role_NE, TranscriptEntry};
pub use plugin::{Channel, ChannelPlugin, PluginBox, PluginError, PluginErrorKind, Translation};
pub use time::Timestamp;
pub use view::{
    Action, Badge, Composer, ConnectionState, ConnectionState_NE, Header, Tone, Tone_NE, ViewModel,
    ViewPart, ViewPart_NE,
};

/// The SDK version this crate was built as; a plugin reports it in its manifest.
pub const SDK_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Implements `From<Enum>` for its `NonExhaustive` wrapper, so SDK users can write `.into()`.
macro_rules! non_exhaustive_from {
    ($($enum:ident => $wrapper:ty),* $(,)?) => {$(
        impl From<$enum> for $wrapper {
            fn from(value: $enum) -> Self {
                <$wrapper>::new(value)
            }
        }
    )*};
}

non_exhaustive_from! {
    Role => Role_NE,
    DeliveryStatus => DeliveryStatus_NE,
    ConnectionState => ConnectionState_NE,
    Tone => Tone_NE,
    HostErrorKind => host::HostErrorKind_NE,
    PluginErrorKind => plugin::PluginErrorKind_NE,
    Event => Event_NE,
    Command => Command_NE,
    InvitationOutcome => InvitationOutcome_NE,
    ViewPart => ViewPart_NE,
}
