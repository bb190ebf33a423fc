//! A channel's own words in the agent's language, from Fluent sources it ships (one per
//! language, English first), and the checks that keep those sources complete.
//!
//! Plain Rust on both sides of the ABI: a plugin formats its view model's text with [`Words`]
//! in the language the host gives ([`crate::Host::language`], [`crate::Event::LanguageChanged`]),
//! and hands its sources to the host ([`crate::Channel::TRANSLATIONS`]) so the shell can draw
//! the plugin's stored system lines ([`crate::Host::store_translated_line`]) in each reader's
//! language. The shell's own bundles use the same types.

use std::{collections::BTreeSet, sync::Arc};

use fluent_bundle::{FluentArgs, FluentResource, FluentValue, concurrent::FluentBundle};
use fluent_syntax::ast;

use abi_stable::std_types::RResult;

use crate::{
    event::KeyValue,
    host::{HostBox, LogLevel, SystemLine},
    message::TranscriptEntry,
};

/// The language tag of English, the language every channel ships and falls back to.
pub const ENGLISH: &str = crate::host::FALLBACK_LANGUAGE;

/// The language tag of French.
pub const FRENCH: &str = "fr";

/// The languages the shell speaks, in the order its menus list them.
pub const LANGUAGES: [&str; 2] = [ENGLISH, FRENCH];

/// Fluent sources parsed into one bundle per language.
pub struct Translations {
    bundles: Vec<(String, FluentBundle<FluentResource>)>,
    sources: Vec<(String, String)>,
}

impl std::fmt::Debug for Translations {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Translations")
            .field("languages", &self.languages().collect::<Vec<_>>())
            .finish()
    }
}

impl Translations {
    /// Bundles from `(language tag, Fluent source)` pairs, English first. Several sources of
    /// one language make one bundle (a channel's own words and those of a library it shares
    /// with other channels). A source with syntax errors keeps the messages that parse
    /// ([`Translations::problems`] names the others).
    pub fn new(sources: &[(&str, &str)]) -> Self {
        let mut owned: Vec<(String, String)> = Vec::new();
        for (language, source) in sources {
            match owned.iter_mut().find(|(tag, _)| tag == language) {
                Some((_, merged)) => {
                    merged.push('\n');
                    merged.push_str(source);
                }
                None => owned.push(((*language).to_owned(), (*source).to_owned())),
            }
        }
        let bundles = owned
            .iter()
            .map(|(language, source)| (language.clone(), bundle(language, source)))
            .collect();
        Self {
            bundles,
            sources: owned,
        }
    }

    /// The language tags, in the order given.
    pub fn languages(&self) -> impl Iterator<Item = &str> {
        self.bundles.iter().map(|(language, _)| language.as_str())
    }

    /// The sources, one per language, to hand to the host.
    pub fn sources(&self) -> &[(String, String)] {
        &self.sources
    }

    /// Whether `language` has message `id`.
    pub fn has(&self, language: &str, id: &str) -> bool {
        self.bundle_of(language)
            .is_some_and(|bundle| bundle.has_message(id))
    }

    /// Message `id` in `language` with named arguments; in the first language when `language`
    /// lacks it; the id itself when no language has it. An argument written in digits only is
    /// a number, so counts choose their plural form (`[one]`, `*[other]`).
    pub fn text(&self, language: &str, id: &str, args: &[(&str, &str)]) -> String {
        let chosen = self
            .bundle_of(language)
            .filter(|bundle| bundle.has_message(id))
            .or_else(|| self.bundles.first().map(|(_, bundle)| bundle));
        let Some(pattern) = chosen
            .and_then(|bundle| bundle.get_message(id))
            .and_then(|message| message.value())
        else {
            return id.to_owned();
        };
        let Some(bundle) = chosen else {
            return id.to_owned();
        };
        let mut errors = Vec::new();
        let arguments = (!args.is_empty()).then(|| fluent_args(args));
        bundle
            .format_pattern(pattern, arguments.as_ref(), &mut errors)
            .into_owned()
    }

