//! The gateway: the one process that talks to PostgreSQL and routes. It stores what customers
//! send, keeps the seam's routing rules over the agents' sessions, answers desktops' requests
//! over NATS (refusing any request for another agent's work), sends each desktop its offers,
//! and withdraws a desktop's offers as soon as its presence expires.

use std::{
    collections::HashSet,
    sync::{Arc, Mutex},
    time::Duration,
};

use futures_util::StreamExt;
use switchboard_sdk::{DeliveryStatus, Role};
use switchboard_seam::{
    backend::OfferDetails,
    clock::Clock,
    ids,
    records::{InteractionRecords, InteractionRow, InteractionState, NewMessage, StoreError},
    routing::{AnswerRefused, Reservation, Router},
};
use switchboard_store_postgres::PgStore;
use tokio::sync::Notify;

use crate::{
    ClusterError, Link, lock,
    presence::PresenceChange,
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
}

struct Shared {
    prefix: String,
    store: PgStore,
    router: Mutex<Router>,
    clock: Arc<dyn Clock>,
    client: async_nats::Client,
    wake: Notify,
    signed_in: Mutex<HashSet<String>>,
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
            client: client.clone(),
            wake: Notify::new(),
            signed_in: Mutex::new(HashSet::new()),
        });
        let requests = runtime
            .block_on(client.subscribe(format!("{prefix}.gw.*.*")))
            .map_err(|e| ClusterError::Nats(format!("gateway subscription: {e}")))?;
        let changes = runtime.block_on(presence.watch())?;
        runtime.spawn(serve(shared.clone(), requests, Box::pin(changes)));
        Ok(Self {
            shared,
            runtime: Some(runtime),
        })
    }

    /// Stores a customer's SMS (contact, interaction, message in one transaction; a known
    /// provider id is stored once) and queues it for routing. Returns the interaction id, or
    /// `None` for a redelivery.
    pub fn receive_sms(&self, sms: InboundSms) -> Result<Option<String>, StoreError> {
        let now = self.shared.clock.now();
        let id = ids::new_id("SMS");
        let row = InteractionRow {
            id: id.clone(),
            media_type: "sms".into(),
            contact_name: sms.from.clone(),
            contact_address: sms.from.clone(),
            our_address: sms.to.clone(),
            state: InteractionState::Queued,
            agent_id: None,
            created: now,
            done: false,
            case_data: Vec::new(),
        };
        let message = NewMessage {
            interaction: id.clone(),
            role: Role::Contact,
            author: sms.from.clone(),
            author_key: "contact".into(),
            time: now,
            body: sms.body,
            status: DeliveryStatus::None,
            provider_id: sms.provider_id,
            parts: 1,
        };
        if self
            .shared
            .store
            .record_opening(&row, &message, &[])?
            .is_none()
        {
            return Ok(None);
        }
        lock(&self.shared.router).enqueue(&id, "sms", now);
        self.shared.wake.notify_one();
        Ok(Some(id))
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

/// The presence bucket's name part for a subject prefix (dots are not allowed there).
pub(crate) fn bucket_prefix(prefix: &str) -> String {
    prefix.replace('.', "_")
}

async fn serve(
    shared: Arc<Shared>,
    mut requests: async_nats::Subscriber,
    mut changes: std::pin::Pin<Box<dyn futures_util::Stream<Item = PresenceChange> + Send>>,
) {
    loop {
        let next_expiry = lock(&shared.router).next_expiry();
        let wait = next_expiry.map_or(Duration::from_secs(3600), |at| {
            Duration::from_millis((at.0 - shared.clock.now().0).max(0) as u64)
        });
        tokio::select! {
            message = requests.next() => {
                let Some(message) = message else { return };
                // The store's client blocks: it runs where the runtime allows blocking.
                let reply = tokio::task::block_in_place(|| {
                    handle(&shared, &message.subject, &message.payload)
                });
                if let Some(to) = message.reply {
                    let body = serde_json::to_vec(&reply).unwrap_or_default();
                    if let Err(e) = shared.client.publish(to, body.into()).await {
                        tracing::warn!("gateway: cannot reply: {e}");
                    }
                }
            }
            change = changes.next() => {
                let Some(change) = change else { return };
                if let PresenceChange::Gone { agent } = change {
                    tracing::info!("gateway: {agent}'s desktop is gone; their offers go back to the queue");
                    lock(&shared.signed_in).remove(&agent);
                    let withdrawn = lock(&shared.router).sign_out(&agent, shared.clock.now());
                    tokio::task::block_in_place(|| requeue(&shared, withdrawn));
                }
            }
            () = shared.wake.notified() => {}
            () = tokio::time::sleep(wait) => {}
        }
        let events = tokio::task::block_in_place(|| route(&shared));
        publish(&shared, events).await;
    }
}

/// Handles one desktop request: the agent in the subject is the only one it may act for.
fn handle(shared: &Shared, subject: &str, payload: &[u8]) -> Reply {
    let mut tokens = subject.rsplit('.');
    let (Some(verb), Some(agent)) = (tokens.next(), tokens.next()) else {
        return refused("malformed subject");
    };
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
        return refused(&format!("{agent} is not signed in"));
    }
    match request {
        Request::SignIn { channels, .. } => {
            lock(&shared.router).sign_in(
                agent,
                channels.into_iter().map(Into::into).collect(),
                now,
            );
            lock(&shared.signed_in).insert(agent.to_owned());
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
            let answered = lock(&shared.router).answer(&offer_id, agent, accept, now);
            match answered {
                Ok(reservation) => {
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
            match shared.store.interaction(&interaction) {
                Ok(Some(row)) if row.agent_id.as_deref() == Some(agent) => {}
                Ok(_) => return refused(&format!("interaction {interaction} is not {agent}'s")),
                Err(e) => return refused(&e.to_string()),
            }
            if let Err(e) = shared.store.close_interaction(&interaction, true, now) {
                return refused(&e.to_string());
            }
            lock(&shared.router).release(&interaction, now);
            Reply::Done
        }
    }
}

fn refused(reason: &str) -> Reply {
    Reply::Refused {
        reason: reason.to_owned(),
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
    for reservation in expired {
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
            Ok(details) => events.push((reservation.agent.clone(), WireEvent::from(&details))),
            Err(e) => tracing::error!("gateway: cannot offer {}: {e}", reservation.interaction),
        }
    }
    events
}

fn offer_details(store: &PgStore, reservation: &Reservation) -> Result<OfferDetails, StoreError> {
    let id = &reservation.interaction;
    store.set_interaction_state(id, InteractionState::Offered, Some(&reservation.agent))?;
    let interaction = store
        .interaction(id)?
        .ok_or_else(|| StoreError::NotFound(format!("interaction {id}")))?;
    Ok(OfferDetails {
        offer_id: reservation.offer_id.clone(),
        case_data: store.case_data(id)?,
        first_message: store.first_message(id)?,
        consultation_about: None,
        offered_at: reservation.offered_at,
        expires_at: reservation.expires_at,
        interaction,
    })
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
