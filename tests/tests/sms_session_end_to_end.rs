//! SMS session mode through the real host and the real `sms-session` library: a conversation
//! of several messages each way ended by the inactivity time-out on the host clock, transfers
//! accepted and rejected by scripted colleagues, and failed delivery reports (from the gateway
//! and from the provider's status webhook) shown on the right message.

use switchboard_platform_embedded::{ColleagueReply, DEFAULT_SESSION_NUMBER};
use switchboard_sdk::{DeliveryStatus, Role};
use switchboard_store_sqlite::prelude::*;
use switchboard_tests::{World, config_with_role, library, post_form};

const CUSTOMER: &str = "+1 415 555 0142";

fn session_world() -> World {
    let config = config_with_role(
        &["sms-session"],
        "[roles.test.timers]\nsession_inactivity_seconds = 600\ninvitation_timeout_seconds = 30",
    );
    let mut world = World::new(&[library("sms_session")], config);
    world.ready_agent("sms-session");
    world
}

fn open_session(world: &mut World, first: &str) -> String {
    world.customer_writes_to(CUSTOMER, DEFAULT_SESSION_NUMBER, first);
    assert_eq!(world.desk.offers().len(), 1);
    assert_eq!(world.desk.offers()[0].channel_id, "sms-session");
    world.accept_first_offer()
}

/// The system lines stored in an interaction, once what the desk queued is stored.
fn system_lines(world: &mut World, id: &str) -> Vec<String> {
    world.desk.settle();
    world
        .store
        .transcript(id)
        .expect("transcript")
        .iter()
        .filter(|e| e.role() == Some(Role::System))
        .map(|e| e.text.to_string())
        .collect()
}

fn grace(world: &World) -> switchboard_core::directory::Target {
    world
        .desk
        .team_search("grace")
        .into_iter()
        .map(|r| r.target)
        .find(|t| t.id == "grace")
        .expect("Grace in the directory")
}

#[test]
fn conversation_then_inactivity_ends_the_session() {
    let mut world = session_world();
    let id = open_session(&mut world, "Hi, my parcel is late");
    world.agent_sends(&id, "Sorry to hear that! What is the order number?");
    world.advance_seconds(120);
    world.customer_writes_to(CUSTOMER, DEFAULT_SESSION_NUMBER, "It is 77120");
    assert!(world.desk.offers().is_empty(), "joins the open session");
    world.agent_sends(&id, "Thanks, checking now.");
    world.advance_seconds(300);
    world.customer_writes_to(CUSTOMER, "+1-555-0150", "Any news?");
    world.agent_sends(&id, "It is out for delivery today.");
    assert_eq!(
        world.texts(&id),
        [
            "Hi, my parcel is late",
            "Sorry to hear that! What is the order number?",
            "It is 77120",
            "Thanks, checking now.",
            "Any news?",
            "It is out for delivery today."
        ]
    );
    assert_eq!(world.platform.gateway_sent().len(), 3);

    // 599 seconds of silence: still open. One more: ended by the time-out.
    world.advance_seconds(599);
    assert!(!world.desk.interaction(&id).expect("open").ended);
    world.advance_seconds(1);
    assert_eq!(
        system_lines(&mut world, &id),
        ["Session ended: no message for 10 minutes."]
    );
    let open = world.desk.interaction(&id).expect("still shown until Done");
    assert!(open.ended);
    assert!(!open.view.as_ref().expect("view").composer.enabled);

    // The contact's next SMS opens a new session instead of joining the ended one.
    world.customer_writes_to(CUSTOMER, DEFAULT_SESSION_NUMBER, "Hello again");
    assert_eq!(world.desk.offers().len(), 1);
    world.desk.mark_done(&id).expect("done");
}

#[test]
fn transfer_accepted_by_a_colleague_releases_the_session() {
    let mut world = session_world();
    world
        .platform
        .script_colleague("grace", ColleagueReply::Accept { after_seconds: 5 });
    let id = open_session(&mut world, "I want a refund");
    world.desk.action(&id, "transfer").expect("transfer");
    assert_eq!(
        world
            .desk
            .interaction(&id)
            .and_then(|o| o.choosing_target.clone())
            .as_deref(),
        Some("transfer")
    );
    let target = grace(&world);
    world.desk.choose_target(&id, &target).expect("chosen");
    world.advance_seconds(4);
    assert!(world.desk.interaction(&id).is_some(), "not answered yet");
    world.advance_seconds(1);
    assert!(world.desk.interaction(&id).is_none(), "released");
    let row = world.store.interaction(&id).expect("read").expect("row");
    assert_eq!(
        row.state,
        switchboard_store_sqlite::InteractionState::Transferred
    );
    assert_eq!(row.agent_id.as_deref(), Some("grace"));
    assert!(!row.done, "the new owner finishes it");
    assert!(
        system_lines(&mut world, &id).contains(&"Grace Hopper accepted the transfer.".to_owned())
    );
}

