//! A desktop's side of the cluster platform: the seam's `Backend` over NATS. It holds no
//! database credentials and connects only when an agent signs in, with the agent's id and
//! password (the gateway lets the connection in with that agent's subjects alone); every
//! request goes to the gateway (request-reply, under its own agent's subject, naming the
//! session the sign-in gave), events arrive on the agent's subject and wait for the desk's
//! `poll`, a heartbeat keeps the agent present while the desktop lives, and
//! [`ClusterBackend::records`] gives the desk its records through the same gateway. When the
//! connection drops, requests fail at once (nothing waits on a lost network), the desk is
//! told the link is down, and when NATS is back the desktop signs its agent in again, Ready as
//! before, without a click.

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
        AccountAction, AccountAnswer, AgentSession, Backend, BackendError, BackendEvent,
        InviteRequest, NewConversation, NewOutbound, NumberFacts, OutboundMessage, TransferRequest,
        Waker,
    },
    parties::{DirectoryEntry, Presence},
    routing::AnswerRefused,
};
use tokio::task::JoinHandle;

use switchboard_seam::clock::{Clock, SystemClock};

use crate::{
    ClusterError, LinkError,
    bus_trust::{DesktopBus, desktop_options, throttle::SignInThrottle},
    lock,
    remote_records::{RecordsCarrier, RemoteRecords},
    wire::{
        self, OfferRefusal, Reply, Request, WireAccountAction, WireEvent, WirePassword,
        WirePresence,
    },
};

/// The client key of the local count of refused sign-ins: this desktop.
const THIS_DESKTOP: &str = "this desktop";

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
    /// The session the gateway gave at the last sign-in: every request names it.
    gateway_session: Option<String>,
    ready: Vec<String>,
    tasks: Vec<JoinHandle<()>>,
}

struct Shared {
    prefix: String,
    bus: DesktopBus,
    /// The connection of the agent signed in, if any.
    client: Mutex<Option<async_nats::Client>>,
    heartbeat_every: Duration,
    events: Mutex<VecDeque<BackendEvent>>,
    waker: Mutex<Option<Waker>>,
    link_up: AtomicBool,
    session: Mutex<Session>,
    /// Colleagues present now and what they are Ready for (the Team Communicator shows them).
    colleagues: Mutex<HashMap<String, Vec<String>>>,
    /// The deployment's directory, once a gateway gave it.
    directory: Mutex<Option<Vec<DirectoryEntry>>>,
    /// Sign-ins the server refused from this desktop, slowed down by the gateway's own rule
    /// (the server says only "authorization violation": the wait is counted here too, so the
    /// agent is told how long, and a try that would be refused anyway is not made).
    refused_sign_ins: Mutex<SignInThrottle>,
    /// The host's clock (the waits of refused sign-ins).
    clock: Mutex<Arc<dyn Clock>>,
    /// Requests asked of the gateway, by verb, and the threads that asked them (tests count
    /// round trips, and check the window's thread asks nothing, with it).
    asked: Mutex<HashMap<String, (u64, std::collections::BTreeSet<String>)>>,
}

impl Shared {
    fn push(&self, event: BackendEvent) {
        lock(&self.events).push_back(event);
        let waker = lock(&self.waker).clone();
        if let Some(wake) = waker {
            wake();
        }
    }

    fn client(&self) -> Option<async_nats::Client> {
        lock(&self.client).clone()
    }

    fn connected(&self) -> bool {
        self.client()
            .is_some_and(|client| client.connection_state() == State::Connected)
    }

