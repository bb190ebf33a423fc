//! The side panels: disposition, callback, contact, case data.

use egui_kittest::kittest::Queryable;
use switchboard_edge::InboundSms;

use crate::common::*;

#[test]
fn done_is_refused_without_a_disposition_when_required_then_allowed() {
    let (mut harness, _platform) = accepted("marc", "Please cancel my order 48213");
    harness.get_by_label("Mark done").click();
    harness.run();
    assert_eq!(
        harness.state().desk.interactions().len(),
        1,
        "refused without a disposition"
    );
    assert_eq!(
        harness
            .query_all_by_label_contains("Choose a disposition")
            .count(),
        1,
        "said once, on the interaction"
    );
    harness.get_by_label("Order cancelled").click();
    harness.run();
    harness.get_by_label("Mark done").click();
    harness.run();
    harness.state_mut().desk.settle();
    harness.run();
    assert!(
        harness.state().desk.interactions().is_empty(),
        "allowed once chosen"
    );
}

#[test]
fn callback_form_schedules_and_lists() {
    let (mut harness, _platform) = accepted("ada", "Can you call me tomorrow?");
    harness.get_by_label("Callback").click();
    harness.run();
    // Pick tomorrow at 14:30, local time, from the lists.
    harness.get_by_label("Day").click();
    harness.run();
    harness.get_by_label_contains("Tomorrow · ").click();
    harness.run();
    harness
        .query_all_by_label("Time (local)")
        .next()
        .expect("hour")
        .click();
    harness.run();
    harness.get_by_label("14").click();
    harness.run();
    harness
        .query_all_by_label("Time (local)")
        .nth(1)
        .expect("minute")
        .click();
    harness.run();
    harness.get_by_label("30").click();
    harness.run();
    harness.get_by_label("Reason").click();
    harness.get_by_label("Reason").type_text("Delivery date");
    harness.run();
    harness.get_by_label("Schedule callback").click();
    harness.run();
    let callbacks = harness.state().desk.callbacks();
    assert_eq!(callbacks.len(), 1);
    assert_eq!(callbacks[0].note, "Delivery date");
    let zone = jiff::tz::TimeZone::try_system().unwrap_or(jiff::tz::TimeZone::UTC);
    let now = jiff::Timestamp::from_millisecond(harness.state().desk.now().0)
        .expect("now")
        .to_zoned(zone.clone());
    let due = jiff::Timestamp::from_millisecond(callbacks[0].due.0)
        .expect("due")
        .to_zoned(zone);
    assert_eq!(due.date(), now.date().tomorrow().expect("tomorrow"));
    assert_eq!((due.hour(), due.minute()), (14, 30), "local time");
    harness.get_by_label_contains(&due.strftime("%Y-%m-%d 14:30").to_string());
}

#[test]
fn participant_menu_calls_and_emails_the_contact() {
    let (mut harness, _platform) = accepted("ada", "Bonjour");
    harness.state_mut().set_link_opener(|_| Ok(()));
    harness.get_by_label("Contact").click();
    harness.run();
    harness.get_by_label("Edit contact").click();
    harness.run();
    harness.get_by_label("+ E-mail").click();
    harness.run();
    harness.get_by_label("E-mail").click();
    harness
        .get_by_label("E-mail")
        .type_text("camille@example.org");
    harness.run();
    harness.get_by_label("Save contact").click();
    harness.run();
    harness.state_mut().desk.settle();
    harness.run();
    assert!(
        harness.query_by_label("Save contact").is_none(),
        "the editor closes once saved"
    );
    harness.get_by_label("Contact actions").click();
    harness.run();
    harness.get_by_label("Call +33612345678").click_accesskit();
    harness.run();
    harness.get_by_label("Contact actions").click();
    harness.run();
    harness
        .get_by_label("E-mail camille@example.org")
        .click_accesskit();
    harness.run();
    assert_eq!(
        harness.state().opened_links,
        ["tel:+33612345678", "mailto:camille@example.org"]
    );
}

