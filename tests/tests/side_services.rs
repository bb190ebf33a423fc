//! Dispositions, notes and history through the real host and the real SMS page-mode library.

use switchboard_core::{config::Config, desk::DeskError};
use switchboard_store_sqlite::prelude::*;
use switchboard_tests::{World, config_with_channels, library};

/// The test role with the shipped disposition tree, requiring a code before Done on SMS.
fn config_requiring_dispositions() -> Config {
    let mut config = config_with_channels(&["sms-page"]);
    config.dispositions = Config::embedded().dispositions;
    config
        .roles
        .get_mut("test")
        .expect("role")
        .dispositions_required = vec!["sms-page".into()];
    config
}

#[test]
fn done_is_refused_until_a_disposition_is_chosen_even_after_the_reply() {
    let mut world = World::new(&[library("sms_page")], config_requiring_dispositions());
    world.ready_agent("sms-page");
    world.customer_writes("+33612345678", "Can I change my delivery address?");
    let id = world.accept_first_offer();

    world.desk.interaction_mut(&id).expect("open").draft = "Yes, send me the new address.".into();
    world.desk.send(&id).expect("send");
    world.desk.settle();
    world.desk.pump();
    assert_eq!(world.platform.gateway_sent().len(), 1, "the reply left");
    let open = world
        .desk
        .interaction(&id)
        .expect("still open: no disposition yet");
    assert!(
        open.error
            .as_deref()
            .is_some_and(|e| e.contains("disposition")),
        "{:?}",
        open.error
    );

    assert!(matches!(
        world.desk.set_disposition(&id, "no-such-code"),
        Err(DeskError::UnknownDisposition(_))
    ));
    assert!(matches!(
        world.desk.mark_done(&id),
        Err(DeskError::DispositionRequired(_))
    ));
    world
        .desk
        .set_disposition(&id, "order-change")
        .expect("disposition");
    world.desk.interaction_mut(&id).expect("open").note_draft =
        "New address confirmed by SMS".into();
    world.desk.action(&id, "done").expect("done action");
    world.desk.settle();
    assert!(world.desk.interaction(&id).is_none(), "closed");

    assert_eq!(
        world.store.disposition(&id).expect("read").as_deref(),
        Some("order-change")
    );
    assert_eq!(
        world.store.note(&id).expect("read").as_deref(),
        Some("New address confirmed by SMS")
    );
}

#[test]
fn history_and_header_count_follow_the_contact_across_interactions() {
    let mut world = World::new(&[library("sms_page")], config_with_channels(&["sms-page"]));
    world.ready_agent("sms-page");
    world.customer_writes("+33612345678", "First question about invoice 1234");
    let first = world.accept_first_offer();
    world.desk.interaction_mut(&first).expect("open").note_draft = "Invoice resent".into();
    world.desk.action(&first, "done").expect("done");

    world.clock.advance_seconds(3600);
    world.customer_writes("+33612345678", "Second question");
    let second = world.accept_first_offer();
    let open = world.desk.interaction(&second).expect("open");
    assert_eq!(
        open.other_interactions, 1,
        "the first one, closed an hour ago, is recent"
    );
    let contact = open.contact.clone().expect("contact");
    let hits = world
        .store
        .search_history(contact.id, "invoice", 10)
        .expect("search");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].interaction, first);
    assert_eq!(hits[0].note.as_deref(), Some("Invoice resent"));
}

#[test]
fn the_sms_plugin_reads_case_data_and_dispositions_through_the_host() {
    let mut world = World::new(&[library("sms_page")], config_requiring_dispositions());
    world.ready_agent("sms-page");
    world
        .platform
        .receive_sms(switchboard_edge::InboundSms {
            from: "+33612345678".into(),
            body: "Bonjour".into(),
            case_data: vec![("language".into(), "fr".into())],
            ..Default::default()
        })
        .expect("stored");
    world.desk.pump();
    let id = world.accept_first_offer();
    let badges = |world: &World| -> Vec<String> {
        let view = world
            .desk
            .interaction(&id)
            .and_then(|i| i.view.clone())
            .expect("view");
        view.badges.iter().map(|b| b.text.to_string()).collect()
    };
    assert_eq!(badges(&world), ["Customer language: FR"]);
    world
        .desk
        .set_disposition(&id, "order-status")
        .expect("disposition");
    // Saved off the window's thread; the plugin hears of it once it is.
    world.desk.settle();
    // The badge names the disposition as the administrator labelled it, not by its code.
    let shown = badges(&world);
    assert!(
        shown.contains(&"Disposition: Order status".to_owned()),
        "{shown:?}"
    );
}

