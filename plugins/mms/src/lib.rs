//! MMS: an inbound multimedia message (text and images) opens in the page-mode layout. The
//! host fetched, checked and thumbnailed every image before the offer (a corrupt or dangerous
//! one became a resend notice); the shell draws the thumbnails, opens and — for roles allowed
//! to — saves them. The agent answers by SMS, with the segment counter, and cannot attach
//! images; the reply closes the interaction.

pub use sms_common::{ACTION_CONSULT, ACTION_DONE};
use sms_common::{
    COMMON_TRANSLATIONS, Counter, RecordBadges, Tracked, consult_action, consult_command,
    mark_done_action, one_reply_composer, reply_once, sms_panels,
};
use switchboard_sdk::{
    Badge, Channel, Command, ConnectionState, Event, Header, HostBox, InteractionInfo, Manifest,
    PluginError, Services, Tone, TranscriptEntry, ViewModel, Words, permissions, services,
};

/// One MMS interaction as the plugin tracks it.
struct Mms {
    info: InteractionInfo,
    records: RecordBadges,
    images: usize,
    replied: bool,
    counter: Counter,
}

/// The MMS channel.
pub struct MmsChannel {
    host: Services,
    words: Words,
    messages: Tracked<Mms>,
}

impl Channel for MmsChannel {
    fn manifest() -> Manifest {
        Manifest::new("mms", "MMS", env!("CARGO_PKG_VERSION"))
            .media_type("mms")
            .service(services::MESSAGES_SEND)
            .service(services::MESSAGES_STORE)
            .service(services::CASE_DATA)
            .service(services::DISPOSITIONS)
            .service(services::ATTACHMENTS)
            .permission(permissions::SAVE_IMAGES)
            .icon(switchboard_sdk::icons::MMS)
    }

    const TRANSLATIONS: &'static [(&'static str, &'static str)] = &[
        ("en", include_str!("../i18n/en.ftl")),
        ("fr", include_str!("../i18n/fr.ftl")),
        COMMON_TRANSLATIONS[0],
        COMMON_TRANSLATIONS[1],
    ];

    fn create(host: HostBox) -> Result<Self, PluginError> {
        let host = Services::new(host);
        let words = Words::from_sources(Self::TRANSLATIONS, &host.language());
        Ok(Self {
            host,
            words,
            messages: Tracked::default(),
        })
    }

    fn handle(&mut self, event: Event) -> Result<Vec<Command>, PluginError> {
        match event {
            Event::Accepted {
                interaction,
                transcript,
            } => {
                let id = interaction.id.to_string();
                let records = RecordBadges::read(&self.host, &id);
                self.messages.insert(
                    id,
                    Mms {
                        info: interaction,
                        records,
                        images: transcript.iter().map(TranscriptEntry::image_count).sum(),
                        replied: false,
                        counter: Counter::of(""),
                    },
                );
                Ok(Vec::new())
            }
            Event::InboundMessage { entry } => {
                let id = entry.interaction.to_string();
                self.messages.get_mut(&id)?.images += entry.image_count();
                Ok(Vec::new())
            }
            Event::ComposerChanged { interaction, text } => {
                self.messages.get_mut(&interaction)?.counter = Counter::of(&text);
                Ok(Vec::new())
            }
            Event::Send { interaction, text } => {
                let mms = self.messages.get_mut(&interaction)?;
                reply_once(
                    &self.host,
                    &self.words,
                    &interaction,
                    &mut mms.replied,
                    &text,
                )
            }
            Event::Action {
                interaction,
                action,
            } if action == ACTION_DONE => {
                self.messages.get(&interaction)?;
                Ok(vec![Command::MarkDone { interaction }])
            }
            Event::Action {
                interaction,
                action,
            } if action == ACTION_CONSULT => {
                self.messages.get(&interaction)?;
                Ok(vec![consult_command(&interaction)])
            }
            Event::RecordsChanged {
                interaction,
                records,
            } => {
                self.messages.get_mut(&interaction)?.records.refresh(
                    &self.host,
                    &interaction,
                    &records,
                );
                Ok(Vec::new())
            }
            Event::Closed { interaction } => {
                self.messages.remove(&interaction);
                Ok(Vec::new())
            }
            Event::LanguageChanged { language } => {
                self.words.set_language(&language);
                Ok(Vec::new())
            }
            _ => Ok(Vec::new()),
        }
    }

    fn view(&self, interaction: &str) -> Result<ViewModel, PluginError> {
        let mms = self.messages.get(interaction)?;
        let words = &self.words;
        let mut badges = mms.records.badges(words);
        let images = words.tr_args("mms-images", &[("count", &mms.images.to_string())]);
        badges.push(Badge::new(images.as_str(), Tone::Neutral));
        if mms.replied {
            badges.push(Badge::new(words.tr("mms-reply-sent"), Tone::Success));
        }
        let state = if mms.replied {
            ConnectionState::Ended
        } else {
            ConnectionState::Connected
        };
        Ok(ViewModel {
            header: Header {
                title: mms.info.contact_name.clone(),
                address: mms.info.contact_address.clone(),
                state: state.into(),
                subtitle: words.tr_args("mms-subtitle", &[("images", &images)]).into(),
            },
            badges: badges.into(),
            toolbar: vec![mark_done_action(words), consult_action(words, true)].into(),
            composer: one_reply_composer(
                mms.replied,
                &mms.counter,
                words.tr("mms-hint"),
                &words.tr("mms-answered"),
                &words.tr("mms-send"),
            ),
            panels: sms_panels(),
        })
    }
}

switchboard_sdk::export_channel!(MmsChannel);

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard_sdk::Attachment;
    use switchboard_sdk_testing::Harness;

    fn image(id: i64) -> Attachment {
        Attachment {
            id,
            media_type: "image/jpeg".into(),
            name: format!("photo-{id}.jpg").into(),
            size: 52_000,
        }
    }

    #[test]
    fn its_words_are_complete_in_english_and_french() {
        switchboard_sdk_testing::assert_translations_complete::<MmsChannel>();
    }

    #[test]
    fn a_french_agent_reads_the_images_count_in_french() {
        let mut h = Harness::<MmsChannel>::in_language("fr");
        let id = h.accept_inbound_with("+33612345678", "Le colis", vec![image(1), image(2)]);
        assert_eq!(h.view(&id).header.subtitle, "MMS entrant · 2 images");
        assert_eq!(h.view(&id).composer.send_label, "Envoyer le SMS et clore");
        let none = h.accept_inbound_with("+33612345679", "Rien", vec![]);
        assert_eq!(h.view(&none).header.subtitle, "MMS entrant · Aucune image");
    }

    #[test]
    fn counts_images_and_replies_by_sms() {
        let mut h = Harness::<MmsChannel>::new();
        let id = h.accept_inbound_with(
            "+15550142",
            "The parcel arrived broken",
            vec![image(1), image(2)],
        );
        let text = h.render_text(&id);
        assert!(text.contains("badge: 2 images"), "{text}");
        h.type_text(&id, "Sorry! A replacement is on its way.");
        assert!(h.render_text(&id).contains("[1 SMS · 35/160 · GSM-7]"));
        let commands = h.send(&id, "Sorry! A replacement is on its way.");
        assert!(commands.contains(&Command::MarkDone {
            interaction: id.as_str().into()
        }));
        let sent = h.host.sent();
        assert_eq!(sent.len(), 1);
        assert!(h.render_text(&id).contains("composer: disabled"));
    }
}
