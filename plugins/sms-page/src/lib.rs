//! SMS page mode: one inbound SMS is one self-contained interaction, like an e-mail.
//!
//! The agent may reply once; sending the reply closes the interaction and marks it done. The
//! agent can also mark it done without replying. The composer shows the live segment counter,
//! and the reply is handed to the gateway already split into SMS parts.

pub use sms_common::{
    ACTION_CONSULT, ACTION_DONE, ACTION_TRANSFER, PURPOSE_TRANSFER, choose_transfer_target,
    request_transfer, transfer_action, transfer_answered,
};
use sms_common::{
    COMMON_TRANSLATIONS, Counter, Kept, RecordBadges, Tracked, consult_action, consult_command,
    mark_done_action, one_reply_composer, reply_once, sms_panels,
};
use switchboard_sdk::{
    Action, Badge, Channel, Command, ConnectionState, Event, Header, HostBox, InteractionInfo,
    Manifest, PluginError, Services, Tone, ViewModel, Words, services,
};

/// Id of the "call back in an hour" action.
pub const ACTION_CALLBACK_HOUR: &str = "callback-hour";

/// One page-mode interaction as the plugin tracks it.
struct Page {
    info: InteractionInfo,
    /// The customer's language and the disposition, from the records.
    records: RecordBadges,
    /// How many other interactions the contact had (history service), read when the
    /// interaction opens and when its contact changes.
    earlier: usize,
    replied: bool,
    counter: Counter,
    /// Misspelled words in the draft (spell-check service).
    misspelled: usize,
    /// A greeting shortcut to suggest in the hint (responses service).
    greeting: Option<String>,
    /// A callback was scheduled (callbacks service).
    callback_scheduled: bool,
    /// Handed over, waiting for the target's answer.
    transferring: bool,
}

/// The SMS page-mode channel.
pub struct SmsPage {
    host: Services,
    words: Words,
    pages: Tracked<Page>,
}

impl SmsPage {
    /// How many other interactions the contact had, through the history service.
    fn earlier_interactions(&self, id: &str) -> usize {
        self.host.history(id, "").map_or(0, |entries| {
            entries.iter().filter(|e| e.interaction != id).count()
        })
    }

    /// The shortcut of a greeting in the customer's language, through the responses service.
    fn greeting_shortcut(&self, id: &str) -> Option<String> {
        let found = self.host.standard_responses(id, "greet").ok()?;
        found
            .iter()
            .find(|r| !r.keyword.is_empty())
            .map(|r| format!("#{}", r.keyword))
    }

    fn misspelled_words(&self, id: &str, text: &str) -> usize {
        self.host
            .check_spelling(id, text)
            .map_or(0, |found| found.len())
    }

    /// Schedules a callback to the sender in one hour, through the callbacks service.
    fn callback_in_an_hour(&mut self, id: &str) -> Result<Vec<Command>, PluginError> {
        let number = self.pages.get(id)?.info.contact_address.clone();
        let due = self.host.now().plus_seconds(3600);
        let note = self.words.tr("page-callback-note");
        match self.host.schedule_callback(id, &number, due, &note) {
            Ok(_) => {
                self.pages.get_mut(id)?.callback_scheduled = true;
                self.words.store_line(
                    &self.host,
                    id,
                    "page-callback-line",
                    &[("number", number.as_str())],
                );
                Ok(Vec::new())
            }
            Err(e) => Ok(vec![Command::ShowError {
                interaction: id.into(),
                text: self
                    .words
                    .tr_args("page-callback-failed", &[("reason", &e.to_string())])
                    .into(),
            }]),
        }
    }
}

