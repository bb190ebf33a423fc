//! The tests every store passes, written against the record traits only. A store crate runs
//! them with [`crate::conformance_tests!`], giving a fresh, empty store per case:
//!
//! ```text
//! switchboard_seam::conformance_tests!(switchboard_store_sqlite::Store::open_in_memory().unwrap());
//! ```
//!
//! Each case states one behaviour the desk relies on, so a second store (PostgreSQL behind a
//! gateway, or a remote store over the network) behaves the same as the first.

use switchboard_sdk::{DeliveryStatus, Role, Timestamp};

use super::{
    Callback, Contact, ContactPoint, InteractionRow, InteractionState, NewAttachment, NewMessage,
    Records, StoreError,
};

/// One conformance case: a behaviour checked on a fresh, empty store.
pub type Case = fn(&dyn Records);

/// Every case, by name: what [`crate::conformance_tests!`] runs, each on a fresh store.
pub const CASES: &[(&str, Case)] = &[
    ("an_opening_is_stored_whole", an_opening_is_stored_whole),
    (
        "a_redelivered_provider_id_is_stored_once",
        a_redelivered_provider_id_is_stored_once,
    ),
    (
        "messages_come_back_in_order_with_their_status",
        messages_come_back_in_order_with_their_status,
    ),
    (
        "attachments_come_with_the_transcript",
        attachments_come_with_the_transcript,
    ),
    (
        "interaction_states_round_trip",
        interaction_states_round_trip,
    ),
    (
        "an_unknown_sender_becomes_known_by_an_edit",
        an_unknown_sender_becomes_known_by_an_edit,
    ),
    (
        "an_address_of_another_contact_is_refused",
        an_address_of_another_contact_is_refused,
    ),
    (
        "one_customer_is_one_contact_across_channels",
        one_customer_is_one_contact_across_channels,
    ),
    (
        "a_known_contact_is_named_in_every_channel",
        a_known_contact_is_named_in_every_channel,
    ),
    ("notes_and_dispositions", notes_and_dispositions),
    (
        "an_agent_holds_what_they_accepted_until_it_is_done",
        an_agent_holds_what_they_accepted_until_it_is_done,
    ),
    ("due_callbacks_are_taken_once", due_callbacks_are_taken_once),
    (
        "history_search_folds_case_and_accents_and_stays_with_the_contact",
        history_search_folds_case_and_accents_and_stays_with_the_contact,
    ),
    (
        "an_assigned_interaction_takes_its_history_along",
        an_assigned_interaction_takes_its_history_along,
    ),
    (
        "an_agent_keeps_favourites_recents_words_and_links",
        an_agent_keeps_favourites_recents_words_and_links,
    ),
    (
        "a_reserved_message_id_is_the_agents_alone_and_used_once",
        a_reserved_message_id_is_the_agents_alone_and_used_once,
    ),
];

/// Writes a `#[test]` that runs every conformance case, each on a fresh store made by `$make`,
/// and names the cases that failed.
#[macro_export]
macro_rules! conformance_tests {
    ($make:expr) => {
        #[test]
        fn store_conformance() {
            let mut failed = Vec::new();
            for (name, case) in $crate::records::conformance::CASES {
                let store = $make;
                let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    case(&store);
                }));
                if outcome.is_err() {
                    failed.push(*name);
                }
            }
            assert!(failed.is_empty(), "conformance cases failed: {failed:?}");
        }
    };
}

const CAMILLE: &str = "+33612345678";

fn opening(id: &str, address: &str, media_type: &str, created: i64) -> InteractionRow {
    InteractionRow {
        id: id.into(),
        media_type: media_type.into(),
        contact_name: address.into(),
        contact_address: address.into(),
        our_address: "+15550100".into(),
        state: InteractionState::Queued,
        agent_id: None,
        created: Timestamp(created),
        done: false,
        case_data: vec![("language".into(), "fr".into())],
    }
}

fn message(interaction: &str, role: Role, body: &str, time: i64, sid: Option<&str>) -> NewMessage {
    NewMessage {
        interaction: interaction.into(),
        role,
        author: if role == Role::Contact {
            CAMILLE.into()
        } else {
            "Ada".into()
        },
        author_key: if role == Role::Contact {
            "contact".into()
        } else {
            "agent:ada".into()
        },
        time: Timestamp(time),
        body: body.into(),
        status: if role == Role::Agent {
            DeliveryStatus::Sending
        } else {
            DeliveryStatus::None
        },
        provider_id: sid.map(str::to_owned),
        parts: 1,
    }
}

