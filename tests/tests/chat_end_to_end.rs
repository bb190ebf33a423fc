//! Web chat through the real host, the real `chat` library and the embedded platform, with the
//! customer's page played by a channel (the browser test drives the real page): typing both
//! ways, messages both ways with the agent's nickname, a pushed link, the pending-response
//! indicator on the host clock, End chat and its continuation, the customer leaving, a
//! conference whose colleague keeps the chat when the agent leaves.

use serde_json::Value;
use switchboard_core::{desk::PendingLevel, directory::TargetKind};
use switchboard_edge::ChatConnection;
use switchboard_platform_embedded::ColleagueReply;
use switchboard_sdk::{ConnectionState, Role};
use switchboard_store_sqlite::{InteractionState, prelude::*};
use switchboard_tests::{World, config_with_role, library};
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

/// The customer's side: what the page received, as JSON.
struct Page {
    connection: ChatConnection,
    received: UnboundedReceiver<String>,
}

impl Page {
    fn open(world: &World, name: &str) -> Self {
        let (sender, received) = unbounded_channel();
        let connection = world.platform.chat_start(name, sender);
        let mut page = Self {
            connection,
            received,
        };
        assert_eq!(page.next()["type"], "started");
        page
    }

    fn says(&self, world: &mut World, text: &str) {
        world
            .platform
            .chat_customer_says(&self.connection.token, text)
            .expect("stored");
        world.desk.pump();
    }

    fn next(&mut self) -> Value {
        let json = self.received.try_recv().expect("the page got something");
        serde_json::from_str(&json).expect("JSON")
    }

    fn all(&mut self) -> Vec<Value> {
        std::iter::from_fn(|| self.received.try_recv().ok())
            .map(|json| serde_json::from_str(&json).expect("JSON"))
            .collect()
    }
}

fn chat_world() -> World {
    let config = config_with_role(
        &["chat"],
        "permissions = [\"push-url\"]\n[roles.test.timers]\npending_yellow_seconds = 30\n\
         pending_red_seconds = 60\ninvitation_timeout_seconds = 30",
    );
    let mut world = World::new(&[library("chat")], config);
    world.ready_agent("chat");
    world
}

fn accepted_chat(world: &mut World, page: &Page, first: &str) -> String {
    page.says(world, first);
    world.accept_first_offer()
}

fn state(world: &World, id: &str) -> Option<ConnectionState> {
    let view = world.desk.interaction(id)?.view.as_ref()?;
    view.header.state.as_enum().ok().copied()
}

fn badges(world: &World, id: &str) -> Vec<String> {
    let view = world.desk.interaction(id).and_then(|o| o.view.clone());
    view.map(|v| v.badges.iter().map(|b| b.text.to_string()).collect())
        .unwrap_or_default()
}

#[test]
fn messages_typing_and_a_pushed_link_go_both_ways() {
    let mut world = chat_world();
    let mut page = Page::open(&world, "Jordan Lee");
    let id = accepted_chat(&mut world, &page, "<b>Hi</b>, where is order 48213?");
    let first = &world.desk.interaction(&id).expect("open").transcript[0];
    assert_eq!(
        first.text.as_str(),
        "<b>Hi</b>, where is order 48213?",
        "kept as text"
    );
    assert_eq!(first.author.as_str(), "Jordan Lee");

    world
        .platform
        .chat_customer_typing(&page.connection.token, true);
    world.desk.pump();
    assert!(badges(&world, &id).contains(&"typing…".to_owned()));

    world.desk.interaction_mut(&id).expect("open").draft = "Let me".into();
    world.desk.composer_changed(&id);
    // The platform is told on the desk's requests thread.
    world.desk.settle();
    let typing = page.next();
    assert_eq!(
        (typing["type"].as_str(), typing["on"].as_bool()),
        (Some("typing"), Some(true))
    );
    assert_eq!(typing["author"], "Ada", "the nickname");

    world.agent_sends(&id, "It left the warehouse <script>alert(1)</script>");
    let received = page.all();
    let message = received
        .iter()
        .find(|m| m["type"] == "message")
        .expect("a message");
    assert_eq!(message["author"], "Ada");
    assert_eq!(
        message["text"],
        "It left the warehouse <script>alert(1)</script>"
    );
    assert!(
        received
            .iter()
            .any(|m| m["type"] == "typing" && m["on"] == false)
    );
    page.says(&mut world, "ok");
    assert!(
        !badges(&world, &id).contains(&"typing…".to_owned()),
        "the customer's message ends their typing"
    );

    world
        .desk
        .push_url(&id, "https://shop.example/track/48213")
        .expect("pushed");
    // Stored and pushed on the desk's requests thread.
    world.desk.settle();
    let link = page.next();
    assert_eq!(link["type"], "link");
    assert_eq!(link["url"], "https://shop.example/track/48213");
    assert_eq!(
        world.desk.pushed_urls(&id),
        ["https://shop.example/track/48213"]
    );
    assert!(world.desk.push_url(&id, "javascript:alert(1)").is_err());

    world.desk.action(&id, "end").expect("end");
    world.desk.settle();
    assert_eq!(page.next()["type"], "ended");
    assert_eq!(state(&world, &id), Some(ConnectionState::Ended));
}

