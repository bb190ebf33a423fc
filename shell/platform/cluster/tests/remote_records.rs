//! A desktop's records through NATS, against a real server this test starts and the machine's
//! PostgreSQL: the remote store passes the conformance suite every store passes (each case in
//! a schema of its own, carried by the wire and answered by a PostgreSQL store), and the
//! gateway refuses what an agent may not read or write.

use std::{sync::Arc, time::Duration};

use futures_util::StreamExt;
use switchboard_edge::InboundSms;
use switchboard_platform_cluster::{
    desktop::ClusterBackend,
    nats_server::NatsServer,
    records_wire::{self, RecordCall},
    wire::Reply,
};
use switchboard_sdk::{DeliveryStatus, Role, Timestamp};
use switchboard_seam::{
    backend::{AgentSession, Backend, BackendError, BackendEvent, OutboundMessage},
    records::{
        AgentRecords, InteractionRecords, InteractionState, NewMessage, Records, StoreError,
        WrapUpRecords, conformance::CASES,
    },
    secret::Secret,
};
use switchboard_store_postgres::PgStore;

mod common;

use common::{Desktop, TTL, database, password_of, scratch_schema};

/// Answers every request under `prefix` as a gateway's transport would, without its access
/// rules: sign-in is agreed, record calls run on `store`. What the conformance suite tests is
/// the carrying of every call and answer.
fn answer_without_rules(
    runtime: &tokio::runtime::Runtime,
    server: &NatsServer,
    prefix: &str,
    store: Arc<PgStore>,
) {
    let client = runtime
        .block_on(server.gateway_bus().connect_options().connect(server.url()))
        .expect("responder connected");
    let mut requests = runtime
        .block_on(client.subscribe(format!("{prefix}.gw.*.*")))
        .expect("subscribed");
    runtime.spawn(async move {
        while let Some(message) = requests.next().await {
            let body = if message.subject.ends_with(".records") {
                let call: RecordCall =
                    serde_json::from_slice(&message.payload).expect("a record call");
                let store = store.clone();
                let answer = tokio::task::spawn_blocking(move || {
                    records_wire::answer(store.as_ref() as &dyn Records, call)
                })
                .await
                .expect("answered");
                serde_json::to_vec(&answer).expect("encoded")
            } else if message.subject.ends_with(".sign_in") {
                serde_json::to_vec(&Reply::SignedIn {
                    wire_version: switchboard_platform_cluster::wire::WIRE_VERSION,
                    session: "S1".into(),
                    channels: Vec::new(),
                    permissions: Vec::new(),
                })
                .expect("encoded")
            } else {
                serde_json::to_vec(&Reply::Done).expect("encoded")
            };
            if let Some(reply) = message.reply {
                client.publish(reply, body.into()).await.expect("replied");
            }
        }
    });
}

/// Answers the NATS server's authorization requests as a gateway would, letting any agent in
/// with its own subjects under every prefix `prefixes` matches (the transport is under test
/// here, not the sign-in).
fn let_in_anyone(runtime: &tokio::runtime::Runtime, server: &NatsServer, prefixes: &str) {
    use switchboard_platform_cluster::bus_trust::{jwt, permissions};
    let bus = server.gateway_bus();
    let client = runtime
        .block_on(bus.connect_options().connect(server.url()))
        .expect("callout connected");
    let issuer = bus.issuer().expect("issuer");
    let prefix = prefixes;
    let mut asked = runtime
        .block_on(client.queue_subscribe("$SYS.REQ.USER.AUTH", "test".into()))
        .expect("subscribed");
    let (client, prefix) = (client.clone(), prefix.to_owned());
    runtime.spawn(async move {
        while let Some(message) = asked.next().await {
            let request = jwt::decode(std::str::from_utf8(&message.payload).expect("text"), 'N')
                .expect("the server's request");
            let nats = &request["nats"];
            let agent = nats["connect_opts"]["user"].as_str().expect("a user");
            let user = jwt::encode(
                serde_json::json!({"sub": nats["user_nkey"], "aud": "SWITCHBOARD",
                    "nats": permissions::user_claims(&prefix, agent)}),
                &issuer,
                0,
            )
            .expect("signed");
            let answer = jwt::encode(
                serde_json::json!({"sub": nats["user_nkey"], "aud": nats["server_id"]["id"],
                    "nats": {"jwt": user, "type": "authorization_response", "version": 2}}),
                &issuer,
                0,
            )
            .expect("signed");
            if let Some(reply) = message.reply {
                client
                    .publish(reply, answer.into())
                    .await
                    .expect("answered");
            }
        }
    });
}

