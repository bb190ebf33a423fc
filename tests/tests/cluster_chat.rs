//! Web chat on the cluster, through the real gateway binary (its customer chat page and
//! WebSocket), two agents' real desks and `chat` plugins on desktops that hold no database
//! credentials, a NATS server this test starts and the machine's PostgreSQL. A customer
//! writes from the page: the chat is offered and accepted, typing shows both ways, messages
//! go both ways and the agent's are delivered; the agent brings a colleague into a conference
//! (he reads the whole transcript, everyone sees everyone's words), leaves, and the colleague
//! keeps the chat and ends it. The records hold every message once.

use std::{
    net::{SocketAddr, TcpStream},
    time::{Duration, Instant},
};

use serde_json::{Value, json};
use switchboard_core::{config::Config, directory::TargetKind};
use switchboard_platform_cluster::nats_server::NatsServer;
use switchboard_sdk::{DeliveryStatus, Role};
use switchboard_tests::{
    gateway_process::{GatewayProcess, set_password},
    headless_agent::{HeadlessAgent, password_of, test_database},
    library,
};
use tungstenite::{Message, WebSocket, client::IntoClientRequest};

const PRESENCE: Duration = Duration::from_secs(2);

fn configuration(server: &NatsServer, prefix: &str, schema: &str) -> String {
    let (nats, keys) = (server.url(), server.store_dir().display().to_string());
    format!(
        "[shell]\nchat_starts_per_minute = 1000\n\
         [roles.chat]\nchannels = [\"chat\"]\npermissions = [\"push-url\"]\n\
         [roles.chat.timers]\ninvitation_timeout_seconds = 30\n\
         [[agents]]\nid = \"ada\"\nname = \"Ada Lovelace\"\nrole = \"chat\"\n\
         [[agents]]\nid = \"marc\"\nname = \"Marc Dubois\"\nrole = \"chat\"\n\
         [cluster]\nnats = \"{nats}\"\nkeys = \"{keys}\"\nprefix = \"{prefix}\"\ndatabase = \"{}\"\n\
         schema = \"{schema}\"\npresence_seconds = 2\n",
        test_database()
    )
}

/// The customer's browser tab: the page's WebSocket, and every frame it received.
struct Customer {
    socket: WebSocket<TcpStream>,
    received: Vec<Value>,
}

impl Customer {
    /// Opens the chat as the page's script does (its own origin), under `name`.
    fn open(page: SocketAddr, name: &str) -> Self {
        let stream = TcpStream::connect(page).expect("chat page reached");
        stream
            .set_read_timeout(Some(Duration::from_millis(100)))
            .expect("timeout");
        let mut request = format!("ws://{page}/ws")
            .into_client_request()
            .expect("request");
        request.headers_mut().insert(
            "Origin",
            format!("http://{page}").parse().expect("origin header"),
        );
        let (socket, _) = tungstenite::client(request, stream).expect("WebSocket opened");
        let mut customer = Self {
            socket,
            received: Vec::new(),
        };
        customer.send(json!({"type": "start", "name": name}));
        customer.wait_for("the chat started", |m| m["type"] == "started");
        customer
    }

    fn send(&mut self, frame: Value) {
        self.socket
            .send(Message::text(frame.to_string()))
            .expect("frame sent");
    }

    fn says(&mut self, text: &str) {
        self.send(json!({"type": "message", "text": text}));
    }

    /// The first frame received (now or within five seconds) that `matches`.
    fn wait_for(&mut self, what: &str, matches: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            if let Some(at) = self.received.iter().position(&matches) {
                return self.received.remove(at);
            }
            assert!(
                Instant::now() < deadline,
                "the page never got {what}; it got {:?}",
                self.received
            );
            match self.socket.read() {
                Ok(Message::Text(text)) => {
                    self.received
                        .push(serde_json::from_str(text.as_str()).expect("JSON frame"));
                }
                Ok(_) => {}
                Err(tungstenite::Error::Io(e))
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(e) => panic!("the page's socket failed: {e}"),
            }
        }
    }
}