    /// Asks the gateway for `agent` and returns the answer's bytes.
    async fn ask(
        &self,
        agent: &str,
        verb: &str,
        body: Vec<u8>,
    ) -> Result<async_nats::Message, ClusterError> {
        let client = match self.client() {
            Some(client) if client.connection_state() == State::Connected => client,
            Some(_) => {
                return Err(ClusterError::Nats(
                    "the connection to NATS is down; the desktop reconnects by itself".into(),
                ));
            }
            None => {
                return Err(ClusterError::Nats(
                    "this desktop is not connected to the contact center".into(),
                ));
            }
        };
        {
            let mut asked = lock(&self.asked);
            let (count, threads) = asked.entry(verb.to_owned()).or_default();
            *count += 1;
            threads.insert(
                std::thread::current()
                    .name()
                    .unwrap_or("unnamed")
                    .to_owned(),
            );
        }
        let subject = wire::request_subject(&self.prefix, agent, verb);
        let mut headers = async_nats::HeaderMap::new();
        if let Some(session) = lock(&self.session).gateway_session.clone() {
            headers.insert(wire::SESSION_HEADER, session.as_str());
        }
        let asked = client.request_with_headers(subject, headers, body.into());
        match tokio::time::timeout(REQUEST_TIMEOUT, asked).await {
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
    /// A desktop of the deployment `prefix` on the NATS server at `nats_url`; it connects
    /// when an agent signs in. The agent's presence lives `presence_ttl` after each heartbeat.
    pub fn connect(
        nats_url: &str,
        prefix: &str,
        presence_ttl: Duration,
    ) -> Result<Self, ClusterError> {
        Self::connect_to(DesktopBus::new(nats_url), prefix, presence_ttl)
    }

    /// [`ClusterBackend::connect`] with the bus's TLS authority.
    pub fn connect_to(
        bus: DesktopBus,
        prefix: &str,
        presence_ttl: Duration,
    ) -> Result<Self, ClusterError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("cluster-link")
            .enable_all()
            .build()
            .map_err(|e| ClusterError::Nats(format!("cluster-link runtime: {e}")))?;
        let shared = Arc::new(Shared {
            directory: Mutex::new(None),
            prefix: prefix.to_owned(),
            bus,
            client: Mutex::new(None),
            heartbeat_every: presence_ttl / 3,
            events: Mutex::new(VecDeque::new()),
            waker: Mutex::new(None),
            link_up: AtomicBool::new(true),
            session: Mutex::new(Session::default()),
            colleagues: Mutex::new(HashMap::new()),
            refused_sign_ins: Mutex::new(SignInThrottle::default()),
            clock: Mutex::new(Arc::new(SystemClock)),
            asked: Mutex::new(HashMap::new()),
        });
        Ok(Self {
            link: Arc::new(DesktopLink {
                shared,
                runtime: Mutex::new(Some(runtime)),
            }),
        })
    }

    /// How many requests of `verb` this desktop asked the gateway (each a round trip).
    pub fn requests_asked(&self, verb: &str) -> u64 {
        lock(&self.shared().asked)
            .get(verb)
            .map_or(0, |(count, _)| *count)
    }

    /// The threads that asked the gateway requests of `verb`, by name.
    pub fn threads_asking(&self, verb: &str) -> Vec<String> {
        lock(&self.shared().asked)
            .get(verb)
            .map(|(_, threads)| threads.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// Reads `clock` for the waits of refused sign-ins (the host's clock; tests drive it).
    pub fn set_clock(&self, clock: Arc<dyn Clock>) {
        *lock(&self.shared().clock) = clock;
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

    /// Asks the gateway to open a conversation for `agent`; its id, or the refusal.
    fn ask_to_start(&self, agent: &str, request: &Request) -> Result<String, BackendError> {
        let body = serde_json::to_vec(request)
            .map_err(|e| BackendError::Refused(format!("cannot encode the request: {e}")))?;
        let answer = self
            .link
            .ask_as(agent, request.verb(), body)
            .map_err(|_| BackendError::Unreachable)?;
        match serde_json::from_slice::<Reply>(&answer) {
            Ok(Reply::Started { interaction }) => Ok(interaction),
            _ => reply_result(&answer).and(Err(BackendError::Refused(
                "the gateway opened no conversation".into(),
            ))),
        }
    }

    /// Requests for the signed-in agent.
    fn request_as_agent(&self, request: &Request) -> Result<(), BackendError> {
        let agent = self.agent()?;
        self.request(&agent, request)
    }

    /// Opens the agent's connection: their id and password are its credentials.
    fn open_connection(&self, session: &AgentSession) -> Result<async_nats::Client, BackendError> {
        let agent = &session.agent;
        let Some(password) = session.password.as_ref().filter(|p| !p.expose().is_empty()) else {
            return Err(BackendError::SignInRefused(format!(
                "{agent} must give a password to sign in to the contact center"
            )));
        };
        let handle = self.link.handle().map_err(|_| BackendError::Unreachable)?;
        let shared = self.shared();
        let clock = lock(&shared.clock).clone();
        if let Some(wait) = lock(&shared.refused_sign_ins).wait(agent, THIS_DESKTOP, clock.now()) {
            return Err(BackendError::SignInRefused(format!(
                "too many refused sign-ins for {agent}: try again in {wait} s"
            )));
        }
        let options = desktop_options(&shared.bus, agent, password.expose());
        let url = shared.bus.url.clone();
        match handle.block_on(crate::connect(&url, options)) {
            Ok(client) => {
                lock(&shared.refused_sign_ins).succeeded(agent);
                Ok(client)
            }
            Err(LinkError::Refused) => {
                let now = clock.now();
                let mut refused = lock(&shared.refused_sign_ins);
                refused.failed(agent, THIS_DESKTOP, now);
                let wait = refused
                    .wait(agent, THIS_DESKTOP, now)
                    .map(|seconds| format!("; try again in {seconds} s"))
                    .unwrap_or_default();
                Err(BackendError::SignInRefused(format!(
                    "the contact center did not accept {agent}'s password, or {agent} is \
                     disabled{wait}"
                )))
            }
            Err(LinkError::Other(reason)) => Err(BackendError::SignInRefused(format!(
                "cannot reach the contact center: {reason}"
            ))),
        }
    }

    /// Closes the connection and stops what listened on it.
    fn close_connection(&self) {
        let mut session = lock(&self.shared().session);
        for task in session.tasks.drain(..) {
            task.abort();
        }
        *session = Session::default();
        drop(session);
        lock(&self.shared().client).take();
    }

    fn start_session_tasks(&self, agent: &str) -> Result<Vec<JoinHandle<()>>, BackendError> {
        let handle = self.link.handle().map_err(|_| BackendError::Unreachable)?;
        let shared = self.shared().clone();
        let client = shared.client().ok_or(BackendError::Unreachable)?;
        let subject = wire::events_subject(&shared.prefix, agent);
        let subscriber = handle
            .block_on(client.subscribe(subject))
            .map_err(|e| BackendError::Refused(format!("cannot listen for events: {e}")))?;
        let presence = handle
            .block_on(client.subscribe(wire::presence_subject(&shared.prefix)))
            .map_err(|e| BackendError::Refused(format!("cannot listen for colleagues: {e}")))?;
        Ok(vec![
            handle.spawn(receive_events(shared.clone(), subscriber)),
            handle.spawn(heartbeat(shared.clone(), agent.to_owned())),
            handle.spawn(fetch_directory(shared.clone(), agent.to_owned())),
            handle.spawn(watch_colleagues(shared.clone(), agent.to_owned(), presence)),
            handle.spawn(watch_link(shared.clone())),
            handle.spawn(follow_the_routing_gateway(shared)),
        ])
    }
}

fn reply_result(answer: &[u8]) -> Result<(), BackendError> {
    match serde_json::from_slice::<Reply>(answer) {
        Ok(
            Reply::Done
            | Reply::Started { .. }
            | Reply::SignedIn { .. }
            | Reply::Present { .. }
            | Reply::Directory { .. }
            | Reply::Audit { .. },
        ) => Ok(()),
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

/// Asks the gateway for the deployment's directory until it gives it, then hands it to the
/// desk (the Team Communicator lists contacts only until then).
async fn fetch_directory(shared: Arc<Shared>, agent: String) {
    loop {
        let body = serde_json::to_vec(&Request::Directory).unwrap_or_default();
        if let Ok(answer) = shared.ask(&agent, "directory", body).await
            && let Ok(Reply::Directory { entries }) = serde_json::from_slice(&answer.payload)
        {
            *lock(&shared.directory) = Some(entries.clone());
            shared.push(BackendEvent::Directory { entries });
            return;
        }
        tracing::debug!("desktop: no gateway gave the directory yet");
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
    let Some(client) = shared.client() else {
        return;
    };
    let Ok(mut announcements) = client.subscribe(wire::active_subject(&shared.prefix)).await else {
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
            Ok(WireEvent::SignedOut { reason }) => {
                // The gateway answers nothing more for this session: close the connection.
                lock(&shared.client).take();
                shared.push(BackendEvent::SignedOut { reason });
            }
            Ok(event) => shared.push(event.into()),
            Err(e) => tracing::warn!("desktop: an event cannot be read: {e}"),
        }
    }
}

/// Says the agent's desktop is alive, through the gateway, Ready for what they are Ready
/// for; a gateway that does not know the agent (it took over, or their presence expired while
/// the link was down) makes the desktop sign in again.
async fn heartbeat(shared: Arc<Shared>, agent: String) {
    let mut every = tokio::time::interval(shared.heartbeat_every.max(Duration::from_millis(100)));
    loop {
        every.tick().await;
        let ready = lock(&shared.session).ready.clone();
        let Ok(body) = serde_json::to_vec(&Request::Heartbeat { ready }) else {
            continue;
        };
        match shared.ask(&agent, "heartbeat", body).await {
            Ok(answer) if says_not_signed_in(&answer.payload) => {
                if !sign_in_again(&shared).await {
                    tracing::debug!("desktop: {agent} is not signed in on the gateway yet");
                }
            }
            Ok(_) => {}
            Err(e) => tracing::debug!("desktop: heartbeat of {agent}: {e}"),
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
        if up {
            let agent = lock(&shared.session).agent.clone();
            if let Some(agent) = agent {
                ask_present(&shared, &agent).await;
            }
        }
    }
}

/// Asks the gateway who is present now; true when it answered.
async fn ask_present(shared: &Shared, agent: &str) -> bool {
    let body = serde_json::to_vec(&Request::Present).unwrap_or_default();
    let Ok(answer) = shared.ask(agent, "present", body).await else {
        return false;
    };
    let Ok(Reply::Present { agents }) = serde_json::from_slice(&answer.payload) else {
        return false;
    };
    let mut colleagues = lock(&shared.colleagues);
    colleagues.clear();
    colleagues.extend(
        agents
            .into_iter()
            .filter_map(|p| p.ready.map(|ready| (p.agent, ready))),
    );
    true
}

/// Keeps the colleagues present now: who is present at first (asked until a gateway
/// answers), then every change the routing gateway tells.
async fn watch_colleagues(shared: Arc<Shared>, agent: String, mut changes: async_nats::Subscriber) {
    while !ask_present(&shared, &agent).await {
        tokio::time::sleep(DIRECTORY_RETRY).await;
    }
    while let Some(message) = changes.next().await {
        let Ok(change) = serde_json::from_slice::<WirePresence>(&message.payload) else {
            continue;
        };
        let mut colleagues = lock(&shared.colleagues);
        match change.ready {
            Some(ready) => {
                colleagues.insert(change.agent, ready);
            }
            None => {
                colleagues.remove(&change.agent);
            }
        }
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
            Ok(answer) if reply_result(&answer.payload).is_ok() => {
                if let Ok(Reply::SignedIn { session, .. }) = serde_json::from_slice(&answer.payload)
                {
                    lock(&shared.session).gateway_session = Some(session);
                }
            }
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
        self.close_connection();
        let client = self.open_connection(session)?;
        *lock(&self.shared().client) = Some(client);
        self.shared().link_up.store(true, Ordering::SeqCst);
        let body = serde_json::to_vec(&Request::sign_in(session))
            .map_err(|e| BackendError::Refused(format!("cannot encode the request: {e}")))?;
        let answer = match self.link.ask_as(&session.agent, "sign_in", body) {
            Ok(answer) => answer,
            Err(e) => {
                self.close_connection();
                return Err(BackendError::SignInRefused(format!(
                    "the contact center's gateway did not answer: {e}"
                )));
            }
        };
        let gateway_session = match serde_json::from_slice::<Reply>(&answer) {
            Ok(Reply::SignedIn { session, .. }) => session,
            _ => {
                self.close_connection();
                reply_result(&answer)?;
                // A gateway before version 2 answers the sign-in with a plain Done.
                return Err(BackendError::SignInRefused(format!(
                    "this desktop speaks version {} of the contact center's protocol and the \
                     gateway an older one: upgrade the gateway",
                    wire::WIRE_VERSION
                )));
            }
        };
        {
            let mut current = lock(&self.shared().session);
            current.agent = Some(session.agent.clone());
            current.signed_in_as = Some(session.clone());
            current.gateway_session = Some(gateway_session);
            current.ready = Vec::new();
        }
        let tasks = self.start_session_tasks(&session.agent);
        match tasks {
            Ok(tasks) => {
                lock(&self.shared().session).tasks = tasks;
                Ok(())
            }
            Err(e) => {
                self.close_connection();
                Err(e)
            }
        }
    }

    fn sign_out(&self, agent: &str) -> Result<(), BackendError> {
        self.as_signed_in(agent)?;
        let result = self.request(agent, &Request::SignOut);
        self.close_connection();
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
        self.ask_to_start(
            &conversation.agent,
            &Request::StartConversation {
                target: (&conversation.target).into(),
                media_type: conversation.media_type,
                case_data: conversation.case_data,
                consulting: conversation.consulting,
            },
        )
    }

    fn start_outbound(&self, outbound: NewOutbound) -> Result<String, BackendError> {
        self.as_signed_in(&outbound.agent)?;
        self.ask_to_start(
            &outbound.agent,
            &Request::StartOutbound {
                contact_id: outbound.contact_id,
                address: outbound.address,
                media_type: outbound.media_type,
            },
        )
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

    fn administer(&self, action: AccountAction) -> Result<AccountAnswer, BackendError> {
        let action = match action {
            AccountAction::Disable { agent } => WireAccountAction::Disable { agent },
            AccountAction::Enable { agent } => WireAccountAction::Enable { agent },
            AccountAction::SetPassword { agent, password } => WireAccountAction::SetPassword {
                agent,
                password: WirePassword(password.expose().to_owned()),
            },
            AccountAction::AuditTrail { agent, limit } => {
                WireAccountAction::AuditTrail { agent, limit }
            }
            other => {
                return Err(BackendError::Refused(format!(
                    "this desktop cannot ask the gateway for {other:?}"
                )));
            }
        };
        let agent = self.agent()?;
        let request = Request::Administer { action };
        let body = serde_json::to_vec(&request)
            .map_err(|e| BackendError::Refused(format!("cannot encode the request: {e}")))?;
        let answer = self
            .link
            .ask_as(&agent, request.verb(), body)
            .map_err(|_| BackendError::Unreachable)?;
        match serde_json::from_slice::<Reply>(&answer) {
            Ok(Reply::Audit { lines }) => Ok(AccountAnswer::Audit(lines)),
            _ => reply_result(&answer).map(|()| AccountAnswer::Done),
        }
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
            Some(ready) if ready.is_empty() => Presence::NotReady,
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