#[test]
fn the_remote_store_passes_the_conformance_suite() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = NatsServer::start(dir.path().to_path_buf()).expect("nats-server");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let_in_anyone(&runtime, &server, &format!("rr{}.*", std::process::id()));
    let mut failed = Vec::new();
    for (n, (name, case)) in CASES.iter().enumerate() {
        let schema = scratch_schema(name);
        let store = Arc::new(PgStore::connect(&database(), &schema).expect("store"));
        let prefix = format!("rr{}.x{n}", std::process::id());
        answer_without_rules(&runtime, &server, &prefix, store.clone());
        let desktop = ClusterBackend::connect(&server.url(), &prefix, TTL).expect("desktop");
        desktop
            .sign_in(&AgentSession {
                agent: "ada".into(),
                display_name: "Ada".into(),
                role: "agent".into(),
                channels: Vec::new(),
                password: Some(password_of("ada")),
            })
            .expect("signed in");
        let records = desktop.records();
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| case(&records)));
        if outcome.is_err() {
            failed.push(*name);
        }
        drop(desktop);
        let cleanup = PgStore::connect(&database(), &schema).expect("store");
        cleanup.drop_schema().expect("dropped");
    }
    assert!(failed.is_empty(), "conformance cases failed: {failed:?}");
}

fn reply_of(agent: &str, interaction: &str, body: &str) -> NewMessage {
    NewMessage {
        interaction: interaction.into(),
        role: Role::Agent,
        author: agent.into(),
        author_key: "agent".into(),
        time: Timestamp(1),
        body: body.into(),
        status: DeliveryStatus::Sending,
        provider_id: None,
        parts: 1,
    }
}

fn refused<T: std::fmt::Debug>(result: Result<T, StoreError>) -> String {
    match result {
        Err(e) => e.to_string(),
        Ok(value) => panic!("expected a refusal, got {value:?}"),
    }
}

#[test]
fn the_gateway_keeps_each_agents_work_to_that_agent() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = NatsServer::start(dir.path().to_path_buf()).expect("nats-server");
    let schema = scratch_schema("access");
    let store = PgStore::connect(&database(), &schema).expect("store");
    let prefix = format!("ra{}", std::process::id());
    let gateway = common::gateway(&server, &prefix, store, &["ada", "marc"]);
    let ada = Desktop::sign_in(&server.url(), &prefix, "ada");
    gateway
        .receive_sms(InboundSms {
            from: "+33612345678".into(),
            to: "+15550100".into(),
            body: "Où est ma commande ?".into(),
            message_sid: Some("SM1".into()),
            ..Default::default()
        })
        .expect("stored");
    let offer = ada
        .wait_for(Duration::from_secs(5), |event| match event {
            BackendEvent::Offer(offer) => Some(*offer),
            _ => None,
        })
        .expect("ada is offered the SMS");
    let id = offer.interaction.id.clone();
    ada.backend
        .answer_offer("ada", &offer.offer_id, true)
        .expect("accepted");
    let marc = Desktop::sign_in(&server.url(), &prefix, "marc");

    let ada_records = ada.backend.records();
    let marc_records = marc.backend.records();
    // ada reads and writes her own work.
    assert_eq!(
        ada_records.transcript(&id).expect("her transcript").len(),
        1
    );
    let entry = ada_records
        .insert_message(&reply_of("ada", &id, "Elle part demain."), &[])
        .expect("stored")
        .expect("new");
    ada.backend
        .send(OutboundMessage {
            message_id: entry.id,
            interaction: id.clone(),
            to: "+33612345678".into(),
            from: "+15550100".into(),
            author: "Ada".into(),
            text: "Elle part demain.".into(),
            parts: vec!["Elle part demain.".into()],
        })
        .expect("sent");
    let delivered = ada.wait_for(Duration::from_secs(5), |event| match event {
        BackendEvent::Delivery {
            message_id, status, ..
        } if message_id == entry.id => Some(status),
        _ => None,
    });
    assert_eq!(delivered, Some(DeliveryStatus::Sent));

    // marc reads nothing of ada's open work, writes nothing in it, sends nothing in it.
    assert!(refused(marc_records.transcript(&id)).contains("not marc's"));
    assert!(refused(marc_records.interaction(&id)).contains("not marc's"));
    assert!(refused(marc_records.note(&id)).contains("not marc's"));
    assert!(
        refused(marc_records.insert_message(&reply_of("marc", &id, "x"), &[]))
            .contains("not marc's")
    );
    assert!(refused(marc_records.set_note(&id, "mine", Timestamp(2))).contains("not marc's"));
    assert!(refused(marc_records.favourites("ada")).contains("ada's records"));
    assert!(refused(marc_records.pushed_urls("ada@contact:1", 5)).contains("ada's records"));
    assert!(refused(marc_records.held_by("ada")).contains("ada's records"));
    assert!(
        marc.backend
            .send(OutboundMessage {
                message_id: entry.id,
                interaction: id.clone(),
                to: "+33612345678".into(),
                from: "+15550100".into(),
                author: "Marc".into(),
                text: "x".into(),
                parts: vec!["x".into()],
            })
            .is_err(),
        "marc cannot send in ada's interaction"
    );
    // Nobody writes as the customer, opens interactions or sets states from a desktop.
    let mut as_customer = reply_of("ada", &id, "I am the customer");
    as_customer.role = Role::Contact;
    assert!(refused(ada_records.insert_message(&as_customer, &[])).contains("agent's messages"));
    assert!(
        refused(ada_records.set_interaction_state(&id, InteractionState::Closed, None))
            .contains("platform")
    );
    assert!(
        refused(ada_records.set_status(entry.id, &DeliveryStatus::Delivered)).contains("platform")
    );
    assert_eq!(
        gateway.store().transcript(&id).expect("read").len(),
        2,
        "nothing refused was written"
    );

    // Once ada is done, the conversation is history every agent may read.
    ada.backend.close(&id).expect("closed");
    assert_eq!(marc_records.transcript(&id).expect("history").len(), 2);
    assert!(refused(marc_records.set_note(&id, "mine", Timestamp(3))).contains("not marc's"));

    drop((ada, marc, gateway));
    PgStore::connect(&database(), &schema)
        .expect("store")
        .drop_schema()
        .expect("dropped");
}