    /// Everything wrong with the sources, one line each; empty when they are complete: a
    /// syntax error, a message missing in a language or taking other arguments there, a message
    /// that fails to render or leaves a placeholder (every count rendered at 1 and at 2, so
    /// each plural form is), and in French a colon, semicolon, question or exclamation mark
    /// without the no-break space before it.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let parsed: Vec<(&str, Vec<MessageShape>)> = self
            .sources
            .iter()
            .map(|(language, source)| {
                (language.as_str(), messages(language, source, &mut problems))
            })
            .collect();
        let Some((first_language, first)) = parsed.first() else {
            return vec!["no language at all".to_owned()];
        };
        for (language, theirs) in &parsed[1..] {
            compare_messages(first_language, first, language, theirs, &mut problems);
        }
        for (language, messages) in &parsed {
            for (id, variables) in messages {
                self.check_rendering(language, id, variables, &mut problems);
            }
        }
        // Counts render twice (1 and 2): a problem of both renderings is said once.
        problems.dedup();
        problems
    }

    fn check_rendering(
        &self,
        language: &str,
        id: &str,
        variables: &[String],
        problems: &mut Vec<String>,
    ) {
        let Some(bundle) = self.bundle_of(language) else {
            return;
        };
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            problems.push(format!("{language} {id}: no value"));
            return;
        };
        for number in ["1", "2"] {
            let args: Vec<(&str, &str)> = variables
                .iter()
                .map(|v| (v.as_str(), if v == "count" { number } else { "Sample" }))
                .collect();
            let mut errors = Vec::new();
            let text = bundle
                .format_pattern(pattern, Some(&fluent_args(&args)), &mut errors)
                .into_owned();
            if !errors.is_empty() {
                problems.push(format!("{language} {id}: {errors:?}"));
            } else if text.contains('{') || text.contains('$') || text.trim().is_empty() {
                problems.push(format!("{language} {id} leaves a placeholder: {text}"));
            }
            if language == FRENCH
                && let Some(mark) = mark_without_no_break_space(&text)
            {
                problems.push(format!(
                    "fr {id}: “{mark}” needs a no-break space before it: {text}"
                ));
            }
        }
    }

    fn bundle_of(&self, language: &str) -> Option<&FluentBundle<FluentResource>> {
        self.bundles
            .iter()
            .find(|(tag, _)| tag == language)
            .map(|(_, bundle)| bundle)
    }
}

/// A message id with the variables it uses, sorted.
type MessageShape = (String, Vec<String>);

/// A channel's words in the language the agent reads now.
#[derive(Debug, Clone)]
pub struct Words {
    translations: Arc<Translations>,
    language: String,
}

impl Words {
    /// The words of `translations` in `language` (English when it has no such language).
    pub fn new(translations: Arc<Translations>, language: &str) -> Self {
        let mut words = Self {
            translations,
            language: ENGLISH.to_owned(),
        };
        words.set_language(language);
        words
    }

    /// Words from sources given at compile time (`Channel::TRANSLATIONS`).
    pub fn from_sources(sources: &[(&str, &str)], language: &str) -> Self {
        Self::new(Arc::new(Translations::new(sources)), language)
    }

    /// The language tag in use.
    pub fn language(&self) -> &str {
        &self.language
    }

    /// Switches language; an unknown tag keeps the first language of the sources.
    pub fn set_language(&mut self, language: &str) {
        let known = self.translations.languages().any(|tag| tag == language);
        self.language = if known {
            language.to_owned()
        } else {
            self.translations
                .languages()
                .next()
                .unwrap_or(ENGLISH)
                .to_owned()
        };
    }

    /// Message `id` without arguments.
    pub fn tr(&self, id: &str) -> String {
        self.translations.text(&self.language, id, &[])
    }

    /// Message `id` with named arguments (digits only make a number, for plural forms).
    pub fn tr_args(&self, id: &str, args: &[(&str, &str)]) -> String {
        self.translations.text(&self.language, id, args)
    }

