//! The cluster through the real `switchboard gateway` binary (release build), a NATS server
//! this bench starts and the machine's PostgreSQL (a schema of its own, dropped at the end):
//!
//! - **webhook to offer**: a provider's post to the moment the offer reaches a connected
//!   agent's desktop, one at a time (p50, p99 over 400 posts, after 50 to warm up), for an
//!   SMS and for a messaging app's message (a `viber:` sender: what the shell does for every
//!   messaging app, whichever plugin carries it); and a customer's first line on the chat page (a
//!   WebSocket of the gateway's page server) to its offer (over 200 chats, after 20);
//! - **ingest**: 32 posters send 4,000 messages at once; messages per second until the last
//!   is acknowledged (each committed with synchronous commit before its 200);
//! - **sign-in**: a desktop's whole sign-in, one after the other: the connection let in by
//!   the gateway's authorization callout (Argon2 included), then the sign-in request (p50,
//!   p99 over 40, after 5 to warm up);
//! - **accept to drawn**: the agent's real desk, `sms-page` plugin and shell window (drawn
//!   headless) on a cluster desktop: from Accept on an offer to the first frame that shows the
//!   interaction with its transcript (p50, p99 over 200, after 20 to warm up).
//!
//! `cargo bench -p switchboard --bench cluster` (`SWITCHBOARD_TEST_DATABASE` names another
//! database). Figures vary with the machine: compare medians of several runs.

use std::{
    io::{BufRead, BufReader, Read, Write},
    net::{SocketAddr, TcpStream},
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex, mpsc},
    time::{Duration, Instant},
};

use switchboard_platform_cluster::{desktop::ClusterBackend, nats_server::NatsServer};
use switchboard_seam::{
    backend::{AgentSession, Backend, BackendEvent},
    routing::ChannelCapacity,
    secret::Secret,
};

const WARM_UP: usize = 50;
const TIMED: usize = 400;
const POSTERS: usize = 32;
const INGESTED: usize = 4_000;
const SIGN_INS: usize = 40;

fn database() -> String {
    std::env::var("SWITCHBOARD_TEST_DATABASE")
        .unwrap_or_else(|_| "host=127.0.0.1 user=postgres dbname=test".into())
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = NatsServer::start(dir.path().join("nats")).expect("nats-server");
    let prefix = format!("bench{}", std::process::id());
    let schema = format!("bench{}", std::process::id());
    let config = dir.path().join("switchboard.toml");
    std::fs::write(
        &config,
        format!(
            "[shell]\nwebhook_posts_per_minute = 1000000\nchat_starts_per_minute = 1000000\n\
             max_connections = 1024\n\
             [roles.sms]\nchannels = [\"sms-page\", \"messaging\", \"chat\"]\n\
             capacity = {{ sms-page = 1, messaging = 1, chat = 1 }}\n\
             [[agents]]\nid = \"ada\"\nname = \"Ada\"\nrole = \"sms\"\n\
             [cluster]\nnats = \"{}\"\nkeys = \"{}\"\nprefix = \"{prefix}\"\ndatabase = \"{}\"\nschema = \"{schema}\"\n",
            server.url(),
            server.store_dir().display(),
            database()
        ),
    )
    .expect("configuration");
    let binary = env!("CARGO_BIN_EXE_switchboard");
    let mut set = Command::new(binary)
        .args(["set-password", "ada", "--config"])
        .arg(&config)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("set-password");
    set.stdin
        .take()
        .expect("stdin")
        .write_all(b"bench-password\n")
        .expect("password");
    assert!(set.wait().expect("ran").success());
    let (mut gateway, webhook, chat_page) = start_gateway(binary, &config);

    let desktop =
        ClusterBackend::connect(&server.url(), &prefix, Duration::from_secs(5)).expect("desktop");
    let (tell, arrived) = mpsc::channel();
    let tell = Mutex::new(tell);
    desktop.set_waker(Arc::new(move || {
        let _ = tell.lock().map(|t| t.send(()));
    }));
    desktop.sign_in(&session()).expect("signed in");
    desktop
        .set_ready(
            "ada",
            &["sms".to_owned(), "viber".to_owned(), "chat".to_owned()],
            true,
        )
        .expect("ready");

    for (what, from) in [("SMS", "%2B3361"), ("messaging app", "viber%3A%2B3361")] {
        let latencies = webhook_to_offer(&desktop, &arrived, webhook, from);
        report(&format!("webhook to offer ({what})"), latencies, "posts");
    }
    report(
        "chat page to offer",
        chat_to_offer(&desktop, &arrived, chat_page),
        "chats",
    );

    desktop.sign_out("ada").expect("signed out");
    drop(desktop);
    // Before the ingest leaves thousands waiting.
    accept_to_drawn(&server.url(), &prefix, webhook);

    // Ingest: nobody is signed in, so the gateway only stores and queues.
    let started = Instant::now();
    let posters: Vec<_> = (0..POSTERS)
        .map(|poster| {
            std::thread::spawn(move || {
                for n in (poster..INGESTED).step_by(POSTERS) {
                    assert_eq!(post(webhook, n, "ingest"), 200);
                }
            })
        })
        .collect();
    for poster in posters {
        poster.join().expect("poster");
    }
    let took = started.elapsed();
    println!(
        "ingest: {INGESTED} messages from {POSTERS} posters in {:.2} s: {:.0} messages/s",
        took.as_secs_f64(),
        INGESTED as f64 / took.as_secs_f64()
    );

    // Sign-in through the authorization callout, as an agent starting their day.
    let mut sign_ins = Vec::new();
    for n in 0..SIGN_INS + 5 {
        let desktop = ClusterBackend::connect(&server.url(), &prefix, Duration::from_secs(5))
            .expect("desktop");
        let started = Instant::now();
        desktop.sign_in(&session()).expect("signed in");
        if n >= 5 {
            sign_ins.push(started.elapsed());
        }
        desktop.sign_out("ada").expect("signed out");
    }
    sign_ins.sort();
    let at = |q: f64| sign_ins[((sign_ins.len() - 1) as f64 * q) as usize];
    println!(
        "sign-in through the callout: p50 {:.2} ms, p99 {:.2} ms ({SIGN_INS} sign-ins)",
        at(0.5).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
    );

    let _ = gateway.kill();
    let _ = gateway.wait();
    if let Ok(mut client) = postgres::Client::connect(&database(), postgres::NoTls) {
        let _ = client.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
    }
}