#[test]
fn signing_in_takes_the_agents_own_password() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = NatsServer::start(dir.path().to_path_buf()).expect("nats-server");
    let schema = scratch_schema("passwords");
    let store = PgStore::connect(&database(), &schema).expect("store");
    let prefix = format!("rp{}", std::process::id());
    let gateway = common::gateway(&server, &prefix, store, &["ada"]);
    let desktop = ClusterBackend::connect(&server.url(), &prefix, TTL).expect("desktop");
    assert!(desktop.asks_for_password());
    let session = |agent: &str, password: Option<Secret>| AgentSession {
        agent: agent.into(),
        display_name: agent.into(),
        role: "agent".into(),
        channels: Vec::new(),
        password,
    };
    let refusal = |result: Result<(), BackendError>| match result {
        Err(BackendError::SignInRefused(reason)) => reason,
        other => panic!("expected a refused sign-in, got {other:?}"),
    };
    // The NATS server refuses the connection; the gateway's reason is in the audit trail.
    let wrong = refusal(desktop.sign_in(&session("ada", Some(Secret::new("guess-guess")))));
    assert!(wrong.contains("did not accept ada's password"), "{wrong}");
    assert!(!wrong.contains("guess-guess"));
    assert!(refusal(desktop.sign_in(&session("ada", None))).contains("must give a password"));
    // Another agent's password is not this agent's; an agent without one cannot sign in.
    assert!(refusal(desktop.sign_in(&session("marc", Some(password_of("ada"))))).contains("marc"));
    let trail = gateway.store().audit_trail(None, 10).expect("audit trail");
    let said: Vec<&str> = trail.iter().map(|e| e.detail.as_str()).collect();
    assert!(said.contains(&"wrong password for ada"), "{said:?}");
    assert!(
        said.iter()
            .any(|d| d.starts_with("marc has no password yet")),
        "{said:?}"
    );
    assert!(trail.iter().all(|e| !e.detail.contains("guess-guess")));
    // Refused, the desktop may not use the records.
    assert!(desktop.records().favourites("ada").is_err());
    desktop
        .sign_in(&session("ada", Some(password_of("ada"))))
        .expect("her own password signs her in");
    assert!(desktop.records().favourites("ada").is_ok());
    let stored = gateway
        .store()
        .password_hash("ada")
        .expect("read")
        .expect("set");
    assert!(stored.starts_with("$argon2id$") && !stored.contains("ada-password"));

    drop((desktop, gateway));
    PgStore::connect(&database(), &schema)
        .expect("store")
        .drop_schema()
        .expect("dropped");
}
