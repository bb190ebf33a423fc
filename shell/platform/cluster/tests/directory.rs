//! The directory follows the sign-in: a desktop opens at once with an empty Team Communicator
//! (never the demo's people), and the deployment's agents arrive from the gateway once its
//! agent is let in (a real NATS server this test starts, the machine's PostgreSQL).

use std::{sync::Arc, time::Duration};

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

use common::{Desktop, TTL, database, enroll, scratch_schema};

#[test]
fn a_desktop_opens_with_an_empty_directory_and_the_gateway_gives_it_at_sign_in() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = NatsServer::start(dir.path().to_path_buf()).expect("nats-server");
    let prefix = format!("dir{}", std::process::id());

    // Before anyone signs in: nothing to list (never the demo's people), nothing asked.
    let idle = ClusterBackend::connect(&server.url(), &prefix, TTL).expect("desktop");
    assert_eq!(idle.directory(), Some(Vec::new()));

    let agent = |id: &str, name: &str| DirectoryEntry {
        kind: switchboard_seam::parties::TargetKind::Agent,
        id: id.into(),
        name: name.into(),
        detail: "team".into(),
        phone: None,
    };
    let gateway = Gateway::start_with(
        &server.gateway_bus(),
        &prefix,
        PgStore::connect(&database(), &scratch_schema("directory")).expect("store"),
        Arc::new(SystemClock),
        TTL,
        GatewaySettings {
            directory: Some(vec![
                agent("ada", "Ada Lovelace"),
                agent("marc", "Marc Dubois"),
            ]),
            roles: switchboard_seam::roles::RolePolicies::unrestricted(),
            ..GatewaySettings::default()
        },
    )
    .expect("gateway");
    enroll(&gateway, &["ada"]);

    let ada = Desktop::sign_in(&server.url(), &prefix, "ada");
    let entries = ada
        .wait_for(Duration::from_secs(15), |event| match event {
            BackendEvent::Directory { entries } => Some(entries),
            _ => None,
        })
        .expect("the directory arrives once Ada is signed in");
    let ids: Vec<&str> = entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["ada", "marc"]);
    assert_eq!(ada.backend.directory().map(|d| d.len()), Some(2));
}
