//! Colleagues: the Team Communicator, instant messages, consultations, the Communication view.

use egui_kittest::kittest::Queryable;
use switchboard_core::i18n::Language;
use switchboard_edge::InboundSms;

use crate::common::*;

#[test]
fn team_communicator_finds_an_agent_by_part_of_the_name_with_the_keyboard() {
    let (mut app, _platform, _clock) = shell(Language::English);
    app.set_link_opener(|_| Ok(()));
    let mut harness = signed_in(app, "ada");
    harness.get_by_label("Team Communicator").click();
    harness.get_by_label("Team Communicator").type_text("hopp");
    harness.run();
    harness.get_by_label("Grace Hopper");
    harness.key_press(egui::Key::Enter);
    harness.run();
    // Enter opened Grace's actions: Send instant message, Call, Add to favourites.
    harness.get_by_label("Send instant message");
    harness.get_by_label("Call");
    harness.key_press(egui::Key::ArrowDown);
    harness.key_press(egui::Key::ArrowDown);
    harness.run();
    harness.key_press(egui::Key::Enter);
    harness.run();
    let favourites = harness.state().desk.team_search("");
    assert_eq!(
        favourites.first().map(|r| r.target.id.as_str()),
        Some("grace")
    );

    harness.key_press(egui::Key::ArrowUp);
    harness.run();
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert_eq!(harness.state().opened_links, ["tel:+15550104"]);
    assert!(
        harness.state().desk.interactions().is_empty(),
        "no IM was started on the way"
    );

    harness.get_by_label("Team Communicator").click();
    harness
        .get_by_label("Team Communicator")
        .type_text("billing");
    harness.run();
    harness.get_by_label("Queues");
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(
        harness.query_by_label("Queues").is_none(),
        "Escape closes the results"
    );
}

#[test]
fn an_im_to_a_colleague_found_by_part_of_the_name_connects_when_she_accepts() {
    let (app, platform, clock) = shell(Language::English);
    platform.script_colleague(
        "grace",
        switchboard_platform_embedded::ColleagueReply::Accept { after_seconds: 3 },
    );
    let mut harness = signed_in(app, "ada");
    harness.get_by_label("Team Communicator").click();
    harness.get_by_label("Team Communicator").type_text("hopp");
    harness.run();
    harness.get_by_label("Grace Hopper").click();
    harness.run();
    harness.get_by_label("Send instant message").click();
    harness.run();
    harness.state_mut().desk.settle();
    harness.run();
    harness.get_by_label("Not connected");
    harness.get_by_label_contains("Your first message invites Grace Hopper.");

    harness.get_by_label("Reply").click();
    harness
        .get_by_label("Reply")
        .type_text("Can you take a French customer?");
    harness.run();
    harness.get_by_label("Send and invite").click();
    harness.run();
    harness.state_mut().desk.settle();
    harness.run();
    harness.get_by_label("Establishing");
    harness.get_by_label_contains("Invitation sent to Grace Hopper.");

    clock.advance_seconds(3);
    harness.state_mut().desk.pump();
    harness.run();
    harness.get_by_label("Connected");
    harness.get_by_label_contains("Grace Hopper accepted.");
    assert_eq!(
        platform.invitations_received()[0].first_message,
        "Can you take a French customer?"
    );
}

#[test]
fn the_communication_view_lists_unread_messages_and_starts_an_sms() {
    let (mut harness, platform, clock) =
        accepted_with_clock("ada", from_camille("Where is my parcel?"));
    harness.get_by_label("Reply").click();
    harness.get_by_label("Reply").type_text("Tomorrow morning.");
    harness.run();
    harness.get_by_label("Send and close").click();
    harness.run();
    harness.state_mut().desk.settle();
    harness.run();
    clock.advance_seconds(60);
    customer_writes(&platform, "And can I change the address?");
    harness.run();

    harness.get_by_label("Communication").click();
    harness.run();
    // The list and the conversations are read off the window's thread.
    harness.state_mut().desk.settle();
    harness.run();
    harness.get_by_label("Camille Martin (1)").click();
    harness.run();
    harness.state_mut().desk.settle();
    harness.run();
    harness.get_by_label_contains("Camille Martin: And can I change the address?");
    harness.get_by_label("New SMS to +33612345678").click();
    harness.run();
    let open = harness
        .state()
        .desk
        .selected()
        .map(str::to_owned)
        .expect("opened");
    let interaction = harness
        .state()
        .desk
        .interaction(&open)
        .cloned()
        .expect("open");
    assert_eq!(interaction.row.media_type, "sms-session");
    assert_eq!(interaction.row.contact_address, "+33612345678");
    harness.get_by_label("Reply");
}

#[test]
fn a_colleagues_consultation_shows_the_case_first_and_read_only() {
    let (app, platform, _clock) = shell(Language::English);
    let mut harness = signed_in(app, "marc");
    // Camille's SMS waits in the queue (nobody is Ready yet); Grace consults about it.
    let sms = InboundSms {
        case_data: vec![("order_id".into(), "48213".into())],
        ..from_camille("Where is my parcel?")
    };
    platform.receive_sms(sms).expect("stored");
    let customer = platform
        .latest_interaction_with("+33612345678")
        .expect("Camille's interaction");
    harness.get_by_label("Ready").click();
    harness.run();
    let offers = harness.state().desk.offers().len();
    for _ in 0..offers {
        let first = harness.state().desk.offers()[0].row.id.clone();
        harness.state_mut().desk.reject(&first).expect("reject");
        harness.state_mut().desk.settle();
    }
    platform
        .colleague_starts_im(
            "grace",
            Some("marc"),
            "Can you check order 48213?",
            Some(&customer),
        )
        .expect("consultation");
    harness.run();
    harness.get_by_label("Consultation about Camille Martin");
    harness.get_by_label_contains("Accept ").click();
    harness.run();
    harness.state_mut().desk.settle();
    harness.run();
    harness.get_by_label_contains("consultation about Camille Martin");
    harness.get_by_label("Shared by Grace Hopper for this consultation: read-only.");
    harness.get_by_label("48213");
    // order_id is editable for marc's role, but not here: one node names it (the key's label,
    // in words), no text field labelled by it.
    harness.get_by_label("Order number");
    assert!(
        harness.query_by_label_contains("Create contact").is_none(),
        "nothing to edit"
    );
}
