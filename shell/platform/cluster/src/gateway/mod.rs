//! The gateway: the one process that talks to PostgreSQL and routes. It stores what customers
//! send (a session SMS joins the customer's open session and reaches the agent who holds it),
//! keeps the seam's routing rules over the agents' sessions, answers desktops' requests over
//! NATS — their records included — refusing any request for another agent's work, sends each
//! desktop its offers, sends agents' replies, and withdraws a desktop's offers as soon as its
//! presence expires.

use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

mod accounts;
mod callout;
mod chat;
mod chat_conference;
mod colleague_offer;
mod contact_start;
mod customer_doors;
mod handover;
mod internal;
mod lease;
mod offers;
mod outbound;
mod pages;
mod presence_relay;
mod requests;
mod revocation;

pub use chat::{CHAT_MEDIA_TYPE, InboundChat};
pub use customer_doors::{GatewayChat, GatewayRooms, GatewayWebhook};
pub use outbound::{INTERRUPTED, ProviderLink};
pub use pages::{CustomerPages, PagesLink};

use self::{
    handover::{answer_transfer, transfer},
    lease::{requeue_waiting, stand_by, take_over},
    offers::{requeue, return_abandoned_work, route},
    requests::{answer_request, held, internal_name, refused},
};

use futures_util::StreamExt;
use switchboard_edge::{InboundSms, MediaSources, Received, resend_notices, same_number};
use switchboard_sdk::{DeliveryStatus, Role, Timestamp};
use switchboard_seam::roles::{AgentPolicy, RolePolicies};
use switchboard_seam::{
    backend::OfferDetails,
    clock::Clock,
    ids,
    parties::DirectoryEntry,
    records::{InteractionRecords, InteractionRow, InteractionState, NewMessage, StoreError},
    routing::{AnswerRefused, Reservation, Router},
    secret::Secret,
};
use switchboard_store_postgres::PgStore;
use tokio::sync::Notify;

use crate::{
    ClusterError, Link,
    bus_trust::{GatewayBus, gateway_options, throttle::SignInThrottle},
    lock,
    presence::{PresenceBoard, PresenceChange},
    records_access,
    records_wire::{self, RecordAnswer, RecordCall, WireStoreError},
    transfers::{PendingTransfer, Transfers, WireOutcome, WireTarget},
    wire::{self, OfferRefusal, Reply, Request, WireEvent},
};

/// Numbers and media types the gateway decides inbound SMS by.
#[derive(Debug, Clone)]
pub struct GatewaySettings {
    /// Our page-mode number: what an SMS posted without one was sent to.
    pub service_number: Option<String>,
    /// Our session-mode number: SMS to it join the customer's open session.
    pub session_number: Option<String>,
    /// Where an MMS's media may be fetched from, and how big it may be.
    pub media: MediaSources,
    /// How long the interactions a gone desktop's agent accepted wait for the agent to come
    /// back (a restarted desktop reopens them) before they go back to the queue, transcript
    /// intact.
    pub return_after: Duration,
    /// The deployment's directory to keep in the records (the administrator's agents and
    /// queues); `None` keeps what the records hold.
    pub directory: Option<Vec<DirectoryEntry>>,
    /// The SMS provider agents' replies go through; without one they are recorded as sent
    /// and go no further (a trial deployment).
    pub provider: Option<ProviderLink>,
    /// The customers' chat pages this gateway's page server holds, if it serves the page.
    pub pages: Option<PagesLink>,
    /// What each agent may do; nobody outside it signs in.
    pub roles: RolePolicies,
}

impl Default for GatewaySettings {
    fn default() -> Self {
        Self {
            service_number: None,
            session_number: None,
            media: MediaSources::default(),
            return_after: Duration::from_secs(60),
            directory: None,
            provider: None,
            pages: None,
            roles: RolePolicies::default(),
        }
    }
}

/// A signed-in agent's session on this gateway.
#[derive(Debug, Clone)]
pub(crate) struct AgentSessionHere {
    /// What the agent's requests name (the `Switchboard-Session` header).
    pub(crate) id: String,
    /// The agent's role.
    pub(crate) policy: AgentPolicy,
    /// The channels granted at sign-in.
    pub(crate) channels: Vec<switchboard_seam::routing::ChannelCapacity>,
}

