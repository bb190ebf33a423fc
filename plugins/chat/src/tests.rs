//! The web chat plugin against the host double: typing both ways, pushed links, end and
//! continuation, transfer, conference and leaving it.

use switchboard_sdk::{Command, settings};
use switchboard_sdk_testing::Harness;

use super::*;

fn grace() -> Target {
    Target {
        kind: "agent".into(),
        id: "grace".into(),
        name: "Grace Hopper".into(),
    }
}

fn chat_with_jordan() -> (Harness<WebChat>, String) {
    let mut h = Harness::<WebChat>::new();
    h.host.set_setting(settings::AGENT_NICKNAME, "Ada");
    h.host.grant_permission(permissions::PUSH_URL);
    let id = h.accept_inbound("Jordan Lee", "Hi, is my order shipped?");
    (h, id)
}

#[test]
fn typing_shows_both_ways_and_never_the_text() {
    let (mut h, id) = chat_with_jordan();
    h.contact_typing(&id, true);
    assert!(h.render_text(&id).contains("badge: typing…"));
    h.inbound(&id, "Jordan Lee", "Hello?");
    assert!(
        !h.render_text(&id).contains("typing"),
        "a message ends typing"
    );

    h.type_text(&id, "Let me");
    h.type_text(&id, "Let me check");
    assert_eq!(
        h.host.typing(),
        [(id.clone(), true)],
        "told once per change"
    );
    h.send(&id, "Let me check");
    assert_eq!(h.host.typing().last(), Some(&(id.clone(), false)));
    let subtitle = h.view(&id).header.subtitle.to_string();
    assert!(
        subtitle.contains("the customer sees you as Ada"),
        "{subtitle}"
    );
}

#[test]
fn the_customer_stops_seeing_typing_when_the_agent_pauses() {
    let (mut h, id) = chat_with_jordan();
    h.type_text(&id, "Let me see");
    h.advance_seconds(TYPING_IDLE_SECONDS - 1);
    h.type_text(&id, "Let me see what");
    h.advance_seconds(TYPING_IDLE_SECONDS - 1);
    assert_eq!(h.host.typing(), [(id.clone(), true)], "still typing");
    h.advance_seconds(1);
    assert_eq!(h.host.typing().last(), Some(&(id.clone(), false)));
    h.type_text(&id, "Let me see what happened");
    assert_eq!(h.host.typing().last(), Some(&(id, true)), "typing again");
}

#[test]
fn a_pushed_link_needs_the_permission() {
    let (mut h, id) = chat_with_jordan();
    assert!(
        h.push_url(&id, "https://shop.example/track/48213")
            .is_empty()
    );
    assert_eq!(h.host.pushed()[0].1, "https://shop.example/track/48213");
    let refused = h.push_url(&id, "javascript:alert(1)");
    assert!(matches!(&refused[..], [Command::ShowError { .. }]));

    let mut h = Harness::<WebChat>::new();
    let id = h.accept_inbound("Jordan Lee", "Hi");
    let denied = h.push_url(&id, "https://shop.example");
    let Some(Command::ShowError { text, .. }) = denied.first() else {
        panic!("expected a refusal");
    };
    assert!(text.contains("push-url"), "{text}");
}

#[test]
fn an_ended_chat_continues_when_the_agent_writes() {
    let (mut h, id) = chat_with_jordan();
    let commands = h.action(&id, ACTION_END);
    assert!(matches!(&commands[..], [Command::End { .. }]));
    let view = h.render_text(&id);
    assert!(view.contains("Some(Ended)"), "{view}");
    assert!(view.contains("hint: The chat has ended. Sending continues it"));
    let commands = h.send(&id, "Your parcel left this morning.");
    assert!(matches!(&commands[0], Command::Resume { .. }));
    assert!(h.render_text(&id).contains("Some(Connected)"));
    assert_eq!(
        h.host.system_lines(&id),
        ["You ended the chat.", "You continued the conversation."]
    );
}

#[test]
fn the_customer_leaving_ends_the_chat() {
    let (mut h, id) = chat_with_jordan();
    let commands = h.other_side_ends(&id, "Jordan Lee");
    assert!(matches!(&commands[..], [Command::End { .. }]));
    assert_eq!(h.host.system_lines(&id), ["Jordan Lee left the chat."]);
}

