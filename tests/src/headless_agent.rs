//! A headless agent: the real desk and channel plugins over the cluster platform, without a
//! window, driven by script. It signs in, goes Ready, accepts what it is offered, replies and
//! is done, so tests (and load runs) can have many agents on one machine.

use std::{
    path::PathBuf,
    sync::{Arc, Mutex, mpsc},
    time::Duration,
};

use switchboard_core::{
    clock::SystemClock, config::Config, desk::Desk, plugin_host::PluginCatalog,
};
use switchboard_platform_cluster::desktop::ClusterBackend;

/// One agent's desk on the cluster.
pub struct HeadlessAgent {
    /// The desk, as the window would drive it.
    pub desk: Desk,
    /// Its platform (tests count its round trips).
    pub backend: Arc<ClusterBackend>,
    woke: mpsc::Receiver<()>,
}

impl HeadlessAgent {
    /// `agent` of the SMS team `team` (see [`sms_team_config`]) on SMS page mode, with the
    /// real `sms_page` plugin library, Ready: what most cluster tests need.
    pub fn on_sms_page(
        nats: &str,
        prefix: &str,
        presence: Duration,
        team: &[&str],
        agent: &str,
    ) -> Self {
        Self::sign_in(
            nats,
            prefix,
            presence,
            sms_team_config(team),
            &[crate::library("sms_page")],
            agent,
            "sms-page",
        )
    }

    /// Joins the deployment `prefix` on `nats`, signs `agent` in (an agent of `config`) with
    /// the channel plugins in `libraries`, and makes them Ready on `channel`.
    pub fn sign_in(
        nats: &str,
        prefix: &str,
        presence: Duration,
        config: Config,
        libraries: &[PathBuf],
        agent: &str,
        channel: &str,
    ) -> Self {
        let backend =
            Arc::new(ClusterBackend::connect(nats, prefix, presence).expect("desktop connected"));
        let records = Arc::new(backend.records());
        let mut catalog = PluginCatalog::new();
        for library in libraries {
            catalog.add_library(library);
        }
        let mut desk = Desk::new(
            config,
            records,
            Arc::new(SystemClock),
            backend.clone(),
            catalog,
        );
        let (tell, woke) = mpsc::channel();
        let tell = Mutex::new(tell);
        desk.set_waker(Arc::new(move || {
            let _ = tell.lock().map(|t| t.send(()));
        }));
        desk.sign_in_with(agent, Some(password_of(agent)))
            .expect("signed in");
        desk.set_ready(channel, true).expect("ready");
        Self {
            desk,
            backend,
            woke,
        }
    }

    /// Waits until something arrives for the desk, at most `within`; true if it did.
    pub fn wait(&self, within: Duration) -> bool {
        let arrived = self.woke.recv_timeout(within).is_ok();
        while self.woke.try_recv().is_ok() {}
        arrived
    }

    /// Pumps the desk until `done` holds, at most `within`; true if it did.
    pub fn until(&mut self, within: Duration, mut done: impl FnMut(&Self) -> bool) -> bool {
        let deadline = std::time::Instant::now() + within;
        loop {
            self.desk.pump();
            if done(self) {
                return true;
            }
            if std::time::Instant::now() > deadline {
                return false;
            }
            self.wait(Duration::from_millis(50));
        }
    }

    /// One round of work: takes what arrived, accepts every offer, and answers every open
    /// interaction whose last message is the customer's with `reply(first message)` (page mode
    /// closes it as it sends). Returns the interactions answered.
    pub fn work(&mut self, reply: impl Fn(&str) -> String) -> Vec<String> {
        self.desk.pump();
        let offered: Vec<String> = self
            .desk
            .offers()
            .iter()
            .map(|o| o.row.id.clone())
            .collect();
        for id in offered {
            // An offer withdrawn meanwhile is refused with a reason: the next round goes on.
            let _ = self.desk.accept(&id);
        }
        // The answers' outcomes: what was accepted is open before the replies.
        self.desk.settle();
        let waiting: Vec<(String, String)> = self
            .desk
            .interactions()
            .iter()
            .filter(|open| {
                open.transcript
                    .last()
                    .is_some_and(|e| e.role() == Some(switchboard_sdk::Role::Contact))
            })
            .map(|open| {
                let first = open
                    .transcript
                    .first()
                    .map(|e| e.text.to_string())
                    .unwrap_or_default();
                (open.row.id.clone(), first)
            })
            .collect();
        let mut sent = Vec::new();
        for (id, first) in waiting {
            if let Some(open) = self.desk.interaction_mut(&id) {
                open.draft = reply(&first);
            }
            self.desk.composer_changed(&id);
            if self.desk.send(&id).is_ok() {
                sent.push(id);
            }
        }
        // Send and close: answered once the reply is saved and the interaction closed.
        self.desk.settle();
        self.desk.pump();
        sent.retain(|id| self.desk.interaction(id).is_none());
        sent
    }
}

