//! The platform seam as the desk uses it: everything of `switchboard_seam::backend`, and how
//! the desk tells the platform's own ids for a party from addresses people read.

pub use switchboard_seam::backend::*;

/// Whether an address is the platform's own id for a party (a colleague `agent:grace`, the
/// skill an IM went to `skill:s-french`, a web chat visitor `chat:CH…`) rather than a number or
/// an address people read (a messaging app's `viber:+44…` is one they read).
pub fn is_platform_id(address: &str) -> bool {
    address.split_once(':').is_some_and(|(scheme, _)| {
        scheme == "chat" || crate::directory::TargetKind::from_name(scheme).is_some()
    })
}

#[cfg(test)]
mod tests {
    use super::is_platform_id;

    #[test]
    fn platform_ids_are_told_from_addresses_people_read() {
        for id in [
            "agent:grace",
            "skill:s-french",
            "routing-point:rp-5000",
            "chat:CH17",
        ] {
            assert!(is_platform_id(id), "{id}");
        }
        for address in ["+33612345678", "viber:+447700900123", "camille@example.org"] {
            assert!(!is_platform_id(address), "{address}");
        }
    }
}
