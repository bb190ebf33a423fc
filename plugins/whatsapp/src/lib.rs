//! WhatsApp: conversations with customers who write from WhatsApp. Text and images come in
//! (the host fetched, checked and thumbnailed the images); the agent answers with text. For
//! 24 hours after the customer's last message the agent may write freely; after that WhatsApp
//! only accepts approved templates, so the reply box closes, says why, and the template actions
//! stay. Read receipts arrive as delivery reports and show on the messages.
//!
//! Written only against the plugin kit (the SDK and its host double): nothing in the shell
//! knows this channel.

mod templates;
mod window;

use std::collections::HashMap;

use switchboard_sdk::{
    Action, Channel, Command, Composer, ConnectionState, Event, Header, HostBox, InteractionInfo,
    LogLevel, Manifest, PluginError, Role, Services, Timestamp, Tone, TranscriptEntry, ViewModel,
    ViewPart, Words, permissions, services,
    view::{Badge, panels},
};

pub use templates::{ACTION_PREFIX, APPROVED};
use window::{CLOSING_SOON_SECONDS, Window, duration_text};

/// Id of the Mark done action.
pub const ACTION_DONE: &str = "done";
/// Longest text WhatsApp accepts in one message.
pub const MAX_TEXT_CHARS: usize = 4096;
/// Timer: the window is about to close (the view turns amber).
const TIMER_CLOSING: &str = "window-closing";
/// Timer: the window closed (the reply box closes).
const TIMER_CLOSED: &str = "window-closed";

/// One WhatsApp conversation as the plugin tracks it.
struct Conversation {
    info: InteractionInfo,
    /// When the customer last wrote: the window runs from here.
    last_inbound: Timestamp,
    images: usize,
    typed_chars: usize,
}

/// The WhatsApp channel.
pub struct WhatsApp {
    host: Services,
    words: Words,
    conversations: HashMap<String, Conversation>,
}

impl Channel for WhatsApp {
    fn manifest() -> Manifest {
        Manifest::new("whatsapp", "WhatsApp", env!("CARGO_PKG_VERSION"))
            .media_type("whatsapp")
            .service(services::MESSAGES_SEND)
            .service(services::MESSAGES_STORE)
            .service(services::TIMERS)
            .service(services::ATTACHMENTS)
            .permission(permissions::SAVE_IMAGES)
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
            conversations: HashMap::new(),
        })
    }

    fn handle(&mut self, event: Event) -> Result<Vec<Command>, PluginError> {
        match event {
            Event::Accepted {
                interaction,
                transcript,
            } => {
                let id = interaction.id.to_string();
                let last_inbound = transcript
                    .iter()
                    .filter(|e| e.role() == Some(Role::Contact))
                    .map(|e| e.time)
                    .max()
                    .unwrap_or(interaction.created);
                self.conversations.insert(
                    id.clone(),
                    Conversation {
                        info: interaction,
                        last_inbound,
                        images: transcript.iter().map(TranscriptEntry::image_count).sum(),
                        typed_chars: 0,
                    },
                );
                self.set_window_timers(&id)?;
                Ok(Vec::new())
            }
            Event::InboundMessage { entry } => {
                let id = entry.interaction.to_string();
                let conversation = self.conversation_mut(&id)?;
                conversation.last_inbound = conversation.last_inbound.max(entry.time);
                conversation.images += entry.image_count();
                self.set_window_timers(&id)?;
                Ok(Vec::new())
            }
            Event::ComposerChanged { interaction, text } => {
                self.conversation_mut(&interaction)?.typed_chars = text.chars().count();
                Ok(Vec::new())
            }
            Event::Send { interaction, text } => self.send_text(&interaction, &text),
            Event::Action {
                interaction,
                action,
            } => {
                let name = self.conversation(&interaction)?.info.contact_name.clone();
                if action == ACTION_DONE {
                    return Ok(vec![Command::MarkDone { interaction }]);
                }
                Ok(match templates::by_action(&action) {
                    Some(template) => self.deliver(&interaction, template.filled(&name), false),
                    None => Vec::new(),
                })
            }
            // The view reads the clock: a window timer only needs the view drawn again.
            Event::TimerFired { .. } => Ok(Vec::new()),
            Event::Closed { interaction } => {
                self.conversations.remove(interaction.as_str());
                Ok(Vec::new())
            }
            Event::LanguageChanged { language } => {
                self.words.set_language(&language);
                Ok(Vec::new())
            }
            _ => Ok(Vec::new()),
        }
    }

    fn view_parts(&self, interaction: &str) -> Vec<ViewPart> {
        let Ok(conversation) = self.conversation(interaction) else {
            return Vec::new();
        };
        let words = &self.words;
        match Window::at(conversation.last_inbound, self.host.now()) {
            Window::Open { left } if left <= CLOSING_SOON_SECONDS => vec![ViewPart::Banner {
                text: words
                    .tr_args(
                        "wa-banner-closing",
                        &[("duration", &duration_text(words, left))],
                    )
                    .into(),
                tone: Tone::Warning.into(),
            }],
            Window::Open { .. } => Vec::new(),
            Window::Closed { .. } => vec![ViewPart::Banner {
                text: words.tr("wa-banner-closed").into(),
                tone: Tone::Danger.into(),
            }],
        }
    }

    fn view(&self, interaction: &str) -> Result<ViewModel, PluginError> {
        let conversation = self.conversation(interaction)?;
        let words = &self.words;
        let window = Window::at(conversation.last_inbound, self.host.now());
        let (window_badge, subtitle, hint) = match window {
            Window::Open { left } => (
                Badge::new(
                    words.tr_args(
                        "wa-window-left",
                        &[("duration", &duration_text(words, left))],
                    ),
                    if left <= CLOSING_SOON_SECONDS {
                        Tone::Warning
                    } else {
                        Tone::Success
                    },
                ),
                words.tr("wa-subtitle-open"),
                words.tr("wa-hint-open"),
            ),
            Window::Closed { since } => {
                let since = duration_text(words, since);
                let duration = [("duration", since.as_str())];
                (
                    Badge::new(words.tr("wa-window-closed"), Tone::Danger),
                    words.tr_args("wa-subtitle-closed", &duration),
                    words.tr_args("wa-hint-closed", &duration),
                )
            }
        };
        let mut badges = vec![window_badge];
        if conversation.images > 0 {
            badges.push(Badge::new(
                words.tr_args("wa-images", &[("count", &conversation.images.to_string())]),
                Tone::Neutral,
            ));
        }
        let mut toolbar = vec![
            Action::new(
                ACTION_DONE,
                "action-mark-done",
                &words.tr("wa-mark-done"),
                "done",
            )
            .tone(Tone::Primary),
        ];
        for template in &APPROVED {
            let mut action = Action::new(
                &format!("{ACTION_PREFIX}{}", template.id),
                "",
                &words.tr_args("wa-template", &[("name", template.name)]),
                "template",
            );
            action.tooltip = template.filled(&conversation.info.contact_name).into();
            toolbar.push(action);
        }
        Ok(ViewModel {
            header: Header {
                title: conversation.info.contact_name.clone(),
                address: conversation.info.contact_address.clone(),
                state: ConnectionState::Connected.into(),
                subtitle: subtitle.into(),
            },
            badges: badges.into(),
            toolbar: toolbar.into(),
            composer: Composer {
                enabled: window.is_open(),
                hint: hint.into(),
                counter: format!("{} / {MAX_TEXT_CHARS}", conversation.typed_chars).into(),
                counter_warning: conversation.typed_chars > MAX_TEXT_CHARS,
                send_label: words.tr("wa-send").into(),
            },
            panels: panels::list([
                panels::DISPOSITION,
                panels::NOTE,
                panels::CASE_DATA,
                panels::CONTACT,
                panels::HISTORY,
                panels::RESPONSES,
            ]),
        })
    }
}

