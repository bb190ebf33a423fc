//! The foundation's end-to-end path: an SMS posted to the webhook reaches the real SMS
//! page-mode library through the real plugin host; the agent's 200-character reply leaves as
//! two SMS, the interaction is done, and both messages are in SQLite.

use switchboard_sdk::{DeliveryStatus, Role};
use switchboard_store_sqlite::Store;
use switchboard_store_sqlite::prelude::*;
use switchboard_tests::{World, config_with_channels, library, post_form};

#[test]
fn inbound_sms_to_two_part_reply_and_done() {
    let mut world = World::new(&[library("sms_page")], config_with_channels(&["sms-page"]));
    let webhook = world.platform.start_webhook(0).expect("webhook");
    world.ready_agent("sms-page");

    let (status, _) = post_form(
        webhook.address(),
        "/sms",
        &[
            ("From", "+33612345678"),
            ("To", "+15550100"),
            ("Body", "Bonjour, où en est ma commande ?"),
            ("MessageSid", "SM0001"),
        ],
    );
    assert_eq!(status, 200);
    world.desk.pump();
    assert_eq!(world.desk.offers().len(), 1, "one offer");
    let offer = world.desk.offers()[0].clone();
    assert_eq!(offer.channel_id, "sms-page");
    assert_eq!(
        offer.first_message.as_ref().map(|m| m.text.to_string()),
        Some("Bonjour, où en est ma commande ?".to_owned())
    );
    let id = offer.row.id.clone();

    world.desk.accept(&id).expect("accept");

    world.desk.settle();
    let reply = "Thanks for waiting. Your order left our warehouse this morning and the courier \
                 expects to deliver it tomorrow between 9 and 12. You will get a text with a \
                 tracking link tonight. Anything else?";
    let reply = format!("{reply}{}", ".".repeat(200 - reply.len()));
    assert_eq!(reply.chars().count(), 200);
    world.desk.interaction_mut(&id).expect("open").draft = reply.clone();
    world.desk.composer_changed(&id);
    let counter = world
        .desk
        .interaction(&id)
        .and_then(|i| i.view.as_ref())
        .map(|v| v.composer.counter.to_string());
    assert_eq!(counter.as_deref(), Some("2 SMS · 200/306 · GSM-7"));

    world.desk.send(&id).expect("send");

    world.desk.settle();
    world.desk.pump();

    let sent = world.platform.gateway_sent();
    assert_eq!(sent.len(), 2, "two SMS parts");
    assert_eq!(sent[0].body.chars().count(), 153);
    assert_eq!(format!("{}{}", sent[0].body, sent[1].body), reply);
    assert_eq!(sent[0].to, "+33612345678");
    assert!(
        world.desk.interaction(&id).is_none(),
        "closed after the reply"
    );

    // Read back through a fresh connection to the file, as after a restart.
    let reopened = Store::open(&world.dir.path().join("switchboard.db")).expect("reopen");
    let row = reopened.interaction(&id).expect("read").expect("stored");
    assert!(row.done);
    assert_eq!(
        row.state,
        switchboard_store_sqlite::InteractionState::Closed
    );
    let transcript = reopened.transcript(&id).expect("transcript");
    assert_eq!(transcript.len(), 2);
    assert_eq!(transcript[0].role(), Some(Role::Contact));
    assert_eq!(transcript[1].role(), Some(Role::Agent));
    assert_eq!(transcript[1].text.as_str(), reply);
    assert_eq!(transcript[1].author.as_str(), "Ada");
    assert_eq!(
        transcript[1].status.as_enum().ok(),
        Some(&DeliveryStatus::Delivered)
    );
}

#[test]
fn redelivered_webhook_opens_one_interaction() {
    let mut world = World::new(&[library("sms_page")], config_with_channels(&["sms-page"]));
    let webhook = world.platform.start_webhook(0).expect("webhook");
    world.ready_agent("sms-page");
    let fields = [
        ("From", "+447700900123"),
        ("Body", "Hello?"),
        ("MessageSid", "SM42"),
    ];
    assert_eq!(post_form(webhook.address(), "/sms", &fields).0, 200);
    assert_eq!(post_form(webhook.address(), "/sms", &fields).0, 200);
    world.desk.pump();
    assert_eq!(world.desk.offers().len(), 1);
    let id = world.desk.offers()[0].row.id.clone();
    assert_eq!(
        world
            .store
            .count_messages(&id, Role::Contact)
            .expect("count"),
        1
    );
}

#[test]
fn webhook_refuses_a_post_without_sender() {
    let world = World::new(&[], config_with_channels(&[]));
    let webhook = world.platform.start_webhook(0).expect("webhook");
    let (status, body) = post_form(webhook.address(), "/sms", &[("Body", "no sender")]);
    assert_eq!(status, 400);
    assert!(body.contains("From"), "{body}");
}

#[test]
fn no_offer_until_ready_and_offer_times_out_on_the_host_clock() {
    let mut world = World::new(&[library("sms_page")], config_with_channels(&["sms-page"]));
    world.desk.sign_in("ada").expect("sign in");
    world.customer_writes("+14155550142", "Hi");
    assert!(world.desk.offers().is_empty(), "Not Ready: no offer");
    world.desk.set_ready("sms-page", true).expect("ready");
    world.desk.pump();
    assert_eq!(world.desk.offers().len(), 1);
    world.clock.advance_seconds(19);
    world.desk.pump();
    assert_eq!(world.desk.offers().len(), 1, "still waiting at 19 s");
    world.clock.advance_seconds(1);
    world.desk.pump();
    assert!(world.desk.offers().is_empty(), "expired at 20 s");
    assert!(
        world
            .desk
            .toasts()
            .iter()
            .any(|t| t.text.contains("timed out"))
    );
    // Offered again once the re-offer delay passes.
    world.clock.advance_seconds(30);
    world.desk.pump();
    assert_eq!(world.desk.offers().len(), 1);
}

