//! Contact history search in PostgreSQL over 1,000,000 messages (5,000 contacts × 20
//! interactions × 10 messages, plus a note per interaction), the same shape and queries as the
//! SQLite store's benchmark. The data is generated once into the schema `bench_history_1m` of
//! the test database (`SWITCHBOARD_TEST_DATABASE`) and reused.

use std::sync::OnceLock;

use divan::Bencher;
use switchboard_seam::records::{ContactRecords, HistoryRecords};
use switchboard_store_postgres::PgStore;

fn main() {
    divan::main();
}

const CONTACTS: i32 = 5_000;
const INTERACTIONS: i32 = 20;
const MESSAGES: i32 = 10;

fn store() -> &'static (PgStore, i64) {
    static STORE: OnceLock<(PgStore, i64)> = OnceLock::new();
    STORE.get_or_init(|| {
        let database = std::env::var("SWITCHBOARD_TEST_DATABASE")
            .unwrap_or_else(|_| "host=127.0.0.1 user=postgres dbname=test".into());
        let mut store = PgStore::connect(&database, "bench_history_1m").expect("bench schema");
        let wanted = i64::from(CONTACTS * INTERACTIONS * MESSAGES);
        if store.message_total().expect("count") != wanted {
            store.drop_schema().expect("dropped");
            store = PgStore::connect(&database, "bench_history_1m").expect("bench schema");
            store
                .generate_synthetic_history(CONTACTS, INTERACTIONS, MESSAGES)
                .expect("generated");
        }
        let contact = store
            .contact_of_interaction(&format!("SYN-{}-0", CONTACTS / 2))
            .expect("read")
            .expect("contact")
            .id;
        (store, contact)
    })
}

/// A rare word, common words, a prefix, and two words at once.
#[divan::bench(args = ["warranty", "order", "deliv", "refund courier"])]
fn search_one_contact(bencher: Bencher, query: &str) {
    let (store, contact) = store();
    bencher.bench(|| store.search_history(*contact, query, 50).expect("search"));
}

#[divan::bench]
fn list_one_contact(bencher: Bencher) {
    let (store, contact) = store();
    bencher.bench(|| store.history(*contact, 50).expect("history"));
}