impl WhatsApp {
    fn conversation(&self, id: &str) -> Result<&Conversation, PluginError> {
        self.conversations
            .get(id)
            .ok_or_else(|| PluginError::unknown_interaction(id))
    }

    fn conversation_mut(&mut self, id: &str) -> Result<&mut Conversation, PluginError> {
        self.conversations
            .get_mut(id)
            .ok_or_else(|| PluginError::unknown_interaction(id))
    }

    /// Wakes the view when the window nears its end and when it closes.
    fn set_window_timers(&self, id: &str) -> Result<(), PluginError> {
        let closes = Window::closes_at(self.conversation(id)?.last_inbound);
        for (timer, at) in [
            (TIMER_CLOSING, closes.plus_seconds(-CLOSING_SOON_SECONDS)),
            (TIMER_CLOSED, closes),
        ] {
            if let Err(e) = self.host.set_timer(id, timer, at) {
                self.host.log(
                    LogLevel::Warn,
                    format!("cannot set the {timer} timer: {e}").as_str(),
                );
            }
        }
        Ok(())
    }

    /// Free text from the composer: only inside the window, within WhatsApp's length limit.
    fn send_text(&mut self, id: &str, text: &str) -> Result<Vec<Command>, PluginError> {
        let conversation = self.conversation(id)?;
        let words = &self.words;
        let refusal = if text.trim().is_empty() {
            Some(words.tr("wa-type-first"))
        } else if !Window::at(conversation.last_inbound, self.host.now()).is_open() {
            Some(words.tr("wa-window-has-closed"))
        } else if text.chars().count() > MAX_TEXT_CHARS {
            Some(words.tr_args(
                "wa-too-long",
                &[
                    ("max", &MAX_TEXT_CHARS.to_string()),
                    ("count", &text.chars().count().to_string()),
                ],
            ))
        } else {
            None
        };
        if let Some(refusal) = refusal {
            return Ok(vec![Command::ShowError {
                interaction: id.into(),
                text: refusal.into(),
            }]);
        }
        Ok(self.deliver(id, text.to_owned(), true))
    }

    /// Hands a message to the host; clears the composer after a typed message.
    fn deliver(&mut self, id: &str, text: String, typed: bool) -> Vec<Command> {
        match self.host.send_message(id, &text, &[]) {
            Ok(_) if typed => {
                if let Ok(conversation) = self.conversation_mut(id) {
                    conversation.typed_chars = 0;
                }
                vec![Command::ClearComposer {
                    interaction: id.into(),
                }]
            }
            Ok(_) => Vec::new(),
            Err(e) => vec![Command::ShowError {
                interaction: id.into(),
                text: self
                    .words
                    .tr_args("wa-not-sent", &[("reason", &e.to_string())])
                    .into(),
            }],
        }
    }
}

switchboard_sdk::export_channel!(WhatsApp);

#[cfg(test)]
mod tests;
