//! The session plugin against the host double: conversation, inactivity on the host clock,
//! transfer outcomes, failed deliveries and numbers that cannot receive SMS.

use switchboard_sdk::{DeliveryStatus, InvitationOutcome, Target, settings};
use switchboard_sdk_testing::Harness;

use super::*;

fn colleague() -> Target {
    Target {
        kind: "agent".into(),
        id: "grace".into(),
        name: "Grace Hopper".into(),
    }
}

#[test]
fn conversation_flows_and_each_message_restarts_the_inactivity_timer() {
    let mut h = Harness::<SmsSession>::new();
    h.host
        .set_setting(settings::SESSION_INACTIVITY_SECONDS, "600");
    let id = h.accept_inbound("+15550142", "Hi, is my order shipped?");
    assert_eq!(h.send(&id, "Let me check.").len(), 1);
    h.advance_seconds(500);
    h.inbound(&id, "+15550142", "Thanks");
    h.advance_seconds(500);
    h.send(&id, "It left this morning.");
    assert!(
        h.advance_seconds(599).is_empty(),
        "still inside the time-out"
    );
    assert!(h.render_text(&id).contains("composer: enabled"));
    assert_eq!(h.host.sent().len(), 2);
}

#[test]
fn inactivity_ends_the_session_with_a_system_line() {
    let mut h = Harness::<SmsSession>::new();
    h.host
        .set_setting(settings::SESSION_INACTIVITY_SECONDS, "900");
    let id = h.accept_inbound("+15550142", "Hello");
    let commands = h.advance_seconds(900);
    assert_eq!(
        commands,
        vec![Command::End {
            interaction: id.as_str().into()
        }]
    );
    assert_eq!(
        h.host.system_lines(&id),
        ["Session ended: no message for 15 minutes."]
    );
    let text = h.render_text(&id);
    assert!(text.contains("composer: disabled"), "{text}");
    assert!(text.contains("badge: Session ended"), "{text}");
    assert!(matches!(
        h.send(&id, "Are you there?")[..],
        [Command::ShowError { .. }]
    ));
    assert!(h.host.sent().is_empty());
}

#[test]
fn transfer_asks_for_a_target_then_the_platform() {
    let mut h = Harness::<SmsSession>::new();
    let id = h.accept_inbound("+15550142", "I need a refund");
    assert_eq!(
        h.action(&id, ACTION_TRANSFER),
        vec![Command::ChooseTarget {
            interaction: id.as_str().into(),
            purpose: PURPOSE_TRANSFER.into()
        }]
    );
    h.choose_target(&id, PURPOSE_TRANSFER, colleague());
    assert_eq!(h.host.transfers().len(), 1);
    let text = h.render_text(&id);
    assert!(
        text.contains("badge: Transfer to Grace Hopper pending"),
        "{text}"
    );
    assert!(text.contains("action: transfer (disabled)"), "{text}");
    let commands = h.answer_transfer(&id, InvitationOutcome::Accepted);
    assert_eq!(
        commands,
        vec![Command::Release {
            interaction: id.as_str().into()
        }]
    );
    assert!(
        h.host
            .system_lines(&id)
            .contains(&"Grace Hopper accepted the transfer.".to_owned())
    );
}

#[test]
fn rejected_transfer_shows_an_error_and_keeps_the_session() {
    let mut h = Harness::<SmsSession>::new();
    let id = h.accept_inbound("+15550142", "Hello");
    h.choose_target(&id, PURPOSE_TRANSFER, colleague());
    let commands = h.answer_transfer(
        &id,
        InvitationOutcome::Rejected {
            reason: "busy with a customer".into(),
        },
    );
    assert!(matches!(
        &commands[..],
        [Command::ShowError { text, .. }] if text.contains("busy with a customer")
    ));
    assert!(h.render_text(&id).contains("composer: enabled"));
    assert_eq!(h.send(&id, "Still with you").len(), 1);
}

