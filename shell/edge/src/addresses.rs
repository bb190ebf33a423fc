//! What the SMS webhook accepts as a sender or recipient and as a provider id: phone numbers
//! (at most 15 digits once spaces, dashes, dots and brackets are dropped, 32 characters as
//! written) and messaging-app
//! addresses `scheme:number` (`viber:+44…`, a third party's `my-channel:+33…`: a scheme is a
//! media type, see `switchboard_seam::inbound::is_app_scheme`); never the platform's own address kinds
//! (`chat:`, `im:`, `agent:`, queues, skills…), which only the platform makes; provider ids of
//! at most 64 letters, digits, `-` and `_`.

/// Most digits in a phone number (E.164).
pub const MAX_PHONE_DIGITS: usize = 15;

/// Longest number as written, separators included.
pub const MAX_NUMBER_CHARS: usize = 32;

/// Longest provider message id.
pub const MAX_PROVIDER_ID: usize = 64;

/// Address kinds the platform makes itself and a provider never sends.
const INTERNAL_KINDS: &[&str] = &[
    "chat",
    "im",
    "agent",
    "queue",
    "skill",
    "group",
    "routing-point",
    "contact",
];

/// Why an address or id is refused.
pub fn check_address(field: &str, address: &str) -> Result<(), String> {
    let (scheme, number) = match address.split_once(':') {
        Some((scheme, number)) => (Some(scheme), number),
        None => (None, address),
    };
    if let Some(scheme) = scheme {
        if INTERNAL_KINDS.contains(&scheme.to_ascii_lowercase().as_str()) {
            return Err(format!(
                "{field}: {scheme}: addresses are the platform's own and are not accepted here"
            ));
        }
        if !switchboard_seam::inbound::is_app_scheme(scheme) {
            return Err(format!(
                "{field}: {:?} is not a messaging-app scheme",
                truncated(scheme)
            ));
        }
    }
    check_phone(field, number)
}

fn check_phone(field: &str, number: &str) -> Result<(), String> {
    if number.chars().count() > MAX_NUMBER_CHARS {
        return Err(format!(
            "{field}: a phone number is at most {MAX_NUMBER_CHARS} characters"
        ));
    }
    let mut digits = 0;
    for (i, c) in number.chars().enumerate() {
        match c {
            '0'..='9' => digits += 1,
            '+' if i == 0 => {}
            ' ' | '-' | '.' | '(' | ')' => {}
            _ => {
                return Err(format!(
                    "{field}: {:?} is not a phone number",
                    truncated(number)
                ));
            }
        }
        if digits > MAX_PHONE_DIGITS {
            return Err(format!(
                "{field}: a phone number has at most {MAX_PHONE_DIGITS} digits"
            ));
        }
    }
    if digits == 0 {
        return Err(format!("{field}: {:?} has no digits", truncated(number)));
    }
    Ok(())
}

/// Why a provider message id is refused.
pub fn check_provider_id(field: &str, id: &str) -> Result<(), String> {
    if id.len() > MAX_PROVIDER_ID
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(format!(
            "{field}: at most {MAX_PROVIDER_ID} letters, digits, - and _"
        ));
    }
    Ok(())
}

/// The start of a refused value, for the answer (never the whole of it).
pub(crate) fn truncated(text: &str) -> String {
    text.chars().take(32).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_and_messaging_app_addresses_pass() {
        for address in [
            "+33612345678",
            "+1 (415) 555-0142",
            "06.12.34.56.78",
            "viber:+447700900123",
            "signal:+447700900123",
            // A third party's channel, named as its media type.
            "my-channel:+33612345678",
        ] {
            assert_eq!(check_address("From", address), Ok(()), "{address}");
        }
    }

    #[test]
    fn internal_kinds_long_numbers_and_text_are_refused() {
        for address in [
            "chat:CH17959770606218815",
            "im:marc",
            "agent:marc",
            "AGENT:marc",
            "queue:q-billing",
            "+1234567890123456",
            "hello",
            "",
            "+",
            "vi ber:+4477",
            "signal:hello",
            "-channel:+4477",
            "9app:+4477",
            "a-very-long-scheme-name-indeed:+4477",
        ] {
            assert!(check_address("From", address).is_err(), "{address}");
        }
        let huge = format!("+{}", "1".repeat(1_000_000));
        let refused = check_address("From", &huge).expect_err("refused");
        assert!(
            refused.len() < 200,
            "the answer stays short: {}",
            refused.len()
        );
    }

    #[test]
    fn provider_ids_are_short_and_plain() {
        assert_eq!(check_provider_id("MessageSid", "SM0123abc_-"), Ok(()));
        assert!(check_provider_id("MessageSid", &"S".repeat(65)).is_err());
        assert!(check_provider_id("MessageSid", "SM1<script>").is_err());
    }
}
