//! Demo traffic: realistic inbound SMS from a few demo contacts, at a gentle pace, through the
//! same path as the webhook.

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    thread::JoinHandle,
    time::Duration,
};

use serde::Deserialize;

use super::{EmbeddedPlatform, InboundSms};

const TRAFFIC: &str = include_str!("../../../../../assets/demo/traffic.toml");

/// One scripted message.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DemoMessage {
    /// Sender's number.
    pub from: String,
    /// Sender's name.
    pub name: String,
    /// Text.
    pub body: String,
    /// Language, attached as case data.
    pub language: String,
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
                let mut wait = first_after;
                for (round, message) in script.iter().cycle().enumerate() {
                    std::thread::park_timeout(wait);
                    if stopped.load(Ordering::SeqCst) {
                        return;
                    }
                    wait = every;
                    let sms = InboundSms {
                        from: message.from.clone(),
                        to: platform.service_number().to_owned(),
                        body: message.body.clone(),
                        message_sid: None,
                        name: Some(message.name.clone()),
                        media: Vec::new(),
                        case_data: vec![
                            ("language".into(), message.language.clone()),
                            ("source".into(), "demo".into()),
                            (
                                "round".into(),
                                (round / script.len().max(1) + 1).to_string(),
                            ),
                        ],
                    };
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
    #[test]
    fn shipped_script_parses() {
        let script = super::demo_script();
        assert!(script.len() >= 5);
        assert!(script.iter().any(|m| m.language == "fr"));
    }
}
