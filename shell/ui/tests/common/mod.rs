//! What the UI tests share: a shell over an in-memory store and the embedded platform with
//! the built-in channels, a harness around it, and customers who write.
#![allow(dead_code, reason = "each test file uses some of the helpers")]

use std::sync::Arc;

use egui_kittest::{Harness, kittest::Queryable};
use internal_im::InternalIm;
use sms_page::SmsPage;
use switchboard_core::{
    clock::ManualClock, config::Config, desk::Desk, i18n::Language, plugin_host::PluginCatalog,
};
use switchboard_edge::InboundSms;
use switchboard_platform_embedded::EmbeddedPlatform;
use switchboard_sdk::Timestamp;
use switchboard_store_sqlite::Store;
use switchboard_ui::ShellApp;

pub fn shell(language: Language) -> (ShellApp, EmbeddedPlatform, Arc<ManualClock>) {
    shell_with(Config::embedded(), language)
}

/// The shipped configuration without capacity limits: as many offers as there is work.
pub fn unlimited_config() -> Config {
    let mut config = Config::embedded();
    for role in config.roles.values_mut() {
        role.capacity.clear();
    }
    config
}

pub fn shell_with(
    config: Config,
    language: Language,
) -> (ShellApp, EmbeddedPlatform, Arc<ManualClock>) {
    shell_with_plugins(config, language, |_| {})
}

/// [`shell_with`], with more built-in plugins added to the catalog.
pub fn shell_with_plugins(
    config: Config,
    language: Language,
    more: impl FnOnce(&mut PluginCatalog),
) -> (ShellApp, EmbeddedPlatform, Arc<ManualClock>) {
    let store = Store::open_in_memory().expect("store");
    let clock = Arc::new(ManualClock::new(Timestamp(1_767_603_600_000)));
    let platform =
        EmbeddedPlatform::new(store.clone(), clock.clone(), "+15550100").expect("platform");
    let mut catalog = PluginCatalog::new();
    catalog.add_builtin::<SmsPage>();
    catalog.add_builtin::<InternalIm>();
    catalog.add_builtin::<sms_session::SmsSession>();
    catalog.add_builtin::<chat::WebChat>();
    more(&mut catalog);
    let desk = Desk::new(
        config,
        Arc::new(store),
        clock.clone(),
        Arc::new(platform.clone()),
        catalog,
    );
    (ShellApp::new(desk, language), platform, clock)
}

pub fn harness(app: ShellApp) -> Harness<'static, ShellApp> {
    // Background work (dictionary loading, suggestions prefetched for underlined words) wakes
    // the UI as it lands: give frames room to settle.
    Harness::builder()
        .with_size(egui::vec2(1200.0, 800.0))
        .with_max_steps(12)
        .build_ui_state(|ui, app: &mut ShellApp| app.show(ui), app)
}

/// A harness with `agent` signed in (Not Ready).
pub fn signed_in(app: ShellApp, agent: &str) -> Harness<'static, ShellApp> {
    let mut harness = harness(app);
    harness.state_mut().sign_in_as(agent, None);
    harness.run();
    harness
}

/// Signs `agent` in and clicks the Ready button (`ready` is its label in the UI language).
pub fn signed_in_and_ready(app: ShellApp, agent: &str, ready: &str) -> Harness<'static, ShellApp> {
    let mut harness = signed_in(app, agent);
    harness.get_by_label(ready).click();
    harness.run();
    harness
}

/// `count` customers the platform knows by name write one SMS each (numbers +336123456NN).
pub fn named_customers_write(
    platform: &EmbeddedPlatform,
    count: usize,
    name: impl Fn(usize) -> String,
) {
    for n in 0..count {
        platform
            .receive_sms(InboundSms {
                from: format!("+336123456{n:02}"),
                body: format!("Question {n}"),
                name: Some(name(n)),
                ..Default::default()
            })
            .expect("stored");
    }
}

/// An SMS from Camille Martin, a customer the platform knows, about order 48213.
pub fn from_camille(text: &str) -> InboundSms {
    InboundSms {
        from: "+33612345678".into(),
        body: text.into(),
        name: Some("Camille Martin".into()),
        case_data: vec![("order".into(), "48213".into())],
        ..Default::default()
    }
}

pub fn customer_writes(platform: &EmbeddedPlatform, text: &str) {
    platform
        .receive_sms(from_camille(text))
        .expect("inbound stored");
}

/// Signs `agent` in, goes Ready, lets Camille write `text`, and accepts the offer.
pub fn accepted(agent: &str, text: &str) -> (Harness<'static, ShellApp>, EmbeddedPlatform) {
    accepted_sms(agent, from_camille(text))
}

/// Signs `agent` in, goes Ready, lets `sms` arrive, and accepts the offer.
pub fn accepted_sms(
    agent: &str,
    sms: InboundSms,
) -> (Harness<'static, ShellApp>, EmbeddedPlatform) {
    let (harness, platform, _clock) = accepted_with_clock(agent, sms);
    (harness, platform)
}

/// [`accepted_sms`], keeping the host clock to move it.
pub fn accepted_with_clock(
    agent: &str,
    sms: InboundSms,
) -> (
    Harness<'static, ShellApp>,
    EmbeddedPlatform,
    Arc<ManualClock>,
) {
    let (app, platform, clock) = shell(Language::English);
    let mut harness = signed_in_and_ready(app, agent, "Ready");
    platform.receive_sms(sms).expect("inbound stored");
    harness.run();
    harness.get_by_label_contains("Accept ").click();
    harness.run();
    harness.state_mut().desk.settle();
    harness.run();
    (harness, platform, clock)
}

/// The ids of the offers shown, oldest first.
pub fn offer_ids(harness: &Harness<'_, ShellApp>) -> Vec<String> {
    harness
        .state()
        .desk
        .offers()
        .iter()
        .map(|o| o.row.id.clone())
        .collect()
}

/// The ids of the open interactions, in the bar's order.
pub fn open_ids(harness: &Harness<'_, ShellApp>) -> Vec<String> {
    harness
        .state()
        .desk
        .interactions()
        .iter()
        .map(|i| i.row.id.clone())
        .collect()
}
