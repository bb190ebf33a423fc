//! Demo history: past conversations of the demo contacts and of a few hundred more customers
//! (with replies, notes and dispositions), written once into an empty store so the History
//! panel and the Team Communicator's contact search have something to show.

use switchboard_sdk::{DeliveryStatus, Role, Timestamp};

use super::demo::DemoMessage;
#[allow(unused_imports)]
use crate::store::prelude::*;
use switchboard_store_sqlite::{InteractionRow, NewMessage, Store, StoreError};

/// Past exchanges: (contact's message, agent's reply, note, disposition), per language.
const PAST_EN: [(&str, &str, &str, &str); 3] = [
    (
        "Hello, I never received the confirmation e-mail for order 51877.",
        "I have resent it just now; please check your spam folder too.",
        "Confirmation resent; address on file was correct.",
        "resolved-info",
    ),
    (
        "The parcel arrived but one item is missing.",
        "Sorry about that! I have shipped the missing item today, tracking to follow.",
        "Missing item reshipped; warehouse informed.",
        "resolved-fixed",
    ),
    (
        "Can I get a refund for the damaged lamp?",
        "Of course, the refund is on its way and should show within 5 days.",
        "Refund approved by supervisor.",
        "resolved-refund",
    ),
];

const PAST_FR: [(&str, &str, &str, &str); 3] = [
    (
        "Bonjour, je n'ai pas reçu l'e-mail de confirmation de la commande 51877.",
        "Je viens de vous le renvoyer ; pensez à vérifier vos courriers indésirables.",
        "Confirmation renvoyée, adresse correcte.",
        "resolved-info",
    ),
    (
        "Le colis est arrivé mais il manque un article.",
        "Désolé ! L'article manquant part aujourd'hui, vous recevrez le suivi.",
        "Article manquant réexpédié ; entrepôt prévenu.",
        "resolved-fixed",
    ),
    (
        "Puis-je être remboursé pour la lampe abîmée ?",
        "Bien sûr, le remboursement est lancé et apparaîtra sous 5 jours.",
        "Remboursement validé par le superviseur.",
        "resolved-refund",
    ),
];

/// How many customers besides the demo script's the demo history holds.
pub const EXTRA_DEMO_CONTACTS: usize = 300;

const FIRST_EN: [&str; 15] = [
    "Olivia", "Liam", "Emma", "Noah", "Ava", "Ethan", "Mia", "Lucas", "Harper", "Mason", "Amelia",
    "Logan", "Ella", "James", "Chloe",
];
const LAST_EN: [&str; 14] = [
    "Walker", "Young", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Hill",
    "Campbell", "Mitchell", "Roberts", "Turner",
];
const FIRST_FR: [&str; 10] = [
    "Louise", "Gabriel", "Jade", "Raphaël", "Alice", "Arthur", "Léa", "Jules", "Manon", "Hugo",
];
const LAST_FR: [&str; 10] = [
    "Dubois",
    "Lefebvre",
    "Girard",
    "Bonnet",
    "Fontaine",
    "Rousseau",
    "Mercier",
    "Chevalier",
    "Lambert",
    "Faure",
];

/// A customer of the demo history.
struct Customer {
    name: String,
    number: String,
    language: String,
}

/// The demo script's contacts (once each), then generated customers, one in three French.
fn customers(script: &[DemoMessage]) -> Vec<Customer> {
    let mut customers: Vec<Customer> = Vec::new();
    // Customers who text: colleagues and web chat visitors have no number.
    for message in script.iter().filter(|m| !m.from.is_empty()) {
        if !customers.iter().any(|c| c.number == message.from) {
            customers.push(Customer {
                name: message.name.clone(),
                number: message.from.clone(),
                language: message.language.clone(),
            });
        }
    }
    for i in 0..EXTRA_DEMO_CONTACTS {
        let customer = if i % 3 == 2 {
            Customer {
                name: format!(
                    "{} {}",
                    FIRST_FR[i % FIRST_FR.len()],
                    LAST_FR[(i / FIRST_FR.len()) % LAST_FR.len()]
                ),
                number: format!("+33 6 55 70 {:02} {:02}", i / 100, i % 100),
                language: "fr".into(),
            }
        } else {
            Customer {
                name: format!(
                    "{} {}",
                    FIRST_EN[i % FIRST_EN.len()],
                    LAST_EN[(i / FIRST_EN.len()) % LAST_EN.len()]
                ),
                number: format!("+1 555 3{i:03}"),
                language: "en".into(),
            }
        };
        customers.push(customer);
    }
    customers
}

