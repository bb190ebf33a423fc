//! A consultation on the cluster, from the consulted colleague's desk: Ada consults Grace from
//! a customer's SMS session; Grace's desk (a second real desk on the same gateway) is offered
//! the consultation with Ada's first message and the case data, and once she accepts she sees
//! the customer's contact (not Ada) and may read but not change the case; asking to escalate
//! to voice is answered refused, in words (no telephony on the cluster). The embedded platform's
//! colleagues are simulated, so this side is tested here, on the cluster.

use switchboard_core::desk::Desk;
use switchboard_seam::records::InteractionRecords as _;
use switchboard_tests::parity::{CHANNELS, ClusterFloor, Floor, SESSION_NUMBER, config, libraries};

const CUSTOMER: &str = "+447700900123";

fn grace_desk(floor: &ClusterFloor) -> &Desk {
    &floor.colleagues.first().expect("Grace's desk").0.desk
}

#[test]
fn the_consulted_colleague_sees_the_customer_and_reads_the_case_without_changing_it() {
    let mut floor = ClusterFloor::start(config(), &libraries(), CHANNELS);
    floor.colleague_answers("grace", true);
    floor.customer_writes(CUSTOMER, SESSION_NUMBER, "Un remboursement de 300 euros");
    let sms = floor.accept_offer_of("Un remboursement de 300 euros");
    floor
        .deployment
        .gateway
        .store()
        .set_case_value(&sms, "order_id", "A-1042")
        .expect("case data");
    floor
        .desk_mut()
        .interaction_mut(&sms)
        .expect("open")
        .case_data = floor
        .deployment
        .gateway
        .store()
        .case_data(&sms)
        .expect("read");

    let im = floor.consult(&sms, "grace");
    floor.agent_sends(&im, "Au-dessus de ma limite, tu valides ?");

    // Grace's desk accepts what it is offered, and has the consultation open.
    let mut theirs = None;
    for _ in 0..200 {
        floor.let_colleagues_act();
        theirs = grace_desk(&floor)
            .interactions()
            .iter()
            .find(|open| open.row.media_type == "im")
            .map(|open| open.row.id.clone());
        if theirs.is_some() {
            break;
        }
        floor.wait_for_news(std::time::Duration::from_millis(50));
    }
    let theirs = theirs.expect("Grace accepted the consultation");
    let open = grace_desk(&floor).interaction(&theirs).expect("open");
    assert_eq!(
        open.contact.as_ref().and_then(|c| c.phone()),
        Some(CUSTOMER),
        "the customer's contact, not Ada"
    );
    assert!(open.is_read_only(), "the case is the customer's, read only");
    assert!(
        open.case_data
            .iter()
            .any(|kv| kv.key == "order_id" && kv.value == "A-1042"),
        "with the case data: {:?}",
        open.case_data
    );
    assert!(
        open.transcript
            .iter()
            .any(|e| e.text.as_str() == "Au-dessus de ma limite, tu valides ?"),
        "Ada's first message"
    );
    let colleague = &mut floor.colleagues[0].0.desk;
    assert!(
        colleague
            .set_case_value(&theirs, "order_id", "C-9")
            .is_err(),
        "read-only case data"
    );

    // Escalating to voice needs telephony the cluster does not have: said, not a second IM.
    floor
        .desk_mut()
        .action(&im, "voice-consultation")
        .expect("asked");
    floor.until("the refusal of a voice consultation shown", |desk| {
        desk.interaction(&im).is_some_and(|open| {
            open.transcript
                .iter()
                .any(|e| e.text.as_str().contains("telephony"))
        })
    });
}
