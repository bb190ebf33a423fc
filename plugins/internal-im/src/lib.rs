//! Internal instant messages between agents. The agent starts one from the Team Communicator
//! (or as a consultation inside a customer interaction); the first message invites the target,
//! who accepts, refuses or lets the invitation time out. A colleague's IM arrives as an offer.
//! Either side ends it; Done closes the view. A consultation can be escalated to a voice
//! consultation.
//!
//! Agents only: a contact is refused as a target. The transcript is stored by the host like any
//! other, so IMs are in the agent's history and searchable.

mod conversation;

use std::collections::HashMap;

use switchboard_sdk::{
    Action, Channel, Command, Composer, ConnectionState, Event, Header, HostBox, InteractionInfo,
    InvitationOutcome, Manifest, PluginError, Services, Target, Tone, ViewModel, Words, icons,
    purposes, services, target_kinds,
    view::{Badge, panels},
};

use conversation::{Conversation, Voice, target_of};

/// Id of the End IM action.
pub const ACTION_END: &str = "end";
/// Id of the Done action.
pub const ACTION_DONE: &str = "done";
/// Id of the escalate-to-voice action (consultations only).
pub const ACTION_VOICE: &str = "voice-consultation";

/// The internal IM channel.
pub struct InternalIm {
    host: Services,
    words: Words,
    conversations: HashMap<String, Conversation>,
}

impl Channel for InternalIm {
    fn manifest() -> Manifest {
        Manifest::new("internal-im", "Internal IM", env!("CARGO_PKG_VERSION"))
            .media_type("im")
            .icon(icons::IM)
            .service(services::MESSAGES_SEND)
            .service(services::MESSAGES_STORE)
            .service(services::INVITATIONS)
            .service(services::CASE_DATA)
            .service(services::CONTACTS)
            .service(services::NOTIFICATIONS)
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
            Event::Started {
                interaction,
                consulting,
            } => Ok(self.started(interaction, consulting.into_string())),
            Event::Accepted { interaction, .. } => {
                let id = interaction.id.to_string();
                let mut conversation = Conversation::new(interaction, String::new());
                conversation.state = ConnectionState::Connected;
                conversation.invited_us = true;
                conversation.about = self.customer_of(&conversation);
                let name = conversation.target.name.to_string();
                self.conversations.insert(id.clone(), conversation);
                self.system_line(&id, "im-you-accepted", &[("name", &name)]);
                Ok(Vec::new())
            }
            Event::Send { interaction, text } => self.send(&interaction, &text),
            Event::InvitationOutcome {
                interaction,
                purpose,
                target,
                outcome,
            } => {
                let outcome = outcome.into_enum().ok();
                Ok(self.answered(&interaction, &purpose, target, outcome))
            }
            Event::OtherSideEnded { interaction, by } => {
                let conversation = self.conversation_mut(&interaction)?;
                if conversation.state == ConnectionState::Ended {
                    return Ok(Vec::new());
                }
                conversation.state = ConnectionState::Ended;
                self.system_line(&interaction, "im-ended-by", &[("name", by.as_str())]);
                Ok(vec![Command::End { interaction }])
            }
            Event::LanguageChanged { language } => {
                self.words.set_language(&language);
                Ok(Vec::new())
            }
            Event::Action {
                interaction,
                action,
            } => self.action(&interaction, &action),
            Event::Closed { interaction } => {
                self.conversations.remove(interaction.as_str());
                Ok(Vec::new())
            }
            _ => Ok(Vec::new()),
        }
    }

    fn view(&self, interaction: &str) -> Result<ViewModel, PluginError> {
        let conversation = self.conversation(interaction)?;
        let words = &self.words;
        let name = conversation.target.name.as_str();
        let named = |id: &str| words.tr_args(id, &[("name", name)]);
        let state = conversation.state;
        let live = matches!(
            state,
            ConnectionState::Establishing | ConnectionState::Connected
        );
        let mut toolbar = vec![
            Action::new(ACTION_END, "action-end-im", &words.tr("im-end"), "end")
                .enabled(
                    live,
                    &if live {
                        String::new()
                    } else {
                        words.tr("im-not-live")
                    },
                )
                .tone(Tone::Danger),
        ];
        if conversation.is_consultation() {
            let can_escalate = state == ConnectionState::Connected
                && conversation.voice == Voice::None
                && !conversation.invited_us;
            toolbar.push(
                Action::new(
                    ACTION_VOICE,
                    "action-voice-consultation",
                    &words.tr("im-voice"),
                    "call",
                )
                .enabled(can_escalate, &words.tr("im-voice-tooltip")),
            );
        }
        let closable = !live;
        toolbar.push(
            Action::new(ACTION_DONE, "action-done", &words.tr("im-done"), "done")
                .enabled(
                    closable,
                    &if closable {
                        String::new()
                    } else {
                        words.tr("im-end-first")
                    },
                )
                .tone(if state == ConnectionState::Ended {
                    Tone::Primary
                } else {
                    Tone::Neutral
                }),
        );
        let (enabled, hint, send_label) = match state {
            ConnectionState::Ended => (false, words.tr("im-ended-hint"), "im-send"),
            ConnectionState::Establishing => (true, named("im-waiting-hint"), "im-send"),
            ConnectionState::Connected => (true, String::new(), "im-send"),
            _ => (true, named("im-first-hint"), "im-send-and-invite"),
        };
        let send_label = words.tr(send_label);
        let mut badges = Vec::new();
        if let Some(routed) = &conversation.routed_via {
            badges.push(Badge::new(
                words.tr_args("im-via", &[("name", routed)]),
                Tone::Neutral,
            ));
        }
        match conversation.voice {
            Voice::Requested => {
                badges.push(Badge::new(words.tr("im-voice-requested"), Tone::Warning))
            }
            Voice::Connected => {
                badges.push(Badge::new(words.tr("im-voice-connected"), Tone::Success))
            }
            Voice::None => {}
        }
        let subtitle = match (&conversation.about, conversation.is_consultation()) {
            (Some(customer), true) => {
                words.tr_args("im-subtitle-consultation-about", &[("customer", customer)])
            }
            (None, true) => words.tr("im-subtitle-consultation"),
            _ => words.tr("im-subtitle"),
        };
        let mut wanted = vec![panels::NOTE, panels::HISTORY];
        if conversation.is_consultation() {
            wanted = vec![
                panels::CASE_DATA,
                panels::CONTACT,
                panels::HISTORY,
                panels::NOTE,
            ];
        }
        Ok(ViewModel {
            header: Header {
                title: name.into(),
                address: conversation.target.id.clone(),
                state: state.into(),
                subtitle: subtitle.into(),
            },
            badges: badges.into(),
            toolbar: toolbar.into(),
            composer: Composer {
                enabled,
                hint: hint.into(),
                counter: Default::default(),
                counter_warning: false,
                send_label: send_label.into(),
            },
            panels: panels::list(wanted),
        })
    }
}