/// Writes past conversations for each demo customer when the store has no interactions yet.
/// Returns how many interactions it wrote.
pub fn seed_demo_history(
    store: &Store,
    script: &[DemoMessage],
    now: Timestamp,
) -> Result<usize, StoreError> {
    if store.interaction_count()? > 0 {
        return Ok(0);
    }
    // Regenerable demo data: written without a sync per commit.
    store.bulk_load(|| {
        let mut written = 0;
        for (index, customer) in customers(script).iter().enumerate() {
            written += write_past(store, customer, index, now)?;
        }
        Ok(written)
    })
}

fn write_past(
    store: &Store,
    contact: &Customer,
    contact_index: usize,
    now: Timestamp,
) -> Result<usize, StoreError> {
    let past = if contact.language == "fr" {
        &PAST_FR
    } else {
        &PAST_EN
    };
    let mut written = 0;
    for (index, (question, answer, note, code)) in
        past.iter().enumerate().take(1 + contact_index % 3)
    {
        let days_ago = 3 + ((contact_index * 5 + index * 11) % 200) as i64;
        let at = now.plus_seconds(-days_ago * 86_400);
        let id = format!("HIST-{contact_index}-{index}");
        let row = InteractionRow {
            id: id.clone(),
            media_type: super::app_of_address(&contact.number)
                .unwrap_or("sms")
                .into(),
            contact_name: contact.name.clone(),
            contact_address: contact.number.clone(),
            our_address: "+1 555 0100".into(),
            state: crate::store::InteractionState::Closed,
            agent_id: Some("marc".into()),
            created: at,
            done: true,
            case_data: vec![("language".into(), contact.language.clone())],
        };
        let message = |role, author: &str, body: &str, offset| NewMessage {
            interaction: id.clone(),
            role,
            author: author.to_owned(),
            author_key: if role == Role::Agent {
                "agent"
            } else {
                "contact"
            }
            .to_owned(),
            time: at.plus_seconds(offset),
            body: body.to_owned(),
            status: if role == Role::Agent {
                DeliveryStatus::Delivered
            } else {
                DeliveryStatus::None
            },
            provider_id: None,
            parts: 1,
        };
        store.record_opening(
            &row,
            &message(Role::Contact, &contact.name, question, 0),
            &[],
        )?;
        store.insert_message(&message(Role::Agent, "Marc", answer, 140), &[])?;
        store.set_note(&id, note, at.plus_seconds(200))?;
        store.set_disposition(&id, code, at.plus_seconds(200))?;
        store.close_interaction(&id, true, at.plus_seconds(240))?;
        written += 1;
    }
    Ok(written)
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_an_empty_store_once() {
        let store = Store::open_in_memory().expect("store");
        let script = super::super::demo::demo_script();
        let written =
            seed_demo_history(&store, &script, Timestamp(1_767_603_600_000)).expect("seed");
        assert!(written >= EXTRA_DEMO_CONTACTS, "{written}");
        let walkers = store.search_contacts("Walker", 50).expect("search");
        assert!(walkers.len() >= 2, "generated customers are searchable");
        let numbers: std::collections::HashSet<_> =
            customers(&script).into_iter().map(|c| c.number).collect();
        assert!(
            numbers.len() >= EXTRA_DEMO_CONTACTS + 5,
            "numbers are unique"
        );
        assert!(
            !numbers.contains(""),
            "colleagues and chat visitors in the script get no history"
        );
        assert_eq!(
            seed_demo_history(&store, &script, Timestamp(1_767_603_600_000)).expect("again"),
            0
        );
        let contact = store
            .contact_of_interaction("HIST-0-0")
            .expect("read")
            .expect("contact");
        let history = store.history(contact.id, 10).expect("history");
        assert!(
            history
                .iter()
                .all(|h| h.disposition.is_some() && h.note.is_some())
        );
    }
}
