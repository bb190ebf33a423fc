//! The cluster's routing through a real NATS server (started by the test) and the machine's
//! PostgreSQL (a schema of the test's own): a gateway and two headless desktops. Work is offered
//! across agents, an offer is reserved for its agent only, and a desktop that dies has its
//! offers given to another agent within the presence time-to-live plus a second.

use std::{
    sync::{Arc, mpsc},
    time::{Duration, Instant},
};

use switchboard_platform_cluster::{
    desktop::ClusterBackend,
    gateway::{Gateway, InboundSms},
    nats_server::NatsServer,
};
use switchboard_seam::{
    backend::{AgentSession, Backend, BackendError, BackendEvent, OfferDetails},
    clock::SystemClock,
    records::{InteractionRecords, InteractionState},
    routing::{AnswerRefused, ChannelCapacity},
};
use switchboard_store_postgres::PgStore;

const TTL: Duration = Duration::from_secs(1);

fn database() -> String {
    std::env::var("SWITCHBOARD_TEST_DATABASE")
        .unwrap_or_else(|_| "host=127.0.0.1 user=postgres dbname=test".into())
}

/// A desktop signed in and Ready on SMS, with a channel that tells when events arrive.
struct Desktop {
    backend: ClusterBackend,
    arrived: mpsc::Receiver<()>,
}

impl Desktop {
    fn sign_in(nats: &str, prefix: &str, agent: &str) -> Self {
        let backend = ClusterBackend::connect(nats, prefix, TTL).expect("desktop connected");
        let (tell, arrived) = mpsc::channel();
        let tell = std::sync::Mutex::new(tell);
        backend.set_waker(Arc::new(move || {
            let _ = tell.lock().map(|t| t.send(()));
        }));
        backend
            .sign_in(&AgentSession {
                agent: agent.into(),
                display_name: agent.into(),
                role: "agent".into(),
                channels: vec![ChannelCapacity {
                    channel: "sms-page".into(),
                    media_types: vec!["sms".into()],
                    capacity: None,
                    offer_timeout_seconds: 60,
                }],
            })
            .expect("signed in");
        backend
            .set_ready(agent, &["sms".to_owned()], true)
            .expect("ready");
        Self { backend, arrived }
    }

    /// Offers received until `count` are in, or `within` passes.
    fn offers(&self, count: usize, within: Duration) -> Vec<OfferDetails> {
        let deadline = Instant::now() + within;
        let mut offers = Vec::new();
        while offers.len() < count {
            for event in self.backend.poll() {
                if let BackendEvent::Offer(details) = event {
                    offers.push(*details);
                }
            }
            if offers.len() >= count {
                break;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() || self.arrived.recv_timeout(left).is_err() {
                break;
            }
        }
        offers
    }
}

#[test]
fn offers_go_across_desktops_and_a_dead_desktops_offers_reach_another_agent() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = NatsServer::start(dir.path().to_path_buf()).expect("nats-server");
    let schema = format!("t{}_cluster_routing", std::process::id());
    let store = PgStore::connect(&database(), &schema).expect("store");
    let prefix = format!("sbt{}", std::process::id());
    let gateway =
        Gateway::start(&server.url(), &prefix, store, Arc::new(SystemClock), TTL).expect("gateway");
    let ada = Desktop::sign_in(&server.url(), &prefix, "ada");
    let marc = Desktop::sign_in(&server.url(), &prefix, "marc");

    for n in 0..4 {
        gateway
            .receive_sms(InboundSms {
                from: format!("+3361234560{n}"),
                to: "+15550100".into(),
                body: format!("Question {n}"),
                provider_id: Some(format!("SM{n}")),
            })
            .expect("stored");
    }
    assert!(
        gateway
            .receive_sms(InboundSms {
                from: "+33612345600".into(),
                to: "+15550100".into(),
                body: "Question 0".into(),
                provider_id: Some("SM0".into()),
            })
            .expect("redelivery answered")
            .is_none(),
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
