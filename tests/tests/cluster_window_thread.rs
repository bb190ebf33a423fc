//! On a cluster desktop the window's thread never waits for the gateway when the agent hands
//! work over or talks to a customer's page: typing, a pushed link, ending a chat, a transfer
//! and an invitation are asked on the desk's requests thread (the desktop records which thread
//! asked each request; the test's thread stands for the window's).

use switchboard_tests::parity::{CHANNELS, ClusterFloor, Floor, SESSION_NUMBER, config, libraries};

#[test]
fn typing_links_ending_transfers_and_invitations_are_asked_off_the_window_thread() {
    let window = std::thread::current()
        .name()
        .expect("the test's thread has a name")
        .to_owned();
    let mut floor = ClusterFloor::start(config(), &libraries(), CHANNELS);

    // A web chat: typing, a pushed link, a reply, the end.
    let mut page = floor.customer_opens_chat("Jordan Lee");
    floor.customer_chats(&page, "Où en est ma commande ?");
    let chat = floor.accept_offer_of("Où en est ma commande ?");
    floor.desk_mut().interaction_mut(&chat).expect("open").draft = "Je regarde".into();
    floor.desk_mut().composer_changed(&chat);
    floor.until_page(&mut page, "the agent typing", |f| f["type"] == "typing");
    floor
        .desk_mut()
        .push_url(&chat, "https://shop.example/track/48213")
        .expect("pushed");
    floor.until_page(&mut page, "the pushed link", |f| f["type"] == "link");
    floor.desk_mut().action(&chat, "end").expect("end");
    floor.until_page(&mut page, "the end", |f| f["type"] == "ended");

    // A session handed to Grace, after inviting her to a consultation about it.
    floor.customer_writes("+447700900123", SESSION_NUMBER, "Un remboursement");
    let sms = floor.accept_offer_of("Un remboursement");
    floor.colleague_answers("grace", true);
    let consultation = floor.consult(&sms, "grace");
    floor.agent_sends(&consultation, "Tu valides ?");
    let grace = floor.colleague("grace");
    floor.desk_mut().action(&sms, "transfer").expect("transfer");
    floor
        .desk_mut()
        .choose_target(&sms, &grace)
        .expect("chosen");
    floor.until("the session handed to Grace", |desk| {
        desk.interaction(&sms).is_none()
    });

    let backend = &floor.agent.backend;
    for verb in [
        "typing",
        "push_url",
        "end_conversation",
        "invite",
        "transfer",
    ] {
        let threads = backend.threads_asking(verb);
        assert!(!threads.is_empty(), "{verb} was asked");
        assert!(
            !threads.contains(&window),
            "{verb} was asked on the window's thread: {threads:?}"
        );
    }
}
