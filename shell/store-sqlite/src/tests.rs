//! Store tests: durability settings, migrations, redelivery, transcripts.

use switchboard_sdk::{DeliveryStatus, Timestamp};

use super::*;

fn interaction(id: &str) -> InteractionRow {
    InteractionRow {
        id: id.into(),
        media_type: "sms".into(),
        contact_name: "+33612345678".into(),
        contact_address: "+33612345678".into(),
        our_address: "+15550100".into(),
        state: InteractionState::Queued,
        agent_id: None,
        created: Timestamp(1000),
        done: false,
        case_data: vec![("language".into(), "fr".into())],
    }
}

fn inbound(id: &str, sid: &str, body: &str) -> NewMessage {
    NewMessage {
        interaction: id.into(),
        role: Role::Contact,
        author: "+33612345678".into(),
        author_key: "contact".into(),
        time: Timestamp(1000),
        body: body.into(),
        status: DeliveryStatus::None,
        provider_id: Some(sid.into()),
        parts: 1,
    }
}

#[test]
fn file_database_uses_wal_and_full_sync() {
    let dir = std::env::temp_dir().join(format!("sb-store-{}", std::process::id()));
    let store = Store::open(&dir.join("test.db")).expect("open");
    let conn = store.conn();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .expect("journal mode");
    let sync: i64 = conn
        .query_row("PRAGMA synchronous", [], |r| r.get(0))
        .expect("synchronous");
    assert_eq!(mode, "wal");
    assert_eq!(sync, 2, "synchronous=FULL");
    drop(conn);
    assert_eq!(
        store.schema_version().expect("version"),
        schema::CURRENT_VERSION
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn redelivered_webhook_is_stored_once() {
    let store = Store::open_in_memory().expect("store");
    let first = store
        .record_opening(&interaction("i1"), &inbound("i1", "SM1", "Hello"), &[])
        .expect("first");
    assert!(first.is_some());
    let again = store
        .record_opening(&interaction("i2"), &inbound("i2", "SM1", "Hello"), &[])
        .expect("again");
    assert!(again.is_none());
    assert!(store.interaction("i2").expect("read").is_none());
    assert_eq!(store.count_messages("i1", Role::Contact).expect("count"), 1);
}

#[test]
fn transcript_round_trips_status_and_case_data() {
    let store = Store::open_in_memory().expect("store");
    store
        .record_opening(&interaction("i1"), &inbound("i1", "SM1", "Bonjour"), &[])
        .expect("inbound");
    let reply = store
        .insert_message(
            &NewMessage {
                role: Role::Agent,
                author: "Ada".into(),
                author_key: "agent".into(),
                body: "Bonjour !".into(),
                status: DeliveryStatus::Sending,
                provider_id: None,
                ..inbound("i1", "", "")
            },
            &[],
        )
        .expect("reply")
        .expect("stored");
    store
        .set_status(
            reply.id,
            &DeliveryStatus::Failed {
                reason: "unreachable".into(),
            },
        )
        .expect("status");
    let transcript = store.transcript("i1").expect("transcript");
    assert_eq!(transcript.len(), 2);
    assert_eq!(transcript[0].text.as_str(), "Bonjour");
    assert_eq!(
        transcript[1].status.as_enum().ok(),
        Some(&DeliveryStatus::Failed {
            reason: "unreachable".into()
        })
    );
    assert_eq!(
        store.case_data("i1").expect("case data")[0].value.as_str(),
        "fr"
    );
}

#[test]
fn contact_is_reused_by_phone_number() {
    let store = Store::open_in_memory().expect("store");
    store
        .record_opening(&interaction("i1"), &inbound("i1", "SM1", "one"), &[])
        .expect("one");
    store
        .record_opening(&interaction("i2"), &inbound("i2", "SM2", "two"), &[])
        .expect("two");
    let contacts: i64 = store
        .conn()
        .query_row("SELECT COUNT(*) FROM contacts", [], |r| r.get(0))
        .expect("count");
    assert_eq!(contacts, 1);
}

pub(crate) fn opening(
    id: &str,
    sid: &str,
    body: &str,
    created: i64,
) -> (InteractionRow, NewMessage) {
    let mut row = interaction(id);
    row.created = Timestamp(created);
    (row, inbound(id, sid, body))
}

#[test]
fn history_lists_and_searches_transcripts_and_notes() {
    let store = Store::open_in_memory().expect("store");
    for (id, sid, body, at) in [
        ("i1", "S1", "Mon colis est arrivé abîmé", 1_000),
        ("i2", "S2", "Where is my refund?", 2_000),
        ("i3", "S3", "Thanks, all good", 3_000),
    ] {
        let (row, message) = opening(id, sid, body, at);
        store.record_opening(&row, &message, &[]).expect("store");
    }
    store
        .set_note(
            "i3",
            "Customer asked about the warranty extension",
            Timestamp(3_500),
        )
        .expect("note");
    store
        .set_disposition("i2", "refund-issued", Timestamp(2_500))
        .expect("disposition");
    let contact = store
        .contact_of_interaction("i1")
        .expect("read")
        .expect("contact");

    let history = store.history(contact.id, 10).expect("history");
    assert_eq!(
        history
            .iter()
            .map(|h| h.interaction.as_str())
            .collect::<Vec<_>>(),
        ["i3", "i2", "i1"]
    );
    assert_eq!(history[1].disposition.as_deref(), Some("refund-issued"));

    let hits = store
        .search_history(contact.id, "refund", 10)
        .expect("search");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].interaction, "i2");
    assert!(hits[0].excerpt.contains("[refund]"), "{}", hits[0].excerpt);

    let in_note = store
        .search_history(contact.id, "warr", 10)
        .expect("prefix search in notes");
    assert_eq!(
        in_note
            .iter()
            .map(|h| h.interaction.as_str())
            .collect::<Vec<_>>(),
        ["i3"]
    );

    let accents = store
        .search_history(contact.id, "abime", 10)
        .expect("diacritics");
    assert_eq!(accents.len(), 1, "search ignores accents");

    let odd = store
        .search_history(contact.id, "\"; DROP TABLE messages; --", 10)
        .expect("odd input");
    assert!(odd.is_empty());
    assert_eq!(
        store
            .count_messages("i1", Role::Contact)
            .expect("still there"),
        1
    );
}

