//! A small contact center on one machine, through real servers: a NATS server this test
//! starts, the machine's PostgreSQL (a schema of the test's own), one gateway and three
//! headless agents running the real desk and SMS page-mode plugin. Every customer's message is
//! offered, accepted, answered and done exactly once, and the database holds each message once.

use std::{
    collections::HashSet,
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use switchboard_edge::{InboundSms, Received};
use switchboard_platform_cluster::{gateway::Gateway, nats_server::NatsServer};
use switchboard_sdk::Role;
use switchboard_seam::{
    clock::SystemClock,
    records::{InteractionRecords, InteractionState},
};
use switchboard_store_postgres::PgStore;
use switchboard_tests::headless_agent::{HeadlessAgent, enroll, test_database};

const PRESENCE: Duration = Duration::from_secs(2);
const AGENTS: [&str; 3] = ["ada", "marc", "lea"];

#[test]
fn three_agents_answer_300_messages_from_30_customers_exactly_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = NatsServer::start(dir.path().to_path_buf()).expect("nats-server");
    let schema = format!("t{}_contact_center", std::process::id());
    let store = PgStore::connect(&test_database(), &schema).expect("store");
    let prefix = format!("cc{}", std::process::id());
    let gateway = Arc::new(
        Gateway::start(
            &server.gateway_bus(),
            &prefix,
            store,
            Arc::new(SystemClock),
            PRESENCE,
        )
        .expect("gateway"),
    );
    enroll(&gateway, &AGENTS);

    let total = 300;
    let answered = Arc::new(AtomicUsize::new(0));
    let accepted_by: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let signed_in = Arc::new(std::sync::Barrier::new(AGENTS.len() + 1));
    let agents: Vec<_> = AGENTS
        .iter()
        .map(|&agent| {
            let (url, prefix) = (server.url(), prefix.clone());
            let (answered, accepted_by, signed_in) =
                (answered.clone(), accepted_by.clone(), signed_in.clone());
            std::thread::spawn(move || {
                let mut desk = HeadlessAgent::on_sms_page(&url, &prefix, PRESENCE, &AGENTS, agent);
                signed_in.wait();
                let deadline = Instant::now() + Duration::from_secs(120);
                while answered.load(Ordering::SeqCst) < total && Instant::now() < deadline {
                    let done = desk.work(|first| format!("{agent} answers: {first}"));
                    answered.fetch_add(done.len(), Ordering::SeqCst);
                    accepted_by
                        .lock()
                        .expect("list")
                        .extend(done.into_iter().map(|id| (id, agent.to_owned())));
                    desk.wait(Duration::from_millis(200));
                }
            })
        })
        .collect();
    signed_in.wait();

    // 30 customers write 10 messages each, interleaved; one webhook delivery is repeated.
    let mut opened = Vec::new();
    for n in 0..total {
        let sms = InboundSms {
            from: format!("+336123456{:02}", n % 30),
            to: "+15550100".into(),
            body: format!("Question {n}"),
            message_sid: Some(format!("SM{n:04}")),
            ..Default::default()
        };
        match gateway.receive_sms(sms.clone()).expect("stored") {
            Received::Opened(id) => opened.push(id),
            other => panic!("message {n}: {other:?}"),
        }
        if n == 150 {
            assert_eq!(
                gateway.receive_sms(sms).expect("answered"),
                Received::Duplicate
            );
        }
    }
    for agent in agents {
        agent.join().expect("agent ran");
    }

    let done = accepted_by.lock().expect("list").clone();
    assert_eq!(done.len(), total, "every message answered once");
    let unique: HashSet<&str> = done.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(unique.len(), total, "no message answered twice");
    let worked: HashSet<&str> = done.iter().map(|(_, agent)| agent.as_str()).collect();
    assert_eq!(
        worked.len(),
        AGENTS.len(),
        "the work spread over the agents"
    );

    let store = gateway.store();
    for id in &opened {
        let row = store.interaction(id).expect("read").expect("stored");
        assert!(
            row.done && row.state == InteractionState::Closed,
            "{id}: {row:?}"
        );
        let transcript = store.transcript(id).expect("transcript");
        let roles: Vec<_> = transcript.iter().map(|e| e.role()).collect();
        assert_eq!(
            roles,
            vec![Some(Role::Contact), Some(Role::Agent)],
            "{id}: one question and one answer"
        );
        let holder = row.agent_id.clone().expect("an agent");
        assert!(
            transcript[1]
                .text
                .starts_with(&format!("{holder} answers: Question")),
            "{id}: answered by its holder: {}",
            transcript[1].text
        );
    }

    drop(gateway);
    PgStore::connect(&test_database(), &schema)
        .expect("store")
        .drop_schema()
        .expect("dropped");
}