#[test]
fn the_pending_indicator_turns_yellow_then_red_and_a_reply_resets_it() {
    let mut world = chat_world();
    let page = Page::open(&world, "Jordan Lee");
    let id = accepted_chat(&mut world, &page, "Hello?");
    let level = |world: &World| world.desk.pending(&id).map(|p| p.level);
    assert_eq!(level(&world), Some(PendingLevel::Green));
    world.advance_seconds(29);
    assert_eq!(level(&world), Some(PendingLevel::Green));
    world.advance_seconds(1);
    assert_eq!(level(&world), Some(PendingLevel::Yellow));
    page.says(&mut world, "Anyone there?");
    assert_eq!(
        world.desk.pending(&id).map(|p| p.waiting_seconds),
        Some(30),
        "the wait counts from the first unanswered message"
    );
    world.advance_seconds(30);
    assert_eq!(level(&world), Some(PendingLevel::Red));
    assert!(world.desk.any_pending());
    world.agent_sends(&id, "Sorry for the wait!");
    assert_eq!(level(&world), None, "the reply resets it");
    world.advance_seconds(5);
    page.says(&mut world, "Thanks");
    assert_eq!(level(&world), Some(PendingLevel::Green));
}

#[test]
fn an_ended_chat_continues_and_the_open_page_receives_it() {
    let mut world = chat_world();
    let mut page = Page::open(&world, "Jordan Lee");
    let id = accepted_chat(&mut world, &page, "Is my refund done?");
    world.desk.action(&id, "end").expect("end");
    world.desk.settle();
    assert!(world.desk.interaction(&id).expect("open").ended);
    page.all();

    world.agent_sends(&id, "Good news: the refund went through just now.");
    let open = world.desk.interaction(&id).expect("open");
    assert!(!open.ended);
    assert_eq!(state(&world, &id), Some(ConnectionState::Connected));
    let message = page.next();
    assert_eq!(
        message["text"],
        "Good news: the refund went through just now."
    );
    let row = world.store.interaction(&id).expect("read").expect("row");
    assert_eq!(row.state, InteractionState::Accepted);
    page.says(&mut world, "Great, thanks!");
    assert_eq!(
        world.texts(&id).last().map(String::as_str),
        Some("Great, thanks!")
    );
}

#[test]
fn a_closed_page_stops_typing() {
    let mut world = chat_world();
    let page = Page::open(&world, "Jordan Lee");
    let id = accepted_chat(&mut world, &page, "Hello");
    world
        .platform
        .chat_customer_typing(&page.connection.token, true);
    world.desk.pump();
    assert!(badges(&world, &id).contains(&"typing…".to_owned()));
    world.platform.chat_disconnect(&page.connection);
    world.desk.pump();
    assert!(!badges(&world, &id).contains(&"typing…".to_owned()));
}

#[test]
fn the_customer_leaving_ends_the_chat() {
    let mut world = chat_world();
    let page = Page::open(&world, "Jordan Lee");
    let id = accepted_chat(&mut world, &page, "Never mind");
    world.platform.chat_customer_ends(&page.connection.token);
    world.desk.pump();
    assert_eq!(state(&world, &id), Some(ConnectionState::Ended));
    assert_eq!(
        world.texts(&id).last().map(String::as_str),
        Some("Jordan Lee left the chat.")
    );
    assert!(page.says_refused(&world));
}

impl Page {
    fn says_refused(&self, world: &World) -> bool {
        world
            .platform
            .chat_customer_says(&self.connection.token, "hello again")
            .is_err()
    }
}

