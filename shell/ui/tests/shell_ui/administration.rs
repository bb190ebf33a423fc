//! The Administration and Plugins windows.

use egui_kittest::kittest::Queryable;
use switchboard_core::{config::Config, i18n::Language};

use crate::common::*;

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
fn an_agent_without_the_admin_permission_has_no_administration() {
    let (app, _platform, _clock) = shell(Language::English);
    let harness = signed_in(app, "ada");
    assert!(harness.query_by_label("Administration").is_none());
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
    harness.state_mut().desk.settle();
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
    assert!(
        harness
            .query_all_by_label_contains("panicking-plugin/src/lib.rs:23")
            .next()
            .is_some(),
        "the file and line of the panic"
    );
    assert_eq!(
        harness.query_all_by_label("loaded").count(),
        4,
        "the four other plugins are loaded; the one that panicked is not"
    );
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
