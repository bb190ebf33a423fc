//! Signing in, statuses, the interaction bar, focus, keyboard and signing out.

use egui_kittest::kittest::Queryable;
use switchboard_core::i18n::Language;
use switchboard_edge::InboundSms;
use switchboard_ui::ShellApp;

use crate::common::*;

#[test]
fn the_agent_types_their_id_and_presses_enter_as_the_sign_in_screen_opens() {
    let (app, _platform, _clock) = shell(Language::English);
    let mut harness = harness(app);
    harness.run();
    assert!(harness.get_by_label("Agent id").is_focused());
    harness.event(egui::Event::Text("ada".into()));
    harness.run();
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert_eq!(
        harness.state().desk.agent().map(|a| a.id.as_str()),
        Some("ada")
    );
    // Nothing open: the middle says so, not "select one in the bar".
    harness.get_by_label("Nothing to handle right now.");
    assert!(
        harness
            .query_by_label("Select an interaction in the bar above.")
            .is_none()
    );
}

#[test]
fn sign_in_go_ready_accept_reply_and_close() {
    let (app, platform, _clock) = shell(Language::English);
    let mut harness = harness(app);

    harness.get_by_label("Agent id").click();
    harness.get_by_label("Agent id").type_text("ada");
    harness.get_by_label("Sign in").click();
    harness.run();
    assert_eq!(
        harness.state().desk.agent().map(|a| a.id.as_str()),
        Some("ada")
    );

    harness.get_by_label("Ready").click();
    harness.run();
    customer_writes(&platform, "Where is my parcel?");
    harness.run();
    harness.get_by_label_contains("Where is my parcel?");
    harness.get_by_label_contains("Accept ").click();
    harness.run();
    harness.state_mut().desk.settle();
    harness.run();
    assert_eq!(harness.state().desk.interactions().len(), 1);

    harness.get_by_label("Reply").click();
    harness
        .get_by_label("Reply")
        .type_text("It arrives tomorrow morning.");
    harness.run();
    harness.get_by_label_contains("1 SMS · 28/160 · GSM-7");
    harness.get_by_label("Send and close").click();
    harness.run();
    harness.state_mut().desk.settle();
    harness.run();

    assert!(
        harness.state().desk.interactions().is_empty(),
        "closed after sending"
    );
    let sent = platform.gateway_sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].body, "It arrives tomorrow morning.");
    // The tab closes; a short line says where the reply went and what it cost.
    harness.get_by_label("Sent to Camille Martin · 1 SMS");
    harness.get_by_label_contains("No open interactions");
}

#[test]
fn unknown_agent_is_told_so() {
    let (app, _platform, _clock) = shell(Language::English);
    let mut harness = harness(app);
    harness.get_by_label("Agent id").click();
    harness.get_by_label("Agent id").type_text("nobody");
    harness.get_by_label("Sign in").click();
    harness.run();
    harness.get_by_label("Unknown agent id: nobody");
    assert!(harness.state().desk.agent().is_none());
}

#[test]
fn mark_done_without_reply_and_zoom() {
    let (mut harness, platform) = accepted("ada", "Thanks, all sorted!");
    harness.get_by_label("View").click();
    harness.run();
    harness.get_by_label("Zoom in").click();
    harness.run();
    assert!((harness.ctx.zoom_factor() - 1.1).abs() < 0.01);
    harness.get_by_label("Mark done").click();
    harness.run();
    harness.state_mut().desk.settle();
    harness.run();
    assert!(harness.state().desk.interactions().is_empty());
    assert!(platform.gateway_sent().is_empty());
}

#[test]
fn an_interaction_marked_done_says_closing_in_place_of_its_actions() {
    let (mut harness, _platform) = accepted("ada", "Thanks, all sorted!");
    let id = harness.state().desk.interactions()[0].row.id.clone();
    // What the agent sees while the close waits behind a reply on its way.
    harness
        .state_mut()
        .desk
        .interaction_mut(&id)
        .expect("open")
        .closing = true;
    harness.run();
    harness.get_by_label("Closing…");
    assert!(harness.query_by_label("Mark done").is_none());
}

