//! A real provider's account on the embedded platform: webhooks must carry the provider's
//! signature for the configured public address (403 and nothing stored otherwise), and
//! outbound SMS go through its API (a local stand-in here) with retries on 429 and 5xx, the
//! provider's refusals shown as readable failures, and no part sent twice after a crash.

use std::net::SocketAddr;

use hmac::Mac as _;
use switchboard_core::clock::Clock;
use switchboard_edge::provider::{ProviderSettings, Sender, signature};
use switchboard_platform_embedded::{EmbeddedPlatform, PlatformSettings};
use switchboard_sdk::{DeliveryStatus, Role};
use switchboard_seam::secret::Secret;
use switchboard_store_sqlite::prelude::*;
use switchboard_tests::{
    World, config_with_role, library,
    provider_stand_in::{Answer, ProviderStandIn},
};

const ACCOUNT: &str = "ACtest0001";
const TOKEN: &str = "s3cr3t-t0ken-value";
const PUBLIC: &str = "https://desk.example.com";
const CUSTOMER: &str = "+33612345678";

fn provider_settings(stand_in: &ProviderStandIn) -> ProviderSettings {
    ProviderSettings {
        account_sid: ACCOUNT.into(),
        auth_token: Secret::new(TOKEN),
        public_url: url::Url::parse(PUBLIC).expect("public url"),
        api_base: url::Url::parse(&stand_in.base()).expect("api base"),
        sender: Sender::OurNumber,
        media_host: None,
    }
}

fn with_provider(stand_in: &ProviderStandIn) -> impl FnOnce(PlatformSettings) -> PlatformSettings {
    let provider = provider_settings(stand_in);
    move |mut settings| {
        settings.provider = Some(provider);
        settings
    }
}

fn provider_world(stand_in: &ProviderStandIn) -> World {
    World::with_settings(
        &[library("sms_page")],
        config_with_role(&["sms-page"], ""),
        with_provider(stand_in),
    )
}

fn pairs(fields: &[(&str, &str)]) -> Vec<(String, String)> {
    fields
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// Posts a form with `signature` (if any) in the provider's header; the answer's status.
fn post(address: SocketAddr, path: &str, fields: &[(&str, &str)], signature: Option<&str>) -> u16 {
    let headers: Vec<(&str, &str)> = signature
        .map(|s| vec![(signature::HEADER, s)])
        .unwrap_or_default();
    switchboard_tests::try_post_form_with(address, path, fields, &headers)
        .expect("posted")
        .0
}

/// Signs `fields` for `path` as the provider does.
fn signed(path: &str, fields: &[(&str, &str)]) -> String {
    signature::compute(TOKEN, &format!("{PUBLIC}{path}"), &pairs(fields))
}

#[test]
fn only_posts_signed_for_the_public_address_are_stored() {
    let stand_in = ProviderStandIn::start(ACCOUNT, TOKEN);
    let world = provider_world(&stand_in);
    let webhook = world.platform.start_webhook(0).expect("webhook");
    let address = webhook.address();
    let fields = [
        ("From", CUSTOMER),
        ("To", "+15550100"),
        ("Body", "Hello"),
        ("MessageSid", "SMin0001"),
    ];
    let forged = signature::compute("another-token", &format!("{PUBLIC}/sms"), &pairs(&fields));
    let other_url = signature::compute(TOKEN, "https://elsewhere.example.com/sms", &pairs(&fields));
    let local_url = signature::compute(TOKEN, &format!("http://{address}/sms"), &pairs(&fields));
    // The parameters concatenated in the order posted instead of sorted by name.
    let unsorted = {
        let mut mac = hmac::Hmac::<sha1::Sha1>::new_from_slice(TOKEN.as_bytes()).expect("key");
        mac.update(format!("{PUBLIC}/sms").as_bytes());
        for (name, value) in fields {
            mac.update(name.as_bytes());
            mac.update(value.as_bytes());
        }
        base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            mac.finalize().into_bytes(),
        )
    };
    for (what, signature) in [
        ("unsigned", None),
        ("forged", Some(forged.as_str())),
        ("for another URL", Some(other_url.as_str())),
        ("for the request's own Host", Some(local_url.as_str())),
        ("over unsorted parameters", Some(unsorted.as_str())),
        ("garbage", Some("!!!")),
    ] {
        assert_eq!(post(address, "/sms", &fields, signature), 403, "{what}");
    }
    assert_eq!(
        world.store.interaction_count().expect("count"),
        0,
        "nothing stored"
    );
    assert_eq!(
        post(address, "/sms", &fields, Some(&signed("/sms", &fields))),
        200
    );
    assert_eq!(world.store.interaction_count().expect("count"), 1);

    let status = [("MessageSid", "SMunknown"), ("MessageStatus", "delivered")];
    assert_eq!(post(address, "/sms/status", &status, None), 403);
    assert_eq!(
        post(
            address,
            "/sms/status",
            &status,
            Some(&signed("/sms/status", &status))
        ),
        404,
        "signed, it reaches the handler, which does not know the id"
    );
}

