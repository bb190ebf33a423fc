//! One scenario, both platforms: a [`Floor`] is a signed-in agent's real desk and channel
//! plugins over a platform, with a way for customers to write to it and for the test to read
//! the platform's records. The parity suite (`tests/parity.rs`) writes each scenario once
//! against a floor and runs it on the embedded platform ([`EmbeddedFloor`], in process) and on
//! the cluster ([`ClusterFloor`]: a real NATS server, a gateway over PostgreSQL whose roles
//! come from the same configuration as the desk's). A feature that works on one platform only
//! fails the suite.

use std::{
    path::PathBuf,
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
        mpsc,
    },
    time::{Duration, Instant},
};

use switchboard_core::{config::Config, desk::Desk};
use switchboard_edge::{ChatConnection, ChatDoor, WebhookServer, WebhookSettings};
use switchboard_platform_cluster::gateway::{GatewayChat, GatewayRooms, GatewayWebhook, PagesLink};
use switchboard_seam::{records::Records, roles::RolePolicies};

use switchboard_platform_embedded::ColleagueReply;

use crate::{
    World,
    headless_agent::{HeadlessAgent, TestDeployment},
};

/// The number customers write to for page mode.
pub const MAIN_NUMBER: &str = "+15550100";
/// The session-mode number (the embedded platform's default, given to the gateway too).
pub const SESSION_NUMBER: &str = switchboard_platform_embedded::DEFAULT_SESSION_NUMBER;

/// Ada's (and Grace's) role: SMS page and session mode, MMS, WhatsApp, web chat and instant
/// messages; outbound SMS, contact assignment and pushed links granted; a disposition needed
/// before Done on session mode.
pub fn config() -> Config {
    let mut config = Config::parse(
        "[shell]\noffer_timeout_seconds = 30\n\
         [roles.parity]\nchannels = [\"sms-page\", \"sms-session\", \"whatsapp\", \"chat\", \"internal-im\", \"mms\"]\n\
         permissions = [\"outbound-sms\", \"assign-contact\", \"push-url\", \"internal-im\"]\n\
         dispositions_required = [\"sms-session\"]\n\
         [[agents]]\nid = \"ada\"\nname = \"Ada Lovelace\"\nnickname = \"Ada\"\nrole = \"parity\"\n\
         [[agents]]\nid = \"grace\"\nname = \"Grace Hopper\"\nnickname = \"Grace\"\nrole = \"parity\"\n",
        "parity configuration",
    )
    .expect("configuration");
    config.dispositions = Config::embedded().dispositions;
    config
}

/// The channel plugins the parity desks load.
pub fn libraries() -> Vec<PathBuf> {
    [
        "sms_page",
        "sms_session",
        "whatsapp",
        "chat",
        "internal_im",
        "mms",
    ]
    .into_iter()
    .map(crate::library)
    .collect()
}

/// The channels Ada and Grace are Ready on.
pub const CHANNELS: &[&str] = &[
    "sms-page",
    "sms-session",
    "whatsapp",
    "chat",
    "internal-im",
    "mms",
];

/// How long a scenario waits for something the platform does before it fails.
const WITHIN: Duration = Duration::from_secs(10);

/// A signed-in agent on a platform, as the parity scenarios drive it.
pub trait Floor {
    /// `embedded` or `cluster`, for failure messages.
    fn platform(&self) -> &'static str;
    /// The agent's desk.
    fn desk(&self) -> &Desk;
    /// The agent's desk, to act on.
    fn desk_mut(&mut self) -> &mut Desk;
    /// The platform's own records (what a restarted desk would read).
    fn records(&self) -> &dyn Records;
    /// A customer's message reaches the platform (as through the provider's webhook).
    fn customer_writes(&mut self, from: &str, to: &str, body: &str);
    /// Waits until something arrives for the desk, at most `within`.
    fn wait_for_news(&self, within: Duration);
    /// Where the platform's provider webhook listens (started the first time it is asked).
    fn webhook(&mut self) -> std::net::SocketAddr;
    /// A customer opens the chat page under `name` (as the edge's page server hands it over).
    fn customer_opens_chat(&mut self, name: &str) -> Page;
    /// The customer writes `text` on their page; stored before it returns.
    fn customer_chats(&mut self, page: &Page, text: &str);
    /// The customer ends the chat from their page.
    fn customer_ends_chat(&mut self, page: &Page);
    /// The colleague `agent` (of the configuration) takes (or refuses) what they are offered
    /// from now on: transfers and invitations.
    fn colleague_answers(&mut self, agent: &str, accept: bool);
    /// Colleagues answer what they were offered (each wait of [`Floor::until`] lets them).
    fn let_colleagues_act(&mut self) {}

