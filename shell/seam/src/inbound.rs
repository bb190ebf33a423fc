//! What a customer's message makes of an interaction, the rule every platform follows (the
//! embedded platform and a cluster's gateway alike): a sender's messaging-app address
//! (`scheme:number`, `viber:+44…`) is a conversation of the media type the scheme names,
//! joined like a session whichever plugin handles it; a message with media is an MMS; one to
//! the session-mode number joins the sender's open session or opens one; anything else opens
//! a page-mode SMS interaction.

/// Longest messaging-app scheme (a channel's media type).
pub const MAX_SCHEME_CHARS: usize = 20;

/// Whether `scheme` can name a messaging app's media type: 2 to 20 lowercase letters, digits
/// and `-`, starting with a letter (`viber`, `signal`, a third party's `my-channel`).
pub fn is_app_scheme(scheme: &str) -> bool {
    (2..=MAX_SCHEME_CHARS).contains(&scheme.len())
        && scheme.starts_with(|c: char| c.is_ascii_lowercase())
        && scheme
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The messaging app of an address (`viber` of `viber:+44…`), if it is one.
pub fn app_of_address(address: &str) -> Option<&str> {
    let (scheme, rest) = address.split_once(':')?;
    (is_app_scheme(scheme) && !rest.trim().is_empty()).then_some(scheme)
}

/// What an inbound message makes of an interaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboundKind {
    /// The interaction's media type.
    pub media_type: String,
    /// Whether it joins the sender's open interaction of that media type (a session, a
    /// messaging-app conversation) rather than opening one.
    pub joins_open: bool,
    /// The prefix of a new interaction's id (`SMS`, `SES`, `MMS`, `VIBER`).
    pub id_prefix: String,
}

/// The kind of interaction a message from `from` opens or joins: `has_media` when it carries
/// pictures, `to_session_number` when it was sent to our session-mode number.
pub fn classify(from: &str, has_media: bool, to_session_number: bool) -> InboundKind {
    let (media_type, joins_open, id_prefix) = match app_of_address(from) {
        Some(app) => (app.to_owned(), true, app.to_uppercase()),
        None if has_media => ("mms".to_owned(), false, "MMS".to_owned()),
        None if to_session_number => ("sms-session".to_owned(), true, "SES".to_owned()),
        None => ("sms".to_owned(), false, "SMS".to_owned()),
    };
    InboundKind {
        media_type,
        joins_open,
        id_prefix,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_decides_the_media_type_and_whether_it_joins() {
        let kind = |from, media, session| {
            let k = classify(from, media, session);
            (k.media_type, k.joins_open, k.id_prefix)
        };
        assert_eq!(
            kind("+33612345678", false, false),
            ("sms".into(), false, "SMS".into())
        );
        assert_eq!(
            kind("+33612345678", false, true),
            ("sms-session".into(), true, "SES".into())
        );
        assert_eq!(
            kind("+33612345678", true, true),
            ("mms".into(), false, "MMS".into())
        );
        assert_eq!(
            kind("viber:+447700900123", true, false),
            ("viber".into(), true, "VIBER".into())
        );
        assert_eq!(kind("my-app:42", false, true).0, "my-app");
        // Not a messaging app: a bad scheme or nothing after it.
        assert_eq!(kind("Viber:+44", false, false).0, "sms");
        assert_eq!(kind("viber:", false, false).0, "sms");
        assert_eq!(
            kind(&format!("{}:1", "a".repeat(21)), false, false).0,
            "sms"
        );
    }
}
