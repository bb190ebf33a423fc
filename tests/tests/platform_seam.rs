//! The platform seam through the real host and plugins: offers are reservations with an
//! expiry, routing keeps to each channel's capacity, the desk touches no store per keystroke
//! or per inbound message (every platform event carries what it shows), and the agent's note
//! and disposition are saved off the window's thread.

use switchboard_store_sqlite::{InteractionRecords, WrapUpRecords};
use switchboard_tests::{
    World, config_with_role, counting_store::assert_none_on_the_window_thread, library,
};

const CUSTOMER: &str = "+33612345678";

fn sms_world(role_lines: &str) -> World {
    let mut world = World::new(
        &[library("sms_page")],
        config_with_role(&["sms-page"], role_lines),
    );
    world.ready_agent("sms-page");
    world
}

/// Types `texts` one after the other in the composer and returns the store calls made.
fn store_calls_while_typing(
    world: &mut World,
    id: &str,
    texts: &[&str],
) -> std::collections::BTreeMap<&'static str, usize> {
    world.desk_store.take();
    for text in texts {
        world.desk.interaction_mut(id).expect("open").draft = (*text).to_owned();
        world.desk.composer_changed(id);
    }
    world.desk_store.take()
}

#[test]
fn typing_and_an_inbound_message_make_no_store_call_from_the_desk() {
    let config = config_with_role(&["sms-session"], "");
    let mut world = World::new(&[library("sms_session")], config);
    world.ready_agent("sms-session");
    world.customer_writes_to(
        CUSTOMER,
        switchboard_platform_embedded::DEFAULT_SESSION_NUMBER,
        "Bonjour",
    );
    let id = world.accept_first_offer();
    let per_keystroke = store_calls_while_typing(
        &mut world,
        &id,
        &["M", "Me", "Mer", "Merc", "Merci", "Merci !"],
    );
    assert!(
        per_keystroke.is_empty(),
        "store calls while typing: {per_keystroke:?}"
    );

    world.customer_writes_to(
        CUSTOMER,
        switchboard_platform_embedded::DEFAULT_SESSION_NUMBER,
        "Vous êtes là ?",
    );
    let per_inbound = world.desk_store.take();
    assert!(
        per_inbound.is_empty(),
        "store calls for an inbound message: {per_inbound:?}"
    );
    assert_eq!(
        world.texts(&id).last().map(String::as_str),
        Some("Vous êtes là ?"),
        "the message the event carried is shown"
    );
}

/// An SMS accepted on page mode, with the shipped disposition tree.
fn accepted_sms_with_dispositions() -> (World, String) {
    let mut config = config_with_role(&["sms-page"], "");
    config.dispositions = switchboard_core::config::Config::embedded().dispositions;
    let mut world = World::new(&[library("sms_page")], config);
    world.ready_agent("sms-page");
    world.customer_writes(CUSTOMER, "Où est ma commande ?");
    let id = world.accept_first_offer();
    (world, id)
}

#[test]
fn a_note_and_a_disposition_are_saved_off_the_window_thread_and_then_told_to_the_plugin() {
    let (mut world, id) = accepted_sms_with_dispositions();
    world.desk_store.take_by_thread();
    let window = std::thread::current()
        .name()
        .unwrap_or("unnamed")
        .to_owned();

    world.desk.interaction_mut(&id).expect("open").note_draft = "Rappeler demain".into();
    world.desk.save_note(&id).expect("note");
    world
        .desk
        .set_disposition(&id, "order-status")
        .expect("disposition");
    let open = world.desk.interaction(&id).expect("open");
    assert_eq!(open.note, "Rappeler demain", "shown at once");
    assert_eq!(open.disposition.as_deref(), Some("order-status"));
    world.desk.settle();
    let calls = world.desk_store.take_by_thread();
    let on_window: Vec<_> = calls
        .keys()
        .filter(|(thread, _)| *thread == window)
        .collect();
    assert!(
        on_window.is_empty(),
        "store calls on the window's thread: {on_window:?}"
    );
    assert_eq!(
        calls.get(&("desk-requests".to_owned(), "set_note")),
        Some(&1)
    );
    assert_eq!(
        calls.get(&("desk-requests".to_owned(), "set_disposition")),
        Some(&1)
    );
    assert_eq!(
        world.store.note(&id).expect("read").as_deref(),
        Some("Rappeler demain")
    );
    let open = world.desk.interaction(&id).expect("open");
    assert_eq!(open.saving, 0, "nothing left saving");
    let badges: Vec<String> = open
        .view
        .as_ref()
        .map(|v| v.badges.iter().map(|b| b.text.to_string()).collect())
        .unwrap_or_default();
    assert!(
        badges.iter().any(|b| b.contains("Disposition")),
        "the plugin was told once it was saved: {badges:?}"
    );
}

