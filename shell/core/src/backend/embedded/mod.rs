//! The embedded platform: routing, an SMS gateway double and an inbound webhook, in-process, so
//! `switchboard --demo` works on a fresh machine with nothing else installed.

mod demo;
mod router;
mod seed;
mod webhook;

use std::{
    collections::VecDeque,
    sync::{
        Arc, Mutex, MutexGuard,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
};

use switchboard_sdk::{DeliveryStatus, Role};

pub use demo::{DemoMessage, DemoTraffic, demo_script};
pub use router::Router;
pub use seed::seed_demo_history;
pub use webhook::WebhookServer;

use super::{Backend, BackendError, BackendEvent, OutboundSms, Waker};
use crate::{
    clock::Clock,
    store::{InteractionRow, NewMessage, Store, StoreError},
};

/// Seconds before an interaction an agent rejected (or let expire) is offered again.
pub const REOFFER_DELAY_SECONDS: i64 = 30;

/// An inbound SMS as a provider posts it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct InboundSms {
    /// Sender's number.
    pub from: String,
    /// Our number.
    pub to: String,
    /// Text.
    pub body: String,
    /// Provider's message id, used to drop redeliveries.
    pub message_sid: Option<String>,
    /// Sender's name when the platform knows it.
    pub name: Option<String>,
    /// Case data to attach.
    pub case_data: Vec<(String, String)>,
}

/// What happened to an inbound SMS.
#[derive(Debug, Clone, PartialEq)]
pub enum Received {
    /// Stored; it opened this interaction.
    Opened(String),
    /// A redelivery of a message already stored.
    Duplicate,
}

/// One SMS part the gateway double sent.
#[derive(Debug, Clone, PartialEq)]
pub struct GatewaySms {
    /// Provider id given to the part.
    pub sid: String,
    /// Store id of the whole message.
    pub message_id: i64,
    /// Destination.
    pub to: String,
    /// Sender.
    pub from: String,
    /// Part text.
    pub body: String,
}

struct Inner {
    store: Store,
    clock: Arc<dyn Clock>,
    router: Mutex<Router>,
    events: Mutex<VecDeque<BackendEvent>>,
    gateway: Mutex<Vec<GatewaySms>>,
    waker: Mutex<Option<Waker>>,
    link_up: AtomicBool,
    counter: AtomicU64,
    service_number: String,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

/// The in-process platform. Cheap to clone; clones share state.
#[derive(Clone)]
pub struct EmbeddedPlatform {
    inner: Arc<Inner>,
}

impl EmbeddedPlatform {
    /// A platform over the shared store. Interactions still queued in the store (from a
    /// previous run) are routed again.
    pub fn new(
        store: Store,
        clock: Arc<dyn Clock>,
        service_number: &str,
    ) -> Result<Self, StoreError> {
        let mut router = Router::default();
        for row in store.queued_interactions()? {
            router.enqueue(&row.id, &row.media_type, clock.now());
        }
        Ok(Self {
            inner: Arc::new(Inner {
                store,
                clock,
                router: Mutex::new(router),
                events: Mutex::new(VecDeque::new()),
                gateway: Mutex::new(Vec::new()),
                waker: Mutex::new(None),
                link_up: AtomicBool::new(true),
                counter: AtomicU64::new(0),
                service_number: service_number.to_owned(),
            }),
        })
    }

    /// Our number.
    pub fn service_number(&self) -> &str {
        &self.inner.service_number
    }

    fn next_id(&self, prefix: &str) -> String {
        let n = self.inner.counter.fetch_add(1, Ordering::SeqCst);
        format!("{prefix}{}{n:04}", self.inner.clock.now().0)
    }

    /// Receives an SMS: commits it (with its new interaction) and queues it for routing.
    /// Only a committed message is acknowledged.
    pub fn receive_sms(&self, sms: InboundSms) -> Result<Received, StoreError> {
        let now = self.inner.clock.now();
        let id = self.next_id("SMS-");
        let to = if sms.to.is_empty() {
            self.inner.service_number.clone()
        } else {
            sms.to.clone()
        };
        let contact_name = sms.name.clone().unwrap_or_else(|| sms.from.clone());
        let interaction = InteractionRow {
            id: id.clone(),
            media_type: "sms".into(),
            contact_name: contact_name.clone(),
            contact_address: sms.from.clone(),
            our_address: to,
            state: "queued".into(),
            agent_id: None,
            created: now,
            done: false,
            case_data: sms.case_data.clone(),
        };
        let message = NewMessage {
            interaction: id.clone(),
            role: Role::Contact,
            author: contact_name,
            author_key: "contact".into(),
            time: now,
            body: sms.body,
            status: DeliveryStatus::None,
            provider_id: sms.message_sid,
            parts: 1,
        };
        match self
            .inner
            .store
            .record_inbound_opening(&interaction, &message)?
        {
            None => Ok(Received::Duplicate),
            Some(_) => {
                lock(&self.inner.router).enqueue(&id, "sms", now);
                self.route();
                Ok(Received::Opened(id))
            }
        }
    }

