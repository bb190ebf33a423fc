//! User-visible text through Project Fluent, English and French.

use std::{
    borrow::Cow,
    collections::HashMap,
    sync::{Arc, OnceLock},
};

use switchboard_sdk::{TranscriptEntry, Translations};
use switchboard_seam::records::LineRef;

const ENGLISH: &str = include_str!("../../../assets/i18n/en.ftl");
const FRENCH: &str = include_str!("../../../assets/i18n/fr.ftl");

/// The UI language: the same languages the spell checker has dictionaries for.
pub use switchboard_spell::Language;

/// The message id naming a language in menus and forms (`language-french`), from its tag.
pub fn language_name_id(language: Language) -> &'static str {
    match language {
        Language::English => "language-english",
        Language::French => "language-french",
    }
}

/// The configured language, or the system locale's; English when neither is French.
pub fn choose_language(configured: Option<&str>) -> Language {
    match configured {
        Some(tag) => Language::from_tag(tag),
        None => Language::from_tag(&sys_locale::get_locale().unwrap_or_default()),
    }
}

/// The language to answer a contact in: the interaction's `language` case data, else the
/// contact's, else `fallback`; lower-case.
pub fn answer_language(
    case_data: &[switchboard_sdk::KeyValue],
    contact: Option<&crate::store::Contact>,
    fallback: &str,
) -> String {
    case_data
        .iter()
        .find(|kv| kv.key == "language")
        .map(|kv| kv.value.to_string())
        .or_else(|| contact.and_then(|c| c.language.clone()))
        .filter(|l| !l.trim().is_empty())
        .unwrap_or_else(|| fallback.to_owned())
        .to_lowercase()
}

/// The shell's own messages in every language, parsed once per process.
pub fn shell_translations() -> Arc<Translations> {
    static SHELL: OnceLock<Arc<Translations>> = OnceLock::new();
    SHELL
        .get_or_init(|| Arc::new(Translations::new(&[("en", ENGLISH), ("fr", FRENCH)])))
        .clone()
}

/// The bundle name under which the shell's own stored lines refer to its messages.
pub const SHELL_BUNDLE: &str = "shell";

/// Translates message ids into text in one language: the shell's, and each plugin's for the
/// system lines it stored.
pub struct Translator {
    shell: Arc<Translations>,
    plugins: HashMap<String, Arc<Translations>>,
    language: Language,
}

impl Translator {
    /// A translator for `language`.
    pub fn new(language: Language) -> Self {
        Self {
            shell: shell_translations(),
            plugins: HashMap::new(),
            language,
        }
    }

    /// The language.
    pub fn language(&self) -> Language {
        self.language
    }

    /// Adds (or replaces) a plugin's translations, for the system lines it stores.
    pub fn add_plugin(&mut self, plugin: &str, translations: Arc<Translations>) {
        self.plugins.insert(plugin.to_owned(), translations);
    }

    /// How many plugins' translations it holds.
    pub fn plugin_count(&self) -> usize {
        self.plugins.len()
    }

    /// Whether a message id exists.
    pub fn has(&self, id: &str) -> bool {
        self.shell.has(self.language.tag(), id)
    }

    /// The text of a message without arguments; the id itself when missing.
    pub fn tr(&self, id: &str) -> String {
        self.shell.text(self.language.tag(), id, &[])
    }

    /// The text of a message with named arguments. An argument written in digits only is a
    /// number to Fluent, so counts choose their plural form (`[one]`, `*[other]`).
    pub fn tr_args(&self, id: &str, args: &[(&str, &str)]) -> String {
        self.shell.text(self.language.tag(), id, args)
    }

    /// A stored system line in this language: drawn from its message id when it was stored
    /// as one and its bundle is known, else its stored text.
    pub fn system_line<'a>(&self, entry: &'a TranscriptEntry) -> Cow<'a, str> {
        let Some(line) = LineRef::parse(&entry.author_key) else {
            return Cow::Borrowed(entry.text.as_str());
        };
        let translations = if line.bundle == SHELL_BUNDLE {
            Some(&self.shell)
        } else {
            self.plugins.get(&line.bundle)
        };
        match translations {
            Some(translations) if translations.has(self.language.tag(), &line.id) => {
                let args: Vec<(&str, &str)> = line
                    .args
                    .iter()
                    .map(|(key, value)| (key.as_str(), value.as_str()))
                    .collect();
                Cow::Owned(translations.text(self.language.tag(), &line.id, &args))
            }
            _ => Cow::Borrowed(entry.text.as_str()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_renders_in_both_languages_with_the_same_arguments() {
        // Same ids, same arguments, no placeholder left at counts 1 and 2, French no-break
        // spaces before : ; ? !
        assert_eq!(shell_translations().problems(), Vec::<String>::new());
    }

    #[test]
    fn counts_choose_their_plural_form_in_each_language() {
        let english = Translator::new(Language::English);
        assert!(
            english
                .tr_args("sign-out-guard-body", &[("count", "1")])
                .starts_with("One interaction")
        );
        assert!(
            english
                .tr_args("sign-out-guard-body", &[("count", "3")])
                .starts_with("3 interactions")
        );
        let french = Translator::new(Language::French);
        assert!(
            french
                .tr_args("sign-out-guard-body", &[("count", "1")])
                .starts_with("Une interaction")
        );
        assert!(
            french
                .tr_args("sign-out-guard-body", &[("count", "2")])
                .starts_with("2 interactions")
        );
    }

    #[test]
    fn formats_arguments_in_each_language() {
        let en = Translator::new(Language::English);
        let fr = Translator::new(Language::French);
        assert_eq!(
            en.tr_args("offer-from", &[("contact", "Camille")]),
            "From Camille"
        );
        assert_eq!(
            fr.tr_args("offer-from", &[("contact", "Camille")]),
            "De Camille"
        );
        assert_eq!(fr.tr("offer-accept"), "Accepter");
        assert_eq!(en.tr("no-such-id"), "no-such-id");
        assert_eq!(Language::from_tag("fr_FR.UTF-8"), Language::French);
    }
}
