//! The internal IM plugin against the host double: invitation outcomes, ending from either
//! side, routing through a skill, consultations and their escalation to voice.

use switchboard_sdk::Command;
use switchboard_sdk_testing::Harness;

use super::*;

fn target(kind: &str, id: &str, name: &str) -> Target {
    Target {
        kind: kind.into(),
        id: id.into(),
        name: name.into(),
    }
}

fn grace() -> Target {
    target("agent", "grace", "Grace Hopper")
}

fn ends(commands: &[Command]) -> bool {
    commands.iter().any(|c| matches!(c, Command::End { .. }))
}

#[test]
fn the_first_message_invites_and_acceptance_connects() {
    let mut h = Harness::<InternalIm>::new();
    let (id, commands) = h.start(&grace(), "");
    assert!(commands.is_empty());
    let view = h.render_text(&id);
    assert!(view.contains("Some(NotConnected)"), "{view}");
    assert!(view.contains("hint: Your first message invites Grace Hopper."));
    assert!(
        view.contains("action: done · Done"),
        "Done closes an IM never sent"
    );

    h.send(&id, "Can you take a French customer?");
    let invitations = h.host.invitations();
    assert_eq!(invitations.len(), 1);
    assert_eq!(invitations[0].1.id.as_str(), "grace");
    assert_eq!(invitations[0].2, purposes::INSTANT_MESSAGE);
    assert!(h.render_text(&id).contains("Some(Establishing)"));
    assert_eq!(
        h.host.system_lines(&id),
        ["Invitation sent to Grace Hopper."]
    );

    h.answer_invitation(&id, grace(), InvitationOutcome::Accepted);
    let view = h.render_text(&id);
    assert!(view.contains("Some(Connected)"), "{view}");
    assert!(view.contains("action: done (disabled)"), "{view}");
    h.send(&id, "Thanks!");
    assert_eq!(
        h.host.invitations().len(),
        1,
        "only the first message invites"
    );
    assert_eq!(h.host.sent().len(), 2);
    assert_eq!(h.host.system_lines(&id)[1], "Grace Hopper accepted.");
}

#[test]
fn a_refusal_or_a_time_out_ends_the_im_with_a_system_line() {
    let mut h = Harness::<InternalIm>::new();
    let (id, _) = h.start(&grace(), "");
    h.send(&id, "Hi");
    let commands = h.answer_invitation(
        &id,
        grace(),
        InvitationOutcome::Rejected {
            reason: "busy with another customer".into(),
        },
    );
    assert!(ends(&commands));
    assert_eq!(
        h.host.system_lines(&id)[1],
        "Grace Hopper declined: busy with another customer."
    );
    assert!(h.render_text(&id).contains("composer: disabled"));

    let (late, _) = h.start(&target("agent", "amara", "Amara Okafor"), "");
    h.send(&late, "Hi");
    let commands = h.answer_invitation(
        &late,
        target("agent", "amara", "Amara Okafor"),
        InvitationOutcome::TimedOut,
    );
    assert!(ends(&commands));
    assert_eq!(
        h.host.system_lines(&late)[1],
        "No answer from Amara Okafor: the invitation timed out."
    );
}

#[test]
fn either_side_can_end_and_done_closes() {
    let mut h = Harness::<InternalIm>::new();
    let (id, _) = h.start(&grace(), "");
    h.send(&id, "Hi");
    h.answer_invitation(&id, grace(), InvitationOutcome::Accepted);
    h.colleague_writes(&id, "Grace Hopper", "On it.");
    let commands = h.event(Event::OtherSideEnded {
        interaction: id.as_str().into(),
        by: "Grace Hopper".into(),
    });
    assert!(ends(&commands));
    assert_eq!(
        h.host.system_lines(&id).last().expect("a line"),
        "Grace Hopper ended the instant message."
    );
    let commands = h.send(&id, "one more thing");
    assert!(matches!(&commands[..], [Command::ShowError { .. }]));
    assert!(matches!(
        &h.action(&id, ACTION_DONE)[..],
        [Command::MarkDone { .. }]
    ));

    let (mine, _) = h.start(&grace(), "");
    h.send(&mine, "Hi");
    h.answer_invitation(&mine, grace(), InvitationOutcome::Accepted);
    assert!(ends(&h.action(&mine, ACTION_END)));
    assert!(h.render_text(&mine).contains("Some(Ended)"));
}

