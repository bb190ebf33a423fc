//! A WhatsApp customer on the cluster, as on the embedded platform: a message posted to the
//! gateway from a `whatsapp:` address opens a WhatsApp conversation (not an SMS), offered to
//! an agent whose desk runs the real `whatsapp` plugin; the customer's next message joins
//! that conversation and reaches the agent; the agent's reply goes out (a NATS server this
//! test starts, the machine's PostgreSQL).

use std::time::Duration;

use switchboard_core::config::Config;
use switchboard_edge::{InboundSms, Received};
use switchboard_seam::records::InteractionRecords as _;
use switchboard_tests::{
    headless_agent::{HeadlessAgent, TestDeployment},
    library,
};

const PRESENCE: Duration = Duration::from_secs(2);
const WITHIN: Duration = Duration::from_secs(5);

fn config() -> Config {
    Config::parse(
        "[roles.messaging]\nchannels = [\"whatsapp\"]\n\
         [[agents]]\nid = \"ada\"\nname = \"Ada Lovelace\"\nrole = \"messaging\"\n",
        "messaging configuration",
    )
    .expect("configuration")
}

fn from_customer(body: &str, sid: &str) -> InboundSms {
    InboundSms {
        from: "whatsapp:+447700900123".into(),
        to: "whatsapp:+15550100".into(),
        body: body.into(),
        message_sid: Some(sid.into()),
        ..Default::default()
    }
}

#[test]
fn a_whatsapp_customer_reaches_the_whatsapp_plugin_through_the_gateway() {
    let deployment = TestDeployment::start("whatsapp", PRESENCE, &["ada"]);
    let gateway = &deployment.gateway;
    let mut ada = HeadlessAgent::sign_in(
        &deployment.server.url(),
        &deployment.prefix,
        PRESENCE,
        config(),
        &[library("whatsapp")],
        "ada",
        "whatsapp",
    );

    let Received::Opened(id) = gateway
        .receive_sms(from_customer("Hello from WhatsApp", "SMwa1"))
        .expect("stored")
    else {
        panic!("the first message opens a conversation");
    };
    let row = gateway
        .store()
        .interaction(&id)
        .expect("read")
        .expect("stored");
    assert_eq!(row.media_type, "whatsapp", "not an SMS");

    assert!(
        ada.until(WITHIN, |a| !a.desk.offers().is_empty()),
        "offered"
    );
    ada.desk.accept(&id).expect("accepted");
    ada.desk.settle();
    assert!(
        ada.until(WITHIN, |a| a.desk.interaction(&id).is_some()),
        "open"
    );

    // The customer writes again: the same conversation, on Ada's desk.
    assert_eq!(
        gateway
            .receive_sms(from_customer("Are you there?", "SMwa2"))
            .expect("stored"),
        Received::Joined(id.clone())
    );
    assert!(
        ada.until(WITHIN, |a| a.desk.interaction(&id).is_some_and(|open| {
            open.transcript
                .iter()
                .any(|e| e.text.as_str() == "Are you there?")
        })),
        "the next message reaches the open conversation"
    );

    // Ada's reply leaves through the gateway (recorded sent: no provider in this test).
    ada.desk.interaction_mut(&id).expect("open").draft = "Yes, how can I help?".into();
    ada.desk.composer_changed(&id);
    ada.desk.send(&id).expect("sent");
    ada.desk.settle();
    assert!(
        ada.until(WITHIN, |a| a.desk.interaction(&id).is_some_and(|open| {
            open.transcript.iter().any(|e| {
                e.text.as_str() == "Yes, how can I help?"
                    && e.role() == Some(switchboard_sdk::Role::Agent)
            })
        })),
        "the reply is in the transcript"
    );
}
