//! The embedded platform: routing, an SMS gateway double with delivery reports (and read
//! receipts for messaging-app addresses), inbound SMS, session SMS, MMS and messaging-app
//! messages through a webhook, the customer web chat page and its rooms, and colleagues who
//! answer transfers, instant messages, consultations and conferences, all in-process, so
//! `switchboard --demo` works on a fresh machine with nothing else installed.

mod chat;
mod colleagues;
mod demo;
mod inbound;
mod internal;
mod numbers;
mod outbound;
mod receipts;
mod seed;
mod worker;

use std::{
    collections::VecDeque,
    sync::{
        Arc, Mutex, MutexGuard,
        atomic::{AtomicBool, Ordering},
    },
};

use switchboard_sdk::DeliveryStatus;

pub use colleagues::{ColleagueReply, Colleagues};
pub use demo::{DemoMessage, DemoTraffic, demo_media_folder, demo_script};
pub use internal::{IM_MEDIA_TYPE, ReceivedInvitation, VoiceConsultation};
pub use numbers::PlatformSettings;
pub use seed::seed_demo_history;
pub use worker::PlatformWorker;

use switchboard_edge::{WebhookServer, WebhookSettings, provider};
use switchboard_seam::{inbound::app_of_address, routing::Router};

// The desk's names for the seam, its directory and media checks, and the SQLite store, as
// this crate's modules use them.
use switchboard_core::{backend, clock, directory};
use switchboard_store_sqlite as store;

#[allow(unused_imports)]
use crate::store::prelude::*;
use switchboard_seam::routing::{Reservation, WithdrawReason};

use crate::{
    backend::{
        AgentSession, Backend, BackendError, BackendEvent, CHAT_MEDIA_TYPE, InviteRequest,
        NewConversation, NewOutbound, NumberFacts, OfferDetails, OutboundMessage, TransferRequest,
        Waker,
    },
    clock::Clock,
    directory::Directory,
    store::{Store, StoreError},
};

/// Our session-mode number when the configuration does not give one.
pub const DEFAULT_SESSION_NUMBER: &str = "+1 555 0150";

pub use switchboard_seam::routing::REOFFER_DELAY_SECONDS;

