//! The gateway: the one process that talks to PostgreSQL and routes. It stores what customers
//! send (a session SMS joins the customer's open session and reaches the agent who holds it),
//! keeps the seam's routing rules over the agents' sessions, answers desktops' requests over
//! NATS — their records included — refusing any request for another agent's work, sends each
//! desktop its offers, sends agents' replies, and withdraws a desktop's offers as soon as its
//! presence expires.

use std::{
    collections::{HashMap, HashSet},
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

mod internal;
mod outbound;

pub use outbound::{INTERRUPTED, ProviderLink};

use futures_util::StreamExt;
use switchboard_sdk::{DeliveryStatus, Role, Timestamp};
use switchboard_seam::{
    backend::OfferDetails,
    clock::Clock,
    ids,
    parties::DirectoryEntry,
    records::{
        InteractionRecords, InteractionRow, InteractionState, NewAttachment, NewMessage, StoreError,
    },
    routing::{AnswerRefused, Reservation, Router},
    secret::Secret,
};
use switchboard_store_postgres::PgStore;
use tokio::sync::Notify;

use crate::{
    ClusterError, Link, lock,
    presence::PresenceChange,
    records_access,
    records_wire::{self, RecordAnswer, RecordCall, WireStoreError},
    transfers::{PendingTransfer, Transfers, WireOutcome, WireTarget},
    wire::{self, OfferRefusal, Reply, Request, WireEvent},
};

/// A customer's SMS as the provider posts it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct InboundSms {
    /// Sender's number.
    pub from: String,
    /// Our number.
    pub to: String,
    /// Text.
    pub body: String,
    /// The provider's message id (a redelivery is stored once).
    pub provider_id: Option<String>,
    /// Its media (an MMS), fetched and checked by the webhook.
    pub attachments: Vec<NewAttachment>,
}

/// What became of a customer's SMS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Received {
    /// It opened this interaction, queued for routing.
    Opened(String),
    /// It joined this open session.
    Joined(String),
    /// Its provider id was stored already (a redelivered webhook): nothing stored.
    Duplicate,
}

/// Numbers and media types the gateway decides inbound SMS by.
#[derive(Debug, Clone)]
pub struct GatewaySettings {
    /// Our session-mode number: SMS to it join the customer's open session.
    pub session_number: Option<String>,
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
}

