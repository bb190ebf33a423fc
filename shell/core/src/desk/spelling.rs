//! Spell checking as the desk offers it: the draft checked in the interaction's language, the
//! agent's personal dictionary, and the role's "warn before sending misspelled text".

use std::ops::Range;

use switchboard_spell::{Language, SpellChecker};

use super::{Desk, DeskError, OpenInteraction};

impl Desk {
    /// The spell checker (dictionaries load in the background at start).
    pub fn spell(&self) -> &SpellChecker {
        &self.spell
    }

    /// The dictionary language of an interaction (its case data, the contact's, or the UI's).
    pub fn spell_language(&self, interaction: &str) -> Language {
        match self.interaction(interaction) {
            Some(open) => self.spell_language_of(open),
            None => Language::from_tag(&self.ui_language),
        }
    }

    /// The dictionary language of an open interaction: the agent's choice, else the language
    /// the desk answers it in. Plugins' spell checks use it too, so a count agrees with the
    /// underlines.
    pub(super) fn spell_language_of(&self, open: &OpenInteraction) -> Language {
        match open.spell_language.as_deref() {
            Some(chosen) => Language::from_tag(chosen),
            None => Language::from_tag(&self.language_of_open(open)),
        }
    }

    /// The agent checks this conversation's spelling in `language` from now on.
    pub fn set_spell_language(&mut self, interaction: &str, language: Language) {
        if let Some(open) = self.interaction_mut(interaction) {
            open.spell_language = Some(language.tag().to_owned());
        }
        self.composer_changed(interaction);
    }

    /// Byte ranges of the misspelled words in an interaction's draft. The contact's and the
    /// agent's names are never misspelled.
    pub fn misspelled_in_draft(&self, interaction: &str) -> Vec<Range<usize>> {
        let Some(open) = self.interaction(interaction) else {
            return Vec::new();
        };
        let is_a_name = |word: &str| {
            let names = [
                open.row.contact_name.as_str(),
                self.agent.as_ref().map_or("", |a| a.display_name.as_str()),
            ];
            names
                .iter()
                .flat_map(|n| n.split(|c: char| !c.is_alphanumeric() && c != '\''))
                .any(|name| name.eq_ignore_ascii_case(word))
        };
        self.spell
            .misspelled(self.spell_language(interaction), &open.draft)
            .into_iter()
            .filter(|range| !is_a_name(&open.draft[range.clone()]))
            .collect()
    }

    /// Whether Send must first ask "Send anyway?": the role asks for it and the draft has
    /// misspelled words.
    pub fn send_needs_confirmation(&self, interaction: &str) -> bool {
        let warn = self
            .agent
            .as_ref()
            .is_some_and(|a| a.role.spell_check_warning);
        warn && !self.misspelled_in_draft(interaction).is_empty()
    }

    /// Adds a word to the signed-in agent's personal dictionary, for the language the
    /// interaction is checked in (stored, and effective now).
    pub fn add_to_dictionary(&mut self, interaction: &str, word: &str) -> Result<(), DeskError> {
        let agent = self.agent_id()?;
        let language = self.spell_language(interaction);
        self.services
            .store
            .add_personal_word(&agent, language.tag(), word)?;
        self.spell.add_personal_word(Some(language), word);
        Ok(())
    }

    /// Loads the signed-in agent's personal dictionary into the checker.
    pub(super) fn load_personal_words(&self) {
        let Some(agent) = &self.agent else {
            return;
        };
        match self.services.store.personal_words(&agent.id) {
            Ok(words) => self.spell.set_personal_words(words.into_iter().map(|w| {
                let language = (!w.language.is_empty()).then(|| Language::from_tag(&w.language));
                (language, w.word)
            })),
            Err(e) => tracing::warn!("personal dictionary not loaded: {e}"),
        }
    }
}
