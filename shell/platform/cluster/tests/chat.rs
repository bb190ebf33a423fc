//! Web chat on one gateway, through a real NATS server this test starts and the machine's
//! PostgreSQL, with the page server played by a recorder of what pages would show: a
//! customer's words open a chat and later ones join it (a finished chat gives way to a new
//! one); typing and messages reach the agent and the page; what a page shows is reported
//! delivered; an agent who neither holds the chat nor is in its conference is refused at every
//! door (send, link, typing, end, invite, read); a conference invitation is refused for a queue or an absent colleague, and a refusal
//! or a lapse is told to the inviting agent.

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use switchboard_edge::chat_protocol::ToCustomer;
use switchboard_platform_cluster::{
    gateway::{CustomerPages, Gateway, GatewaySettings, InboundChat, PagesLink},
    nats_server::NatsServer,
};
use switchboard_sdk::{DeliveryStatus, InvitationOutcome, Role, Target, purposes};
use switchboard_seam::{
    backend::{Backend, BackendEvent, InviteRequest, OutboundMessage},
    clock::SystemClock,
    records::{InteractionRecords, NewMessage},
};
use switchboard_store_postgres::PgStore;

mod common;

use common::{Desktop, TTL, database, enroll, scratch_schema};

const WITHIN: Duration = Duration::from_secs(5);

/// What the pages were shown, by interaction.
#[derive(Default)]
struct Pages(Mutex<Vec<(String, ToCustomer)>>);

impl CustomerPages for Pages {
    fn relay(&self, interaction: &str, update: &ToCustomer) -> Option<bool> {
        self.0
            .lock()
            .expect("pages")
            .push((interaction.to_owned(), update.clone()));
        Some(true)
    }
}

impl Pages {
    fn shown(&self) -> Vec<(String, ToCustomer)> {
        self.0.lock().expect("pages").clone()
    }
}

fn words(interaction: Option<&str>, text: &str) -> InboundChat {
    InboundChat {
        address: "chat:CH-room-1".into(),
        name: "Camille Martin".into(),
        interaction: interaction.map(str::to_owned),
        text: text.into(),
    }
}

fn agent(id: &str) -> Target {
    Target {
        kind: "agent".into(),
        id: id.into(),
        name: id.into(),
    }
}

fn invite(
    desktop: &Desktop,
    from: &str,
    id: &str,
    target: Target,
    seconds: i64,
) -> Result<(), String> {
    desktop
        .backend
        .invite(InviteRequest {
            interaction: id.into(),
            from_agent: from.into(),
            target,
            purpose: purposes::CONFERENCE.into(),
            timeout_seconds: seconds,
            first_message: String::new(),
            case_data: Vec::new(),
        })
        .map_err(|e| e.to_string())
}

fn invitation_outcome(desktop: &Desktop, id: &str) -> InvitationOutcome {
    desktop
        .wait_for(WITHIN, |event| match event {
            BackendEvent::InvitationAnswered {
                interaction,
                purpose,
                outcome,
                ..
            } if interaction == id && purpose == purposes::CONFERENCE => Some(outcome),
            _ => None,
        })
        .expect("the invitation's outcome")
}

fn stored_reply(desktop: &Desktop, id: &str, text: &str) -> OutboundMessage {
    let entry = desktop
        .backend
        .records()
        .insert_message(
            &NewMessage {
                interaction: id.into(),
                role: Role::Agent,
                author: "Ada Lovelace".into(),
                author_key: "agent".into(),
                time: switchboard_sdk::Timestamp(1),
                body: text.into(),
                status: DeliveryStatus::Sending,
                provider_id: None,
                parts: 1,
            },
            &[],
        )
        .expect("stored")
        .expect("a new message");
    OutboundMessage {
        message_id: entry.id,
        interaction: id.into(),
        to: "chat:CH-room-1".into(),
        from: "web chat".into(),
        author: "Ada Lovelace".into(),
        text: text.into(),
        parts: vec![text.into()],
    }
}

