//! The plugin side of the contract: the ABI trait object the host calls, the plain Rust trait
//! plugin authors implement, and the adapter between them that contains panics.

use std::{
    fmt,
    panic::{AssertUnwindSafe, catch_unwind},
};

use abi_stable::{
    StableAbi, sabi_trait,
    sabi_trait::TD_Opaque,
    std_types::{RBox, RResult, RStr, RString, RVec},
};

use crate::{
    command::{Command, Command_NE},
    event::{Event, Event_NE},
    host::HostBox,
    manifest::Manifest,
    view::{ViewModel, ViewPart, ViewPart_NE},
};

/// Why a plugin call failed.
#[repr(u8)]
#[derive(StableAbi, serde::Serialize, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[sabi(kind(WithNonExhaustive(size = [usize; 1], traits(Debug, Clone, PartialEq))))]
#[non_exhaustive]
pub enum PluginErrorKind {
    /// The plugin panicked; the SDK caught it. The host stops calling this plugin.
    Panicked,
    /// The plugin does not know the interaction.
    UnknownInteraction,
    /// The plugin refused the request (bad input, wrong state).
    Refused,
    /// Anything else.
    Other,
}

/// A failed plugin call.
#[repr(C)]
#[derive(StableAbi, serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq)]
pub struct PluginError {
    /// What kind of failure.
    #[serde(with = "crate::serde_ne")]
    pub kind: PluginErrorKind_NE,
    /// Human-readable reason.
    pub message: RString,
}

impl PluginError {
    /// Creates an error of `kind` with a message.
    pub fn new(kind: PluginErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind: kind.into(),
            message: RString::from(message.into()),
        }
    }

    /// The plugin does not track this interaction.
    pub fn unknown_interaction(id: &str) -> Self {
        Self::new(
            PluginErrorKind::UnknownInteraction,
            format!("unknown interaction {id}"),
        )
    }

    /// The kind, or `None` if it is newer than this SDK.
    pub fn kind(&self) -> Option<PluginErrorKind> {
        self.kind.as_enum().ok().copied()
    }
}

impl fmt::Display for PluginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PluginError {}

/// The ABI-stable plugin object the host holds. Plugin authors do not implement this directly:
/// implement [`Channel`] and export it with [`crate::export_channel!`].
#[sabi_trait]
pub trait ChannelPlugin: Send {
    /// Handles one event and returns the commands that follow from it.
    fn handle(&mut self, event: Event_NE) -> RResult<RVec<Command_NE>, PluginError>;

    /// Describes one interaction for the shell to draw.
    #[sabi(last_prefix_field)]
    fn view(&self, interaction: RStr<'_>) -> RResult<ViewModel, PluginError>;

    /// The plugin's Fluent sources, one per language, so the shell can draw its stored system
    /// lines in every reader's language. A plugin built before SDK 1.7 has none.
    fn translations(&self) -> RVec<Translation> {
        RVec::new()
    }

    /// The parts of an interaction's view added within 1.x (see [`ViewPart`]). A plugin built
    /// before SDK 1.7 has none.
    fn view_parts(&self, interaction: RStr<'_>) -> RResult<RVec<ViewPart_NE>, PluginError> {
        let _ = interaction;
        RResult::ROk(RVec::new())
    }
}

/// One language's Fluent source of a plugin. SDK 1.7.
#[repr(C)]
#[derive(StableAbi, serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq)]
pub struct Translation {
    /// Language tag (`en`, `fr`).
    pub language: RString,
    /// The Fluent source.
    pub source: RString,
}

/// The plugin object as the host owns it.
pub type PluginBox = ChannelPlugin_TO<'static, RBox<()>>;

/// What a channel plugin implements: plain Rust, no ABI types to juggle beyond the data.
pub trait Channel: Send + Sized + 'static {
    /// The plugin's declaration: id, name, media types, services and permissions.
    fn manifest() -> Manifest;

