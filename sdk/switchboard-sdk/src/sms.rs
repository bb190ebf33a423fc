//! SMS segmentation, shared by every SMS-like channel.
//!
//! Follows 3GPP TS 23.038 / 23.040 as Twilio's open-source segment calculator applies them
//! (our counts match it; see `tests/twilio_vectors.tsv`):
//! - a message is GSM-7 if every user-perceived character is in the GSM 03.38 basic set or its
//!   extension table (extension characters cost two septets: escape + code); otherwise the whole
//!   message is UCS-2 (UTF-16 code units);
//! - one SMS carries 140 octets: 160 septets or 70 UCS-2 units. A concatenated message spends
//!   6 octets of each part on the user data header: 153 septets or 67 units per part;
//! - a part never ends inside an escape pair, a surrogate pair or a grapheme cluster: the whole
//!   character moves to the next part.

use std::fmt;

use unicode_segmentation::UnicodeSegmentation;

/// Bits in one SMS payload (140 octets).
const PAYLOAD_BITS: usize = 1120;
/// Bits the concatenation header takes from each part (6 octets).
const HEADER_BITS: usize = 48;

/// The character encoding of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// GSM 03.38 7-bit default alphabet (with its extension table).
    Gsm7,
    /// UCS-2 (UTF-16 code units).
    Ucs2,
}

impl Encoding {
    /// The name agents and providers use ("GSM-7", "UCS-2").
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Gsm7 => "GSM-7",
            Encoding::Ucs2 => "UCS-2",
        }
    }

    /// Units (septets or code units) one part holds: alone, or within a concatenated message.
    pub fn units_per_part(self, concatenated: bool) -> usize {
        match (self, concatenated) {
            (Encoding::Gsm7, false) => 160,
            (Encoding::Gsm7, true) => 153,
            (Encoding::Ucs2, false) => 70,
            (Encoding::Ucs2, true) => 67,
        }
    }

    fn bits_per_unit(self) -> usize {
        match self {
            Encoding::Gsm7 => 7,
            Encoding::Ucs2 => 16,
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A message split into the parts a gateway sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segmentation {
    /// Encoding of the whole message.
    pub encoding: Encoding,
    /// The parts, in order; their concatenation is the original text. Never empty.
    pub parts: Vec<String>,
    /// Units the text takes: septets (GSM-7) or UTF-16 code units (UCS-2).
    pub units: usize,
}

impl Segmentation {
    /// Number of SMS the message costs.
    pub fn part_count(&self) -> usize {
        self.parts.len()
    }

    /// Units available in the parts used so far (160, 306, 459... or 70, 134, 201...).
    pub fn capacity(&self) -> usize {
        let count = self.part_count();
        if count <= 1 {
            self.encoding.units_per_part(false)
        } else {
            count * self.encoding.units_per_part(true)
        }
    }

    /// The composer counter: "2 SMS · 187/306 · GSM-7".
    pub fn counter_text(&self) -> String {
        format!(
            "{} SMS · {}/{} · {}",
            self.part_count(),
            self.units,
            self.capacity(),
            self.encoding
        )
    }
}

/// Septets a character takes in GSM-7, or `None` if GSM-7 cannot encode it.
pub fn gsm7_septets(c: char) -> Option<usize> {
    const BASIC_NON_ASCII: &str = "¡£¤¥§¿ÄÅÆÇÉÑÖØÜßàäåæèéìñòöøùüΓΔΘΛΞΠΣΦΨΩ";
    const EXTENSION: &str = "\u{0C}[\\]^{|}~€";
    match c {
        '\n' | '\r' | ' '..='#' | '%'..='?' | 'A'..='Z' | '_' | 'a'..='z' => Some(1),
        '$' | '@' => Some(1),
        _ if EXTENSION.contains(c) => Some(2),
        _ if BASIC_NON_ASCII.contains(c) => Some(1),
        _ => None,
    }
}

/// Splits text into user-perceived characters the way carriers count them (a CR LF pair
/// counts as two characters).
fn characters(text: &str) -> impl Iterator<Item = &str> {
    text.graphemes(true).flat_map(|g| {
        let split = if g == "\r\n" { 1 } else { g.len() };
        [&g[..split], &g[split..]]
            .into_iter()
            .filter(|s| !s.is_empty())
    })
}

/// Units one character takes in `encoding`.
fn units_of(character: &str, encoding: Encoding) -> usize {
    match encoding {
        Encoding::Gsm7 => character.chars().filter_map(gsm7_septets).sum(),
        Encoding::Ucs2 => character.encode_utf16().count(),
    }
}

/// Whether one character keeps the message in GSM-7: a single code point in the GSM tables.
fn is_gsm7_character(character: &str) -> bool {
    let mut chars = character.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if gsm7_septets(c).is_some())
}

/// The first character that keeps `text` out of GSM-7 (and so makes it UCS-2: 70 characters a
/// part instead of 160), if any.
pub fn first_non_gsm7(text: &str) -> Option<&str> {
    characters(text).find(|c| !is_gsm7_character(c))
}

/// The GSM-7 character that can stand in for `character` without changing what a reader
/// understands (typographic quotes, dashes, ellipsis, special spaces), if there is one.
pub fn gsm7_stand_in(character: &str) -> Option<&'static str> {
    Some(match character {
        "\u{2018}" | "\u{2019}" | "\u{201A}" | "\u{201B}" | "\u{2032}" | "\u{00B4}" | "`" => "'",
        "\u{201C}" | "\u{201D}" | "\u{201E}" | "\u{201F}" | "\u{2033}" | "\u{00AB}"
        | "\u{00BB}" => "\"",
        "\u{2026}" => "...",
        "\u{2013}" | "\u{2014}" | "\u{2012}" | "\u{2212}" => "-",
        "\u{00A0}" | "\u{202F}" | "\u{2007}" | "\u{2009}" | "\u{200A}" => " ",
        "\u{2022}" => "-",
        _ => return None,
    })
}