struct Shared {
    prefix: String,
    store: PgStore,
    router: Mutex<Router>,
    clock: Arc<dyn Clock>,
    client: async_nats::Client,
    wake: Notify,
    /// Wakes the outbox worker when parts are queued.
    outbox_wake: Notify,
    /// Signed-in agents and their sessions.
    signed_in: Mutex<HashMap<String, AgentSessionHere>>,
    /// The presence board (desktops heartbeat through the gateway).
    presence: PresenceBoard,
    /// Presence as last told to desktops.
    told_presence: Mutex<HashMap<String, Vec<String>>>,
    /// Failed sign-ins, by agent and address.
    throttle: Mutex<SignInThrottle>,
    /// Agents whose desktop went away, with when their accepted work goes back to the queue.
    gone: Mutex<HashMap<String, Timestamp>>,
    /// Transfers offered to colleagues, waiting for their answer.
    transfers: Mutex<Transfers>,
    /// Whether this gateway holds the routing lease.
    routing: AtomicBool,
    /// Signed-in agents' names, as colleagues see them.
    names: Mutex<HashMap<String, String>>,
    /// Invitations into conversations, waiting for the colleague's answer, by the invited
    /// side's interaction.
    invitations: Mutex<HashMap<String, internal::Invitation>>,
    /// Agents' updates for customers' chat pages, relayed in order.
    pages_out: tokio::sync::mpsc::UnboundedSender<pages::PageRelay>,
    settings: GatewaySettings,
}

/// A running gateway; dropping it stops it.
pub struct Gateway {
    shared: Arc<Shared>,
    runtime: Option<tokio::runtime::Runtime>,
}

impl Gateway {
    /// Connects to NATS, serves desktops' requests under `prefix`, and routes the work stored
    /// in `store` (work waiting from before is queued again).
    pub fn start(
        bus: &GatewayBus,
        prefix: &str,
        store: PgStore,
        clock: Arc<dyn Clock>,
        presence_ttl: Duration,
    ) -> Result<Self, ClusterError> {
        Self::start_with(
            bus,
            prefix,
            store,
            clock,
            presence_ttl,
            GatewaySettings {
                roles: RolePolicies::unrestricted(),
                ..GatewaySettings::default()
            },
        )
    }

    /// [`Gateway::start`] with settings of its own (the roles among them: the short form lets
    /// every agent with a password take what they ask, for tests).
    pub fn start_with(
        bus: &GatewayBus,
        prefix: &str,
        store: PgStore,
        clock: Arc<dyn Clock>,
        presence_ttl: Duration,
        settings: GatewaySettings,
    ) -> Result<Self, ClusterError> {
        let issuer = Arc::new(bus.issuer()?);
        let Link { runtime, client } = Link::open("gateway", 2, &bus.url, gateway_options(bus))?;
        let presence = runtime.block_on(PresenceBoard::open(
            client.clone(),
            &bucket_prefix(prefix),
            presence_ttl,
        ))?;
        let (pages_out, page_updates) = tokio::sync::mpsc::unbounded_channel();
        let shared = Arc::new(Shared {
            prefix: prefix.to_owned(),
            store,
            router: Mutex::new(Router::with_offer_ids(ids::new_offer_id)),
            clock,
            client,
            wake: Notify::new(),
            outbox_wake: Notify::new(),
            signed_in: Mutex::new(HashMap::new()),
            presence: presence.clone(),
            told_presence: Mutex::new(HashMap::new()),
            throttle: Mutex::new(SignInThrottle::default()),
            gone: Mutex::new(HashMap::new()),
            transfers: Mutex::new(Transfers::default()),
            routing: AtomicBool::new(false),
            names: Mutex::new(HashMap::new()),
            invitations: Mutex::new(HashMap::new()),
            pages_out,
            settings,
        });
        runtime.block_on(callout::listen(shared.clone(), issuer))?;
        runtime.spawn(pages::send_to_pages(shared.clone(), page_updates));
        if shared.settings.pages.is_some() {
            let relays = runtime
                .block_on(shared.client.subscribe(wire::pages_subject(prefix)))
                .map_err(|e| ClusterError::Nats(format!("hearing chat page updates: {e}")))?;
            runtime.spawn(pages::relay_to_pages(shared.clone(), relays));
        }
        if let Some(entries) = &shared.settings.directory {
            shared
                .store
                .set_directory(entries)
                .map_err(|e| ClusterError::Invalid(e.to_string()))?;
        }
        let lead = shared
            .store
            .try_lead()
            .map_err(|e| ClusterError::Invalid(e.to_string()))?;
        if lead {
            requeue_waiting(&shared);
            runtime.block_on(take_over(shared.clone()))?;
        } else {
            tracing::info!(
                "gateway: another gateway routes for {prefix}; this one stores what arrives and \
                 takes over when that one stops"
            );
            runtime.spawn(stand_by(shared.clone()));
        }
        Ok(Self {
            shared,
            runtime: Some(runtime),
        })
    }