    /// Creates the plugin with the host services it was granted.
    fn create(host: HostBox) -> Result<Self, PluginError>;

    /// Handles one event. Events newer than the SDK the plugin was built with never reach it.
    fn handle(&mut self, event: Event) -> Result<Vec<Command>, PluginError>;

    /// Describes one interaction for the shell to draw.
    fn view(&self, interaction: &str) -> Result<ViewModel, PluginError>;

    /// View elements beyond the frozen [`ViewModel`] (banners...), for one interaction; none
    /// by default. Like `view()`, built from the plugin's own state. SDK 1.7.
    fn view_parts(&self, interaction: &str) -> Vec<ViewPart> {
        let _ = interaction;
        Vec::new()
    }

    /// The plugin's Fluent sources as `(language tag, source)`, English first, usually
    /// `include_str!` of `i18n/en.ftl` and `i18n/fr.ftl`. Format with [`crate::i18n::Words`];
    /// check with [`crate::i18n::Translations::problems`]. SDK 1.7.
    const TRANSLATIONS: &'static [(&'static str, &'static str)] = &[];
}

thread_local! {
    /// Where the last panic on this thread happened (`src/lib.rs:23`), for the error that
    /// reports it.
    static PANIC_PLACE: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Notes each panic's file and line for [`contain_panic`], then lets the panic hook that was
/// there before run as it did (the plugin's, or the shell's for a plugin built into it).
fn note_panic_places() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if let Some(place) = info.location() {
                let place = format!("{}:{}", place.file(), place.line());
                PANIC_PLACE.with(|last| *last.borrow_mut() = Some(place));
            }
            previous(info);
        }));
    });
}

/// Runs `f`, turning a panic into a [`PluginErrorKind::Panicked`] error that names where it
/// happened ("panicked in handle at src/lib.rs:23: the message").
pub fn contain_panic<T>(
    what: &str,
    f: impl FnOnce() -> Result<T, PluginError>,
) -> Result<T, PluginError> {
    note_panic_places();
    PANIC_PLACE.with(|last| last.borrow_mut().take());
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(payload) => {
            let reason = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_owned());
            let place = PANIC_PLACE
                .with(|last| last.borrow_mut().take())
                .map(|place| format!(" at {place}"))
                .unwrap_or_default();
            Err(PluginError::new(
                PluginErrorKind::Panicked,
                format!("panicked in {what}{place}: {reason}"),
            ))
        }
    }
}

/// Wraps a [`Channel`] so every call is panic-contained.
struct Guarded<C>(C);

impl<C: Channel> ChannelPlugin for Guarded<C> {
    fn handle(&mut self, event: Event_NE) -> RResult<RVec<Command_NE>, PluginError> {
        let Ok(event) = event.into_enum() else {
            // An event newer than this plugin's SDK: nothing to do with it.
            return RResult::ROk(RVec::new());
        };
        contain_panic("handle", || self.0.handle(event))
            .map(|commands| commands.into_iter().map(Command_NE::new).collect())
            .into()
    }

    fn view(&self, interaction: RStr<'_>) -> RResult<ViewModel, PluginError> {
        contain_panic("view", || self.0.view(interaction.as_str())).into()
    }

    fn view_parts(&self, interaction: RStr<'_>) -> RResult<RVec<ViewPart_NE>, PluginError> {
        contain_panic("view_parts", || Ok(self.0.view_parts(interaction.as_str())))
            .map(|parts| parts.into_iter().map(ViewPart_NE::new).collect())
            .into()
    }

    fn translations(&self) -> RVec<Translation> {
        C::TRANSLATIONS
            .iter()
            .map(|(language, source)| Translation {
                language: (*language).into(),
                source: (*source).into(),
            })
            .collect()
    }
}

/// Boxes a channel into the ABI object the host holds, with panic containment.
pub fn into_plugin_box<C: Channel>(channel: C) -> PluginBox {
    ChannelPlugin_TO::from_value(Guarded(channel), TD_Opaque)
}
