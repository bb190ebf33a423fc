//! The WhatsApp plugin against the host double: the window rule, templates, images, limits.

use switchboard_sdk::{Attachment, Command, DeliveryStatus, Event, Host, Role};
use switchboard_sdk_testing::Harness;

use super::*;

const CUSTOMER: &str = "whatsapp:+447700900123";

fn image(id: i64) -> Attachment {
    Attachment {
        id,
        media_type: "image/jpeg".into(),
        name: format!("photo-{id}.jpg").into(),
        size: 48_000,
    }
}

fn template_action(id: &str) -> String {
    format!("{ACTION_PREFIX}{id}")
}

#[test]
fn inside_the_window_the_agent_writes_freely() {
    let mut h = Harness::<WhatsApp>::new();
    let id = h.accept_inbound(CUSTOMER, "Hi, where is my order?");
    let text = h.render_text(&id);
    assert!(text.contains("badge: Window: 24 h left"), "{text}");
    assert!(text.contains("composer: enabled [0 / 4096]"), "{text}");
    h.type_text(&id, "Let me check.");
    assert!(h.render_text(&id).contains("[13 / 4096]"));
    let commands = h.send(&id, "Let me check.");
    assert!(matches!(commands[..], [Command::ClearComposer { .. }]));
    assert_eq!(h.host.sent()[0].text.as_str(), "Let me check.");
}

#[test]
fn after_24_hours_send_is_off_with_the_reason_and_templates_still_go() {
    let mut h = Harness::<WhatsApp>::new();
    let id = h.accept_inbound(CUSTOMER, "Hi");
    h.advance_seconds(23 * 3600 + 30 * 60);
    assert!(
        h.render_text(&id).contains("badge: Window: 30 min left"),
        "amber in the last hour"
    );
    h.advance_seconds(3600);
    let text = h.render_text(&id);
    assert!(text.contains("composer: disabled"), "{text}");
    assert!(
        text.contains("badge: Window closed: templates only"),
        "{text}"
    );
    assert!(
        text.contains("only approved templates"),
        "the hint says why Send is off: {text}"
    );
    let refused = h.send(&id, "Are you still there?");
    assert!(matches!(refused[..], [Command::ShowError { .. }]));
    assert!(h.host.sent().is_empty(), "nothing left");

    h.action(&id, &template_action("follow-up"));
    let sent = h.host.sent();
    assert_eq!(sent.len(), 1);
    assert!(sent[0].text.starts_with("Hello there, this is a follow-up"));
}

#[test]
fn the_customer_answering_opens_the_window_again() {
    let mut h = Harness::<WhatsApp>::new();
    let id = h.accept_inbound(CUSTOMER, "Hi");
    h.advance_seconds(30 * 3600);
    assert!(h.render_text(&id).contains("composer: disabled"));
    h.inbound(&id, CUSTOMER, "Yes, still waiting");
    assert!(h.render_text(&id).contains("composer: enabled"));
    let timers = h.host.timers();
    let closed = timers
        .iter()
        .find(|((_, name), _)| name == "window-closed")
        .map(|(_, at)| *at)
        .expect("a timer for the new end of the window");
    assert_eq!(closed, h.host.now().plus_seconds(24 * 3600));
}

#[test]
fn images_are_counted_and_text_over_the_limit_is_refused() {
    let mut h = Harness::<WhatsApp>::new();
    let id = h.accept_inbound_with(CUSTOMER, "Broken on arrival", vec![image(1), image(2)]);
    assert!(h.render_text(&id).contains("badge: 2 images"));
    let long = "a".repeat(MAX_TEXT_CHARS + 1);
    h.type_text(&id, &long);
    let view = h.view(&id);
    assert!(view.composer.counter_warning);
    let commands = h.send(&id, &long);
    match &commands[..] {
        [Command::ShowError { text, .. }] => assert!(text.contains("4096"), "{text}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn read_receipts_and_unknown_events_do_not_disturb_the_conversation() {
    let mut h = Harness::<WhatsApp>::new();
    let id = h.accept_inbound(CUSTOMER, "Hi");
    h.send(&id, "Hello!");
    let commands = h.delivery(&id, 1, DeliveryStatus::Read);
    assert!(commands.is_empty());
    let commands = h.event(Event::PlatformLink { up: false });
    assert!(commands.is_empty());
    let stored = h.host.stored(&id);
    assert_eq!(stored[0].role(), Some(Role::Contact));
    assert!(h.render_text(&id).contains("composer: enabled"));
}

#[test]
fn the_manifest_asks_only_for_what_the_channel_uses() {
    let manifest = WhatsApp::manifest();
    assert_eq!(manifest.id.as_str(), "whatsapp");
    assert!(manifest.media_types.iter().any(|m| m == "whatsapp"));
    assert!(!manifest.uses_service(services::CONTACTS));
}

#[test]
fn its_words_are_complete_in_english_and_french() {
    switchboard_sdk_testing::assert_translations_complete::<WhatsApp>();
}

#[test]
fn a_banner_warns_in_the_last_hour_and_says_the_window_closed() {
    let mut h = Harness::<WhatsApp>::in_language("fr");
    let id = h.accept_inbound(CUSTOMER, "Bonjour");
    assert!(h.plugin.view_parts(&id).is_empty(), "a calm first day");
    h.advance_seconds(23 * 3600 + 48 * 60);
    assert_eq!(
        h.plugin.view_parts(&id),
        vec![ViewPart::Banner {
            text: "La fenêtre de service client se ferme dans 12 min\u{a0}: répondez \
                   maintenant\u{a0}; ensuite, seuls les modèles partent."
                .into(),
            tone: Tone::Warning.into(),
        }]
    );
    h.advance_seconds(12 * 60);
    let parts = h.plugin.view_parts(&id);
    assert!(
        matches!(&parts[..], [ViewPart::Banner { tone, .. }] if tone.as_enum() == Ok(&Tone::Danger)),
        "{parts:?}"
    );
}