/// Posts from `from` (a number's start, form-encoded) one at a time and times each until its
/// offer reaches the desktop, which accepts and closes it; sorted, after the warm-up.
fn webhook_to_offer(
    desktop: &ClusterBackend,
    arrived: &mpsc::Receiver<()>,
    webhook: SocketAddr,
    from: &str,
) -> Vec<Duration> {
    let mut latencies = Vec::new();
    for n in 0..WARM_UP + TIMED {
        let posted = Instant::now();
        let status = post_from(webhook, from, n, from);
        assert_eq!(status, 200);
        let offer = next_offer(desktop, arrived);
        if n >= WARM_UP {
            latencies.push(posted.elapsed());
        }
        desktop
            .answer_offer("ada", &offer.offer_id, true)
            .expect("accepted");
        desktop.close(&offer.interaction.id).expect("closed");
    }
    latencies
}

/// Waits for the next offer to reach the desktop.
fn next_offer(
    desktop: &ClusterBackend,
    arrived: &mpsc::Receiver<()>,
) -> switchboard_seam::backend::OfferDetails {
    loop {
        let offer = desktop.poll().into_iter().find_map(|event| match event {
            BackendEvent::Offer(offer) => Some(*offer),
            _ => None,
        });
        if let Some(offer) = offer {
            return offer;
        }
        arrived
            .recv_timeout(Duration::from_secs(5))
            .expect("the offer arrives");
    }
}