#[test]
fn a_skill_is_answered_by_the_agent_the_platform_picked() {
    let mut h = Harness::<InternalIm>::new();
    let (id, _) = h.start(&target("skill", "s-french", "French"), "");
    h.send(&id, "Who can read a French letter?");
    assert_eq!(h.host.invitations()[0].1.kind.as_str(), "skill");
    h.answer_invitation(
        &id,
        target("agent", "lucie", "Lucie Moreau"),
        InvitationOutcome::Accepted,
    );
    let view = h.render_text(&id);
    assert!(view.contains("header: Lucie Moreau <lucie>"), "{view}");
    assert!(view.contains("badge: Via French"), "{view}");
    assert_eq!(
        h.host.system_lines(&id)[1],
        "Lucie Moreau (for French) accepted."
    );
}

#[test]
fn a_contact_is_refused_with_the_reason() {
    let mut h = Harness::<InternalIm>::new();
    let (id, commands) = h.start(&target("contact", "42", "Camille Martin"), "");
    let Some(Command::ShowError { text, .. }) = commands.first() else {
        panic!("expected an error, got {commands:?}");
    };
    assert!(text.contains("Camille Martin is a contact"), "{text}");
    assert!(ends(&commands));
    assert!(h.host.invitations().is_empty());
    assert!(h.render_text(&id).contains("composer: disabled"));
}

#[test]
fn a_consultation_shows_the_case_and_escalates_to_voice() {
    let mut h = Harness::<InternalIm>::new();
    let (id, _) = h.start(&grace(), "sms-17");
    let view = h.view(&id);
    assert!(view.panels.iter().any(|p| p == panels::CASE_DATA));
    let text = h.render_text(&id);
    assert!(
        text.contains("action: voice-consultation (disabled)"),
        "{text}"
    );
    h.send(&id, "Refund above the limit, can you approve?");
    h.answer_invitation(&id, grace(), InvitationOutcome::Accepted);
    assert!(h.render_text(&id).contains("action: voice-consultation · "));
    h.action(&id, ACTION_VOICE);
    let last = h.host.invitations().pop().expect("an invitation");
    assert_eq!(last.2, purposes::VOICE_CONSULTATION);
    assert!(h.render_text(&id).contains("badge: Voice requested"));
    h.answer_invitation(&id, grace(), InvitationOutcome::Accepted);
    assert!(h.render_text(&id).contains("badge: Voice connected"));
    assert_eq!(
        h.host.system_lines(&id)[2..],
        [
            "Voice consultation with Grace Hopper requested.",
            "Voice consultation with Grace Hopper connected."
        ]
    );
}

#[test]
fn a_standalone_im_offers_no_voice_consultation() {
    let mut h = Harness::<InternalIm>::new();
    let (id, _) = h.start(&grace(), "");
    assert!(!h.render_text(&id).contains("voice"));
}

#[test]
fn its_words_are_complete_in_english_and_french() {
    switchboard_sdk_testing::assert_translations_complete::<InternalIm>();
}

#[test]
fn a_french_agent_reads_the_invitation_in_french() {
    let mut h = Harness::<InternalIm>::in_language("fr");
    let (id, _) = h.start(&target("skill", "s-french", "French"), "");
    assert_eq!(h.view(&id).composer.send_label, "Envoyer et inviter");
    h.send(&id, "Qui parle portugais ?");
    h.answer_invitation(&id, grace(), InvitationOutcome::Accepted);
    assert_eq!(
        h.host.system_lines(&id).last().map(String::as_str),
        Some("Grace Hopper (pour French) a accepté.")
    );
    assert_eq!(
        h.host
            .translated_lines(&id)
            .last()
            .map(|(id, _)| id.as_str()),
        Some("im-accepted-for")
    );
    assert_eq!(h.view(&id).header.subtitle, "Message instantané interne");
}