#[test]
fn not_ready_with_a_reason_stops_offers() {
    let (app, platform, _clock) = shell(Language::English);
    let mut harness = signed_in_and_ready(app, "ada", "Ready");
    harness.get_by_label("Not Ready").click();
    harness.run();
    harness.get_by_label("Lunch").click();
    harness.run();
    harness.get_by_label("Not Ready · Lunch");
    customer_writes(&platform, "Anyone there?");
    harness.run();
    assert!(
        harness.state().desk.offers().is_empty(),
        "no offer while Not Ready"
    );
}

#[test]
fn signing_out_with_open_work_asks_first_and_hands_it_back_to_the_queue() {
    let (mut harness, platform) = accepted("ada", "Where is my order?");
    let id = harness.state().desk.interactions()[0].row.id.clone();

    harness.get_by_label("Sign out").click();
    harness.run();
    harness.get_by_label("Sign out?");
    harness.get_by_label_contains("One interaction is still open");
    harness.get_by_label_contains("• Camille Martin · SMS");
    harness.get_by_label("Stay and finish them").click();
    harness.run();
    assert!(harness.state().desk.agent().is_some(), "still signed in");
    assert_eq!(
        harness.state().desk.interactions().len(),
        1,
        "nothing dropped"
    );

    // Escape stays too.
    harness.get_by_label("Sign out").click();
    harness.run();
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(harness.query_by_label("Sign out?").is_none());
    assert!(harness.state().desk.agent().is_some());

    harness.get_by_label("Sign out").click();
    harness.run();
    harness
        .get_by_label("Hand back to the queue and sign out")
        .click();
    harness.run();
    assert!(harness.state().desk.agent().is_none(), "signed out");
    let row = {
        use switchboard_store_sqlite::prelude::*;
        platform
            .store()
            .interaction(&id)
            .expect("read")
            .expect("kept")
    };
    assert_eq!(
        row.state,
        switchboard_store_sqlite::InteractionState::Queued
    );
    assert!(
        {
            use switchboard_store_sqlite::prelude::*;
            platform.store().held_by("ada").expect("read").is_empty()
        },
        "ada no longer holds it"
    );

    // A colleague going Ready is offered it.
    harness.state_mut().sign_in_as("marc", None);
    harness.run();
    harness.get_by_label("Ready").click();
    harness.run();
    assert!(
        harness
            .state()
            .desk
            .offers()
            .iter()
            .any(|offer| offer.row.id == id),
        "offered again"
    );
}

#[test]
fn the_reply_box_has_the_focus_after_accept_so_typing_goes_there() {
    let (mut harness, _platform) = accepted("ada", "Bonjour");
    assert!(
        harness.get_by_label("Reply").is_focused(),
        "the reply box is focused on accept"
    );
    // Typing without clicking anywhere lands in the reply.
    harness.get_by_label("Reply").type_text("Merci");
    harness.run();
    let draft = {
        let desk = &harness.state().desk;
        let id = desk.selected().expect("selected").to_owned();
        desk.interaction(&id).expect("open").draft.clone()
    };
    assert_eq!(draft, "Merci");
}

#[test]
fn twenty_open_interactions_stay_on_one_line_in_the_bar() {
    let (app, platform, _clock) = shell_with(unlimited_config(), Language::English);
    let mut harness = signed_in_and_ready(app, "ada", "Ready");
    named_customers_write(&platform, 20, |n| {
        format!("Customer with a rather long name {n}")
    });
    harness.run();
    let offers = offer_ids(&harness);
    assert_eq!(offers.len(), 20);
    for id in offers {
        harness.state_mut().desk.accept(&id).expect("accepted");
        harness.state_mut().desk.settle();
    }
    harness.run();
    assert_eq!(harness.state().desk.interactions().len(), 20);
    let tops: Vec<f32> = harness
        .query_all_by_label_contains("Customer with a…")
        .map(|entry| entry.rect().top())
        .collect();
    assert!(
        tops.len() >= 5,
        "entries are drawn, shortened: {}",
        tops.len()
    );
    assert!(
        tops.iter().all(|top| (top - tops[0]).abs() < 1.0),
        "one line: {tops:?}"
    );
}