    /// Stores system line `id` with its arguments in an interaction, through
    /// [`crate::Host::store_translated_line`]; a refusal is logged and the entry is `None`.
    pub fn store_line(
        &self,
        host: &impl AsRef<HostBox>,
        interaction: &str,
        id: &str,
        args: &[(&str, &str)],
    ) -> Option<TranscriptEntry> {
        let host = host.as_ref();
        match host.store_translated_line(interaction.into(), self.line(id, args)) {
            RResult::ROk(entry) => Some(entry),
            RResult::RErr(e) => {
                host.log(
                    LogLevel::Warn,
                    format!("cannot store system line {id}: {e}")
                        .as_str()
                        .into(),
                );
                None
            }
        }
    }

    /// A system line for [`crate::Host::store_translated_line`]: its message id and arguments,
    /// and its text in the current language for hosts that store text only.
    pub fn line(&self, id: &str, args: &[(&str, &str)]) -> SystemLine {
        SystemLine {
            id: id.into(),
            args: args
                .iter()
                .map(|(key, value)| KeyValue {
                    key: (*key).into(),
                    value: (*value).into(),
                })
                .collect(),
            text: self.tr_args(id, args).into(),
        }
    }
}

/// Named arguments for Fluent. One written in digits only is a number, so counts choose their
/// plural form (`[one]`, `*[other]`).
pub fn fluent_args<'a>(args: &[(&'a str, &'a str)]) -> FluentArgs<'a> {
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

fn bundle(language: &str, source: &str) -> FluentBundle<FluentResource> {
    let id = language.parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    bundle.set_use_isolating(false);
    let resource = match FluentResource::try_new(source.to_owned()) {
        Ok(resource) => resource,
        Err((resource, _)) => resource,
    };
    // Duplicates keep the first definition; `problems` reports them.
    let _ = bundle.add_resource(resource);
    bundle
}

/// Each message of a source with the variables it uses, sorted; syntax errors and duplicates
/// go to `problems`.
fn messages(language: &str, source: &str, problems: &mut Vec<String>) -> Vec<MessageShape> {
    let resource = match FluentResource::try_new(source.to_owned()) {
        Ok(resource) => resource,
        Err((resource, errors)) => {
            for error in errors {
                problems.push(format!("{language}: syntax error {error:?}"));
            }
            resource
        }
    };
    let mut seen = BTreeSet::new();
    let mut found = Vec::new();
    for entry in resource.entries() {
        let ast::Entry::Message(message) = entry else {
            continue;
        };
        let id = message.id.name.to_owned();
        if !seen.insert(id.clone()) {
            problems.push(format!("{language} {id}: defined twice"));
            continue;
        }
        let mut variables = BTreeSet::new();
        if let Some(pattern) = &message.value {
            pattern_variables(pattern, &mut variables);
        }
        found.push((id, variables.into_iter().collect()));
    }
    found
}

fn compare_messages(
    first_language: &str,
    first: &[MessageShape],
    language: &str,
    theirs: &[MessageShape],
    problems: &mut Vec<String>,
) {
    for (id, variables) in first {
        match theirs.iter().find(|(their_id, _)| their_id == id) {
            None => problems.push(format!("{language} has no {id}")),
            Some((_, their_variables)) if their_variables != variables => problems.push(format!(
                "{id} takes {their_variables:?} in {language} but {variables:?} in {first_language}"
            )),
            Some(_) => {}
        }
    }
    for (id, _) in theirs {
        if !first.iter().any(|(first_id, _)| first_id == id) {
            problems.push(format!("{language} has {id}, which {first_language} lacks"));
        }
    }
}

fn pattern_variables(pattern: &ast::Pattern<&str>, into: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_variables(expression, into);
        }
    }
}

fn expression_variables(expression: &ast::Expression<&str>, into: &mut BTreeSet<String>) {
    match expression {
        ast::Expression::Select { selector, variants } => {
            inline_variables(selector, into);
            for variant in variants {
                pattern_variables(&variant.value, into);
            }
        }
        ast::Expression::Inline(inline) => inline_variables(inline, into),
    }
}

