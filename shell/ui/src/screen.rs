//! What most views read to draw: the desk and the agent's language. Views take this, never the
//! app, so the app depends on the views and not the other way round.

use switchboard_core::{desk::Desk, i18n::Translator};

/// The desk and the translator, borrowed for one frame.
pub(crate) struct Screen<'a> {
    /// The agent's desk.
    pub(crate) desk: &'a Desk,
    /// Text in the agent's language.
    pub(crate) tr: &'a Translator,
}
