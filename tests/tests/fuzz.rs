//! Property fuzzing, with a fixed budget per run, of the code that reads what comes from
//! outside: the SMS webhook's forms, links in message text and links an agent pushes, SMS
//! segmentation, and the media checks. Each property says what must hold for any input, not
//! only that nothing panics. A failing case is shrunk and printed by the test runner.

use std::collections::HashMap;

use proptest::prelude::*;
use switchboard_core::{
    links::{self, Segment},
    media::{self, ImageFormat, MediaLimits, THUMBNAIL_SIDE},
};
use switchboard_edge::form::{
    self, MAX_BODY_BYTES, MAX_CONTENT_TYPE_BYTES, MAX_MEDIA_ITEMS, MAX_MEDIA_URL_BYTES,
};
use switchboard_sdk::sms::{Encoding, gsm7_septets, segment};

fn budget(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Values a hostile or sloppy provider might put in a field.
fn field_value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[+0-9 ().-]{0,40}",
        "(chat|im|agent|queue|whatsapp|viber|CHAT|Im):[+0-9A-Za-z]{0,24}",
        "[A-Za-z0-9_-]{0,80}",
        "(http|https|file|ftp)://[a-z0-9.:@\\[\\]/%-]{0,60}",
        any::<String>(),
        "\\PC{0,300}",
        (0usize..12).prop_map(|n| n.to_string()),
        (1usize..3000, "[ +0-9a]").prop_map(|(n, c)| c.repeat(n)),
        (1usize..3000, "[ .()-]").prop_map(|(n, c)| format!("+1{}5", c.repeat(n))),
    ]
}

fn field_name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("From".to_owned()),
        Just("To".to_owned()),
        Just("Body".to_owned()),
        Just("MessageSid".to_owned()),
        Just("SmsSid".to_owned()),
        Just("NumMedia".to_owned()),
        Just("MessageStatus".to_owned()),
        Just("ErrorCode".to_owned()),
        (0usize..12).prop_map(|i| format!("MediaUrl{i}")),
        (0usize..12).prop_map(|i| format!("MediaContentType{i}")),
        "[A-Za-z0-9]{1,12}",
    ]
}

fn webhook_form() -> impl Strategy<Value = HashMap<String, String>> {
    proptest::collection::hash_map(field_name(), field_value(), 0..16)
}

/// What an accepted inbound form must satisfy.
fn accepted_inbound_is_bounded(form: &HashMap<String, String>) -> Result<(), TestCaseError> {
    let Ok(sms) = form::inbound_sms(form) else {
        return Ok(());
    };
    prop_assert!(!sms.from.is_empty());
    prop_assert!(
        sms.from.chars().count() <= 64,
        "From {} chars",
        sms.from.len()
    );
    prop_assert!(sms.to.chars().count() <= 64, "To {} chars", sms.to.len());
    for address in [&sms.from, &sms.to] {
        let kind = address
            .split_once(':')
            .map(|(kind, _)| kind.to_ascii_lowercase());
        prop_assert!(
            !matches!(kind.as_deref(), Some("chat" | "im" | "agent" | "queue")),
            "an internal address kind passed: {address}"
        );
    }
    prop_assert!(sms.body.len() <= MAX_BODY_BYTES);
    prop_assert!(
        !sms.body
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')),
        "a control character reached the body"
    );
    prop_assert!(sms.message_sid.as_ref().is_none_or(|sid| sid.len() <= 64));
    prop_assert!(sms.media.len() <= MAX_MEDIA_ITEMS);
    for item in &sms.media {
        prop_assert!(item.url.len() <= MAX_MEDIA_URL_BYTES);
        prop_assert!(item.content_type.len() <= MAX_CONTENT_TYPE_BYTES);
    }
    prop_assert!(
        !sms.media.is_empty() || sms.body.chars().any(|c| !c.is_whitespace()),
        "an empty message was accepted"
    );
    Ok(())
}

