//! Opening an accepted SMS on a cluster desktop asks the gateway twice: the answer to the
//! offer, then one record call for everything the interaction opens with (transcript, contact,
//! note, disposition, consultation, other interactions, pushed links), where it asked eight
//! times one after the other before. The real desk and `sms_page` plugin, a NATS server this
//! test starts, the machine's PostgreSQL.

use std::time::Duration;

use switchboard_edge::InboundSms;
use switchboard_tests::headless_agent::{HeadlessAgent, TestDeployment};

const PRESENCE: Duration = Duration::from_secs(2);
const WITHIN: Duration = Duration::from_secs(5);

#[test]
fn opening_an_accepted_sms_takes_two_round_trips() {
    let deployment = TestDeployment::start("roundtrips", PRESENCE, &["ada"]);
    let (gateway, prefix) = (&deployment.gateway, &deployment.prefix);
    let mut ada =
        HeadlessAgent::on_sms_page(&deployment.server.url(), prefix, PRESENCE, &["ada"], "ada");
    gateway
        .receive_sms(InboundSms {
            from: "+33612345678".into(),
            to: "+15550100".into(),
            body: "Bonjour, où en est ma commande ?".into(),
            message_sid: Some("SMrt1".into()),
            ..Default::default()
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
}