    /// Offers queued interactions to Ready agents.
    fn route(&self) {
        let offers = lock(&self.inner.router).route(self.inner.clock.now());
        if offers.is_empty() {
            return;
        }
        for (agent, interaction) in offers {
            if let Err(e) =
                self.inner
                    .store
                    .set_interaction_state(&interaction, "offered", Some(&agent))
            {
                tracing::error!("cannot record offer of {interaction}: {e}");
            }
            self.push(BackendEvent::Offer { interaction });
        }
    }

    fn push(&self, event: BackendEvent) {
        lock(&self.inner.events).push_back(event);
        let waker = lock(&self.inner.waker).clone();
        if let Some(wake) = waker {
            wake();
        }
    }

    /// Every SMS part the gateway double sent, in order.
    pub fn gateway_sent(&self) -> Vec<GatewaySms> {
        lock(&self.inner.gateway).clone()
    }

    /// Simulates the link to the platform going down or coming back.
    pub fn set_link(&self, up: bool) {
        let was = self.inner.link_up.swap(up, Ordering::SeqCst);
        if was != up {
            self.push(BackendEvent::Link { up });
            if up {
                self.route();
            }
        }
    }

    /// Starts the SMS webhook on 127.0.0.1 (`port` 0 picks a free port).
    pub fn start_webhook(&self, port: u16) -> std::io::Result<WebhookServer> {
        WebhookServer::start(self.clone(), port)
    }
}

impl Backend for EmbeddedPlatform {
    fn link_up(&self) -> bool {
        self.inner.link_up.load(Ordering::SeqCst)
    }

    fn set_ready(
        &self,
        agent: &str,
        media_types: &[String],
        ready: bool,
    ) -> Result<(), BackendError> {
        if !self.link_up() {
            return Err(BackendError::Unreachable);
        }
        lock(&self.inner.router).set_ready(agent, media_types, ready);
        self.route();
        Ok(())
    }

    fn answer_offer(
        &self,
        agent: &str,
        interaction: &str,
        accept: bool,
    ) -> Result<(), BackendError> {
        if !self.link_up() {
            return Err(BackendError::Unreachable);
        }
        let now = self.inner.clock.now();
        let known = lock(&self.inner.router).answer(interaction, accept, now);
        if !known {
            return Err(BackendError::Refused(format!(
                "interaction {interaction} is not offered"
            )));
        }
        let state = if accept { "accepted" } else { "queued" };
        let agent = accept.then_some(agent);
        self.inner
            .store
            .set_interaction_state(interaction, state, agent)
            .map_err(|e| BackendError::Refused(e.to_string()))?;
        Ok(())
    }

    fn send(&self, sms: OutboundSms) -> Result<(), BackendError> {
        if !self.link_up() {
            return Err(BackendError::Unreachable);
        }
        let mut first_sid = None;
        {
            let mut gateway = lock(&self.inner.gateway);
            for part in &sms.parts {
                let sid = self.next_id("SM");
                first_sid.get_or_insert_with(|| sid.clone());
                gateway.push(GatewaySms {
                    sid,
                    message_id: sms.message_id,
                    to: sms.to.clone(),
                    from: sms.from.clone(),
                    body: part.clone(),
                });
            }
        }
        if let Some(sid) = first_sid
            && let Err(e) = self.inner.store.set_provider_id(sms.message_id, &sid)
        {
            tracing::warn!("cannot record provider id: {e}");
        }
        self.push(BackendEvent::Delivery {
            message_id: sms.message_id,
            interaction: sms.interaction,
            status: DeliveryStatus::Delivered,
        });
        Ok(())
    }

    fn close(&self, interaction: &str) -> Result<(), BackendError> {
        lock(&self.inner.router).forget(interaction);
        Ok(())
    }

    fn poll(&self) -> Vec<BackendEvent> {
        self.route();
        lock(&self.inner.events).drain(..).collect()
    }

    fn set_waker(&self, waker: Waker) {
        *lock(&self.inner.waker) = Some(waker);
    }
}
