//! Ids made where a record is born, unique across machines and ordered by time: a readable
//! prefix (`SMS-`, `CHAT-`, `OFFER-`...) and a UUIDv7, so two gateways or desktops never make
//! the same id and a sort by id is a sort by creation.

/// A new id: `prefix-` followed by a time-ordered UUID (version 7).
pub fn new_id(prefix: &str) -> String {
    format!("{prefix}-{}", uuid::Uuid::now_v7().simple())
}

/// A new id that must not be guessed (a customer's chat room token): the prefix and 122
/// random bits (a UUIDv4), nothing derived from the time.
pub fn new_secret_id(prefix: &str) -> String {
    format!("{prefix}{}", uuid::Uuid::new_v4().simple())
}

/// A new offer (reservation) id.
pub fn new_offer_id() -> String {
    new_id("OFFER")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_keep_their_prefix_are_unique_and_sort_by_creation() {
        let ids: Vec<String> = (0..1_000).map(|_| new_id("SMS")).collect();
        assert!(
            ids.iter()
                .all(|id| id.starts_with("SMS-") && id.len() == 36)
        );
        let mut sorted = ids.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted, ids, "unique, and in creation order");
    }

    #[test]
    fn secret_ids_share_nothing_guessable() {
        let a = new_secret_id("CH");
        let b = new_secret_id("CH");
        assert_eq!(a.len(), 34);
        let common = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
        assert!(common < 8, "{a} and {b} share a {common}-character start");
    }
}
