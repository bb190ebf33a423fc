//! User-visible text through Project Fluent, English and French.

use fluent_bundle::{FluentArgs, FluentResource, FluentValue, concurrent::FluentBundle};
use unic_langid::LanguageIdentifier;

const ENGLISH: &str = include_str!("../../../assets/i18n/en.ftl");
const FRENCH: &str = include_str!("../../../assets/i18n/fr.ftl");

/// The UI language: the same languages the spell checker has dictionaries for.
pub use switchboard_spell::Language;

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

/// Translates message ids into text in one language.
pub struct Translator {
    bundle: FluentBundle<FluentResource>,
    language: Language,
}

impl Translator {
    /// A translator for `language`.
    pub fn new(language: Language) -> Self {
        let (tag, source) = match language {
            Language::English => ("en", ENGLISH),
            Language::French => ("fr", FRENCH),
        };
        let id: LanguageIdentifier = tag.parse().unwrap_or_default();
        let mut bundle = FluentBundle::new_concurrent(vec![id]);
        bundle.set_use_isolating(false);
        let resource = match FluentResource::try_new(source.to_owned()) {
            Ok(resource) => resource,
            Err((resource, errors)) => {
                tracing::warn!("translation file {tag}: {} syntax error(s)", errors.len());
                resource
            }
        };
        if let Err(errors) = bundle.add_resource(resource) {
            tracing::warn!("translation file {tag}: {} duplicate id(s)", errors.len());
        }
        Self { bundle, language }
    }

    /// The language.
    pub fn language(&self) -> Language {
        self.language
    }

    /// Whether a message id exists.
    pub fn has(&self, id: &str) -> bool {
        self.bundle.has_message(id)
    }

    /// The text of a message without arguments; the id itself when missing.
    pub fn tr(&self, id: &str) -> String {
        self.format(id, None)
    }

    /// The text of a message with named arguments. An argument written in digits only is a
    /// number to Fluent, so counts choose their plural form (`[one]`, `*[other]`).
    pub fn tr_args(&self, id: &str, args: &[(&str, &str)]) -> String {
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            let number = (!value.is_empty()
                && value.len() <= 15
                && value.bytes().all(|b| b.is_ascii_digit()))
            .then(|| value.parse::<i64>().ok())
            .flatten();
            match number {
                Some(number) => fluent_args.set(*name, FluentValue::from(number)),
                None => fluent_args.set(*name, FluentValue::from(*value)),
            }
        }
        self.format(id, Some(&fluent_args))
    }

    fn format(&self, id: &str, args: Option<&FluentArgs<'_>>) -> String {
        let Some(pattern) = self.bundle.get_message(id).and_then(|m| m.value()) else {
            tracing::debug!("missing translation {id}");
            return id.to_owned();
        };
        let mut errors = Vec::new();
        self.bundle
            .format_pattern(pattern, args, &mut errors)
            .into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_and_french_have_the_same_ids() {
        let ids = |source: &str| -> Vec<String> {
            let mut ids: Vec<String> = source
                .lines()
                .filter_map(|l| l.split_once(" = ").map(|(id, _)| id.trim().to_owned()))
                .collect();
            ids.sort();
            ids
        };
        assert_eq!(ids(ENGLISH), ids(FRENCH));
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