/// Ada answers a customer; returns the interaction and her reply's message id.
fn ada_replies(world: &mut World, text: &str) -> (String, i64) {
    world.ready_agent("sms-page");
    world.customer_writes(CUSTOMER, "Is my parcel on its way?");
    let id = world.accept_first_offer();
    world.agent_sends(&id, text);
    let reply = world
        .store
        .transcript(&id)
        .expect("transcript")
        .into_iter()
        .find(|e| e.role() == Some(Role::Agent))
        .expect("the reply is stored");
    (id, reply.id)
}

fn status_of(world: &World, interaction: &str, message: i64) -> DeliveryStatus {
    world
        .store
        .transcript(interaction)
        .expect("transcript")
        .into_iter()
        .find(|e| e.id == message)
        .expect("message")
        .status
        .as_enum()
        .cloned()
        .expect("known status")
}

#[test]
fn a_reply_goes_through_the_api_once_and_its_callback_marks_it_delivered() {
    let stand_in = ProviderStandIn::start(ACCOUNT, TOKEN);
    let mut world = provider_world(&stand_in);
    let webhook = world.platform.start_webhook(0).expect("webhook");
    let (id, message) = ada_replies(&mut world, "Yes, it left this morning.");
    let received = stand_in.received();
    assert_eq!(received.len(), 1, "one call: {received:?}");
    let call = &received[0];
    assert!(
        call.authenticated,
        "Basic auth with the account's id and token"
    );
    assert_eq!(
        call.path,
        format!("/2010-04-01/Accounts/{ACCOUNT}/Messages.json")
    );
    assert_eq!(call.field("To"), Some(CUSTOMER));
    assert_eq!(call.field("From"), Some("+15550100"));
    assert_eq!(call.field("Body"), Some("Yes, it left this morning."));
    assert_eq!(
        call.field("StatusCallback"),
        Some("https://desk.example.com/sms/status")
    );
    assert_eq!(status_of(&world, &id, message), DeliveryStatus::Sending);

    world.advance_seconds(120);
    assert_eq!(stand_in.received().len(), 1, "never sent twice");

    let callback = [("MessageSid", "SMstandin1"), ("MessageStatus", "delivered")];
    assert_eq!(
        post(
            webhook.address(),
            "/sms/status",
            &callback,
            Some(&signed("/sms/status", &callback))
        ),
        200
    );
    assert_eq!(status_of(&world, &id, message), DeliveryStatus::Delivered);
}

#[test]
fn a_rate_limit_or_a_server_error_is_tried_again_later_on_the_host_clock() {
    for status in [429, 500, 503] {
        let stand_in = ProviderStandIn::start(ACCOUNT, TOKEN);
        stand_in.script(&[Answer::new(
            status,
            r#"{"code":20429,"message":"Too Many Requests"}"#,
        )]);
        let mut world = provider_world(&stand_in);
        let (_, message) = ada_replies(&mut world, "On it.");
        assert_eq!(stand_in.received().len(), 1, "{status}: the first call");
        assert_eq!(
            world.store.part_state(message, 0).expect("state"),
            Some(("pending".to_owned(), 1)),
            "{status}: waits for another attempt"
        );
        world.advance_seconds(1);
        assert_eq!(
            stand_in.received().len(),
            1,
            "{status}: not before its time"
        );
        world.advance_seconds(1);
        assert_eq!(
            stand_in.received().len(),
            2,
            "{status}: tried again after 2 s"
        );
        assert_eq!(
            world
                .store
                .part_state(message, 0)
                .expect("state")
                .map(|s| s.0),
            Some("accepted".to_owned())
        );
    }
}

#[test]
fn a_refusal_with_an_error_code_is_a_failure_the_agent_reads() {
    let stand_in = ProviderStandIn::start(ACCOUNT, TOKEN);
    stand_in.script(&[Answer::new(
        400,
        r#"{"code":21211,"message":"Invalid 'To' Phone Number","status":400}"#,
    )]);
    let mut world = provider_world(&stand_in);
    let (id, message) = ada_replies(&mut world, "Bonjour");
    match status_of(&world, &id, message) {
        DeliveryStatus::Failed { reason } => assert_eq!(
            reason.as_str(),
            "the number is not a valid phone number (error 21211)"
        ),
        other => panic!("the reply shows {other:?}"),
    }
    world.advance_seconds(120);
    assert_eq!(stand_in.received().len(), 1, "a refusal is not tried again");
}