    /// Whether this gateway routes now (else it stands by for the one that does).
    pub fn is_routing(&self) -> bool {
        self.shared.routing.load(Ordering::SeqCst)
    }

    /// Stores a customer's message before anyone is told, by the seam's rule
    /// (`inbound::classify`): a messaging-app address is a conversation of its app's media
    /// type and one to our session number a session, each joining the customer's open one (and
    /// reaching the agent who holds it); any other opens an interaction (contact, interaction,
    /// message in one transaction) queued for routing. A known provider id is stored once. Its
    /// media are fetched and checked first (on the caller's thread: the webhook's worker).
    pub fn receive_sms(&self, sms: InboundSms) -> Result<Received, StoreError> {
        let shared = &self.shared;
        let settings = &shared.settings;
        let attachments = settings.media.fetch(&sms.media);
        let now = shared.clock.now();
        let to = if sms.to.is_empty() {
            settings.service_number.clone().unwrap_or_default()
        } else {
            sms.to.clone()
        };
        let (session, our_address) = match &settings.session_number {
            Some(number) if same_number(number, &to) => (true, number.clone()),
            _ => (false, to),
        };
        let kind = switchboard_seam::inbound::classify(&sms.from, !attachments.is_empty(), session);
        let contact_name = sms.name.clone().unwrap_or_else(|| sms.from.clone());
        let media_type = kind.media_type.as_str();
        let message = |interaction: &str| NewMessage {
            interaction: interaction.to_owned(),
            role: Role::Contact,
            author: contact_name.clone(),
            author_key: "contact".into(),
            time: now,
            body: sms.body.clone(),
            status: DeliveryStatus::None,
            provider_id: sms.message_sid.clone(),
            parts: 1,
        };
        if kind.joins_open
            && let Some(open) = shared.store.open_interaction_with(&sms.from, media_type)?
        {
            let Some(entry) = shared
                .store
                .insert_message(&message(&open.id), &attachments)?
            else {
                return Ok(Received::Duplicate);
            };
            let mut entries = vec![entry];
            for notice in resend_notices(&open.id, &attachments, now) {
                entries.extend(shared.store.insert_message(&notice, &[])?);
            }
            if let (Some(agent), InteractionState::Accepted) = (&open.agent_id, open.state) {
                for entry in &entries {
                    let event = WireEvent::Inbound {
                        interaction: open.id.clone(),
                        entry: entry.into(),
                    };
                    self.tell(agent, event);
                }
            }
            return Ok(Received::Joined(open.id));
        }
        let id = ids::new_id(&kind.id_prefix);
        let row = InteractionRow {
            id: id.clone(),
            media_type: media_type.into(),
            contact_name: contact_name.clone(),
            contact_address: sms.from.clone(),
            our_address,
            state: InteractionState::Queued,
            agent_id: None,
            created: now,
            done: false,
            case_data: sms.case_data.clone(),
        };
        if shared
            .store
            .record_opening(&row, &message(&id), &attachments)?
            .is_none()
        {
            return Ok(Received::Duplicate);
        }
        for notice in resend_notices(&id, &attachments, now) {
            shared.store.insert_message(&notice, &[])?;
        }
        lock(&shared.router).enqueue(&id, media_type, now);
        shared.wake.notify_one();
        Ok(Received::Opened(id))
    }

    /// A provider's delivery report for one sent part: its message's status is recorded and
    /// the agent holding the interaction is told. False when the part is unknown.
    pub fn delivery_report(&self, sid: &str, status: DeliveryStatus) -> Result<bool, StoreError> {
        let Some((message_id, _)) = self.shared.store.message_of_part(sid)? else {
            return Ok(false);
        };
        for (agent, event) in outbound::report(&self.shared, message_id, status) {
            self.tell(&agent, event);
        }
        Ok(true)
    }

    /// Publishes an event for one agent's desktop, from any thread.
    fn tell(&self, agent: &str, event: WireEvent) {
        if let Some(runtime) = &self.runtime {
            let shared = self.shared.clone();
            let agent = agent.to_owned();
            runtime.spawn(async move { publish(&shared, vec![(agent, event)]).await });
        }
    }

    /// The store (tests read what the gateway wrote).
    pub fn store(&self) -> &PgStore {
        &self.shared.store
    }
}