/// Signs ada in, lets `count` named customers write and accepts every offer.
fn open_interactions(count: usize) -> egui_kittest::Harness<'static, ShellApp> {
    let (app, platform, _clock) = shell_with(unlimited_config(), Language::English);
    let mut harness = signed_in_and_ready(app, "ada", "Ready");
    named_customers_write(&platform, count, |n| format!("Customer {n}"));
    harness.run();
    for id in offer_ids(&harness) {
        harness.state_mut().desk.accept(&id).expect("accepted");
        harness.state_mut().desk.settle();
    }
    harness.run();
    assert_eq!(harness.state().desk.interactions().len(), count);
    harness
}

#[test]
fn with_many_open_the_bar_starts_with_a_menu_of_them_all_that_shows_the_one_picked() {
    let few = open_interactions(6);
    assert!(
        few.query_by_label_contains("All (").is_none(),
        "six fit in the bar"
    );

    let mut harness = open_interactions(8);
    let first = open_ids(&harness)[0].clone();
    harness.state_mut().desk.select(&first);
    harness.run();
    // Each customer wrote and nobody answered yet.
    harness.get_by_label("All (8) · 8 unanswered").click();
    harness.run();
    assert_eq!(
        harness.query_all_by_label("unanswered").count(),
        8,
        "one line per interaction, each said unanswered"
    );
    // The menu's line, below the bar's entry of the same interaction.
    harness
        .query_all_by_label_contains("Customer 7 · ")
        .max_by(|a, b| a.rect().top().total_cmp(&b.rect().top()))
        .expect("listed")
        .click();
    harness.run();
    let last = open_ids(&harness)[7].clone();
    assert_eq!(harness.state().desk.selected(), Some(last.as_str()));
    assert!(
        harness.query_by_label("unanswered").is_none(),
        "the menu closed"
    );

    // From the keyboard: Ctrl+Shift+L opens the same list.
    harness.key_press_modifiers(
        egui::Modifiers::COMMAND.plus(egui::Modifiers::SHIFT),
        egui::Key::L,
    );
    harness.run();
    assert_eq!(harness.query_all_by_label("unanswered").count(), 8);
}

#[test]
fn marking_one_done_shows_its_neighbour_with_its_reply_box_focused() {
    let mut harness = open_interactions(3);
    let ids = open_ids(&harness);
    harness.state_mut().desk.select(&ids[1]);
    harness.run();
    harness.key_press_modifiers(
        egui::Modifiers::COMMAND.plus(egui::Modifiers::SHIFT),
        egui::Key::D,
    );
    harness.run();
    harness.state_mut().desk.settle();
    harness.run();
    assert_eq!(open_ids(&harness), [ids[0].clone(), ids[2].clone()]);
    assert_eq!(
        harness.state().desk.selected(),
        Some(ids[2].as_str()),
        "the one to its right"
    );
    assert!(
        harness.get_by_label("Reply").is_focused(),
        "typing goes on in the neighbour's reply box"
    );
    // The last one gives way to the one on its left.
    harness.state_mut().desk.mark_done(&ids[2]).expect("asked");
    harness.state_mut().desk.settle();
    harness.run();
    assert_eq!(harness.state().desk.selected(), Some(ids[0].as_str()));
}