/// `text` with every character that has a GSM-7 stand-in replaced by it; what has none stays.
pub fn with_gsm7_stand_ins(text: &str) -> String {
    characters(text)
        .map(|c| gsm7_stand_in(c).unwrap_or(c))
        .collect()
}

/// The encoding a message needs.
pub fn encoding_of(text: &str) -> Encoding {
    if characters(text).all(is_gsm7_character) {
        Encoding::Gsm7
    } else {
        Encoding::Ucs2
    }
}

/// Splits `text` into SMS parts.
pub fn segment(text: &str) -> Segmentation {
    let encoding = encoding_of(text);
    let bits_per_unit = encoding.bits_per_unit();
    let characters: Vec<(&str, usize)> = characters(text)
        .map(|c| (c, units_of(c, encoding)))
        .collect();
    let units: usize = characters.iter().map(|(_, u)| u).sum();
    if units * bits_per_unit <= PAYLOAD_BITS {
        return Segmentation {
            encoding,
            parts: vec![text.to_owned()],
            units,
        };
    }
    // Concatenated: every part carries the header. Fill each part greedily; a character that
    // does not fit whole starts the next part.
    let capacity = PAYLOAD_BITS - HEADER_BITS;
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut used = 0;
    for (character, char_units) in characters {
        let bits = char_units * bits_per_unit;
        if used + bits > capacity {
            parts.push(std::mem::take(&mut current));
            used = 0;
        }
        current.push_str(character);
        used += bits;
    }
    parts.push(current);
    Segmentation {
        encoding,
        parts,
        units,
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_character_that_forces_ucs2_is_found_and_replaced_where_it_can_be() {
        let text = "It\u{2019}s here \u{2026} see you";
        assert_eq!(encoding_of(text), Encoding::Ucs2);
        assert_eq!(first_non_gsm7(text), Some("\u{2019}"));
        let replaced = with_gsm7_stand_ins(text);
        assert_eq!(replaced, "It's here ... see you");
        assert_eq!(encoding_of(&replaced), Encoding::Gsm7);
        assert_eq!(segment(&replaced).capacity(), 160);
        // An emoji has no stand-in: it stays, and the message stays UCS-2.
        assert_eq!(gsm7_stand_in("\u{1F600}"), None);
        assert_eq!(with_gsm7_stand_ins("Merci \u{1F600}"), "Merci \u{1F600}");
        assert_eq!(first_non_gsm7("Plain text"), None);
    }

    use super::*;

    fn gsm(n: usize) -> String {
        "a".repeat(n)
    }

    #[test]
    fn exact_gsm7_boundaries() {
        assert_eq!(segment(&gsm(160)).part_count(), 1);
        assert_eq!(segment(&gsm(161)).part_count(), 2);
        assert_eq!(segment(&gsm(306)).part_count(), 2);
        assert_eq!(segment(&gsm(307)).part_count(), 3);
        assert_eq!(segment(&gsm(153 * 3)).part_count(), 3);
        assert_eq!(segment(&gsm(153 * 3 + 1)).part_count(), 4);
        let two = segment(&gsm(200));
        assert_eq!(two.parts[0].len(), 153);
        assert_eq!(two.parts[1].len(), 47);
    }

    #[test]
    fn exact_ucs2_boundaries() {
        let z = |n: usize| "ж".repeat(n);
        assert_eq!(segment(&z(70)).part_count(), 1);
        assert_eq!(segment(&z(71)).part_count(), 2);
        assert_eq!(segment(&z(134)).part_count(), 2);
        assert_eq!(segment(&z(135)).part_count(), 3);
        assert_eq!(segment(&z(67 * 3)).part_count(), 3);
        assert_eq!(segment(&z(67 * 3 + 1)).part_count(), 4);
    }

    #[test]
    fn extension_table_counts_two_septets() {
        let s = segment(&format!("{}€", gsm(158)));
        assert_eq!(
            (s.encoding, s.units, s.part_count()),
            (Encoding::Gsm7, 160, 1)
        );
        let s = segment(&format!("{}€", gsm(159)));
        assert_eq!((s.units, s.part_count()), (161, 2));
        assert_eq!(segment("{}[]~^|\\").units, 16);
    }

    #[test]
    fn escape_pair_never_split() {
        // 152 septets then '{' (2 septets): the pair would straddle 153; it moves whole.
        let s = segment(&format!("{}{{{}", gsm(152), "b".repeat(10)));
        assert_eq!(s.part_count(), 2);
        assert_eq!(s.parts[0], gsm(152));
        assert!(s.parts[1].starts_with('{'));
    }

    #[test]
    fn one_emoji_switches_whole_message_to_ucs2() {
        let s = segment(&format!("{}😀", gsm(69)));
        assert_eq!(s.encoding, Encoding::Ucs2);
        assert_eq!((s.units, s.part_count()), (71, 2));
        assert_eq!(segment(&gsm(70)).encoding, Encoding::Gsm7);
    }

    #[test]
    fn surrogate_pair_at_boundary_moves_whole() {
        // 66 units then a surrogate pair: 68 > 67, so the emoji starts part two.
        let text = format!("{}😀{}", "ж".repeat(66), "ж".repeat(10));
        let s = segment(&text);
        assert_eq!(s.part_count(), 2);
        assert_eq!(s.parts[0], "ж".repeat(66));
        assert!(s.parts[1].starts_with('😀'));
        assert_eq!(s.parts.concat(), text);
    }

    #[test]
    fn grapheme_clusters_stay_whole() {
        let family = "👨‍👩‍👧‍👦";
        let text = format!("{}{}{}", gsm(66), family, "b".repeat(20));
        let s = segment(&text);
        assert!(s.parts.iter().any(|p| p.contains(family)));
        assert_eq!(s.parts.concat(), text);
    }

    #[test]
    fn counter_text_reads_like_the_spec() {
        assert_eq!(segment(&gsm(187)).counter_text(), "2 SMS · 187/306 · GSM-7");
        assert_eq!(segment("").counter_text(), "1 SMS · 0/160 · GSM-7");
    }
}
