//! A plugin isolated in a child process (`[plugins] isolated`), with the real `crashing` fixture
//! library and the real `switchboard plugin-sandbox` binary: it calls `abort`, writes through a
//! null pointer, or loops forever in `handle`. Each time the shell survives, names the plugin
//! and what happened, keeps the interaction and its transcript, starts the plugin again in a
//! new process that knows the interaction, and the other channel goes on. A plugin that keeps
//! crashing is stopped and reported like one that panicked.

use std::time::Duration;

use switchboard_core::plugin_host::isolation::MAX_RESTARTS;
use switchboard_tests::{World, config_with_channels, library};

const CALL_LIMIT: Duration = Duration::from_millis(800);

fn world() -> World {
    let mut world = World::isolating(
        &[library("crashing_plugin"), library("sms_page")],
        config_with_channels(&["crashing", "sms-page"]),
        &["crashing"],
        CALL_LIMIT,
    );
    world.desk.sign_in("ada").expect("sign in");
    world.desk.set_ready("crashing", true).expect("ready");
    world.desk.set_ready("sms-page", true).expect("ready");
    world
}

/// A customer of the crash-test channel writes; Ada accepts.
fn open_chat(world: &mut World) -> String {
    world.customer_writes("crash:+33612345678", "Bonjour");
    world.accept_first_offer()
}

/// The process the plugin's view says it runs in.
fn plugin_process(world: &World, id: &str) -> u32 {
    let view = world
        .desk
        .interaction(id)
        .and_then(|open| open.view.clone())
        .expect("the plugin's view");
    view.header
        .subtitle
        .as_str()
        .strip_prefix("process ")
        .and_then(|pid| pid.parse().ok())
        .expect("a process id in the subtitle")
}

fn send(world: &mut World, id: &str, text: &str) -> Option<String> {
    world.desk.interaction_mut(id).expect("open").draft = text.into();
    let _ = world.desk.send(id);
    world.desk.pump();
    world
        .desk
        .interaction(id)
        .and_then(|open| open.error.clone())
}

fn crashing_is_running(world: &World) -> bool {
    world
        .desk
        .channels()
        .iter()
        .find(|c| c.id() == "crashing")
        .is_some_and(|c| c.is_running())
}

/// What a crash must leave: the shell, the interaction readable, the plugin in a new process
/// that still knows the interaction, the other channel working.
fn survives(world: &mut World, id: &str, first_process: u32) {
    assert!(crashing_is_running(world), "started again");
    assert!(
        world.texts(id).contains(&"Bonjour".to_owned()),
        "the transcript is still there"
    );
    world.desk.pump();
    let again = plugin_process(world, id);
    assert_ne!(again, first_process, "a new process");
    assert_eq!(
        send(world, id, "Rebonjour"),
        None,
        "the new process knows it"
    );
    assert!(world.texts(id).contains(&"Rebonjour".to_owned()));

    world.customer_writes("+33698765432", "Un SMS");
    let sms = world
        .desk
        .offers()
        .iter()
        .find(|o| o.row.media_type == "sms")
        .map(|o| o.row.id.clone())
        .expect("the SMS channel still offers");
    world.desk.accept(&sms).expect("accepted");
    world.desk.settle();
    assert!(world.desk.interaction(&sms).is_some());
}

#[test]
fn a_plugin_that_aborts_is_named_and_started_again() {
    let mut world = world();
    let id = open_chat(&mut world);
    let first = plugin_process(&world, &id);
    assert_ne!(
        first,
        std::process::id(),
        "the plugin runs in a process of its own"
    );

    let error = send(&mut world, &id, "abort").expect("the agent is told");
    assert!(error.contains("plugin crashing"), "{error}");
    assert!(error.contains("SIGABRT"), "{error}");
    assert!(error.contains("started again"), "{error}");
    survives(&mut world, &id, first);
}

#[test]
fn a_plugin_that_dereferences_a_null_pointer_is_named_and_started_again() {
    let mut world = world();
    let id = open_chat(&mut world);
    let first = plugin_process(&world, &id);
    let error = send(&mut world, &id, "null").expect("the agent is told");
    assert!(error.contains("plugin crashing"), "{error}");
    assert!(error.contains("SIGSEGV"), "{error}");
    survives(&mut world, &id, first);
}

#[test]
fn a_plugin_that_never_returns_is_stopped_after_the_call_limit_and_started_again() {
    let mut world = world();
    let id = open_chat(&mut world);
    let first = plugin_process(&world, &id);
    let error = send(&mut world, &id, "loop").expect("the agent is told");
    assert!(error.contains("plugin crashing"), "{error}");
    assert!(
        error.contains(&format!(
            "did not answer within {} ms",
            CALL_LIMIT.as_millis()
        )),
        "{error}"
    );
    survives(&mut world, &id, first);
}

#[test]
fn a_plugin_that_keeps_crashing_is_stopped_and_reported() {
    let mut world = world();
    let id = open_chat(&mut world);
    for _ in 0..MAX_RESTARTS {
        send(&mut world, &id, "abort");
        assert!(crashing_is_running(&world));
    }
    let error = send(&mut world, &id, "abort").expect("the agent is told");
    assert!(error.contains("plugin crashing"), "{error}");
    let slot = world
        .desk
        .channels()
        .iter()
        .find(|c| c.id() == "crashing")
        .expect("the channel");
    assert!(!slot.is_running(), "stopped after {MAX_RESTARTS} restarts");
    let health = slot.health_text();
    assert!(health.contains("SIGABRT"), "{health}");
    assert!(health.contains("stopped"), "{health}");
    assert!(
        world.texts(&id).contains(&"Bonjour".to_owned()),
        "the interaction stays readable"
    );
}
