//! The embedded platform's settings: which of our numbers works in session mode, media limits,
//! and the demo number facts its gateway acts on (numbers that cannot receive SMS, handsets
//! that are unreachable); how addresses compare, and which name a messaging app.

use serde::Deserialize;

use switchboard_core::media::MediaLimits;
use switchboard_edge::{chat_widget_origin, same_number};

const NUMBERS: &str = include_str!("../../../../assets/demo/numbers.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NoSms {
    number: String,
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Unreachable {
    number: String,
    reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    no_sms: Vec<NoSms>,
    unreachable: Vec<Unreachable>,
}

/// How the embedded platform is set up.
#[derive(Debug, Clone, PartialEq)]
pub struct PlatformSettings {
    /// Our page-mode number.
    pub service_number: String,
    /// Our session-mode number: SMS to it open (or join) a session.
    pub session_number: String,
    /// Limits for inbound media.
    pub media_limits: MediaLimits,
    /// The only folders `file://` media may be read from (the embedded platform's stand-in for
    /// a provider's media store); canonical paths. Empty: no `file://` media at all.
    pub media_folders: Vec<std::path::PathBuf>,
    /// New chats one client address may open per minute (and at once).
    pub chat_starts_per_minute: u32,
    /// Webhook posts one client address may make per minute (and at once).
    pub webhook_posts_per_minute: u32,
    /// What one client may hold of the webhook and of the chat page server (each).
    pub connections: switchboard_edge::ConnectionLimits,
    /// Sites whose pages may show the chat widget (origins, `https://shop.example.com`): they
    /// alone may frame the chat page.
    pub chat_widget_origins: Vec<String>,
    /// The real SMS provider, when one is configured: webhooks must then be signed, and
    /// outbound SMS go through its API.
    pub provider: Option<switchboard_edge::provider::ProviderSettings>,
    /// Numbers that cannot receive SMS, with why.
    pub no_sms: Vec<(String, String)>,
    /// Numbers whose deliveries fail, with the provider's reason.
    pub unreachable: Vec<(String, String)>,
}

impl PlatformSettings {
    /// Settings with the shipped demo number facts.
    pub fn new(service_number: &str, session_number: &str) -> Self {
        let (no_sms, unreachable) = match toml::from_str::<File>(NUMBERS) {
            Ok(file) => (
                file.no_sms
                    .into_iter()
                    .map(|n| (n.number, n.note))
                    .collect(),
                file.unreachable
                    .into_iter()
                    .map(|n| (n.number, n.reason))
                    .collect(),
            ),
            Err(e) => {
                tracing::error!("assets/demo/numbers.toml is invalid: {e}");
                (Vec::new(), Vec::new())
            }
        };
        Self {
            service_number: service_number.to_owned(),
            session_number: session_number.to_owned(),
            media_limits: MediaLimits::default(),
            media_folders: Vec::new(),
            chat_starts_per_minute: 20,
            webhook_posts_per_minute: 6_000,
            connections: switchboard_edge::ConnectionLimits::default(),
            provider: None,
            chat_widget_origins: Vec::new(),
            no_sms,
            unreachable,
        }
    }

    /// Lets pages of `site` show the chat widget. A site that is not an http(s) origin is left
    /// out, with a warning.
    pub fn allow_chat_widget_on(mut self, site: &str) -> Self {
        self.chat_widget_origins.extend(chat_widget_origin(site));
        self
    }

    /// Lets `file://` media be read from `folder` (and below it). A folder that does not exist
    /// is left out, with a warning.
    pub fn allow_media_folder(mut self, folder: &std::path::Path) -> Self {
        match folder.canonicalize() {
            Ok(canonical) => self.media_folders.push(canonical),
            Err(e) => tracing::warn!("media folder {} left out: {e}", folder.display()),
        }
        self
    }

    /// Why a number cannot receive SMS, if it cannot.
    pub fn cannot_receive(&self, number: &str) -> Option<&str> {
        find(&self.no_sms, number)
    }

    /// Why deliveries to a number fail, if they do.
    pub fn delivery_failure(&self, number: &str) -> Option<&str> {
        find(&self.unreachable, number).or_else(|| self.cannot_receive(number))
    }

    /// Whether an SMS to `our_number` is for session mode.
    pub fn is_session_number(&self, our_number: &str) -> bool {
        same_number(our_number, &self.session_number)
    }
}

fn find<'a>(list: &'a [(String, String)], number: &str) -> Option<&'a str> {
    list.iter()
        .find(|(n, _)| same_number(n, number))
        .map(|(_, why)| why.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_numbers_parse_and_match_loosely() {
        let settings = PlatformSettings::new("+1 555 0100", "+1 555 0150");
        assert_eq!(settings.cannot_receive("+15550177"), Some("landline"));
        assert!(settings.delivery_failure("+447700900456").is_some());
        assert!(settings.is_session_number("+1-555-0150"));
        assert!(!settings.is_session_number("+1 555 0100"));
    }
}