impl Channel for SmsPage {
    fn manifest() -> Manifest {
        Manifest::new("sms-page", "SMS", env!("CARGO_PKG_VERSION"))
            .media_type("sms")
            .service(services::MESSAGES_SEND)
            .service(services::MESSAGES_STORE)
            .service(services::CASE_DATA)
            .service(services::DISPOSITIONS)
            .service(services::HISTORY)
            .service(services::RESPONSES)
            .service(services::SPELL_CHECK)
            .service(services::CALLBACKS)
            .service(services::TRANSFER)
            .icon(switchboard_sdk::icons::SMS)
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
            pages: Tracked::default(),
        })
    }

    fn handle(&mut self, event: Event) -> Result<Vec<Command>, PluginError> {
        match event {
            Event::Accepted { interaction, .. } => {
                let id = interaction.id.to_string();
                let records = RecordBadges::read(&self.host, &id);
                let earlier = self.earlier_interactions(&id);
                let greeting = self.greeting_shortcut(&id);
                self.pages.insert(
                    id,
                    Page {
                        info: interaction,
                        records,
                        earlier,
                        replied: false,
                        counter: Counter::of(""),
                        misspelled: 0,
                        greeting,
                        callback_scheduled: false,
                        transferring: false,
                    },
                );
                Ok(Vec::new())
            }
            Event::ComposerChanged { interaction, text } => {
                let misspelled = self.misspelled_words(&interaction, &text);
                let page = self.pages.get_mut(&interaction)?;
                page.counter = Counter::of(&text);
                page.misspelled = misspelled;
                Ok(Vec::new())
            }
            Event::Send { interaction, text } => {
                let page = self.pages.get_mut(&interaction)?;
                reply_once(
                    &self.host,
                    &self.words,
                    &interaction,
                    &mut page.replied,
                    &text,
                )
            }
            Event::Action {
                interaction,
                action,
            } if action == ACTION_DONE => {
                self.pages.get(&interaction)?;
                Ok(vec![Command::MarkDone { interaction }])
            }
            Event::Action {
                interaction,
                action,
            } if action == ACTION_CONSULT => {
                self.pages.get(&interaction)?;
                Ok(vec![consult_command(&interaction)])
            }
            Event::Action {
                interaction,
                action,
            } if action == ACTION_CALLBACK_HOUR => self.callback_in_an_hour(&interaction),
            Event::Action {
                interaction,
                action,
            } if action == ACTION_TRANSFER => {
                self.pages.get(&interaction)?;
                Ok(vec![choose_transfer_target(&interaction)])
            }
            Event::TargetChosen {
                interaction,
                purpose,
                target,
            } if purpose == PURPOSE_TRANSFER => {
                let page = self.pages.get(&interaction)?;
                if page.replied || page.transferring {
                    return Ok(Vec::new());
                }
                match request_transfer(&self.host, &self.words, &interaction, &target) {
                    Ok(()) => {
                        self.pages.get_mut(&interaction)?.transferring = true;
                        Ok(Vec::new())
                    }
                    Err(refusal) => Ok(vec![refusal]),
                }
            }
            Event::TransferOutcome {
                interaction,
                target,
                outcome,
            } => {
                self.pages.get_mut(&interaction)?.transferring = false;
                Ok(transfer_answered(
                    &self.host,
                    &self.words,
                    &interaction,
                    &target,
                    outcome.as_enum().ok().cloned(),
                    Kept::Interaction,
                ))
            }
            Event::RecordsChanged {
                interaction,
                records,
            } => {
                let earlier = (records == switchboard_sdk::records::CONTACT)
                    .then(|| self.earlier_interactions(&interaction));
                let page = self.pages.get_mut(&interaction)?;
                page.records.refresh(&self.host, &interaction, &records);
                if let Some(earlier) = earlier {
                    page.earlier = earlier;
                }
                Ok(Vec::new())
            }
            Event::Closed { interaction } => {
                self.pages.remove(&interaction);
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
        let page = self.pages.get(interaction)?;
        let state = if page.replied {
            ConnectionState::Ended
        } else {
            ConnectionState::Connected
        };
        let words = &self.words;
        let mut badges = page.records.badges(words);
        if page.earlier > 0 {
            badges.push(Badge::new(
                words.tr_args("page-earlier", &[("count", &page.earlier.to_string())]),
                Tone::Neutral,
            ));
        }
        if page.misspelled > 0 {
            badges.push(Badge::new(
                words.tr_args("page-spelling", &[("count", &page.misspelled.to_string())]),
                Tone::Warning,
            ));
        }
        if page.callback_scheduled {
            badges.push(Badge::new(
                words.tr("page-callback-scheduled"),
                Tone::Success,
            ));
        }
        if page.replied {
            badges.push(Badge::new(words.tr("page-reply-sent"), Tone::Success));
        }
        let transfer_off = if page.replied {
            Some(words.tr("page-transfer-after-reply"))
        } else if page.transferring {
            Some(words.tr("page-transfer-waiting"))
        } else {
            None
        };
        Ok(ViewModel {
            header: Header {
                title: page.info.contact_name.clone(),
                address: page.info.contact_address.clone(),
                state: state.into(),
                subtitle: words.tr("page-subtitle").into(),
            },
            badges: badges.into(),
            toolbar: vec![
                mark_done_action(words),
                transfer_action(words, transfer_off.as_deref()),
                consult_action(words, true),
                Action::new(
                    ACTION_CALLBACK_HOUR,
                    "action-callback-hour",
                    &words.tr("page-callback-hour"),
                    "callback",
                )
                .enabled(
                    !page.callback_scheduled,
                    &words.tr("page-callback-hour-tooltip"),
                ),
            ]
            .into(),
            composer: one_reply_composer(
                page.replied,
                &page.counter,
                match &page.greeting {
                    Some(shortcut) => {
                        words.tr_args("page-hint-greeting", &[("shortcut", shortcut)])
                    }
                    None => words.tr("page-hint"),
                },
                &words.tr("page-answered"),
                &words.tr("page-send"),
            ),
            panels: sms_panels(),
        })
    }
}

switchboard_sdk::export_channel!(SmsPage);

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard_sdk::{Host, PluginErrorKind};
    use switchboard_sdk_testing::Harness;

    #[test]
    fn reply_is_split_into_parts_and_closes_the_interaction() {
        let mut h = Harness::<SmsPage>::new();
        let id = h.accept_inbound("+33612345678", "Is my order shipped?");
        let reply = "x".repeat(200);
        let commands = h.send(&id, &reply);
        assert!(commands.contains(&Command::MarkDone {
            interaction: id.as_str().into()
        }));
        let sent = h.host.sent();
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].parts.len(), 2);
        assert_eq!(sent[0].text.as_str(), reply);
        assert!(h.render_text(&id).contains("composer: disabled"));
    }

    #[test]
    fn shows_the_customer_language_and_the_disposition_from_host_services() {
        let mut h = Harness::<SmsPage>::new();
        h.host
            .set_case_data(&h.next_interaction_id(), &[("language", "fr")]);
        h.host.allow_dispositions(&["order-status"]);
        let id = h.accept_inbound("+33612345678", "Bonjour");
        let badges = |h: &Harness<SmsPage>| -> Vec<String> {
            h.view(&id)
                .badges
                .iter()
                .map(|b| b.text.to_string())
                .collect()
        };
        assert_eq!(badges(&h), ["Customer language: FR"]);
        h.host
            .set_disposition(id.as_str().into(), "order-status".into())
            .into_result()
            .expect("recorded");
        assert_eq!(
            badges(&h),
            ["Customer language: FR"],
            "view() reads no records: it waits for the shell's word"
        );
        h.records_changed(&id, switchboard_sdk::records::DISPOSITION);
        assert!(badges(&h).contains(&"Disposition: order-status".to_owned()));
    }

    #[test]
    fn its_words_are_complete_in_english_and_french() {
        switchboard_sdk_testing::assert_translations_complete::<SmsPage>();
    }

    #[test]
    fn speaks_the_agents_language_and_follows_a_switch() {
        let mut h = Harness::<SmsPage>::in_language("fr");
        let id = h.accept_inbound("+33612345678", "Bonjour");
        let view = h.view(&id);
        assert_eq!(view.header.subtitle, "SMS entrant · mode page");
        assert_eq!(view.composer.send_label, "Envoyer et clore");
        assert!(view.toolbar.iter().any(|a| a.label == "Rappeler dans 1 h"));
        h.switch_language("en");
        assert_eq!(h.view(&id).header.subtitle, "Inbound SMS · page mode");
    }

    #[test]
    fn stores_its_lines_by_message_id_with_arguments() {
        let mut h = Harness::<SmsPage>::in_language("fr");
        let id = h.accept_inbound("+33612345678", "Rappelez-moi");
        h.action(&id, ACTION_CALLBACK_HOUR);
        assert_eq!(
            h.host.translated_lines(&id),
            vec![(
                "page-callback-line".to_owned(),
                vec![("number".to_owned(), "+33612345678".to_owned())]
            )]
        );
        assert_eq!(
            h.host.system_lines(&id),
            vec!["Rappel du +33612345678 planifié dans une heure.".to_owned()]
        );
    }

    #[test]
    fn uses_history_responses_spelling_and_callbacks_through_the_host() {
        let mut h = Harness::<SmsPage>::new();
        h.host.add_responses(&[switchboard_sdk::ResponseText {
            category: "Greetings".into(),
            name: "Greeting".into(),
            keyword: "greet".into(),
            text: "Hello!".into(),
        }]);
        h.host.misspell(&["parcle"]);
        let id = h.accept_inbound("+33612345678", "Hi");
        assert!(h.render_text(&id).contains("#greet inserts a greeting"));
        h.type_text(&id, "Your parcle left today");
        assert!(
            h.render_text(&id)
                .contains("badge: Spelling: 1 word to check")
        );
        h.action(&id, ACTION_CALLBACK_HOUR);
        let callbacks = h.host.callbacks();
        assert_eq!(callbacks.len(), 1);
        assert_eq!(callbacks[0].2, h.host.now().plus_seconds(3600));
        assert!(
            h.render_text(&id)
                .contains("action: callback-hour (disabled)")
        );
    }

    #[test]
    fn second_reply_is_refused() {
        let mut h = Harness::<SmsPage>::new();
        let id = h.accept_inbound("+33612345678", "Hi");
        h.send(&id, "Hello!");
        let second = h.plugin.handle(Event::Send {
            interaction: id.as_str().into(),
            text: "Again".into(),
        });
        assert_eq!(
            second.err().and_then(|e| e.kind()),
            Some(PluginErrorKind::Refused)
        );
        assert_eq!(h.host.sent().len(), 1);
    }

    #[test]
    fn counter_follows_typing() {
        let mut h = Harness::<SmsPage>::new();
        let id = h.accept_inbound("+33612345678", "Hi");
        h.type_text(&id, &"a".repeat(187));
        let view = h.view(&id);
        assert_eq!(view.composer.counter.as_str(), "2 SMS · 187/306 · GSM-7");
        assert!(view.composer.counter_warning);
        h.type_text(&id, "Merci 😀");
        assert_eq!(
            h.view(&id).composer.counter.as_str(),
            "1 SMS · 8/70 · UCS-2"
        );
    }

    #[test]
    fn mark_done_without_reply() {
        let mut h = Harness::<SmsPage>::new();
        let id = h.accept_inbound("+33612345678", "Thanks, all good");
        let commands = h.action(&id, ACTION_DONE);
        assert_eq!(
            commands,
            vec![Command::MarkDone {
                interaction: id.as_str().into()
            }]
        );
        assert!(h.host.sent().is_empty());
    }

    #[test]
    fn empty_reply_is_not_sent() {
        let mut h = Harness::<SmsPage>::new();
        let id = h.accept_inbound("+33612345678", "Hi");
        let commands = h.send(&id, "   ");
        assert!(matches!(commands[..], [Command::ShowError { .. }]));
        assert!(h.host.sent().is_empty());
    }

    #[test]
    fn denied_send_shows_an_error_and_keeps_the_interaction_open() {
        let mut h = Harness::<SmsPage>::new();
        let id = h.accept_inbound("+33612345678", "Hi");
        h.host.deny(services::MESSAGES_SEND);
        let commands = h.send(&id, "Hello");
        assert!(matches!(commands[..], [Command::ShowError { .. }]));
        assert!(h.render_text(&id).contains("composer: enabled"));
    }

    #[test]
    fn page_mode_hands_an_interaction_over_as_the_toolbar_offers() {
        let mut h = Harness::<SmsPage>::new();
        let id = h.accept_inbound("+33612345678", "Bonjour");
        assert!(h.render_text(&id).contains("action: transfer"));
        assert_eq!(
            h.action(&id, ACTION_TRANSFER),
            vec![Command::ChooseTarget {
                interaction: id.as_str().into(),
                purpose: PURPOSE_TRANSFER.into()
            }]
        );
        let grace = switchboard_sdk::Target {
            kind: "agent".into(),
            id: "grace".into(),
            name: "Grace Hopper".into(),
        };
        h.choose_target(&id, PURPOSE_TRANSFER, grace);
        assert_eq!(h.host.transfers().len(), 1);
        assert!(
            h.render_text(&id).contains("action: transfer (disabled)"),
            "one transfer at a time"
        );
        let commands = h.answer_transfer(&id, switchboard_sdk::InvitationOutcome::Accepted);
        assert_eq!(
            commands,
            vec![Command::Release {
                interaction: id.as_str().into()
            }]
        );
        assert!(
            h.host
                .system_lines(&id)
                .contains(&"Grace Hopper accepted the transfer.".to_owned())
        );
    }

    #[test]
    fn a_contact_is_no_transfer_target_in_page_mode() {
        let mut h = Harness::<SmsPage>::new();
        let id = h.accept_inbound("+33612345678", "Bonjour");
        let contact = switchboard_sdk::Target {
            kind: "contact".into(),
            id: "7".into(),
            name: "Camille Martin".into(),
        };
        let commands = h.choose_target(&id, PURPOSE_TRANSFER, contact);
        assert!(matches!(commands[..], [Command::ShowError { .. }]));
        assert!(h.host.transfers().is_empty());
    }
}