/// A configuration where every agent of `agents` is in role `sms`, on SMS page mode.
pub fn sms_team_config(agents: &[&str]) -> Config {
    let listed: String = agents
        .iter()
        .map(|a| format!("[[agents]]\nid = \"{a}\"\nname = \"{a}\"\nrole = \"sms\"\n"))
        .collect();
    Config::parse(
        &format!(
            "[shell]\noffer_timeout_seconds = 30\n[roles.sms]\nchannels = [\"sms-page\"]\n{listed}"
        ),
        "team configuration",
    )
    .expect("configuration")
}

/// The machine's test database (`SWITCHBOARD_TEST_DATABASE`, else the local `test` database).
pub fn test_database() -> String {
    std::env::var("SWITCHBOARD_TEST_DATABASE")
        .unwrap_or_else(|_| "host=127.0.0.1 user=postgres dbname=test".into())
}

/// The password the tests give an agent.
pub fn password_of(agent: &str) -> switchboard_seam::secret::Secret {
    switchboard_seam::secret::Secret::new(format!("{agent}-password"))
}

/// Sets each agent's password in the gateway's records, as `switchboard set-password` does.
pub fn enroll(gateway: &switchboard_platform_cluster::gateway::Gateway, agents: &[&str]) {
    for agent in agents {
        switchboard_platform_cluster::passwords::enroll(
            gateway.store(),
            agent,
            &password_of(agent),
            switchboard_sdk::Timestamp(0),
        )
        .expect("password set");
    }
}

/// A small deployment for one test: a NATS server of its own (configured as
/// `switchboard gateway nats-config` writes it), a gateway over a schema of its own that lets
/// every enrolled agent take the channels they ask for, and `agents` enrolled. Dropping it
/// stops both and drops the schema.
pub struct TestDeployment {
    /// The gateway (shared with the doors in front of it).
    pub gateway: Arc<switchboard_platform_cluster::gateway::Gateway>,
    /// The NATS server.
    pub server: switchboard_platform_cluster::nats_server::NatsServer,
    /// The deployment's subject prefix.
    pub prefix: String,
    schema: String,
    _dir: tempfile::TempDir,
}

impl TestDeployment {
    /// Starts one named `name` (letters and digits), presence living `presence`.
    pub fn start(name: &str, presence: Duration, agents: &[&str]) -> Self {
        let settings = switchboard_platform_cluster::gateway::GatewaySettings {
            roles: switchboard_seam::roles::RolePolicies::unrestricted(),
            ..Default::default()
        };
        Self::start_with(name, presence, agents, settings)
    }

    /// [`TestDeployment::start`] with the gateway's settings (its roles, numbers).
    pub fn start_with(
        name: &str,
        presence: Duration,
        agents: &[&str],
        settings: switchboard_platform_cluster::gateway::GatewaySettings,
    ) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let server =
            switchboard_platform_cluster::nats_server::NatsServer::start(dir.path().to_path_buf())
                .expect("nats-server");
        let schema = format!("t{}_{name}", std::process::id());
        let store =
            switchboard_store_postgres::PgStore::connect(&test_database(), &schema).expect("store");
        let prefix = format!("{name}{}", std::process::id());
        let gateway = switchboard_platform_cluster::gateway::Gateway::start_with(
            &server.gateway_bus(),
            &prefix,
            store,
            Arc::new(SystemClock),
            presence,
            settings,
        )
        .expect("gateway");
        enroll(&gateway, agents);
        Self {
            gateway: Arc::new(gateway),
            server,
            prefix,
            schema,
            _dir: dir,
        }
    }
}

impl Drop for TestDeployment {
    fn drop(&mut self) {
        if let Ok(store) =
            switchboard_store_postgres::PgStore::connect(&test_database(), &self.schema)
        {
            let _ = store.drop_schema();
        }
    }
}