#[test]
fn a_callback_is_stored_listed_and_notified_once_when_due() {
    let mut world = World::new(&[library("sms_page")], config_with_channels(&["sms-page"]));
    world.ready_agent("sms-page");
    world.customer_writes("+33612345678", "Call me back after lunch please");
    let id = world.accept_first_offer();
    let now = world.desk.now();
    assert!(matches!(
        world
            .desk
            .schedule_callback(&id, "+33612345678", now.plus_seconds(-60), ""),
        Err(DeskError::InvalidCallback(_))
    ));
    world
        .desk
        .schedule_callback(
            &id,
            "+33612345678",
            now.plus_seconds(2 * 3600),
            "Wants the new delivery date",
        )
        .expect("scheduled");
    let listed = world.desk.callbacks();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].note, "Wants the new delivery date");

    world.clock.advance_seconds(2 * 3600 - 1);
    world.desk.pump();
    assert!(
        !world
            .desk
            .toasts()
            .iter()
            .any(|t| t.text.starts_with("Callback due"))
    );
    world.clock.advance_seconds(1);
    world.desk.pump();
    world.desk.pump();
    let due: Vec<_> = world
        .desk
        .toasts()
        .iter()
        .filter(|t| t.text.starts_with("Callback due"))
        .collect();
    assert_eq!(due.len(), 1, "notified once");
    assert!(due[0].text.contains("+33612345678"));
}

#[test]
fn the_sms_plugin_reaches_history_responses_spelling_and_callbacks_through_the_host() {
    let mut world = World::new(&[library("sms_page")], config_with_channels(&["sms-page"]));
    world.ready_agent("sms-page");
    world.customer_writes("+1 415 555 0142", "First question");
    let first = world.accept_first_offer();
    world.desk.mark_done(&first).expect("done");
    world.customer_writes("+1 415 555 0142", "Second question");
    let id = world.accept_first_offer();
    let view = |world: &World| {
        world
            .desk
            .interaction(&id)
            .and_then(|i| i.view.clone())
            .expect("view")
    };
    let badges = |world: &World| -> Vec<String> {
        view(world)
            .badges
            .iter()
            .map(|b| b.text.to_string())
            .collect()
    };
    assert!(badges(&world).contains(&"1 earlier conversation".to_owned()));
    assert!(
        view(&world)
            .composer
            .hint
            .contains("#greet inserts a greeting")
    );

    dictionary_loaded(&world, switchboard_spell::Language::English);
    world.desk.interaction_mut(&id).expect("open").draft = "Your parcle left today".into();
    world.desk.composer_changed(&id);
    assert_eq!(spelling_badges(&world, &id), ["Spelling: 1 word to check"]);

    world.desk.action(&id, "callback-hour").expect("action");
    let callbacks = world.desk.callbacks();
    assert_eq!(callbacks.len(), 1);
    assert_eq!(callbacks[0].due, world.desk.now().plus_seconds(3600));
    assert_eq!(callbacks[0].number, "+1 415 555 0142");
}

/// A dictionary loads in the background when first needed; waits for it, not for time.
fn dictionary_loaded(world: &World, language: switchboard_spell::Language) {
    world.desk.spell().prepare(language);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !world.desk.spell().is_ready(language) {
        assert!(
            std::time::Instant::now() < deadline,
            "the dictionary never loaded"
        );
        std::thread::yield_now();
    }
}

/// The spelling badges of an interaction's view, as the plugin wrote them.
fn spelling_badges(world: &World, id: &str) -> Vec<String> {
    world
        .desk
        .interaction(id)
        .and_then(|i| i.view.clone())
        .expect("view")
        .badges
        .iter()
        .map(|b| b.text.to_string())
        .filter(|text| text.starts_with("Spelling"))
        .collect()
}

#[test]
fn the_plugins_spelling_count_uses_the_language_the_reply_box_underlines_in() {
    let mut world = World::new(&[library("sms_page")], config_with_channels(&["sms-page"]));
    world.ready_agent("sms-page");
    // No case data and no contact record say the language; the customer's words do.
    world.customer_writes(
        "+33 6 12 34 56 99",
        "Bonjour, ma commande n'est pas arrivée, pouvez-vous vérifier ?",
    );
    let id = world.accept_first_offer();
    let language = world.desk.spell_language(&id);
    assert_eq!(language, switchboard_spell::Language::French);
    dictionary_loaded(&world, language);
    world.desk.interaction_mut(&id).expect("open").draft = "Je vérifie votre comande".into();
    world.desk.composer_changed(&id);
    assert_eq!(
        world.desk.misspelled_in_draft(&id).len(),
        1,
        "one underlined"
    );
    assert_eq!(spelling_badges(&world, &id), ["Spelling: 1 word to check"]);

    // The agent checks in English from now on: the count follows.
    world
        .desk
        .set_spell_language(&id, switchboard_spell::Language::English);
    dictionary_loaded(&world, switchboard_spell::Language::English);
    world.desk.composer_changed(&id);
    let underlined = world.desk.misspelled_in_draft(&id).len();
    assert!(underlined > 1, "French words are unknown in English");
    assert_eq!(
        spelling_badges(&world, &id),
        [format!("Spelling: {underlined} words to check")]
    );
}
