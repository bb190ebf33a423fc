//! The cluster's routing through a real NATS server (started by the test) and the machine's
//! PostgreSQL (a schema of the test's own): a gateway and two headless desktops. Work is offered
//! across agents, an offer is reserved for its agent only, and a desktop that dies has its
//! offers given to another agent within the presence time-to-live plus a second.

use std::time::{Duration, Instant};

use switchboard_edge::{InboundSms, Received};
use switchboard_platform_cluster::nats_server::NatsServer;
use switchboard_seam::{
    backend::{Backend, BackendError},
    records::{InteractionRecords, InteractionState},
    routing::AnswerRefused,
};
use switchboard_store_postgres::PgStore;

mod common;

use common::{Desktop, TTL, database};

#[test]
fn offers_go_across_desktops_and_a_dead_desktops_offers_reach_another_agent() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = NatsServer::start(dir.path().to_path_buf()).expect("nats-server");
    let schema = format!("t{}_cluster_routing", std::process::id());
    let store = PgStore::connect(&database(), &schema).expect("store");
    let prefix = format!("sbt{}", std::process::id());
    let gateway = common::gateway(&server, &prefix, store, &["ada", "marc"]);
    let ada = Desktop::sign_in(&server.url(), &prefix, "ada");
    let marc = Desktop::sign_in(&server.url(), &prefix, "marc");

    for n in 0..4 {
        gateway
            .receive_sms(InboundSms {
                from: format!("+3361234560{n}"),
                to: "+15550100".into(),
                body: format!("Question {n}"),
                message_sid: Some(format!("SM{n}")),
                ..Default::default()
            })
            .expect("stored");
    }
    assert!(
        gateway
            .receive_sms(InboundSms {
                from: "+33612345600".into(),
                to: "+15550100".into(),
                body: "Question 0".into(),
                message_sid: Some("SM0".into()),
                ..Default::default()
            })
            .expect("redelivery answered")
            == Received::Duplicate,
        "a redelivered message is stored once"
    );
    let ada_offers = ada.offers(2, Duration::from_secs(5));
    let marc_offers = marc.offers(2, Duration::from_secs(5));
    assert_eq!(ada_offers.len(), 2, "ada's: {ada_offers:?}");
    assert_eq!(marc_offers.len(), 2, "marc's: {marc_offers:?}");

    // An offer is reserved for its agent: marc cannot take ada's.
    assert_eq!(
        marc.backend
            .answer_offer("marc", &ada_offers[0].offer_id, true),
        Err(BackendError::Offer(AnswerRefused::NotYours))
    );
    // Nor can marc's desktop act for ada by naming her.
    assert!(matches!(
        marc.backend
            .answer_offer("ada", &ada_offers[0].offer_id, true),
        Err(BackendError::Refused(_))
    ));

    // marc accepts one of his and finishes it.
    marc.backend
        .answer_offer("marc", &marc_offers[0].offer_id, true)
        .expect("accepted");
    let accepted = &marc_offers[0].interaction.id;
    assert_eq!(
        gateway
            .store()
            .interaction(accepted)
            .expect("read")
            .expect("stored")
            .state,
        InteractionState::Accepted
    );
    marc.backend.close(accepted).expect("closed");

    // ada's desktop dies without signing out.
    let died = Instant::now();
    drop(ada);
    let reoffered = marc.offers(2, TTL + Duration::from_secs(3));
    let took = died.elapsed();
    let mut reoffered_ids: Vec<&str> = reoffered
        .iter()
        .map(|o| o.interaction.id.as_str())
        .collect();
    let mut ada_ids: Vec<&str> = ada_offers
        .iter()
        .map(|o| o.interaction.id.as_str())
        .collect();
    reoffered_ids.sort();
    ada_ids.sort();
    assert_eq!(reoffered_ids, ada_ids, "ada's work reaches marc");
    assert!(
        took <= TTL + Duration::from_secs(1),
        "reached marc after {took:?}; allowed {:?}",
        TTL + Duration::from_secs(1)
    );
    let store = gateway.store();
    let schema = store.schema().to_owned();
    drop(marc);
    drop(gateway);
    let cleanup = PgStore::connect(&database(), &schema).expect("store");
    cleanup.drop_schema().expect("dropped");
}
