//! The agent's tools offered to plugins too (SDK 1.3): the Team Communicator's directory, spell
//! check, standard responses and callbacks, each behind its manifest service.

use switchboard_sdk::{
    HostError, HostErrorKind, Misspelling, ResponseText, Target, Timestamp,
    abi_stable::std_types::RVec, services,
};
use switchboard_spell::{Language, SpellChecker};

use super::services::{PluginHost, storage};
use crate::{
    directory::find_targets,
    i18n::answer_language,
    responses::{Library, fill, interaction_fields},
    store::Callback,
};

/// The tools the desk shares with plugins.
#[derive(Clone)]
pub struct SharedTools {
    /// The spell checker (dictionaries load in the background).
    pub spell: SpellChecker,
    /// The standard-response library.
    pub responses: Library,
}

fn unavailable() -> HostError {
    HostError::new(
        HostErrorKind::Platform,
        "the shell's tools are not ready yet",
    )
}

impl PluginHost {
    fn tools(&self) -> Result<&SharedTools, HostError> {
        self.shared.tools().ok_or_else(unavailable)
    }

    /// The interaction's language: its case data, its contact's, or English.
    fn language_of(&self, interaction: &str) -> Result<String, HostError> {
        if let Some(language) = self.shared.open_language(interaction) {
            return Ok(language);
        }
        let store = &self.shared.store;
        let case_data = store.case_data(interaction).map_err(storage)?;
        let contact = store.contact_of_interaction(interaction).map_err(storage)?;
        Ok(answer_language(&case_data, contact.as_ref(), "en"))
    }

    pub(super) fn search_directory(&self, query: &str) -> Result<RVec<Target>, HostError> {
        self.check(services::TEAM_COMMUNICATOR)?;
        let directory = self.shared.directory();
        Ok(
            find_targets(&directory, self.shared.store.as_ref(), query, &|_| false)
                .into_iter()
                .map(|t| Target {
                    kind: t.kind.name().into(),
                    id: t.id.into(),
                    name: t.name.into(),
                })
                .collect(),
        )
    }

    pub(super) fn spelling_of(
        &self,
        interaction: &str,
        text: &str,
    ) -> Result<RVec<Misspelling>, HostError> {
        self.check(services::SPELL_CHECK)?;
        self.own_interaction(interaction)?;
        let language = Language::from_tag(&self.language_of(interaction)?);
        Ok(self
            .tools()?
            .spell
            .misspelled(language, text)
            .into_iter()
            .map(|range| Misspelling {
                start: range.start as u32,
                end: range.end as u32,
            })
            .collect())
    }

    pub(super) fn responses_for(
        &self,
        interaction: &str,
        query: &str,
    ) -> Result<RVec<ResponseText>, HostError> {
        self.check(services::RESPONSES)?;
        let row = self.own_interaction(interaction)?;
        // An open interaction's contact and case data come from the desk's memory.
        let contact = self.shared.contact_of(interaction).map_err(storage)?;
        let case_data = self.shared.case_data_of(interaction).map_err(storage)?;
        let agent = self.shared.agent();
        let fields = interaction_fields(
            &row,
            contact.as_ref(),
            &case_data,
            Some((&agent.display_name, &agent.display_name)),
        );
        let language = answer_language(&case_data, contact.as_ref(), "en");
        Ok(self
            .tools()?
            .responses
            .search(query, &language)
            .into_iter()
            .map(|(category, response)| ResponseText {
                category: category.name.as_str().into(),
                name: response.name.as_str().into(),
                keyword: response.keyword.clone().unwrap_or_default().into(),
                text: fill(&response.text, &fields).into(),
            })
            .collect())
    }

    pub(super) fn callback_for(
        &self,
        interaction: &str,
        number: &str,
        due: Timestamp,
        note: &str,
    ) -> Result<i64, HostError> {
        self.check(services::CALLBACKS)?;
        let row = self.own_open_interaction(interaction)?;
        let now = self.shared.clock.now();
        if number.trim().is_empty() || due <= now {
            return Err(HostError::new(
                HostErrorKind::Invalid,
                "a callback needs a number and a time in the future",
            ));
        }
        let callback = Callback {
            id: 0,
            interaction: Some(interaction.to_owned()),
            contact_name: row.contact_name,
            number: number.trim().to_owned(),
            due,
            note: note.trim().to_owned(),
            agent: self.shared.agent().id,
            state: "scheduled".into(),
        };
        let id = self
            .shared
            .store
            .schedule_callback(&callback, now)
            .map_err(storage)?;
        self.shared.note_scheduled(Callback { id, ..callback });
        Ok(id)
    }
}