#[test]
fn a_refused_note_and_disposition_come_back_with_the_reason_and_done_stays_open() {
    let (mut world, id) = accepted_sms_with_dispositions();
    world.desk_store.refuse_wrap_up(true);

    world.desk.interaction_mut(&id).expect("open").note_draft = "Rappeler demain".into();
    world.desk.save_note(&id).expect("note");
    world
        .desk
        .set_disposition(&id, "order-status")
        .expect("disposition");
    world.desk.settle();
    let open = world.desk.interaction(&id).expect("open");
    assert_eq!(open.note, "", "the note as it was");
    assert_eq!(
        open.note_draft, "Rappeler demain",
        "the agent's text stays to save again"
    );
    assert_eq!(open.disposition, None, "the disposition as it was");
    let error = open.error.clone().unwrap_or_default();
    assert!(error.contains("disk I/O error"), "{error}");
    assert!(
        world
            .desk
            .toasts()
            .iter()
            .any(|t| t.text.contains("was not saved")),
        "the agent is told"
    );

    // Done saves the note first, closes after it, and stays open when it is refused.
    world.desk.mark_done(&id).expect("asked");
    assert!(world.desk.interaction(&id).expect("open").closing);
    world.desk.settle();
    let open = world.desk.interaction(&id).expect("still open");
    assert!(!open.closing, "to mark done again");
    let error = open.error.clone().unwrap_or_default();
    assert!(error.contains("note was not saved"), "{error}");

    world.desk_store.refuse_wrap_up(false);
    world.desk.mark_done(&id).expect("asked");
    world.desk.settle();
    assert!(
        world.desk.interaction(&id).is_none(),
        "done once the note is saved"
    );
    assert_eq!(
        world.store.note(&id).expect("read").as_deref(),
        Some("Rappeler demain")
    );
}

#[test]
fn done_does_not_wait_for_a_reply_on_its_way_and_closes_after_it() {
    let (mut world, id) = session_open("Bonjour");
    let slow = world.desk_store.hold("insert_reserved_message");
    world.desk.interaction_mut(&id).expect("open").draft = "Je regarde.".into();
    world.desk.composer_changed(&id);
    world.desk.send(&id).expect("send");
    slow.wait_reached();
    // The reply is held in the records: Done returns at once, the interaction closing.
    world.desk.mark_done(&id).expect("asked");
    world.desk.pump();
    let open = world.desk.interaction(&id).expect("closing, not closed");
    assert!(open.closing);
    // Nothing more goes out of it meanwhile.
    world.desk.interaction_mut(&id).expect("open").draft = "Encore un mot".into();
    world.desk.send(&id).expect("ignored");
    assert_eq!(
        world.desk.interaction(&id).expect("open").draft,
        "Encore un mot"
    );
    drop(slow);
    world.desk.settle();
    assert!(world.desk.interaction(&id).is_none(), "closed after it");
    let stored = world.store.transcript(&id).expect("read");
    assert_eq!(
        stored.last().map(|m| m.text.to_string()).as_deref(),
        Some("Je regarde."),
        "the reply is kept, the words typed after Done are not sent"
    );
}