#[test]
fn a_part_whose_call_a_crash_interrupted_is_failed_and_never_sent_again() {
    let stand_in = ProviderStandIn::start(ACCOUNT, TOKEN);
    let mut world = provider_world(&stand_in);
    world.ready_agent("sms-page");
    world.customer_writes(CUSTOMER, "Hello?");
    let id = world.accept_first_offer();
    world.desk.interaction_mut(&id).expect("open").draft = "Hello, Ada here.".into();
    world.desk.composer_changed(&id);
    // Sent (the parts are in the outbox), then the process dies during the API call: the part
    // was marked attempting and the answer never came back.
    world.desk.send(&id).expect("send");
    world.desk.settle();
    let due = world
        .store
        .due_parts(world.clock.now(), 10)
        .expect("due parts");
    assert_eq!(due.len(), 1);
    world.store.part_attempting(due[0].id).expect("attempting");

    let restarted = EmbeddedPlatform::with_settings(
        world.store.clone(),
        world.clock.clone(),
        with_provider(&stand_in)(PlatformSettings::new(
            "+15550100",
            switchboard_platform_embedded::DEFAULT_SESSION_NUMBER,
        )),
    )
    .expect("restarted platform");
    restarted.tick();
    world.clock.advance_seconds(300);
    restarted.tick();
    assert!(stand_in.received().is_empty(), "never sent blindly again");
    match status_of(&world, &id, due[0].message_id) {
        DeliveryStatus::Failed { reason } => {
            assert!(reason.contains("may not have been sent"), "{reason}");
        }
        other => panic!("the reply shows {other:?}"),
    }
}

#[test]
fn mms_media_comes_from_the_providers_media_host_only_with_the_accounts_credentials() {
    let stand_in = ProviderStandIn::start(ACCOUNT, TOKEN);
    stand_in.serve_media(switchboard_core::media::samples::picture(
        64,
        48,
        switchboard_core::media::ImageFormat::Png,
    ));
    let media_host = url::Url::parse(&stand_in.base()).expect("base");
    let mut provider = provider_settings(&stand_in);
    provider.media_host = media_host.host_str().map(str::to_owned);
    let world = World::with_settings(
        &[library("mms")],
        config_with_role(&["mms"], ""),
        move |mut settings| {
            settings.provider = Some(provider);
            settings
        },
    );
    let webhook = world.platform.start_webhook(0).expect("webhook");
    let from_provider = format!(
        "{}/2010-04-01/Accounts/{ACCOUNT}/Messages/MM1/Media/ME1",
        stand_in.base()
    );
    let port = media_host.port().expect("port");
    let elsewhere = format!("http://localhost:{port}/Media/ME2");
    let a_file = "file:///etc/hostname".to_owned();
    let fields = [
        ("From", CUSTOMER),
        ("To", "+15550100"),
        ("Body", "Three photos"),
        ("MessageSid", "MMin0001"),
        ("NumMedia", "3"),
        ("MediaUrl0", from_provider.as_str()),
        ("MediaContentType0", "image/png"),
        ("MediaUrl1", elsewhere.as_str()),
        ("MediaContentType1", "image/png"),
        ("MediaUrl2", a_file.as_str()),
        ("MediaContentType2", "image/png"),
    ];
    assert_eq!(
        post(
            webhook.address(),
            "/sms",
            &fields,
            Some(&signed("/sms", &fields))
        ),
        200
    );
    let id = world
        .store
        .unassigned_interactions()
        .expect("read")
        .first()
        .expect("stored")
        .id
        .clone();
    let first = world.store.transcript(&id).expect("transcript");
    let attachments = &first[0].attachments;
    assert_eq!(attachments.len(), 3);
    let fetched = world
        .store
        .attachment(attachments[0].id)
        .expect("read")
        .expect("attachment");
    assert!(
        fetched.thumbnail.is_some(),
        "the provider's media, fetched with the account's credentials: {:?}",
        fetched.problem
    );
    for refused in &attachments[1..] {
        let stored = world
            .store
            .attachment(refused.id)
            .expect("read")
            .expect("attachment");
        assert!(stored.thumbnail.is_none());
        assert!(
            stored
                .problem
                .as_deref()
                .is_some_and(|p| p.contains("provider's media host")),
            "{:?}",
            stored.problem
        );
    }
}

#[test]
fn a_whatsapp_reply_goes_through_the_api_between_whatsapp_addresses() {
    let stand_in = ProviderStandIn::start(ACCOUNT, TOKEN);
    let mut world = World::with_settings(
        &[library("whatsapp")],
        config_with_role(&["whatsapp"], ""),
        with_provider(&stand_in),
    );
    world.ready_agent("whatsapp");
    world.customer_writes("whatsapp:+447700900123", "Hi from WhatsApp");
    let id = world.accept_first_offer();
    world.agent_sends(&id, "Hello! How can I help?");
    let received = stand_in.received();
    assert_eq!(received.len(), 1, "{received:?}");
    assert_eq!(received[0].field("To"), Some("whatsapp:+447700900123"));
    assert!(
        received[0]
            .field("From")
            .is_some_and(|from| from.starts_with("whatsapp:+")),
        "{:?}",
        received[0].field("From")
    );
    assert_eq!(received[0].field("Body"), Some("Hello! How can I help?"));
}