proptest! {
    #![proptest_config(budget(768))]

    #[test]
    fn webhook_forms_are_accepted_only_within_their_bounds(form in webhook_form()) {
        accepted_inbound_is_bounded(&form)?;
        if let Ok((sid, _status)) = form::status_report(&form) {
            prop_assert!(sid.len() <= 64);
        }
        if let Err(refusal) = form::inbound_sms(&form) {
            prop_assert!(refusal.reason.len() <= 200, "an unbounded reason: {}", refusal.reason.len());
        }
    }

    #[test]
    fn raw_webhook_bodies_never_take_the_parser_down(body in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let form: HashMap<String, String> = url::form_urlencoded::parse(&body).into_owned().collect();
        accepted_inbound_is_bounded(&form)?;
        let _ = form::status_report(&form);
    }

    #[test]
    fn links_in_message_text_are_http_and_hide_nothing(text in prop_oneof![
        any::<String>(),
        "(see |)(https?://|www\\.|)[a-z0-9\u{430}-\u{44f}.@:/?#%-]{0,40}[\u{200b}\u{202e}\u{2066} ]?[a-z./]{0,20}",
        "\\PC{0,200}",
    ]) {
        for piece in links::segments(&text) {
            match piece {
                // A joiner may stay inside an emoji sequence (tested on its own in `links`).
                Segment::Text(text) => prop_assert!(
                    !text
                        .chars()
                        .any(|c| c != '\u{200D}' && links::invisible_name(c).is_some()),
                    "an invisible character left in plain text"
                ),
                Segment::Link { shown, target, .. } => {
                    let url = url::Url::parse(&target);
                    prop_assert!(url.is_ok(), "link target does not parse: {target}");
                    let url = url.unwrap_or_else(|_| unreachable!());
                    prop_assert!(matches!(url.scheme(), "http" | "https"), "{target}");
                    prop_assert!(!shown.chars().any(|c| links::invisible_name(c).is_some()));
                    prop_assert!(shown.chars().count() <= links::SHOWN_URL_CHARS + 1);
                }
                Segment::Phone { target, .. } => prop_assert!(target.starts_with("tel:")),
                Segment::Email { target, .. } => prop_assert!(target.starts_with("mailto:")),
                Segment::Invisible { shown, .. } => prop_assert!(shown.starts_with("[U+")),
            }
        }
    }

    #[test]
    fn a_pushed_link_is_a_plain_http_address(candidate in prop_oneof![
        any::<String>(),
        "(https?|javascript|file|data|ftp):(//)?([a-z]{1,5}(:[a-z]{0,4})?@)?[a-z0-9\u{430}-\u{44f}.-]{0,30}(:[0-9]{1,6})?(/[a-z0-9%?#=&.\u{202e}-]{0,30})?",
    ]) {
        if let Ok(pushed) = links::pushable(&candidate) {
            let url = url::Url::parse(&pushed);
            prop_assert!(url.is_ok(), "{pushed}");
            let url = url.unwrap_or_else(|_| unreachable!());
            prop_assert!(matches!(url.scheme(), "http" | "https"), "{pushed}");
            prop_assert!(url.username().is_empty() && url.password().is_none(), "{pushed}");
            prop_assert!(url.host_str().is_some_and(|h| !h.is_empty()), "{pushed}");
            prop_assert!(pushed.chars().count() <= links::MAX_PUSHED_URL_CHARS);
            prop_assert!(!pushed.chars().any(|c| c.is_control() || links::invisible_name(c).is_some()));
        }
    }

    #[test]
    fn sms_parts_rejoin_to_the_text_and_each_fits_one_sms(text in prop_oneof![
        "[ -~\n]{0,500}",
        "[a-zA-Z0-9 €\\[\\]{}^~|\\\\]{0,400}",
        "[a-z éàç€😀👍🏽\u{301}\r\n]{0,300}",
        any::<String>(),
    ]) {
        let split = segment(&text);
        prop_assert!(!split.parts.is_empty());
        prop_assert_eq!(split.parts.concat(), text.clone());
        let gsm = text.chars().all(|c| gsm7_septets(c).is_some());
        prop_assert_eq!(split.encoding == Encoding::Gsm7, gsm, "encoding of {:?}", text);
        let units = |part: &str| match split.encoding {
            Encoding::Gsm7 => part.chars().filter_map(gsm7_septets).sum::<usize>(),
            _ => part.encode_utf16().count(),
        };
        let (single, multi) = match split.encoding {
            Encoding::Gsm7 => (160, 153),
            _ => (70, 67),
        };
        let limit = if split.parts.len() == 1 { single } else { multi };
        for part in &split.parts {
            prop_assert!(units(part) <= limit, "a part of {} units over {limit}", units(part));
        }
        prop_assert_eq!(split.parts.iter().map(|p| units(p)).sum::<usize>(), split.units);
    }
}

/// Small pictures in every format the checks read, to mutate.
fn sample_images() -> Vec<Vec<u8>> {
    [ImageFormat::Jpeg, ImageFormat::Png, ImageFormat::Gif]
        .into_iter()
        .map(|format| media::samples::picture(48, 32, format))
        .collect()
}

proptest! {
    #![proptest_config(budget(160))]

    #[test]
    fn media_checks_survive_any_bytes_and_bound_what_they_accept(
        which in 0usize..4,
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..8),
        cut in proptest::option::of(any::<prop::sample::Index>()),
        noise in proptest::collection::vec(any::<u8>(), 0..512),
    ) {
        let mut bytes = match sample_images().into_iter().nth(which) {
            Some(image) => image,
            None => noise,
        };
        if !bytes.is_empty() {
            for (at, value) in flips {
                let at = at.index(bytes.len());
                bytes[at] = value;
            }
            if let Some(cut) = cut {
                bytes.truncate(cut.index(bytes.len()));
            }
        }
        let limits = MediaLimits::default();
        if let Ok(thumbnail) = media::thumbnail(&bytes, "image/jpeg", limits) {
            prop_assert!(thumbnail.width <= THUMBNAIL_SIDE && thumbnail.height <= THUMBNAIL_SIDE);
            let decoded = media::decode_thumbnail(&thumbnail.png);
            prop_assert!(decoded.is_ok(), "a thumbnail the shell cannot read back");
        }
    }
}