impl Default for GatewaySettings {
    fn default() -> Self {
        Self {
            session_number: None,
            return_after: Duration::from_secs(60),
            directory: None,
            provider: None,
        }
    }
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
    signed_in: Mutex<HashSet<String>>,
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
        nats_url: &str,
        prefix: &str,
        store: PgStore,
        clock: Arc<dyn Clock>,
        presence_ttl: Duration,
    ) -> Result<Self, ClusterError> {
        Self::start_with(
            nats_url,
            prefix,
            store,
            clock,
            presence_ttl,
            GatewaySettings::default(),
        )
    }

    /// [`Gateway::start`] with numbers of its own.
    pub fn start_with(
        nats_url: &str,
        prefix: &str,
        store: PgStore,
        clock: Arc<dyn Clock>,
        presence_ttl: Duration,
        settings: GatewaySettings,
    ) -> Result<Self, ClusterError> {
        let Link {
            runtime,
            client,
            presence,
        } = Link::open("gateway", 2, nats_url, prefix, presence_ttl)?;
        let shared = Arc::new(Shared {
            prefix: prefix.to_owned(),
            store,
            router: Mutex::new(Router::with_offer_ids(ids::new_offer_id)),
            clock,
            client,
            wake: Notify::new(),
            outbox_wake: Notify::new(),
            signed_in: Mutex::new(HashSet::new()),
            gone: Mutex::new(HashMap::new()),
            transfers: Mutex::new(Transfers::default()),
            routing: AtomicBool::new(false),
            names: Mutex::new(HashMap::new()),
            invitations: Mutex::new(HashMap::new()),
            settings,
        });
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
            runtime.block_on(take_over(shared.clone(), presence))?;
        } else {
            tracing::info!(
                "gateway: another gateway routes for {prefix}; this one stores what arrives and \
                 takes over when that one stops"
            );
            runtime.spawn(stand_by(shared.clone(), presence));
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

    /// Stores a customer's SMS before anyone is told: one to our session number joins the
    /// customer's open session (and reaches the agent who holds it); any other opens an
    /// interaction (contact, interaction, message in one transaction) queued for routing. A
    /// known provider id is stored once.
    pub fn receive_sms(&self, sms: InboundSms) -> Result<Received, StoreError> {
        let shared = &self.shared;
        let now = shared.clock.now();
        let session = shared.settings.session_number.as_deref() == Some(sms.to.as_str());
        let media_type = if !sms.attachments.is_empty() && !session {
            "mms"
        } else if session {
            "sms-session"
        } else {
            "sms"
        };
        let message = |interaction: &str| NewMessage {
            interaction: interaction.to_owned(),
            role: Role::Contact,
            author: sms.from.clone(),
            author_key: "contact".into(),
            time: now,
            body: sms.body.clone(),
            status: DeliveryStatus::None,
            provider_id: sms.provider_id.clone(),
            parts: 1,
        };
        if session && let Some(open) = shared.store.open_interaction_with(&sms.from, media_type)? {
            let Some(entry) = shared
                .store
                .insert_message(&message(&open.id), &sms.attachments)?
            else {
                return Ok(Received::Duplicate);
            };
            if let (Some(agent), InteractionState::Accepted) = (&open.agent_id, open.state) {
                let event = WireEvent::Inbound {
                    interaction: open.id.clone(),
                    entry: (&entry).into(),
                };
                self.tell(agent, event);
            }
            return Ok(Received::Joined(open.id));
        }
        let id = ids::new_id(match media_type {
            "mms" => "MMS",
            "sms-session" => "SES",
            _ => "SMS",
        });
        let row = InteractionRow {
            id: id.clone(),
            media_type: media_type.into(),
            contact_name: sms.from.clone(),
            contact_address: sms.from.clone(),
            our_address: sms.to.clone(),
            state: InteractionState::Queued,
            agent_id: None,
            created: now,
            done: false,
            case_data: Vec::new(),
        };
        if shared
            .store
            .record_opening(&row, &message(&id), &sms.attachments)?
            .is_none()
        {
            return Ok(Received::Duplicate);
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
            runtime.shutdown_timeout(Duration::from_secs(1));
        }
    }
}

/// The subject a gateway announces on when it starts routing: desktops sign in to it again.
pub fn active_subject(prefix: &str) -> String {
    format!("{prefix}.gateway.active")
}

/// The subject a desktop asks the deployment's directory on (before anyone signs in: the
/// Team Communicator lists colleagues from the start).
pub fn directory_subject(prefix: &str) -> String {
    format!("{prefix}.directory")
}

/// Answers directory requests with the records' directory.
async fn serve_directory(shared: Arc<Shared>, mut requests: async_nats::Subscriber) {
    while let Some(message) = requests.next().await {
        let entries =
            tokio::task::block_in_place(|| shared.store.directory()).unwrap_or_else(|e| {
                tracing::error!("gateway: cannot read the directory: {e}");
                Vec::new()
            });
        if let Some(to) = message.reply {
            let body = serde_json::to_vec(&entries).unwrap_or_default();
            if let Err(e) = shared.client.publish(to, body.into()).await {
                tracing::warn!("gateway: cannot answer a directory request: {e}");
            }
        }
    }
}

/// How often a standing-by gateway tries for the routing lease, and the routing gateway looks
/// for work other gateways stored.
const LEASE_EVERY: Duration = Duration::from_secs(1);

