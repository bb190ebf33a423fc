//! The view model: how a plugin describes an interaction for the shell to draw.
//!
//! A closed vocabulary (header, badges, toolbar actions, composer, side panels) rather than a
//! widget tree, so every channel looks and behaves the same. The transcript itself is owned and
//! drawn by the host from its store.

use abi_stable::{
    StableAbi,
    std_types::{RString, RVec},
};

/// The conversation's connection state, shown in the header.
#[repr(u8)]
#[derive(StableAbi, serde::Serialize, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[sabi(kind(WithNonExhaustive(size = [usize; 1], traits(Debug, Clone, PartialEq))))]
#[non_exhaustive]
pub enum ConnectionState {
    /// Not yet connected.
    NotConnected,
    /// Being set up (invitation sent, waiting for the other side).
    Establishing,
    /// Live.
    Connected,
    /// Over; waiting for Done.
    Ended,
}

/// The emphasis of a badge or an action.
#[repr(u8)]
#[derive(StableAbi, serde::Serialize, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[sabi(kind(WithNonExhaustive(size = [usize; 1], traits(Debug, Clone, PartialEq))))]
#[non_exhaustive]
pub enum Tone {
    /// Plain.
    Neutral,
    /// The main thing to do.
    Primary,
    /// Good news.
    Success,
    /// Needs attention soon.
    Warning,
    /// Needs attention now, or destructive.
    Danger,
}

/// The top of the interaction view.
#[repr(C)]
#[derive(StableAbi, serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq)]
pub struct Header {
    /// Contact's name (or address when unknown).
    pub title: RString,
    /// Contact's address on the channel.
    pub address: RString,
    /// Connection state.
    #[serde(with = "crate::serde_ne")]
    pub state: ConnectionState_NE,
    /// A short line under the title ("Inbound SMS · page mode").
    pub subtitle: RString,
    /// Test fixture only (feature `changed-layout-fixture`): a field this SDK does not have,
    /// so a plugin built with it carries a changed layout the shell must refuse, naming it.
    #[cfg(feature = "changed-layout-fixture")]
    #[doc(hidden)]
    pub changed: u64,
}

impl Header {
    /// A header naming the contact (`title`, their address) and the connection state.
    pub fn new(title: &str, address: &str, state: ConnectionState) -> Self {
        Self {
            title: title.into(),
            address: address.into(),
            state: state.into(),
            subtitle: RString::new(),
            #[cfg(feature = "changed-layout-fixture")]
            changed: 0,
        }
    }

    /// With a short line under the title.
    pub fn subtitle(mut self, subtitle: &str) -> Self {
        self.subtitle = subtitle.into();
        self
    }
}

/// A small labelled marker in the header (for example "Reply sent").
#[repr(C)]
#[derive(StableAbi, serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq)]
pub struct Badge {
    /// Text shown as is.
    pub text: RString,
    /// Emphasis.
    #[serde(with = "crate::serde_ne")]
    pub tone: Tone_NE,
}

impl Badge {
    /// A badge with `text` and `tone`. A plain Rust helper (SDK 1.6): no part of the ABI.
    pub fn new(text: impl Into<RString>, tone: Tone) -> Self {
        Self {
            text: text.into(),
            tone: tone.into(),
        }
    }
}

/// A toolbar action; clicking it sends [`crate::Event::Action`] with its id.
#[repr(C)]
#[derive(StableAbi, serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq)]
pub struct Action {
    /// Id sent back in the event.
    pub id: RString,
    /// Translation key of the label (`action-done`); the shell falls back to `label`.
    pub label_key: RString,
    /// Label to show when the shell has no translation for `label_key`.
    pub label: RString,
    /// Icon name (`done`, `transfer`, `callback`...).
    pub icon: RString,
    /// Whether it can be used now.
    pub enabled: bool,
    /// Tooltip shown on hover (also why it is disabled).
    pub tooltip: RString,
    /// Emphasis.
    #[serde(with = "crate::serde_ne")]
    pub tone: Tone_NE,
}

impl Action {
    /// An enabled action with a neutral tone.
    pub fn new(id: &str, label_key: &str, label: &str, icon: &str) -> Self {
        Self {
            id: id.into(),
            label_key: label_key.into(),
            label: label.into(),
            icon: icon.into(),
            enabled: true,
            tooltip: RString::new(),
            tone: Tone::Neutral.into(),
        }
    }

    /// Sets whether the action is enabled, with the reason shown on hover.
    pub fn enabled(mut self, enabled: bool, tooltip: &str) -> Self {
        self.enabled = enabled;
        self.tooltip = tooltip.into();
        self
    }

    /// Sets the emphasis.
    pub fn tone(mut self, tone: Tone) -> Self {
        self.tone = tone.into();
        self
    }
}

/// The message box under the transcript.
#[repr(C)]
#[derive(StableAbi, serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq)]
pub struct Composer {
    /// Whether the agent can type and send now.
    pub enabled: bool,
    /// Why it is disabled, or a hint when empty.
    pub hint: RString,
    /// Live counter text ("2 SMS · 187/306 · GSM-7"); empty for none.
    pub counter: RString,
    /// Emphasise the counter (the message will cost several parts).
    pub counter_warning: bool,
    /// Label of the send button (`Send`, `Send and close`).
    pub send_label: RString,
}

