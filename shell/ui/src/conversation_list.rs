//! Every conversation with a contact, newest first, each in full, with search: drawn in the
//! Conversation tab and in the Communication view. The conversations are read again only when
//! the contact, the search or the caller's revision (a new message) changes, off the window's
//! thread; the list on screen stays until the new one is in.

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
    latest::Latest,
};

/// The search and the conversations read for it.
#[derive(Default)]
pub(crate) struct ConversationList {
    query: String,
    /// The contact the list on screen is of.
    contact: Option<i64>,
    /// Bumped to read the conversations again.
    round: u32,
    read: Latest<Vec<Conversation>>,
}

impl ConversationList {
    /// Reads the conversations again (the list on screen stays until they are in).
    pub(crate) fn invalidate(&mut self) {
        self.round = self.round.wrapping_add(1);
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
        if self.contact != Some(contact_id) {
            // Another contact's conversations are never shown under this one's name.
            self.contact = Some(contact_id);
            self.read.clear();
        }
        // The caller's revision and this list's round, each kept whole in one number.
        let revision = (revision as u64 & u64::from(u32::MAX)) | (u64::from(self.round) << 32);
        let looked = desk.contact_conversations(contact_id, &self.query, revision);
        let Some(found) = self.read.take(looked).status(ui, tr, "history-empty") else {
            return;
        };
        for conversation in found.iter() {
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
