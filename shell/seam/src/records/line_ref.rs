//! A system line stored by message id: which bundle (the shell's, or a plugin's by id), which
//! message and its arguments, written in the line's `author_key` so both stores and the wire
//! keep it without a column of its own. The line's text stays beside it, in the language of
//! the agent who caused it, for readers that do not know the bundle.

/// How a keyed line's `author_key` starts; a plain system line's is `system`.
const PREFIX: &str = "msg:";

/// The longest `author_key` a line reference may take; longer arguments are cut.
const MAX_LEN: usize = 1024;

/// A reference to a message of a bundle, with its named arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineRef {
    /// `shell`, or the plugin id whose translations hold the message.
    pub bundle: String,
    /// The message id.
    pub id: String,
    /// Named arguments, in order.
    pub args: Vec<(String, String)>,
}

impl LineRef {
    /// A reference to `id` of `bundle`.
    pub fn new(bundle: &str, id: &str, args: &[(&str, &str)]) -> Self {
        Self {
            bundle: bundle.to_owned(),
            id: id.to_owned(),
            args: args
                .iter()
                .map(|(key, value)| ((*key).to_owned(), (*value).to_owned()))
                .collect(),
        }
    }

    /// The `author_key` that stores it: `msg:<bundle>:<id>?<arguments as a form>`. Arguments
    /// too long for [`MAX_LEN`] are cut at a character boundary.
    pub fn author_key(&self) -> String {
        let mut form = form_urlencoded::Serializer::new(String::new());
        for (key, value) in &self.args {
            form.append_pair(key, value);
        }
        let mut key = format!("{PREFIX}{}:{}?{}", self.bundle, self.id, form.finish());
        if key.len() > MAX_LEN {
            let mut end = MAX_LEN;
            while !key.is_char_boundary(end) {
                end -= 1;
            }
            key.truncate(end);
        }
        key
    }

    /// The reference an `author_key` holds; `None` for any other author (a plain system
    /// line, a person), or a bundle or id that is not a plain name.
    pub fn parse(author_key: &str) -> Option<Self> {
        let rest = author_key.strip_prefix(PREFIX)?;
        let (name, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (bundle, id) = name.split_once(':')?;
        let plain = |s: &str| {
            !s.is_empty()
                && s.len() <= 100
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        };
        if !plain(bundle) || !plain(id) {
            return None;
        }
        Some(Self {
            bundle: bundle.to_owned(),
            id: id.to_owned(),
            args: form_urlencoded::parse(query.as_bytes())
                .map(|(key, value)| (key.into_owned(), value.into_owned()))
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reference_survives_its_author_key() {
        let line = LineRef::new(
            "sms-page",
            "line-transferred",
            &[("to", "Grace & Ada = 2?")],
        );
        let key = line.author_key();
        assert!(key.starts_with("msg:sms-page:line-transferred?"));
        assert_eq!(LineRef::parse(&key), Some(line));
    }

    #[test]
    fn other_authors_and_odd_names_are_not_references() {
        assert_eq!(LineRef::parse("system"), None);
        assert_eq!(LineRef::parse("agent"), None);
        assert_eq!(LineRef::parse("msg:only-bundle"), None);
        assert_eq!(LineRef::parse("msg:../x:id"), None);
        assert_eq!(LineRef::parse("msg:shell:"), None);
    }

    #[test]
    fn long_arguments_are_cut_to_the_bound() {
        let long = "é".repeat(2000);
        let key = LineRef::new("shell", "x", &[("text", &long)]).author_key();
        assert!(key.len() <= MAX_LEN);
        assert!(LineRef::parse(&key).is_some());
    }
}