/// Work that waited (or was offered) when the routing gateway stopped is queued again.
fn requeue_waiting(shared: &Shared) {
    let waiting = match shared.store.waiting_interactions() {
        Ok(waiting) => waiting,
        Err(e) => {
            tracing::error!("gateway: cannot read the waiting work: {e}");
            return;
        }
    };
    let mut router = lock(&shared.router);
    for (id, media_type, created) in waiting {
        if let Err(e) = shared
            .store
            .set_interaction_state(&id, InteractionState::Queued, None)
        {
            tracing::error!("gateway: cannot queue {id} again: {e}");
        }
        router.enqueue(&id, &media_type, created);
    }
}

/// Starts routing: desktops' requests, presence, the search for work stored elsewhere, and the
/// announcement that makes signed-in desktops sign in here.
async fn take_over(
    shared: Arc<Shared>,
    presence: crate::presence::PresenceBoard,
) -> Result<(), ClusterError> {
    let requests = shared
        .client
        .subscribe(format!("{}.gw.*.*", shared.prefix))
        .await
        .map_err(|e| ClusterError::Nats(format!("gateway subscription: {e}")))?;
    // The first watch is made here, so a presence change is never missed once routing.
    let first_watch = presence.watch().await?;
    let (changes_in, changes) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(watch_presence(presence, Box::pin(first_watch), changes_in));
    tokio::spawn(serve(shared.clone(), requests, changes));
    tokio::spawn(pick_up_stored_elsewhere(shared.clone()));
    if let Some(ProviderLink(provider)) = shared.settings.provider.clone() {
        tokio::spawn(outbound::work(shared.clone(), provider));
    }
    let directory_requests = shared
        .client
        .subscribe(directory_subject(&shared.prefix))
        .await
        .map_err(|e| ClusterError::Nats(format!("gateway subscription: {e}")))?;
    tokio::spawn(serve_directory(shared.clone(), directory_requests));
    shared.routing.store(true, Ordering::SeqCst);
    shared
        .client
        .publish(active_subject(&shared.prefix), Vec::new().into())
        .await
        .map_err(|e| ClusterError::Nats(format!("announcing the gateway: {e}")))?;
    Ok(())
}

/// A gateway that does not route tries for the lease every second and takes over when the
/// routing gateway's connection to PostgreSQL ends (it stopped or died).
async fn stand_by(shared: Arc<Shared>, presence: crate::presence::PresenceBoard) {
    loop {
        tokio::time::sleep(LEASE_EVERY).await;
        match tokio::task::block_in_place(|| shared.store.try_lead()) {
            Ok(true) => break,
            Ok(false) => {}
            Err(e) => tracing::warn!("gateway: the routing lease: {e}"),
        }
    }
    tracing::info!("gateway: the routing gateway stopped; this one routes now");
    tokio::task::block_in_place(|| requeue_waiting(&shared));
    if let Err(e) = take_over(shared, presence).await {
        tracing::error!("gateway: cannot take over routing: {e}");
    }
}

