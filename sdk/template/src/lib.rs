//! A minimal Switchboard channel plugin: interactions of the media type `my-channel`, a reply
//! box that sends what the agent typed, and a Mark done action.
//!
//! Start here, rename `my-channel`, and grow it: the SDK's documentation lists every event,
//! command, view-model part and host service. Every word people read is in `i18n/en.ftl` and
//! `i18n/fr.ftl`, in the agent's language. Host services are called through [`Services`]:
//! `&str` in, `Result` out.

use std::collections::HashMap;

use switchboard_sdk::{
    Action, Channel, Command, Composer, ConnectionState, Event, Header, HostBox, InteractionInfo,
    Manifest, PluginError, Services, Tone, ViewModel, Words, services, view::panels,
};

/// The id of the Mark done toolbar action.
pub const ACTION_DONE: &str = "done";

/// The channel: the host services it was given and the interactions it tracks.
pub struct MyChannel {
    host: Services,
    words: Words,
    interactions: HashMap<String, InteractionInfo>,
}

impl Channel for MyChannel {
    fn manifest() -> Manifest {
        Manifest::new("my-channel", "My channel", env!("CARGO_PKG_VERSION"))
            .media_type("my-channel")
            .service(services::MESSAGES_SEND)
            .icon(switchboard_sdk::icons::CHAT)
    }

    const TRANSLATIONS: &'static [(&'static str, &'static str)] = &[
        ("en", include_str!("../i18n/en.ftl")),
        ("fr", include_str!("../i18n/fr.ftl")),
    ];

    fn create(host: HostBox) -> Result<Self, PluginError> {
        let host = Services::new(host);
        let words = Words::from_sources(Self::TRANSLATIONS, &host.language());
        Ok(Self {
            host,
            words,
            interactions: HashMap::new(),
        })
    }

    fn handle(&mut self, event: Event) -> Result<Vec<Command>, PluginError> {
        match event {
            Event::Accepted { interaction, .. } => {
                self.interactions
                    .insert(interaction.id.to_string(), interaction);
                Ok(Vec::new())
            }
            Event::Send { interaction, text } => {
                self.known(&interaction)?;
                Ok(match self.host.send_message(&interaction, &text, &[]) {
                    Ok(_) => vec![Command::ClearComposer { interaction }],
                    Err(e) => vec![Command::ShowError {
                        interaction,
                        text: self
                            .words
                            .tr_args("my-not-sent", &[("reason", &e.to_string())])
                            .into(),
                    }],
                })
            }
            Event::Action {
                interaction,
                action,
            } if action == ACTION_DONE => {
                self.known(&interaction)?;
                Ok(vec![Command::MarkDone { interaction }])
            }
            Event::Closed { interaction } => {
                self.interactions.remove(interaction.as_str());
                Ok(Vec::new())
            }
            Event::LanguageChanged { language } => {
                self.words.set_language(&language);
                Ok(Vec::new())
            }
            // Events this channel does not use (and ones newer SDKs add) are ignored.
            _ => Ok(Vec::new()),
        }
    }

    fn view(&self, interaction: &str) -> Result<ViewModel, PluginError> {
        let info = self.known(interaction)?;
        let words = &self.words;
        let header = Header::new(
            &info.contact_name,
            &info.contact_address,
            ConnectionState::Connected,
        )
        .subtitle(&words.tr("my-subtitle"));
        let done = Action::new(
            ACTION_DONE,
            "action-mark-done",
            &words.tr("my-mark-done"),
            "done",
        )
        .tone(Tone::Primary);
        let composer = Composer::new()
            .hint(&words.tr("my-hint"))
            .send_label(&words.tr("my-send"));
        Ok(ViewModel::new(header)
            .toolbar([done])
            .composer(composer)
            .panels([panels::NOTE, panels::CASE_DATA]))
    }
}

impl MyChannel {
    fn known(&self, interaction: &str) -> Result<&InteractionInfo, PluginError> {
        self.interactions
            .get(interaction)
            .ok_or_else(|| PluginError::unknown_interaction(interaction))
    }
}

switchboard_sdk::export_channel!(MyChannel);

#[cfg(test)]
mod tests {
    use switchboard_sdk_testing::Harness;

    use super::*;

    #[test]
    fn sends_the_reply_and_marks_done() {
        let mut h = Harness::<MyChannel>::new();
        let id = h.accept_inbound("+15550101", "Hello");
        let commands = h.send(&id, "Hi! How can I help?");
        assert_eq!(h.host.sent()[0].text.as_str(), "Hi! How can I help?");
        assert!(matches!(commands[..], [Command::ClearComposer { .. }]));
        let commands = h.action(&id, ACTION_DONE);
        assert!(matches!(commands[..], [Command::MarkDone { .. }]));
        assert!(h.render_text(&id).contains("Mark done"));
    }

    #[test]
    fn speaks_english_and_french_completely() {
        switchboard_sdk_testing::assert_translations_complete::<MyChannel>();
        let mut h = Harness::<MyChannel>::in_language("fr");
        let id = h.accept_inbound("+15550101", "Bonjour");
        assert_eq!(h.view(&id).composer.send_label, "Envoyer");
        h.switch_language("en");
        assert_eq!(h.view(&id).composer.send_label, "Send");
    }

    #[test]
    fn a_service_missing_from_the_manifest_is_refused() {
        let mut h = Harness::<MyChannel>::new();
        let id = h.accept_inbound("+15550101", "Hello");
        // The manifest does not ask for notes: the host refuses, as the shell would.
        assert!(h.plugin.host.note(&id).is_err());
    }
}
