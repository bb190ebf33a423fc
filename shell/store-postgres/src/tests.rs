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
