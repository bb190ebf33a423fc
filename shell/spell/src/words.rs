//! Which parts of a message are words to check: letters (and apostrophes inside words), not
//! numbers, links, e-mail addresses, `#keywords` or all-capital acronyms.

use std::ops::Range;

fn is_word_char(c: char) -> bool {
    c.is_alphabetic() || c == '\'' || c == '’' || c == '-'
}

/// Whitespace-separated tokens that are not words to check.
fn is_skipped_token(token: &str) -> bool {
    token.contains("://")
        || token.contains('@')
        || token.starts_with('#')
        || token.starts_with("www.")
        || token.chars().any(|c| c.is_ascii_digit())
}

/// Byte ranges of the words of `text` that should be spell-checked.
pub fn checkable_words(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut ranges = Vec::new();
    let mut offset = 0;
    for token in text.split_inclusive(char::is_whitespace) {
        let start = offset;
        offset += token.len();
        let token = token.trim_end();
        if is_skipped_token(token) {
            continue;
        }
        let mut word_start = None;
        for (i, c) in token
            .char_indices()
            .chain(std::iter::once((token.len(), ' ')))
        {
            match (word_start, is_word_char(c)) {
                (None, true) => word_start = Some(i),
                (Some(s), false) => {
                    let word = token[s..i].trim_matches(|c: char| !c.is_alphabetic());
                    let lead = token[s..i].find(word).unwrap_or(0);
                    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
                    let acronym = word.chars().all(|c| !c.is_lowercase());
                    if letters > 1 && !acronym {
                        ranges.push(start + s + lead..start + s + lead + word.len());
                    }
                    word_start = None;
                }
                _ => {}
            }
        }
    }
    ranges.into_iter()
}

/// The checkable word containing (or just before) byte `at`.
pub fn word_at(text: &str, at: usize) -> Option<Range<usize>> {
    checkable_words(text).find(|r| r.start <= at && at <= r.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        checkable_words(text).map(|r| &text[r]).collect()
    }

    #[test]
    fn skips_what_is_not_prose() {
        assert_eq!(
            words(
                "Call +33 6 12, see https://x.example/a or mail a@b.c about #greet, SMS, order 48213!"
            ),
            ["Call", "see", "or", "mail", "about", "order"]
        );
    }

    #[test]
    fn keeps_apostrophes_and_accents_inside_words() {
        assert_eq!(
            words("n'est-ce pas arrivée ?"),
            ["n'est-ce", "pas", "arrivée"]
        );
        assert_eq!(words("«Bonjour», dit-il."), ["Bonjour", "dit-il"]);
    }

    #[test]
    fn word_at_finds_the_word_under_the_cursor() {
        let text = "hello wrold again";
        assert_eq!(word_at(text, 8).map(|r| &text[r]), Some("wrold"));
        assert_eq!(word_at(text, 11).map(|r| &text[r]), Some("wrold"));
    }
}
