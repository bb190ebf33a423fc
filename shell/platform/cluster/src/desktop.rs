//! A desktop's side of the cluster platform: the seam's `Backend` over NATS. It holds no
//! database credentials; every request goes to the gateway (request-reply, under its own
//! agent's subject), events arrive on the agent's subject and wait for the desk's `poll`, and
//! a heartbeat keeps the agent present while the desktop lives.

use std::{
    collections::VecDeque,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use futures_util::StreamExt;
use switchboard_seam::{
    backend::{
        AgentSession, Backend, BackendError, BackendEvent, NumberFacts, OutboundMessage,
        TransferRequest, Waker,
    },
    routing::AnswerRefused,
};
use tokio::task::JoinHandle;

use crate::{
    ClusterError, Link, lock,
    presence::{AgentPresence, PresenceBoard},
    wire::{self, OfferRefusal, Reply, Request, WireEvent},
};

/// How long a desktop waits for the gateway's answer.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(3);

#[derive(Default)]
struct Session {
    agent: Option<String>,
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
}

/// The cluster platform as one desktop sees it. Dropping it stops its heartbeat without
/// signing out, as a crash would: the gateway withdraws the agent's offers when the presence
/// expires.
pub struct ClusterBackend {
    shared: Arc<Shared>,
    runtime: Option<tokio::runtime::Runtime>,
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
        Ok(Self {
            shared: Arc::new(Shared {
                prefix: prefix.to_owned(),
                client,
                presence,
                heartbeat_every: presence_ttl / 3,
                events: Mutex::new(VecDeque::new()),
                waker: Mutex::new(None),
                link_up: AtomicBool::new(true),
                session: Mutex::new(Session::default()),
            }),
            runtime: Some(runtime),
        })
    }

    fn runtime(&self) -> Result<&tokio::runtime::Runtime, BackendError> {
        self.runtime.as_ref().ok_or(BackendError::Unreachable)
    }

    fn agent(&self) -> Result<String, BackendError> {
        lock(&self.shared.session)
            .agent
            .clone()
            .ok_or_else(|| BackendError::Refused("nobody is signed in on this desktop".into()))
    }

    /// Sends a request for the signed-in agent (or `agent` at sign-in) and reads the reply.
    fn request(&self, agent: &str, request: &Request) -> Result<(), BackendError> {
        let subject = wire::request_subject(&self.shared.prefix, agent, request.verb());
        let body = serde_json::to_vec(request)
            .map_err(|e| BackendError::Refused(format!("cannot encode the request: {e}")))?;
        let client = self.shared.client.clone();
        let answer = self.runtime()?.block_on(async move {
            tokio::time::timeout(REQUEST_TIMEOUT, client.request(subject, body.into())).await
        });
        let message = match answer {
            Ok(Ok(message)) => message,
            Ok(Err(_)) | Err(_) => {
                self.shared.link_up.store(false, Ordering::SeqCst);
                return Err(BackendError::Unreachable);
            }
        };
        self.shared.link_up.store(true, Ordering::SeqCst);
        match serde_json::from_slice::<Reply>(&message.payload) {
            Ok(Reply::Done) => Ok(()),
            Ok(Reply::OfferRefused { kind, .. }) => Err(BackendError::Offer(match kind {
                OfferRefusal::Withdrawn => AnswerRefused::Withdrawn,
                OfferRefusal::Expired => AnswerRefused::Expired,
                OfferRefusal::NotYours => AnswerRefused::NotYours,
            })),
            Ok(Reply::Refused { reason }) => Err(BackendError::Refused(reason)),
            Err(e) => Err(BackendError::Refused(format!(
                "the gateway's answer cannot be read: {e}"
            ))),
        }
    }

    /// Refuses to act for anyone but the agent signed in on this desktop. (The boundary that
    /// holds against a modified desktop is the NATS server's per-desktop permissions on
    /// `P.gw.<agent>.>`, see ARCHITECTURE.md; this keeps an honest desktop honest.)
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
        let runtime = self.runtime()?;
        let subscriber = runtime
            .block_on(
                self.shared
                    .client
                    .subscribe(wire::events_subject(&self.shared.prefix, agent)),
            )
            .map_err(|e| BackendError::Refused(format!("cannot listen for events: {e}")))?;
        let events = runtime.spawn(receive_events(self.shared.clone(), subscriber));
        let heartbeat = runtime.spawn(heartbeat(self.shared.clone(), agent.to_owned()));
        Ok(vec![events, heartbeat])
    }
}

async fn receive_events(shared: Arc<Shared>, mut subscriber: async_nats::Subscriber) {
    while let Some(message) = subscriber.next().await {
        match serde_json::from_slice::<WireEvent>(&message.payload) {
            Ok(event) => {
                lock(&shared.events).push_back(event.into());
                let waker = lock(&shared.waker).clone();
                if let Some(wake) = waker {
                    wake();
                }
            }
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
            tracing::warn!("desktop: heartbeat of {agent}: {e}");
        }
    }
}

impl Backend for ClusterBackend {
    fn link_up(&self) -> bool {
        self.shared.link_up.load(Ordering::SeqCst)
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
        let mut current = lock(&self.shared.session);
        for task in current.tasks.drain(..) {
            task.abort();
        }
        *current = Session {
            agent: Some(session.agent.clone()),
            ready: Vec::new(),
            tasks,
        };
        Ok(())
    }

    fn sign_out(&self, agent: &str) -> Result<(), BackendError> {
        self.as_signed_in(agent)?;
        let result = self.request(agent, &Request::SignOut);
        let mut session = lock(&self.shared.session);
        for task in session.tasks.drain(..) {
            task.abort();
        }
        *session = Session::default();
        drop(session);
        if let Ok(runtime) = self.runtime() {
            let _ = runtime.block_on(self.shared.presence.leave(agent));
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
        let mut session = lock(&self.shared.session);
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
        Err(BackendError::Refused(format!(
            "interaction {}: sending through the cluster gateway is not built yet",
            message.interaction
        )))
    }

    fn transfer(&self, request: TransferRequest) -> Result<(), BackendError> {
        Err(BackendError::Refused(format!(
            "interaction {}: transfers between desktops are not built yet",
            request.interaction
        )))
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

    fn poll(&self) -> Vec<BackendEvent> {
        lock(&self.shared.events).drain(..).collect()
    }

    fn set_waker(&self, waker: Waker) {
        *lock(&self.shared.waker) = Some(waker);
    }
}

impl Drop for ClusterBackend {
    fn drop(&mut self) {
        for task in lock(&self.shared.session).tasks.drain(..) {
            task.abort();
        }
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_timeout(Duration::from_secs(1));
        }
    }
}