/// Pumps `agent` until `done` holds, at most five seconds.
fn until(agent: &mut HeadlessAgent, what: &str, mut done: impl FnMut(&HeadlessAgent) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        agent.desk.pump();
        if done(agent) {
            return;
        }
        assert!(Instant::now() < deadline, "never: {what}");
        agent.wait(Duration::from_millis(50));
    }
}

fn texts(agent: &HeadlessAgent, id: &str) -> Vec<(String, Option<Role>)> {
    agent
        .desk
        .interaction(id)
        .map(|open| {
            open.transcript
                .iter()
                .map(|e| (e.text.to_string(), e.role()))
                .collect()
        })
        .unwrap_or_default()
}

fn has_text(agent: &HeadlessAgent, id: &str, text: &str) -> bool {
    texts(agent, id).iter().any(|(t, _)| t == text)
}

fn badges(agent: &HeadlessAgent, id: &str) -> Vec<String> {
    let view = agent.desk.interaction(id).and_then(|o| o.view.clone());
    view.map(|v| v.badges.iter().map(|b| b.text.to_string()).collect())
        .unwrap_or_default()
}

fn write(agent: &mut HeadlessAgent, id: &str, text: &str) {
    agent.desk.interaction_mut(id).expect("open").draft = text.into();
    agent.desk.composer_changed(id);
    agent.desk.send(id).expect("sent");
    agent.desk.settle();
}

fn accept_offer(agent: &mut HeadlessAgent) -> String {
    until(agent, "an offer", |a| !a.desk.offers().is_empty());
    let id = agent.desk.offers()[0].row.id.clone();
    agent.desk.accept(&id).expect("accepted");
    agent.desk.settle();
    id
}