impl InternalIm {
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

    /// The name of the customer a consultation is about (the host files it under them).
    fn customer_of(&self, conversation: &Conversation) -> Option<String> {
        if !conversation.is_consultation() {
            return None;
        }
        match self.host.contact(conversation.info.id.as_str()) {
            Ok(card) if !card.name.is_empty() => Some(card.name.into_string()),
            _ => None,
        }
    }

    /// Stores system line `line` (a message id) with its arguments.
    fn system_line(&self, id: &str, line: &str, args: &[(&str, &str)]) {
        self.words.store_line(&self.host, id, line, args);
    }

    /// Message `id` about `name`, with the reason of a failure.
    fn failed(&self, id: &str, name: &str, reason: &dyn std::fmt::Display) -> String {
        self.words
            .tr_args(id, &[("name", name), ("reason", &reason.to_string())])
    }

    /// Stores line `line` about `name`, with the reason when the line takes one (Fluent
    /// ignores an argument a message does not use).
    fn line_with_reason(&self, id: &str, line: &str, name: &str, reason: &str) {
        self.system_line(id, line, &[("name", name), ("reason", reason)]);
    }

    fn error(id: &str, text: String) -> Vec<Command> {
        vec![Command::ShowError {
            interaction: id.into(),
            text: text.into(),
        }]
    }

    /// The agent opened an IM from the Team Communicator. A contact is no IM target.
    fn started(&mut self, interaction: InteractionInfo, consulting: String) -> Vec<Command> {
        let id = interaction.id.to_string();
        let target = target_of(&interaction);
        let mut conversation = Conversation::new(interaction, consulting);
        conversation.about = self.customer_of(&conversation);
        if target.kind == target_kinds::CONTACT {
            conversation.state = ConnectionState::Ended;
            self.conversations.insert(id.clone(), conversation);
            let name = [("name", target.name.as_str())];
            let reason = self.words.tr_args("im-contact-refused", &name);
            self.system_line(&id, "im-contact-refused", &name);
            let mut commands = Self::error(&id, reason);
            commands.push(Command::End {
                interaction: id.into(),
            });
            return commands;
        }
        self.conversations.insert(id, conversation);
        Vec::new()
    }