#[test]
fn done_after_a_refused_reply_stays_open_until_marked_done_again() {
    let (mut world, id) = session_open("Bonjour");
    world.desk_store.refuse_replies(true);
    world.desk.interaction_mut(&id).expect("open").draft = "Je regarde.".into();
    world.desk.composer_changed(&id);
    world.desk.send(&id).expect("send");
    // Marked done before the refusal reached the desk: it stays open, with the reason.
    world.desk.mark_done(&id).expect("asked");
    world.desk.settle();
    let open = world.desk.interaction(&id).expect("still open");
    assert!(!open.closing);
    let error = open.error.clone().unwrap_or_default();
    assert!(error.contains("not sent"), "{error}");
    // The agent has seen it: Done again closes it.
    world.desk.mark_done(&id).expect("asked");
    world.desk.settle();
    assert!(world.desk.interaction(&id).is_none());
}

#[test]
fn typing_in_page_mode_makes_no_store_call_from_the_desk() {
    let mut world = sms_world("");
    world.customer_writes(CUSTOMER, "Bonjour");
    let id = world.accept_first_offer();
    let per_keystroke = store_calls_while_typing(&mut world, &id, &["M", "Me", "Mer", "Merci"]);
    assert!(
        per_keystroke.is_empty(),
        "store calls while typing: {per_keystroke:?}"
    );
}

#[test]
fn an_offer_answered_after_its_expiry_is_refused_with_a_reason() {
    let mut world = sms_world("");
    world.customer_writes(CUSTOMER, "Hello");
    let offer = world.desk.offers().first().expect("offered").clone();
    // The config gives offers 20 seconds; the answer comes at the 20th.
    world.clock.advance_seconds(20);
    world.desk.accept(&offer.row.id).expect("asked");
    assert_eq!(
        world.desk.offers()[0].answering,
        Some(switchboard_core::desk::OfferAnswer::Accepting),
        "the card says the answer is on its way"
    );
    world.desk.settle();
    let refused = world
        .desk
        .toasts()
        .iter()
        .find(|t| t.is_error)
        .expect("the refusal is told")
        .text
        .clone();
    assert!(
        refused.contains("expired"),
        "the agent reads why: {refused}"
    );
    assert!(world.desk.offers().is_empty(), "the stale offer is gone");
    assert!(world.desk.interactions().is_empty());
}

#[test]
fn an_expired_offer_goes_back_to_the_queue_and_is_offered_again() {
    let mut world = sms_world("");
    world.customer_writes(CUSTOMER, "Hello");
    let first = world.desk.offers()[0].offer_id.clone();
    world.advance_seconds(20);
    assert!(world.desk.offers().is_empty(), "withdrawn at its expiry");
    assert!(
        world
            .desk
            .toasts()
            .iter()
            .any(|t| t.text.contains("Missed SMS from")),
        "the agent is told"
    );
    world.advance_seconds(switchboard_platform_embedded::REOFFER_DELAY_SECONDS);
    let again = world.desk.offers().first().expect("offered again");
    assert_ne!(again.offer_id, first, "a new reservation");
}

#[test]
fn a_role_with_capacity_three_gets_the_fourth_chat_when_one_is_done() {
    let mut world = sms_world("capacity = { sms-page = 3 }");
    for n in 0..4 {
        world.customer_writes(&format!("+3361234567{n}"), "Hello");
    }
    assert_eq!(world.desk.offers().len(), 3, "three places, three offers");
    let ids: Vec<String> = (0..3).map(|_| world.accept_first_offer()).collect();
    world.desk.pump();
    assert!(world.desk.offers().is_empty(), "the fourth waits");
    world.desk.mark_done(&ids[1]).expect("done");
    world.desk.settle();
    world.desk.pump();
    let fourth = world.desk.offers().first().expect("the fourth is offered");
    assert_eq!(fourth.row.contact_address, "+33612345673");
}

#[test]
fn going_ready_after_a_break_brings_only_the_free_capacity() {
    let mut world = World::new(
        &[library("sms_page")],
        config_with_role(&["sms-page"], "capacity = { sms-page = 2 }"),
    );
    world.desk.sign_in("ada").expect("sign in");
    for n in 0..9 {
        world.customer_writes(&format!("+3361234560{n}"), "Bonjour");
    }
    assert!(world.desk.offers().is_empty(), "on a break");
    world.desk.set_ready("sms-page", true).expect("ready");
    world.desk.pump();
    let offered: Vec<&str> = world
        .desk
        .offers()
        .iter()
        .map(|o| o.row.contact_address.as_str())
        .collect();
    assert_eq!(
        offered,
        ["+33612345600", "+33612345601"],
        "the two oldest, no more"
    );
}

