//! The Communication view's desk side through the real host: the contacts an agent handled
//! with unread counts and read marks, an outbound SMS session started from a contact, and a
//! customer's web chat continued after it was done while their page is still open.

use switchboard_core::desk::Outbound;
use switchboard_platform_embedded::DEFAULT_SESSION_NUMBER;
use switchboard_store_sqlite::prelude::*;
use switchboard_tests::{
    World, config_with_role, counting_store::assert_none_on_the_window_thread, library,
};
use tokio::sync::mpsc::unbounded_channel;

const CUSTOMER: &str = "+1 415 555 0142";

fn world() -> World {
    let config = config_with_role(&["sms-session", "chat"], "permissions = [\"outbound-sms\"]");
    let mut world = World::new(&[library("sms_session"), library("chat")], config);
    world.ready_agent("sms-session");
    world.desk.set_ready("chat", true).expect("ready");
    world
}

#[test]
fn handled_contacts_list_unread_messages_until_read() {
    let mut world = world();
    world.customer_writes_to(CUSTOMER, DEFAULT_SESSION_NUMBER, "Hello, my parcel?");
    let id = world.accept_first_offer();
    world.agent_sends(&id, "Checking now.");
    world.advance_seconds(10);
    world.customer_writes_to(CUSTOMER, DEFAULT_SESSION_NUMBER, "Any news?");
    world.customer_writes_to(CUSTOMER, DEFAULT_SESSION_NUMBER, "Hello??");

    let assigned = world.looked_up(|desk| desk.assigned_contacts(1).expect("signed in"));
    assert_eq!(assigned.len(), 1);
    assert_eq!(assigned[0].contact.phone(), Some(CUSTOMER));
    assert_eq!(assigned[0].unread, 2);
    assert_eq!(assigned[0].media_types, ["sms-session"]);

    world.advance_seconds(1);
    let contact = assigned[0].contact.id;
    world.desk_store.take_by_thread();
    world.desk.mark_contact_read(contact).expect("read");
    world.desk.settle();
    // The same round of the view: the list is read again once the records took the mark.
    let read_again = world.looked_up(|desk| desk.assigned_contacts(1).expect("signed in"));
    assert_eq!(read_again[0].unread, 0);
    let calls = world.desk_store.take_by_thread();
    assert_none_on_the_window_thread(&calls);
    assert_eq!(
        calls.get(&("desk-requests".to_owned(), "mark_contact_read")),
        Some(&1)
    );
    let conversations = world.looked_up(|desk| desk.contact_conversations(contact, "news", 0));
    assert_eq!(conversations.len(), 1);
    assert_eq!(conversations[0].transcript.len(), 4);
}

#[test]
fn an_sms_conversation_starts_from_a_contact() {
    let mut world = world();
    world.named_customer_writes("+33 6 12 34 56 78", "Camille Martin", "Bonjour");
    let contact = world
        .store
        .search_contacts("Camille", 1)
        .expect("search")
        .remove(0);
    let id = world
        .desk
        .start_outbound(
            contact.id,
            Outbound::Sms {
                number: "+33 6 12 34 56 78".into(),
            },
        )
        .expect("started");
    assert_eq!(world.desk.selected(), Some(id.as_str()));
    let open = world.desk.interaction(&id).expect("open");
    assert_eq!(open.row.media_type, "sms-session");
    assert!(open.view.as_ref().expect("view").composer.enabled);
    world.agent_sends(&id, "Bonjour Camille, votre colis est arrivé.");
    let sent = world.platform.gateway_sent();
    assert_eq!(sent.last().map(|s| s.to.as_str()), Some("+33612345678"));
    assert_eq!(
        sent.last().map(|s| s.from.as_str()),
        Some(DEFAULT_SESSION_NUMBER)
    );
    // The contact's answer joins the outbound session.
    world.customer_writes_to("+33612345678", DEFAULT_SESSION_NUMBER, "Merci !");
    assert_eq!(world.texts(&id).last().map(String::as_str), Some("Merci !"));
}

#[test]
fn a_done_chat_continues_while_the_customers_page_is_open() {
    let mut world = world();
    let (sender, mut page) = unbounded_channel();
    let connection = world.platform.chat_start("Jordan Lee", sender);
    world
        .platform
        .chat_customer_says(&connection.token, "Can you email me the invoice?")
        .expect("stored");
    world.desk.pump();
    let first = world.accept_first_offer();
    world.desk.action(&first, "end").expect("end");
    world.desk.action(&first, "done").expect("done");
    world.desk.settle();
    assert!(world.desk.interaction(&first).is_none());
    while page.try_recv().is_ok() {}

    let contact = world.looked_up(|desk| desk.assigned_contacts(1).expect("signed in"))[0].clone();
    assert!(contact.chat_address.is_some());
    let id = world
        .desk
        .start_outbound(contact.contact.id, Outbound::Chat)
        .expect("continued");
    world.agent_sends(&id, "The invoice is on its way.");
    let received: Vec<String> = std::iter::from_fn(|| page.try_recv().ok()).collect();
    assert!(
        received
            .iter()
            .any(|json| json.contains("The invoice is on its way.")),
        "{received:?}"
    );
    world
        .platform
        .chat_customer_says(&connection.token, "Thanks!")
        .expect("stored");
    world.desk.pump();
    assert_eq!(world.texts(&id).last().map(String::as_str), Some("Thanks!"));

    world.platform.chat_disconnect(&connection);
    let refused = world
        .desk
        .start_outbound(contact.contact.id, Outbound::Chat);
    assert!(refused.is_err_and(|e| e.to_string().contains("page is closed")));
}