#[test]
fn the_workspace_is_driven_from_the_keyboard_and_f1_lists_every_shortcut() {
    let (app, platform, _clock) = shell_with(unlimited_config(), Language::English);
    let mut harness = signed_in_and_ready(app, "ada", "Ready");
    named_customers_write(&platform, 3, |n| format!("Customer {n}"));
    harness.run();
    let ctrl_shift = egui::Modifiers::COMMAND.plus(egui::Modifiers::SHIFT);
    for _ in 0..3 {
        harness.key_press_modifiers(ctrl_shift, egui::Key::A);
        harness.run();
        harness.state_mut().desk.settle();
        harness.run();
    }
    let open = open_ids(&harness);
    assert_eq!(open.len(), 3);
    let shown =
        |h: &egui_kittest::Harness<'_, ShellApp>| h.state().desk.selected().map(str::to_owned);
    let first = shown(&harness).expect("one is shown");
    let at = |id: &str| open.iter().position(|o| o == id).expect("open");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::PageDown);
    harness.run();
    let next = shown(&harness).expect("shown");
    assert_eq!(at(&next), (at(&first) + 1) % 3, "the next one");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::PageUp);
    harness.run();
    assert_eq!(shown(&harness).as_deref(), Some(first.as_str()), "and back");

    // The Team Communicator's search, then the reply box, from the keyboard.
    harness.key_press_modifiers(ctrl_shift, egui::Key::K);
    harness.run();
    harness.event(egui::Event::Text("Marc".into()));
    harness.run();
    assert_eq!(
        harness.get_by_label("Team Communicator").value().as_deref(),
        Some("Marc"),
        "typed into the search"
    );
    harness.key_press(egui::Key::Escape);
    harness.run();
    harness.key_press_modifiers(ctrl_shift, egui::Key::M);
    harness.run();
    harness.event(egui::Event::Text("On it".into()));
    harness.run();
    assert_eq!(
        harness
            .state()
            .desk
            .interaction(&first)
            .expect("open")
            .draft,
        "On it"
    );

    // F1: every shortcut, in words.
    harness.key_press(egui::Key::F1);
    harness.run();
    harness.get_by_label("Keyboard shortcuts");
    for what in [
        "Accept the next offer",
        "Show the next interaction",
        "Go to the reply box",
        "Mark the interaction shown done",
        "Search the Team Communicator",
        "Ready on every channel",
        "Not Ready on every channel",
    ] {
        harness.get_by_label(what);
    }
    harness.key_press(egui::Key::F1);
    harness.run();
    assert!(harness.query_by_label("Keyboard shortcuts").is_none());

    // Mark done from the keyboard (the role asks no disposition for SMS).
    harness.key_press_modifiers(ctrl_shift, egui::Key::D);
    harness.run();
    harness.state_mut().desk.settle();
    harness.run();
    assert!(harness.state().desk.interaction(&first).is_none(), "done");

    // Not Ready, then Ready again, on every channel whose plugin runs.
    let statuses = |h: &egui_kittest::Harness<'_, ShellApp>| {
        h.state()
            .desk
            .channels()
            .iter()
            .filter(|c| c.is_running())
            .map(|c| c.status.clone())
            .collect::<Vec<_>>()
    };
    harness.key_press_modifiers(ctrl_shift, egui::Key::N);
    harness.run();
    assert!(
        statuses(&harness)
            .iter()
            .all(|s| matches!(s, switchboard_core::desk::ChannelStatus::NotReady(None))),
        "{:?}",
        statuses(&harness)
    );
    harness.key_press_modifiers(ctrl_shift, egui::Key::Y);
    harness.run();
    assert!(
        statuses(&harness)
            .iter()
            .all(|s| *s == switchboard_core::desk::ChannelStatus::Ready),
        "{:?}",
        statuses(&harness)
    );
}

#[test]
fn an_agent_logs_out_of_one_channel_and_ready_for_all_leaves_it_out() {
    let (app, _platform, _clock) = shell(Language::English);
    let mut harness = signed_in(app, "ada");
    let status_of = |h: &egui_kittest::Harness<'_, ShellApp>, id: &str| {
        h.state()
            .desk
            .channels()
            .iter()
            .find(|c| c.id() == id)
            .map(|c| c.status.clone())
    };
    harness.get_by_label_contains("Channels ").click();
    harness.run();
    harness.get_by_label("Log out of SMS").click();
    harness.run();
    assert_eq!(
        status_of(&harness, "sms-page"),
        Some(switchboard_core::desk::ChannelStatus::LoggedOut)
    );
    harness.get_by_label("Ready").click();
    harness.run();
    assert_eq!(
        status_of(&harness, "sms-page"),
        Some(switchboard_core::desk::ChannelStatus::LoggedOut),
        "Ready for all leaves it out"
    );
    assert_eq!(
        status_of(&harness, "sms-session"),
        Some(switchboard_core::desk::ChannelStatus::Ready)
    );
    harness.get_by_label_contains("Channels ").click();
    harness.run();
    harness.get_by_label("Logged out");
    harness.get_by_label("Log in to SMS").click();
    harness.run();
    assert_eq!(
        status_of(&harness, "sms-page"),
        Some(switchboard_core::desk::ChannelStatus::NotReady(None))
    );
}