/// Opens a chat on the gateway's page (its own origin, as the page's script does) and times
/// from the customer's first line to its offer on the desktop, which accepts and closes it.
fn chat_to_offer(
    desktop: &ClusterBackend,
    arrived: &mpsc::Receiver<()>,
    page: SocketAddr,
) -> Vec<Duration> {
    use tungstenite::{Message, client::IntoClientRequest as _};
    const WARM: usize = 20;
    const CHATS: usize = 200;
    let mut latencies = Vec::new();
    for n in 0..WARM + CHATS {
        let stream = TcpStream::connect(page).expect("chat page reached");
        let mut request = format!("ws://{page}/ws")
            .into_client_request()
            .expect("request");
        request.headers_mut().insert(
            "Origin",
            format!("http://{page}").parse().expect("origin header"),
        );
        let (mut socket, _) = tungstenite::client(request, stream).expect("WebSocket opened");
        socket
            .send(Message::text(r#"{"type":"start","name":"Visitor"}"#))
            .expect("start");
        let started = socket.read().expect("the page's answer");
        assert!(
            started.to_text().is_ok_and(|t| t.contains("started")),
            "{started:?}"
        );
        let said = Instant::now();
        socket
            .send(Message::text(format!(
                r#"{{"type":"message","text":"Question {n}"}}"#
            )))
            .expect("line");
        let offer = next_offer(desktop, arrived);
        if n >= WARM {
            latencies.push(said.elapsed());
        }
        desktop
            .answer_offer("ada", &offer.offer_id, true)
            .expect("accepted");
        desktop.close(&offer.interaction.id).expect("closed");
        let _ = socket.close(None);
    }
    latencies
}

/// Ada's session on SMS page mode, a messaging app and web chat.
fn session() -> AgentSession {
    AgentSession {
        agent: "ada".into(),
        display_name: "Ada".into(),
        role: "sms".into(),
        channels: vec![
            ChannelCapacity {
                channel: "sms-page".into(),
                media_types: vec!["sms".into()],
                capacity: None,
                offer_timeout_seconds: 60,
            },
            ChannelCapacity {
                channel: "messaging".into(),
                media_types: vec!["viber".into()],
                capacity: None,
                offer_timeout_seconds: 60,
            },
            ChannelCapacity {
                channel: "chat".into(),
                media_types: vec!["chat".into()],
                capacity: None,
                offer_timeout_seconds: 60,
            },
        ],
        password: Some(Secret::new("bench-password")),
    }
}

fn start_gateway(binary: &str, config: &std::path::Path) -> (Child, SocketAddr, SocketAddr) {
    let mut child = Command::new(binary)
        .args([
            "gateway",
            "--webhook-port",
            "0",
            "--chat-port",
            "0",
            "--config",
        ])
        .arg(config)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("gateway");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let line = lines.next().and_then(Result::ok).expect("gateway address");
    let address = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split_once("/sms"))
        .map(|(address, _)| address)
        .and_then(|a| a.parse().ok())
        .expect("webhook address");
    let chat_page = line
        .split("customer chat page on http://")
        .nth(1)
        .and_then(|rest| rest.trim_end().strip_suffix('/'))
        .and_then(|a| a.parse().ok())
        .expect("chat page address");
    std::thread::spawn(move || for _ in lines {});
    (child, address, chat_page)
}

/// Posts one SMS like a provider and returns the status code.
fn post(address: SocketAddr, n: usize, run: &str) -> u16 {
    post_from(address, "%2B3361", n, run)
}

/// Posts one message from `from` (the sender's start, form-encoded) and returns the status.
fn post_from(address: SocketAddr, from: &str, n: usize, run: &str) -> u16 {
    let run: String = run.chars().filter(char::is_ascii_alphanumeric).collect();
    let body = format!(
        "From={from}{:07}&To=%2B15550100&Body=Message+{n}&MessageSid=SM{run}{n:07}",
        n % 1000
    );
    let mut stream = TcpStream::connect(address).expect("connect");
    write!(
        stream,
        "POST /sms HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    response
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0)
}

/// From Accept to the frame that shows the interaction with its transcript, on Ada's real desk
/// and shell over the cluster.
fn accept_to_drawn(nats: &str, prefix: &str, webhook: SocketAddr) {
    use eframe::egui;
    use switchboard_core::{
        clock::SystemClock, config::Config, desk::Desk, i18n::Language, plugin_host::PluginCatalog,
    };
    const WARM: usize = 20;
    const ACCEPTS: usize = 200;
    let backend =
        Arc::new(ClusterBackend::connect(nats, prefix, Duration::from_secs(5)).expect("desktop"));
    let config = Config::parse(
        "[roles.sms]\nchannels = [\"sms-page\"]\n\
         [[agents]]\nid = \"ada\"\nname = \"Ada\"\nrole = \"sms\"\n",
        "bench configuration",
    )
    .expect("configuration");
    let mut catalog = PluginCatalog::new();
    catalog.add_builtin::<sms_page::SmsPage>();
    let desk = Desk::new(
        config,
        Arc::new(backend.records()),
        Arc::new(SystemClock),
        backend.clone(),
        catalog,
    );
    let mut app = switchboard_ui::ShellApp::new(desk, Language::English);
    app.sign_in_as("ada", Some("bench-password"));
    app.desk.set_ready("sms-page", true).expect("ready");
    let ctx = egui::Context::default();
    let input = || egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1280.0, 800.0),
        )),
        ..Default::default()
    };
    let frame = |app: &mut switchboard_ui::ShellApp| {
        let _ = ctx.run_ui(input(), |ui| app.show(ui));
    };
    let until = |app: &mut switchboard_ui::ShellApp, done: &dyn Fn(&Desk) -> bool| {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            frame(app);
            if done(&app.desk) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the desk did not get there: signed in {}, {} offers, {} open, {:?}",
                app.desk.agent().is_some(),
                app.desk.offers().len(),
                app.desk.interactions().len(),
                app.desk.take_signed_out_reason()
            );
            std::thread::sleep(Duration::from_micros(200));
        }
    };
    let mut timings = Vec::new();
    for n in 0..WARM + ACCEPTS {
        assert_eq!(post(webhook, 5_000 + n, "drawn"), 200);
        until(&mut app, &|desk| !desk.offers().is_empty());
        let id = app.desk.offers()[0].row.id.clone();
        let started = Instant::now();
        app.desk.accept(&id).expect("accepted");
        until(&mut app, &|desk| {
            desk.interaction(&id)
                .is_some_and(|open| !open.transcript.is_empty())
        });
        if n >= WARM {
            timings.push(started.elapsed());
        }
        app.desk.mark_done(&id).expect("done");
        until(&mut app, &|desk| desk.interaction(&id).is_none());
    }
    app.desk.sign_out();
    report("accept to drawn", timings, "accepts");
}

/// Prints the median, p99 and worst of `timings` (`count` names what was timed).
fn report(what: &str, mut timings: Vec<Duration>, count: &str) {
    timings.sort();
    let at = |q: f64| timings[((timings.len() - 1) as f64 * q) as usize].as_secs_f64() * 1e3;
    println!(
        "{what}: p50 {:.2} ms, p99 {:.2} ms, worst {:.2} ms ({} {count})",
        at(0.5),
        at(0.99),
        at(1.0),
        timings.len()
    );
}
