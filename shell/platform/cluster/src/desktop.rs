//! A desktop's side of the cluster platform: the seam's `Backend` over NATS. It holds no
//! database credentials; every request goes to the gateway (request-reply, under its own
//! agent's subject), events arrive on the agent's subject and wait for the desk's `poll`, a
//! heartbeat keeps the agent present while the desktop lives, and [`ClusterBackend::records`]
//! gives the desk its records through the same gateway. When the connection drops, requests
//! fail at once (nothing waits on a lost network), the desk is told the link is down, and when
//! NATS is back the desktop signs its agent in again, Ready as before, without a click.

use std::{
    collections::{HashMap, VecDeque},
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use async_nats::connection::State;
use futures_util::StreamExt;
use switchboard_seam::{
    backend::{
        AgentSession, Backend, BackendError, BackendEvent, InviteRequest, NewConversation,
        NumberFacts, OutboundMessage, TransferRequest, Waker,
    },
    parties::{DirectoryEntry, Presence},
    routing::AnswerRefused,
};
use tokio::task::JoinHandle;

use crate::{
    ClusterError, Link, lock,
    presence::{AgentPresence, PresenceBoard, PresenceChange},
    remote_records::{RecordsCarrier, RemoteRecords},
    wire::{self, OfferRefusal, Reply, Request, WireEvent},
};

/// How long a desktop waits for the gateway's answer.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(3);

/// How often the desktop looks at its NATS connection's state.
const LINK_CHECK_EVERY: Duration = Duration::from_millis(250);

/// How long the desktop waits before asking again for a directory no gateway gave.
const DIRECTORY_RETRY: Duration = Duration::from_secs(2);

#[derive(Default)]
struct Session {
    agent: Option<String>,
    /// What signing in again after a lost connection needs.
    signed_in_as: Option<AgentSession>,
    ready: Vec<String>,
    tasks: Vec<JoinHandle<()>>,
}

struct Shared {
    prefix: String,
    client: async_nats::Client,
    presence: PresenceBoard,
    heartbeat_every: Duration,
    events: Mutex<VecDeque<BackendEvent>>,
    waker: Mutex<Option<Waker>>,
    link_up: AtomicBool,
    session: Mutex<Session>,
    /// Colleagues present now, from the presence board (the Team Communicator shows them).
    colleagues: Mutex<HashMap<String, AgentPresence>>,
    /// The deployment's directory, once a gateway gave it.
    directory: Mutex<Option<Vec<DirectoryEntry>>>,
}

impl Shared {
    fn push(&self, event: BackendEvent) {
        lock(&self.events).push_back(event);
        let waker = lock(&self.waker).clone();
        if let Some(wake) = waker {
            wake();
        }
    }

    fn connected(&self) -> bool {
        self.client.connection_state() == State::Connected
    }

    /// Asks the gateway for `agent` and returns the answer's bytes.
    async fn ask(
        &self,
        agent: &str,
        verb: &str,
        body: Vec<u8>,
    ) -> Result<async_nats::Message, ClusterError> {
        if !self.connected() {
            return Err(ClusterError::Nats(
                "the connection to NATS is down; the desktop reconnects by itself".into(),
            ));
        }
        let subject = wire::request_subject(&self.prefix, agent, verb);
        match tokio::time::timeout(REQUEST_TIMEOUT, self.client.request(subject, body.into())).await
        {
            Ok(Ok(message)) => Ok(message),
            Ok(Err(e)) => Err(ClusterError::Nats(format!(
                "the gateway did not answer: {e}"
            ))),
            Err(_) => Err(ClusterError::Nats(format!(
                "the gateway did not answer within {} s",
                REQUEST_TIMEOUT.as_secs()
            ))),
        }
    }
}

/// The link a desktop's backend and records share: the runtime that carries NATS, and the
/// session of the agent signed in.
struct DesktopLink {
    shared: Arc<Shared>,
    runtime: Mutex<Option<tokio::runtime::Runtime>>,
}

impl DesktopLink {
    fn handle(&self) -> Result<tokio::runtime::Handle, ClusterError> {
        lock(&self.runtime)
            .as_ref()
            .map(|runtime| runtime.handle().clone())
            .ok_or_else(|| ClusterError::Nats("the desktop's link is stopped".into()))
    }

    fn agent(&self) -> Result<String, ClusterError> {
        lock(&self.shared.session)
            .agent
            .clone()
            .ok_or_else(|| ClusterError::Invalid("nobody is signed in on this desktop".into()))
    }

    fn ask_as(&self, agent: &str, verb: &str, body: Vec<u8>) -> Result<Vec<u8>, ClusterError> {
        let shared = self.shared.clone();
        let answer = self.handle()?.block_on(async move {
            let answer = shared.ask(agent, verb, body.clone()).await?;
            // A gateway that took over does not know the agent yet: sign in there, ask again.
            if verb != "sign_in"
                && says_not_signed_in(&answer.payload)
                && sign_in_again(&shared).await
            {
                return shared.ask(agent, verb, body).await;
            }
            Ok(answer)
        });
        self.shared.link_up.store(answer.is_ok(), Ordering::SeqCst);
        answer.map(|message| message.payload.to_vec())
    }
}

impl RecordsCarrier for DesktopLink {
    /// Asks the gateway, for the signed-in agent, and returns the answer's bytes.
    fn ask(&self, verb: &str, body: Vec<u8>) -> Result<Vec<u8>, ClusterError> {
        let agent = self.agent()?;
        self.ask_as(&agent, verb, body)
    }
}

/// The cluster platform as one desktop sees it. Dropping it stops its heartbeat without
/// signing out, as a crash would: the gateway withdraws the agent's offers when the presence
/// expires.
pub struct ClusterBackend {
    link: Arc<DesktopLink>,
}

impl ClusterBackend {
    /// Connects to the deployment `prefix` on the NATS server at `nats_url`; the agent's
    /// presence lives `presence_ttl` after each heartbeat.
    pub fn connect(
        nats_url: &str,
        prefix: &str,
        presence_ttl: Duration,
    ) -> Result<Self, ClusterError> {
        let Link {
            runtime,
            client,
            presence,
        } = Link::open("cluster-link", 1, nats_url, prefix, presence_ttl)?;
        let shared = Arc::new(Shared {
            directory: Mutex::new(None),
            prefix: prefix.to_owned(),
            client,
            presence,
            heartbeat_every: presence_ttl / 3,
            events: Mutex::new(VecDeque::new()),
            waker: Mutex::new(None),
            link_up: AtomicBool::new(true),
            session: Mutex::new(Session::default()),
            colleagues: Mutex::new(HashMap::new()),
        });
        // The window opens at once; the directory follows when a gateway gives it.
        runtime.spawn(fetch_directory(shared.clone()));
        runtime.spawn(watch_link(shared.clone()));
        runtime.spawn(watch_colleagues(shared.clone()));
        runtime.spawn(follow_the_routing_gateway(shared.clone()));
        Ok(Self {
            link: Arc::new(DesktopLink {
                shared,
                runtime: Mutex::new(Some(runtime)),
            }),
        })
    }

    /// The desk's records, kept by the gateway and read through it as the signed-in agent.
    pub fn records(&self) -> RemoteRecords {
        RemoteRecords::new(self.link.clone())
    }

    fn shared(&self) -> &Arc<Shared> {
        &self.link.shared
    }

    fn agent(&self) -> Result<String, BackendError> {
        self.link
            .agent()
            .map_err(|_| BackendError::Refused("nobody is signed in on this desktop".into()))
    }

    /// Sends a request for `agent` and reads the reply.
    fn request(&self, agent: &str, request: &Request) -> Result<(), BackendError> {
        let body = serde_json::to_vec(request)
            .map_err(|e| BackendError::Refused(format!("cannot encode the request: {e}")))?;
        let answer = match self.link.ask_as(agent, request.verb(), body) {
            Ok(answer) => answer,
            Err(e) => {
                tracing::warn!("desktop: {} for {agent}: {e}", request.verb());
                return Err(BackendError::Unreachable);
            }
        };
        reply_result(&answer)
    }

    /// Refuses to act for anyone but the agent signed in on this desktop. (The boundary that
    /// holds against a modified desktop is the NATS server's per-desktop permissions on
    /// `P.gw.<agent>.>`, see ARCHITECTURE.md, and the gateway's checks; this keeps an honest
    /// desktop honest.)
    fn as_signed_in(&self, agent: &str) -> Result<(), BackendError> {
        let signed_in = self.agent()?;
        if signed_in == agent {
            Ok(())
        } else {
            Err(BackendError::Refused(format!(
                "this desktop is signed in as {signed_in}, not {agent}"
            )))
        }
    }

    /// Requests for the signed-in agent.
    fn request_as_agent(&self, request: &Request) -> Result<(), BackendError> {
        let agent = self.agent()?;
        self.request(&agent, request)
    }

    fn start_session_tasks(&self, agent: &str) -> Result<Vec<JoinHandle<()>>, BackendError> {
        let handle = self.link.handle().map_err(|_| BackendError::Unreachable)?;
        let shared = self.shared().clone();
        let subject = wire::events_subject(&shared.prefix, agent);
        let subscriber = handle
            .block_on(shared.client.subscribe(subject))
            .map_err(|e| BackendError::Refused(format!("cannot listen for events: {e}")))?;
        let events = handle.spawn(receive_events(shared.clone(), subscriber));
        let heartbeat = handle.spawn(heartbeat(shared, agent.to_owned()));
        Ok(vec![events, heartbeat])
    }
}

fn reply_result(answer: &[u8]) -> Result<(), BackendError> {
    match serde_json::from_slice::<Reply>(answer) {
        Ok(Reply::Done | Reply::Started { .. }) => Ok(()),
        Ok(Reply::OfferRefused { kind, .. }) => Err(BackendError::Offer(match kind {
            OfferRefusal::Withdrawn => AnswerRefused::Withdrawn,
            OfferRefusal::Expired => AnswerRefused::Expired,
            OfferRefusal::NotYours => AnswerRefused::NotYours,
        })),
        Ok(Reply::Refused { reason }) => Err(BackendError::Refused(reason)),
        Ok(Reply::SignInRefused { reason }) => Err(BackendError::SignInRefused(reason)),
        Ok(Reply::NotSignedIn { agent }) => Err(BackendError::Refused(format!(
            "{agent} is not signed in on the gateway"
        ))),
        Err(e) => Err(BackendError::Refused(format!(
            "the gateway's answer cannot be read: {e}"
        ))),
    }
}

/// The deployment's directory from the routing gateway; `None` when no gateway answers (the
/// Team Communicator then lists contacts only).
async fn ask_directory(client: &async_nats::Client, prefix: &str) -> Option<Vec<DirectoryEntry>> {
    let asked = client.request(crate::gateway::directory_subject(prefix), Vec::new().into());
    match tokio::time::timeout(REQUEST_TIMEOUT, asked).await {
        Ok(Ok(answer)) => serde_json::from_slice(&answer.payload).ok(),
        _ => {
            tracing::warn!("desktop: no gateway gave the directory");
            None
        }
    }
}

/// Asks for the directory until a gateway gives it, then hands it to the desk.
async fn fetch_directory(shared: Arc<Shared>) {
    loop {
        if let Some(entries) = ask_directory(&shared.client, &shared.prefix).await {
            *lock(&shared.directory) = Some(entries.clone());
            shared.push(BackendEvent::Directory { entries });
            return;
        }
        tokio::time::sleep(DIRECTORY_RETRY).await;
    }
}

/// Whether a gateway's answer says the agent is not signed in there.
fn says_not_signed_in(answer: &[u8]) -> bool {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(answer) else {
        return false;
    };
    value["outcome"] == "not_signed_in"
        || (value["outcome"] == "failed" && value["error"]["kind"] == "not_signed_in")
}

/// A gateway that starts routing announces itself: the signed-in agent signs in to it.
async fn follow_the_routing_gateway(shared: Arc<Shared>) {
    let Ok(mut announcements) = shared
        .client
        .subscribe(crate::gateway::active_subject(&shared.prefix))
        .await
    else {
        tracing::warn!("desktop: cannot listen for a gateway taking over");
        return;
    };
    while announcements.next().await.is_some() {
        // The gateway that took over may be busy with every desktop signing in at once: try
        // again until it agrees, else the agent would stay signed out of it.
        let mut tries = 0;
        while !sign_in_again(&shared).await {
            tries += 1;
            if tries == SIGN_IN_TRIES {
                tracing::warn!(
                    "desktop: could not sign in to the gateway that took over ({tries} tries)"
                );
                break;
            }
            tokio::time::sleep(SIGN_IN_RETRY).await;
        }
    }
}

/// How many times a desktop tries to sign in to a gateway that took over.
const SIGN_IN_TRIES: u32 = 10;

/// How long it waits between those tries.
const SIGN_IN_RETRY: Duration = Duration::from_secs(1);

async fn receive_events(shared: Arc<Shared>, mut subscriber: async_nats::Subscriber) {
    while let Some(message) = subscriber.next().await {
        match serde_json::from_slice::<WireEvent>(&message.payload) {
            Ok(event) => shared.push(event.into()),
            Err(e) => tracing::warn!("desktop: an event cannot be read: {e}"),
        }
    }
}

async fn heartbeat(shared: Arc<Shared>, agent: String) {
    let mut every = tokio::time::interval(shared.heartbeat_every.max(Duration::from_millis(100)));
    loop {
        every.tick().await;
        let presence = AgentPresence {
            agent: agent.clone(),
            ready: lock(&shared.session).ready.clone(),
        };
        if let Err(e) = shared.presence.heartbeat(&presence).await {
            tracing::debug!("desktop: heartbeat of {agent}: {e}");
        }
    }
}

/// Watches the NATS connection: tells the desk when it drops and comes back, and on its
/// return signs the agent in again, Ready for what they were Ready for (the gateway may have
/// signed them out when their presence expired).
async fn watch_link(shared: Arc<Shared>) {
    let mut was_up = true;
    let mut every = tokio::time::interval(LINK_CHECK_EVERY);
    loop {
        every.tick().await;
        let up = shared.connected();
        if up == was_up {
            continue;
        }
        if up && !sign_in_again(&shared).await {
            continue; // the gateway is not answering yet: try on the next tick
        }
        was_up = up;
        shared.link_up.store(up, Ordering::SeqCst);
        shared.push(BackendEvent::Link { up });
    }
}

/// Keeps the colleagues present now: who is on the board at first, then every change (a
/// watch lost with the connection is made again when it returns).
async fn watch_colleagues(shared: Arc<Shared>) {
    loop {
        if let Ok(present) = shared.presence.present().await {
            let mut colleagues = lock(&shared.colleagues);
            colleagues.clear();
            colleagues.extend(present.into_iter().map(|p| (p.agent.clone(), p)));
        }
        if let Ok(changes) = shared.presence.watch().await {
            let mut changes = Box::pin(changes);
            while let Some(change) = changes.next().await {
                let mut colleagues = lock(&shared.colleagues);
                match change {
                    PresenceChange::Alive(presence) => {
                        colleagues.insert(presence.agent.clone(), presence);
                    }
                    PresenceChange::Gone { agent } => {
                        colleagues.remove(&agent);
                    }
                }
            }
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// Signs the desktop's agent in again after a lost connection; true when the gateway agreed
/// (or nobody is signed in).
async fn sign_in_again(shared: &Shared) -> bool {
    let (session, ready) = {
        let current = lock(&shared.session);
        (current.signed_in_as.clone(), current.ready.clone())
    };
    let Some(session) = session else { return true };
    let agent = session.agent.clone();
    let mut requests = vec![Request::sign_in(&session)];
    if !ready.is_empty() {
        requests.push(Request::Ready {
            media_types: ready,
            ready: true,
        });
    }
    for request in requests {
        let Ok(body) = serde_json::to_vec(&request) else {
            return false;
        };
        match shared.ask(&agent, request.verb(), body).await {
            Ok(answer) if reply_result(&answer.payload).is_ok() => {}
            Ok(answer) => {
                tracing::warn!(
                    "desktop: signing {agent} in again was refused: {:?}",
                    reply_result(&answer.payload)
                );
                return false;
            }
            Err(e) => {
                tracing::debug!("desktop: signing {agent} in again: {e}");
                return false;
            }
        }
    }
    tracing::info!("desktop: the link is back; {agent} is signed in again");
    true
}

impl Backend for ClusterBackend {
    fn link_up(&self) -> bool {
        self.shared().link_up.load(Ordering::SeqCst)
    }

    fn asks_for_password(&self) -> bool {
        true
    }

    fn sign_in(&self, session: &AgentSession) -> Result<(), BackendError> {
        if !wire::valid_agent_id(&session.agent) {
            return Err(BackendError::Refused(format!(
                "agent id {:?} cannot be used on the cluster",
                session.agent
            )));
        }
        self.request(&session.agent, &Request::sign_in(session))?;
        let tasks = self.start_session_tasks(&session.agent)?;
        let mut current = lock(&self.shared().session);
        for task in current.tasks.drain(..) {
            task.abort();
        }
        *current = Session {
            agent: Some(session.agent.clone()),
            signed_in_as: Some(session.clone()),
            ready: Vec::new(),
            tasks,
        };
        Ok(())
    }

    fn sign_out(&self, agent: &str) -> Result<(), BackendError> {
        self.as_signed_in(agent)?;
        let result = self.request(agent, &Request::SignOut);
        let mut session = lock(&self.shared().session);
        for task in session.tasks.drain(..) {
            task.abort();
        }
        *session = Session::default();
        drop(session);
        if let Ok(handle) = self.link.handle() {
            let _ = handle.block_on(self.shared().presence.leave(agent));
        }
        result
    }

    fn set_ready(
        &self,
        agent: &str,
        media_types: &[String],
        ready: bool,
    ) -> Result<(), BackendError> {
        self.as_signed_in(agent)?;
        self.request(
            agent,
            &Request::Ready {
                media_types: media_types.to_vec(),
                ready,
            },
        )?;
        let mut session = lock(&self.shared().session);
        for media_type in media_types {
            session.ready.retain(|m| m != media_type);
            if ready {
                session.ready.push(media_type.clone());
            }
        }
        Ok(())
    }

    fn answer_offer(&self, agent: &str, offer_id: &str, accept: bool) -> Result<(), BackendError> {
        self.as_signed_in(agent)?;
        self.request(
            agent,
            &Request::Answer {
                offer_id: offer_id.to_owned(),
                accept,
            },
        )
    }

    fn send(&self, message: OutboundMessage) -> Result<(), BackendError> {
        self.request_as_agent(&Request::Send {
            message_id: message.message_id,
            interaction: message.interaction,
            parts: message.parts,
        })
    }

    fn transfer(&self, request: TransferRequest) -> Result<(), BackendError> {
        self.as_signed_in(&request.from_agent)?;
        self.request_as_agent(&Request::Transfer {
            interaction: request.interaction,
            target: (&request.target).into(),
            timeout_seconds: request.timeout_seconds,
        })
    }

    fn start_conversation(&self, conversation: NewConversation) -> Result<String, BackendError> {
        self.as_signed_in(&conversation.agent)?;
        let request = Request::StartConversation {
            target: (&conversation.target).into(),
            media_type: conversation.media_type,
            case_data: conversation.case_data,
        };
        let body = serde_json::to_vec(&request)
            .map_err(|e| BackendError::Refused(format!("cannot encode the request: {e}")))?;
        let answer = self
            .link
            .ask_as(&conversation.agent, request.verb(), body)
            .map_err(|_| BackendError::Unreachable)?;
        match serde_json::from_slice::<Reply>(&answer) {
            Ok(Reply::Started { interaction }) => Ok(interaction),
            _ => reply_result(&answer).and(Err(BackendError::Refused(
                "the gateway opened no conversation".into(),
            ))),
        }
    }

    fn invite(&self, request: InviteRequest) -> Result<(), BackendError> {
        self.as_signed_in(&request.from_agent)?;
        self.request_as_agent(&Request::Invite {
            interaction: request.interaction,
            target: (&request.target).into(),
            purpose: request.purpose,
            timeout_seconds: request.timeout_seconds,
            first_message: request.first_message,
            case_data: request
                .case_data
                .iter()
                .map(|kv| (kv.key.to_string(), kv.value.to_string()))
                .collect(),
        })
    }

    fn set_typing(
        &self,
        interaction: &str,
        _author: &str,
        typing: bool,
    ) -> Result<(), BackendError> {
        self.request_as_agent(&Request::Typing {
            interaction: interaction.to_owned(),
            typing,
        })
    }

    fn push_url(&self, link: OutboundMessage) -> Result<(), BackendError> {
        self.request_as_agent(&Request::PushUrl {
            message_id: link.message_id,
            interaction: link.interaction,
        })
    }

    fn end_conversation(&self, interaction: &str, _by: &str) -> Result<(), BackendError> {
        self.request_as_agent(&Request::EndConversation {
            interaction: interaction.to_owned(),
        })
    }

    fn number_facts(&self, _number: &str) -> NumberFacts {
        NumberFacts {
            can_receive_sms: true,
            note: String::new(),
        }
    }

    fn close(&self, interaction: &str) -> Result<(), BackendError> {
        self.request_as_agent(&Request::Close {
            interaction: interaction.to_owned(),
        })
    }

    fn hand_back(&self, agent: &str, interaction: &str) -> Result<(), BackendError> {
        self.as_signed_in(agent)?;
        self.request(
            agent,
            &Request::HandBack {
                interaction: interaction.to_owned(),
            },
        )
    }

    fn directory(&self) -> Option<Vec<DirectoryEntry>> {
        // A cluster never shows the demo's people: without an answer, an empty directory.
        Some(lock(&self.shared().directory).clone().unwrap_or_default())
    }

    fn presence(&self, agent: &str) -> Option<Presence> {
        Some(match lock(&self.shared().colleagues).get(agent) {
            Some(present) if present.ready.is_empty() => Presence::NotReady,
            Some(_) => Presence::Ready,
            None => Presence::Offline,
        })
    }

    fn poll(&self) -> Vec<BackendEvent> {
        lock(&self.shared().events).drain(..).collect()
    }

    fn set_waker(&self, waker: Waker) {
        *lock(&self.shared().waker) = Some(waker);
    }
}

impl Drop for ClusterBackend {
    fn drop(&mut self) {
        for task in lock(&self.shared().session).tasks.drain(..) {
            task.abort();
        }
        if let Some(runtime) = lock(&self.link.runtime).take() {
            runtime.shutdown_timeout(Duration::from_secs(1));
        }
    }
}