#[test]
fn a_web_chat_through_the_gateway_with_a_conference_between_two_desktops() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = NatsServer::start(dir.path().join("nats")).expect("nats-server");
    let prefix = format!("cc{}", std::process::id());
    let schema = format!("t{}_cluster_chat", std::process::id());
    let text = configuration(&server, &prefix, &schema);
    let config_path = dir.path().join("switchboard.toml");
    std::fs::write(&config_path, &text).expect("configuration written");
    let config = || Config::parse(&text, "chat team").expect("configuration");
    for agent in ["ada", "marc"] {
        set_password(&config_path, agent, password_of(agent).expose());
    }
    let gateway = GatewayProcess::start(&config_path, &dir.path().join("gateway.log"), &[]);
    let desk = |agent: &str| {
        let libraries = [library("chat")];
        HeadlessAgent::sign_in(
            &server.url(),
            &prefix,
            PRESENCE,
            config(),
            &libraries,
            agent,
            "chat",
        )
    };
    let mut ada = desk("ada");

    // The customer writes from the page: the chat is offered to Ada, who accepts.
    let mut customer = Customer::open(gateway.chat_page, "Camille Martin");
    customer.says("Bonjour, où en est ma commande ?");
    let id = accept_offer(&mut ada);
    assert_eq!(
        texts(&ada, &id),
        vec![(
            "Bonjour, où en est ma commande ?".to_owned(),
            Some(Role::Contact)
        )]
    );

    // Typing shows both ways.
    customer.send(json!({"type": "typing", "on": true}));
    until(&mut ada, "the customer's typing shown", |a| {
        badges(a, &id).iter().any(|b| b.contains("typing"))
    });
    ada.desk.interaction_mut(&id).expect("open").draft = "Je regarde".into();
    ada.desk.composer_changed(&id);
    let typing = customer.wait_for("the agent typing", |m| m["type"] == "typing");
    assert_eq!(typing["on"], true);

    // Messages go both ways; Ada's is delivered once the page has it.
    write(&mut ada, &id, "Bonjour Camille, je regarde.");
    let message = customer.wait_for("Ada's message", |m| m["type"] == "message");
    assert_eq!(message["text"], "Bonjour Camille, je regarde.");
    assert_eq!(message["author"], "Ada Lovelace");
    until(&mut ada, "Ada's message delivered", |a| {
        a.desk.interaction(&id).is_some_and(|open| {
            open.transcript.iter().any(|e| {
                e.text.as_str() == "Bonjour Camille, je regarde."
                    && e.status.clone().into_enum().ok() == Some(DeliveryStatus::Delivered)
            })
        })
    });
    customer.says("Merci !");
    until(&mut ada, "the customer's reply", |a| {
        has_text(a, &id, "Merci !")
    });

    // Ada brings Marc in: he reads the whole transcript.
    let mut marc = desk("marc");
    until(&mut ada, "Marc in the directory", |a| {
        a.desk
            .team_search("marc")
            .iter()
            .any(|r| r.target.kind == TargetKind::Agent)
    });
    ada.desk.action(&id, "conference").expect("conference");
    let marc_target = ada
        .desk
        .team_search("marc")
        .into_iter()
        .map(|r| r.target)
        .find(|t| t.kind == TargetKind::Agent)
        .expect("Marc");
    ada.desk.choose_target(&id, &marc_target).expect("invited");
    let offered = accept_offer(&mut marc);
    assert_eq!(offered, id, "the same chat, not a copy");
    until(&mut marc, "the whole transcript", |m| {
        has_text(m, &id, "Bonjour, où en est ma commande ?")
            && has_text(m, &id, "Bonjour Camille, je regarde.")
            && has_text(m, &id, "Merci !")
    });
    let notice = customer.wait_for("the join notice", |m| m["type"] == "notice");
    assert_eq!(notice["text"], "Marc Dubois joined the conversation.");
    until(&mut ada, "Marc shown in the chat", |a| {
        badges(a, &id).iter().any(|b| b.contains("Marc Dubois"))
    });

    // Everyone sees everyone's words.
    write(&mut marc, &id, "Votre colis part demain.");
    let from_marc = customer.wait_for("Marc's message", |m| {
        m["type"] == "message" && m["text"] == "Votre colis part demain."
    });
    assert_eq!(from_marc["author"], "Marc Dubois");
    until(&mut ada, "Marc's message at Ada's desk", |a| {
        has_text(a, &id, "Votre colis part demain.")
    });
    customer.says("Parfait");
    until(&mut ada, "the customer at Ada's desk", |a| {
        has_text(a, &id, "Parfait")
    });
    until(&mut marc, "the customer at Marc's desk", |m| {
        has_text(m, &id, "Parfait")
    });

    // Ada leaves; Marc keeps the chat and ends it.
    ada.desk.action(&id, "leave").expect("leave");
    until(&mut ada, "the chat gone from Ada's desk", |a| {
        a.desk.interaction(&id).is_none()
    });
    let left = customer.wait_for("the leave notice", |m| m["type"] == "notice");
    assert_eq!(left["text"], "Ada Lovelace left the conversation.");
    customer.says("Merci Marc");
    until(&mut marc, "the customer's thanks", |m| {
        has_text(m, &id, "Merci Marc")
    });
    marc.desk.action(&id, "end").expect("end");
    let ended = customer.wait_for("the end", |m| m["type"] == "ended");
    assert!(
        ended["text"]
            .as_str()
            .is_some_and(|t| t.starts_with("Marc Dubois ended the chat")),
        "{ended}"
    );

    // The records hold each message once: the customer's four and the agents' two, besides
    // the agents' own system lines.
    let mut database = postgres::Client::connect(&test_database(), postgres::NoTls).expect("db");
    let rows = database
        .query(
            &format!(
                "SELECT body, role FROM {schema}.messages WHERE interaction_id = $1 \
                 AND role IN ('contact', 'agent') ORDER BY time_ms, id"
            ),
            &[&id],
        )
        .expect("read");
    let stored: Vec<(String, String)> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
    let bodies: Vec<&str> = stored.iter().map(|(b, _)| b.as_str()).collect();
    assert_eq!(
        bodies,
        vec![
            "Bonjour, où en est ma commande ?",
            "Bonjour Camille, je regarde.",
            "Merci !",
            "Votre colis part demain.",
            "Parfait",
            "Merci Marc",
        ]
    );
    drop((ada, marc, gateway));
    database
        .batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
        .expect("dropped");
}
