//! Opening an accepted SMS on a cluster desktop asks the gateway twice: the answer to the
//! offer, then one record call for everything the interaction opens with (transcript, contact,
//! note, disposition, consultation, other interactions, pushed links), where it asked eight
//! times one after the other before. The real desk and `sms_page` plugin, a NATS server this
//! test starts, the machine's PostgreSQL.

use std::{sync::Arc, time::Duration};

use switchboard_platform_cluster::{
    gateway::{Gateway, InboundSms},
    nats_server::NatsServer,
};
use switchboard_seam::clock::SystemClock;
use switchboard_store_postgres::PgStore;
use switchboard_tests::headless_agent::{HeadlessAgent, enroll, test_database};

const PRESENCE: Duration = Duration::from_secs(2);
const WITHIN: Duration = Duration::from_secs(5);

#[test]
fn opening_an_accepted_sms_takes_two_round_trips() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = NatsServer::start(dir.path().to_path_buf()).expect("nats-server");
    let schema = format!("t{}_round_trips", std::process::id());
    let store = PgStore::connect(&test_database(), &schema).expect("store");
    let prefix = format!("rt{}", std::process::id());
    let gateway = Gateway::start(
        &server.gateway_bus(),
        &prefix,
        store,
        Arc::new(SystemClock),
        PRESENCE,
    )
    .expect("gateway");
    enroll(&gateway, &["ada"]);
    let mut ada = HeadlessAgent::on_sms_page(&server.url(), &prefix, PRESENCE, &["ada"], "ada");
    gateway
        .receive_sms(InboundSms {
            from: "+33612345678".into(),
            to: "+15550100".into(),
            body: "Bonjour, où en est ma commande ?".into(),
            provider_id: Some("SMrt1".into()),
            attachments: Vec::new(),
        })
        .expect("stored");
    assert!(
        ada.until(WITHIN, |a| !a.desk.offers().is_empty()),
        "offered"
    );
    let id = ada.desk.offers()[0].row.id.clone();

    let asked = |a: &HeadlessAgent| {
        a.backend.requests_asked("answer") + a.backend.requests_asked("records")
    };
    let before = asked(&ada);
    ada.desk.accept(&id).expect("accepted");
    assert!(
        ada.until(WITHIN, |a| a
            .desk
            .interaction(&id)
            .is_some_and(|open| !open.transcript.is_empty())),
        "the interaction opens with its transcript"
    );
    let open = ada.desk.interaction(&id).expect("open");
    assert_eq!(
        open.transcript[0].text.as_str(),
        "Bonjour, où en est ma commande ?"
    );
    assert!(open.contact.is_some(), "the contact card has the contact");
    assert_eq!(
        asked(&ada) - before,
        2,
        "round trips to open an accepted SMS"
    );

    drop(ada);
    drop(gateway);
    PgStore::connect(&test_database(), &schema)
        .expect("store")
        .drop_schema()
        .expect("dropped");
}