fn open(store: &dyn Records, id: &str, address: &str, body: &str, time: i64) {
    store
        .record_opening(
            &opening(id, address, "sms", time),
            &message(id, Role::Contact, body, time, None),
            &[],
        )
        .expect("opening stored")
        .expect("a new message");
}

fn contact_of(store: &dyn Records, interaction: &str) -> Contact {
    store
        .contact_of_interaction(interaction)
        .expect("read")
        .expect("a contact")
}

fn an_opening_is_stored_whole(store: &dyn Records) {
    let entry = store
        .record_opening(
            &opening("i1", CAMILLE, "sms", 1_000),
            &message("i1", Role::Contact, "Bonjour", 1_000, Some("SM1")),
            &[],
        )
        .expect("stored")
        .expect("new");
    assert_eq!(entry.text.as_str(), "Bonjour");
    let row = store.interaction("i1").expect("read").expect("exists");
    assert_eq!(row.media_type, "sms");
    assert_eq!(row.state, InteractionState::Queued);
    assert_eq!(row.created, Timestamp(1_000));
    let case = store.case_data("i1").expect("case data");
    assert!(
        case.iter()
            .any(|kv| kv.key.as_str() == "language" && kv.value.as_str() == "fr"),
        "{case:?}"
    );
    let contact = contact_of(store, "i1");
    assert!(
        !contact.known,
        "an unknown sender until an agent makes the record"
    );
    assert_eq!(contact.phone(), Some(CAMILLE));
    assert!(store.interaction("missing").expect("read").is_none());
}

fn a_redelivered_provider_id_is_stored_once(store: &dyn Records) {
    let first = message("i1", Role::Contact, "Hello", 1_000, Some("SM1"));
    assert!(
        store
            .record_opening(&opening("i1", CAMILLE, "sms", 1_000), &first, &[])
            .expect("first")
            .is_some()
    );
    let again = store
        .record_opening(&opening("i2", CAMILLE, "sms", 1_001), &first, &[])
        .expect("second");
    assert!(again.is_none(), "the redelivery stores nothing");
    assert!(store.interaction("i2").expect("read").is_none());
    let later = message("i1", Role::Contact, "Hello", 1_002, Some("SM1"));
    assert!(store.insert_message(&later, &[]).expect("insert").is_none());
    assert_eq!(store.transcript("i1").expect("transcript").len(), 1);
}

fn messages_come_back_in_order_with_their_status(store: &dyn Records) {
    open(store, "i1", CAMILLE, "one", 1_000);
    let reply = store
        .insert_message(&message("i1", Role::Agent, "two", 2_000, None), &[])
        .expect("insert")
        .expect("new");
    store
        .insert_message(&message("i1", Role::Contact, "three", 3_000, None), &[])
        .expect("insert");
    let failed = DeliveryStatus::Failed {
        reason: "unreachable".into(),
    };
    store.set_status(reply.id, &failed).expect("status");
    let transcript = store.transcript("i1").expect("transcript");
    let bodies: Vec<&str> = transcript.iter().map(|e| e.text.as_str()).collect();
    assert_eq!(bodies, ["one", "two", "three"]);
    assert_eq!(transcript[1].id, reply.id);
    assert_eq!(transcript[1].status.as_enum().ok(), Some(&failed));
    assert!(store.transcript("other").expect("empty").is_empty());
}

fn attachments_come_with_the_transcript(store: &dyn Records) {
    let items = [
        NewAttachment {
            media_type: "image/png".into(),
            name: "board.png".into(),
            size: 3,
            data: Some(vec![1, 2, 3]),
            thumbnail: Some(vec![9]),
            problem: None,
        },
        NewAttachment {
            media_type: "image/jpeg".into(),
            name: "cut.jpg".into(),
            size: 10,
            data: None,
            thumbnail: None,
            problem: Some("the file ends early".into()),
        },
    ];
    let entry = store
        .record_opening(
            &opening("i1", CAMILLE, "mms", 1_000),
            &message("i1", Role::Contact, "Photos", 1_000, None),
            &items,
        )
        .expect("stored")
        .expect("new");
    assert_eq!(entry.attachments.len(), 2);
    let transcript = store.transcript("i1").expect("transcript");
    let attachments = &transcript[0].attachments;
    assert_eq!(attachments.len(), 2);
    let good = store
        .attachment(attachments[0].id)
        .expect("read")
        .expect("exists");
    assert_eq!(good.name, "board.png");
    assert_eq!(good.thumbnail.as_deref(), Some(&[9u8][..]));
    assert_eq!(
        store.attachment_bytes(attachments[0].id).expect("bytes"),
        Some(vec![1, 2, 3])
    );
    let bad = store
        .attachment(attachments[1].id)
        .expect("read")
        .expect("exists");
    assert_eq!(bad.problem.as_deref(), Some("the file ends early"));
    assert_eq!(
        store.attachment_bytes(attachments[1].id).expect("bytes"),
        None
    );
}

