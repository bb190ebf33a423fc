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

/// Named arguments for Fluent. One written in digits only is a number, so counts choose their
/// plural form (`[one]`, `*[other]`).
fn fluent_args<'a>(args: &[(&'a str, &'a str)]) -> FluentArgs<'a> {
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        let number =
            (!value.is_empty() && value.len() <= 15 && value.bytes().all(|b| b.is_ascii_digit()))
                .then(|| value.parse::<i64>().ok())
                .flatten();
        match number {
            Some(number) => fluent_args.set(*name, FluentValue::from(number)),
            None => fluent_args.set(*name, FluentValue::from(*value)),
        }
    }
    fluent_args
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
        self.format(id, Some(&fluent_args(args)))
    }

    /// The text with the errors Fluent met (an unknown variable, a missing message).
    #[cfg(test)]
    fn format_checked(&self, id: &str, args: &[(&str, &str)]) -> Result<String, String> {
        let pattern = self
            .bundle
            .get_message(id)
            .and_then(|m| m.value())
            .ok_or_else(|| format!("no message {id}"))?;
        let mut errors = Vec::new();
        let text = self
            .bundle
            .format_pattern(pattern, Some(&fluent_args(args)), &mut errors)
            .into_owned();
        if errors.is_empty() {
            Ok(text)
        } else {
            Err(format!("{errors:?}"))
        }
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

    /// Each message of a Fluent source, with the variables it uses, in order of first use.
    fn messages(source: &str) -> Vec<(String, Vec<String>)> {
        let mut messages: Vec<(String, Vec<String>)> = Vec::new();
        for line in source.lines() {
            if line.starts_with('#') {
                continue;
            }
            let text = match line.split_once(" = ") {
                Some((id, text)) if line.starts_with(|c: char| c.is_ascii_lowercase()) => {
                    messages.push((id.trim().to_owned(), Vec::new()));
                    text
                }
                _ => line,
            };
            let Some((_, variables)) = messages.last_mut() else {
                continue;
            };
            for (at, _) in text.match_indices('$') {
                let name: String = text[at + 1..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                    .collect();
                if !name.is_empty() && !variables.contains(&name) {
                    variables.push(name);
                }
            }
        }
        messages
    }

    #[test]
    fn every_message_renders_in_both_languages_with_the_same_arguments() {
        let english = messages(ENGLISH);
        let french: std::collections::HashMap<String, Vec<String>> =
            messages(FRENCH).into_iter().collect();
        for (id, variables) in &english {
            let mut theirs = french.get(id).cloned().unwrap_or_default();
            let mut ours = variables.clone();
            theirs.sort();
            ours.sort();
            assert_eq!(ours, theirs, "{id} takes other arguments in French");
        }
        for (language, source) in [(Language::English, ENGLISH), (Language::French, FRENCH)] {
            let translator = Translator::new(language);
            for (id, variables) in messages(source) {
                // Every count at 1 and at 2, so each plural form is rendered.
                for number in ["1", "2"] {
                    let args: Vec<(&str, &str)> = variables
                        .iter()
                        .map(|v| (v.as_str(), if v == "count" { number } else { "Sample" }))
                        .collect();
                    let text = translator
                        .format_checked(&id, &args)
                        .unwrap_or_else(|e| panic!("{language:?} {id}: {e}"));
                    assert!(
                        !text.contains('{') && !text.contains('$') && !text.trim().is_empty(),
                        "{language:?} {id} leaves a placeholder: {text}"
                    );
                }
            }
        }
    }

    #[test]
    fn french_puts_a_no_break_space_before_colons_and_question_marks() {
        for (id, _) in messages(FRENCH) {
            let text = Translator::new(Language::French).tr(&id);
            let chars: Vec<char> = text.chars().collect();
            for (at, c) in chars.iter().enumerate() {
                if !matches!(c, ':' | ';' | '?' | '!') {
                    continue;
                }
                let before = at.checked_sub(1).map(|i| chars[i]);
                let after = chars.get(at + 1);
                let ends_a_clause = after.is_none_or(|a| a.is_whitespace());
                if !ends_a_clause {
                    continue;
                }
                assert!(
                    matches!(before, Some('\u{00A0}' | '\u{202F}')),
                    "fr {id}: “{c}” needs a no-break space before it: {text}"
                );
            }
        }
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