    /// Pumps the desk until `done` holds; panics naming `what` and the platform when it does
    /// not within ten seconds.
    fn until(&mut self, what: &str, mut done: impl FnMut(&Desk) -> bool)
    where
        Self: Sized,
    {
        let deadline = Instant::now() + WITHIN;
        loop {
            self.let_colleagues_act();
            self.desk_mut().pump();
            if done(self.desk()) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "on the {} platform, never: {what}",
                self.platform()
            );
            self.desk_mut().settle();
            self.wait_for_news(Duration::from_millis(50));
        }
    }

    /// Waits for an offer of the interaction whose first message is `text`, accepts it and
    /// waits until it is open; returns its id.
    fn accept_offer_of(&mut self, text: &str) -> String
    where
        Self: Sized,
    {
        let mut id = String::new();
        self.until(&format!("an offer of “{text}”"), |desk| {
            desk.offers()
                .iter()
                .find(|o| {
                    o.first_message
                        .as_ref()
                        .is_some_and(|e| e.text.as_str() == text)
                })
                .map(|o| id = o.row.id.clone())
                .is_some()
        });
        self.desk_mut().accept(&id).expect("accepted");
        self.desk_mut().settle();
        self.until(&format!("{id} open"), |desk| {
            desk.interaction(&id).is_some()
        });
        id
    }

    /// Waits until the open interaction's transcript holds a line of exactly `text`.
    fn until_line(&mut self, interaction: &str, text: &str)
    where
        Self: Sized,
    {
        self.until(&format!("“{text}” in {interaction}"), |desk| {
            desk.interaction(interaction)
                .is_some_and(|open| open.transcript.iter().any(|e| e.text.as_str() == text))
        });
    }

    /// The platform's record of an interaction.
    fn row(&self, interaction: &str) -> switchboard_seam::records::InteractionRow {
        self.records()
            .interaction(interaction)
            .expect("read")
            .unwrap_or_else(|| panic!("{interaction} kept by the platform"))
    }

    /// The contact an open interaction shows (the sender's record).
    fn contact_of(&self, interaction: &str) -> switchboard_core::store::Contact {
        self.desk()
            .interaction(interaction)
            .and_then(|open| open.contact.clone())
            .unwrap_or_else(|| panic!("{interaction} shows its contact"))
    }

    /// The colleague `id` as the Team Communicator finds them.
    fn colleague(&self, id: &str) -> switchboard_core::directory::Target {
        self.desk()
            .team_search(id)
            .into_iter()
            .map(|r| r.target)
            .find(|t| t.id == id)
            .unwrap_or_else(|| panic!("{id} in the directory"))
    }

    /// Consults `colleague` from the customer interaction `about`; returns the consultation's
    /// id (a pane inside the interaction).
    fn consult(&mut self, about: &str, colleague: &str) -> String {
        let target = self.colleague(colleague);
        self.desk_mut().action(about, "consult").expect("consult");
        self.desk_mut()
            .choose_target(about, &target)
            .expect("chosen");
        self.desk()
            .consultation_of(about)
            .expect("a consultation pane inside the interaction")
            .row
            .id
            .clone()
    }

    /// The agent types `text` in the interaction's composer and presses Send.
    fn agent_sends(&mut self, interaction: &str, text: &str)
    where
        Self: Sized,
    {
        let desk = self.desk_mut();
        desk.interaction_mut(interaction).expect("open").draft = text.to_owned();
        desk.composer_changed(interaction);
        desk.send(interaction).expect("sent");
        desk.settle();
    }

    /// Pumps the desk until the page gets a frame `wanted` holds for; returns it. Panics naming
    /// `what` and the platform when it does not come within ten seconds.
    fn until_page(
        &mut self,
        page: &mut Page,
        what: &str,
        wanted: impl Fn(&serde_json::Value) -> bool,
    ) -> serde_json::Value
    where
        Self: Sized,
    {
        let deadline = Instant::now() + WITHIN;
        loop {
            self.desk_mut().pump();
            if let Some(frame) = page.take().into_iter().find(|f| wanted(f)) {
                return frame;
            }
            assert!(
                Instant::now() < deadline,
                "on the {} platform, the page never got: {what}",
                self.platform()
            );
            self.desk_mut().settle();
            self.wait_for_news(Duration::from_millis(20));
        }
    }

    /// The texts of an open interaction's transcript, in order.
    fn texts(&self, interaction: &str) -> Vec<String> {
        self.desk()
            .interaction(interaction)
            .map(|i| i.transcript.iter().map(|e| e.text.to_string()).collect())
            .unwrap_or_default()
    }
}