fn interaction_states_round_trip(store: &dyn Records) {
    open(store, "i1", CAMILLE, "hi", 1_000);
    for state in InteractionState::ALL {
        store
            .set_interaction_state("i1", state, Some("ada"))
            .expect("state");
        let row = store.interaction("i1").expect("read").expect("exists");
        assert_eq!(row.state, state);
        assert_eq!(row.agent_id.as_deref(), Some("ada"));
    }
    store
        .set_interaction_state("i1", InteractionState::Accepted, None)
        .expect("state");
    assert_eq!(
        store
            .interaction("i1")
            .expect("read")
            .expect("exists")
            .agent_id
            .as_deref(),
        Some("ada"),
        "no agent given keeps the agent"
    );
    store
        .close_interaction("i1", true, Timestamp(5_000))
        .expect("close");
    let row = store.interaction("i1").expect("read").expect("exists");
    assert_eq!(row.state, InteractionState::Closed);
    assert!(row.done);
}

fn an_unknown_sender_becomes_known_by_an_edit(store: &dyn Records) {
    open(store, "i1", CAMILLE, "hi", 1_000);
    let mut contact = contact_of(store, "i1");
    assert!(
        store
            .search_contacts("Camille", 10)
            .expect("search")
            .is_empty()
    );
    contact.first_name = "Camille".into();
    contact.last_name = "Martin".into();
    contact.display_name = "Camille Martin".into();
    contact.emails.push(ContactPoint {
        label: "work".into(),
        value: "Camille@Example.org".into(),
    });
    store.update_contact(&contact).expect("saved");
    let saved = store.contact(contact.id).expect("read").expect("exists");
    assert!(saved.known);
    assert_eq!(saved.display_name, "Camille Martin");
    assert_eq!(saved.email(), Some("Camille@Example.org"));
    let found = store.search_contacts("camil", 10).expect("search");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].id, contact.id);
    assert_eq!(store.search_contacts("6123", 10).expect("search").len(), 1);
}

fn an_address_of_another_contact_is_refused(store: &dyn Records) {
    open(store, "i1", CAMILLE, "hi", 1_000);
    open(store, "i2", "+447700900123", "hello", 2_000);
    let mut second = contact_of(store, "i2");
    second.display_name = "Jo Bloggs".into();
    second.phones.push(ContactPoint {
        label: "work".into(),
        value: "+33 6 12 34 56 78".into(),
    });
    match store.update_contact(&second) {
        Err(StoreError::AddressTaken(taken)) => {
            assert_eq!(taken.address, "+33 6 12 34 56 78");
        }
        other => panic!("expected AddressTaken, got {other:?}"),
    }
    let unchanged = store.contact(second.id).expect("read").expect("exists");
    assert_eq!(unchanged.phones.len(), 1);
}

fn a_known_contact_is_named_in_every_channel(store: &dyn Records) {
    // Page mode knew her name; a session SMS from the same number comes with the number only.
    let mut named = opening("n1", CAMILLE, "sms", 1_000);
    named.contact_name = "Camille Martin".into();
    store
        .record_opening(
            &named,
            &message("n1", Role::Contact, "page", 1_000, None),
            &[],
        )
        .expect("stored");
    store
        .record_opening(
            &opening("n2", "+33 6 12 34 56 78", "sms-session", 2_000),
            &message("n2", Role::Contact, "session", 2_000, None),
            &[],
        )
        .expect("stored");
    let row = store.interaction("n2").expect("read").expect("stored");
    assert_eq!(
        row.contact_name, "Camille Martin",
        "one name for one customer"
    );
    // An unknown sender keeps their number as the name.
    open(store, "n3", "+447700900123", "hi", 3_000);
    let row = store.interaction("n3").expect("read").expect("stored");
    assert_eq!(row.contact_name, "+447700900123");
}

fn one_customer_is_one_contact_across_channels(store: &dyn Records) {
    open(store, "i1", CAMILLE, "page mode", 1_000);
    store
        .record_opening(
            &opening("i2", "+33 6 12 34 56 78", "sms-session", 2_000),
            &message("i2", Role::Contact, "session", 2_000, None),
            &[],
        )
        .expect("stored");
    assert_eq!(contact_of(store, "i1").id, contact_of(store, "i2").id);
    let contact = contact_of(store, "i1").id;
    assert_eq!(
        store
            .other_interactions(contact, "i1", Timestamp(0))
            .expect("count"),
        1
    );
}

