//! The store against the real PostgreSQL server (`SWITCHBOARD_TEST_DATABASE`, by default the
//! local server's `test` database): the conformance suite every store passes, each case in a
//! schema of its own, and what is PostgreSQL's own (schema names, migrations run once).

use std::panic::{AssertUnwindSafe, catch_unwind};

use switchboard_seam::records::conformance::CASES;

use super::*;

fn database() -> String {
    std::env::var("SWITCHBOARD_TEST_DATABASE")
        .unwrap_or_else(|_| "host=127.0.0.1 user=postgres dbname=test".into())
}

/// A store in a schema of its own (the caller drops it).
pub(crate) fn scratch_store(what: &str) -> PgStore {
    PgStore::connect(&database(), &scratch_schema(what)).expect("connected")
}

/// A schema name no other test or run uses.
fn scratch_schema(what: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let n = NEXT.fetch_add(1, Ordering::SeqCst);
    let tag: String = what
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(20)
        .collect::<String>()
        .to_lowercase();
    format!("t{}_{n}_{tag}", std::process::id())
}

#[test]
fn store_conformance() {
    let mut failed = Vec::new();
    for (name, case) in CASES {
        let store = PgStore::connect(&database(), &scratch_schema(name)).expect("connected");
        let outcome = catch_unwind(AssertUnwindSafe(|| case(&store)));
        store.drop_schema().expect("schema dropped");
        if outcome.is_err() {
            failed.push(*name);
        }
    }
    assert!(failed.is_empty(), "conformance cases failed: {failed:?}");
}

#[test]
fn a_schema_name_that_is_not_plain_is_refused_before_any_sql() {
    for name in [
        "",
        "Public",
        "x; DROP TABLE t",
        "a-b",
        "1abc",
        &"a".repeat(64),
    ] {
        assert!(
            matches!(
                PgStore::connect(&database(), name),
                Err(StoreError::Open { .. })
            ),
            "{name:?}"
        );
    }
}

#[test]
fn stores_starting_together_migrate_once() {
    let schema = scratch_schema("together");
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let schema = schema.clone();
            std::thread::spawn(move || PgStore::connect(&database(), &schema).map(|_| ()))
        })
        .collect();
    for thread in threads {
        thread
            .join()
            .expect("joined")
            .expect("connected and migrated");
    }
    let store = PgStore::connect(&database(), &schema).expect("connected again");
    let version: i32 = store
        .client()
        .query_one("SELECT version FROM schema_version", &[])
        .expect("version")
        .get(0);
    assert_eq!(version, SCHEMA_VERSION);
    store.drop_schema().expect("dropped");
}

#[test]
fn a_wrong_server_is_reported_without_the_password() {
    let refused = PgStore::connect(
        "host=127.0.0.1 port=1 user=postgres password=hunter2 dbname=test connect_timeout=2",
        "switchboard",
    );
    match refused {
        Err(StoreError::Open { path, .. }) => {
            assert!(!path.contains("hunter2"), "{path}");
            assert!(path.contains("port=1"), "{path}");
        }
        Err(other) => panic!("unexpected error: {other}"),
        Ok(_) => panic!("connected to nothing"),
    }
}

#[test]
fn disabled_agents_and_the_audit_trail_are_kept() {
    use crate::AuditEntry;
    use switchboard_sdk::Timestamp;
    let store = scratch_store("audit");
    assert!(!store.agent_disabled("ada").expect("read"));
    store
        .set_agent_disabled("ada", true, Timestamp(5))
        .expect("disabled");
    store
        .set_agent_disabled("ada", true, Timestamp(6))
        .expect("disabled twice is once");
    assert!(store.agent_disabled("ada").expect("read"));
    assert!(!store.agent_disabled("marc").expect("read"));
    assert_eq!(
        store.disabled_agents().expect("read"),
        vec!["ada".to_owned()]
    );
    store
        .set_agent_disabled("ada", false, Timestamp(7))
        .expect("enabled");
    assert!(!store.agent_disabled("ada").expect("read"));

    store
        .audit(
            &AuditEntry::new(Timestamp(1), "sign_in", Some("ada"), "signed in")
                .from_client("127.0.0.1"),
        )
        .expect("written");
    store
        .audit(&AuditEntry::new(
            Timestamp(2),
            "sign_in_refused",
            Some("marc"),
            "x".repeat(2_000),
        ))
        .expect("written");
    let all = store.audit_trail(None, 10).expect("read");
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].kind, "sign_in_refused", "newest first");
    assert_eq!(all[0].detail.len(), 500, "a long detail is cut");
    assert_eq!(all[1].client.as_deref(), Some("127.0.0.1"));
    let ada = store.audit_trail(Some("ada"), 10).expect("read");
    assert_eq!(ada.len(), 1);
    assert_eq!(ada[0].detail, "signed in");
    store.drop_schema().expect("dropped");
}

#[test]
fn each_colleague_is_a_contact_of_their_own_and_a_consultation_is_the_customers() {
    use switchboard_sdk::{DeliveryStatus, Timestamp};
    use switchboard_seam::records::{
        ContactRecords, InteractionRecords, InteractionRow, InteractionState, NewMessage, Party,
    };
    let store = scratch_store("internal parties");
    let row = |id: &str, address: &str| InteractionRow {
        id: id.into(),
        media_type: "im".into(),
        contact_name: address.into(),
        contact_address: address.into(),
        our_address: "agent:ada".into(),
        state: InteractionState::Accepted,
        agent_id: Some("ada".into()),
        created: Timestamp(1),
        done: false,
        case_data: Vec::new(),
    };
    let colleague = |id: &str, address: &str, name: &str| {
        store
            .open_internal(
                &row(id, address),
                &Party::Address {
                    address: address.into(),
                    name: name.into(),
                },
                None,
            )
            .expect("stored");
        store
            .contact_of_interaction(id)
            .expect("read")
            .expect("a contact")
    };
    // Agent addresses have no digits: matched by number they would all be one contact.
    let grace = colleague("IM-1", "agent:grace", "Grace Hopper");
    let marc = colleague("IM-2", "agent:marc", "Marc Dubois");
    let grace_again = colleague("IM-3", "agent:grace", "Grace Hopper");
    assert_ne!(grace.id, marc.id);
    assert_eq!(grace.id, grace_again.id);
    assert_eq!(marc.display_name, "Marc Dubois");

    // A consultation about a customer's SMS is filed under that customer, and linked.
    let sms = InteractionRow {
        media_type: "sms".into(),
        ..row("SMS-1", "+447700900123")
    };
    store
        .record_opening(
            &sms,
            &NewMessage {
                interaction: "SMS-1".into(),
                role: switchboard_sdk::Role::Contact,
                author: "+447700900123".into(),
                author_key: "contact".into(),
                time: Timestamp(1),
                body: "Bonjour".into(),
                status: DeliveryStatus::None,
                provider_id: None,
                parts: 1,
            },
            &[],
        )
        .expect("stored");
    store
        .open_internal(
            &row("IM-4", "agent:grace"),
            &Party::Consulting {
                interaction: "SMS-1".into(),
            },
            None,
        )
        .expect("stored");
    let customer = store.contact_of_interaction("SMS-1").expect("read");
    let consultation = store.contact_of_interaction("IM-4").expect("read");
    assert_eq!(
        consultation.map(|c| c.id),
        customer.map(|c| c.id),
        "the customer's contact"
    );
    assert_eq!(
        store.consulted("IM-4").expect("read").as_deref(),
        Some("SMS-1")
    );
    store.drop_schema().expect("schema dropped");
}