fn inline_variables(inline: &ast::InlineExpression<&str>, into: &mut BTreeSet<String>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            into.insert(id.name.to_owned());
        }
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for positional in &arguments.positional {
                inline_variables(positional, into);
            }
            for named in &arguments.named {
                inline_variables(&named.value, into);
            }
        }
        ast::InlineExpression::Placeable { expression } => expression_variables(expression, into),
        _ => {}
    }
}

/// The first `:`, `;`, `?` or `!` ending a clause without a no-break space before it.
fn mark_without_no_break_space(text: &str) -> Option<char> {
    let chars: Vec<char> = text.chars().collect();
    chars.iter().enumerate().find_map(|(at, &c)| {
        if !matches!(c, ':' | ';' | '?' | '!') {
            return None;
        }
        let ends_a_clause = chars.get(at + 1).is_none_or(|after| after.is_whitespace());
        let before = at.checked_sub(1).map(|i| chars[i]);
        (ends_a_clause && !matches!(before, Some('\u{00A0}' | '\u{202F}'))).then_some(c)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const EN: &str = "greeting = Hello { $name }\nparts = { $count ->\n    [one] One part\n   *[other] { $count } parts\n}\n";
    const FR: &str = "greeting = Bonjour { $name }\nparts = { $count ->\n    [one] Une partie\n   *[other] { $count } parties\n}\n";

    #[test]
    fn formats_in_the_language_and_falls_back_to_the_first() {
        let translations = Arc::new(Translations::new(&[
            ("en", EN),
            ("fr", "greeting = Bonjour { $name }\n"),
        ]));
        let words = Words::new(translations.clone(), "fr");
        assert_eq!(words.tr_args("greeting", &[("name", "Ada")]), "Bonjour Ada");
        assert_eq!(words.tr_args("parts", &[("count", "1")]), "One part");
        assert_eq!(words.tr("missing"), "missing");
        let unknown = Words::new(translations, "de");
        assert_eq!(unknown.language(), "en");
    }

    #[test]
    fn counts_choose_their_plural_form() {
        let words = Words::from_sources(&[("en", EN), ("fr", FR)], "fr");
        assert_eq!(words.tr_args("parts", &[("count", "1")]), "Une partie");
        assert_eq!(words.tr_args("parts", &[("count", "3")]), "3 parties");
    }

    #[test]
    fn complete_sources_have_no_problems() {
        assert_eq!(
            Translations::new(&[("en", EN), ("fr", FR)]).problems(),
            Vec::<String>::new()
        );
    }

    #[test]
    fn names_a_missing_message_other_arguments_and_french_typography() {
        let problems = Translations::new(&[
            ("en", "a = A { $x }\nb = B\nc = C:\n"),
            ("fr", "a = A { $y }\nc = C :\nd = D\n"),
        ])
        .problems();
        let joined = problems.join("\n");
        assert!(joined.contains("fr has no b"), "{joined}");
        assert!(joined.contains("a takes"), "{joined}");
        assert!(joined.contains("fr has d"), "{joined}");
        assert!(joined.contains("fr c"), "{joined}");
    }

    #[test]
    fn sources_of_one_language_make_one_bundle() {
        let words = Words::from_sources(
            &[
                ("en", "a = A\n"),
                ("fr", "a = À\n"),
                ("en", "b = B\n"),
                ("fr", "b = Bé\n"),
            ],
            "fr",
        );
        assert_eq!(words.tr("b"), "Bé");
        assert_eq!(words.tr("a"), "À");
    }

    #[test]
    fn a_line_carries_its_id_arguments_and_text() {
        let words = Words::from_sources(&[("en", EN), ("fr", FR)], "en");
        let line = words.line("greeting", &[("name", "Grace")]);
        assert_eq!(line.id, "greeting");
        assert_eq!(line.args[0].value, "Grace");
        assert_eq!(line.text, "Hello Grace");
    }
}