#[test]
fn lost_link_keeps_the_draft_and_recovers() {
    let mut world = World::new(&[library("sms_page")], config_with_channels(&["sms-page"]));
    world.ready_agent("sms-page");
    world.customer_writes("+14155550142", "Hi");
    let id = world.accept_first_offer();
    world.platform.set_link(false);
    world.desk.pump();
    assert!(!world.desk.link_up());
    world.desk.interaction_mut(&id).expect("open").draft = "On it!".into();
    world.desk.send(&id).expect("send");
    world.desk.settle();
    let open = world.desk.interaction(&id).expect("still open");
    assert_eq!(open.draft, "On it!", "draft kept");
    assert!(
        open.error
            .as_deref()
            .is_some_and(|e| e.contains("unreachable"))
    );
    assert!(world.platform.gateway_sent().is_empty());
    world.platform.set_link(true);
    world.desk.pump();
    assert!(world.desk.link_up());
    world.desk.send(&id).expect("send again");
    world.desk.settle();
    world.desk.pump();
    assert_eq!(world.platform.gateway_sent().len(), 1);
    assert!(world.desk.interaction(&id).is_none());
}

#[test]
fn the_webhook_refuses_internal_addresses_long_fields_and_odd_ids_storing_nothing() {
    let mut world = World::new(&[library("sms_page")], config_with_channels(&["sms-page"]));
    let webhook = world.platform.start_webhook(0).expect("webhook");
    let (tx, _page) = tokio::sync::mpsc::unbounded_channel();
    let room = world.platform.chat_start("Visitor", tx).token;
    let long_from = format!("+{}", "1".repeat(1_000_000));
    let long_sid = "S".repeat(65);
    let chat_address = format!("chat:{room}");
    for fields in [
        vec![("From", chat_address.as_str()), ("Body", "injected")],
        vec![("From", "im:marc"), ("Body", "hello")],
        vec![("From", "agent:marc"), ("Body", "hello")],
        vec![("From", long_from.as_str()), ("Body", "hello")],
        vec![
            ("From", "+33612345678"),
            ("To", "skill:s-french"),
            ("Body", "hello"),
        ],
        vec![
            ("From", "+33612345678"),
            ("Body", "hi"),
            ("MessageSid", long_sid.as_str()),
        ],
        vec![("From", "not a number"), ("Body", "hi")],
        vec![("From", "+33612345678")],
        vec![("From", "+33612345678"), ("Body", "\u{200B}\u{FEFF} ")],
    ] {
        let (status, answer) = post_form(webhook.address(), "/sms", &fields);
        assert_eq!(status, 400, "{:?}: {answer}", fields[0]);
        assert!(answer.len() < 300, "the answer stays short");
    }
    world.desk.pump();
    assert_eq!(
        world.store.interaction_count().expect("count"),
        0,
        "nothing stored"
    );
    let (status, _) = post_form(
        webhook.address(),
        "/sms/status",
        &[
            ("MessageSid", long_sid.as_str()),
            ("MessageStatus", "delivered"),
        ],
    );
    assert_eq!(status, 400);
}

#[test]
fn control_characters_never_reach_the_store() {
    let mut world = World::new(&[library("sms_page")], config_with_channels(&["sms-page"]));
    world.ready_agent("sms-page");
    let webhook = world.platform.start_webhook(0).expect("webhook");
    let (status, _) = post_form(
        webhook.address(),
        "/sms",
        &[("From", "+33612345678"), ("Body", "Bon\0jour\u{7} !")],
    );
    assert_eq!(status, 200);
    world.desk.pump();
    let id = world.accept_first_offer();
    assert_eq!(world.texts(&id), ["Bonjour !"]);
}

#[test]
fn a_client_posting_too_fast_is_told_to_retry_later_and_nothing_more_is_stored() {
    let world = World::new(&[library("sms_page")], config_with_channels(&["sms-page"]));
    let mut settings = switchboard_platform_embedded::PlatformSettings::new(
        "+15550100",
        switchboard_platform_embedded::DEFAULT_SESSION_NUMBER,
    );
    settings.webhook_posts_per_minute = 20;
    let platform = switchboard_platform_embedded::EmbeddedPlatform::with_settings(
        world.store.clone(),
        world.clock.clone(),
        settings,
    )
    .expect("platform");
    let webhook = platform.start_webhook(0).expect("webhook");
    let statuses: Vec<u16> = (0..6)
        .map(|n| {
            let from = format!("+3361234560{n}");
            post_form(
                webhook.address(),
                "/sms",
                &[("From", from.as_str()), ("Body", "Hello")],
            )
            .0
        })
        .collect();
    assert_eq!(
        &statuses[..2],
        [200, 200],
        "a burst of a tenth of the rate passes"
    );
    assert!(
        statuses[2..].iter().all(|s| *s == 429),
        "then 429: {statuses:?}"
    );
    assert_eq!(world.store.interaction_count().expect("count"), 2);
}
