//! Presence against a real NATS server this test starts: a heartbeat is seen at once, a
//! desktop that stops heartbeating is seen gone within its time-to-live plus a second, and a
//! sign-out is seen at once.

use std::time::{Duration, Instant};

use futures_util::StreamExt;
use switchboard_platform_cluster::{
    nats_server::NatsServer,
    presence::{AgentPresence, PresenceBoard, PresenceChange},
};

const TTL: Duration = Duration::from_secs(1);

fn ada() -> AgentPresence {
    AgentPresence {
        agent: "ada".into(),
        ready: vec!["sms".into()],
    }
}

/// Desktops reach the bucket only through a gateway: the test connects as one.
async fn as_gateway(server: &NatsServer) -> async_nats::Client {
    server
        .gateway_bus()
        .connect_options()
        .connect(server.url())
        .await
        .expect("connected as a gateway")
}

async fn next_change(
    changes: &mut (impl futures_util::Stream<Item = PresenceChange> + Unpin),
    within: Duration,
) -> PresenceChange {
    tokio::time::timeout(within, changes.next())
        .await
        .expect("a change in time")
        .expect("the watch goes on")
}

#[tokio::test]
async fn a_silent_desktop_is_gone_within_its_time_to_live_and_a_second() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = NatsServer::start(dir.path().to_path_buf()).expect("nats-server");
    let client = as_gateway(&server).await;
    let board = PresenceBoard::open(client, "t_presence", TTL)
        .await
        .expect("bucket");
    let mut changes = Box::pin(board.watch().await.expect("watch"));

    board.heartbeat(&ada()).await.expect("heartbeat");
    assert_eq!(
        next_change(&mut changes, Duration::from_secs(2)).await,
        PresenceChange::Alive(ada())
    );
    assert_eq!(board.present().await.expect("present"), [ada()]);

    // The desktop dies: no more heartbeats.
    let last_heartbeat = Instant::now();
    let gone = next_change(&mut changes, TTL + Duration::from_secs(3)).await;
    let after = last_heartbeat.elapsed();
    assert_eq!(
        gone,
        PresenceChange::Gone {
            agent: "ada".into()
        }
    );
    assert!(
        after <= TTL + Duration::from_secs(1),
        "seen gone after {after:?}, allowed {:?}",
        TTL + Duration::from_secs(1)
    );
    assert!(board.present().await.expect("present").is_empty());
}

#[tokio::test]
async fn heartbeats_keep_a_desktop_present_and_a_sign_out_is_seen_at_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = NatsServer::start(dir.path().to_path_buf()).expect("nats-server");
    let client = as_gateway(&server).await;
    let board = PresenceBoard::open(client, "t_leave", TTL)
        .await
        .expect("bucket");
    let mut changes = Box::pin(board.watch().await.expect("watch"));
    // Heartbeats every half time-to-live for three times-to-live: never gone.
    let started = Instant::now();
    while started.elapsed() < TTL * 3 {
        board.heartbeat(&ada()).await.expect("heartbeat");
        let change = next_change(&mut changes, Duration::from_secs(2)).await;
        assert_eq!(change, PresenceChange::Alive(ada()), "still present");
        tokio::time::sleep(TTL / 2).await;
    }
    board.leave("ada").await.expect("left");
    assert_eq!(
        next_change(&mut changes, Duration::from_millis(500)).await,
        PresenceChange::Gone {
            agent: "ada".into()
        }
    );
}