#[test]
fn going_not_ready_withdraws_the_offer() {
    let mut world = sms_world("");
    world.customer_writes(CUSTOMER, "Hello");
    assert_eq!(world.desk.offers().len(), 1);
    world.desk.set_ready("sms-page", false).expect("not ready");
    world.desk.pump();
    assert!(world.desk.offers().is_empty());
}

#[test]
fn an_offer_left_when_the_platform_stopped_is_routed_again_at_start() {
    let mut world = sms_world("");
    world.customer_writes(CUSTOMER, "Hello");
    let id = world.desk.offers()[0].row.id.clone();
    drop(world.platform);
    let restarted = switchboard_platform_embedded::EmbeddedPlatform::new(
        world.store.clone(),
        world.clock.clone(),
        "+15550100",
    )
    .expect("restarted");
    let row = {
        use switchboard_store_sqlite::prelude::*;
        world.store.interaction(&id).expect("read").expect("stored")
    };
    assert_eq!(
        row.state,
        switchboard_store_sqlite::InteractionState::Queued
    );
    drop(restarted);
}

#[test]
fn after_a_crash_the_agent_finds_their_open_work_and_an_unsent_reply_marked_failed() {
    use switchboard_core::{backend::Backend, desk::Desk, plugin_host::PluginCatalog};
    let mut world = World::new(
        &[library("sms_session")],
        config_with_role(&["sms-session"], ""),
    );
    world.ready_agent("sms-session");
    world.customer_writes_to(
        CUSTOMER,
        switchboard_platform_embedded::DEFAULT_SESSION_NUMBER,
        "Bonjour",
    );
    let id = world.accept_first_offer();
    // The desktop stored a reply and died before the platform took it.
    let unsent = world.store_unsent_reply(&id, "Je regarde votre commande");

    // A new process: a new platform over the same store, a new desk.
    let platform = switchboard_platform_embedded::EmbeddedPlatform::new(
        world.store.clone(),
        world.clock.clone(),
        "+15550100",
    )
    .expect("restarted platform");
    let mut catalog = PluginCatalog::new();
    catalog.add_library(&library("sms_session"));
    let mut desk = Desk::new(
        config_with_role(&["sms-session"], ""),
        std::sync::Arc::new(world.store.clone()),
        world.clock.clone(),
        std::sync::Arc::new(platform.clone()),
        catalog,
    );
    desk.sign_in("ada").expect("signed in again");
    let reopened = desk.interaction(&id).expect("the session is open again");
    assert_eq!(reopened.transcript.len(), 2, "with its transcript");
    assert_eq!(desk.selected(), Some(id.as_str()));
    let reply = reopened
        .transcript
        .iter()
        .find(|e| e.id == unsent.id)
        .expect("the reply");
    match reply.status.as_enum() {
        Ok(switchboard_sdk::DeliveryStatus::Failed { reason }) => {
            assert!(reason.contains("send it again"), "{reason}");
        }
        other => panic!("the unsent reply shows {other:?}"),
    }
    assert!(platform.link_up());
}

#[test]
fn one_agents_notices_do_not_show_to_the_next_agent() {
    let mut world = World::new(
        &[library("sms_page")],
        switchboard_tests::config_with_role(&["sms-page"], ""),
    );
    world.ready_agent("sms-page");
    world.customer_writes(CUSTOMER, "Hello");
    world.advance_seconds(20);
    assert!(
        world
            .desk
            .toasts()
            .iter()
            .any(|t| t.text.contains("Missed SMS from")),
        "ada is told she missed it"
    );
    world.desk.sign_out();
    world.desk.sign_in("ada").expect("the next session");
    assert!(
        world.desk.toasts().is_empty(),
        "the next session starts clean: {:?}",
        world.desk.toasts()
    );
}

/// A session-mode world with Camille's first SMS offered.
/// Camille's session, accepted and open on the desk.
fn session_open(text: &str) -> (World, String) {
    let (mut world, id) = session_offered(text);
    world.desk.accept(&id).expect("asked");
    world.desk.settle();
    (world, id)
}

