//! Standard responses: a categorised library, search, `#keyword` shortcuts and field
//! substitution. A field without a value stays visible as `«field»` so the agent fills it in.

use std::collections::HashMap;

use serde::Deserialize;

const LIBRARY: &str = include_str!("../../../assets/responses/library.toml");

/// One standard response.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Response {
    /// Name shown in the library.
    pub name: String,
    /// Shortcut keyword (typed as `#keyword`).
    #[serde(default)]
    pub keyword: Option<String>,
    /// Language of the text (`en`, `fr`).
    pub language: String,
    /// Text with `{field}` codes.
    pub text: String,
}

/// A category of responses.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Category {
    /// Category name.
    pub name: String,
    /// Its responses.
    #[serde(default, rename = "response")]
    pub responses: Vec<Response>,
}

/// The library.
#[derive(Debug, Clone, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct Library {
    /// Categories, in order.
    #[serde(default, rename = "category")]
    pub categories: Vec<Category>,
}

/// Values of the fields of one interaction (`contact.first_name` → `Camille`).
pub type Fields = HashMap<String, String>;

impl Library {
    /// The shipped library.
    pub fn embedded() -> Self {
        match toml::from_str(LIBRARY) {
            Ok(library) => library,
            Err(e) => {
                tracing::error!("assets/responses/library.toml is invalid: {e}");
                Self::default()
            }
        }
    }

    /// Responses whose name, text or keyword contain every word of `query` (case-insensitive),
    /// with those in `language` first. An empty query returns everything.
    pub fn search(&self, query: &str, language: &str) -> Vec<(&Category, &Response)> {
        let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
        let matches = |r: &Response| {
            let haystack = format!(
                "{} {} {}",
                r.name,
                r.text,
                r.keyword.as_deref().unwrap_or("")
            )
            .to_lowercase();
            words.iter().all(|w| haystack.contains(w.as_str()))
        };
        let mut found = Vec::new();
        for category in &self.categories {
            let mut in_category: Vec<&Response> =
                category.responses.iter().filter(|r| matches(r)).collect();
            // Within a category, the interaction's language first.
            in_category.sort_by_key(|r| r.language != language);
            found.extend(in_category.into_iter().map(|r| (category, r)));
        }
        found
    }

    /// The response for a shortcut keyword, preferring `language`.
    pub fn by_keyword(&self, keyword: &str, language: &str) -> Option<&Response> {
        let mut matching = self
            .categories
            .iter()
            .flat_map(|c| &c.responses)
            .filter(|r| {
                r.keyword
                    .as_deref()
                    .is_some_and(|k| k.eq_ignore_ascii_case(keyword))
            });
        let first = matching.next()?;
        if first.language == language {
            return Some(first);
        }
        matching.find(|r| r.language == language).or(Some(first))
    }

    /// If `draft` ends with `#keyword` followed by a space or a tab, the draft with the
    /// keyword replaced by its filled response.
    pub fn expand_shortcut(&self, draft: &str, language: &str, fields: &Fields) -> Option<String> {
        let trimmed = draft.strip_suffix([' ', '\t'])?;
        let start = trimmed
            .rfind(|c: char| c.is_whitespace())
            .map_or(0, |i| i + 1);
        let keyword = trimmed[start..].strip_prefix('#')?;
        let response = self.by_keyword(keyword, language)?;
        let filled = fill(&response.text, fields);
        // The space (or Tab) that completed the keyword stays a space, so the next word the
        // agent types does not stick to the response ("aider ?Je").
        let separator = if filled.ends_with(char::is_whitespace) {
            ""
        } else {
            " "
        };
        Some(format!("{}{filled}{separator}", &trimmed[..start]))
    }
}

