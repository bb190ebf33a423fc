//! Every bundle of words, the shell's and each shipped plugin's as the shell receives it from
//! the real library over the SDK, renders every message in English and French with the same
//! arguments, leaves no placeholder at counts 1 and 2, and keeps French typography.

use switchboard_tests::{World, config_with_channels, library};

const CHANNELS: [(&str, &str); 6] = [
    ("sms-page", "sms_page"),
    ("sms-session", "sms_session"),
    ("mms", "mms"),
    ("chat", "chat"),
    ("internal-im", "internal_im"),
    ("whatsapp", "whatsapp"),
];

#[test]
fn every_bundle_of_the_shell_and_its_plugins_is_complete_in_english_and_french() {
    let libraries: Vec<_> = CHANNELS.iter().map(|(_, file)| library(file)).collect();
    let ids: Vec<&str> = CHANNELS.iter().map(|(id, _)| *id).collect();
    let mut world = World::new(&libraries, config_with_channels(&ids));
    world.desk.sign_in("ada").expect("sign in");

    let mut problems: Vec<String> = switchboard_core::i18n::shell_translations()
        .problems()
        .into_iter()
        .map(|p| format!("shell: {p}"))
        .collect();
    let received = world.desk.plugin_translations();
    for id in ids {
        let Some(translations) = received.get(id) else {
            problems.push(format!("{id}: no translations reached the shell"));
            continue;
        };
        let languages: Vec<&str> = translations.languages().collect();
        if languages != ["en", "fr"] {
            problems.push(format!("{id}: languages {languages:?}"));
        }
        if !translations.has("fr", "channel-name") {
            problems.push(format!("{id}: no channel-name"));
        }
        problems.extend(
            translations
                .problems()
                .into_iter()
                .map(|p| format!("{id}: {p}")),
        );
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_channel_is_named_in_the_agents_language_unless_the_administrator_says_otherwise() {
    let mut config = config_with_channels(&["chat"]);
    config.set_label(
        switchboard_core::config::LabelKind::Channel,
        "chat",
        "en",
        "Website chat",
    );
    let mut world = World::new(&[library("chat")], config);
    world.desk.sign_in("ada").expect("sign in");
    let name = |world: &World, language: &str| {
        world
            .desk
            .label(
                switchboard_core::config::LabelKind::Channel,
                "chat",
                language,
            )
            .into_owned()
    };
    assert_eq!(
        name(&world, "fr"),
        "Chat web",
        "the plugin's own French name"
    );
    assert_eq!(
        name(&world, "en"),
        "Website chat",
        "the administrator's label"
    );
}