fn session_offered(text: &str) -> (World, String) {
    let mut world = World::new(
        &[library("sms_session")],
        config_with_role(&["sms-session"], ""),
    );
    world.ready_agent("sms-session");
    session_message(&mut world, text);
    let id = world.desk.offers().first().expect("offered").row.id.clone();
    (world, id)
}

fn session_message(world: &mut World, text: &str) {
    world.customer_writes_to(
        CUSTOMER,
        switchboard_platform_embedded::DEFAULT_SESSION_NUMBER,
        text,
    );
}

#[test]
fn accepting_reads_nothing_on_the_window_thread_and_the_card_says_so_meanwhile() {
    let (mut world, id) = session_offered("Bonjour");
    world.desk_store.take_by_thread();
    world.desk.accept(&id).expect("asked");
    assert_eq!(
        world.desk.offers()[0].answering,
        Some(switchboard_core::desk::OfferAnswer::Accepting)
    );
    assert!(
        world.desk.accept(&id).is_err(),
        "an offer being answered is not answered twice"
    );
    world.desk.settle();
    let calls = world.desk_store.take_by_thread();
    assert_none_on_the_window_thread(&calls);
    assert_eq!(
        calls.get(&("desk-requests".to_owned(), "transcript")),
        Some(&1),
        "the transcript is read once, off the window's thread"
    );
    assert!(world.desk.offers().is_empty());
    assert_eq!(world.desk.selected(), Some(id.as_str()));
    assert_eq!(world.texts(&id), ["Bonjour"]);
}

#[test]
fn a_rejected_offer_leaves_once_the_platform_took_the_answer() {
    let (mut world, id) = session_offered("Bonjour");
    world.desk.reject(&id).expect("asked");
    assert_eq!(
        world.desk.offers()[0].answering,
        Some(switchboard_core::desk::OfferAnswer::Rejecting),
        "shown as declining until the platform answers"
    );
    world.desk.settle();
    assert!(world.desk.offers().is_empty());
    assert!(world.desk.interactions().is_empty());
    assert!(world.desk.toasts().iter().all(|t| !t.is_error));
}

#[test]
fn a_message_arriving_while_the_offer_is_answered_is_shown_once_whichever_read_it() {
    // Held at the transcript: the opening reads the second message itself, and the event that
    // carried it adds nothing. Held after it: the event, kept until the interaction opens,
    // adds it.
    for held_at in ["transcript", "contact_of_interaction"] {
        let (mut world, id) = session_offered("Bonjour");
        let store = world.desk_store.clone();
        let slow = store.hold(held_at);
        world.desk.accept(&id).expect("asked");
        slow.wait_reached();
        session_message(&mut world, "Vous êtes là ?");
        world.desk.pump();
        assert!(
            world.desk.interaction(&id).is_none(),
            "not open before the platform answered ({held_at})"
        );
        drop(slow);
        world.desk.settle();
        world.desk.pump();
        assert_eq!(
            world.texts(&id),
            ["Bonjour", "Vous êtes là ?"],
            "both messages, once each (held at {held_at})"
        );
    }
}

#[test]
fn a_contact_edit_is_saved_off_the_window_thread_and_shown_once_saved() {
    let (mut world, id) = session_open("Bonjour");
    let mut contact = world
        .desk
        .interaction(&id)
        .and_then(|o| o.contact.clone())
        .expect("the sender's record");
    contact.first_name = "Camille".into();
    contact.last_name = "Martin".into();
    world.desk_store.take_by_thread();
    world
        .desk
        .update_contact(&id, contact)
        .expect("handed over");
    let open = world.desk.interaction(&id).expect("open");
    assert!(open.contact_saving, "the editor says it is saving");
    world.desk.settle();
    let calls = world.desk_store.take_by_thread();
    assert_none_on_the_window_thread(&calls);
    assert_eq!(
        calls.get(&("desk-requests".to_owned(), "update_contact")),
        Some(&1)
    );
    let open = world.desk.interaction(&id).expect("open");
    assert!(!open.contact_saving);
    assert_eq!(open.row.contact_name, "Camille Martin", "shown once saved");
}

