//! `kill -9` of a cluster desktop holding offered and accepted work (a child process), against
//! a NATS server this test starts and the machine's PostgreSQL: its offers reach another agent
//! within the presence time-to-live plus a second, and the interactions it had accepted are
//! offered again after the configured grace period, transcript intact.

use std::{
    collections::HashSet,
    io::{BufRead, BufReader},
    process::{Command, Stdio},
    sync::Arc,
    time::{Duration, Instant},
};

use switchboard_edge::{InboundSms, Received};
use switchboard_platform_cluster::{
    gateway::{Gateway, GatewaySettings},
    nats_server::NatsServer,
};
use switchboard_seam::clock::SystemClock;
use switchboard_store_postgres::PgStore;
use switchboard_tests::headless_agent::{HeadlessAgent, enroll, test_database};

const PRESENCE: Duration = Duration::from_secs(1);
const RETURN_AFTER: Duration = Duration::from_secs(2);

/// Pumps marc's desk until his offers name every interaction of `ids`, at most `within`.
fn offered_all(marc: &mut HeadlessAgent, ids: &[String], within: Duration) -> bool {
    let deadline = Instant::now() + within;
    loop {
        marc.desk.pump();
        let offered: HashSet<String> = marc
            .desk
            .offers()
            .iter()
            .map(|o| o.row.id.clone())
            .collect();
        if ids.iter().all(|id| offered.contains(id)) {
            return true;
        }
        if Instant::now() > deadline {
            return false;
        }
        marc.wait(Duration::from_millis(50));
    }
}

#[test]
fn a_killed_desktops_offers_and_accepted_work_reach_another_agent() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = NatsServer::start(dir.path().to_path_buf()).expect("nats-server");
    let schema = format!("t{}_cluster_crash", std::process::id());
    let store = PgStore::connect(&test_database(), &schema).expect("store");
    let prefix = format!("kc{}", std::process::id());
    let gateway = Gateway::start_with(
        &server.gateway_bus(),
        &prefix,
        store,
        Arc::new(SystemClock),
        PRESENCE,
        GatewaySettings {
            return_after: RETURN_AFTER,
            roles: switchboard_seam::roles::RolePolicies::unrestricted(),
            ..GatewaySettings::default()
        },
    )
    .expect("gateway");
    enroll(&gateway, &["ada", "marc"]);

    let mut ada = Command::new(env!("CARGO_BIN_EXE_cluster_child"))
        .args([&server.url(), &prefix, "ada", "2", "1"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("ada's desktop started");
    let mut said = BufReader::new(ada.stdout.take().expect("stdout")).lines();
    assert_eq!(said.next().and_then(Result::ok).as_deref(), Some("ready"));

    let mut ids = Vec::new();
    for n in 0..3 {
        match gateway
            .receive_sms(InboundSms {
                from: format!("+3361234500{n}"),
                to: "+15550100".into(),
                body: format!("Bonjour {n}"),
                message_sid: Some(format!("SMk{n}")),
                ..Default::default()
            })
            .expect("stored")
        {
            Received::Opened(id) => ids.push(id),
            other => panic!("{other:?}"),
        }
    }
    let holding = said.next().and_then(Result::ok).unwrap_or_default();
    assert_eq!(
        holding, "holding 2 offered 1",
        "ada accepted two and holds one offer"
    );

    let mut marc = HeadlessAgent::on_sms_page(&server.url(), &prefix, PRESENCE, &["marc"], "marc");
    marc.wait(Duration::from_millis(300));
    marc.desk.pump();
    assert!(
        marc.desk.offers().is_empty(),
        "ada's work is hers while she lives"
    );

    ada.kill().expect("SIGKILL");
    let _ = ada.wait();
    let killed = Instant::now();
    let accepted_by_ada: Vec<String> = {
        let store = gateway.store();
        ids.iter()
            .filter(|id| {
                use switchboard_seam::records::InteractionRecords;
                store.interaction(id).ok().flatten().is_some_and(|row| {
                    row.state == switchboard_seam::records::InteractionState::Accepted
                })
            })
            .cloned()
            .collect()
    };
    assert_eq!(accepted_by_ada.len(), 2);
    let offered_to_ada: Vec<String> = ids
        .iter()
        .filter(|id| !accepted_by_ada.contains(id))
        .cloned()
        .collect();

    assert!(
        offered_all(
            &mut marc,
            &offered_to_ada,
            PRESENCE + Duration::from_secs(3)
        ),
        "ada's offer reaches marc"
    );
    let took = killed.elapsed();
    assert!(
        took <= PRESENCE + Duration::from_secs(1),
        "her offer reached marc after {took:?}"
    );
    assert!(
        offered_all(
            &mut marc,
            &accepted_by_ada,
            PRESENCE + RETURN_AFTER + Duration::from_secs(3)
        ),
        "her accepted work is offered again"
    );
    let took = killed.elapsed();
    assert!(
        took >= RETURN_AFTER,
        "accepted work waited the grace period ({took:?})"
    );
    for id in &accepted_by_ada {
        marc.desk.accept(id).expect("marc accepts");
        marc.desk.settle();
        let first = marc
            .desk
            .interaction(id)
            .and_then(|open| open.transcript.first().map(|e| e.text.to_string()));
        assert!(
            first.is_some_and(|text| text.starts_with("Bonjour")),
            "{id} comes with its transcript"
        );
    }

    drop(marc);
    drop(gateway);
    PgStore::connect(&test_database(), &schema)
        .expect("store")
        .drop_schema()
        .expect("dropped");
}