/// Work another gateway stored (a standing-by gateway's webhook) is queued here within a
/// second.
async fn pick_up_stored_elsewhere(shared: Arc<Shared>) {
    loop {
        tokio::time::sleep(LEASE_EVERY).await;
        let queued = match tokio::task::block_in_place(|| shared.store.queued_interactions()) {
            Ok(queued) => queued,
            Err(e) => {
                tracing::warn!("gateway: reading the queued work: {e}");
                continue;
            }
        };
        if queued.is_empty() {
            continue;
        }
        {
            let mut router = lock(&shared.router);
            for (id, media_type, created) in queued {
                if !router.knows(&id) {
                    router.enqueue(&id, &media_type, created);
                }
            }
        }
        shared.wake.notify_one();
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
                // The store's client blocks: it runs where the runtime allows blocking.
                let (reply, events) = tokio::task::block_in_place(|| {
                    answer_request(&shared, &message.subject, &message.payload)
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
                if let PresenceChange::Gone { agent } = change {
                    tracing::info!("gateway: {agent}'s desktop is gone; their offers go back to the queue");
                    let now = shared.clock.now();
                    if lock(&shared.signed_in).remove(&agent) {
                        let back_at = Timestamp(now.0 + shared.settings.return_after.as_millis() as i64);
                        lock(&shared.gone).insert(agent.clone(), back_at);
                    }
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

/// Answers one desktop request (the reply's bytes), with events for desktops: the agent in
/// the subject is the only one it may act for.
fn answer_request(
    shared: &Shared,
    subject: &str,
    payload: &[u8],
) -> (Vec<u8>, Vec<(String, WireEvent)>) {
    let mut tokens = subject.rsplit('.');
    let (Some(verb), Some(agent)) = (tokens.next(), tokens.next()) else {
        return (encode(&refused("malformed subject")), Vec::new());
    };
    if verb == "records" {
        return (encode(&records_call(shared, agent, payload)), Vec::new());
    }
    let mut events = Vec::new();
    let reply = handle(shared, agent, verb, payload, &mut events);
    (encode(&reply), events)
}

fn encode<T: serde::Serialize>(reply: &T) -> Vec<u8> {
    serde_json::to_vec(reply).unwrap_or_default()
}

/// A desktop's record call, run on the store when the agent may make it.
fn records_call(shared: &Shared, agent: &str, payload: &[u8]) -> RecordAnswer {
    let failed = |reason: String| RecordAnswer::Failed {
        error: WireStoreError::Failed { reason },
    };
    if !wire::valid_agent_id(agent) {
        return failed("malformed agent id".into());
    }
    if !lock(&shared.signed_in).contains(agent) {
        return RecordAnswer::Failed {
            error: WireStoreError::NotSignedIn {
                agent: agent.to_owned(),
            },
        };
    }
    let call: RecordCall = match serde_json::from_slice(payload) {
        Ok(call) => call,
        Err(e) => return failed(format!("malformed record call: {e}")),
    };
    if let Err(reason) = records_access::permit(&shared.store, agent, &call) {
        tracing::warn!("gateway: refused a record call from {agent}: {reason}");
        return failed(format!("refused: {reason}"));
    }
    records_wire::answer(&shared.store, call)
}

/// Handles one platform request of `agent`.
fn handle(
    shared: &Shared,
    agent: &str,
    verb: &str,
    payload: &[u8],
    events: &mut Vec<(String, WireEvent)>,
) -> Reply {
    if !wire::valid_agent_id(agent) {
        return refused("malformed agent id");
    }
    let request: Request = match serde_json::from_slice(payload) {
        Ok(request) => request,
        Err(e) => return refused(&format!("malformed request: {e}")),
    };
    if request.verb() != verb {
        return refused("the request does not match its subject");
    }
    let now = shared.clock.now();
    if !matches!(request, Request::SignIn { .. }) && !lock(&shared.signed_in).contains(agent) {
        return Reply::NotSignedIn {
            agent: agent.to_owned(),
        };
    }
    match request {
        Request::SignIn {
            channels,
            password,
            display_name,
            ..
        } => {
            if let Err(reason) = check_password(shared, agent, password) {
                tracing::warn!("gateway: refused to sign {agent} in: {reason}");
                return Reply::SignInRefused { reason };
            }
            // What the agent holds counts against their capacity, on whichever gateway.
            let held = shared.store.held_by(agent).unwrap_or_default();
            let mut router = lock(&shared.router);
            router.sign_in(agent, channels.into_iter().map(Into::into).collect(), now);
            for row in held {
                router.hold(agent, &row.id, &row.media_type);
            }
            drop(router);
            lock(&shared.signed_in).insert(agent.to_owned());
            lock(&shared.names).insert(agent.to_owned(), display_name);
            lock(&shared.gone).remove(agent);
            Reply::Done
        }
        Request::SignOut => {
            lock(&shared.signed_in).remove(agent);
            let withdrawn = lock(&shared.router).sign_out(agent, now);
            requeue(shared, withdrawn);
            Reply::Done
        }
        Request::Ready { media_types, ready } => {
            let withdrawn = lock(&shared.router).set_ready(agent, &media_types, ready, now);
            requeue(shared, withdrawn);
            Reply::Done
        }
        Request::Answer { offer_id, accept } => {
            let transfer = lock(&shared.transfers).take(&offer_id, agent);
            match transfer {
                Some(Ok(transfer)) => {
                    return answer_transfer(shared, agent, transfer, accept, events);
                }
                Some(Err(_)) => {
                    return Reply::OfferRefused {
                        reason: AnswerRefused::NotYours.to_string(),
                        kind: OfferRefusal::NotYours,
                    };
                }
                None => {}
            }
            let answered = lock(&shared.router).answer(&offer_id, agent, accept, now);
            match answered {
                Ok(reservation) => {
                    let id = &reservation.interaction;
                    if internal::is_invitation(shared, id) {
                        if accept
                            && let Err(e) = shared.store.set_interaction_state(
                                id,
                                InteractionState::Accepted,
                                Some(agent),
                            )
                        {
                            return refused(&e.to_string());
                        }
                        let outcome = if accept {
                            WireOutcome::Accepted
                        } else {
                            WireOutcome::Rejected {
                                reason: format!("{} declined", internal_name(shared, agent)),
                            }
                        };
                        events.extend(internal::answered(shared, id, outcome));
                        return Reply::Done;
                    }
                    let state = if accept {
                        InteractionState::Accepted
                    } else {
                        InteractionState::Queued
                    };
                    let holder = accept.then_some(agent);
                    match shared.store.set_interaction_state(
                        &reservation.interaction,
                        state,
                        holder,
                    ) {
                        Ok(()) => Reply::Done,
                        Err(e) => refused(&e.to_string()),
                    }
                }
                Err(refusal) => Reply::OfferRefused {
                    reason: refusal.to_string(),
                    kind: match refusal {
                        AnswerRefused::Withdrawn => OfferRefusal::Withdrawn,
                        AnswerRefused::Expired => OfferRefusal::Expired,
                        AnswerRefused::NotYours => OfferRefusal::NotYours,
                    },
                },
            }
        }
        Request::Close { interaction } => {
            if let Err(reply) = held(shared, agent, &interaction) {
                return reply;
            }
            if let Err(e) = shared.store.close_interaction(&interaction, true, now) {
                return refused(&e.to_string());
            }
            lock(&shared.router).release(&interaction, now);
            Reply::Done
        }
        Request::HandBack { interaction } => {
            let row = match held(shared, agent, &interaction) {
                Ok(row) => row,
                Err(reply) => return reply,
            };
            if let Err(e) =
                shared
                    .store
                    .set_interaction_state(&interaction, InteractionState::Queued, None)
            {
                return refused(&e.to_string());
            }
            lock(&shared.router).hand_back(&interaction, &row.media_type, row.created, agent, now);
            shared.wake.notify_one();
            Reply::Done
        }
        Request::Transfer {
            interaction,
            target,
            timeout_seconds,
        } => transfer(shared, agent, &interaction, target, timeout_seconds, events),
        Request::StartConversation {
            target,
            media_type,
            case_data,
        } => internal::start(shared, agent, target, media_type, case_data),
        Request::Invite {
            interaction,
            target,
            purpose,
            first_message,
            case_data,
            ..
        } => match held(shared, agent, &interaction) {
            Ok(own) => internal::invite(
                shared,
                agent,
                &own,
                target,
                purpose,
                first_message,
                case_data,
            ),
            Err(reply) => reply,
        },
        Request::EndConversation { interaction } => match held(shared, agent, &interaction) {
            Ok(_) => {
                events.extend(internal::end(shared, agent, &interaction));
                Reply::Done
            }
            Err(reply) => reply,
        },
        Request::Send {
            message_id,
            interaction,
            parts,
        } => {
            let row = match held(shared, agent, &interaction) {
                Ok(row) => row,
                Err(reply) => return reply,
            };
            match shared.store.interaction_of_message(message_id) {
                Ok(Some(of)) if of == interaction => {}
                Ok(_) => return refused(&format!("message {message_id} is not in {interaction}")),
                Err(e) => return refused(&e.to_string()),
            }
            let status = match internal::peer_of(shared, &interaction) {
                // A conversation between agents: the colleague's side gets it.
                Ok(Some(peer)) => {
                    match internal::deliver(shared, agent, &peer, &parts.concat(), events) {
                        Ok(status) => status,
                        Err(e) => return refused(&e.to_string()),
                    }
                }
                Ok(None) if shared.settings.provider.is_some() => {
                    if let Err(e) = outbound::queue(shared, message_id, &row, &parts) {
                        return refused(&e.to_string());
                    }
                    return Reply::Done;
                }
                Ok(None) => {
                    // No provider account is connected to this gateway: the message is
                    // recorded as sent and goes no further (a trial deployment).
                    tracing::info!(
                        "gateway: {agent} sent {} part(s) to {} in {interaction}; recorded as sent",
                        parts.len(),
                        row.contact_address
                    );
                    DeliveryStatus::Sent
                }
                Err(e) => return refused(&e.to_string()),
            };
            if let Err(e) = shared.store.set_status(message_id, &status) {
                return refused(&e.to_string());
            }
            events.push((
                agent.to_owned(),
                WireEvent::Delivery {
                    message_id,
                    interaction,
                    status: (&status).into(),
                },
            ));
            Reply::Done
        }
    }
}

/// Whether the password is the agent's (the administrator set one with `switchboard
/// set-password`); the refusal never repeats the password.
fn check_password(
    shared: &Shared,
    agent: &str,
    password: Option<wire::WirePassword>,
) -> Result<(), String> {
    let stored = shared
        .store
        .password_hash(agent)
        .map_err(|e| format!("the gateway cannot check passwords now: {e}"))?
        .ok_or_else(|| {
            format!("{agent} has no password yet: the administrator sets one with switchboard set-password {agent}")
        })?;
    let Some(password) = password else {
        return Err(format!("{agent} must give a password"));
    };
    if crate::passwords::matches(&Secret::new(password.0), &stored) {
        Ok(())
    } else {
        Err(format!("wrong password for {agent}"))
    }
}

/// An agent hands an interaction to a colleague (offered to them alone until it lapses; the
/// interaction stays the agent's meanwhile) or to a queue, skill, group or routing point (it
/// leaves the agent at once and is routed to whoever is Ready next).
fn transfer(
    shared: &Shared,
    agent: &str,
    interaction: &str,
    target: WireTarget,
    timeout_seconds: i64,
    events: &mut Vec<(String, WireEvent)>,
) -> Reply {
    let row = match held(shared, agent, interaction) {
        Ok(row) => row,
        Err(reply) => return reply,
    };
    if lock(&shared.transfers).is_pending(interaction) {
        return refused(&format!(
            "a transfer of {interaction} is already waiting for an answer"
        ));
    }
    let now = shared.clock.now();
    match target.kind.as_str() {
        "agent" => {
            if target.id == agent {
                return refused("you already hold this interaction");
            }
            if !lock(&shared.signed_in).contains(&target.id) {
                return refused(&format!("{} is not signed in", target.name));
            }
            let offer_id = ids::new_offer_id();
            let expires_at = now.plus_seconds(timeout_seconds.max(1));
            let details = (|| -> Result<OfferDetails, StoreError> {
                Ok(OfferDetails {
                    offer_id: offer_id.clone(),
                    case_data: shared.store.case_data(interaction)?,
                    first_message: shared.store.first_message(interaction)?,
                    consultation_about: None,
                    offered_at: now,
                    expires_at,
                    interaction: row,
                })
            })();
            let details = match details {
                Ok(details) => details,
                Err(e) => return refused(&e.to_string()),
            };
            events.push((target.id.clone(), WireEvent::from(&details)));
            lock(&shared.transfers).offer(
                &offer_id,
                PendingTransfer {
                    interaction: interaction.to_owned(),
                    from: agent.to_owned(),
                    target,
                    expires_at,
                },
            );
            Reply::Done
        }
        "queue" | "skill" | "group" | "routing-point" => {
            if let Err(e) =
                shared
                    .store
                    .set_interaction_state(interaction, InteractionState::Queued, None)
            {
                return refused(&e.to_string());
            }
            lock(&shared.router).hand_back(interaction, &row.media_type, row.created, agent, now);
            shared.wake.notify_one();
            events.push((
                agent.to_owned(),
                WireEvent::TransferAnswered {
                    interaction: interaction.to_owned(),
                    target,
                    outcome: WireOutcome::Accepted,
                },
            ));
            Reply::Done
        }
        other => refused(&format!(
            "an interaction is transferred to agents, queues, skills, groups or routing points, \
             not to a {other}"
        )),
    }
}

/// A colleague's answer to a transfer: accepted, the interaction is theirs (history and all);
/// either way the agent who asked is told.
fn answer_transfer(
    shared: &Shared,
    agent: &str,
    transfer: PendingTransfer,
    accept: bool,
    events: &mut Vec<(String, WireEvent)>,
) -> Reply {
    let outcome = if accept {
        if let Err(e) = shared.store.set_interaction_state(
            &transfer.interaction,
            InteractionState::Accepted,
            Some(agent),
        ) {
            return refused(&e.to_string());
        }
        lock(&shared.router).hand_over(&transfer.interaction, agent, shared.clock.now());
        WireOutcome::Accepted
    } else {
        WireOutcome::Rejected {
            reason: format!("{} declined", transfer.target.name),
        }
    };
    events.push((
        transfer.from,
        WireEvent::TransferAnswered {
            interaction: transfer.interaction,
            target: transfer.target,
            outcome,
        },
    ));
    Reply::Done
}

fn internal_name(shared: &Shared, agent: &str) -> String {
    lock(&shared.names)
        .get(agent)
        .cloned()
        .unwrap_or_else(|| agent.to_owned())
}

/// The interaction, when `agent` holds it; else the refusal to send back.
fn held(shared: &Shared, agent: &str, interaction: &str) -> Result<InteractionRow, Reply> {
    match shared.store.interaction(interaction) {
        Ok(Some(row)) if row.agent_id.as_deref() == Some(agent) => Ok(row),
        Ok(_) => Err(refused(&format!(
            "interaction {interaction} is not {agent}'s"
        ))),
        Err(e) => Err(refused(&e.to_string())),
    }
}

fn refused(reason: &str) -> Reply {
    Reply::Refused {
        reason: reason.to_owned(),
    }
}

/// The work accepted by agents whose desktop is gone and who did not come back in time goes
/// back to the queue, ahead of newer work, its transcript intact.
fn return_abandoned_work(shared: &Shared) {
    let now = shared.clock.now();
    let due: Vec<String> = {
        let mut gone = lock(&shared.gone);
        let due: Vec<String> = gone
            .iter()
            .filter(|(_, at)| **at <= now)
            .map(|(agent, _)| agent.clone())
            .collect();
        for agent in &due {
            gone.remove(agent);
        }
        due
    };
    for agent in due {
        let held = match shared.store.held_by(&agent) {
            Ok(held) => held,
            Err(e) => {
                tracing::error!("gateway: cannot read what {agent} held: {e}");
                continue;
            }
        };
        for row in held {
            if let Err(e) =
                shared
                    .store
                    .set_interaction_state(&row.id, InteractionState::Queued, None)
            {
                tracing::error!("gateway: cannot queue {} again: {e}", row.id);
                continue;
            }
            tracing::info!(
                "gateway: {} goes back to the queue ({agent} did not come back)",
                row.id
            );
            lock(&shared.router).hand_back(&row.id, &row.media_type, row.created, &agent, now);
        }
    }
}

/// Withdrawn offers: their work waits again (state queued) and the desktop is told, if alive.
fn requeue(shared: &Shared, withdrawn: Vec<Reservation>) {
    for reservation in withdrawn {
        if let Err(e) = shared.store.set_interaction_state(
            &reservation.interaction,
            InteractionState::Queued,
            None,
        ) {
            tracing::error!("gateway: cannot requeue {}: {e}", reservation.interaction);
        }
        let event = WireEvent::OfferWithdrawn {
            offer_id: reservation.offer_id,
            interaction: reservation.interaction,
            expired: false,
        };
        let subject = wire::events_subject(&shared.prefix, &reservation.agent);
        let client = shared.client.clone();
        tokio::spawn(async move {
            let body = serde_json::to_vec(&event).unwrap_or_default();
            let _ = client.publish(subject, body.into()).await;
        });
    }
}

/// Withdraws lapsed offers and makes the offers the rules allow now; returns what to tell whom.
fn route(shared: &Shared) -> Vec<(String, WireEvent)> {
    let now = shared.clock.now();
    let (expired, offers) = {
        let mut router = lock(&shared.router);
        (router.expire(now), router.route(now))
    };
    let mut events = Vec::new();
    for (offer_id, transfer) in lock(&shared.transfers).expire(now) {
        events.push((
            transfer.target.id.clone(),
            WireEvent::OfferWithdrawn {
                offer_id,
                interaction: transfer.interaction.clone(),
                expired: true,
            },
        ));
        events.push((
            transfer.from,
            WireEvent::TransferAnswered {
                interaction: transfer.interaction,
                target: transfer.target,
                outcome: WireOutcome::TimedOut,
            },
        ));
    }
    for reservation in expired {
        if internal::is_invitation(shared, &reservation.interaction) {
            events.extend(internal::answered(
                shared,
                &reservation.interaction,
                WireOutcome::TimedOut,
            ));
            events.push((
                reservation.agent.clone(),
                WireEvent::OfferWithdrawn {
                    offer_id: reservation.offer_id,
                    interaction: reservation.interaction,
                    expired: true,
                },
            ));
            continue;
        }
        if let Err(e) = shared.store.set_interaction_state(
            &reservation.interaction,
            InteractionState::Queued,
            None,
        ) {
            tracing::error!("gateway: cannot requeue {}: {e}", reservation.interaction);
        }
        events.push((
            reservation.agent.clone(),
            WireEvent::OfferWithdrawn {
                offer_id: reservation.offer_id,
                interaction: reservation.interaction,
                expired: true,
            },
        ));
    }
    for reservation in offers {
        match offer_details(&shared.store, &reservation) {
            Ok(Some(details)) => {
                events.push((reservation.agent.clone(), WireEvent::from(&details)));
            }
            Ok(None) => lock(&shared.router).release(&reservation.interaction, now),
            Err(e) => tracing::error!("gateway: cannot offer {}: {e}", reservation.interaction),
        }
    }
    events
}

/// The offer of a reservation, read from the store; `None` when the interaction no longer
/// waits (finished or taken while it was being queued again from the store).
fn offer_details(
    store: &PgStore,
    reservation: &Reservation,
) -> Result<Option<OfferDetails>, StoreError> {
    let id = &reservation.interaction;
    let waiting = store.interaction(id)?.is_some_and(|row| {
        !row.done
            && matches!(
                row.state,
                InteractionState::Queued | InteractionState::Offered
            )
    });
    if !waiting {
        return Ok(None);
    }
    store.set_interaction_state(id, InteractionState::Offered, Some(&reservation.agent))?;
    let interaction = store
        .interaction(id)?
        .ok_or_else(|| StoreError::NotFound(format!("interaction {id}")))?;
    Ok(Some(OfferDetails {
        offer_id: reservation.offer_id.clone(),
        case_data: store.case_data(id)?,
        first_message: store.first_message(id)?,
        consultation_about: None,
        offered_at: reservation.offered_at,
        expires_at: reservation.expires_at,
        interaction,
    }))
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
