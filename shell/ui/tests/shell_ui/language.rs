//! The agent's language: the shell's, the plugins' and the administrator's words.

use egui_kittest::kittest::Queryable;
use switchboard_core::i18n::Language;

use crate::common::*;

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
fn plugins_speak_the_agents_language_and_follow_a_switch_with_their_stored_lines() {
    let (app, platform, _clock) = shell(Language::French);
    let mut harness = signed_in_and_ready(app, "ada", "Prêt");
    customer_writes(&platform, "Pouvez-vous me rappeler ?");
    harness.run();
    harness.get_by_label_contains("Accepter ").click();
    harness.run();
    harness.state_mut().desk.settle();
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
    harness.state_mut().desk.settle();
    harness.run();
    harness.get_by_label("Commandes");
    harness.get_by_label("Commande annulée").click();
    harness.run();
    // Saved on the desk's requests thread, then told to the plugin.
    harness.state_mut().desk.settle();
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