    fn send(&mut self, id: &str, text: &str) -> Result<Vec<Command>, PluginError> {
        let conversation = self.conversation(id)?;
        if conversation.state == ConnectionState::Ended {
            return Ok(Self::error(id, self.words.tr("im-ended-not-sent")));
        }
        let first = conversation.state == ConnectionState::NotConnected;
        let target = conversation.target.clone();
        if let Err(e) = self.host.send_message(id, text, &[]) {
            return Ok(Self::error(id, self.failed("im-not-sent", "", &e)));
        }
        let mut commands = vec![Command::ClearComposer {
            interaction: id.into(),
        }];
        if first {
            match self.host.invite(id, &target, purposes::INSTANT_MESSAGE) {
                Ok(()) => {
                    self.conversation_mut(id)?.state = ConnectionState::Establishing;
                    self.system_line(id, "im-invitation-sent", &[("name", &target.name)]);
                }
                Err(e) => {
                    commands = Self::error(id, self.failed("im-not-invited", &target.name, &e));
                }
            }
        }
        Ok(commands)
    }

    /// The platform answered an invitation: the IM itself, or a voice consultation.
    fn answered(
        &mut self,
        id: &str,
        purpose: &str,
        answered_by: Target,
        outcome: Option<InvitationOutcome>,
    ) -> Vec<Command> {
        let Ok(conversation) = self.conversation_mut(id) else {
            return Vec::new();
        };
        let who = answered_by.name.to_string();
        if purpose == purposes::VOICE_CONSULTATION {
            let (line, reason) = match outcome {
                Some(InvitationOutcome::Accepted) => {
                    conversation.voice = Voice::Connected;
                    ("im-voice-connected-line", String::new())
                }
                Some(InvitationOutcome::Rejected { reason }) => {
                    conversation.voice = Voice::None;
                    ("im-voice-declined", reason.into_string())
                }
                _ => {
                    conversation.voice = Voice::None;
                    ("im-voice-no-answer", String::new())
                }
            };
            self.line_with_reason(id, line, &who, &reason);
            return Vec::new();
        }
        let asked = conversation.target.clone();
        let ended = match outcome {
            Some(InvitationOutcome::Accepted) => {
                conversation.state = ConnectionState::Connected;
                if asked.kind != target_kinds::AGENT {
                    conversation.routed_via = Some(asked.name.to_string());
                }
                conversation.target = answered_by;
                if asked.kind == target_kinds::AGENT {
                    self.system_line(id, "im-accepted", &[("name", &who)]);
                } else {
                    self.system_line(
                        id,
                        "im-accepted-for",
                        &[("name", &who), ("asked", &asked.name)],
                    );
                }
                false
            }
            Some(InvitationOutcome::Rejected { reason }) => {
                conversation.state = ConnectionState::Ended;
                self.line_with_reason(id, "im-declined", &who, &reason);
                true
            }
            _ => {
                conversation.state = ConnectionState::Ended;
                self.system_line(id, "im-no-answer", &[("name", &who)]);
                true
            }
        };
        if ended {
            vec![Command::End {
                interaction: id.into(),
            }]
        } else {
            Vec::new()
        }
    }

    fn action(&mut self, id: &str, action: &str) -> Result<Vec<Command>, PluginError> {
        let conversation = self.conversation_mut(id)?;
        match action {
            ACTION_END if conversation.state != ConnectionState::Ended => {
                conversation.state = ConnectionState::Ended;
                self.system_line(id, "im-you-ended", &[]);
                Ok(vec![Command::End {
                    interaction: id.into(),
                }])
            }
            ACTION_DONE => Ok(vec![Command::MarkDone {
                interaction: id.into(),
            }]),
            ACTION_VOICE if conversation.voice == Voice::None => {
                let target = conversation.target.clone();
                match self.host.invite(id, &target, purposes::VOICE_CONSULTATION) {
                    Ok(()) => {
                        self.conversation_mut(id)?.voice = Voice::Requested;
                        self.system_line(id, "im-voice-requested-line", &[("name", &target.name)]);
                        Ok(Vec::new())
                    }
                    Err(e) => Ok(Self::error(
                        id,
                        self.failed("im-voice-not-requested", &target.name, &e),
                    )),
                }
            }
            _ => Ok(Vec::new()),
        }
    }
}

switchboard_sdk::export_channel!(InternalIm);

#[cfg(test)]
mod tests;
