//! What a screen reader meets: every screen's AccessKit tree is walked, and an interactive
//! node (button, field, check box, link, choice) without a name fails the test, naming the
//! screen, the node's role and where it is. Both languages.

use egui_kittest::{
    Harness,
    kittest::{NodeT, Queryable},
};
use switchboard_core::i18n::Language;
use switchboard_ui::ShellApp;

mod common;
use common::*;

/// The interactive nodes of the current screen that have no name, and how many were seen.
fn nameless(harness: &Harness<'_, ShellApp>) -> (Vec<String>, usize) {
    use egui::accesskit::Role;
    let mut seen = 0;
    let missing = harness
        .root()
        .children_recursive()
        .filter_map(|node| {
            let access = node.accesskit_node();
            let interactive = matches!(
                access.role(),
                Role::Button
                    | Role::CheckBox
                    | Role::TextInput
                    | Role::MultilineTextInput
                    | Role::SearchInput
                    | Role::ComboBox
                    | Role::Link
                    | Role::RadioButton
                    | Role::Slider
                    | Role::SpinButton
                    | Role::Tab
                    | Role::MenuItem
                    | Role::Switch
            );
            let named = access.label().is_some_and(|label| !label.trim().is_empty());
            seen += usize::from(interactive);
            (interactive && !named).then(|| {
                format!(
                    "{:?} at {:?} (value {:?})",
                    access.role(),
                    access.bounding_box().map(|b| (b.x0 as i32, b.y0 as i32)),
                    access.value()
                )
            })
        })
        .collect();
    (missing, seen)
}

/// Walks the screen shown; at least `controls` interactive nodes must be there (so a screen
/// that failed to open cannot pass as "nothing nameless").
fn check(harness: &Harness<'_, ShellApp>, screen: &str, found: &mut Vec<String>) {
    let (missing, seen) = nameless(harness);
    assert!(
        seen >= 2,
        "{screen}: only {seen} interactive nodes; did the screen open?"
    );
    for node in missing {
        found.push(format!("{screen}: {node}"));
    }
}

fn walk_every_screen(language: Language, words: &Words) -> Vec<String> {
    let mut found = Vec::new();
    let (app, platform, _clock) = shell_with(unlimited_config(), language);
    let mut harness = harness(app);
    harness.run();
    check(&harness, "sign-in", &mut found);

    harness.state_mut().sign_in_as("marc", None);
    harness.run();
    check(&harness, "workspace, nothing open", &mut found);
    harness.get_by_label(words.ready).click();
    harness.run();
    customer_writes(&platform, "Where is my order 48213?");
    named_customers_write(&platform, 2, |n| format!("Customer {n}"));
    harness.run();
    check(&harness, "offers", &mut found);
    // With offers stacked, each button says which offer it answers.
    harness.get_by_label(words.accept_camille);
    let offers = offer_ids(&harness);
    for id in offers {
        harness.state_mut().desk.accept(&id).expect("accepted");
        harness.state_mut().desk.settle();
    }
    harness.run();
    check(&harness, "an SMS open", &mut found);
    harness.get_by_label(words.emoji).click();
    harness.run();
    check(&harness, "emoji picker", &mut found);
    harness.key_press(egui::Key::Escape);
    harness.run();
    for panel in words.panels {
        if let Some(tab) = harness.query_by_label(panel) {
            tab.click();
            harness.run();
            check(&harness, &format!("side panel {panel}"), &mut found);
        }
    }
    harness.key_press(egui::Key::F1);
    harness.run();
    check(&harness, "shortcuts sheet", &mut found);
    harness.key_press(egui::Key::F1);
    harness.run();
    harness.get_by_label(words.team).click();
    harness.event(egui::Event::Text("a".into()));
    harness.run();
    check(&harness, "Team Communicator results", &mut found);
    harness.key_press(egui::Key::Escape);
    harness.run();
    harness.get_by_label(words.communication).click();
    harness.run();
    check(&harness, "Communication", &mut found);
    harness.get_by_label(words.communication).click();
    harness.run();
    harness.get_by_label(words.administration).click();
    harness.run();
    check(&harness, "Administration", &mut found);
    found
}

/// The labels the walk clicks, in one language.
struct Words {
    ready: &'static str,
    accept_camille: &'static str,
    emoji: &'static str,
    team: &'static str,
    communication: &'static str,
    administration: &'static str,
    panels: &'static [&'static str],
}

#[test]
fn every_interactive_node_of_every_screen_has_a_name_in_english() {
    let found = walk_every_screen(
        Language::English,
        &Words {
            ready: "Ready",
            accept_camille: "Accept SMS from Camille Martin",
            emoji: "Insert an emoji",
            team: "Team Communicator",
            communication: "Communication",
            administration: "Administration",
            panels: &[
                "Note",
                "Case data",
                "Contact",
                "History",
                "Responses",
                "Callback",
            ],
        },
    );
    assert!(found.is_empty(), "without a name:\n{}", found.join("\n"));
}

#[test]
fn every_interactive_node_of_every_screen_has_a_name_in_french() {
    let found = walk_every_screen(
        Language::French,
        &Words {
            ready: "Prêt",
            accept_camille: "Accepter SMS de Camille Martin",
            emoji: "Insérer un émoji",
            team: "Team Communicator",
            communication: "Communication",
            administration: "Administration",
            panels: &[
                "Note",
                "Données du dossier",
                "Contact",
                "Historique",
                "Réponses",
                "Rappel",
            ],
        },
    );
    assert!(found.is_empty(), "sans nom :\n{}", found.join("\n"));
}
