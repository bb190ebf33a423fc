//! Agents' passwords: the gateway keeps Argon2 hashes (PHC strings with their own salt) in
//! PostgreSQL and checks a signing-in desktop's password against them. A password never
//! reaches a log, an error or the database.

use argon2::{
    Argon2, PasswordHash, PasswordHasher, PasswordVerifier,
    password_hash::{SaltString, rand_core::OsRng},
};
use switchboard_seam::secret::Secret;

use crate::ClusterError;

/// The shortest password the administrator may set.
pub const MIN_LENGTH: usize = 8;

/// The hash to store for a password (Argon2id, default cost, a random salt).
pub fn hash(password: &Secret) -> Result<String, ClusterError> {
    if password.expose().chars().count() < MIN_LENGTH {
        return Err(ClusterError::Invalid(format!(
            "a password has at least {MIN_LENGTH} characters"
        )));
    }
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.expose().as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| ClusterError::Invalid(format!("cannot hash the password: {e}")))
}

/// Sets (or resets) an agent's password in the records: its hash only.
pub fn enroll(
    store: &switchboard_store_postgres::PgStore,
    agent: &str,
    password: &Secret,
    now: switchboard_sdk::Timestamp,
) -> Result<(), ClusterError> {
    let hashed = hash(password)?;
    store
        .set_password_hash(agent, &hashed, now)
        .map_err(|e| ClusterError::Invalid(format!("storing {agent}'s password: {e}")))
}

/// Whether `password` is the one `stored` was made from (false for a damaged hash).
pub fn matches(password: &Secret, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.expose().as_bytes(), &parsed)
            .is_ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_knows_its_password_only() {
        let stored = hash(&Secret::new("correct horse")).expect("hashed");
        assert!(!stored.contains("correct horse"));
        assert!(stored.starts_with("$argon2id$"));
        assert!(matches(&Secret::new("correct horse"), &stored));
        assert!(!matches(&Secret::new("correct horsE"), &stored));
        assert!(!matches(&Secret::new("correct horse"), "not a hash"));
        assert_ne!(
            stored,
            hash(&Secret::new("correct horse")).expect("hashed"),
            "salted"
        );
        assert!(hash(&Secret::new("short")).is_err());
    }
}