#[test]
fn a_transfer_accepted_releases_the_chat() {
    let (mut h, id) = chat_with_jordan();
    let commands = h.action(&id, ACTION_TRANSFER);
    assert!(
        matches!(&commands[..], [Command::ChooseTarget { purpose, .. }] if purpose == "transfer")
    );
    h.choose_target(&id, purposes::TRANSFER, grace());
    assert!(h.render_text(&id).contains("composer: disabled"));
    let commands = h.answer_transfer(&id, InvitationOutcome::Accepted);
    assert!(matches!(&commands[..], [Command::Release { .. }]));
}

#[test]
fn a_refused_or_unanswered_transfer_keeps_the_chat_live() {
    let (mut h, id) = chat_with_jordan();
    h.choose_target(&id, purposes::TRANSFER, grace());
    let commands = h.answer_transfer(
        &id,
        InvitationOutcome::Rejected {
            reason: "busy with another customer".into(),
        },
    );
    let Some(Command::ShowError { text, .. }) = commands.first() else {
        panic!("expected the refusal, got {commands:?}");
    };
    assert!(text.contains("busy with another customer"), "{text}");
    assert!(h.render_text(&id).contains("composer: enabled"));

    h.choose_target(&id, purposes::TRANSFER, grace());
    let commands = h.answer_transfer(&id, InvitationOutcome::TimedOut);
    assert!(commands.is_empty());
    assert_eq!(
        h.host.system_lines(&id).last().map(String::as_str),
        Some("Grace Hopper did not answer the transfer in time; the chat stays with you.")
    );
    assert!(h.render_text(&id).contains("Some(Connected)"));
}

#[test]
fn a_colleague_joins_a_conference_and_keeps_the_chat_when_the_agent_leaves() {
    let (mut h, id) = chat_with_jordan();
    h.choose_target(&id, purposes::CONFERENCE, grace());
    assert!(h.render_text(&id).contains("badge: Inviting Grace Hopper…"));
    h.answer_invitation(&id, grace(), InvitationOutcome::Accepted);
    let view = h.render_text(&id);
    assert!(view.contains("badge: With Grace Hopper"), "{view}");
    assert!(view.contains("action: leave · Leave"), "{view}");

    h.action(&id, ACTION_LEAVE);
    assert_eq!(h.host.transfers()[0].1.id.as_str(), "grace");
    let commands = h.answer_transfer(&id, InvitationOutcome::Accepted);
    assert!(matches!(&commands[..], [Command::Release { .. }]));
    assert_eq!(
        h.host.system_lines(&id),
        [
            "Grace Hopper is invited to the conversation.",
            "Grace Hopper joined the conversation.",
            "You left the conversation; Grace Hopper now owns the chat."
        ]
    );
}

#[test]
fn a_contact_is_no_transfer_or_conference_target() {
    let (mut h, id) = chat_with_jordan();
    let contact = Target {
        kind: "contact".into(),
        id: "7".into(),
        name: "Camille Martin".into(),
    };
    let commands = h.choose_target(&id, purposes::CONFERENCE, contact);
    assert!(matches!(&commands[..], [Command::ShowError { .. }]));
    assert!(h.host.invitations().is_empty());
}

#[test]
fn its_words_are_complete_in_english_and_french() {
    switchboard_sdk_testing::assert_translations_complete::<WebChat>();
}

#[test]
fn a_french_agent_runs_a_conference_in_french_and_its_lines_keep_their_ids() {
    let mut h = Harness::<WebChat>::in_language("fr");
    h.host.set_setting(settings::AGENT_NICKNAME, "Ada");
    let id = h.accept_inbound("Jordan Lee", "Bonjour");
    assert_eq!(
        h.view(&id).header.subtitle,
        "Chat web · le client vous voit sous le nom Ada"
    );
    h.choose_target(&id, purposes::CONFERENCE, grace());
    h.answer_invitation(&id, grace(), InvitationOutcome::Accepted);
    let view = h.render_text(&id);
    assert!(view.contains("badge: Avec Grace Hopper"), "{view}");
    assert!(view.contains("action: leave · Quitter"), "{view}");
    let ids: Vec<String> = h
        .host
        .translated_lines(&id)
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(ids, vec!["chat-invited", "chat-joined"]);
    assert_eq!(
        h.host.system_lines(&id).last().map(String::as_str),
        Some("Grace Hopper a rejoint la conversation.")
    );
}
