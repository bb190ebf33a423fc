//! The language a customer writes in, guessed from their messages when neither the case data
//! nor the contact record says: it picks the spell-check dictionary and the standard
//! responses. Only the languages the shell has dictionaries for are candidates, and only a
//! reliable guess on enough text counts.

use whatlang::{Detector, Lang};

/// Fewest letters worth guessing from: a greeting alone says little.
const MIN_LETTERS: usize = 12;

/// Most text read for a guess.
const MAX_CHARS: usize = 1_000;

/// The tag (`en`, `fr`) of the language `texts` are written in, when the guess is reliable.
pub fn detect<'a>(texts: impl IntoIterator<Item = &'a str>) -> Option<&'static str> {
    let mut sample = String::new();
    for text in texts {
        if sample.len() >= MAX_CHARS {
            break;
        }
        sample.push_str(text);
        sample.push('\n');
    }
    let sample: String = sample.chars().take(MAX_CHARS).collect();
    if sample.chars().filter(|c| c.is_alphabetic()).count() < MIN_LETTERS {
        return None;
    }
    let detector = Detector::with_allowlist(vec![Lang::Eng, Lang::Fra]);
    let info = detector.detect(&sample)?;
    if !info.is_reliable() && info.confidence() < 0.5 {
        return None;
    }
    match info.lang() {
        Lang::Fra => Some("fr"),
        Lang::Eng => Some("en"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_and_english_customers_are_told_apart() {
        assert_eq!(
            detect(["Bonjour, je n'ai toujours pas reçu ma commande, pouvez-vous vérifier ?"]),
            Some("fr")
        );
        assert_eq!(
            detect(["Hello, my parcel has still not arrived, could you check where it is?"]),
            Some("en")
        );
        assert_eq!(detect(["ok"]), None, "too little to tell");
        assert_eq!(detect(Vec::<&str>::new()), None);
    }
}