impl Default for Composer {
    fn default() -> Self {
        Self {
            enabled: true,
            hint: RString::new(),
            counter: RString::new(),
            counter_warning: false,
            send_label: "Send".into(),
        }
    }
}

impl Composer {
    /// An enabled box with the default Send button.
    pub fn new() -> Self {
        Self::default()
    }

    /// With a hint shown in the empty box.
    pub fn hint(mut self, hint: &str) -> Self {
        self.hint = hint.into();
        self
    }

    /// With a live counter, emphasised when `warning`.
    pub fn counter(mut self, counter: &str, warning: bool) -> Self {
        self.counter = counter.into();
        self.counter_warning = warning;
        self
    }

    /// With a send button labelled `label`.
    pub fn send_label(mut self, label: &str) -> Self {
        self.send_label = label.into();
        self
    }

    /// Closed to typing, saying why.
    pub fn disabled(mut self, why: &str) -> Self {
        self.enabled = false;
        self.hint = why.into();
        self
    }
}

/// Side panels the plugin wants next to its view, by id (see [`panels`]).
pub type PanelIds = RVec<RString>;

/// Ids of the side panels the shell knows.
pub mod panels {
    use super::PanelIds;

    /// The panels `ids` name, in order, as the view model carries them.
    pub fn list<'a>(ids: impl IntoIterator<Item = &'a str>) -> PanelIds {
        ids.into_iter().map(Into::into).collect()
    }

    /// Disposition code tree.
    pub const DISPOSITION: &str = "disposition";
    /// Free-text note.
    pub const NOTE: &str = "note";
    /// Case data.
    pub const CASE_DATA: &str = "case-data";
    /// Contact details.
    pub const CONTACT: &str = "contact";
    /// Contact history.
    pub const HISTORY: &str = "history";
    /// Standard responses.
    pub const RESPONSES: &str = "responses";
    /// Schedule a callback (SDK 1.2).
    pub const CALLBACK: &str = "callback";
    /// The URL editor under the composer: check a link, pick one pushed before, push it
    /// ([`crate::Event::PushUrl`] follows). SDK 1.5.
    pub const PUSH_URL: &str = "push-url";
    /// Every conversation with the contact, current and earlier, with search. SDK 1.5.
    pub const CONVERSATION: &str = "conversation";
}

/// A part of the view added within 1.x, while [`ViewModel`] is frozen until 2.0: each new kind
/// of view element arrives as a new variant (the enum is non-exhaustive), a plugin returns the
/// parts it wants from [`crate::Channel::view_parts`], and a shell draws the kinds it knows
/// (an older shell skips newer ones; an older plugin returns none). SDK 1.7.
#[repr(u8)]
#[derive(StableAbi, serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq)]
#[sabi(kind(WithNonExhaustive(size = [usize; 16], traits(Debug, Clone, PartialEq))))]
#[non_exhaustive]
pub enum ViewPart {
    /// A line across the top of the conversation for what the agent must not miss ("The
    /// customer-service window closes in 12 minutes"), in a tone.
    Banner {
        /// The text, in the agent's language.
        text: RString,
        /// Emphasis.
        #[serde(with = "crate::serde_ne")]
        tone: Tone_NE,
    },
    // New kinds of view elements go last: a variant's position is part of the ABI.
}

/// Everything the shell needs to draw one interaction besides its transcript.
#[repr(C)]
#[derive(StableAbi, serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq)]
pub struct ViewModel {
    /// Header.
    pub header: Header,
    /// Markers next to the header.
    pub badges: RVec<Badge>,
    /// Toolbar actions, in order.
    pub toolbar: RVec<Action>,
    /// The message box.
    pub composer: Composer,
    /// Side panels wanted.
    pub panels: PanelIds,
}

impl ViewModel {
    /// A view with `header`, no badges, no toolbar, an enabled composer and no side panels;
    /// the methods below add the rest.
    pub fn new(header: Header) -> Self {
        Self {
            header,
            badges: RVec::new(),
            toolbar: RVec::new(),
            composer: Composer::default(),
            panels: RVec::new(),
        }
    }

    /// With these badges, in order.
    pub fn badges(mut self, badges: impl IntoIterator<Item = Badge>) -> Self {
        self.badges = badges.into_iter().collect();
        self
    }

    /// With these toolbar actions, in order.
    pub fn toolbar(mut self, actions: impl IntoIterator<Item = Action>) -> Self {
        self.toolbar = actions.into_iter().collect();
        self
    }

    /// With this composer.
    pub fn composer(mut self, composer: Composer) -> Self {
        self.composer = composer;
        self
    }

    /// With these side panels (ids from [`panels`]), in order.
    pub fn panels<'a>(mut self, ids: impl IntoIterator<Item = &'a str>) -> Self {
        self.panels = panels::list(ids);
        self
    }
}
