//! Transfers between two desktops on one gateway, through a real NATS server this test starts
//! and the machine's PostgreSQL: a colleague is offered the interaction alone and, accepting,
//! gets it with its whole transcript while the first agent loses it; a refusal and a lapse are
//! told to the first agent, who keeps it; a transfer to a queue reaches whoever is Ready.

use std::time::Duration;

use switchboard_edge::InboundSms;
use switchboard_platform_cluster::nats_server::NatsServer;
use switchboard_sdk::{InvitationOutcome, Target};
use switchboard_seam::{
    backend::{Backend, BackendEvent, TransferRequest},
    parties::Presence,
    records::{InteractionRecords, StoreError},
};
use switchboard_store_postgres::PgStore;

mod common;

use common::{Desktop, database, scratch_schema};

const WITHIN: Duration = Duration::from_secs(5);

fn outcome(desktop: &Desktop, interaction: &str) -> InvitationOutcome {
    desktop
        .wait_for(WITHIN, |event| match event {
            BackendEvent::TransferAnswered {
                interaction: about,
                outcome,
                ..
            } if about == interaction => Some(outcome),
            _ => None,
        })
        .expect("the transfer's outcome")
}

fn to(kind: &str, id: &str) -> Target {
    Target {
        kind: kind.into(),
        id: id.into(),
        name: id.into(),
    }
}

fn transfer(desktop: &Desktop, id: &str, target: Target, timeout_seconds: i64) {
    desktop
        .backend
        .transfer(TransferRequest {
            interaction: id.into(),
            from_agent: "ada".into(),
            target,
            timeout_seconds,
        })
        .expect("asked");
}

#[test]
fn a_transfer_reaches_a_colleague_with_its_transcript() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = NatsServer::start(dir.path().to_path_buf()).expect("nats-server");
    let schema = scratch_schema("transfers");
    let store = PgStore::connect(&database(), &schema).expect("store");
    let prefix = format!("tr{}", std::process::id());
    let gateway = common::gateway(&server, &prefix, store, &["ada", "marc"]);
    let ada = Desktop::sign_in(&server.url(), &prefix, "ada");
    gateway
        .receive_sms(InboundSms {
            from: "+33612345678".into(),
            to: "+15550100".into(),
            body: "Je voudrais changer mon adresse".into(),
            message_sid: Some("SMt1".into()),
            ..Default::default()
        })
        .expect("stored");
    let first = ada.next_offer(WITHIN).expect("an offer");
    let id = first.interaction.id.clone();
    ada.backend
        .answer_offer("ada", &first.offer_id, true)
        .expect("accepted");
    // marc signs in after ada took the work, not Ready for SMS: only a transfer reaches him.
    let marc = Desktop::sign_in(&server.url(), &prefix, "marc");
    marc.backend
        .set_ready("marc", &["sms".to_owned()], false)
        .expect("not ready");
    // ada's Team Communicator sees marc present and not Ready, and nobody else.
    let deadline = std::time::Instant::now() + WITHIN;
    while ada.backend.presence("marc") != Some(Presence::NotReady)
        && std::time::Instant::now() < deadline
    {
        ada.wait_for(Duration::from_millis(50), |_| None::<()>);
    }
    assert_eq!(ada.backend.presence("marc"), Some(Presence::NotReady));
    assert_eq!(ada.backend.presence("lea"), Some(Presence::Offline));

    // marc refuses: ada is told and keeps it.
    transfer(&ada, &id, to("agent", "marc"), 30);
    let offered = marc.next_offer(WITHIN).expect("an offer");
    assert_eq!(offered.interaction.id, id);
    assert_eq!(
        offered.first_message.map(|m| m.text.to_string()),
        Some("Je voudrais changer mon adresse".to_owned())
    );
    assert!(
        marc.backend.records().transcript(&id).is_err(),
        "marc reads nothing before he accepts"
    );
    marc.backend
        .answer_offer("marc", &offered.offer_id, false)
        .expect("refused");
    assert!(matches!(
        outcome(&ada, &id),
        InvitationOutcome::Rejected { .. }
    ));
    assert!(ada.backend.records().transcript(&id).is_ok(), "still ada's");

    // Nobody answers: the offer lapses for marc, ada is told.
    transfer(&ada, &id, to("agent", "marc"), 1);
    let lapsing = marc.next_offer(WITHIN).expect("an offer");
    assert_eq!(outcome(&ada, &id), InvitationOutcome::TimedOut);
    assert!(
        marc.backend
            .answer_offer("marc", &lapsing.offer_id, true)
            .is_err(),
        "a lapsed transfer cannot be taken"
    );

    // marc accepts: the interaction and its history are his, no longer ada's.
    transfer(&ada, &id, to("agent", "marc"), 30);
    let taken = marc.next_offer(WITHIN).expect("an offer");
    marc.backend
        .answer_offer("marc", &taken.offer_id, true)
        .expect("accepted");
    assert_eq!(outcome(&ada, &id), InvitationOutcome::Accepted);
    assert_eq!(
        marc.backend
            .records()
            .transcript(&id)
            .expect("his now")
            .len(),
        1
    );
    assert!(matches!(
        ada.backend.records().transcript(&id),
        Err(StoreError::Database { .. })
    ));
    let row = gateway
        .store()
        .interaction(&id)
        .expect("read")
        .expect("row");
    assert_eq!(row.agent_id.as_deref(), Some("marc"));

    // marc gives it to the SMS queue: ada, Ready, is offered it.
    ada.backend
        .set_ready("ada", &["sms".to_owned()], true)
        .expect("ready");
    marc.backend
        .transfer(TransferRequest {
            interaction: id.clone(),
            from_agent: "marc".into(),
            target: to("queue", "sms"),
            timeout_seconds: 30,
        })
        .expect("asked");
    assert_eq!(outcome(&marc, &id), InvitationOutcome::Accepted);
    let requeued = ada.next_offer(WITHIN).expect("an offer");
    assert_eq!(requeued.interaction.id, id);

    drop((ada, marc, gateway));
    PgStore::connect(&database(), &schema)
        .expect("store")
        .drop_schema()
        .expect("dropped");
}
