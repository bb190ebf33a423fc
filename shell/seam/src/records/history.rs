//! A contact's history as the History panel lists it, and what a history search means (the
//! same in every store): whole words matched case- and accent-blind, the word being typed as a
//! prefix, an excerpt around the first match.

use switchboard_sdk::Timestamp;

/// One past or open interaction of a contact.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct HistoryItem {
    /// Interaction id.
    pub interaction: String,
    /// Media type.
    pub media_type: String,
    /// When it was created.
    #[serde(with = "super::serde_forms::timestamp")]
    pub created: Timestamp,
    /// `queued`, `offered`, `accepted`, `closed`.
    pub state: String,
    /// Disposition code chosen.
    pub disposition: Option<String>,
    /// The agent's note.
    pub note: Option<String>,
    /// Number of messages.
    pub messages: usize,
    /// A matching excerpt when searching, else the first message.
    pub excerpt: String,
}

/// Lowercases and strips the accents of Latin letters, as the index's tokenizer does.
pub fn fold(word: &str) -> String {
    word.chars()
        .flat_map(|c| c.to_lowercase())
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ý' | 'ÿ' => 'y',
            other => other,
        })
        .collect()
}

/// The words of a text: runs of letters and digits.
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// What the agent typed, split into whole words (matched by the index) and the word still
/// being typed (matched as a prefix), if the text does not end with a space.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryQuery {
    whole: Vec<String>,
    prefix: Option<String>,
}

impl HistoryQuery {
    /// The query in `text`, or `None` when it has no word (the whole history is listed).
    pub fn parse(text: &str) -> Option<Self> {
        let mut whole: Vec<String> = words(text).map(fold).collect();
        let prefix = if text.ends_with(char::is_whitespace) {
            None
        } else {
            whole.pop()
        };
        (!whole.is_empty() || prefix.is_some()).then_some(Self { whole, prefix })
    }

    /// The whole words, folded.
    pub fn whole(&self) -> &[String] {
        &self.whole
    }

    /// The word still being typed, folded, if any.
    pub fn prefix(&self) -> Option<&str> {
        self.prefix.as_deref()
    }

    /// Whether a text has a word starting with the word being typed (or none is).
    pub fn matches_prefix(&self, body: &str) -> bool {
        self.prefix
            .as_ref()
            .is_none_or(|prefix| words(body).any(|w| fold(w).starts_with(prefix.as_str())))
    }

    /// A few words around the first match, matches in [brackets].
    pub fn excerpt(&self, body: &str) -> String {
        let hit = |w: &str| {
            let folded = fold(w);
            self.whole.contains(&folded)
                || self
                    .prefix
                    .as_ref()
                    .is_some_and(|p| folded.starts_with(p.as_str()))
        };
        let all: Vec<&str> = body.split_whitespace().collect();
        let first = all
            .iter()
            .position(|w| hit(w.trim_matches(|c: char| !c.is_alphanumeric())))
            .unwrap_or(0);
        let from = first.saturating_sub(4);
        let mut out: Vec<String> = all
            .iter()
            .skip(from)
            .take(12)
            .map(|w| {
                let core = w.trim_matches(|c: char| !c.is_alphanumeric());
                if core.is_empty() || !hit(core) {
                    return (*w).to_owned();
                }
                let start = w.find(core).unwrap_or(0);
                let end = start + core.len();
                format!("{}[{core}]{}", &w[..start], &w[end..])
            })
            .collect();
        if from > 0 {
            out.insert(0, "…".into());
        }
        if from + 12 < all.len() {
            out.push("…".into());
        }
        out.join(" ")
    }
}
