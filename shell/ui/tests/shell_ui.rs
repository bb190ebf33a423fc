//! The real shell UI driven by accessible labels: sign in, go Ready, accept the offered SMS,
//! type, send, see the interaction close.

use egui_kittest::{Harness, kittest::Queryable};
use switchboard_core::{config::Config, i18n::Language};
use switchboard_platform_embedded::InboundSms;
use switchboard_ui::ShellApp;

mod common;
use common::*;

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
    assert_eq!(harness.state().desk.interactions().len(), 1);

    harness.get_by_label("Reply").click();
    harness
        .get_by_label("Reply")
        .type_text("It arrives tomorrow morning.");
    harness.run();
    harness.get_by_label_contains("1 SMS · 28/160 · GSM-7");
    harness.get_by_label("Send and close").click();
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
fn reject_and_offer_time_out_in_french() {
    let (app, platform, clock) = shell(Language::French);
    let mut harness = signed_in_and_ready(app, "ada", "Prêt");
    customer_writes(&platform, "Bonjour ?");
    harness.run();
    harness.get_by_label_contains("Refuser ").click();
    harness.run();
    assert!(harness.state().desk.offers().is_empty());
    clock.advance_seconds(31);
    harness.run();
    assert_eq!(
        harness.state().desk.offers().len(),
        1,
        "offered again after the delay"
    );
    clock.advance_seconds(30);
    harness.run();
    assert!(
        harness.state().desk.offers().is_empty(),
        "timed out on the host clock"
    );
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
    assert!(harness.state().desk.interactions().is_empty());
    assert!(platform.gateway_sent().is_empty());
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
fn administrator_grants_a_permission_and_the_file_loads_back_identically() {
    let (mut app, _platform, _clock) = shell(Language::English);
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("switchboard.toml");
    app.set_config_path(path.clone());
    let mut harness = signed_in(app, "marc");
    harness.get_by_label("Administration").click();
    harness.run();
    harness.get_by_label("sms-agent").click();
    harness.run();
    harness.get_by_label("Save MMS images").click();
    harness.run();
    harness.get_by_label("Save").click();
    harness.run();

    let saved = Config::load(&path).expect("saved file loads");
    assert_eq!(&saved, harness.state().desk.config());
    let role = &saved.roles["sms-agent"];
    assert!(role.grants(switchboard_core::config::Permission::SaveImages));
    harness.get_by_label_contains("Saved to");
}

#[test]
fn the_administration_view_says_the_providers_token_is_configured_never_what_it_is() {
    let mut config = unlimited_config();
    config.provider = Some(switchboard_core::config::ProviderConfig {
        kind: "twilio".into(),
        account_sid: "ACadmin01".into(),
        public_url: "https://desk.example.com".into(),
        api_base: "https://api.twilio.com".into(),
        messaging_service_sid: None,
        auth_token_variable: "SWITCHBOARD_PROVIDER_AUTH_TOKEN".into(),
        auth_token_file: None,
        media_host: "api.twilio.com".into(),
    });
    let (app, _platform, _clock) = shell_with(config, Language::English);
    let mut harness = signed_in(app, "marc");
    harness.get_by_label("Administration").click();
    harness.run();
    harness.get_by_label_contains(
        "account ACadmin01 · webhook https://desk.example.com · auth token: configured (SWITCHBOARD_PROVIDER_AUTH_TOKEN)",
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
fn the_character_that_makes_an_sms_ucs2_is_named_and_replaced_in_one_click() {
    let (mut harness, _platform) = accepted("ada", "Where is my order?");
    let id = harness.state().desk.interactions()[0].row.id.clone();
    harness.get_by_label("Reply").click();
    harness
        .get_by_label("Reply")
        .type_text("It\u{2019}s on its way \u{2026} tomorrow");
    harness.run();
    harness.get_by_label_contains("· UCS-2");
    harness.get_by_label("UCS-2 because of “\u{2019}”");
    harness.get_by_label("Replace with “'”").click();
    harness.run();
    assert_eq!(
        harness.state().desk.interaction(&id).expect("open").draft,
        "It's on its way ... tomorrow"
    );
    harness.get_by_label_contains("· GSM-7");
    assert!(harness.query_by_label_contains("UCS-2 because").is_none());
}

#[test]
fn an_agent_without_the_admin_permission_has_no_administration() {
    let (app, _platform, _clock) = shell(Language::English);
    let harness = signed_in(app, "ada");
    assert!(harness.query_by_label("Administration").is_none());
}

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
    assert!(
        harness.state().desk.interactions().is_empty(),
        "allowed once chosen"
    );
}

#[test]
fn shortcut_keywords_expand_with_filled_fields_and_responses_insert_at_the_cursor() {
    let (mut harness, _platform) = accepted("ada", "Hi, where is my order?");
    let draft = |harness: &Harness<'_, ShellApp>| -> String {
        let desk = &harness.state().desk;
        desk.interactions()[0].draft.clone()
    };

    harness.get_by_label("Reply").click();
    harness.get_by_label("Reply").type_text("#greet ");
    harness.run();
    assert_eq!(
        draft(&harness),
        "Hello Camille, this is Ada. How can I help you today? "
    );

    harness.get_by_label("Reply").type_text("#shipped");
    harness.run();
    harness.key_press(egui::Key::Tab);
    harness.run();
    assert!(
        draft(&harness).ends_with(
            "today? Your order 48213 has left our warehouse and should arrive within 2 working days. "
        ),
        "{}",
        draft(&harness)
    );

    harness.get_by_label("Responses").click();
    harness.run();
    harness.get_by_label("Refund started (en)  #refund").click();
    harness.run();
    harness.get_by_label("Insert at cursor").click();
    harness.run();
    assert!(
        draft(&harness).contains("Reference: SMS-"),
        "{}",
        draft(&harness)
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
    harness.get_by_label("Not connected");
    harness.get_by_label_contains("Your first message invites Grace Hopper.");

    harness.get_by_label("Reply").click();
    harness
        .get_by_label("Reply")
        .type_text("Can you take a French customer?");
    harness.run();
    harness.get_by_label("Send and invite").click();
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
    clock.advance_seconds(60);
    customer_writes(&platform, "And can I change the address?");
    harness.run();

    harness.get_by_label("Communication").click();
    harness.run();
    harness.get_by_label("Camille Martin (1)").click();
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
fn a_link_is_pushed_from_the_editor_and_picked_again_with_the_arrow_keys() {
    let (app, platform, clock) = shell(Language::English);
    let mut harness = signed_in_and_ready(app, "marc", "Ready");
    let (page, mut received) = tokio::sync::mpsc::unbounded_channel();
    let connection = platform.chat_start("Jordan Lee", page);
    platform
        .chat_customer_says(&connection.token, "Where do I send the parcel back?")
        .expect("stored");
    harness.run();
    harness.get_by_label_contains("Accept ").click();
    harness.run();
    // In the header and on the interaction bar.
    assert_eq!(
        harness.query_all_by_label_contains("Waiting 0:00").count(),
        2
    );
    clock.advance_seconds(31);
    harness.run();
    assert_eq!(
        harness.query_all_by_label_contains("Waiting 0:31").count(),
        2
    );

    harness.get_by_label("Push URL").click();
    harness
        .get_by_label("Push URL")
        .type_text("https://shop.example/returns");
    harness.run();
    harness.get_by_label("Send link").click();
    harness.run();
    let sent: Vec<String> = std::iter::from_fn(|| received.try_recv().ok()).collect();
    assert!(
        sent.iter()
            .any(|m| m.contains("https://shop.example/returns")),
        "{sent:?}"
    );
    harness.get_by_label_contains("Pushed before");

    harness.get_by_label("Push URL").click();
    harness.key_press(egui::Key::ArrowDown);
    harness.run();
    assert_eq!(
        harness.get_by_label("Push URL").value().as_deref(),
        Some("https://shop.example/returns")
    );
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

#[test]
fn offers_that_do_not_fit_are_listed_compactly_and_can_be_accepted() {
    let (app, platform, _clock) = shell_with(unlimited_config(), Language::English);
    let mut harness = signed_in_and_ready(app, "ada", "Ready");
    named_customers_write(&platform, 7, |n| format!("Customer {n}"));
    harness.run();
    let hidden = (1..7)
        .find(|n| {
            harness
                .query_by_label(&format!("{n} more waiting"))
                .is_some()
        })
        .expect("a compact list of the offers that do not fit");
    assert!(hidden < 7, "some offers show as cards");
    harness.get_by_label_contains("· Customer 6 ·");
    harness.get_by_label("Accept SMS from Customer 6");
    let accepts = harness.query_all_by_label_contains("Accept ").count();
    assert_eq!(accepts, 7, "every offer can be accepted");
    harness
        .query_all_by_label_contains("Accept ")
        .last()
        .expect("an Accept")
        .click();
    harness.run();
    assert_eq!(harness.state().desk.interactions().len(), 1);
    assert_eq!(
        harness.state().desk.interactions()[0].row.contact_name,
        "Customer 6"
    );
}

/// Runs frames until the background thread has loaded both dictionaries.
fn wait_for_dictionaries(harness: &mut Harness<'static, ShellApp>) {
    use switchboard_spell::Language as Dictionary;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !(harness.state().desk.spell().is_ready(Dictionary::English)
        && harness.state().desk.spell().is_ready(Dictionary::French))
    {
        assert!(
            std::time::Instant::now() < deadline,
            "dictionaries never loaded"
        );
        std::thread::yield_now();
    }
    harness.run();
}

#[test]
fn misspelled_text_asks_send_anyway_and_no_returns_to_the_text() {
    let (mut harness, platform) = accepted("ada", "Where is my parcel?");
    wait_for_dictionaries(&mut harness);
    harness.get_by_label("Reply").click();
    harness
        .get_by_label("Reply")
        .type_text("Your parcell arives tomorow");
    harness.run();
    assert_eq!(
        harness
            .state()
            .desk
            .misspelled_in_draft(&harness.state().desk.interactions()[0].row.id)
            .len(),
        3
    );

    harness.get_by_label("Send and close").click();
    harness.run();
    harness.get_by_label("Send anyway?");
    harness.get_by_label("No").click();
    harness.run();
    assert!(harness.query_by_label("Send anyway?").is_none());
    assert!(platform.gateway_sent().is_empty(), "No does not send");
    assert_eq!(
        harness.state().desk.interactions()[0].draft,
        "Your parcell arives tomorow"
    );

    harness.get_by_label("Send and close").click();
    harness.run();
    harness.get_by_label("Yes").click();
    harness.run();
    assert_eq!(platform.gateway_sent().len(), 1, "Yes sends");
    assert!(harness.state().desk.interactions().is_empty());
}

#[test]
fn right_click_offers_suggestions_and_adds_words_to_my_dictionary() {
    let (mut harness, _platform) = accepted("ada", "Hi");
    wait_for_dictionaries(&mut harness);
    harness.get_by_label("Reply").click();
    harness.get_by_label("Reply").type_text("It will arive");
    harness.run();
    harness.get_by_label("Reply").click_secondary();
    harness.run();
    // Suggestions are computed off the UI thread; frames go on meanwhile.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while harness.query_by_label("arrive").is_none() {
        assert!(
            std::time::Instant::now() < deadline,
            "no suggestion arrived"
        );
        harness.step();
    }
    // A menu item is chosen the way assistive technology does (kittest's pointer click
    // presses and releases in one frame, which closes the menu before the item sees it).
    harness.get_by_label("arrive").click_accesskit();
    harness.run();
    assert_eq!(
        harness.state().desk.interactions()[0].draft,
        "It will arrive"
    );

    harness.get_by_label("Reply").click();
    harness.get_by_label("Reply").type_text(" Switchboardly");
    harness.run();
    harness.get_by_label("Reply").click_secondary();
    harness.run();
    harness
        .get_by_label("Add \"Switchboardly\" to my dictionary")
        .click_accesskit();
    harness.run();
    let id = harness.state().desk.interactions()[0].row.id.clone();
    assert!(harness.state().desk.misspelled_in_draft(&id).is_empty());
    // Added for the language this conversation is checked in, not for every language.
    let spell = harness.state().desk.spell();
    assert!(spell.check_word(switchboard_spell::Language::English, "Switchboardly"));
    assert!(!spell.check_word(switchboard_spell::Language::French, "Switchboardly"));
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
    let found = harness.state().desk.search_contacts("0177", 5);
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
    harness.get_by_label("Save contact");
    assert!(
        harness
            .query_by_label_contains("already belongs to the contact Jordan Lee")
            .is_some(),
        "the refusal names the other contact"
    );
}

#[test]
fn the_contacts_name_is_never_underlined() {
    let (mut harness, _platform) = accepted_sms(
        "ada",
        InboundSms {
            from: "+15550199".into(),
            body: "Hi".into(),
            name: Some("Zorvath Quellen".into()),
            ..Default::default()
        },
    );
    wait_for_dictionaries(&mut harness);
    harness.get_by_label("Reply").click();
    harness
        .get_by_label("Reply")
        .type_text("Hello Zorvath Quellen, your parcell left");
    harness.run();
    let id = harness.state().desk.interactions()[0].row.id.clone();
    let misspelled = harness.state().desk.misspelled_in_draft(&id);
    let draft = harness.state().desk.interactions()[0].draft.clone();
    let words: Vec<&str> = misspelled.iter().map(|r| &draft[r.clone()]).collect();
    assert_eq!(words, ["parcell"]);
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
fn shift_enter_makes_a_new_line_and_enter_sends() {
    let (mut harness, platform) = accepted("ada", "Bonjour");
    harness.get_by_label("Reply").type_text("Line one");
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::SHIFT, egui::Key::Enter);
    harness.run();
    harness.get_by_label("Reply").type_text("line two");
    harness.run();
    let id = harness
        .state()
        .desk
        .selected()
        .expect("selected")
        .to_owned();
    assert_eq!(
        harness.state().desk.interaction(&id).expect("open").draft,
        "Line one\nline two",
        "Shift+Enter made a new line and sent nothing"
    );
    assert!(platform.gateway_sent().is_empty());
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert_eq!(platform.gateway_sent().len(), 1, "Enter sent the two lines");
    assert_eq!(platform.gateway_sent()[0].body, "Line one\nline two");
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

#[test]
fn the_oldest_offer_is_accepted_or_rejected_from_the_keyboard() {
    let (app, platform, _clock) = shell_with(unlimited_config(), Language::English);
    let mut harness = signed_in_and_ready(app, "ada", "Ready");
    named_customers_write(&platform, 2, |n| format!("Customer {n}"));
    harness.run();
    let oldest = harness.state().desk.offers()[0].row.id.clone();
    let shortcut = egui::Modifiers::COMMAND.plus(egui::Modifiers::SHIFT);
    harness.key_press_modifiers(shortcut, egui::Key::R);
    harness.run();
    assert!(
        harness
            .state()
            .desk
            .offers()
            .iter()
            .all(|o| o.row.id != oldest),
        "the oldest was rejected"
    );
    let next = harness.state().desk.offers()[0].row.id.clone();
    harness.key_press_modifiers(shortcut, egui::Key::A);
    harness.run();
    assert_eq!(harness.state().desk.selected(), Some(next.as_str()));
    assert!(
        harness.get_by_label("Reply").is_focused(),
        "and typing goes to its reply box"
    );
}

#[test]
fn the_send_anyway_dialog_answers_escape_and_enter_and_keeps_the_draft() {
    let (mut harness, platform) = accepted("ada", "Where is my parcel?");
    wait_for_dictionaries(&mut harness);
    harness.get_by_label("Reply").click();
    harness
        .get_by_label("Reply")
        .type_text("Your parcell arives tomorow");
    harness.run();
    harness.get_by_label("Send and close").click();
    harness.run();
    harness.get_by_label("Send anyway?");
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(
        harness.query_by_label("Send anyway?").is_none(),
        "Escape is No"
    );
    assert!(platform.gateway_sent().is_empty());
    assert_eq!(
        harness.state().desk.interactions()[0].draft,
        "Your parcell arives tomorow",
        "the draft is kept"
    );
    harness.get_by_label("Send and close").click();
    harness.run();
    harness.get_by_label("Send anyway?");
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert_eq!(platform.gateway_sent().len(), 1, "Enter is Yes");
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
    ] {
        harness.get_by_label(what);
    }
    harness.key_press(egui::Key::F1);
    harness.run();
    assert!(harness.query_by_label("Keyboard shortcuts").is_none());

    // Mark done from the keyboard (the role asks no disposition for SMS).
    harness.key_press_modifiers(ctrl_shift, egui::Key::D);
    harness.run();
    assert!(harness.state().desk.interaction(&first).is_none(), "done");
}

#[test]
fn spelling_follows_the_language_the_customer_writes_and_switches_in_one_click() {
    let (harness, _platform) = accepted(
        "ada",
        "Bonjour, je n'ai toujours pas reçu ma commande, pouvez-vous vérifier ?",
    );
    let mut harness = harness;
    let id = harness.state().desk.interactions()[0].row.id.clone();
    assert_eq!(
        harness.state().desk.spell_language(&id),
        switchboard_spell::Language::French,
        "no case data or contact language: the customer's French decides"
    );
    harness.get_by_label("Spelling: French").click();
    harness.run();
    assert_eq!(
        harness.state().desk.spell_language(&id),
        switchboard_spell::Language::English
    );
    harness.get_by_label("Spelling: English");
}

#[test]
fn an_emoji_is_found_by_name_and_inserted_from_the_keyboard() {
    let (mut harness, _platform) = accepted("ada", "Where is my order?");
    let id = harness.state().desk.interactions()[0].row.id.clone();
    harness.get_by_label("Reply").click();
    harness.get_by_label("Reply").type_text("Here it is ");
    harness.run();
    harness.get_by_label("Insert an emoji").click();
    harness.run();
    harness.event(egui::Event::Text("thumbs up".into()));
    harness.run();
    harness.get_by_label("thumbs up");
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert_eq!(
        harness.state().desk.interaction(&id).expect("open").draft,
        "Here it is \u{1F44D}"
    );
    assert!(harness.query_by_label("Search emoji").is_none(), "closed");
}

#[test]
fn an_unknown_senders_number_reads_grouped_in_the_offer_the_bar_and_the_header() {
    let (app, platform, _clock) = shell(Language::English);
    let mut harness = signed_in_and_ready(app, "ada", "Ready");
    platform
        .receive_sms(InboundSms {
            from: "+33698765432".into(),
            body: "Hello?".into(),
            ..Default::default()
        })
        .expect("stored");
    harness.run();
    harness.get_by_label("From +33 6 98 76 54 32");
    harness.get_by_label_contains("Accept ").click();
    harness.run();
    assert!(
        harness
            .query_all_by_label_contains("+33 6 98 76 54 32")
            .count()
            >= 3,
        "the bar, the header and the transcript"
    );
    assert!(harness.query_by_label_contains("+33698765432").is_none());
}

#[test]
fn the_shells_own_notices_speak_the_agents_language() {
    let (app, platform, clock) = shell(Language::French);
    let mut harness = signed_in_and_ready(app, "ada", "Prêt");
    customer_writes(&platform, "Bonjour ?");
    harness.run();
    clock.advance_seconds(31);
    harness.run();
    harness.get_by_label_contains("manqué de Camille Martin\u{a0}: l’offre a expiré.");
    assert!(harness.query_by_label_contains("Missed").is_none());
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
fn the_administration_and_plugins_windows_open_below_the_bars() {
    let (app, _platform, _clock) = shell(Language::English);
    let mut harness = signed_in(app, "marc");
    harness.get_by_label("Administration").click();
    harness.run();
    // Channels by their names, not their configuration ids.
    assert!(harness.query_all_by_label("SMS session").next().is_some());
    assert!(harness.query_by_label("sms-session").is_none());
    let roles = harness.get_by_label("Roles").rect();
    assert!(
        roles.top() >= 90.0,
        "the window starts below the bars: {roles:?}"
    );
    harness.get_by_label("Plugins").click();
    harness.run();
    let title = harness.get_by_label("Channel plugins").rect();
    assert!(
        title.top() >= 90.0,
        "the Plugins window is below the bars: {title:?}"
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
fn a_plugin_that_panicked_shows_as_failed_with_its_reason_in_the_plugins_window() {
    let config = Config::parse(
        "[roles.test]\nchannels = [\"panicky\"]\n\
         [[agents]]\nid = \"ada\"\nname = \"Ada Lovelace\"\nrole = \"test\"\n",
        "test config",
    )
    .expect("config");
    let (app, platform, _clock) = shell_with_plugins(config, Language::English, |catalog| {
        catalog.add_builtin::<panicking_plugin::Panicky>();
    });
    let mut harness = signed_in_and_ready(app, "ada", "Ready");
    customer_writes(&platform, "Hello?");
    harness.run();
    harness.get_by_label_contains("Accept ").click();
    harness.run();
    harness.get_by_label("Plugins").click();
    harness.run();
    harness.step();
    harness.run();
    harness.get_by_label("failed");
    // The reason stands beside it.
    assert!(
        harness
            .query_all_by_label_contains("unavailable: ")
            .next()
            .is_some(),
        "the failure's reason"
    );
    assert_eq!(
        harness.query_all_by_label("loaded").count(),
        4,
        "the four other plugins are loaded; the one that panicked is not"
    );
}

#[test]
fn an_offer_never_covers_the_reply_box_or_the_side_panel() {
    let (app, platform, _clock) = shell_with(unlimited_config(), Language::English);
    let mut harness = signed_in_and_ready(app, "ada", "Ready");
    customer_writes(&platform, "First question");
    harness.run();
    harness.get_by_label_contains("Accept ").click();
    harness.run();
    named_customers_write(&platform, 1, |_| "Robin Vasseur".into());
    harness.run();
    let accept = harness.get_by_label("Accept SMS from Robin Vasseur").rect();
    let reply = harness.get_by_label("Reply").rect();
    let panel_tab = harness.get_by_label("Disposition").rect();
    assert!(
        !accept.intersects(reply) && accept.bottom() <= reply.top(),
        "the offer {accept:?} is above the reply box {reply:?}"
    );
    assert!(
        accept.right() <= panel_tab.left(),
        "the offer {accept:?} stays left of the side panel {panel_tab:?}"
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
fn plugins_speak_the_agents_language_and_follow_a_switch_with_their_stored_lines() {
    let (app, platform, _clock) = shell(Language::French);
    let mut harness = signed_in_and_ready(app, "ada", "Prêt");
    customer_writes(&platform, "Pouvez-vous me rappeler ?");
    harness.run();
    harness.get_by_label_contains("Accepter ").click();
    harness.run();
    harness.get_by_label_contains("SMS entrant · mode page");
    harness.get_by_label("Envoyer et clore");
    harness.get_by_label("Rappeler dans 1 h").click();
    harness.run();
    harness.get_by_label_contains("Rappel du +33612345678 planifié dans une heure.");

    harness.state_mut().set_language(Language::English);
    harness.run();
    harness.get_by_label_contains("Inbound SMS · page mode");
    harness.get_by_label("Send and close");
    // The line was stored by message id: it reads in the language of whoever reads it now.
    harness.get_by_label_contains("Callback to +33612345678 scheduled in one hour.");
    assert!(harness.query_by_label_contains("planifié").is_none());
}

#[test]
fn dispositions_and_not_ready_reasons_read_in_the_agents_language_and_follow_a_switch() {
    let (app, platform, _clock) = shell(Language::French);
    let mut harness = signed_in_and_ready(app, "marc", "Prêt");
    customer_writes(&platform, "Annulez ma commande 48213");
    harness.run();
    harness.get_by_label_contains("Accepter ").click();
    harness.run();
    harness.get_by_label("Commandes");
    harness.get_by_label("Commande annulée").click();
    harness.run();
    // The plugin's badge names the disposition by its French label, through the SDK.
    harness.get_by_label_contains("Disposition\u{a0}: Commande annulée");

    harness.state_mut().set_language(Language::English);
    harness.run();
    harness.get_by_label("Order cancelled");
    harness.get_by_label_contains("Disposition: Order cancelled");
    assert!(
        harness
            .query_by_label_contains("Commande annulée")
            .is_none()
    );
}

#[test]
fn an_administrator_names_a_not_ready_reason_in_french_and_the_menu_reads_it() {
    let (app, _platform, _clock) = shell(Language::French);
    let mut harness = signed_in(app, "ada");
    let mut config = harness.state().desk.config().clone();
    assert_eq!(
        harness
            .state()
            .desk
            .named(switchboard_core::config::LabelKind::NotReadyReason, "Lunch"),
        "Déjeuner"
    );
    config.set_label(
        switchboard_core::config::LabelKind::NotReadyReason,
        "Lunch",
        "fr",
        "Pause déjeuner",
    );
    harness.state_mut().desk.replace_config(config);
    harness.run();
    harness.get_by_label_contains("Pas prêt").click();
    harness.run();
    harness.get_by_label("Pause déjeuner");
    assert!(harness.query_by_label("Lunch").is_none());
}

#[test]
fn an_administrator_labels_a_not_ready_reason_in_french_in_the_administration_view() {
    let (mut app, _platform, _clock) = shell(Language::English);
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("switchboard.toml");
    app.set_config_path(path.clone());
    let mut harness = signed_in(app, "marc");
    harness.get_by_label("Administration").click();
    harness.run();
    harness.get_by_label("Labels in each language").click();
    harness.run();
    harness.get_by_label("Lunch, Français").click();
    harness.get_by_label("Lunch, Français").type_text(" (1 h)");
    harness.run();
    harness.get_by_label("Save").click();
    harness.run();
    let saved = Config::load(&path).expect("saved file loads");
    assert_eq!(
        saved.label(
            switchboard_core::config::LabelKind::NotReadyReason,
            "Lunch",
            "fr"
        ),
        Some("Déjeuner (1 h)")
    );
}