#[test]
fn timed_out_transfer_leaves_a_system_line() {
    let mut h = Harness::<SmsSession>::new();
    let id = h.accept_inbound("+15550142", "Hello");
    h.choose_target(&id, PURPOSE_TRANSFER, colleague());
    assert!(
        h.answer_transfer(&id, InvitationOutcome::TimedOut)
            .is_empty()
    );
    assert!(
        h.host
            .system_lines(&id)
            .iter()
            .any(|l| l.contains("did not answer"))
    );
}

#[test]
fn a_contact_is_not_a_transfer_target() {
    let mut h = Harness::<SmsSession>::new();
    let id = h.accept_inbound("+15550142", "Hello");
    let contact = Target {
        kind: "contact".into(),
        id: "7".into(),
        name: "Jordan Lee".into(),
    };
    let commands = h.choose_target(&id, PURPOSE_TRANSFER, contact);
    assert!(matches!(commands[..], [Command::ShowError { .. }]));
    assert!(h.host.transfers().is_empty());
}

#[test]
fn failed_delivery_names_the_message() {
    let mut h = Harness::<SmsSession>::new();
    let id = h.accept_inbound("+15550142", "Hello");
    h.send(&id, "First answer");
    h.send(&id, "Second answer");
    let second = h.host.stored(&id).last().map(|e| e.id).expect("stored");
    h.delivery(
        &id,
        second,
        DeliveryStatus::Failed {
            reason: "30003 unreachable handset".into(),
        },
    );
    assert_eq!(
        h.host.system_lines(&id),
        ["“Second answer” was not delivered: 30003 unreachable handset."]
    );
    assert!(h.render_text(&id).contains("badge: 1 not delivered"));
}

#[test]
fn number_that_cannot_receive_sms_is_warned_before_the_first_send() {
    let mut h = Harness::<SmsSession>::new();
    h.host.flag_no_sms("+15550199");
    let id = h.accept_inbound("+15550199", "Call me back");
    assert!(
        h.render_text(&id)
            .contains("badge: Cannot receive SMS: landline")
    );
    let warning = h.send(&id, "We will call you");
    assert!(matches!(
        &warning[..],
        [Command::ShowError { text, .. }] if text.contains("Press Send again")
    ));
    assert!(h.host.sent().is_empty());
    h.send(&id, "We will call you");
    assert_eq!(h.host.sent().len(), 1);
}

#[test]
fn counter_follows_typing_with_shared_segmentation() {
    let mut h = Harness::<SmsSession>::new();
    let id = h.accept_inbound("+15550142", "Hi");
    h.type_text(&id, &"a".repeat(187));
    assert!(h.render_text(&id).contains("[2 SMS · 187/306 · GSM-7]"));
}

#[test]
fn its_words_are_complete_in_english_and_french() {
    switchboard_sdk_testing::assert_translations_complete::<SmsSession>();
}

#[test]
fn a_french_agent_reads_the_session_in_french_and_its_end_is_stored_by_id() {
    let mut h = Harness::<SmsSession>::in_language("fr");
    h.host
        .set_setting(settings::SESSION_INACTIVITY_SECONDS, "900");
    let id = h.accept_inbound("+33612345678", "Bonjour");
    let view = h.view(&id);
    assert_eq!(view.header.subtitle, "SMS · mode session");
    assert!(view.composer.hint.contains("après 15 minutes sans message"));
    h.advance_seconds(900);
    assert_eq!(
        h.host.translated_lines(&id),
        vec![(
            "session-idle-minutes".to_owned(),
            vec![("count".to_owned(), "15".to_owned())]
        )]
    );
    assert!(
        h.view(&id)
            .composer
            .hint
            .starts_with("Session terminée\u{a0}: aucun message depuis 15 minutes.")
    );
    h.switch_language("en");
    assert!(
        h.view(&id)
            .composer
            .hint
            .starts_with("Session ended: no message for 15 minutes.")
    );
}
