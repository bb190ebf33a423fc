//! Time as plugins see it: milliseconds since the Unix epoch, read from the host's clock.

use abi_stable::StableAbi;

/// A point in time, in milliseconds since 1970-01-01T00:00:00Z.
///
/// Plugins never read the system clock: they get "now" from [`crate::Host::now`], so tests can
/// drive time instead of sleeping.
#[repr(transparent)]
#[derive(
    StableAbi,
    serde::Serialize,
    serde::Deserialize,
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// This timestamp moved forward by `seconds`.
    pub fn plus_seconds(self, seconds: i64) -> Self {
        Self(self.0 + seconds * 1000)
    }

    /// Whole seconds elapsed from `earlier` to `self` (zero if `earlier` is later).
    pub fn seconds_since(self, earlier: Timestamp) -> i64 {
        ((self.0 - earlier.0) / 1000).max(0)
    }
}
