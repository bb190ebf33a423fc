//! A real SMS provider behind a small trait: inbound posts signed by the provider are checked
//! ([`signature`]), outbound parts go through its API ([`twilio`] is the first provider), and
//! its error codes become reasons an agent can read ([`errors`]). Without a provider the
//! embedded platform's gateway double records what it would send, as in the demo.

pub mod errors;
pub mod signature;
pub mod twilio;

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

pub use switchboard_seam::provider::{MAX_ATTEMPTS, OutboundPart, Provider, SendOutcome, backoff};

#[cfg(test)]
mod tests {
    use super::*;

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
