//! The agent's own record edits — a note, a disposition, a contact — handed to the requests
//! thread, and what comes back: a saved edit is shown and told to the plugin, a refused one
//! brings the value back with the reason. `settle` waits for everything queued.

use super::{
    Desk, DeskError,
    requests::{Edit, Outcome, Request},
};

impl Desk {
    /// Records the disposition code of an interaction (it must be in the channel's tree).
    pub fn set_disposition(&mut self, interaction: &str, code: &str) -> Result<(), DeskError> {
        let channel = self.interaction_channel_id(interaction)?;
        let known = self
            .config
            .dispositions_for(&channel)
            .any(|c| c.codes.iter().any(|d| d.code == code));
        if !known {
            return Err(DeskError::UnknownDisposition(code.to_owned()));
        }
        let now = self.now();
        let Some(open) = self.interaction_mut(interaction) else {
            return Err(DeskError::UnknownInteraction(interaction.to_owned()));
        };
        let previous = open.disposition.replace(code.to_owned());
        open.saving += 1;
        if open
            .error
            .as_deref()
            .is_some_and(|e| e.contains("disposition"))
        {
            open.error = None;
        }
        // Committed off the window's thread; the plugin hears of it once it is saved.
        self.requests.submit(Request::Edit(Edit::Disposition {
            interaction: interaction.to_owned(),
            code: code.to_owned(),
            previous,
            at: now,
        }));
        Ok(())
    }

    /// Saves the note being typed, if it changed.
    pub fn save_note(&mut self, interaction: &str) -> Result<(), DeskError> {
        let now = self.now();
        let Some(open) = self.interaction_mut(interaction) else {
            return Err(DeskError::UnknownInteraction(interaction.to_owned()));
        };
        if open.note_draft == open.note {
            return Ok(());
        }
        let draft = open.note_draft.clone();
        let previous = std::mem::replace(&mut open.note, draft.clone());
        open.saving += 1;
        self.requests.submit(Request::Edit(Edit::Note {
            interaction: interaction.to_owned(),
            text: draft,
            previous,
            at: now,
        }));
        Ok(())
    }

    /// Waits until the agent's edits are saved and takes their outcomes (before an interaction
    /// closes, at sign-out, and in tests that read the store next).
    pub fn settle(&mut self) {
        // An outcome may lead to more requests (a plugin told of a saved record saves another).
        while self.requests.is_busy() {
            for outcome in self.requests.wait_outcomes() {
                self.on_outcome(outcome);
            }
        }
        self.lookups.wait_idle();
        self.check_media();
    }

    /// Takes the outcome of a request; each handler tells the agent of a refusal where it
    /// belongs (on the interaction, as a notice).
    pub(super) fn on_outcome(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Written { edit, result } => self.on_written(edit, result),
            Outcome::Answered { answer, result } => self.on_answered(answer, result),
            Outcome::Sent { job, result } => self.on_sent(&job, result),
            Outcome::Closed {
                interaction,
                result,
            } => self.on_closed(interaction, result),
            Outcome::Reserved(result) => self.on_reserved(result),
            Outcome::Called { call, result } => self.on_platform_called(call, result),
            Outcome::MarkedRead(Ok(())) => self.marked_read += 1,
            Outcome::MarkedRead(Err(reason)) => {
                tracing::warn!("the contact's conversations were not marked read: {reason}");
            }
            Outcome::Administered(result) => self.on_administered(result),
        }
    }

    /// An edit was saved (the plugin reads it again) or refused (the value comes back, with the
    /// reason for the agent).
    fn on_written(&mut self, edit: Edit, result: Result<(), String>) {
        let id = edit.interaction().to_owned();
        if let Some(open) = self.interaction_mut(&id) {
            match edit {
                Edit::Contact { .. } => open.contact_saving = false,
                _ => open.saving = open.saving.saturating_sub(1),
            }
        }
        let reason = match result {
            Ok(()) => {
                match edit {
                    Edit::Note { .. } => self.records_changed(&id, switchboard_sdk::records::NOTE),
                    Edit::Disposition { .. } => {
                        self.records_changed(&id, switchboard_sdk::records::DISPOSITION)
                    }
                    Edit::Contact { contact, .. } => self.show_saved_contact(contact),
                }
                return;
            }
            Err(reason) => reason,
        };
        let refusal = edit.refusal(&reason);
        // The value before comes back; a contact's editor stays open with the agent's text.
        if let Some(open) = self.interaction_mut(&id) {
            match edit {
                Edit::Note { previous, .. } => {
                    open.note = previous;
                    open.error = Some(refusal.clone());
                }
                Edit::Disposition { previous, .. } => {
                    open.disposition = previous;
                    open.error = Some(refusal.clone());
                }
                Edit::Contact { .. } => {}
            }
        }
        self.toast(refusal, true);
    }

    /// Saves an edited contact record of an open interaction (creating the contact when it
    /// stood for an unknown sender); every open interaction with that contact shows the new
    /// record.
    pub fn update_contact(
        &mut self,
        interaction: &str,
        contact: crate::store::Contact,
    ) -> Result<(), DeskError> {
        if self.interaction(interaction).is_none() {
            return Err(DeskError::UnknownInteraction(interaction.to_owned()));
        }
        if let Some(problem) = contact.problems().into_iter().next() {
            return Err(DeskError::InvalidContact(problem.to_string()));
        }
        // Committed off the window's thread; the editor stays open until the desk holds it.
        if let Some(open) = self.interaction_mut(interaction) {
            open.contact_saving = true;
        }
        self.requests.submit(Request::Edit(Edit::Contact {
            interaction: interaction.to_owned(),
            contact,
        }));
        Ok(())
    }

    /// Every open interaction with a saved contact shows its new record.
    fn show_saved_contact(&mut self, contact: crate::store::Contact) {
        // What the store now holds: the tidied record, made known.
        let saved = crate::store::Contact {
            known: true,
            ..contact.tidied()
        };
        let mut changed = Vec::new();
        for open in &mut self.interactions {
            if open.contact.as_ref().is_some_and(|c| c.id == saved.id) {
                open.row.contact_name = saved.display_name.clone();
                open.contact = Some(saved.clone());
                changed.push(open.row.id.clone());
            }
        }
        // Plugins' views may show the contact's name or history.
        for id in changed {
            self.records_changed(&id, switchboard_sdk::records::CONTACT);
        }
    }
}
