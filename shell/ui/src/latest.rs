//! What a panel draws of a read the desk makes off the window's thread: the newest answer it
//! had, kept on screen while a newer one (the next letter of a search, a new message) is read,
//! so the list does not blink at each keystroke; and the quiet "Searching…" it says meanwhile.

use std::sync::Arc;

use egui::{RichText, Ui};
use switchboard_core::{desk::Looked, i18n::Translator};

use crate::theme;

/// The newest answer a panel had, and whether a newer one is being read.
pub(crate) struct Latest<T> {
    answer: Option<Result<Arc<T>, String>>,
    pending: bool,
}

impl<T> Default for Latest<T> {
    fn default() -> Self {
        Self {
            answer: None,
            pending: false,
        }
    }
}

impl<T> Latest<T> {
    /// Takes what the desk said at this frame.
    pub(crate) fn take(&mut self, looked: Looked<T>) -> &mut Self {
        match looked {
            Looked::Pending => self.pending = true,
            Looked::Ready(value) => {
                self.answer = Some(Ok(value));
                self.pending = false;
            }
            Looked::Failed(reason) => {
                self.answer = Some(Err(reason));
                self.pending = false;
            }
        }
        self
    }

    /// The answer to draw, if any came in yet.
    pub(crate) fn answer(&self) -> Option<&Result<Arc<T>, String>> {
        self.answer.as_ref()
    }

    /// Whether a newer answer is being read.
    pub(crate) fn is_pending(&self) -> bool {
        self.pending
    }

    /// Forgets the answer (the panel now shows something else).
    pub(crate) fn clear(&mut self) {
        *self = Self::default();
    }
}

impl<U> Latest<Vec<U>> {
    /// Draws what the agent should know before a list: why it could not be read, "Searching…"
    /// while a newer answer is read (or before the first), `empty` (a message id) when the
    /// answer holds nothing. Returns the list to draw, none when there is no answer to list.
    pub(crate) fn status(&self, ui: &mut Ui, tr: &Translator, empty: &str) -> Option<Arc<Vec<U>>> {
        let list = match self.answer() {
            Some(Ok(list)) => list.clone(),
            Some(Err(reason)) => {
                ui.label(RichText::new(reason).color(theme::DANGER));
                return None;
            }
            None => {
                searching(ui, tr);
                return None;
            }
        };
        if self.is_pending() {
            searching(ui, tr);
        } else if list.is_empty() {
            ui.label(RichText::new(tr.tr(empty)).color(theme::TEXT_WEAK));
        }
        Some(list)
    }
}

/// Says, quietly, that a newer answer is being read.
pub(crate) fn searching(ui: &mut Ui, tr: &Translator) {
    ui.label(
        RichText::new(tr.tr("searching"))
            .color(theme::TEXT_WEAK)
            .font(theme::small_font()),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_answer_stays_while_the_next_is_read() {
        let mut latest = Latest::default();
        assert!(latest.take(Looked::<u8>::Pending).answer().is_none());
        latest.take(Looked::Ready(Arc::new(1)));
        assert!(!latest.is_pending());
        latest.take(Looked::Pending);
        assert!(latest.is_pending());
        assert_eq!(latest.answer().cloned(), Some(Ok(Arc::new(1))));
        latest.take(Looked::Failed("disk".into()));
        assert_eq!(latest.answer().cloned(), Some(Err("disk".into())));
        latest.clear();
        assert!(latest.answer().is_none());
    }
}