fn an_agent_holds_what_they_accepted_until_it_is_done(store: &dyn Records) {
    open(store, "i1", CAMILLE, "one", 1_000);
    open(store, "i2", "+447700900123", "two", 2_000);
    open(store, "i3", "+14155550142", "three", 3_000);
    assert!(store.held_by("ada").expect("held").is_empty());
    store
        .set_interaction_state("i2", InteractionState::Accepted, Some("ada"))
        .expect("state");
    store
        .set_interaction_state("i1", InteractionState::Ended, Some("ada"))
        .expect("state");
    store
        .set_interaction_state("i3", InteractionState::Accepted, Some("marc"))
        .expect("state");
    let held: Vec<String> = store
        .held_by("ada")
        .expect("held")
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(
        held,
        ["i1", "i2"],
        "oldest first, ended ones too, not marc's"
    );
    store
        .close_interaction("i2", true, Timestamp(9_000))
        .expect("closed");
    assert_eq!(store.held_by("ada").expect("held").len(), 1);
}

fn notes_and_dispositions(store: &dyn Records) {
    open(store, "i1", CAMILLE, "hi", 1_000);
    assert_eq!(store.note("i1").expect("note"), None);
    store.set_note("i1", "first", Timestamp(1)).expect("note");
    store.set_note("i1", "second", Timestamp(2)).expect("note");
    assert_eq!(store.note("i1").expect("note").as_deref(), Some("second"));
    assert_eq!(store.disposition("i1").expect("disposition"), None);
    store
        .set_disposition("i1", "resolved", Timestamp(3))
        .expect("disposition");
    assert_eq!(
        store.disposition("i1").expect("disposition").as_deref(),
        Some("resolved")
    );
}

fn due_callbacks_are_taken_once(store: &dyn Records) {
    let callback = |due: i64, agent: &str| Callback {
        id: 0,
        interaction: None,
        contact_name: "Camille Martin".into(),
        number: CAMILLE.into(),
        due: Timestamp(due),
        note: format!("at {due}"),
        agent: agent.into(),
        state: "scheduled".into(),
    };
    for (due, agent) in [(3_000, "ada"), (1_000, "ada"), (2_000, "marc")] {
        store
            .schedule_callback(&callback(due, agent), Timestamp(0))
            .expect("scheduled");
    }
    let ada: Vec<Timestamp> = store
        .callbacks_of("ada")
        .expect("list")
        .iter()
        .map(|c| c.due)
        .collect();
    assert_eq!(ada, [Timestamp(1_000), Timestamp(3_000)]);
    let due = store
        .take_due_callbacks("ada", Timestamp(1_500))
        .expect("due");
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].note, "at 1000");
    assert!(
        store
            .take_due_callbacks("ada", Timestamp(1_500))
            .expect("due")
            .is_empty(),
        "taken once"
    );
    assert_eq!(
        store
            .take_due_callbacks("ada", Timestamp(9_000))
            .expect("due")
            .len(),
        1
    );
}

fn history_search_folds_case_and_accents_and_stays_with_the_contact(store: &dyn Records) {
    open(store, "i1", CAMILLE, "Ma carte bancaire est bloquée", 1_000);
    open(store, "i2", CAMILLE, "Livraison du colis", 2_000);
    open(store, "i3", "+447700900123", "Carte perdue", 3_000);
    store
        .set_note("i2", "Rappeler demain", Timestamp(2_500))
        .expect("note");
    let camille = contact_of(store, "i1").id;
    let ids = |query: &str| -> Vec<String> {
        store
            .search_history(camille, query, 10)
            .expect("search")
            .into_iter()
            .map(|h| h.interaction)
            .collect()
    };
    assert_eq!(ids("BLOQUEE"), ["i1"]);
    assert_eq!(
        ids("carte"),
        ["i1"],
        "the other contact's card stays theirs"
    );
    assert_eq!(
        ids("livr"),
        ["i2"],
        "the word being typed matches as a prefix"
    );
    assert_eq!(ids("rappeler"), ["i2"], "notes are searched too");
    assert!(ids("nothing-like-this").is_empty());
    let all = store.history(camille, 10).expect("history");
    assert_eq!(
        all.iter()
            .map(|h| h.interaction.as_str())
            .collect::<Vec<_>>(),
        ["i2", "i1"],
        "newest first"
    );
    assert_eq!(ids("").len(), 2, "an empty query lists the history");
}

