//! A real SMS provider behind a small trait: inbound posts signed by the provider are checked
//! ([`signature`]), outbound parts go through its API ([`twilio`] is the first provider), and
//! its error codes become reasons an agent can read ([`errors`]). Without a provider the
//! embedded platform's gateway double records what it would send, as in the demo.

pub mod errors;
pub mod signature;
pub mod twilio;

use std::time::Duration;

use switchboard_seam::secret::Secret;

/// Who our messages come from at the provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sender {
    /// The number the interaction was opened on (its `our_address`).
    OurNumber,
    /// A messaging service that picks the number (`MessagingServiceSid`).
    MessagingService(String),
}

/// How to reach the provider and check what it posts.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderSettings {
    /// The account's id (Twilio: `AC…`).
    pub account_sid: String,
    /// The account's auth token: signs the webhooks, authenticates API calls.
    pub auth_token: Secret,
    /// The public address the provider posts to (the service sits behind a reverse proxy):
    /// the webhook's paths are joined to it to check signatures.
    pub public_url: url::Url,
    /// The API's base address (`https://api.twilio.com`; a local stand-in in tests).
    pub api_base: url::Url,
    /// Who messages come from.
    pub sender: Sender,
    /// The only host media is fetched from with the account's credentials.
    pub media_host: Option<String>,
}

impl ProviderSettings {
    /// The public address of a webhook path (`/sms`, `/sms/status`).
    pub fn public_address(&self, path_and_query: &str) -> String {
        let base = self.public_url.as_str().trim_end_matches('/');
        format!("{base}{path_and_query}")
    }
}

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

    #[test]
    fn a_public_address_joins_the_path_once() {
        let settings = ProviderSettings {
            account_sid: "AC1".into(),
            auth_token: Secret::new("t"),
            public_url: url::Url::parse("https://desk.example.com/hooks/").expect("url"),
            api_base: url::Url::parse("http://127.0.0.1:1").expect("url"),
            sender: Sender::OurNumber,
            media_host: None,
        };
        assert_eq!(
            settings.public_address("/sms"),
            "https://desk.example.com/hooks/sms"
        );
    }
}