impl Drop for Gateway {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            // Dropped from inside another runtime (the last holder was a server's task): that
            // thread may not block, so the gateway's tasks are let go without waiting.
            if tokio::runtime::Handle::try_current().is_ok() {
                runtime.shutdown_background();
            } else {
                runtime.shutdown_timeout(Duration::from_secs(1));
            }
        }
    }
}

/// The presence bucket's name part for a subject prefix (dots are not allowed there).
pub(crate) fn bucket_prefix(prefix: &str) -> String {
    prefix.replace('.', "_")
}

type PresenceStream = std::pin::Pin<Box<dyn futures_util::Stream<Item = PresenceChange> + Send>>;

/// Forwards the presence board's changes for as long as the gateway runs: when the watch ends
/// (the NATS server went away), it is made again once the server answers.
async fn watch_presence(
    board: crate::presence::PresenceBoard,
    mut watch: PresenceStream,
    changes: tokio::sync::mpsc::UnboundedSender<PresenceChange>,
) {
    loop {
        while let Some(change) = watch.next().await {
            if changes.send(change).is_err() {
                return;
            }
        }
        tracing::warn!("gateway: the presence watch ended; watching again when NATS answers");
        watch = loop {
            tokio::time::sleep(Duration::from_millis(500)).await;
            if changes.is_closed() {
                return;
            }
            match board.watch().await {
                Ok(watch) => break Box::pin(watch),
                Err(e) => tracing::debug!("gateway: presence watch: {e}"),
            }
        };
    }
}

async fn serve(
    shared: Arc<Shared>,
    mut requests: async_nats::Subscriber,
    mut changes: tokio::sync::mpsc::UnboundedReceiver<PresenceChange>,
) {
    loop {
        let next_expiry = lock(&shared.router).next_expiry();
        let next_due = [
            next_expiry,
            lock(&shared.gone).values().min().copied(),
            lock(&shared.transfers).next_expiry(),
        ]
        .into_iter()
        .flatten()
        .min();
        let wait = next_due.map_or(Duration::from_secs(3600), |at| {
            Duration::from_millis((at.0 - shared.clock.now().0).max(0) as u64)
        });
        tokio::select! {
            message = requests.next() => {
                let Some(message) = message else { return };
                if presence_relay::answered_apart(&message.subject) {
                    continue;
                }
                presence_relay::before_request(&shared, &message).await;
                // The store's client blocks: it runs where the runtime allows blocking.
                let (reply, events) = tokio::task::block_in_place(|| {
                    answer_request(&shared, &message.subject, message.headers.as_ref(), &message.payload)
                });
                if let Some(to) = message.reply
                    && let Err(e) = shared.client.publish(to, reply.into()).await
                {
                    tracing::warn!("gateway: cannot reply: {e}");
                }
                publish(&shared, events).await;
            }
            change = changes.recv() => {
                let Some(change) = change else { return };
                presence_relay::tell(&shared, &change).await;
                if let PresenceChange::Gone { agent } = change {
                    tracing::info!("gateway: {agent}'s desktop is gone; their offers go back to the queue");
                    let now = shared.clock.now();
                    // Whether or not the agent signed in here (a gateway that took over may
                    // not have met them yet), what they hold returns after the grace period
                    // unless they sign in again.
                    lock(&shared.signed_in).remove(&agent);
                    let back_at = Timestamp(now.0 + shared.settings.return_after.as_millis() as i64);
                    lock(&shared.gone).insert(agent.clone(), back_at);
                    let withdrawn = lock(&shared.router).sign_out(&agent, now);
                    tokio::task::block_in_place(|| requeue(&shared, withdrawn));
                }
            }
            () = shared.wake.notified() => {}
            () = tokio::time::sleep(wait) => {}
        }
        tokio::task::block_in_place(|| return_abandoned_work(&shared));
        let events = tokio::task::block_in_place(|| route(&shared));
        publish(&shared, events).await;
    }
}

async fn publish(shared: &Shared, events: Vec<(String, WireEvent)>) {
    for (agent, event) in events {
        let body = match serde_json::to_vec(&event) {
            Ok(body) => body,
            Err(e) => {
                tracing::error!("gateway: cannot encode an event: {e}");
                continue;
            }
        };
        let subject = wire::events_subject(&shared.prefix, &agent);
        if let Err(e) = shared.client.publish(subject, body.into()).await {
            tracing::warn!("gateway: cannot tell {agent}: {e}");
        }
    }
}
