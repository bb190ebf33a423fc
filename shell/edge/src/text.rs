//! What customers' text may carry into the store: control characters (NUL and the rest of C0
//! and C1, but line breaks and tabs) are dropped; a text of nothing but spaces and invisible
//! characters (zero-width spaces and joiners, word joiners, byte-order marks, direction marks)
//! counts as empty. The SMS webhook and the chat page apply the same rules.

/// The text with control characters removed (line breaks and tabs kept).
pub fn clean(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'))
        .collect()
}

/// Whether a text shows nothing: only white space and invisible characters.
pub fn is_blank(text: &str) -> bool {
    text.chars()
        .all(|c| c.is_whitespace() || is_invisible(c) || c.is_control())
}

fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
            | '\u{180E}'
            | '\u{00AD}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_go_and_line_breaks_stay() {
        assert_eq!(clean("a\0b\u{7}c\nd\te\u{85}f"), "abc\nd\tef");
        assert_eq!(clean("Bonjour !"), "Bonjour !");
    }

    #[test]
    fn invisible_only_text_is_blank() {
        for text in [
            "",
            "   ",
            "\u{200B}\u{200B}",
            "\u{FEFF}",
            " \u{2060}\n",
            "\0\0",
        ] {
            assert!(is_blank(text), "{text:?}");
        }
        for text in ["a", "\u{200B}a", "👍", "…"] {
            assert!(!is_blank(text), "{text:?}");
        }
    }
}