#[test]
fn transfer_rejected_shows_an_error_and_time_out_a_system_line() {
    let mut world = session_world();
    world.platform.script_colleague(
        "grace",
        ColleagueReply::Reject {
            after_seconds: 3,
            reason: "in a meeting".into(),
        },
    );
    let id = open_session(&mut world, "Question about billing");
    world.desk.action(&id, "transfer").expect("transfer");
    let target = grace(&world);
    world.desk.choose_target(&id, &target).expect("chosen");
    world.advance_seconds(3);
    let open = world.desk.interaction(&id).expect("still mine");
    assert_eq!(
        open.error.as_deref(),
        Some("Grace Hopper rejected the transfer: in a meeting")
    );

    world
        .platform
        .script_colleague("grace", ColleagueReply::Ignore);
    world.desk.action(&id, "transfer").expect("transfer");
    world.desk.choose_target(&id, &target).expect("chosen");
    world.advance_seconds(30);
    assert!(world.desk.interaction(&id).is_some());
    assert!(
        system_lines(&mut world, &id)
            .iter()
            .any(|l| l.contains("did not answer the transfer in time"))
    );
}

#[test]
fn failed_delivery_from_the_gateway_is_shown_on_that_message() {
    let mut world = session_world();
    let unreachable = "+44 7700 900456";
    world.customer_writes_to(
        unreachable,
        DEFAULT_SESSION_NUMBER,
        "Can you text me the code?",
    );
    let id = world.accept_first_offer();
    world.agent_sends(&id, "Your code is 4412.");
    let sent = world
        .desk
        .interaction(&id)
        .and_then(|o| {
            o.transcript
                .iter()
                .find(|e| e.role() == Some(Role::Agent))
                .cloned()
        })
        .expect("sent message");
    assert!(matches!(
        world.desk.message_status(&id, sent.id),
        Some(DeliveryStatus::Failed { .. })
    ));
    assert_eq!(
        system_lines(&mut world, &id),
        ["“Your code is 4412.” was not delivered: 30003 Unreachable destination handset."]
    );
}

#[test]
fn status_webhook_fails_the_right_message() {
    let mut world = session_world();
    let webhook = world.platform.start_webhook(0).expect("webhook");
    let id = open_session(&mut world, "Hello");
    world.agent_sends(&id, "First reply");
    world.agent_sends(&id, "Second reply");
    let parts = world.platform.gateway_sent();
    assert_eq!(parts.len(), 2);
    let (status, _) = post_form(
        webhook.address(),
        "/sms/status",
        &[
            ("MessageSid", &parts[0].sid),
            ("MessageStatus", "undelivered"),
            ("ErrorCode", "30005"),
        ],
    );
    assert_eq!(status, 200);
    world.desk.pump();
    assert_eq!(
        world.desk.message_status(&id, parts[0].message_id),
        Some(DeliveryStatus::Failed {
            reason: "the number is unknown or no longer exists (error 30005)".into()
        })
    );
    assert_eq!(
        world.desk.message_status(&id, parts[1].message_id),
        Some(DeliveryStatus::Delivered)
    );
    assert_eq!(
        system_lines(&mut world, &id),
        [
            "“First reply” was not delivered: the number is unknown or no longer exists (error 30005)."
        ]
    );
    let (unknown, _) = post_form(
        webhook.address(),
        "/sms/status",
        &[("MessageSid", "SMnope"), ("MessageStatus", "delivered")],
    );
    assert_eq!(unknown, 404);
}

#[test]
fn the_counter_empties_with_the_composer_after_a_send() {
    let mut world = session_world();
    let id = open_session(&mut world, "Hello?");
    world.agent_sends(&id, "Hello, how can I help you today?");
    let open = world.desk.interaction(&id).expect("open");
    assert!(open.draft.is_empty());
    let counter = open
        .view
        .as_ref()
        .expect("view")
        .composer
        .counter
        .to_string();
    assert!(counter.contains("0/160"), "{counter}");
}
