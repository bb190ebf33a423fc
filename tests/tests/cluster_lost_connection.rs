//! A desktop whose NATS server stops and starts again (a server this test starts on a port of
//! its own, and the machine's PostgreSQL): the desk shows the platform unavailable, keeps the
//! open interaction and its draft, refuses to send with a reason while the link is down (the
//! draft stays), and when the server is back it is Ready again without a click: new work is
//! offered and the kept reply goes out.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use switchboard_edge::InboundSms;
use switchboard_platform_cluster::{gateway::Gateway, nats_server::NatsServer};
use switchboard_seam::{clock::SystemClock, records::InteractionRecords};
use switchboard_store_postgres::PgStore;
use switchboard_tests::headless_agent::{HeadlessAgent, enroll, test_database};

const PRESENCE: Duration = Duration::from_secs(2);

fn sms(n: u32) -> InboundSms {
    InboundSms {
        from: format!("+3361234567{n}"),
        to: "+15550100".into(),
        body: format!("Message {n}"),
        message_sid: Some(format!("SMlost{n}")),
        ..Default::default()
    }
}

#[test]
fn a_desktop_rides_out_a_lost_nats_server_and_is_ready_again_without_a_click() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut server = NatsServer::start(dir.path().to_path_buf()).expect("nats-server");
    let (port, url) = (server.port(), server.url());
    let schema = format!("t{}_lost_link", std::process::id());
    let store = PgStore::connect(&test_database(), &schema).expect("store");
    let prefix = format!("ll{}", std::process::id());
    let gateway = Gateway::start(
        &server.gateway_bus(),
        &prefix,
        store,
        Arc::new(SystemClock),
        PRESENCE,
    )
    .expect("gateway");
    enroll(&gateway, &["ada"]);
    let mut ada = HeadlessAgent::on_sms_page(&url, &prefix, PRESENCE, &["ada"], "ada");

    gateway.receive_sms(sms(1)).expect("stored");
    assert!(ada.until(Duration::from_secs(5), |a| !a.desk.offers().is_empty()));
    let id = ada.desk.offers()[0].row.id.clone();
    ada.desk.accept(&id).expect("accepted");
    ada.desk.settle();
    let draft = "Votre colis arrive demain.";
    ada.desk.interaction_mut(&id).expect("open").draft = draft.into();
    ada.desk.composer_changed(&id);

    server.stop();
    assert!(
        ada.until(Duration::from_secs(5), |a| !a.desk.link_up()),
        "the desk shows the platform unavailable"
    );
    assert_eq!(
        ada.desk.interaction(&id).map(|open| open.draft.clone()),
        Some(draft.to_owned()),
        "the interaction and its draft stay"
    );
    // Sending while the link is down is refused at once, with a reason; the draft stays. A
    // send that asked the lost link would wait out the desktop's 3-second request time-out;
    // the bound leaves room for a loaded machine without letting that wait through.
    let tried = Instant::now();
    let _ = ada.desk.send(&id);
    assert!(
        tried.elapsed() < Duration::from_millis(2_500),
        "nothing waits on the lost link"
    );
    let open = ada.desk.interaction(&id).expect("still open");
    assert_eq!(open.draft, draft, "the refused reply is kept");
    assert!(
        open.error.is_some(),
        "the reason is shown on the interaction"
    );

    let _server = NatsServer::start_on(port, dir.path().to_path_buf()).expect("nats-server again");
    assert!(
        ada.until(Duration::from_secs(10), |a| a.desk.link_up()),
        "the desk reconnects by itself"
    );
    // Ready again without a click: new work is offered.
    gateway.receive_sms(sms(2)).expect("stored");
    assert!(
        ada.until(Duration::from_secs(10), |a| a
            .desk
            .offers()
            .iter()
            .any(|o| o.row.id != id)),
        "ada is offered new work after the link came back"
    );
    // The kept reply goes out now.
    ada.desk.send(&id).expect("sent");
    ada.desk.settle();
    assert!(
        ada.desk.interaction(&id).is_none(),
        "page mode closes as it sends"
    );
    let transcript = gateway.store().transcript(&id).expect("transcript");
    assert_eq!(
        transcript.last().map(|e| e.text.to_string()),
        Some(draft.to_owned())
    );

    drop(ada);
    drop(gateway);
    PgStore::connect(&test_database(), &schema)
        .expect("store")
        .drop_schema()
        .expect("dropped");
}