#[test]
fn a_conference_colleague_joins_and_keeps_the_chat_when_the_agent_leaves() {
    let mut world = chat_world();
    world
        .platform
        .script_colleague("grace", ColleagueReply::Accept { after_seconds: 2 });
    let mut page = Page::open(&world, "Jordan Lee");
    let id = accepted_chat(&mut world, &page, "I need a refund above 300 euros");
    world.desk.action(&id, "conference").expect("conference");
    let grace = world
        .desk
        .team_search("grace")
        .into_iter()
        .map(|r| r.target)
        .find(|t| t.kind == TargetKind::Agent)
        .expect("Grace");
    world.desk.choose_target(&id, &grace).expect("chosen");
    world.advance_seconds(2);
    let notice = page.all().into_iter().find(|m| m["type"] == "notice");
    assert_eq!(
        notice.map(|n| n["text"].clone()),
        Some(Value::from("Grace Hopper joined the conversation."))
    );
    world.advance_seconds(2);
    let greeting = page
        .all()
        .into_iter()
        .find(|m| m["type"] == "message")
        .expect("greeting");
    assert_eq!(greeting["author"], "Grace Hopper");
    let last = world
        .desk
        .interaction(&id)
        .and_then(|o| o.transcript.last().cloned());
    assert_eq!(
        last.and_then(|e| e.role()),
        Some(Role::OtherAgent),
        "the agent sees it too"
    );

    world.desk.action(&id, "leave").expect("leave");
    world.desk.settle();
    world.desk.pump();
    assert!(
        world.desk.interaction(&id).is_none(),
        "the chat left this desk"
    );
    let row = world.store.interaction(&id).expect("read").expect("row");
    assert_eq!(row.agent_id.as_deref(), Some("grace"));
    assert_eq!(row.state, InteractionState::Transferred);
}

/// One raw HTTP/1.1 request; the status code.
fn raw_status(address: std::net::SocketAddr, request: &str) -> u16 {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(address).expect("connect");
    stream.write_all(request.as_bytes()).expect("send");
    // The status line only: an accepted socket stays open.
    let mut response = Vec::new();
    let mut byte = [0u8; 1];
    while !response.ends_with(b"\r\n") && stream.read(&mut byte).is_ok_and(|n| n == 1) {
        response.push(byte[0]);
    }
    String::from_utf8_lossy(&response)
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0)
}

#[test]
fn the_chat_answers_its_own_page_only_and_the_webhook_no_browser() {
    let world = chat_world();
    let page = world.platform.start_chat_page(0).expect("chat page");
    let address = page.address();
    let upgrade = |host: &str, origin: Option<&str>| {
        let origin = origin.map_or(String::new(), |o| format!("Origin: {o}\r\n"));
        format!(
            "GET /ws HTTP/1.1\r\nHost: {host}\r\n{origin}Connection: Upgrade\r\nUpgrade: websocket\r\n\
             Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
        )
    };
    let own_host = format!("127.0.0.1:{}", address.port());
    let own_origin = format!("http://127.0.0.1:{}", address.port());
    assert_eq!(
        raw_status(
            address,
            &format!("GET / HTTP/1.1\r\nHost: {own_host}\r\nConnection: close\r\n\r\n")
        ),
        200,
        "the page for its own address"
    );
    assert_eq!(
        raw_status(
            address,
            "GET / HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n"
        ),
        403,
        "a rebound name is refused"
    );
    assert_eq!(
        raw_status(address, &upgrade(&own_host, Some(&own_origin))),
        101
    );
    for origin in [Some("http://evil.example"), Some("null"), None] {
        assert_eq!(
            raw_status(address, &upgrade(&own_host, origin)),
            403,
            "socket from {origin:?}"
        );
    }
    assert_eq!(
        raw_status(address, &upgrade("evil.example", Some(&own_origin))),
        403
    );

    let webhook = world.platform.start_webhook(0).expect("webhook");
    let body = "From=%2B33612345678&Body=hi";
    let post = |origin: &str| {
        format!(
            "POST /sms HTTP/1.1\r\nHost: {}\r\n{origin}Content-Type: application/x-www-form-urlencoded\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            webhook.address(),
            body.len()
        )
    };
    assert_eq!(
        raw_status(webhook.address(), &post("Origin: http://evil.example\r\n")),
        403,
        "a cross-site form post"
    );
    assert_eq!(world.store.interaction_count().expect("count"), 0);
    assert_eq!(raw_status(webhook.address(), &post("")), 200);
}

#[test]
fn a_link_pushed_to_one_customer_is_never_offered_for_another() {
    let mut world = chat_world();
    let jordan = Page::open(&world, "Jordan Lee");
    let first = accepted_chat(&mut world, &jordan, "Where is order 48213?");
    world
        .desk
        .push_url(&first, "https://shop.example/track/48213")
        .expect("pushed");
    assert_eq!(
        world.desk.pushed_urls(&first),
        ["https://shop.example/track/48213"]
    );
    let sam = Page::open(&world, "Sam Okafor");
    let second = accepted_chat(&mut world, &sam, "Hello, a question about returns");
    assert!(
        world.desk.pushed_urls(&second).is_empty(),
        "Jordan's tracking link is not Sam's: {:?}",
        world.desk.pushed_urls(&second)
    );
}
