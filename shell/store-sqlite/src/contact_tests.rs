//! Contact record tests: unknown senders, several addresses, custom fields, conflicts, and the
//! migration of records written before them.

use switchboard_sdk::{DeliveryStatus, Timestamp};

use super::*;

fn opening_from(id: &str, number: &str, name: &str) -> (InteractionRow, NewMessage) {
    let row = InteractionRow {
        id: id.into(),
        media_type: "sms".into(),
        contact_name: name.into(),
        contact_address: number.into(),
        our_address: "+15550100".into(),
        state: InteractionState::Queued,
        agent_id: None,
        created: Timestamp(1000),
        done: false,
        case_data: Vec::new(),
    };
    let message = NewMessage {
        interaction: id.into(),
        role: Role::Contact,
        author: name.into(),
        author_key: "contact".into(),
        time: Timestamp(1000),
        body: "hello".into(),
        status: DeliveryStatus::None,
        provider_id: None,
        parts: 1,
    };
    (row, message)
}

fn receive(store: &Store, id: &str, number: &str, name: &str) -> Contact {
    let (row, message) = opening_from(id, number, name);
    store.record_opening(&row, &message, &[]).expect("stored");
    store
        .contact_of_interaction(id)
        .expect("read")
        .expect("has a contact")
}

fn point(label: &str, value: &str) -> ContactPoint {
    ContactPoint {
        label: label.into(),
        value: value.into(),
    }
}

#[test]
fn an_unknown_sender_stays_unknown_until_an_agent_creates_the_contact() {
    let store = Store::open_in_memory().expect("store");
    let unknown = receive(&store, "i1", "+33612345678", "+33612345678");
    assert!(!unknown.known);
    assert_eq!(unknown.display_name, "+33612345678");
    assert_eq!(unknown.phone(), Some("+33612345678"));
    assert!(
        store
            .search_contacts("3361234", 10)
            .expect("search")
            .is_empty(),
        "unknown senders are not offered as contacts"
    );

    let mut created = unknown.clone();
    created.first_name = " Camille ".into();
    created.last_name = "Martin".into();
    created.phones.push(point("work", "+33 7 11 22 33 44"));
    created.emails.push(point("home", "camille@example.org"));
    created.fields.push(ContactField {
        name: "Loyalty tier".into(),
        value: "Gold".into(),
    });
    assert!(created.problems().is_empty(), "{:?}", created.problems());
    store.update_contact(&created).expect("saved");

    let saved = store.contact(unknown.id).expect("read").expect("exists");
    assert!(saved.known);
    assert_eq!(saved.display_name, "Camille Martin");
    assert_eq!(saved.first_name, "Camille");
    assert_eq!(saved.phones.len(), 2);
    assert_eq!(saved.email(), Some("camille@example.org"));
    assert_eq!(saved.field("loyalty tier"), Some("Gold"));
    for query in ["Camille", "33 7 11", "example.org", "Gold"] {
        let found = store.search_contacts(query, 10).expect("search");
        assert_eq!(
            found.iter().map(|c| c.id).collect::<Vec<_>>(),
            [unknown.id],
            "{query}"
        );
    }
}

#[test]
fn a_message_from_a_second_number_in_any_format_reaches_the_same_contact() {
    let store = Store::open_in_memory().expect("store");
    let mut contact = receive(&store, "i1", "+33612345678", "Camille Martin");
    assert!(
        contact.known,
        "a sender the platform names is a known contact"
    );
    assert_eq!(
        (contact.first_name.as_str(), contact.last_name.as_str()),
        ("Camille", "Martin")
    );
    contact.phones.push(point("home", "+33 (7) 11-22-33-44"));
    store.update_contact(&contact).expect("saved");
    let again = receive(&store, "i2", "+33711223344", "+33711223344");
    assert_eq!(again.id, contact.id);
}

#[test]
fn an_address_another_contact_has_is_refused_naming_that_contact() {
    let store = Store::open_in_memory().expect("store");
    receive(&store, "i1", "+33612345678", "Camille Martin");
    let mut other = receive(&store, "i2", "+15550101", "Ada Park");
    other.phones.push(point("work", "+33 6 12 34 56 78"));
    let error = store.update_contact(&other).expect_err("refused");
    assert_eq!(
        error.to_string(),
        "+33 6 12 34 56 78 already belongs to the contact Camille Martin"
    );
    let unchanged = store.contact(other.id).expect("read").expect("exists");
    assert_eq!(unchanged.phones.len(), 1, "nothing was half-saved");
}

#[test]
fn problems_name_the_field_at_fault() {
    let empty = Contact::default();
    assert_eq!(empty.problems(), [ContactProblem::Empty]);
    let contact = Contact {
        first_name: "Camille".into(),
        phones: vec![point("mobile", "12"), point("work", "call me")],
        emails: vec![point("home", "camille.example.org"), point("work", " ")],
        fields: vec![
            ContactField {
                name: "".into(),
                value: "Gold".into(),
            },
            ContactField {
                name: "".into(),
                value: "".into(),
            },
        ],
        ..Contact::default()
    };
    assert_eq!(
        contact.problems(),
        [
            ContactProblem::BadPhone("12".into()),
            ContactProblem::BadPhone("call me".into()),
            ContactProblem::BadEmail("camille.example.org".into()),
            ContactProblem::BadField("Gold".into()),
        ],
        "blank rows are dropped, not reported"
    );
}

#[test]
fn records_written_before_version_7_get_names_and_keep_their_addresses() {
    let mut conn = rusqlite::Connection::open_in_memory().expect("open");
    schema::migrate_to(&mut conn, 6).expect("version 6");
    conn.execute_batch(
        "INSERT INTO contacts (display_name, phone, email, created_ms)
             VALUES ('Camille Martin', '+33612345678', 'camille@example.org', 0);
         INSERT INTO contacts (display_name, phone, created_ms)
             VALUES ('+15550199', '+15550199', 0);",
    )
    .expect("old rows");
    schema::migrate(&mut conn).expect("migrated");
    let camille = contacts::contact(&conn, 1).expect("read").expect("exists");
    assert_eq!(
        (
            camille.first_name.as_str(),
            camille.last_name.as_str(),
            camille.known
        ),
        ("Camille", "Martin", true)
    );
    assert_eq!(camille.phone(), Some("+33612345678"));
    assert_eq!(camille.email(), Some("camille@example.org"));
    let unknown = contacts::contact(&conn, 2).expect("read").expect("exists");
    assert!(!unknown.known);
    assert_eq!(unknown.first_name, "");
}

#[test]
fn colleagues_and_chat_visitors_written_before_version_11_lose_their_id_as_a_phone() {
    let mut conn = rusqlite::Connection::open_in_memory().expect("open");
    schema::migrate_to(&mut conn, 10).expect("version 10");
    conn.execute_batch(
        "INSERT INTO contacts (display_name, phone, known, created_ms)
             VALUES ('Grace Hopper', 'agent:grace', 0, 0), ('Jordan Lee', 'chat:CH1', 0, 0),
                    ('+15550199', '+15550199', 0, 0);",
    )
    .expect("old rows");
    schema::migrate(&mut conn).expect("migrated");
    let grace = contacts::contact(&conn, 1).expect("read").expect("exists");
    assert_eq!(grace.phone(), None, "no number to call or text");
    let jordan = contacts::contact(&conn, 2).expect("read").expect("exists");
    assert_eq!(jordan.phone(), None);
    let caller = contacts::contact(&conn, 3).expect("read").expect("exists");
    assert_eq!(caller.phone(), Some("+15550199"), "a real number stays");
}
