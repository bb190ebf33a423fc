//! Store tests: durability settings, migrations, redelivery, transcripts.

use super::*;

fn interaction(id: &str) -> InteractionRow {
    InteractionRow {
        id: id.into(),
        media_type: "sms".into(),
        contact_name: "+33612345678".into(),
        contact_address: "+33612345678".into(),
        our_address: "+15550100".into(),
        state: "queued".into(),
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
        .record_inbound_opening(&interaction("i1"), &inbound("i1", "SM1", "Hello"))
        .expect("first");
    assert!(first.is_some());
    let again = store
        .record_inbound_opening(&interaction("i2"), &inbound("i2", "SM1", "Hello"))
        .expect("again");
    assert!(again.is_none());
    assert!(store.interaction("i2").expect("read").is_none());
    assert_eq!(store.count_messages("i1", Role::Contact).expect("count"), 1);
}

#[test]
fn transcript_round_trips_status_and_case_data() {
    let store = Store::open_in_memory().expect("store");
    store
        .record_inbound_opening(&interaction("i1"), &inbound("i1", "SM1", "Bonjour"))
        .expect("inbound");
    let reply = store
        .insert_message(&NewMessage {
            role: Role::Agent,
            author: "Ada".into(),
            author_key: "agent".into(),
            body: "Bonjour !".into(),
            status: DeliveryStatus::Sending,
            provider_id: None,
            ..inbound("i1", "", "")
        })
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
        .record_inbound_opening(&interaction("i1"), &inbound("i1", "SM1", "one"))
        .expect("one");
    store
        .record_inbound_opening(&interaction("i2"), &inbound("i2", "SM2", "two"))
        .expect("two");
    let contacts: i64 = store
        .conn()
        .query_row("SELECT COUNT(*) FROM contacts", [], |r| r.get(0))
        .expect("count");
    assert_eq!(contacts, 1);
}