/// A customer's chat page: the room it is in and what the room sends it.
pub struct Page {
    /// The room.
    pub connection: ChatConnection,
    frames: tokio::sync::mpsc::UnboundedReceiver<String>,
}

impl Page {
    /// What the room sent the page so far, oldest first, as JSON.
    pub fn take(&mut self) -> Vec<serde_json::Value> {
        let mut frames = Vec::new();
        while let Ok(frame) = self.frames.try_recv() {
            frames.push(serde_json::from_str(&frame).expect("a JSON frame"));
        }
        frames
    }
}

fn open_page(door: &impl ChatDoor, name: &str) -> Page {
    let (page, frames) = tokio::sync::mpsc::unbounded_channel();
    Page {
        connection: door.start(name, page),
        frames,
    }
}

/// The desk's waker, as a channel the floor waits on.
fn woken(desk: &mut Desk) -> mpsc::Receiver<()> {
    let (tell, woke) = mpsc::channel();
    let tell = Mutex::new(tell);
    desk.set_waker(Arc::new(move || {
        let _ = tell.lock().map(|t| t.send(()));
    }));
    woke
}

fn wait_on(woke: &mpsc::Receiver<()>, within: Duration) {
    let _ = woke.recv_timeout(within);
    while woke.try_recv().is_ok() {}
}

/// Ada on the embedded platform, in process.
pub struct EmbeddedFloor {
    /// The desk, its store and platform.
    pub world: World,
    webhook: Option<WebhookServer>,
    woke: mpsc::Receiver<()>,
}

impl EmbeddedFloor {
    /// Signs `ada` of `config` in with the plugins in `libraries`, Ready on `channels`.
    pub fn start(config: Config, libraries: &[PathBuf], channels: &[&str]) -> Self {
        let mut world = World::new(libraries, config);
        let woke = woken(&mut world.desk);
        world.desk.sign_in("ada").expect("signed in");
        for channel in channels {
            world.desk.set_ready(channel, true).expect("ready");
        }
        Self {
            world,
            webhook: None,
            woke,
        }
    }
}

impl Floor for EmbeddedFloor {
    fn platform(&self) -> &'static str {
        "embedded"
    }

    fn desk(&self) -> &Desk {
        &self.world.desk
    }

    fn desk_mut(&mut self) -> &mut Desk {
        &mut self.world.desk
    }

    fn records(&self) -> &dyn Records {
        &self.world.store
    }

    fn customer_writes(&mut self, from: &str, to: &str, body: &str) {
        self.world.customer_writes_to(from, to, body);
    }

    fn wait_for_news(&self, within: Duration) {
        wait_on(&self.woke, within);
    }

    fn webhook(&mut self) -> std::net::SocketAddr {
        let platform = &self.world.platform;
        self.webhook
            .get_or_insert_with(|| platform.start_webhook(0).expect("webhook"))
            .address()
    }

    fn customer_opens_chat(&mut self, name: &str) -> Page {
        open_page(&self.world.platform, name)
    }

    fn customer_chats(&mut self, page: &Page, text: &str) {
        self.world
            .platform
            .says(&page.connection.token, text)
            .expect("stored");
    }

    fn customer_ends_chat(&mut self, page: &Page) {
        self.world.platform.ends(&page.connection.token);
    }

    fn colleague_answers(&mut self, agent: &str, accept: bool) {
        // The platform's simulated colleague answers at once, on the host clock.
        let reply = if accept {
            ColleagueReply::Accept { after_seconds: 0 }
        } else {
            ColleagueReply::Reject {
                after_seconds: 0,
                reason: "in a meeting".into(),
            }
        };
        self.world.platform.script_colleague(agent, reply);
    }
}

/// Ada on the cluster: a NATS server and a gateway of the test's own, whose roles are the
/// configuration's (the gateway decides them), and Ada's desk signed in through the bus.
pub struct ClusterFloor {
    // The doors in front of the gateway go first (fields drop in order): the gateway is let go
    // on the test's thread, never on a server's.
    webhook: Option<WebhookServer>,
    chat: GatewayChat,
    /// Ada's desk over the cluster.
    pub agent: HeadlessAgent,
    /// Colleagues signed in on desks of their own, and whether each takes what is offered.
    pub colleagues: Vec<(HeadlessAgent, bool)>,
    /// The NATS server and gateway.
    pub deployment: TestDeployment,
    config: Config,
    libraries: Vec<PathBuf>,
    channels: Vec<String>,
    woke: mpsc::Receiver<()>,
    sent: u64,
}

