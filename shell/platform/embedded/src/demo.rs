//! Demo traffic: realistic inbound SMS, session conversations and MMS with real photos from a
//! few demo contacts, at a gentle pace, through the same path as the webhook. The photos ship
//! in `assets/demo/media` and are written to a temporary folder so they have `file://` URLs.

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    thread::JoinHandle,
    time::Duration,
};

use serde::Deserialize;

use switchboard_edge::{InboundMedia, InboundSms};

use super::EmbeddedPlatform;

/// The demo photos, by file name.
const MEDIA: [(&str, &[u8]); 3] = [
    (
        "board.jpg",
        include_bytes!("../../../../assets/demo/media/board.jpg"),
    ),
    (
        "board-jumpers.jpg",
        include_bytes!("../../../../assets/demo/media/board-jumpers.jpg"),
    ),
    (
        "board-cut.jpg",
        include_bytes!("../../../../assets/demo/media/board-cut.jpg"),
    ),
];

const TRAFFIC: &str = include_str!("../../../../assets/demo/traffic.toml");

/// One scripted message.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DemoMessage {
    /// Sender's number.
    #[serde(default)]
    pub from: String,
    /// Sender's name.
    #[serde(default)]
    pub name: String,
    /// Text.
    pub body: String,
    /// Language, attached as case data.
    #[serde(default)]
    pub language: String,
    /// A colleague's login: the message is an instant message from them to a Ready agent.
    #[serde(default)]
    pub colleague: Option<String>,
    /// With `colleague`: the IM is a consultation about this customer's newest interaction
    /// (their number as the script writes it).
    #[serde(default)]
    pub about: Option<String>,
    /// `chat`: a web chat visitor writes (their page is not open, so replies wait for them).
    #[serde(default)]
    pub channel: Option<String>,
    /// `session` to write to the session-mode number.
    #[serde(default)]
    pub mode: Option<String>,
    /// Images from `assets/demo/media` (an MMS).
    #[serde(default)]
    pub media: Vec<String>,
}

/// Writes the demo photos to a temporary folder and returns it.
/// Where demo traffic writes its photos (a media folder the demo's platform reads).
pub fn demo_media_folder() -> std::path::PathBuf {
    std::env::temp_dir().join("switchboard-demo-media")
}

fn write_media() -> std::io::Result<std::path::PathBuf> {
    let folder = demo_media_folder();
    std::fs::create_dir_all(&folder)?;
    for (name, bytes) in MEDIA {
        std::fs::write(folder.join(name), bytes)?;
    }
    Ok(folder)
}

impl DemoMessage {
    /// The message as the platform receives it.
    fn inbound(
        &self,
        platform: &EmbeddedPlatform,
        media_folder: &std::path::Path,
        round: usize,
    ) -> InboundSms {
        let to = match self.mode.as_deref() {
            Some("session") => platform.session_number(),
            _ => platform.service_number(),
        };
        InboundSms {
            from: self.from.clone(),
            to: to.to_owned(),
            body: self.body.clone(),
            message_sid: None,
            name: Some(self.name.clone()),
            media: self
                .media
                .iter()
                .map(|name| InboundMedia {
                    url: format!("file://{}", media_folder.join(name).display()),
                    content_type: "image/jpeg".into(),
                })
                .collect(),
            case_data: vec![
                ("language".into(), self.language.clone()),
                ("source".into(), "demo".into()),
                ("round".into(), round.to_string()),
            ],
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Script {
    message: Vec<DemoMessage>,
}

/// The shipped demo script.
pub fn demo_script() -> Vec<DemoMessage> {
    match toml::from_str::<Script>(TRAFFIC) {
        Ok(script) => script.message,
        Err(e) => {
            tracing::error!("assets/demo/traffic.toml is invalid: {e}");
            Vec::new()
        }
    }
}

/// A running demo traffic source; dropping it stops it.
pub struct DemoTraffic {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl DemoTraffic {
    /// Sends the first message after `first_after`, then one every `every`, cycling.
    pub fn start(platform: EmbeddedPlatform, first_after: Duration, every: Duration) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        let thread = std::thread::Builder::new()
            .name("demo-traffic".into())
            .spawn(move || {
                let script = demo_script();
                let media_folder = write_media().unwrap_or_else(|e| {
                    tracing::error!("demo traffic: cannot write the demo photos: {e}");
                    std::env::temp_dir()
                });
                let mut wait = first_after;
                let mut chat_rooms = std::collections::HashMap::new();
                for (round, message) in script.iter().cycle().enumerate() {
                    std::thread::park_timeout(wait);
                    if stopped.load(Ordering::SeqCst) {
                        return;
                    }
                    wait = every;
                    if message.channel.as_deref() == Some("chat") {
                        let token = chat_rooms.entry(message.name.clone()).or_insert_with(|| {
                            let (page, _closed) = tokio::sync::mpsc::unbounded_channel();
                            platform.chat_start(&message.name, page).token
                        });
                        if let Err(e) = platform.chat_customer_says(token, &message.body) {
                            tracing::error!("demo traffic: {e}");
                        }
                        continue;
                    }
                    if let Some(colleague) = &message.colleague {
                        let consulting = message
                            .about
                            .as_deref()
                            .and_then(|number| platform.latest_interaction_with(number));
                        if let Err(e) = platform.colleague_starts_im(
                            colleague,
                            None,
                            &message.body,
                            consulting.as_deref(),
                        ) {
                            tracing::error!("demo traffic: {e}");
                        }
                        continue;
                    }
                    let sms =
                        message.inbound(&platform, &media_folder, round / script.len().max(1) + 1);
                    if let Err(e) = platform.receive_sms(sms) {
                        tracing::error!("demo traffic: {e}");
                    }
                }
            })
            .ok();
        Self { stop, thread }
    }
}

impl Drop for DemoTraffic {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            thread.thread().unpark();
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_script_parses_and_names_shipped_photos() {
        let script = demo_script();
        assert!(script.len() >= 5);
        assert!(script.iter().any(|m| m.language == "fr"));
        assert!(
            script
                .iter()
                .filter(|m| m.mode.as_deref() == Some("session"))
                .count()
                >= 3
        );
        assert!(
            script.iter().any(|m| m.colleague.is_some()),
            "a colleague's IM"
        );
        for name in script.iter().flat_map(|m| &m.media) {
            assert!(
                MEDIA.iter().any(|(n, _)| n == name),
                "{name} is not shipped"
            );
        }
    }

    #[test]
    fn shipped_photos_pass_the_checks_except_the_cut_one() {
        let limits = switchboard_core::media::MediaLimits::default();
        for (name, bytes) in MEDIA {
            let checked = switchboard_core::media::thumbnail(bytes, "image/jpeg", limits);
            assert_eq!(checked.is_ok(), name != "board-cut.jpg", "{name}");
        }
    }
}
