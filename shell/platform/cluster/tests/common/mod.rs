//! What the cluster's tests share: the test database, and a headless desktop signed in and
//! Ready on SMS that tells when events arrive.

#![allow(dead_code)] // each test file uses part of it

use std::{
    sync::{Arc, mpsc},
    time::{Duration, Instant},
};

use switchboard_platform_cluster::{desktop::ClusterBackend, gateway::Gateway, passwords};
use switchboard_seam::{
    backend::{AgentSession, Backend, BackendEvent, OfferDetails},
    routing::ChannelCapacity,
    secret::Secret,
};

/// The password the tests give an agent.
pub fn password_of(agent: &str) -> Secret {
    Secret::new(format!("{agent}-password"))
}

/// Sets each agent's password in the gateway's records.
pub fn enroll(gateway: &Gateway, agents: &[&str]) {
    for agent in agents {
        passwords::enroll(
            gateway.store(),
            agent,
            &password_of(agent),
            switchboard_sdk::Timestamp(0),
        )
        .expect("password set");
    }
}

pub const TTL: Duration = Duration::from_secs(1);

/// A gateway on `server` for deployment `prefix` over `store` (every enrolled agent takes the
/// channels they ask for), with `agents` enrolled.
pub fn gateway(
    server: &switchboard_platform_cluster::nats_server::NatsServer,
    prefix: &str,
    store: switchboard_store_postgres::PgStore,
    agents: &[&str],
) -> Gateway {
    let gateway = Gateway::start(
        &server.gateway_bus(),
        prefix,
        store,
        Arc::new(switchboard_seam::clock::SystemClock),
        TTL,
    )
    .expect("gateway");
    enroll(&gateway, agents);
    gateway
}

pub fn database() -> String {
    std::env::var("SWITCHBOARD_TEST_DATABASE")
        .unwrap_or_else(|_| "host=127.0.0.1 user=postgres dbname=test".into())
}

/// A desktop signed in and Ready on SMS, with a channel that tells when events arrive.
pub struct Desktop {
    pub backend: ClusterBackend,
    arrived: mpsc::Receiver<()>,
}

impl Desktop {
    pub fn sign_in(nats: &str, prefix: &str, agent: &str) -> Self {
        Self::sign_in_on(nats, prefix, agent, &[("sms-page", "sms", 60)])
    }

    /// A desktop signed in on channels `(channel, media type, offer seconds)`, Ready on each.
    pub fn sign_in_on(
        nats: &str,
        prefix: &str,
        agent: &str,
        channels: &[(&str, &str, i64)],
    ) -> Self {
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
                channels: channels
                    .iter()
                    .map(|(channel, media_type, seconds)| ChannelCapacity {
                        channel: (*channel).into(),
                        media_types: vec![(*media_type).into()],
                        capacity: None,
                        offer_timeout_seconds: *seconds,
                    })
                    .collect(),
                password: Some(password_of(agent)),
            })
            .expect("signed in");
        let media_types: Vec<String> = channels.iter().map(|(_, m, _)| (*m).to_owned()).collect();
        backend.set_ready(agent, &media_types, true).expect("ready");
        Self { backend, arrived }
    }

    /// Offers received until `count` are in, or `within` passes.
    pub fn offers(&self, count: usize, within: Duration) -> Vec<OfferDetails> {
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

impl Desktop {
    /// The first event `pick` takes, within `within`; other events are dropped.
    pub fn wait_for<T>(
        &self,
        within: Duration,
        mut pick: impl FnMut(BackendEvent) -> Option<T>,
    ) -> Option<T> {
        let deadline = Instant::now() + within;
        loop {
            for event in self.backend.poll() {
                if let Some(found) = pick(event) {
                    return Some(found);
                }
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() || self.arrived.recv_timeout(left).is_err() {
                return None;
            }
        }
    }
}

impl Desktop {
    /// The next offer that arrives within `within`.
    pub fn next_offer(&self, within: Duration) -> Option<OfferDetails> {
        self.wait_for(within, |event| match event {
            BackendEvent::Offer(offer) => Some(*offer),
            _ => None,
        })
    }
}

/// A schema name no other test or run uses.
pub fn scratch_schema(what: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let n = NEXT.fetch_add(1, Ordering::SeqCst);
    let tag: String = what
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(20)
        .collect::<String>()
        .to_lowercase();
    format!("t{}_{n}_{tag}", std::process::id())
}
