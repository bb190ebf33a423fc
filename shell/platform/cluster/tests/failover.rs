//! Two gateways for one deployment, through a real NATS server this test starts and the
//! machine's PostgreSQL: only one routes (it holds the routing lease); the other stores what
//! its webhook receives, which the routing one offers; when the routing gateway stops, the
//! other takes over within seconds, signed-in desktops follow it without a click, and the work
//! it had offered is offered again. An agent who goes down with the routing gateway gets her
//! accepted work offered to a colleague by the gateway that took over, though it never had her
//! signed in.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use switchboard_edge::{InboundSms, Received};
use switchboard_platform_cluster::{
    gateway::{Gateway, GatewaySettings},
    nats_server::NatsServer,
};
use switchboard_seam::{backend::Backend, clock::SystemClock};
use switchboard_store_postgres::PgStore;

mod common;

use common::{Desktop, TTL, database, enroll, scratch_schema};

fn sms(n: u32) -> InboundSms {
    InboundSms {
        from: format!("+3361234561{n}"),
        to: "+15550100".into(),
        body: format!("Message {n}"),
        message_sid: Some(format!("SMf{n}")),
        ..Default::default()
    }
}

fn opened(received: Received) -> String {
    match received {
        Received::Opened(id) => id,
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_standing_by_gateway_takes_over_routing_and_desktops_follow() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = NatsServer::start(dir.path().to_path_buf()).expect("nats-server");
    let schema = scratch_schema("failover");
    let prefix = format!("fo{}", std::process::id());
    let start = || {
        Gateway::start(
            &server.gateway_bus(),
            &prefix,
            PgStore::connect(&database(), &schema).expect("store"),
            Arc::new(SystemClock),
            TTL,
        )
        .expect("gateway")
    };
    let first = start();
    let second = start();
    assert!(first.is_routing(), "the first gateway routes");
    assert!(!second.is_routing(), "the second stands by");
    enroll(&first, &["ada"]);
    let ada = Desktop::sign_in(&server.url(), &prefix, "ada");

    // What the standing-by gateway's webhook stores is offered by the routing one.
    let stored_elsewhere = opened(second.receive_sms(sms(1)).expect("stored"));
    let offered = ada.next_offer(Duration::from_secs(5)).expect("offered");
    assert_eq!(offered.interaction.id, stored_elsewhere);
    ada.backend
        .answer_offer("ada", &offered.offer_id, true)
        .expect("accepted");
    // One more, offered and left unanswered when the routing gateway stops.
    let unanswered = opened(first.receive_sms(sms(2)).expect("stored"));
    assert_eq!(
        ada.next_offer(Duration::from_secs(5))
            .map(|o| o.interaction.id),
        Some(unanswered.clone())
    );

    let stopped = Instant::now();
    drop(first);
    // ada follows without a click: the offer the first gateway made is made again. Nothing is
    // polled away while the second gateway takes over: the offer can arrive the moment it
    // routes.
    let again = ada
        .next_offer(Duration::from_secs(8))
        .expect("offered again");
    assert!(second.is_routing(), "the second gateway took over");
    assert_eq!(again.interaction.id, unanswered);
    let new = opened(second.receive_sms(sms(3)).expect("stored"));
    assert_eq!(
        ada.next_offer(Duration::from_secs(5))
            .map(|o| o.interaction.id),
        Some(new)
    );
    // Her accepted work is still hers on the new gateway.
    ada.backend
        .close(&stored_elsewhere)
        .expect("closed through the new gateway");
    println!("took over in {:?}", stopped.elapsed());

    drop((ada, second));
    PgStore::connect(&database(), &schema)
        .expect("store")
        .drop_schema()
        .expect("dropped");
}

#[test]
fn a_gone_agents_work_returns_from_a_gateway_that_took_over_without_ever_seeing_her() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = NatsServer::start(dir.path().to_path_buf()).expect("nats-server");
    let schema = scratch_schema("gone_after_takeover");
    let prefix = format!("gt{}", std::process::id());
    let start = || {
        Gateway::start_with(
            &server.gateway_bus(),
            &prefix,
            PgStore::connect(&database(), &schema).expect("store"),
            Arc::new(SystemClock),
            TTL,
            GatewaySettings {
                return_after: Duration::from_secs(2),
                roles: switchboard_seam::roles::RolePolicies::unrestricted(),
                ..GatewaySettings::default()
            },
        )
        .expect("gateway")
    };
    let first = start();
    let second = start();
    assert!(first.is_routing(), "the first gateway routes");
    enroll(&first, &["ada", "marc"]);

    // ada accepts work through the first gateway; the second never hears her sign in.
    let ada = Desktop::sign_in(&server.url(), &prefix, "ada");
    let held = opened(first.receive_sms(sms(1)).expect("stored"));
    let offer = ada.next_offer(Duration::from_secs(5)).expect("offered");
    assert_eq!(offer.interaction.id, held);
    ada.backend
        .answer_offer("ada", &offer.offer_id, true)
        .expect("accepted");

    // Her desktop and the routing gateway go down together.
    drop(ada);
    drop(first);
    let deadline = Instant::now() + Duration::from_secs(5);
    while !second.is_routing() && Instant::now() < deadline {
        // The takeover is the servers' doing (the lease in PostgreSQL): look again shortly.
        std::thread::park_timeout(Duration::from_millis(50));
    }
    assert!(second.is_routing(), "the second gateway took over");
    let marc = Desktop::sign_in(&server.url(), &prefix, "marc");

    // After her presence expires and the grace period passes, her work is offered again,
    // transcript intact, by a gateway that never had her signed in.
    let again = marc
        .wait_for(Duration::from_secs(15), |event| match event {
            switchboard_seam::backend::BackendEvent::Offer(offer)
                if offer.interaction.id == held =>
            {
                Some(*offer)
            }
            _ => None,
        })
        .expect("ada's accepted work is offered to marc");
    assert_eq!(
        again.first_message.as_ref().map(|m| m.text.as_str()),
        Some("Message 1")
    );

    drop((marc, second));
    PgStore::connect(&database(), &schema)
        .expect("store")
        .drop_schema()
        .expect("dropped");
}
