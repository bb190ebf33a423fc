//! Synthetic history for benchmarks and load tests: many contacts with realistic-looking
//! conversations, generated deterministically in one transaction.

use rusqlite::{Connection, params};

const WORDS: &[&str] = &[
    "order",
    "delivery",
    "parcel",
    "refund",
    "invoice",
    "address",
    "tomorrow",
    "morning",
    "courier",
    "tracking",
    "damaged",
    "missing",
    "warranty",
    "exchange",
    "size",
    "colour",
    "payment",
    "card",
    "charged",
    "twice",
    "store",
    "opening",
    "hours",
    "account",
    "password",
    "thanks",
    "please",
    "help",
    "question",
    "confirmation",
    "email",
    "phone",
    "cancel",
    "return",
    "label",
    "printer",
    "lamp",
    "chair",
    "table",
    "sofa",
    "kitchen",
    "garden",
    "voucher",
    "discount",
    "loyalty",
    "points",
    "week",
    "friday",
    "monday",
    "urgent",
    "bonjour",
    "merci",
    "commande",
    "livraison",
    "colis",
    "remboursement",
    "facture",
    "adresse",
    "demain",
];

/// A small deterministic generator (64-bit LCG).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as usize
    }
}

/// Writes `contacts × interactions × messages` messages (plus one note per interaction).
pub(super) fn generate(
    conn: &mut Connection,
    contacts: usize,
    interactions: usize,
    messages: usize,
) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    {
        let mut contact = tx
            .prepare("INSERT INTO contacts (display_name, phone, created_ms) VALUES (?1, ?2, 0)")?;
        let mut interaction = tx.prepare(
            "INSERT INTO interactions (id, media_type, contact_id, contact_name, contact_address,
                                       our_address, state, created_ms, closed_ms, done)
             VALUES (?1, 'sms', ?2, ?3, ?4, '+15550100', 'closed', ?5, ?5, 1)",
        )?;
        let mut message = tx.prepare(
            "INSERT INTO messages (interaction_id, role, author, author_key, time_ms, body, status)
             VALUES (?1, ?2, ?3, ?2, ?4, ?5, 'none')",
        )?;
        let mut note =
            tx.prepare("INSERT INTO notes (interaction_id, body, updated_ms) VALUES (?1, ?2, ?3)")?;
        let mut random = Lcg(42);
        let sentence = |random: &mut Lcg| {
            let length = 6 + random.next() % 14;
            (0..length)
                .map(|_| WORDS[random.next() % WORDS.len()])
                .collect::<Vec<_>>()
                .join(" ")
        };
        for c in 0..contacts {
            let phone = format!("+1555{c:07}");
            let name = format!("Contact {c}");
            contact.execute(params![name, phone])?;
            let contact_id = tx.last_insert_rowid();
            for i in 0..interactions {
                let id = format!("SYN-{c}-{i}");
                let at = 1_700_000_000_000_i64 + (i as i64) * 86_400_000;
                interaction.execute(params![id, contact_id, name, phone, at])?;
                for m in 0..messages {
                    let role = if m % 2 == 0 { "contact" } else { "agent" };
                    message.execute(params![
                        id,
                        role,
                        name,
                        at + m as i64 * 60_000,
                        sentence(&mut random)
                    ])?;
                }
                note.execute(params![id, sentence(&mut random), at])?;
            }
        }
    }
    tx.commit()?;
    // Leave the store as a long-lived one looks: merged index segments, WAL checkpointed.
    conn.execute_batch(
        "INSERT INTO history_fts(history_fts) VALUES ('optimize');
         PRAGMA wal_checkpoint(TRUNCATE);",
    )
}
