//! Contact history search over a store of 1,000,000 messages (5,000 contacts × 20
//! interactions × 10 messages, plus a note per interaction). The database is generated once
//! into `target/bench-data/` and reused.

use std::{path::PathBuf, sync::OnceLock};

use divan::Bencher;
use switchboard_store_sqlite::{ContactRecords, HistoryRecords, Store};

fn main() {
    divan::main();
}

const CONTACTS: usize = 5_000;
const INTERACTIONS: usize = 20;
const MESSAGES: usize = 10;

fn store() -> &'static (Store, i64) {
    static STORE: OnceLock<(Store, i64)> = OnceLock::new();
    STORE.get_or_init(|| {
        let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-data");
        let path = folder.join("history-1m.db");
        let wanted = CONTACTS * INTERACTIONS * MESSAGES;
        let mut store = Store::open(&path).expect("bench database");
        if store.message_total().expect("count") != wanted {
            drop(store);
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(folder.join(format!("history-1m.db{suffix}")));
            }
            store = Store::open(&path).expect("bench database");
            store
                .generate_synthetic_history(CONTACTS, INTERACTIONS, MESSAGES)
                .expect("generate");
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
