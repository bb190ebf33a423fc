//! Every conversation with a contact, newest first, each in full, with search: drawn in the
//! Conversation tab and in the Communication view. The conversations are read again only when
//! the contact, the search or the caller's revision (a new message) changes.

use egui::{RichText, Ui};
use switchboard_core::people::shown;
use switchboard_core::{
    desk::{Conversation, Desk},
    i18n::Translator,
    links,
};
use switchboard_sdk::TranscriptEntry;

use crate::{
    dates::{clock_time, day_and_time},
    theme,
};

/// The search and the conversations read for it.
#[derive(Default)]
pub(crate) struct ConversationList {
    query: String,
    /// What was read, for (contact, query, revision).
    read: Option<(i64, String, usize, Vec<Conversation>)>,
}

impl ConversationList {
    /// Reads the conversations again on the next frame.
    pub(crate) fn invalidate(&mut self) {
        self.read = None;
    }

    /// The search field and the conversations with `contact_id`. `current` is the interaction
    /// on screen, marked as such; `below` draws what follows a conversation (an action).
    pub(crate) fn show(
        &mut self,
        ui: &mut Ui,
        desk: &Desk,
        tr: &Translator,
        (contact_id, revision): (i64, usize),
        current: Option<&str>,
        below: &mut dyn FnMut(&mut Ui, &Conversation),
    ) {
        let label = ui.label(tr.tr("conversation-search"));
        ui.add(egui::TextEdit::singleline(&mut self.query).desired_width(f32::INFINITY))
            .labelled_by(label.id);
        let stale = self.read.as_ref().is_none_or(|(id, query, seen, _)| {
            *id != contact_id || *query != self.query || *seen != revision
        });
        if stale {
            match desk.contact_conversations(contact_id, &self.query) {
                Ok(found) => {
                    self.read = Some((contact_id, self.query.clone(), revision, found));
                }
                Err(e) => {
                    ui.label(RichText::new(e.to_string()).color(theme::DANGER));
                    return;
                }
            }
        }
        let Some((_, _, _, found)) = &self.read else {
            return;
        };
        if found.is_empty() {
            ui.label(RichText::new(tr.tr("history-empty")).color(theme::TEXT_WEAK));
        }
        for conversation in found {
            let is_current = current == Some(conversation.item.interaction.as_str());
            let title = [
                Some(day_and_time(conversation.item.created)),
                Some(conversation.item.media_type.to_uppercase()),
                is_current.then(|| tr.tr("history-current")),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · ");
            egui::CollapsingHeader::new(RichText::new(title).strong())
                .id_salt(("conversation", &conversation.item.interaction))
                .default_open(true)
                .show(ui, |ui| transcript_lines(ui, &conversation.transcript));
            below(ui, conversation);
        }
    }
}

/// Transcript entries as compact lines: time, author, text made safe (links as their real
/// address, hidden characters shown).
pub(crate) fn transcript_lines(ui: &mut Ui, entries: &[TranscriptEntry]) {
    for entry in entries {
        ui.label(format!(
            "{} {}: {}",
            clock_time(entry.time),
            shown(&entry.author),
            links::display_text(&entry.text)
        ));
    }
}
