//! The directory follows the connection: a desktop that starts while no gateway answers opens
//! at once with an empty Team Communicator, and the deployment's agents arrive as soon as a
//! gateway starts, without a restart (a real NATS server this test starts, the machine's
//! PostgreSQL).

use std::{
    sync::{Arc, mpsc},
    time::{Duration, Instant},
};

use switchboard_platform_cluster::{
    desktop::ClusterBackend,
    gateway::{Gateway, GatewaySettings},
    nats_server::NatsServer,
};
use switchboard_seam::{
    backend::{Backend, BackendEvent},
    clock::SystemClock,
    parties::DirectoryEntry,
};
use switchboard_store_postgres::PgStore;

mod common;

use common::{TTL, database, scratch_schema};

#[test]
fn a_desktop_opens_without_a_gateway_and_the_directory_arrives_when_one_starts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = NatsServer::start(dir.path().to_path_buf()).expect("nats-server");
    let prefix = format!("dir{}", std::process::id());

    // No gateway yet: the desktop connects, and its directory is empty (never the demo's).
    let backend = ClusterBackend::connect(&server.url(), &prefix, TTL).expect("connected");
    assert_eq!(backend.directory(), Some(Vec::new()));
    let (tell, arrived) = mpsc::channel();
    let tell = std::sync::Mutex::new(tell);
    backend.set_waker(Arc::new(move || {
        let _ = tell.lock().map(|t| t.send(()));
    }));

    let agent = |id: &str, name: &str| DirectoryEntry {
        kind: switchboard_seam::parties::TargetKind::Agent,
        id: id.into(),
        name: name.into(),
        detail: "team".into(),
        phone: None,
    };
    let _gateway = Gateway::start_with(
        &server.url(),
        &prefix,
        PgStore::connect(&database(), &scratch_schema("directory")).expect("store"),
        Arc::new(SystemClock),
        TTL,
        GatewaySettings {
            directory: Some(vec![
                agent("ada", "Ada Lovelace"),
                agent("marc", "Marc Dubois"),
            ]),
            ..GatewaySettings::default()
        },
    )
    .expect("gateway");

    let deadline = Instant::now() + Duration::from_secs(15);
    let entries = loop {
        let found = backend.poll().into_iter().find_map(|event| match event {
            BackendEvent::Directory { entries } => Some(entries),
            _ => None,
        });
        if let Some(entries) = found {
            break entries;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(
            !left.is_zero() && arrived.recv_timeout(left).is_ok(),
            "the directory never arrived"
        );
    };
    let ids: Vec<&str> = entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["ada", "marc"]);
    assert_eq!(backend.directory().map(|d| d.len()), Some(2));
}