/// Camille's session accepted, the agent's reply typed and sent.
fn reply_sent(text: &str, refused_by_the_records: bool) -> (World, String) {
    let (mut world, id) = session_open("Bonjour");
    world.desk_store.refuse_replies(refused_by_the_records);
    world.desk_store.take_by_thread();
    world.desk.interaction_mut(&id).expect("open").draft = text.into();
    world.desk.composer_changed(&id);
    world.desk.send(&id).expect("send");
    let open = world.desk.interaction(&id).expect("open");
    let shown = open.transcript.last().expect("shown");
    assert_eq!(shown.text.as_str(), text, "shown at once");
    assert_eq!(
        shown.status.as_enum().ok(),
        Some(&switchboard_sdk::DeliveryStatus::Sending)
    );
    assert!(open.draft.is_empty());
    world.desk.settle();
    (world, id)
}

#[test]
fn a_reply_is_shown_at_once_then_stored_and_sent_off_the_window_thread() {
    let (world, id) = reply_sent("Je regarde tout de suite.", false);
    let calls = world.desk_store.take_by_thread();
    assert_none_on_the_window_thread(&calls);
    assert_eq!(
        calls.get(&("desk-requests".to_owned(), "insert_reserved_message")),
        Some(&1)
    );
    let sent = world.platform.gateway_sent();
    assert_eq!(
        sent.last().map(|m| m.body.as_str()),
        Some("Je regarde tout de suite.")
    );
    let shown_id = world.desk.interaction(&id).expect("open").transcript[1].id;
    let stored = world.store.transcript(&id).expect("read");
    assert_eq!(
        stored.last().map(|e| e.id),
        Some(shown_id),
        "stored under its id"
    );
    assert!(
        world
            .desk
            .toasts()
            .iter()
            .any(|t| t.text.starts_with("Sent to")),
        "said once handed over"
    );
}

#[test]
fn a_reply_the_records_refuse_is_marked_failed_and_its_text_comes_back() {
    let (world, id) = reply_sent("Je regarde tout de suite.", true);
    let open = world.desk.interaction(&id).expect("open");
    let shown = open
        .transcript
        .iter()
        .find(|e| e.text.as_str() == "Je regarde tout de suite.")
        .expect("shown");
    assert!(
        matches!(
            shown.status.as_enum().ok(),
            Some(switchboard_sdk::DeliveryStatus::Failed { reason }) if reason.contains("disk I/O")
        ),
        "{:?}",
        shown.status
    );
    assert_eq!(open.draft, "Je regarde tout de suite.", "to send again");
    assert!(
        open.transcript
            .iter()
            .any(|e| e.text.contains("not delivered")),
        "the plugin was told, as by a delivery report"
    );
    assert!(world.platform.gateway_sent().is_empty(), "nothing left");
    assert!(
        world
            .desk
            .toasts()
            .iter()
            .any(|t| t.is_error && t.text.contains("was not sent")),
        "the agent is told"
    );
}

#[test]
fn a_page_mode_reply_the_records_refuse_keeps_the_interaction_open_with_its_text() {
    let mut world = sms_world("");
    world.customer_writes(CUSTOMER, "Où est ma commande ?");
    let id = world.accept_first_offer();
    world.desk_store.refuse_replies(true);
    // Send and close: the plugin sends, then marks it done; the close waits behind the reply.
    world.agent_sends(&id, "Elle part demain.");
    let open = world
        .desk
        .interaction(&id)
        .expect("still open: the reply was not saved");
    assert_eq!(open.draft, "Elle part demain.", "to send again");
    assert!(world.platform.gateway_sent().is_empty());
    let refusals = world.desk.toasts().iter().filter(|t| t.is_error).count();
    assert_eq!(refusals, 1, "told once: {:?}", world.desk.toasts());
}