#[test]
fn notes_and_dispositions_replace_earlier_values() {
    let store = Store::open_in_memory().expect("store");
    let (row, message) = opening("i1", "S1", "hello", 1_000);
    store.record_opening(&row, &message, &[]).expect("store");
    store.set_note("i1", "first", Timestamp(1)).expect("note");
    store.set_note("i1", "second", Timestamp(2)).expect("note");
    assert_eq!(store.note("i1").expect("note").as_deref(), Some("second"));
    let contact = store
        .contact_of_interaction("i1")
        .expect("read")
        .expect("contact");
    assert!(
        store
            .search_history(contact.id, "first", 5)
            .expect("search")
            .is_empty()
    );
    store.set_disposition("i1", "a", Timestamp(1)).expect("d");
    store.set_disposition("i1", "b", Timestamp(2)).expect("d");
    assert_eq!(store.disposition("i1").expect("d").as_deref(), Some("b"));
}

#[test]
fn other_interactions_counts_open_and_recent_ones() {
    let store = Store::open_in_memory().expect("store");
    for (id, sid, at) in [
        ("old", "S1", 1_000),
        ("recent", "S2", 50_000),
        ("now", "S3", 60_000),
    ] {
        let (row, message) = opening(id, sid, "hi", at);
        store.record_opening(&row, &message, &[]).expect("store");
    }
    store
        .close_interaction("old", true, Timestamp(2_000))
        .expect("close");
    store
        .close_interaction("recent", true, Timestamp(51_000))
        .expect("close");
    let contact = store
        .contact_of_interaction("now")
        .expect("read")
        .expect("contact");
    assert_eq!(
        store
            .other_interactions(contact.id, "now", Timestamp(40_000))
            .expect("count"),
        1
    );
    assert_eq!(
        store
            .other_interactions(contact.id, "now", Timestamp(0))
            .expect("count"),
        2
    );
}

#[test]
fn search_stays_within_the_contact() {
    let store = Store::open_in_memory().expect("store");
    store.generate_synthetic_history(4, 3, 6).expect("generate");
    assert_eq!(store.message_total().expect("count"), 4 * 3 * 6);
    let contact = store
        .contact_of_interaction("SYN-1-0")
        .expect("read")
        .expect("contact");
    for word in ["order", "refund", "deliv", "merci"] {
        for hit in store.search_history(contact.id, word, 50).expect("search") {
            assert!(
                hit.interaction.starts_with("SYN-1-"),
                "{word}: {} leaked",
                hit.interaction
            );
            assert!(
                hit.excerpt.contains('['),
                "{word}: excerpt marks the match: {}",
                hit.excerpt
            );
        }
    }
}

switchboard_seam::conformance_tests!(Store::open_in_memory().expect("in-memory store"));
