//! How people's numbers read on screen: the store keeps E.164 (`+33612345678`); agents read
//! `+33 6 12 34 56 78`, grouped the way the number's country writes it. A messaging-app
//! address (`app:+447700900123`) reads as its number (the channel's tag says which app).
//! Names and anything that is not a number are shown as they are.

use std::{
    collections::HashMap,
    sync::{Mutex, OnceLock},
};

/// Formatted numbers remembered at most (drawing asks every frame).
const REMEMBERED: usize = 2_048;

/// `text` as people read it: a phone number formatted internationally, anything else as is.
pub fn shown(text: &str) -> String {
    let number = match text.split_once(':') {
        Some((scheme, number))
            if !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_lowercase()) =>
        {
            number
        }
        _ => text,
    };
    if !looks_like_e164(number) {
        return text.to_owned();
    }
    static CACHE: OnceLock<Mutex<HashMap<String, String>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Mutex::default);
    let mut cache = cache.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(formatted) = cache.get(number) {
        return formatted.clone();
    }
    let formatted = phonenumber::parse(None, number)
        .ok()
        // A valid number, or one long enough to be real in a range the metadata does not know
        // yet (new or fictional ranges): a short test number is left as written.
        .filter(|parsed| {
            phonenumber::is_valid(parsed)
                || (phonenumber::is_viable(number) && parsed.national().to_string().len() >= 9)
        })
        .map(|parsed| {
            parsed
                .format()
                .mode(phonenumber::Mode::International)
                .to_string()
        })
        .unwrap_or_else(|| number.to_owned());
    if cache.len() >= REMEMBERED {
        cache.clear();
    }
    cache.insert(number.to_owned(), formatted.clone());
    formatted
}

/// `+` then 7 to 15 digits.
fn looks_like_e164(text: &str) -> bool {
    text.strip_prefix('+').is_some_and(|digits| {
        (7..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_grouped_and_names_stay_as_they_are() {
        assert_eq!(shown("+33612345678"), "+33 6 12 34 56 78");
        assert_eq!(shown("+447700900123"), "+44 7700 900123");
        assert_eq!(
            shown("+15550100"),
            "+15550100",
            "too short to be real: left alone"
        );
        assert_eq!(shown("app:+33612345678"), "+33 6 12 34 56 78");
        assert_eq!(shown("Camille Martin"), "Camille Martin");
        assert_eq!(shown("agent:marc"), "agent:marc");
        assert_eq!(shown("+33 6 12 34 56 78"), "+33 6 12 34 56 78");
    }
}
