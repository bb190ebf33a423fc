//! The `switchboard` binary on a cluster, through real servers (a NATS server this test
//! starts, the machine's PostgreSQL in a schema of the test's own): `set-password` stores a
//! hash, a wrong password is refused and logged without the password, and a gateway killed
//! with SIGKILL during a burst of webhook posts loses nothing it acknowledged: after a restart
//! (and the provider's retries) every message is stored once, and an agent answers each once.

use std::{
    collections::{HashMap, HashSet},
    net::SocketAddr,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use switchboard_platform_cluster::{desktop::ClusterBackend, nats_server::NatsServer};
use switchboard_seam::{
    backend::{AgentSession, Backend, BackendError},
    secret::Secret,
};
use switchboard_tests::{
    gateway_process::{GatewayProcess, set_password},
    headless_agent::{HeadlessAgent, test_database},
    library, post_form,
    provider_stand_in::{Answer, ProviderStandIn},
    try_post_form, try_post_form_with,
};

const PRESENCE: Duration = Duration::from_secs(1);
const POSTS: usize = 200;

fn write_config(
    dir: &std::path::Path,
    server: &NatsServer,
    prefix: &str,
    schema: &str,
) -> std::path::PathBuf {
    let (nats, keys) = (server.url(), server.store_dir().display().to_string());
    let path = dir.join("switchboard.toml");
    std::fs::write(
        &path,
        format!(
            "[shell]\nwebhook_posts_per_minute = 100000\n[roles.sms]\nchannels = [\"sms-page\"]\n\
             [[agents]]\nid = \"ada\"\nname = \"Ada\"\nrole = \"sms\"\n\
             [cluster]\nnats = \"{nats}\"\nkeys = \"{keys}\"\nprefix = \"{prefix}\"\ndatabase = \"{}\"\n\
             schema = \"{schema}\"\npresence_seconds = 1\n",
            test_database()
        ),
    )
    .expect("configuration written");
    path
}

fn sign_in(desktop: &ClusterBackend, password: &str) -> Result<(), BackendError> {
    desktop.sign_in(&AgentSession {
        agent: "ada".into(),
        display_name: "Ada".into(),
        role: "sms".into(),
        channels: Vec::new(),
        password: Some(Secret::new(password)),
    })
}

#[test]
fn a_gateway_killed_during_a_burst_loses_nothing_it_acknowledged() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = NatsServer::start(dir.path().join("nats")).expect("nats-server");
    let prefix = format!("gb{}", std::process::id());
    let schema = format!("t{}_binaries", std::process::id());
    let config = write_config(dir.path(), &server, &prefix, &schema);

    set_password(&config, "ada", "ada-password");

    let first_log = dir.path().join("gateway-1.log");
    let mut gateway = GatewayProcess::start(&config, &first_log, &[]);
    let webhook = gateway.webhook;

    // A wrong password is refused, and the gateway's log names the refusal, never the password.
    let desktop = ClusterBackend::connect(&server.url(), &prefix, PRESENCE).expect("desktop");
    match sign_in(&desktop, "guess-guess-guess") {
        Err(BackendError::SignInRefused(reason)) => {
            assert!(reason.contains("did not accept ada's password"), "{reason}");
        }
        other => panic!("a wrong password was not refused: {other:?}"),
    }
    drop(desktop);

    // Four posters send 200 messages; the gateway is killed halfway.
    let acknowledged: Arc<Mutex<HashSet<usize>>> = Arc::default();
    let posters: Vec<_> = (0..4)
        .map(|poster| {
            let acknowledged = acknowledged.clone();
            std::thread::spawn(move || {
                for n in (poster..POSTS).step_by(4) {
                    let (from, body, sid) = post_fields(n);
                    let result = try_post_form(
                        webhook,
                        "/sms",
                        &[
                            ("From", &from),
                            ("To", "+15550100"),
                            ("Body", &body),
                            ("MessageSid", &sid),
                        ],
                    );
                    if matches!(result, Ok((200, _))) {
                        acknowledged.lock().expect("list").insert(n);
                    }
                }
            })
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(30);
    while acknowledged.lock().expect("list").len() < POSTS / 2 && Instant::now() < deadline {
        std::thread::yield_now();
    }
    gateway.kill();
    for poster in posters {
        poster.join().expect("poster ran");
    }
    let acknowledged = acknowledged.lock().expect("list").clone();
    assert!(
        acknowledged.len() >= POSTS / 2,
        "{} acknowledged",
        acknowledged.len()
    );
    let log = std::fs::read_to_string(&first_log).expect("log");
    assert!(
        log.contains("wrong password for ada"),
        "the refusal is logged"
    );
    let leaks: Vec<&str> = log
        .lines()
        .filter(|line| line.contains("guess-guess-guess"))
        .collect();
    assert!(leaks.is_empty(), "the password is never logged: {leaks:?}");

    // Restarted, the gateway takes the provider's retries: every post again, as a provider
    // retries what it did not see acknowledged (and sometimes what it did).
    let gateway = GatewayProcess::start(&config, &dir.path().join("gateway-2.log"), &[]);
    let webhook = gateway.webhook;
    for n in 0..POSTS {
        let (from, body, sid) = post_fields(n);
        let (status, _) = post_form(
            webhook,
            "/sms",
            &[
                ("From", &from),
                ("To", "+15550100"),
                ("Body", &body),
                ("MessageSid", &sid),
            ],
        );
        assert_eq!(status, 200, "post {n} after the restart");
    }
    let mut database = postgres::Client::connect(&test_database(), postgres::NoTls).expect("db");
    let stored: HashMap<String, i64> = database
        .query(
            &format!("SELECT provider_id, count(*) FROM {schema}.messages WHERE provider_id IS NOT NULL GROUP BY provider_id"),
            &[],
        )
        .expect("counted")
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect();
    assert_eq!(stored.len(), POSTS, "every message is stored");
    assert!(stored.values().all(|count| *count == 1), "each once");

    // Routing resumes: ada answers every message once.
    let mut ada = HeadlessAgent::on_sms_page(&server.url(), &prefix, PRESENCE, &["ada"], "ada");
    let mut answered = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(120);
    while answered.len() < POSTS && Instant::now() < deadline {
        answered.extend(ada.work(|first| format!("Reçu : {first}")));
        ada.wait(Duration::from_millis(100));
    }
    let unique: HashSet<&String> = answered.iter().collect();
    assert_eq!(answered.len(), POSTS, "each message answered");
    assert_eq!(unique.len(), POSTS, "none twice");

    drop(ada);
    drop(gateway);
    database
        .batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
        .expect("dropped");
}

fn post_fields(n: usize) -> (String, String, String) {
    (
        format!("+336120{:05}", n),
        format!("Burst message {n}"),
        format!("SMburst{n:05}"),
    )
}

/// A post signed as the provider signs it for the public address.
fn signed_post(address: SocketAddr, path: &str, fields: &[(&str, &str)]) -> u16 {
    use switchboard_edge::provider::signature;
    let pairs: Vec<(String, String)> = fields
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    let signed = signature::compute(TOKEN, &format!("{PUBLIC}{path}"), &pairs);
    try_post_form_with(address, path, fields, &[(signature::HEADER, &signed)])
        .expect("posted")
        .0
}

const TOKEN: &str = "cluster-test-token";
const PUBLIC: &str = "https://desk.example.com";

/// The status of the newest agent message in the deployment's records.
fn newest_reply_status(database: &mut postgres::Client, schema: &str) -> Option<String> {
    database
        .query_opt(
            &format!(
                "SELECT status FROM {schema}.messages WHERE role = 'agent' ORDER BY id DESC LIMIT 1"
            ),
            &[],
        )
        .expect("read")
        .map(|row| row.get(0))
}

#[test]
fn a_gateway_sends_replies_through_the_provider_retrying_and_records_delivery() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = NatsServer::start(dir.path().join("nats")).expect("nats-server");
    let stand_in = ProviderStandIn::start("ACcluster", TOKEN);
    let prefix = format!("gp{}", std::process::id());
    let schema = format!("t{}_provider", std::process::id());
    let config = write_config(dir.path(), &server, &prefix, &schema);
    let mut text = std::fs::read_to_string(&config).expect("read");
    text.push_str(&format!(
        "[provider]\naccount_sid = \"ACcluster\"\npublic_url = \"{PUBLIC}\"\napi_base = \"{}\"\n",
        stand_in.base()
    ));
    std::fs::write(&config, text).expect("write");
    set_password(&config, "ada", "ada-password");
    // The provider is busy at first: the reply waits and goes at the next attempt.
    stand_in.script(&[Answer::new(
        429,
        r#"{"code": 20429, "message": "Too Many Requests"}"#,
    )]);
    let gateway = GatewayProcess::start(
        &config,
        &dir.path().join("gateway.log"),
        &[("SWITCHBOARD_PROVIDER_AUTH_TOKEN", TOKEN)],
    );
    let webhook = gateway.webhook;

    let inbound = [
        ("From", "+33612345678"),
        ("To", "+15550100"),
        ("Body", "Où est mon colis ?"),
        ("MessageSid", "SMcluster1"),
    ];
    assert_eq!(
        try_post_form(webhook, "/sms", &inbound).expect("posted").0,
        403,
        "unsigned"
    );
    assert_eq!(signed_post(webhook, "/sms", &inbound), 200);

    let mut ada = HeadlessAgent::on_sms_page(&server.url(), &prefix, PRESENCE, &["ada"], "ada");
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut answered = Vec::new();
    while answered.is_empty() && Instant::now() < deadline {
        answered = ada.work(|_| "Il part demain matin.".to_owned());
        ada.wait(Duration::from_millis(100));
    }
    assert_eq!(answered.len(), 1, "ada answered");

    let mut database = postgres::Client::connect(&test_database(), postgres::NoTls).expect("db");
    let deadline = Instant::now() + Duration::from_secs(15);
    while newest_reply_status(&mut database, &schema).as_deref() != Some("sent")
        && Instant::now() < deadline
    {
        ada.wait(Duration::from_millis(200));
    }
    assert_eq!(
        newest_reply_status(&mut database, &schema).as_deref(),
        Some("sent")
    );
    let calls = stand_in.received();
    assert_eq!(calls.len(), 2, "refused once, then taken: {calls:?}");
    for call in &calls {
        assert!(call.authenticated, "the account's credentials");
        assert_eq!(call.field("To"), Some("+33612345678"));
        assert_eq!(call.field("From"), Some("+15550100"));
        assert_eq!(call.field("Body"), Some("Il part demain matin."));
    }
    let sid = stand_in_sid(&mut database, &schema);
    let callback = [("MessageSid", sid.as_str()), ("MessageStatus", "delivered")];
    assert_eq!(signed_post(webhook, "/sms/status", &callback), 200);
    assert_eq!(
        newest_reply_status(&mut database, &schema).as_deref(),
        Some("delivered")
    );

    drop(ada);
    drop(gateway);
    database
        .batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
        .expect("dropped");
}

/// The provider's id of the part the gateway sent.
fn stand_in_sid(database: &mut postgres::Client, schema: &str) -> String {
    database
        .query_one(
            &format!("SELECT provider_id FROM {schema}.outbox WHERE state = 'accepted'"),
            &[],
        )
        .expect("an accepted part")
        .get(0)
}

#[test]
fn an_mms_reaches_the_agent_with_its_picture_through_the_gateway() {
    use switchboard_core::media::{ImageFormat, samples};

    let dir = tempfile::tempdir().expect("temp dir");
    let server = NatsServer::start(dir.path().join("nats")).expect("nats-server");
    let prefix = format!("gm{}", std::process::id());
    let schema = format!("t{}_mms", std::process::id());
    let media = dir.path().join("media");
    std::fs::create_dir_all(&media).expect("media folder");
    let photo = samples::picture(800, 600, ImageFormat::Jpeg);
    let file = media.join("parcel.jpg");
    std::fs::write(&file, &photo).expect("photo written");
    let config = write_config(dir.path(), &server, &prefix, &schema);
    let text = std::fs::read_to_string(&config).expect("read").replacen(
        "[shell]\n",
        &format!("[shell]\nmedia_folders = [\"{}\"]\n", media.display()),
        1,
    );
    std::fs::write(&config, text).expect("write");
    set_password(&config, "ada", "ada-password");
    let gateway = GatewayProcess::start(&config, &dir.path().join("gateway.log"), &[]);
    let webhook = gateway.webhook;
    let url = format!("file://{}", file.display());
    let (status, _) = post_form(
        webhook,
        "/sms",
        &[
            ("From", "+33612345678"),
            ("To", "+15550100"),
            ("Body", "Le colis est arrivé abîmé"),
            ("NumMedia", "1"),
            ("MediaUrl0", &url),
            ("MediaContentType0", "image/jpeg"),
        ],
    );
    assert_eq!(status, 200);

    let mms_config = switchboard_core::config::Config::parse(
        "[roles.mms]\nchannels = [\"mms\"]\n[[agents]]\nid = \"ada\"\nname = \"Ada\"\nrole = \"mms\"\n",
        "mms configuration",
    )
    .expect("configuration");
    let mut ada = HeadlessAgent::sign_in(
        &server.url(),
        &prefix,
        PRESENCE,
        mms_config,
        &[library("mms")],
        "ada",
        "mms",
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    while ada.desk.offers().is_empty() && Instant::now() < deadline {
        ada.wait(Duration::from_millis(100));
        ada.desk.pump();
    }
    let offer = ada
        .desk
        .offers()
        .first()
        .cloned()
        .expect("the MMS is offered");
    assert_eq!(offer.row.media_type, "mms");
    let id = offer.row.id.clone();
    ada.desk.accept(&id).expect("accepted");
    ada.desk.settle();
    // The picture came with the message, and its bytes are read through the gateway.
    let attachments: Vec<i64> = ada
        .desk
        .interaction(&id)
        .expect("open")
        .transcript
        .iter()
        .flat_map(|e| e.attachments.iter().map(|a| a.id))
        .collect();
    assert_eq!(attachments.len(), 1);
    let copy = ada
        .desk
        .copy_for_viewer(&id, attachments[0])
        .expect("read through the gateway");
    assert_eq!(std::fs::read(&copy).expect("copy"), photo);

    drop(ada);
    let mut database = postgres::Client::connect(&test_database(), postgres::NoTls).expect("db");
    drop(gateway);
    database
        .batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
        .expect("dropped");
}
