//! The reply box: sending, spelling, shortcuts, emoji, links and the SMS counter.

use egui_kittest::{Harness, kittest::Queryable};
use switchboard_core::i18n::Language;
use switchboard_edge::InboundSms;
use switchboard_ui::ShellApp;

use crate::common::*;

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
    harness.state_mut().desk.settle();
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
    harness.state_mut().desk.settle();
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

/// Runs frames until the background thread has loaded both dictionaries.
fn wait_for_dictionaries(harness: &mut Harness<'static, ShellApp>) {
    use switchboard_spell::Language as Dictionary;
    harness.state().desk.spell().prepare(Dictionary::English);
    harness.state().desk.spell().prepare(Dictionary::French);
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

    harness.state_mut().desk.settle();

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

    harness.state_mut().desk.settle();

    harness.run();
    harness.get_by_label("Yes").click();
    harness.run();
    // Sent, then closed, off the window's thread.
    harness.state_mut().desk.settle();
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
    harness.state_mut().desk.settle();
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
    harness.state_mut().desk.settle();
    harness.run();
    harness.get_by_label("Send anyway?");
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert_eq!(platform.gateway_sent().len(), 1, "Enter is Yes");
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