/// Replaces `{field}` codes with their values; an unknown or empty field shows as `«field»`.
pub fn fill(text: &str, fields: &Fields) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if !after[..close].contains('{') => {
                let name = after[..close].trim();
                match fields.get(name).filter(|v| !v.trim().is_empty()) {
                    Some(value) => out.push_str(value),
                    None => {
                        out.push('«');
                        out.push_str(name);
                        out.push('»');
                    }
                }
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Field values for standard responses in an interaction: the contact's names, number, e-mail
/// and custom fields (`contact.<field_code>`), the interaction id, the agent's nickname and name (`agent`), and every case-data key as
/// `case.<key>`.
pub fn interaction_fields(
    row: &crate::store::InteractionRow,
    contact: Option<&crate::store::Contact>,
    case_data: &[switchboard_sdk::KeyValue],
    agent: Option<(&str, &str)>,
) -> Fields {
    let mut fields = Fields::new();
    let name = contact.map_or(row.contact_name.clone(), |c| c.display_name.clone());
    let recorded_first = contact
        .map(|c| c.first_name.clone())
        .filter(|f| !f.is_empty());
    if let Some(first) = recorded_first.or_else(|| first_name(&name)) {
        fields.insert("contact.first_name".into(), first);
        fields.insert("contact.name".into(), name);
    }
    fields.insert("contact.phone".into(), row.contact_address.clone());
    if let Some(contact) = contact {
        if !contact.last_name.is_empty() {
            fields.insert("contact.last_name".into(), contact.last_name.clone());
        }
        if let Some(email) = contact.email() {
            fields.insert("contact.email".into(), email.to_owned());
        }
        for field in &contact.fields {
            fields.insert(
                format!("contact.{}", field_code(&field.name)),
                field.value.clone(),
            );
        }
    }
    fields.insert("interaction.id".into(), row.id.clone());
    if let Some((nickname, full_name)) = agent {
        fields.insert("agent.nickname".into(), nickname.to_owned());
        fields.insert("agent.name".into(), full_name.to_owned());
    }
    for kv in case_data {
        fields.insert(format!("case.{}", kv.key), kv.value.to_string());
    }
    fields
}

/// The code of a custom contact field in responses: `Loyalty tier` → `loyalty_tier`.
pub fn field_code(name: &str) -> String {
    name.trim()
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("_")
}

/// The first name to greet a contact by: the first word of the name, unless the "name" is
/// really a phone number or e-mail address.
pub fn first_name(display_name: &str) -> Option<String> {
    let first = display_name.split_whitespace().next()?;
    let looks_like_address =
        first.starts_with('+') || first.contains('@') || first.chars().any(|c| c.is_ascii_digit());
    (!looks_like_address).then(|| first.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> Fields {
        [
            ("contact.first_name", "Camille"),
            ("agent.nickname", "Ada"),
            ("interaction.id", "SMS-1"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
    }

    #[test]
    fn shipped_library_has_english_and_french() {
        let library = Library::embedded();
        assert!(library.categories.len() >= 3);
        assert!(
            library
                .by_keyword("greet", "fr")
                .is_some_and(|r| r.language == "fr")
        );
        assert!(
            library
                .by_keyword("greet", "en")
                .is_some_and(|r| r.language == "en")
        );
        assert!(
            library.by_keyword("greet", "de").is_some(),
            "falls back to any language"
        );
    }

    #[test]
    fn fills_fields_and_marks_missing_ones() {
        assert_eq!(
            fill(
                "Hi {contact.first_name}, order {case.order}. {agent.nickname}",
                &fields()
            ),
            "Hi Camille, order «case.order». Ada"
        );
        assert_eq!(
            fill("braces { alone } and {", &fields()),
            "braces «alone» and {"
        );
    }

    #[test]
    fn expands_a_keyword_typed_with_a_space_or_tab() {
        let library = Library::embedded();
        let expanded = library
            .expand_shortcut("Sure! #greet ", "en", &fields())
            .expect("expands");
        assert_eq!(
            expanded, "Sure! Hello Camille, this is Ada. How can I help you today? ",
            "the space that completed the keyword stays"
        );
        assert!(
            library
                .expand_shortcut("#greet\t", "fr", &fields())
                .expect("tab")
                .starts_with("Bonjour Camille")
        );
        assert!(
            library.expand_shortcut("#greet", "en", &fields()).is_none(),
            "not before the space"
        );
        assert!(
            library
                .expand_shortcut("#nothing ", "en", &fields())
                .is_none()
        );
        assert!(
            library
                .expand_shortcut("price is 5 ", "en", &fields())
                .is_none()
        );
    }

    #[test]
    fn search_matches_every_word_and_puts_the_language_first() {
        let library = Library::embedded();
        let hits = library.search("refund", "fr");
        assert_eq!(hits.len(), 2);
        assert_eq!(hits[0].1.language, "fr");
        let all = library.search("", "fr");
        let categories: Vec<&str> = all.iter().map(|(c, _)| c.name.as_str()).collect();
        let mut grouped = categories.clone();
        grouped.dedup();
        assert_eq!(
            grouped.len(),
            library.categories.len(),
            "each category shown once: {categories:?}"
        );
        assert!(
            library
                .search("order warehouse", "en")
                .iter()
                .all(|(_, r)| r.text.contains("warehouse"))
        );
        assert!(library.search("", "en").len() >= 12);
    }

    #[test]
    fn contact_records_fill_names_e_mail_and_custom_fields() {
        let row = crate::store::InteractionRow {
            id: "SMS-1".into(),
            media_type: "sms".into(),
            contact_name: "Camille Martin".into(),
            contact_address: "+33612345678".into(),
            our_address: "+15550100".into(),
            state: crate::store::InteractionState::Accepted,
            agent_id: None,
            created: switchboard_sdk::Timestamp(0),
            done: false,
            case_data: Vec::new(),
        };
        let contact = crate::store::Contact {
            display_name: "Marie-Camille de la Tour".into(),
            first_name: "Marie-Camille".into(),
            last_name: "de la Tour".into(),
            emails: vec![crate::store::ContactPoint {
                label: "home".into(),
                value: "mc@example.org".into(),
            }],
            fields: vec![crate::store::ContactField {
                name: "Loyalty tier".into(),
                value: "Gold".into(),
            }],
            ..Default::default()
        };
        let fields = interaction_fields(&row, Some(&contact), &[], None);
        assert_eq!(
            fill(
                "{contact.first_name} {contact.last_name} <{contact.email}> {contact.loyalty_tier}",
                &fields
            ),
            "Marie-Camille de la Tour <mc@example.org> Gold"
        );
    }

    #[test]
    fn first_name_skips_numbers_and_addresses() {
        assert_eq!(first_name("Camille Martin").as_deref(), Some("Camille"));
        assert_eq!(first_name("+33 6 12 34 56 78"), None);
        assert_eq!(first_name("a@b.c"), None);
    }
}