#[test]
fn an_unknown_sender_becomes_a_contact_with_two_numbers_and_a_custom_field() {
    let (mut harness, _platform) = accepted_sms(
        "ada",
        InboundSms {
            from: "+15550199".into(),
            body: "Hi, is my order shipped?".into(),
            ..Default::default()
        },
    );
    harness.get_by_label("Unknown sender");
    harness.get_by_label("Create contact").click();
    harness.run();
    harness.get_by_label("First name").click();
    harness.get_by_label("First name").type_text("Jordan");
    harness.get_by_label("Last name").click();
    harness.get_by_label("Last name").type_text("Lee");
    harness.get_by_label("+ Phone").click();
    harness.run();
    let second = harness
        .get_all_by_label("Phone")
        .nth(1)
        .expect("second phone row");
    second.click();
    second.type_text("+1 (555) 0177");
    harness.get_by_label("+ Field").click();
    harness.run();
    harness.get_by_label("Field name").click();
    harness.get_by_label("Field name").type_text("Account");
    harness.get_by_label("Value").click();
    harness.get_by_label("Value").type_text("A-1029");
    harness.run();
    harness.get_by_label("Save contact").click();
    harness.run();
    harness.state_mut().desk.settle();
    harness.run();

    let open = &harness.state().desk.interactions()[0];
    let contact = open.contact.clone().expect("contact");
    assert!(contact.known);
    assert_eq!(open.row.contact_name, "Jordan Lee");
    assert_eq!(
        contact
            .phones
            .iter()
            .map(|p| p.value.as_str())
            .collect::<Vec<_>>(),
        ["+15550199", "+1 (555) 0177"]
    );
    assert_eq!(contact.field("account"), Some("A-1029"));
    assert!(harness.query_by_label("Unknown sender").is_none());
    harness.get_by_label("A-1029");

    // The second number reaches the same contact next time.
    let desk = &mut harness.state_mut().desk;
    let _asked = desk.search_contacts("0177");
    desk.settle();
    let found = desk.search_contacts("0177").ready().expect("read");
    assert_eq!(found.first().map(|c| c.id), Some(contact.id));
}

#[test]
fn a_number_of_another_contact_is_refused_and_the_editor_keeps_the_text() {
    let (mut harness, platform) = accepted("ada", "Bonjour");
    platform
        .receive_sms(InboundSms {
            from: "+15550199".into(),
            body: "Hello".into(),
            name: Some("Jordan Lee".into()),
            ..Default::default()
        })
        .expect("second contact");
    harness.run();
    harness.get_by_label("Contact").click();
    harness.run();
    harness.get_by_label("Edit contact").click();
    harness.run();
    harness.get_by_label("+ Phone").click();
    harness.run();
    let second = harness
        .get_all_by_label("Phone")
        .nth(1)
        .expect("second phone row");
    second.click();
    second.type_text("+1 555 0199");
    harness.run();
    harness.get_by_label("Save contact").click();
    harness.run();
    harness.state_mut().desk.settle();
    harness.run();
    harness.get_by_label("Save contact");
    assert!(
        harness
            .query_by_label_contains("already belongs to the contact Jordan Lee")
            .is_some(),
        "the refusal names the other contact"
    );
}

#[test]
fn the_side_panel_keeps_its_width_from_tab_to_tab() {
    let (mut harness, _platform) = accepted("ada", "Where is my order 48213?");
    let mut lefts = Vec::new();
    for tab in [
        "Disposition",
        "Note",
        "Case data",
        "Contact",
        "History",
        "Responses",
        "Callback",
    ] {
        if let Some(node) = harness.query_by_label(tab) {
            node.click();
            harness.run();
            lefts.push((tab, harness.get_by_label("Disposition").rect().left()));
        }
    }
    assert!(lefts.len() >= 5, "{lefts:?}");
    assert!(
        lefts
            .iter()
            .all(|(_, left)| (left - lefts[0].1).abs() < 1.0),
        "the panel's edge moved: {lefts:?}"
    );
}

#[test]
fn case_data_keys_are_named_in_words_and_the_platforms_own_keys_stay_hidden() {
    let sms = InboundSms {
        case_data: vec![
            ("language".into(), "fr".into()),
            ("_peer".into(), "IM-0001".into()),
            ("loyalty_tier".into(), "gold".into()),
        ],
        ..from_camille("Bonjour")
    };
    let (mut harness, _platform) = accepted_sms("ada", sms);
    harness.get_by_label("Case data").click();
    harness.run();
    harness.get_by_label("Language");
    // A key the shell has no words for is shown as the platform gave it.
    harness.get_by_label("loyalty_tier");
    assert!(
        harness.query_by_label("_peer").is_none(),
        "a platform's own key is hidden"
    );
    assert!(harness.query_by_label("IM-0001").is_none());
    assert!(
        harness.query_by_label("language").is_none(),
        "never the raw key"
    );
}

#[test]
fn the_history_panel_lists_what_the_records_found_for_the_search() {
    let (mut harness, _platform) = accepted("ada", "Where is my order 48213?");
    harness.get_by_label("History").click();
    harness.run();
    harness.state_mut().desk.settle();
    harness.run();
    assert!(harness.query_by_label("Searching…").is_none());
    // The open conversation is in the contact's history, marked as this one.
    harness.get_by_label_contains("this one");

    harness.get_by_label("Search history").click();
    harness.get_by_label("Search history").type_text("refund");
    harness.run();
    harness.state_mut().desk.settle();
    harness.run();
    assert!(harness.query_by_label("Searching…").is_none());
    harness.get_by_label("Nothing found.");
    assert!(harness.query_by_label_contains("this one").is_none());
}