/// Longest a call to the provider's API may take.
const PROVIDER_CALL_LIMIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Why a message left `sending` when the platform stopped is marked failed.
pub const UNSENT_REASON: &str =
    "not sent: the desktop stopped before the message left; send it again";

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
    colleagues: Mutex<Colleagues>,
    receipts: Mutex<receipts::Receipts>,
    internal: Mutex<internal::Internal>,
    chats: Mutex<switchboard_edge::ChatRooms>,
    /// New chats per client address.
    chat_starts: switchboard_edge::RateLimit,
    link_up: AtomicBool,
    /// Interactions already reported as carried by no signed-in agent's channel.
    unhandled_reported: Mutex<std::collections::HashSet<String>>,
    /// Wakes the platform's worker thread, when it runs one.
    nudge: Arc<worker::Nudge>,
    /// The real provider outbound SMS go to, when one is configured.
    outbox: Mutex<outbound::Outbox>,
    /// Whether a worker thread runs the ticks (else `poll` does).
    has_worker: AtomicBool,
    settings: PlatformSettings,
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
        Self::with_settings(
            store,
            clock,
            PlatformSettings::new(service_number, DEFAULT_SESSION_NUMBER),
        )
    }

    /// A platform with explicit settings (numbers, media limits).
    pub fn with_settings(
        store: Store,
        clock: Arc<dyn Clock>,
        settings: PlatformSettings,
    ) -> Result<Self, StoreError> {
        let started = clock.now();
        let colleague_file = colleagues::ColleagueFile::shipped();
        let mut router = Router::with_offer_ids(switchboard_seam::ids::new_offer_id);
        // Work waiting from an earlier run is routed again; an offer's reservation did not
        // survive the restart, so offered work waits again too.
        for row in store.unassigned_interactions()? {
            if row.state != crate::store::InteractionState::Queued {
                store.set_interaction_state(
                    &row.id,
                    crate::store::InteractionState::Queued,
                    None,
                )?;
            }
            router.enqueue(&row.id, &row.media_type, row.created);
        }
        // A provider call a crash interrupted may have gone: failed with a line saying so.
        outbound::settle_interrupted(&store)?;
        // A reply the desktop stored but the gateway never took (it stopped in between) is not
        // sent blindly again: it is marked failed, and the agent reads why and sends again.
        let unsent = store.fail_unsent(UNSENT_REASON)?;
        if unsent > 0 {
            tracing::warn!(
                "{unsent} message(s) left sending when the platform stopped: marked failed"
            );
        }
        let provider: Option<Arc<dyn provider::Provider>> = settings.provider.clone().map(|p| {
            Arc::new(provider::twilio::TwilioApi::new(p, PROVIDER_CALL_LIMIT))
                as Arc<dyn provider::Provider>
        });
        match &settings.provider {
            Some(p) => tracing::info!(
                "SMS leave through the provider's API at {}; webhooks must be signed for {}",
                p.api_base,
                p.public_url
            ),
            None => tracing::info!(
                "no provider configured: SMS go to the embedded gateway double, and the webhook is unsigned"
            ),
        }
        let outbox = outbound::Outbox::new(provider, store.next_part_due()?);
        Ok(Self {
            inner: Arc::new(Inner {
                store,
                clock,
                router: Mutex::new(router),
                events: Mutex::new(VecDeque::new()),
                gateway: Mutex::new(Vec::new()),
                waker: Mutex::new(None),
                colleagues: Mutex::new(
                    Colleagues::new(Directory::embedded())
                        .with_presence_cycles(colleague_file.presence.clone(), started),
                ),
                receipts: Mutex::new(receipts::Receipts::default()),
                internal: Mutex::new(internal::Internal::new(&colleague_file)),
                chats: Mutex::new(switchboard_edge::ChatRooms::default()),
                chat_starts: switchboard_edge::RateLimit::new(
                    settings.chat_starts_per_minute,
                    (settings.chat_starts_per_minute / 4).max(1),
                ),
                link_up: AtomicBool::new(true),
                settings,
                unhandled_reported: Mutex::default(),
                nudge: Arc::default(),
                outbox: Mutex::new(outbox),
                has_worker: AtomicBool::new(false),
            }),
        })
    }

    /// Whether `client` may open one more chat now (counted).
    pub(crate) fn chat_start_allowed(&self, client: std::net::IpAddr) -> bool {
        self.inner.chat_starts.allow(client)
    }

    /// Our page-mode number.
    pub fn service_number(&self) -> &str {
        &self.inner.settings.service_number
    }

    /// Our session-mode number.
    pub fn session_number(&self) -> &str {
        &self.inner.settings.session_number
    }

    /// The store the platform writes (tests and tools read it).
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// The platform's settings.
    pub fn settings(&self) -> &PlatformSettings {
        &self.inner.settings
    }

    /// Scripts how a colleague (or queue...) answers invitations from now on (tests, demos).
    pub fn script_colleague(&self, target_id: &str, reply: ColleagueReply) {
        lock(&self.inner.colleagues).script(target_id, reply);
    }

    /// A new id for a record born here: the readable prefix and a time-ordered UUID.
    fn next_id(&self, prefix: &str) -> String {
        switchboard_seam::ids::new_id(prefix)
    }

    /// Offers queued interactions to Ready agents within their capacity, and withdraws the
    /// offers whose time ran out.
    fn route(&self) {
        let now = self.inner.clock.now();
        let (expired, offers) = {
            let mut router = lock(&self.inner.router);
            (router.expire(now), router.route(now))
        };
        self.withdrawn(expired, WithdrawReason::Expired);
        self.report_unhandled();
        for reservation in offers {
            if let Err(e) = self.inner.store.set_interaction_state(
                &reservation.interaction,
                crate::store::InteractionState::Offered,
                Some(&reservation.agent),
            ) {
                tracing::error!("cannot record offer of {}: {e}", reservation.interaction);
            }
            match self.offer_details(&reservation) {
                Ok(details) => self.push(BackendEvent::Offer(Box::new(details))),
                Err(e) => tracing::error!("cannot offer {}: {e}", reservation.interaction),
            }
        }
    }

    /// Says once, in the log, which waiting work no signed-in agent's channel carries: a
    /// media type whose plugin no role lists is otherwise parked in silence.
    fn report_unhandled(&self) {
        let unhandled = lock(&self.inner.router).unhandled();
        let mut reported = lock(&self.inner.unhandled_reported);
        for (interaction, media_type) in unhandled {
            if reported.insert(interaction.clone()) {
                tracing::warn!(
                    "interaction {interaction} waits: no signed-in agent has a channel for media type {media_type} (is its plugin loaded and in a role?)"
                );
            }
        }
    }

    /// Everything an offer's notification shows, read on the platform's side.
    fn offer_details(&self, reservation: &Reservation) -> Result<OfferDetails, StoreError> {
        let store = &self.inner.store;
        let id = &reservation.interaction;
        let interaction = store
            .interaction(id)?
            .ok_or_else(|| StoreError::NotFound(format!("interaction {id}")))?;
        let consultation_about = match store.consulted(id)? {
            Some(customer) => store
                .contact_of_interaction(&customer)?
                .map(|c| c.display_name),
            None => None,
        };
        Ok(OfferDetails {
            offer_id: reservation.offer_id.clone(),
            case_data: store.case_data(id)?,
            first_message: store.first_message(id)?,
            consultation_about,
            offered_at: reservation.offered_at,
            expires_at: reservation.expires_at,
            interaction,
        })
    }

    /// Offers taken back: their work waits in the queue again, and the desk is told.
    fn withdrawn(&self, reservations: Vec<Reservation>, reason: WithdrawReason) {
        for reservation in reservations {
            if let Err(e) = self.inner.store.set_interaction_state(
                &reservation.interaction,
                crate::store::InteractionState::Queued,
                None,
            ) {
                tracing::error!("cannot requeue {}: {e}", reservation.interaction);
            }
            self.push(BackendEvent::OfferWithdrawn {
                offer_id: reservation.offer_id,
                interaction: reservation.interaction,
                reason,
            });
        }
    }

    /// Records a message's delivery status (the platform is its one writer), then tells the
    /// desk.
    fn report_delivery(&self, message_id: i64, interaction: &str, status: DeliveryStatus) {
        if let Err(e) = self.inner.store.set_status(message_id, &status) {
            tracing::error!("cannot record the delivery status of message {message_id}: {e}");
            return;
        }
        self.push(BackendEvent::Delivery {
            message_id,
            interaction: interaction.to_owned(),
            status,
        });
    }

    /// Runs the platform's clock-driven work on a thread of its own from now on: the desk's
    /// `poll` then only drains events. Dropping the returned worker stops it.
    pub fn start_worker(&self) -> std::io::Result<PlatformWorker> {
        let worker = PlatformWorker::start(self.clone(), self.inner.nudge.clone())?;
        self.inner.has_worker.store(true, Ordering::SeqCst);
        Ok(worker)
    }

    /// Asks for a tick soon (on the worker, or at the next poll).
    pub(crate) fn nudge(&self) {
        self.inner.nudge.nudge();
    }

    /// Nudges the worker when the returned guard drops: at the end of a request, after it
    /// changed what routing or the clock-driven work will do.
    fn nudge_after(&self) -> NudgeOnDrop<'_> {
        NudgeOnDrop(self)
    }

    /// Now, by the platform's clock.
    pub(crate) fn now(&self) -> switchboard_sdk::Timestamp {
        self.inner.clock.now()
    }

    /// The platform's clock-driven work: offers made and withdrawn, colleagues' answers and
    /// lines, read receipts. The worker runs it; without one, `poll` does.
    pub fn tick(&self) {
        self.route();
        self.send_due_parts();
        self.answer_invitations();
        self.deliver_read_receipts();
        self.deliver_colleague_lines();
    }

    fn push(&self, event: BackendEvent) {
        lock(&self.inner.events).push_back(event);
        let waker = lock(&self.inner.waker).clone();
        if let Some(wake) = waker {
            wake();
        }
    }

    /// Marks read the messages whose read receipt fell due.
    fn deliver_read_receipts(&self) {
        let due = lock(&self.inner.receipts).due(self.inner.clock.now());
        for read in due {
            self.report_delivery(read.message_id, &read.interaction, DeliveryStatus::Read);
        }
    }

    /// Records the colleagues' answers that fell due: an accepted transfer now belongs to the
    /// target; an answer in an internal conversation connects or ends it.
    fn answer_invitations(&self) {
        let answers = lock(&self.inner.colleagues).due(self.inner.clock.now());
        for answer in answers {
            if answer.purpose != switchboard_sdk::purposes::TRANSFER {
                self.internal_answered(&answer);
                self.push(BackendEvent::InvitationAnswered {
                    interaction: answer.interaction,
                    purpose: answer.purpose,
                    target: answer.target,
                    outcome: answer.outcome,
                });
                continue;
            }
            let interaction = answer.interaction;
            if answer.outcome == switchboard_sdk::InvitationOutcome::Accepted {
                // The colleague is simulated: the interaction leaves this agent's capacity.
                lock(&self.inner.router).release(&interaction, self.inner.clock.now());
                if let Err(e) = self.inner.store.set_interaction_state(
                    &interaction,
                    crate::store::InteractionState::Transferred,
                    Some(&answer.target.id),
                ) {
                    tracing::error!("cannot record the transfer of {interaction}: {e}");
                }
            }
            self.push(BackendEvent::TransferAnswered {
                interaction,
                target: answer.target,
                outcome: answer.outcome,
            });
        }
    }

    /// A provider's delivery-status callback for one sent part: finds the message and
    /// reports it. False when the part id is unknown.
    pub fn delivery_report(&self, sid: &str, status: DeliveryStatus) -> Result<bool, StoreError> {
        let Some((message_id, interaction)) = self.inner.store.message_of_part(sid)? else {
            return Ok(false);
        };
        self.inner.store.set_status(message_id, &status)?;
        self.push(BackendEvent::Delivery {
            message_id,
            interaction,
            status,
        });
        Ok(true)
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
        let settings = WebhookSettings {
            posts_per_minute: self.settings().webhook_posts_per_minute,
            connections: self.settings().connections,
            provider: self.settings().provider.clone(),
        };
        WebhookServer::start_for(self.clone(), settings, port)
    }
}