#[test]
fn the_other_interactions_count_stays_current_and_opens_the_contacts_conversations() {
    let (app, platform, _clock) = shell_with(unlimited_config(), Language::English);
    let mut harness = signed_in_and_ready(app, "ada", "Ready");
    customer_writes(&platform, "First question");
    harness.run();
    harness.get_by_label_contains("Accept ").click();
    harness.run();
    harness.state_mut().desk.settle();
    harness.run();
    let first = harness.state().desk.interactions()[0].row.id.clone();
    assert_eq!(
        harness
            .state()
            .desk
            .interaction(&first)
            .expect("open")
            .other_interactions,
        0
    );
    customer_writes(&platform, "Second question");
    harness.run();
    harness.get_by_label_contains("Accept ").click();
    harness.run();
    harness.state_mut().desk.settle();
    harness.run();
    assert_eq!(
        harness
            .state()
            .desk
            .interaction(&first)
            .expect("open")
            .other_interactions,
        1,
        "counted when the second one opened"
    );
    harness.state_mut().desk.select(&first);
    harness.run();
    harness
        .get_by_label("One other interaction with this contact")
        .click();
    harness.run();
    // The list, then the contact's conversations, are read off the window's thread: each
    // frame may ask for what the last answer showed, so settle until nothing more is asked.
    for _ in 0..4 {
        harness.state_mut().desk.settle();
        harness.run();
        if harness.query_by_label_contains("First question").is_some() {
            break;
        }
    }
    // The Communication view, on this contact (nothing left to pick).
    harness.get_by_label("Assigned contacts");
    assert!(
        harness
            .query_by_label("Pick a contact to see their conversations.")
            .is_none()
    );
    harness.get_by_label_contains("First question");
}

#[test]
fn the_french_top_bar_fits_without_drawing_one_control_over_another() {
    let (app, _platform, _clock) = shell(Language::French);
    let harness = signed_in(app, "marc");
    let channels = harness.get_by_label_contains("Canaux ").rect();
    let sign_out = harness.get_by_label("Se déconnecter").rect();
    assert!(
        channels.right() <= sign_out.left(),
        "{channels:?} runs into {sign_out:?}"
    );
    if let Some(name) = harness.query_by_label_contains("(marc)") {
        let name = name.rect();
        assert!(
            name.width() < 1.0 || channels.right() <= name.left() + 0.5,
            "the agent's name {name:?} is drawn over {channels:?}"
        );
    }
}

#[test]
fn a_known_customer_signs_her_session_messages_with_her_name_not_her_number() {
    let (app, platform, _clock) = shell(Language::English);
    let mut harness = signed_in_and_ready(app, "ada", "Ready");
    // Her first message names her; the session's message arrives with her number only.
    customer_writes(&platform, "Where is my parcel?");
    platform
        .receive_sms(InboundSms {
            from: "+33612345678".into(),
            to: "+15550150".into(),
            body: "Any news about it?".into(),
            ..Default::default()
        })
        .expect("stored");
    harness.run();
    while let Some(offer) = harness
        .state()
        .desk
        .offers()
        .first()
        .map(|o| o.row.id.clone())
    {
        harness.state_mut().desk.accept(&offer).expect("accept");
        harness.state_mut().desk.settle();
        harness.run();
    }
    let session = harness
        .state()
        .desk
        .interactions()
        .iter()
        .find(|i| i.row.media_type == "sms-session")
        .map(|i| i.row.id.clone())
        .expect("the session is open");
    harness.state_mut().desk.select(&session);
    harness.run();
    harness.get_by_label_contains("Any news about it?");
    // The header and the message's author: one name.
    assert_eq!(harness.query_all_by_label("Camille Martin").count(), 2);
}
