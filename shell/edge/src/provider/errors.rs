//! A provider's error codes as reasons an agent can read and act on. Unknown codes keep the
//! provider's own words with the code.

/// The reason an agent reads for error `code`, or `None` for a code not listed here.
pub fn readable(code: u32) -> Option<&'static str> {
    Some(match code {
        21211 => "the number is not a valid phone number",
        21408 => "sending to this country is not enabled on the account",
        21610 => "the contact has unsubscribed (replied STOP); they must opt in again",
        21612 => "the provider cannot route a message between these two numbers",
        21614 => "the number is not a mobile number",
        30003 => "the phone is unreachable (off or out of coverage)",
        30004 => "the message was blocked by the contact's network or settings",
        30005 => "the number is unknown or no longer exists",
        30006 => "the number is a landline or cannot receive SMS",
        30007 => "the carrier filtered the message as spam",
        30008 => "the carrier could not deliver it (unknown error)",
        63016 => "outside the 24-hour window: only an approved template can be sent",
        _ => return None,
    })
}

/// A delivery failure's reason: readable when the code is known, else the provider's words.
pub fn failure_reason(code: Option<u32>, provider_words: &str) -> String {
    match code {
        Some(code) => match readable(code) {
            Some(reason) => format!("{reason} (error {code})"),
            None if provider_words.is_empty() => format!("the provider refused it (error {code})"),
            None => format!("{provider_words} (error {code})"),
        },
        None if provider_words.is_empty() => "the provider refused it".to_owned(),
        None => provider_words.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_codes_read_as_sentences_and_unknown_ones_keep_the_providers_words() {
        assert_eq!(
            failure_reason(Some(21211), "Invalid 'To' Phone Number"),
            "the number is not a valid phone number (error 21211)"
        );
        assert_eq!(
            failure_reason(Some(99999), "Something odd"),
            "Something odd (error 99999)"
        );
        assert_eq!(failure_reason(None, ""), "the provider refused it");
    }
}