/// Nudges the platform's worker when dropped.
struct NudgeOnDrop<'a>(&'a EmbeddedPlatform);

impl Drop for NudgeOnDrop<'_> {
    fn drop(&mut self) {
        self.0.nudge();
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
        let _nudge = self.nudge_after();
        if !self.link_up() {
            return Err(BackendError::Unreachable);
        }
        let now = self.inner.clock.now();
        let withdrawn = lock(&self.inner.router).set_ready(agent, media_types, ready, now);
        self.withdrawn(withdrawn, WithdrawReason::NotReady);
        self.route();
        Ok(())
    }

    fn sign_in(&self, session: &AgentSession) -> Result<(), BackendError> {
        let _nudge = self.nudge_after();
        // What the agent still holds from before (a restart) counts against their capacity.
        let held = self
            .inner
            .store
            .held_by(&session.agent)
            .map_err(|e| BackendError::Refused(e.to_string()))?;
        let mut router = lock(&self.inner.router);
        router.sign_in(
            &session.agent,
            session.channels.clone(),
            self.inner.clock.now(),
        );
        for row in held {
            router.hold(&session.agent, &row.id, &row.media_type);
        }
        Ok(())
    }

    fn sign_out(&self, agent: &str) -> Result<(), BackendError> {
        let _nudge = self.nudge_after();
        let withdrawn = lock(&self.inner.router).sign_out(agent, self.inner.clock.now());
        self.withdrawn(withdrawn, WithdrawReason::NotReady);
        Ok(())
    }

    fn answer_offer(&self, agent: &str, offer_id: &str, accept: bool) -> Result<(), BackendError> {
        let _nudge = self.nudge_after();
        if !self.link_up() {
            return Err(BackendError::Unreachable);
        }
        let now = self.inner.clock.now();
        let reservation = lock(&self.inner.router).answer(offer_id, agent, accept, now)?;
        let interaction = reservation.interaction.as_str();
        self.answer_internal_offer(interaction, accept);
        let state = if accept {
            crate::store::InteractionState::Accepted
        } else {
            crate::store::InteractionState::Queued
        };
        let agent = accept.then_some(agent);
        self.inner
            .store
            .set_interaction_state(interaction, state, agent)
            .map_err(|e| BackendError::Refused(e.to_string()))?;
        Ok(())
    }

    fn send(&self, sms: OutboundMessage) -> Result<(), BackendError> {
        let _nudge = self.nudge_after();
        if !self.link_up() {
            return Err(BackendError::Unreachable);
        }
        if self.chat_send(&sms) || self.send_internal(&sms.interaction, sms.message_id) {
            return Ok(());
        }
        if self.has_provider() {
            return self
                .queue_for_provider(&sms)
                .map_err(|e| BackendError::Refused(e.to_string()));
        }
        let mut first_sid = None;
        {
            let mut gateway = lock(&self.inner.gateway);
            for part in &sms.parts {
                let sid = self.next_id("SM");
                first_sid.get_or_insert_with(|| sid.clone());
                if let Err(e) = self.inner.store.record_part(&sid, sms.message_id) {
                    tracing::warn!("cannot record a sent part: {e}");
                }
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
        let status = match self.inner.settings.delivery_failure(&sms.to) {
            Some(reason) => DeliveryStatus::Failed {
                reason: reason.into(),
            },
            None => DeliveryStatus::Delivered,
        };
        if status == DeliveryStatus::Delivered && app_of_address(&sms.to).is_some() {
            let due = self
                .inner
                .clock
                .now()
                .plus_seconds(receipts::READ_AFTER_SECONDS);
            lock(&self.inner.receipts).expect(due, sms.message_id, &sms.interaction);
        }
        self.report_delivery(sms.message_id, &sms.interaction, status);
        Ok(())
    }

    fn transfer(&self, request: TransferRequest) -> Result<(), BackendError> {
        let _nudge = self.nudge_after();
        if !self.link_up() {
            return Err(BackendError::Unreachable);
        }
        if request.target.kind == "contact" {
            return Err(BackendError::Refused(
                "an interaction is transferred to agents, queues, skills, groups or routing points"
                    .into(),
            ));
        }
        if self.in_conference(&request.interaction, &request.target.id) {
            // Leaving a conference: the colleague already in the chat keeps it, at once.
            lock(&self.inner.colleagues).script_once(&request.target.id);
        }
        lock(&self.inner.colleagues).invite(
            &request.interaction,
            switchboard_sdk::purposes::TRANSFER,
            request.target,
            self.inner.clock.now(),
            request.timeout_seconds.max(1),
        );
        Ok(())
    }

    fn start_conversation(&self, conversation: NewConversation) -> Result<String, BackendError> {
        let _nudge = self.nudge_after();
        if !self.link_up() {
            return Err(BackendError::Unreachable);
        }
        self.start_internal(conversation)
    }

    fn start_outbound(&self, outbound: NewOutbound) -> Result<String, BackendError> {
        let _nudge = self.nudge_after();
        if !self.link_up() {
            return Err(BackendError::Unreachable);
        }
        let chat = outbound.media_type == CHAT_MEDIA_TYPE;
        let our_address = if chat {
            "web chat".to_owned()
        } else {
            self.inner.settings.session_number.clone()
        };
        let id = self.next_id(if chat { "CI" } else { "SO" });
        if chat {
            self.chat_join_room(&outbound.address, &id)
                .map_err(BackendError::Refused)?;
        }
        let row = crate::store::InteractionRow {
            id: id.clone(),
            media_type: outbound.media_type,
            contact_name: outbound.contact_name,
            contact_address: outbound.address,
            our_address,
            state: crate::store::InteractionState::Accepted,
            agent_id: Some(outbound.agent),
            created: self.inner.clock.now(),
            done: false,
            case_data: vec![("direction".into(), "outbound".into())],
        };
        self.inner
            .store
            .open_internal(
                &row,
                &crate::store::Party::Contact {
                    id: outbound.contact_id,
                },
                None,
            )
            .map_err(|e| BackendError::Refused(e.to_string()))?;
        Ok(id)
    }

    fn invite(&self, request: InviteRequest) -> Result<(), BackendError> {
        let _nudge = self.nudge_after();
        if !self.link_up() {
            return Err(BackendError::Unreachable);
        }
        self.invite_internal(request)
    }

    fn set_typing(
        &self,
        interaction: &str,
        author: &str,
        typing: bool,
    ) -> Result<(), BackendError> {
        self.chat_typing(interaction, author, typing);
        Ok(())
    }

    fn push_url(&self, link: OutboundMessage) -> Result<(), BackendError> {
        let _nudge = self.nudge_after();
        if !self.link_up() {
            return Err(BackendError::Unreachable);
        }
        if self.chat_push_url(&link) {
            Ok(())
        } else {
            Err(BackendError::Refused(format!(
                "interaction {} is no web chat",
                link.interaction
            )))
        }
    }

    fn end_conversation(&self, interaction: &str, by: &str) -> Result<(), BackendError> {
        let _nudge = self.nudge_after();
        self.inner
            .store
            .set_interaction_state(interaction, crate::store::InteractionState::Ended, None)
            .map_err(|e| BackendError::Refused(e.to_string()))?;
        self.end_internal(interaction);
        self.chat_end(interaction, by);
        Ok(())
    }

    fn resume_conversation(&self, interaction: &str, agent: &str) -> Result<(), BackendError> {
        self.inner
            .store
            .set_interaction_state(
                interaction,
                crate::store::InteractionState::Accepted,
                Some(agent),
            )
            .map_err(|e| BackendError::Refused(e.to_string()))
    }

    fn number_facts(&self, number: &str) -> NumberFacts {
        match self.inner.settings.cannot_receive(number) {
            Some(note) => NumberFacts {
                can_receive_sms: false,
                note: note.to_owned(),
            },
            None => NumberFacts {
                can_receive_sms: true,
                note: String::new(),
            },
        }
    }

    fn presence(&self, agent: &str) -> Option<crate::directory::Presence> {
        lock(&self.inner.colleagues).presence_at(agent, self.inner.clock.now())
    }

    fn next_due(&self) -> Option<switchboard_sdk::Timestamp> {
        let colleagues = lock(&self.inner.colleagues).next_due();
        let receipts = lock(&self.inner.receipts).next_due();
        let lines = self.internal_next_due();
        let routing = {
            let router = lock(&self.inner.router);
            let now = self.inner.clock.now();
            router
                .next_expiry()
                .into_iter()
                .chain(router.next_retry(now))
                .min()
        };
        colleagues
            .into_iter()
            .chain(receipts)
            .chain(lines)
            .chain(routing)
            .chain(self.outbox_next_due())
            .min()
    }

    fn hand_back(&self, agent: &str, interaction: &str) -> Result<(), BackendError> {
        let _nudge = self.nudge_after();
        let refused = |e: StoreError| BackendError::Refused(e.to_string());
        let row = self
            .inner
            .store
            .interaction(interaction)
            .map_err(refused)?
            .ok_or_else(|| BackendError::Refused(format!("no interaction {interaction}")))?;
        if row.agent_id.as_deref() != Some(agent) {
            return Err(BackendError::Refused(format!(
                "{interaction} is not held by {agent}"
            )));
        }
        self.inner
            .store
            .set_interaction_state(interaction, crate::store::InteractionState::Queued, None)
            .map_err(refused)?;
        {
            let now = self.inner.clock.now();
            lock(&self.inner.router).hand_back(
                interaction,
                &row.media_type,
                row.created,
                agent,
                now,
            );
        }
        self.route();
        Ok(())
    }

    fn close(&self, interaction: &str) -> Result<(), BackendError> {
        let _nudge = self.nudge_after();
        let now = self.inner.clock.now();
        self.inner
            .store
            .close_interaction(interaction, true, now)
            .map_err(|e| BackendError::Refused(e.to_string()))?;
        lock(&self.inner.router).release(interaction, now);
        self.end_internal(interaction);
        Ok(())
    }

    fn poll(&self) -> Vec<BackendEvent> {
        if !self.inner.has_worker.load(Ordering::SeqCst) {
            self.tick();
        }
        lock(&self.inner.events).drain(..).collect()
    }

    fn set_waker(&self, waker: Waker) {
        *lock(&self.inner.waker) = Some(waker);
    }
}
