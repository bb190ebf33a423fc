//! The URL-safety rules against spoofing tricks, one case per row.

use super::*;

fn links(text: &str) -> Vec<(String, String, Option<String>)> {
    segments(text)
        .into_iter()
        .filter_map(|s| match s {
            Segment::Link {
                shown,
                target,
                warning,
            } => Some((shown, target, warning)),
            _ => None,
        })
        .collect()
}

fn shown_text(text: &str) -> String {
    segments(text)
        .into_iter()
        .map(|s| match s {
            Segment::Text(t) => t,
            Segment::Link { shown, .. }
            | Segment::Phone { shown, .. }
            | Segment::Email { shown, .. }
            | Segment::Invisible { shown, .. } => shown,
        })
        .collect()
}

/// One spoofing case.
struct Case {
    /// What it tries.
    name: &'static str,
    /// The message as received.
    message: &'static str,
    /// What the agent sees.
    seen: &'static str,
    /// Where its link goes, if it has one.
    target: Option<&'static str>,
    /// Words the link's warning contains, if it must have one.
    warning: Option<&'static str>,
}

const SPOOFING: &[Case] = &[
    Case {
        name: "plain https link",
        message: "track it at https://shop.example/track/48213 please",
        seen: "track it at https://shop.example/track/48213 please",
        target: Some("https://shop.example/track/48213"),
        warning: None,
    },
    Case {
        name: "right-to-left override reverses a file name",
        message: "invoice https://shop.example/\u{202E}fdp.exe",
        seen: "invoice https://shop.example/[U+202E]fdp.exe",
        target: Some("https://shop.example/"),
        warning: None,
    },
    Case {
        name: "zero-width joiner inside a host",
        message: "login at https://pay\u{200D}pal.example",
        seen: "login at https://pay/[U+200D]pal.example",
        target: Some("https://pay/"),
        warning: None,
    },
    Case {
        name: "Cyrillic a in a look-alike host",
        message: "https://\u{0430}pple.example/id",
        seen: "https://xn--pple-43d.example/id",
        target: Some("https://xn--pple-43d.example/id"),
        warning: Some("may imitate another"),
    },
    Case {
        name: "mixed Latin and Greek host",
        message: "https://g\u{03BF}\u{03BF}gle.example",
        seen: "https://xn--ggle-0nda.example/",
        target: Some("https://xn--ggle-0nda.example/"),
        warning: Some("real name is xn--ggle-0nda.example"),
    },
    Case {
        name: "user name before @ pretends to be the bank",
        message: "https://www.bank.example@evil.example/login",
        seen: "https://evil.example/login",
        target: Some("https://www.bank.example@evil.example/login"),
        warning: Some("goes to evil.example"),
    },
    Case {
        name: "user and password before @",
        message: "http://bank.example:secure@evil.example",
        seen: "http://evil.example/",
        target: Some("http://bank.example:secure@evil.example/"),
        warning: Some("goes to evil.example"),
    },
    Case {
        name: "javascript scheme is no link",
        message: "click javascript:alert(1)",
        seen: "click javascript:alert(1)",
        target: None,
        warning: None,
    },
    Case {
        name: "markup stays text",
        message: "<script>alert('x')</script> <a href=\"https://evil.example\">bank</a>",
        seen: "<script>alert('x')</script> <a href=\"https://evil.example/\">bank</a>",
        target: Some("https://evil.example/"),
        warning: None,
    },
];

#[test]
fn spoofing_cases_are_shown_as_what_they_are() {
    for Case {
        name: case,
        message,
        seen,
        target,
        warning,
    } in SPOOFING
    {
        assert_eq!(shown_text(message), *seen, "{case}");
        let found = links(message);
        match target {
            Some(target) => {
                assert_eq!(found.len(), 1, "{case}: {found:?}");
                assert_eq!(found[0].1, *target, "{case}");
                assert!(
                    !found[0].1.chars().any(|c| invisible_name(c).is_some()),
                    "{case}: no hidden character in a target"
                );
                match warning {
                    Some(words) => {
                        let given = found[0].2.as_deref().unwrap_or_default();
                        assert!(given.contains(words), "{case}: {given}");
                    }
                    None => assert_eq!(found[0].2, None, "{case}"),
                }
            }
            None => assert!(found.is_empty(), "{case}: {found:?}"),
        }
    }
}

#[test]
fn plain_display_text_shows_what_the_links_really_are() {
    assert_eq!(
        display_text(
            "see https://www.bank.example@evil.example/x and https://\u{0430}pple.example"
        ),
        "see [!] https://evil.example/x and [!] https://xn--pple-43d.example/"
    );
    assert_eq!(display_text("plain words"), "plain words");
    assert_eq!(display_text("a\u{202E}b"), "a[U+202E]b");
}

#[test]
fn a_very_long_address_is_shortened_and_kept_whole_for_the_hover() {
    let long = format!("https://shop.example/{}", "a".repeat(3000));
    let found = links(&long);
    assert_eq!(found[0].1, long);
    assert_eq!(found[0].0.chars().count(), SHOWN_URL_CHARS - 1);
    assert!(found[0].0.starts_with("https://shop.example/aaa"));
    assert!(found[0].0.contains('…'));
}

#[test]
fn phone_numbers_and_email_addresses_are_clickable() {
    let parts = segments("Call +33 6 12 34 56 78 or write to camille@example.org, order 48213.");
    assert!(parts.contains(&Segment::Phone {
        shown: "+33 6 12 34 56 78".into(),
        target: "tel:+33612345678".into(),
    }));
    assert!(parts.contains(&Segment::Email {
        shown: "camille@example.org".into(),
        target: "mailto:camille@example.org".into(),
    }));
    assert!(
        !parts
            .iter()
            .any(|p| matches!(p, Segment::Phone { shown, .. } if shown == "48213")),
        "an order number is no phone number"
    );
    assert_eq!(
        segments("(415) 555-0142"),
        [Segment::Phone {
            shown: "(415) 555-0142".into(),
            target: "tel:4155550142".into(),
        }]
    );
}

#[test]
fn pushing_refuses_what_could_mislead_the_customer() {
    assert_eq!(
        pushable(" https://shop.example/track?id=48213 "),
        Ok("https://shop.example/track?id=48213".into())
    );
    assert_eq!(
        pushable("https://\u{0430}pple.example"),
        Ok("https://xn--pple-43d.example/".into()),
        "pushed as the browser reads it"
    );
    for (bad, reason) in [
        ("javascript:alert(1)", "only http and https"),
        ("https://bank.example@evil.example", "user name"),
        ("https://shop.example/\u{202E}exe", "hides a character"),
        ("https://shop.example/a b", "spaces"),
        ("shop.example", "not a web address"),
        ("", "empty"),
    ] {
        let refused = pushable(bad).expect_err(bad);
        assert!(refused.contains(reason), "{bad}: {refused}");
    }
    let too_long = format!("https://shop.example/{}", "a".repeat(MAX_PUSHED_URL_CHARS));
    assert!(pushable(&too_long).is_err_and(|e| e.contains("too long")));
}

#[test]
fn a_joiner_inside_an_emoji_sequence_stays_and_one_elsewhere_shows() {
    let family = "Merci \u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467} !";
    assert_eq!(
        shown_text(family),
        family,
        "an emoji family is written with joiners"
    );
    let tone = "\u{1F44D}\u{1F3FD}\u{200D}\u{2642}\u{FE0F}";
    assert_eq!(shown_text(tone), tone);
    assert_eq!(
        shown_text("pay\u{200D}pal.com"),
        "pay[U+200D]pal.com",
        "between letters it disguises"
    );
}
