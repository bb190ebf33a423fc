//! An SMS provider's API as both platforms use it: one part to send, what became of the call,
//! and how long to wait before trying again. The provider's client itself (HTTP) lives with the
//! platform that owns it; the cluster's gateway is handed one.

use std::time::Duration;

/// One SMS part to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboundPart {
    /// To.
    pub to: String,
    /// From (ignored when a messaging service sends).
    pub from: String,
    /// Text.
    pub body: String,
}

/// What became of one call to send a part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendOutcome {
    /// Taken, under the provider's id.
    Accepted {
        /// The provider's id for the part (status callbacks name it).
        sid: String,
    },
    /// Not taken this time (rate limit, the provider's trouble): try again later.
    RetryLater {
        /// When the provider asked to come back, if it said.
        after: Option<Duration>,
        /// Why, for the log.
        reason: String,
    },
    /// Refused for good: the agent reads why.
    Rejected {
        /// The provider's error code, when it gave one.
        code: Option<u32>,
        /// Why, in words an agent reads.
        reason: String,
    },
    /// The call went out but its answer never came: the provider may have the part.
    Uncertain {
        /// What happened, for the log.
        reason: String,
    },
}

/// A provider's API for outbound messages.
pub trait Provider: Send + Sync {
    /// Sends one part; blocks for at most the call's time limit.
    fn send(&self, part: &OutboundPart) -> SendOutcome;
}

/// Attempts at most per part before it is marked failed.
pub const MAX_ATTEMPTS: i64 = 6;

/// How long to wait before attempt `attempts + 1`: what the provider asked, else 2, 4, 8…
/// seconds, never more than a minute.
pub fn backoff(attempts: i64, asked: Option<Duration>) -> Duration {
    let doubling = Duration::from_secs(1u64 << attempts.clamp(1, 6) as u32);
    asked.unwrap_or(doubling).min(Duration::from_secs(60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_a_minute_and_follows_what_the_provider_asks() {
        assert_eq!(backoff(1, None), Duration::from_secs(2));
        assert_eq!(backoff(2, None), Duration::from_secs(4));
        assert_eq!(backoff(10, None), Duration::from_secs(60));
        assert_eq!(
            backoff(1, Some(Duration::from_secs(7))),
            Duration::from_secs(7)
        );
        assert_eq!(
            backoff(1, Some(Duration::from_secs(3600))),
            Duration::from_secs(60)
        );
    }
}