#[test]
fn an_invitation_shows_the_first_reply_without_reading_the_store_on_the_window_thread() {
    let config = config_with_role(
        &["internal-im"],
        "permissions = [\"internal-im\"]\n[roles.test.timers]\ninvitation_timeout_seconds = 30",
    );
    let mut world = World::new(&[library("internal_im")], config);
    world.ready_agent("internal-im");
    let grace = world
        .desk
        .team_search("hopp")
        .into_iter()
        .map(|r| r.target)
        .find(|t| t.kind == switchboard_core::directory::TargetKind::Agent)
        .expect("Grace in the directory");
    let id = world.desk.start_im(&grace, None).expect("started");
    world.desk_store.take_by_thread();
    // The first message invites the colleague; the invitation shows it.
    world.desk.interaction_mut(&id).expect("open").draft = "Can you take a French customer?".into();
    world.desk.composer_changed(&id);
    world.desk.send(&id).expect("send");
    let calls = world.desk_store.take_by_thread();
    assert_none_on_the_window_thread(&calls);
    world.desk.settle();
    let shown = world.platform.invitations_received();
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].first_message, "Can you take a French customer?");
}

#[test]
fn an_automatically_answered_interaction_opens_beside_the_one_the_agent_works_in() {
    let mut world = sms_world("auto_answer = true\ncapacity = { sms-page = 3 }");
    world.customer_writes(CUSTOMER, "Où est ma commande ?");
    world.desk.settle();
    world.desk.pump();
    let first = world.desk.interactions()[0].row.id.clone();
    assert_eq!(
        world.desk.selected(),
        Some(first.as_str()),
        "nothing was selected"
    );
    world.desk.interaction_mut(&first).expect("open").draft = "Je regarde".into();

    world.customer_writes("+33698765432", "Bonjour ?");
    world.desk.settle();
    world.desk.pump();
    assert_eq!(world.desk.interactions().len(), 2, "answered automatically");
    assert_eq!(
        world.desk.selected(),
        Some(first.as_str()),
        "the agent's reply stays in front of them"
    );
}

#[test]
fn the_panels_read_history_transcripts_and_contacts_off_the_window_thread() {
    let (mut world, first) = session_open("Ma commande 48213 est perdue");
    world.agent_sends(&first, "Je regarde.");
    world.desk.mark_done(&first).expect("asked");
    world.desk.settle();
    session_message(&mut world, "Toujours rien");
    let id = world.accept_first_offer();
    let mut record = world
        .desk
        .interaction(&id)
        .and_then(|o| o.contact.clone())
        .expect("the sender's record");
    let contact = record.id;
    record.first_name = "Camille".into();
    world.desk.update_contact(&id, record).expect("handed over");
    world.desk.settle();

    world.desk_store.take_by_thread();
    // A frame asks; the answer is not in yet. Asking again (the reads thread may have answered
    // meanwhile) queues nothing more: the count of reads below says so.
    assert!(matches!(
        world.desk.history(contact, "commande"),
        switchboard_core::desk::Looked::Pending
    ));
    assert!(!matches!(
        world.desk.history(contact, "commande"),
        switchboard_core::desk::Looked::Failed(_)
    ));
    let found = world.looked_up(|desk| desk.history(contact, "commande"));
    assert_eq!(
        found
            .iter()
            .map(|i| i.interaction.as_str())
            .collect::<Vec<_>>(),
        [first.as_str()],
        "the earlier conversation is found by a word of it"
    );
    let past = world.looked_up(|desk| desk.past_transcript(&first));
    assert_eq!(
        past.iter().map(|e| e.text.as_str()).collect::<Vec<_>>(),
        ["Ma commande 48213 est perdue", "Je regarde."]
    );
    let conversations = world.looked_up(|desk| desk.contact_conversations(contact, "", 0));
    assert_eq!(conversations.len(), 2, "the open one and the earlier one");
    let matches = world.looked_up(|desk| desk.search_contacts("Cami"));
    assert_eq!(matches.iter().map(|c| c.id).collect::<Vec<_>>(), [contact]);
    let calls = world.desk_store.take_by_thread();
    assert_none_on_the_window_thread(&calls);
    assert_eq!(
        calls.get(&("desk-reads".to_owned(), "search_history")),
        Some(&2),
        "the History search once (asked three times), the conversations once"
    );
    // An answer is kept for the frames that draw it: no second read.
    assert!(world.desk.history(contact, "commande").ready().is_some());
    world.desk.settle();
    assert!(world.desk_store.take_by_thread().is_empty());
}