#[test]
fn a_chat_reaches_its_agent_and_page_and_refuses_everyone_else() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = NatsServer::start(dir.path().to_path_buf()).expect("nats-server");
    let schema = scratch_schema("chat");
    let store = PgStore::connect(&database(), &schema).expect("store");
    let prefix = format!("ch{}", std::process::id());
    let pages = Arc::new(Pages::default());
    let gateway = Gateway::start_with(
        &server.gateway_bus(),
        &prefix,
        store,
        Arc::new(SystemClock),
        TTL,
        GatewaySettings {
            pages: Some(PagesLink(pages.clone())),
            roles: switchboard_seam::roles::RolePolicies::unrestricted(),
            ..GatewaySettings::default()
        },
    )
    .expect("gateway");
    enroll(&gateway, &["ada", "lea", "marc"]);
    let ada = Desktop::sign_in_on(&server.url(), &prefix, "ada", &[("chat", "chat", 60)]);
    // Lea and Marc work on SMS: no chat is offered to them.
    let lea = Desktop::sign_in(&server.url(), &prefix, "lea");
    let marc = Desktop::sign_in(&server.url(), &prefix, "marc");

    // The customer's first words open a chat, offered to Ada.
    let id = gateway
        .receive_chat(words(None, "Bonjour"))
        .expect("stored");
    let offer = ada.next_offer(WITHIN).expect("an offer");
    assert_eq!(offer.interaction.id, id);
    assert_eq!(offer.interaction.media_type, "chat");
    assert_eq!(
        offer.first_message.map(|m| m.text.to_string()),
        Some("Bonjour".to_owned())
    );
    ada.backend
        .answer_offer("ada", &offer.offer_id, true)
        .expect("accepted");

    // Later words join it and reach Ada; so does the customer's typing.
    assert_eq!(
        gateway
            .receive_chat(words(Some(&id), "Vous êtes là ?"))
            .expect("stored"),
        id
    );
    let inbound = ada.wait_for(WITHIN, |event| match event {
        BackendEvent::Inbound { interaction, entry } if interaction == id => {
            Some(entry.text.to_string())
        }
        _ => None,
    });
    assert_eq!(inbound.as_deref(), Some("Vous êtes là ?"));
    gateway.contact_typing(&id, true);
    let typing = ada.wait_for(WITHIN, |event| match event {
        BackendEvent::ContactTyping {
            interaction,
            typing,
        } if interaction == id => Some(typing),
        _ => None,
    });
    assert_eq!(typing, Some(true));

    // Ada's reply reaches the page, and is reported sent, then delivered.
    let reply = stored_reply(&ada, &id, "Oui, je vous écoute.");
    let message_id = reply.message_id;
    ada.backend.send(reply).expect("sent");
    let delivered = ada.wait_for(WITHIN, |event| match event {
        BackendEvent::Delivery {
            message_id: about,
            status,
            ..
        } if about == message_id && status == DeliveryStatus::Delivered => Some(()),
        _ => None,
    });
    assert!(delivered.is_some(), "delivered once the page had it");
    ada.backend
        .set_typing(&id, "Ada", false)
        .expect("typing told");
    let shown = pages.shown();
    assert!(shown.contains(&(
        id.clone(),
        ToCustomer::Message {
            author: "Ada Lovelace".into(),
            text: "Oui, je vous écoute.".into()
        }
    )));

    // Lea holds nothing here: every door refuses her.
    let intruding = OutboundMessage {
        message_id,
        interaction: id.clone(),
        to: "chat:CH-room-1".into(),
        from: "web chat".into(),
        author: "Lea".into(),
        text: "Oui, je vous écoute.".into(),
        parts: vec!["Oui, je vous écoute.".into()],
    };
    assert!(lea.backend.send(intruding.clone()).is_err(), "send");
    assert!(lea.backend.push_url(intruding).is_err(), "push a link");
    assert!(lea.backend.set_typing(&id, "Lea", true).is_err(), "typing");
    assert!(lea.backend.end_conversation(&id, "Lea").is_err(), "end");
    assert!(
        invite(&lea, "lea", &id, agent("marc"), 30).is_err(),
        "invite"
    );
    assert!(lea.backend.records().transcript(&id).is_err(), "read");

    // A conference brings in one named colleague who is signed in.
    let queue = Target {
        kind: "queue".into(),
        id: "queue".into(),
        name: "Queue".into(),
    };
    assert!(
        invite(&ada, "ada", &id, queue, 30)
            .expect_err("a queue")
            .contains("choose an agent")
    );
    assert!(
        invite(&ada, "ada", &id, agent("zoe"), 30)
            .expect_err("zoe is away")
            .contains("not signed in")
    );
    // Marc refuses, then lets the next invitation lapse: Ada is told each time.
    invite(&ada, "ada", &id, agent("marc"), 30).expect("invited");
    let refused = marc.next_offer(WITHIN).expect("offered to Marc");
    assert_eq!(refused.interaction.id, id);
    marc.backend
        .answer_offer("marc", &refused.offer_id, false)
        .expect("answered");
    assert!(matches!(
        invitation_outcome(&ada, &id),
        InvitationOutcome::Rejected { .. }
    ));
    invite(&ada, "ada", &id, agent("marc"), 1).expect("invited");
    let lapsing = marc.next_offer(WITHIN).expect("offered to Marc");
    assert_eq!(invitation_outcome(&ada, &id), InvitationOutcome::TimedOut);
    assert!(
        marc.backend
            .answer_offer("marc", &lapsing.offer_id, true)
            .is_err(),
        "a lapsed invitation cannot be taken"
    );
    assert!(
        marc.backend.records().transcript(&id).is_err(),
        "Marc never joined"
    );

    // Marc joins at last and writes in the chat; once Ada finishes it, he writes no more.
    invite(&ada, "ada", &id, agent("marc"), 30).expect("invited");
    let joining = marc.next_offer(WITHIN).expect("offered to Marc");
    marc.backend
        .answer_offer("marc", &joining.offer_id, true)
        .expect("joined");
    assert_eq!(invitation_outcome(&ada, &id), InvitationOutcome::Accepted);
    let line = |text: &str| NewMessage {
        interaction: id.clone(),
        role: Role::Agent,
        author: "Marc".into(),
        author_key: "agent".into(),
        time: switchboard_sdk::Timestamp(2),
        body: text.into(),
        status: DeliveryStatus::Sending,
        provider_id: None,
        parts: 1,
    };
    marc.backend
        .records()
        .insert_message(&line("Je regarde aussi"), &[])
        .expect("a member writes while the chat is open");

    // Ada finishes; the customer's next words open a new chat.
    ada.backend.close(&id).expect("closed");
    assert!(
        marc.backend
            .records()
            .insert_message(&line("Encore moi"), &[])
            .is_err(),
        "a member writes nothing in a finished chat"
    );
    let next = gateway
        .receive_chat(words(Some(&id), "Encore une question"))
        .expect("stored");
    assert_ne!(next, id);
    assert_eq!(ada.next_offer(WITHIN).map(|o| o.interaction.id), Some(next));

    drop((ada, lea, marc, gateway));
    PgStore::connect(&database(), &schema)
        .expect("store")
        .drop_schema()
        .expect("dropped");
}