fn an_assigned_interaction_takes_its_history_along(store: &dyn Records) {
    open(store, "i1", CAMILLE, "Bonjour", 1_000);
    open(store, "i2", "+447700900123", "Parapluie oublié", 2_000);
    let camille = contact_of(store, "i1").id;
    store.assign_contact("i2", camille).expect("assigned");
    assert_eq!(contact_of(store, "i2").id, camille);
    let found = store
        .search_history(camille, "parapluie", 10)
        .expect("search");
    assert_eq!(found.len(), 1);
    assert!(
        store.assign_contact("i2", 999_999).is_err(),
        "no such contact"
    );
}

fn an_agent_keeps_favourites_recents_words_and_links(store: &dyn Records) {
    assert!(store.toggle_favourite("ada", "agent", "grace").expect("on"));
    assert!(
        store
            .toggle_favourite("ada", "queue", "q-billing")
            .expect("on")
    );
    assert!(
        !store
            .toggle_favourite("ada", "queue", "q-billing")
            .expect("off")
    );
    assert_eq!(
        store.favourites("ada").expect("favourites"),
        [("agent".to_owned(), "grace".to_owned())]
    );
    assert!(store.favourites("marc").expect("favourites").is_empty());
    for (at, id) in [(1, "grace"), (2, "marc"), (3, "grace")] {
        store
            .record_recent("ada", "agent", id, Timestamp(at))
            .expect("recent");
    }
    let recents = store.recents("ada", 10).expect("recents");
    assert_eq!(recents[0], ("agent".to_owned(), "grace".to_owned()));
    assert_eq!(recents.len(), 2, "each target once: {recents:?}");
    store
        .add_personal_word("ada", "en", "Switchboard")
        .expect("word");
    store
        .add_personal_word("ada", "fr", "Switchboard")
        .expect("word");
    store.add_personal_word("ada", "fr", "colis").expect("word");
    store
        .add_personal_word("ada", "fr", "colis")
        .expect("twice is once");
    store
        .add_personal_word("grace", "fr", "Hopper")
        .expect("word");
    let word = |language: &str, word: &str| super::PersonalWord {
        language: language.to_owned(),
        word: word.to_owned(),
    };
    assert_eq!(
        store.personal_words("ada").expect("words"),
        [
            word("en", "Switchboard"),
            word("fr", "Switchboard"),
            word("fr", "colis"),
        ]
    );
    for (at, url) in [
        (1, "https://example.org/a"),
        (2, "https://example.org/b"),
        (3, "https://example.org/a"),
    ] {
        store
            .record_pushed_url("ada", url, Timestamp(at))
            .expect("pushed");
    }
    assert_eq!(
        store.pushed_urls("ada", 5).expect("links"),
        ["https://example.org/a", "https://example.org/b"]
    );
}

fn a_reserved_message_id_is_the_agents_alone_and_used_once(store: &dyn Records) {
    open(store, "sms-1", CAMILLE, "Bonjour", 1_000);
    let ids = store.reserve_message_ids("ada", 3).expect("reserved");
    assert_eq!(ids.len(), 3);
    let reply = message("sms-1", Role::Agent, "Je regarde", 3_000, None);
    // A message stored meanwhile takes none of them, and sorts by its time.
    let inbound = store
        .insert_message(&message("sms-1", Role::Contact, "Merci", 2_000, None), &[])
        .expect("stored")
        .expect("new");
    assert!(!ids.contains(&inbound.id), "{} is reserved", inbound.id);
    assert!(matches!(
        store.insert_reserved_message("grace", ids[0], &reply),
        Err(StoreError::NotFound(_))
    ));
    let stored = store
        .insert_reserved_message("ada", ids[0], &reply)
        .expect("stored under its id");
    assert_eq!(stored.id, ids[0]);
    assert!(
        store
            .insert_reserved_message("ada", ids[0], &reply)
            .is_err(),
        "an id is used once"
    );
    let texts: Vec<String> = store
        .transcript("sms-1")
        .expect("read")
        .iter()
        .map(|e| e.text.to_string())
        .collect();
    assert_eq!(texts, ["Bonjour", "Merci", "Je regarde"], "in time order");
    let more = store.reserve_message_ids("ada", 2).expect("reserved");
    assert!(more.iter().all(|id| !ids.contains(id) && *id != inbound.id));
    assert!(
        store
            .reserve_message_ids("ada", 10_000)
            .expect("reserved")
            .len()
            <= super::MAX_RESERVED_IDS
    );
}