impl ClusterFloor {
    /// Starts a deployment of its own and signs `ada` of `config` in with the plugins in
    /// `libraries`, Ready on `channels`.
    pub fn start(config: Config, libraries: &[PathBuf], channels: &[&str]) -> Self {
        static STARTED: AtomicUsize = AtomicUsize::new(0);
        let name = format!("parity{}", STARTED.fetch_add(1, Ordering::Relaxed));
        let presence = Duration::from_secs(5);
        let rooms = GatewayRooms::default();
        let settings = switchboard_platform_cluster::gateway::GatewaySettings {
            session_number: Some(SESSION_NUMBER.to_owned()),
            roles: RolePolicies::of(config.agent_policies()),
            pages: Some(PagesLink(Arc::new(rooms.clone()))),
            ..Default::default()
        };
        let agents: Vec<&str> = config.agents.iter().map(|a| a.id.as_str()).collect();
        let settings = switchboard_platform_cluster::gateway::GatewaySettings {
            directory: Some(config.directory_entries()),
            ..settings
        };
        let deployment = TestDeployment::start_with(&name, presence, &agents, settings);
        let chat = GatewayChat::new(rooms, deployment.gateway.clone(), 60);
        let (first, others) = channels.split_first().expect("a channel to be Ready on");
        let mut agent = HeadlessAgent::sign_in(
            &deployment.server.url(),
            &deployment.prefix,
            presence,
            config.clone(),
            libraries,
            "ada",
            first,
        );
        for channel in others {
            agent.desk.set_ready(channel, true).expect("ready");
        }
        let woke = woken(&mut agent.desk);
        Self {
            agent,
            deployment,
            colleagues: Vec::new(),
            config,
            libraries: libraries.to_vec(),
            channels: channels.iter().map(|c| (*c).to_owned()).collect(),
            chat,
            webhook: None,
            woke,
            sent: 0,
        }
    }
}

impl Floor for ClusterFloor {
    fn platform(&self) -> &'static str {
        "cluster"
    }

    fn desk(&self) -> &Desk {
        &self.agent.desk
    }

    fn desk_mut(&mut self) -> &mut Desk {
        &mut self.agent.desk
    }

    fn records(&self) -> &dyn Records {
        self.deployment.gateway.store()
    }

    fn customer_writes(&mut self, from: &str, to: &str, body: &str) {
        self.sent += 1;
        self.deployment
            .gateway
            .receive_sms(switchboard_edge::InboundSms {
                from: from.into(),
                to: to.into(),
                body: body.into(),
                message_sid: Some(format!("SMparity{}", self.sent)),
                ..Default::default()
            })
            .expect("inbound stored");
    }

    fn wait_for_news(&self, within: Duration) {
        wait_on(&self.woke, within);
    }

    fn webhook(&mut self) -> std::net::SocketAddr {
        let gateway = &self.deployment.gateway;
        self.webhook
            .get_or_insert_with(|| {
                let settings = WebhookSettings {
                    posts_per_minute: 600,
                    connections: Default::default(),
                    provider: None,
                };
                WebhookServer::start_for(GatewayWebhook(gateway.clone()), settings, 0)
                    .expect("webhook")
            })
            .address()
    }

    fn customer_opens_chat(&mut self, name: &str) -> Page {
        open_page(&self.chat, name)
    }

    fn customer_chats(&mut self, page: &Page, text: &str) {
        self.chat
            .says(&page.connection.token, text)
            .expect("stored");
    }

    fn customer_ends_chat(&mut self, page: &Page) {
        self.chat.ends(&page.connection.token);
    }

    fn colleague_answers(&mut self, agent: &str, accept: bool) {
        if let Some(colleague) = self
            .colleagues
            .iter_mut()
            .find(|(desk, _)| desk.desk.agent().is_some_and(|a| a.id == agent))
        {
            colleague.1 = accept;
            return;
        }
        let (first, others) = self.channels.split_first().expect("a channel");
        let mut desk = HeadlessAgent::sign_in(
            &self.deployment.server.url(),
            &self.deployment.prefix,
            Duration::from_secs(5),
            self.config.clone(),
            &self.libraries,
            agent,
            first,
        );
        for channel in others {
            desk.desk.set_ready(channel, true).expect("ready");
        }
        self.colleagues.push((desk, accept));
    }

    fn let_colleagues_act(&mut self) {
        for (colleague, accept) in &mut self.colleagues {
            colleague.desk.pump();
            let offered: Vec<String> = colleague
                .desk
                .offers()
                .iter()
                .filter(|o| o.answering.is_none())
                .map(|o| o.row.id.clone())
                .collect();
            for id in offered {
                let answered = if *accept {
                    colleague.desk.accept(&id)
                } else {
                    colleague.desk.reject(&id)
                };
                // An offer withdrawn meanwhile is refused with a reason: the next round goes on.
                drop(answered);
            }
            colleague.desk.settle();
        }
    }
}
