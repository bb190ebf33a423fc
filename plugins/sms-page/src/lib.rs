//! SMS page mode: one inbound SMS is one self-contained interaction, like an e-mail.
//!
//! The agent may reply once; sending the reply closes the interaction and marks it done. The
//! agent can also mark it done without replying. The composer shows the live segment counter,
//! and the reply is handed to the gateway already split into SMS parts.

use std::collections::HashMap;

use sms_common::{Counter, badge, customer_language, send_sms, sms_panels, standard_badges};
use switchboard_sdk::{
    Action, Channel, Command, Composer, ConnectionState, Event, Header, HostBox, InteractionInfo,
    Manifest, PluginError, PluginErrorKind, Tone, ViewModel, services,
};

/// Id of the Mark done action.
pub const ACTION_DONE: &str = "done";

/// One page-mode interaction as the plugin tracks it.
struct Page {
    info: InteractionInfo,
    /// The customer's language from case data, to remind the agent which language to reply in.
    language: Option<String>,
    replied: bool,
    counter: Counter,
}

/// The SMS page-mode channel.
pub struct SmsPage {
    host: HostBox,
    pages: HashMap<String, Page>,
}

impl SmsPage {
    fn page(&self, id: &str) -> Result<&Page, PluginError> {
        self.pages
            .get(id)
            .ok_or_else(|| PluginError::unknown_interaction(id))
    }

    fn page_mut(&mut self, id: &str) -> Result<&mut Page, PluginError> {
        self.pages
            .get_mut(id)
            .ok_or_else(|| PluginError::unknown_interaction(id))
    }

    fn send_reply(&mut self, id: &str, text: &str) -> Result<Vec<Command>, PluginError> {
        if self.page(id)?.replied {
            return Err(PluginError::new(
                PluginErrorKind::Refused,
                "a page-mode SMS takes one reply; this one was already answered",
            ));
        }
        match send_sms(&self.host, id, text) {
            Ok(_) => {
                self.page_mut(id)?.replied = true;
                Ok(vec![
                    Command::ClearComposer {
                        interaction: id.into(),
                    },
                    Command::MarkDone {
                        interaction: id.into(),
                    },
                ])
            }
            Err(command) => Ok(vec![command]),
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
            .icon("sms")
    }

    fn create(host: HostBox) -> Result<Self, PluginError> {
        Ok(Self {
            host,
            pages: HashMap::new(),
        })
    }

    fn handle(&mut self, event: Event) -> Result<Vec<Command>, PluginError> {
        match event {
            Event::Accepted { interaction, .. } => {
                let id = interaction.id.to_string();
                let language = customer_language(&self.host, &id);
                self.pages.insert(
                    id,
                    Page {
                        info: interaction,
                        language,
                        replied: false,
                        counter: Counter::of(""),
                    },
                );
                Ok(Vec::new())
            }
            Event::ComposerChanged { interaction, text } => {
                self.page_mut(&interaction)?.counter = Counter::of(&text);
                Ok(Vec::new())
            }
            Event::Send { interaction, text } => self.send_reply(&interaction, &text),
            Event::Action {
                interaction,
                action,
            } if action == ACTION_DONE => {
                self.page(&interaction)?;
                Ok(vec![Command::MarkDone { interaction }])
            }
            Event::Closed { interaction } => {
                self.pages.remove(interaction.as_str());
                Ok(Vec::new())
            }
            _ => Ok(Vec::new()),
        }
    }

    fn view(&self, interaction: &str) -> Result<ViewModel, PluginError> {
        let page = self.page(interaction)?;
        let state = if page.replied {
            ConnectionState::Ended
        } else {
            ConnectionState::Connected
        };
        let mut badges = standard_badges(&self.host, interaction, page.language.as_deref());
        if page.replied {
            badges.push(badge("Reply sent", Tone::Success));
        }
        Ok(ViewModel {
            header: Header {
                title: page.info.contact_name.clone(),
                address: page.info.contact_address.clone(),
                state: state.into(),
                subtitle: "Inbound SMS · page mode".into(),
            },
            badges: badges.into(),
            toolbar: vec![
                Action::new(ACTION_DONE, "action-mark-done", "Mark done", "done")
                    .tone(Tone::Primary),
            ]
            .into(),
            composer: Composer {
                enabled: !page.replied,
                hint: if page.replied {
                    "This SMS was answered; page mode allows one reply.".into()
                } else {
                    "One reply: sending it closes the interaction.".into()
                },
                counter: page.counter.text.as_str().into(),
                counter_warning: page.counter.warning,
                send_label: "Send and close".into(),
            },
            panels: sms_panels(),
        })
    }
}

switchboard_sdk::export_channel!(SmsPage);

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard_sdk::Host;
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
        assert!(badges(&h).contains(&"Disposition: order-status".to_owned()));
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
}
