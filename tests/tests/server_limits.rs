//! What one client may hold of the embedded platform's servers, through the real servers: a
//! request's headers and body each have a time limit, an idle connection is closed, and the
//! connections open at once are capped (the next is closed at once, and a slot comes back when
//! one ends).

use std::{
    io::{ErrorKind, Read, Write},
    net::{SocketAddr, TcpStream},
    sync::Arc,
    time::Duration,
};

use switchboard_core::clock::ManualClock;
use switchboard_edge::ConnectionLimits;
use switchboard_platform_embedded::{DEFAULT_SESSION_NUMBER, EmbeddedPlatform, PlatformSettings};
use switchboard_sdk::Timestamp;
use switchboard_store_sqlite::Store;

/// A platform whose servers keep `limits`, and its store.
fn platform_with(limits: ConnectionLimits) -> (EmbeddedPlatform, Store) {
    let store = Store::open_in_memory().expect("store");
    let clock = Arc::new(ManualClock::new(Timestamp(1_767_603_600_000)));
    let mut settings = PlatformSettings::new("+15550100", DEFAULT_SESSION_NUMBER);
    settings.connections = limits;
    let platform =
        EmbeddedPlatform::with_settings(store.clone(), clock, settings).expect("platform");
    (platform, store)
}

/// The status of `GET /health` on a fresh connection, if the server answers one.
fn health(address: SocketAddr) -> Option<u16> {
    let mut stream = TcpStream::connect(address).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .ok()?;
    stream
        .write_all(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    answer.split_whitespace().nth(1)?.parse().ok()
}

/// Short time limits, so the tests see them pass; the cap out of the way.
fn short_times() -> ConnectionLimits {
    ConnectionLimits {
        max_connections: 64,
        header_timeout: Duration::from_millis(300),
        body_timeout: Duration::from_millis(300),
    }
}

/// Connects with a generous read time-out: a server that never closes fails the test instead
/// of hanging it.
fn connect(address: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("read time-out");
    stream
}

/// What the server sends before it closes the connection (empty if it just closes).
fn read_until_closed(stream: &mut TcpStream) -> String {
    let mut answer = Vec::new();
    match stream.read_to_end(&mut answer) {
        Ok(_) => {}
        Err(e) if e.kind() == ErrorKind::ConnectionReset => {}
        Err(e) => panic!("the server kept the connection open ({e})"),
    }
    String::from_utf8_lossy(&answer).into_owned()
}

#[test]
fn headers_sent_in_part_then_withheld_lose_the_connection() {
    let (platform, _store) = platform_with(short_times());
    let webhook = platform.start_webhook(0).expect("webhook");
    let mut stream = connect(webhook.address());
    stream
        .write_all(b"POST /sms HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: applic")
        .expect("send part of the headers");
    let answer = read_until_closed(&mut stream);
    assert!(
        !answer.contains("200"),
        "nothing was served to a request never finished: {answer}"
    );
}

#[test]
fn a_connection_that_sends_nothing_is_closed() {
    let (platform, _store) = platform_with(short_times());
    let chat = platform.start_chat_page(0).expect("chat page");
    let mut stream = connect(chat.address());
    assert_eq!(read_until_closed(&mut stream), "");
}

#[test]
fn a_body_withheld_after_the_headers_is_answered_408_and_nothing_is_stored() {
    let (platform, store) = platform_with(short_times());
    let webhook = platform.start_webhook(0).expect("webhook");
    let mut stream = connect(webhook.address());
    let body = "From=%2B33612345678&Body=Hello";
    stream
        .write_all(
            format!(
                "POST /sms HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{}",
                body.len() + 100,
                body
            )
            .as_bytes(),
        )
        .expect("send headers and part of the body");
    let answer = read_until_closed(&mut stream);
    assert!(answer.starts_with("HTTP/1.1 408"), "answered: {answer}");
    assert_eq!(store.interaction_count().expect("count"), 0);
}

#[test]
fn connections_past_the_cap_are_closed_and_a_slot_comes_back_when_one_ends() {
    let (platform, _store) = platform_with(ConnectionLimits {
        max_connections: 3,
        header_timeout: Duration::from_secs(60),
        body_timeout: Duration::from_secs(60),
    });
    let webhook = platform.start_webhook(0).expect("webhook");
    let address = webhook.address();
    let mut held: Vec<TcpStream> = (0..3).map(|_| connect(address)).collect();
    // The three are served: each gets an answer on its open connection.
    for stream in &mut held {
        stream
            .write_all(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .expect("ask");
        let mut answer = [0u8; 64];
        let read = stream.read(&mut answer).expect("answer");
        assert!(String::from_utf8_lossy(&answer[..read]).starts_with("HTTP/1.1 200"));
    }
    let mut fourth = connect(address);
    let _ = fourth.write_all(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    assert_eq!(
        read_until_closed(&mut fourth),
        "",
        "a fourth connection is closed unanswered"
    );
    drop(held.pop());
    // The server frees the slot once it sees the connection end; a new post gets through then.
    let served = (0..500).any(|_| health(address) == Some(200));
    assert!(served, "a slot came back after a connection ended");
}
