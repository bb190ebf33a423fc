//! Two agents' real desks and `internal-im` plugins, headless, on one cluster gateway (a NATS
//! server this test starts, the machine's PostgreSQL): ada finds marc in the Team
//! Communicator, sees him present, and her first message invites him; marc's desk is offered
//! it, he accepts, and their messages go both ways.

use std::{sync::Arc, time::Duration};

use switchboard_core::{config::Config, directory::TargetKind};
use switchboard_platform_cluster::{
    gateway::{Gateway, GatewaySettings},
    nats_server::NatsServer,
};
use switchboard_sdk::{ConnectionState, Role};
use switchboard_seam::{
    clock::SystemClock,
    parties::{DirectoryEntry, Presence},
};
use switchboard_store_postgres::PgStore;
use switchboard_tests::{
    headless_agent::{HeadlessAgent, enroll, test_database},
    library,
};

const PRESENCE: Duration = Duration::from_secs(2);
const WITHIN: Duration = Duration::from_secs(5);

fn config() -> Config {
    Config::parse(
        "[roles.team]\nchannels = [\"internal-im\"]\npermissions = [\"internal-im\"]\n\
         [roles.team.timers]\ninvitation_timeout_seconds = 30\n\
         [[agents]]\nid = \"ada\"\nname = \"Ada Lovelace\"\nrole = \"team\"\n\
         [[agents]]\nid = \"marc\"\nname = \"Marc Dubois\"\nrole = \"team\"\n",
        "team configuration",
    )
    .expect("configuration")
}

fn state(agent: &HeadlessAgent, id: &str) -> Option<ConnectionState> {
    let view = agent.desk.interaction(id)?.view.as_ref()?;
    view.header.state.as_enum().ok().copied()
}

fn last_text(agent: &HeadlessAgent, id: &str) -> Option<(String, Option<Role>)> {
    let open = agent.desk.interaction(id)?;
    open.transcript
        .last()
        .map(|e| (e.text.to_string(), e.role()))
}

fn write(agent: &mut HeadlessAgent, id: &str, text: &str) {
    agent.desk.interaction_mut(id).expect("open").draft = text.into();
    agent.desk.composer_changed(id);
    agent.desk.send(id).expect("sent");
    agent.desk.settle();
}

#[test]
fn two_desks_exchange_instant_messages_through_the_gateway() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = NatsServer::start(dir.path().to_path_buf()).expect("nats-server");
    let schema = format!("t{}_cluster_im", std::process::id());
    let store = PgStore::connect(&test_database(), &schema).expect("store");
    let prefix = format!("ci{}", std::process::id());
    let agent = |id: &str, name: &str| DirectoryEntry {
        kind: TargetKind::Agent,
        id: id.into(),
        name: name.into(),
        detail: "team".into(),
        phone: None,
    };
    let gateway = Gateway::start_with(
        &server.gateway_bus(),
        &prefix,
        store,
        Arc::new(SystemClock),
        PRESENCE,
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
    enroll(&gateway, &["ada", "marc"]);
    let sign_in = |agent: &str| {
        HeadlessAgent::sign_in(
            &server.url(),
            &prefix,
            PRESENCE,
            config(),
            &[library("internal_im")],
            agent,
            "internal-im",
        )
    };
    let mut ada = sign_in("ada");
    let mut marc = sign_in("marc");

    // The Team Communicator lists the deployment's agents, not the demo's people.
    let agents_named = |agent: &HeadlessAgent, query: &str| -> Vec<String> {
        agent
            .desk
            .team_search(query)
            .into_iter()
            .filter(|r| r.target.kind == TargetKind::Agent)
            .map(|r| r.target.id)
            .collect()
    };
    // The directory follows the connection: the window never waited for it.
    assert!(
        ada.until(WITHIN, |a| agents_named(a, "a") == ["ada", "marc"]),
        "the deployment's agents arrive in the Team Communicator"
    );
    assert!(agents_named(&ada, "Grace").is_empty(), "no demo colleague");
    let found = ada
        .desk
        .team_search("Marc")
        .into_iter()
        .find(|r| r.target.kind == TargetKind::Agent && r.target.id == "marc")
        .expect("marc in the Team Communicator");
    assert!(
        ada.until(WITHIN, |a| a.desk.team_search("Marc").iter().any(|r| r
            .target
            .id
            == "marc"
            && r.target.presence == Some(Presence::Ready))),
        "ada sees marc Ready"
    );
    let ada_side = ada.desk.start_im(&found.target, None).expect("started");
    write(
        &mut ada,
        &ada_side,
        "Tu peux prendre un client en français ?",
    );
    assert_eq!(state(&ada, &ada_side), Some(ConnectionState::Establishing));

    assert!(
        marc.until(WITHIN, |m| !m.desk.offers().is_empty()),
        "marc is invited"
    );
    let offer = marc.desk.offers()[0].clone();
    assert_eq!(
        offer.first_message.as_ref().map(|m| m.text.to_string()),
        Some("Tu peux prendre un client en français ?".to_owned())
    );
    let marc_side = offer.row.id.clone();
    marc.desk.accept(&marc_side).expect("accepted");
    marc.desk.settle();
    assert!(
        ada.until(WITHIN, |a| state(a, &ada_side)
            == Some(ConnectionState::Connected)),
        "ada's side connects when marc accepts"
    );

    write(&mut marc, &marc_side, "Oui, passe-le-moi.");
    assert!(ada.until(WITHIN, |a| last_text(a, &ada_side)
        == Some(("Oui, passe-le-moi.".to_owned(), Some(Role::OtherAgent)))));
    write(&mut ada, &ada_side, "Merci !");
    assert!(marc.until(WITHIN, |m| last_text(m, &marc_side)
        == Some(("Merci !".to_owned(), Some(Role::OtherAgent)))));

    drop((ada, marc, gateway));
    PgStore::connect(&test_database(), &schema)
        .expect("store")
        .drop_schema()
        .expect("dropped");
}
