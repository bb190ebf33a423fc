//! Web chat with customers on the company's web page. Typing shows both ways (never the
//! content), the agent pushes links the customer is invited to open, hands the chat over
//! (transfer), brings a colleague in (conference: when the agent leaves, the colleague owns the
//! chat), or consults one by IM. An ended chat can be continued later: sending from it makes it
//! live again and the customer's page, if still open, receives the message.
//!
//! The shell draws the pending-response indicator (service `pending-response`), the URL editor
//! (panel `push-url`) and the conversation history (panel `conversation`).

mod state;

use std::collections::HashMap;

use switchboard_sdk::{
    Action, Channel, Command, Composer, ConnectionState, Event, Header, HostBox, InvitationOutcome,
    LogLevel, Manifest, PluginError, Services, Target, Tone, ViewModel, Words, icons, permissions,
    purposes, services, settings, target_kinds,
    view::{Badge, panels},
};

use state::{Chat, Phase};

/// Id of the Transfer action.
pub const ACTION_TRANSFER: &str = "transfer";
/// Id of the Conference action.
pub const ACTION_CONFERENCE: &str = "conference";
/// Id of the Consult action.
pub const ACTION_CONSULT: &str = "consult";
/// Id of the Leave action (during a conference: the colleague keeps the chat).
pub const ACTION_LEAVE: &str = "leave";
/// Id of the End chat action.
pub const ACTION_END: &str = "end";
/// Id of the Done action.
pub const ACTION_DONE: &str = "done";
/// Seconds without a keystroke after which the customer stops seeing "typing".
pub const TYPING_IDLE_SECONDS: i64 = 5;
/// Timer: the agent stopped typing.
const TIMER_TYPING_IDLE: &str = "agent-typing-idle";

/// The web chat channel.
pub struct WebChat {
    host: Services,
    words: Words,
    chats: HashMap<String, Chat>,
}

impl Channel for WebChat {
    fn manifest() -> Manifest {
        Manifest::new("chat", "Web chat", env!("CARGO_PKG_VERSION"))
            .media_type("chat")
            .icon(icons::CHAT)
            .service(services::MESSAGES_SEND)
            .service(services::MESSAGES_STORE)
            .service(services::TYPING)
            .service(services::TIMERS)
            .service(services::TRANSFER)
            .service(services::INVITATIONS)
            .service(services::CASE_DATA)
            .service(services::DISPOSITIONS)
            .service(services::PENDING_RESPONSE)
            .permission(permissions::PUSH_URL)
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
            chats: HashMap::new(),
        })
    }

    fn handle(&mut self, event: Event) -> Result<Vec<Command>, PluginError> {
        match event {
            // Accepted from a customer, or the agent continuing a customer's chat (SDK 1.5).
            Event::Accepted { interaction, .. } | Event::Started { interaction, .. } => {
                let nickname = match self.host.setting(settings::AGENT_NICKNAME) {
                    Ok(name) if !name.is_empty() => name,
                    _ => interaction.agent_name.to_string(),
                };
                let id = interaction.id.to_string();
                self.chats.insert(id, Chat::new(interaction, nickname));
                Ok(Vec::new())
            }
            Event::InboundMessage { entry } => {
                if let Some(chat) = self.chats.get_mut(entry.interaction.as_str()) {
                    chat.contact_typing = false;
                }
                Ok(Vec::new())
            }
            Event::ContactTyping {
                interaction,
                typing,
            } => {
                self.chat_mut(&interaction)?.contact_typing = typing;
                Ok(Vec::new())
            }
            Event::ComposerChanged { interaction, text } => {
                let typing = !text.trim().is_empty();
                self.agent_typing(&interaction, typing)?;
                if typing {
                    let idle = self.host.now().plus_seconds(TYPING_IDLE_SECONDS);
                    let set = self
                        .host
                        .set_timer(interaction.as_str(), TIMER_TYPING_IDLE, idle);
                    if let Err(e) = set {
                        self.log(&format!("cannot time the typing notice: {e}"));
                    }
                }
                Ok(Vec::new())
            }
            Event::TimerFired { interaction, timer } if timer == TIMER_TYPING_IDLE => {
                self.agent_typing(&interaction, false)?;
                Ok(Vec::new())
            }
            Event::Send { interaction, text } => self.send(&interaction, &text),
            Event::PushUrl { interaction, url } => {
                self.chat(&interaction)?;
                Ok(
                    match self.host.push_url(interaction.as_str(), url.as_str()) {
                        Ok(_) => Vec::new(),
                        Err(e) => error(
                            &interaction,
                            self.words
                                .tr_args("chat-not-pushed", &[("reason", &e.to_string())]),
                        ),
                    },
                )
            }
            Event::Action {
                interaction,
                action,
            } => self.action(&interaction, &action),
            Event::TargetChosen {
                interaction,
                purpose,
                target,
            } => Ok(self.target_chosen(&interaction, &purpose, target)),
            Event::TransferOutcome {
                interaction,
                target,
                outcome,
            } => Ok(self.transfer_answered(&interaction, target, outcome.into_enum().ok())),
            Event::InvitationOutcome {
                interaction,
                purpose,
                target,
                outcome,
            } if purpose == purposes::CONFERENCE => {
                Ok(self.conference_answered(&interaction, target, outcome.into_enum().ok()))
            }
            Event::OtherSideEnded { interaction, by } => {
                let chat = self.chat_mut(&interaction)?;
                if chat.phase == Phase::Ended {
                    return Ok(Vec::new());
                }
                chat.phase = Phase::Ended;
                chat.contact_typing = false;
                self.line(&interaction, "chat-left", &[("name", by.as_str())]);
                Ok(vec![Command::End { interaction }])
            }
            Event::Closed { interaction } => {
                self.chats.remove(interaction.as_str());
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
        let chat = self.chat(interaction)?;
        let live = chat.phase == Phase::Live;
        let ended = chat.phase == Phase::Ended;
        let state = match chat.phase {
            Phase::Live => ConnectionState::Connected,
            Phase::Transferring(_) => ConnectionState::Establishing,
            Phase::Ended => ConnectionState::Ended,
        };
        let words = &self.words;
        let named = |id: &str, name: &str| words.tr_args(id, &[("name", name)]);
        let mut badges = Vec::new();
        if chat.contact_typing {
            badges.push(Badge::new(words.tr("chat-typing"), Tone::Neutral));
        }
        for colleague in &chat.conference {
            badges.push(Badge::new(
                named("chat-with", &colleague.name),
                Tone::Primary,
            ));
        }
        if let Some(invited) = &chat.inviting {
            badges.push(Badge::new(
                named("chat-inviting", &invited.name),
                Tone::Warning,
            ));
        }
        let action = |id: &str, key: &str, label: &str, icon: &str| {
            Action::new(id, key, &words.tr(label), icon)
        };
        let mut toolbar = vec![
            action(
                ACTION_TRANSFER,
                "action-transfer",
                "chat-transfer",
                "transfer",
            )
            .enabled(
                live,
                &words.tr(if live {
                    "chat-transfer-tooltip"
                } else {
                    "chat-not-live"
                }),
            ),
            action(
                ACTION_CONFERENCE,
                "action-conference",
                "chat-conference",
                "conference",
            )
            .enabled(
                live && chat.inviting.is_none(),
                &words.tr("chat-conference-tooltip"),
            ),
            action(ACTION_CONSULT, "action-consult", "chat-consult", "consult")
                .enabled(live, &words.tr("chat-consult-tooltip")),
        ];
        if !chat.conference.is_empty() {
            toolbar.push(
                action(ACTION_LEAVE, "action-leave", "chat-leave", "leave")
                    .enabled(live, &words.tr("chat-leave-tooltip")),
            );
        }
        toolbar.push(
            action(ACTION_END, "action-end-chat", "chat-end", "end")
                .enabled(live, &words.tr("chat-end-tooltip"))
                .tone(Tone::Danger),
        );
        toolbar.push(
            action(ACTION_DONE, "action-done", "chat-done", "done").tone(if ended {
                Tone::Primary
            } else {
                Tone::Neutral
            }),
        );
        let (hint, send_label) = match chat.phase {
            Phase::Ended => (
                words.tr("chat-ended-hint"),
                words.tr("chat-send-and-continue"),
            ),
            Phase::Transferring(_) => (words.tr("chat-transfer-waiting"), words.tr("chat-send")),
            Phase::Live => (String::new(), words.tr("chat-send")),
        };
        Ok(ViewModel {
            header: Header {
                title: chat.info.contact_name.clone(),
                address: words.tr("chat-address").into(),
                state: state.into(),
                subtitle: words
                    .tr_args("chat-subtitle", &[("nickname", &chat.nickname)])
                    .into(),
            },
            badges: badges.into(),
            toolbar: toolbar.into(),
            composer: Composer {
                enabled: !matches!(chat.phase, Phase::Transferring(_)),
                hint: hint.into(),
                counter: Default::default(),
                counter_warning: false,
                send_label: send_label.into(),
            },
            panels: panels::list([
                panels::DISPOSITION,
                panels::NOTE,
                panels::CASE_DATA,
                panels::CONTACT,
                panels::CONVERSATION,
                panels::RESPONSES,
                panels::PUSH_URL,
            ]),
        })
    }
}

fn error(id: &str, text: String) -> Vec<Command> {
    vec![Command::ShowError {
        interaction: id.into(),
        text: text.into(),
    }]
}

impl WebChat {
    fn chat(&self, id: &str) -> Result<&Chat, PluginError> {
        self.chats
            .get(id)
            .ok_or_else(|| PluginError::unknown_interaction(id))
    }

    fn chat_mut(&mut self, id: &str) -> Result<&mut Chat, PluginError> {
        self.chats
            .get_mut(id)
            .ok_or_else(|| PluginError::unknown_interaction(id))
    }

    /// Stores system line `line` (a message id) with its arguments.
    fn line(&self, id: &str, line: &str, args: &[(&str, &str)]) {
        self.words.store_line(&self.host, id, line, args);
    }

    /// Message `id` about someone named `name`.
    fn named(&self, id: &str, name: &str) -> String {
        self.words.tr_args(id, &[("name", name)])
    }

    /// Message `id` about someone, with the reason of a failure.
    fn failed(&self, id: &str, name: &str, reason: &dyn std::fmt::Display) -> String {
        self.words
            .tr_args(id, &[("name", name), ("reason", &reason.to_string())])
    }

    fn log(&self, text: &str) {
        self.host.log(LogLevel::Warn, text);
    }

    /// Tells the customer when the agent starts or stops typing (once per change).
    fn agent_typing(&mut self, id: &str, typing: bool) -> Result<(), PluginError> {
        let chat = self.chat_mut(id)?;
        if chat.agent_typing == typing || chat.phase == Phase::Ended {
            return Ok(());
        }
        chat.agent_typing = typing;
        if let Err(e) = self.host.set_typing(id, typing) {
            self.log(&format!("cannot tell the customer about typing: {e}"));
        }
        Ok(())
    }

    fn send(&mut self, id: &str, text: &str) -> Result<Vec<Command>, PluginError> {
        let resumes = self.chat(id)?.phase == Phase::Ended;
        if let Err(e) = self.host.send_message(id, text, &[]) {
            return Ok(error(id, self.failed("chat-not-sent", "", &e)));
        }
        let mut commands = Vec::new();
        if resumes {
            self.chat_mut(id)?.phase = Phase::Live;
            self.line(id, "chat-continued", &[]);
            commands.push(Command::Resume {
                interaction: id.into(),
            });
        }
        self.agent_typing(id, false)?;
        commands.push(Command::ClearComposer {
            interaction: id.into(),
        });
        Ok(commands)
    }

    fn action(&mut self, id: &str, action: &str) -> Result<Vec<Command>, PluginError> {
        let chat = self.chat_mut(id)?;
        let choose = |purpose: &str| {
            vec![Command::ChooseTarget {
                interaction: id.into(),
                purpose: purpose.into(),
            }]
        };
        Ok(match action {
            ACTION_TRANSFER => choose(purposes::TRANSFER),
            ACTION_CONFERENCE => choose(purposes::CONFERENCE),
            ACTION_CONSULT => choose(purposes::CONSULT),
            ACTION_LEAVE => match chat.conference.first().cloned() {
                // The colleague in the conference takes the chat over at once.
                Some(colleague) => {
                    chat.phase = Phase::Transferring(colleague.clone());
                    match self.host.transfer(id, &colleague) {
                        Ok(()) => Vec::new(),
                        Err(e) => {
                            self.chat_mut(id)?.phase = Phase::Live;
                            error(id, self.failed("chat-could-not-leave", "", &e))
                        }
                    }
                }
                None => Vec::new(),
            },
            ACTION_END if chat.phase == Phase::Live => {
                chat.phase = Phase::Ended;
                self.agent_typing(id, false)?;
                self.line(id, "chat-you-ended", &[]);
                vec![Command::End {
                    interaction: id.into(),
                }]
            }
            ACTION_DONE => vec![Command::MarkDone {
                interaction: id.into(),
            }],
            _ => Vec::new(),
        })
    }

    fn target_chosen(&mut self, id: &str, purpose: &str, target: Target) -> Vec<Command> {
        let Ok(chat) = self.chat_mut(id) else {
            return Vec::new();
        };
        if target.kind == target_kinds::CONTACT {
            return error(id, self.named("chat-contact-refused", &target.name));
        }
        let name = target.name.to_string();
        if purpose == purposes::TRANSFER {
            chat.phase = Phase::Transferring(target.clone());
            if let Err(e) = self.host.transfer(id, &target) {
                if let Ok(chat) = self.chat_mut(id) {
                    chat.phase = Phase::Live;
                }
                return error(id, self.failed("chat-not-transferred", &name, &e));
            }
            self.line(id, "chat-transfer-requested", &[("name", &name)]);
        } else if purpose == purposes::CONFERENCE {
            chat.inviting = Some(target.clone());
            if let Err(e) = self.host.invite(id, &target, purposes::CONFERENCE) {
                if let Ok(chat) = self.chat_mut(id) {
                    chat.inviting = None;
                }
                return error(id, self.failed("chat-not-invited", &name, &e));
            }
            self.line(id, "chat-invited", &[("name", &name)]);
        }
        Vec::new()
    }

    fn transfer_answered(
        &mut self,
        id: &str,
        target: Target,
        outcome: Option<InvitationOutcome>,
    ) -> Vec<Command> {
        let Ok(chat) = self.chat_mut(id) else {
            return Vec::new();
        };
        let in_conference = chat.conference.iter().any(|c| c.id == target.id);
        chat.phase = Phase::Live;
        let name = [("name", target.name.as_str())];
        match outcome {
            Some(InvitationOutcome::Accepted) => {
                let line = if in_conference {
                    "chat-handed-to-colleague"
                } else {
                    "chat-transfer-accepted"
                };
                self.line(id, line, &name);
                vec![Command::Release {
                    interaction: id.into(),
                }]
            }
            Some(InvitationOutcome::Rejected { reason }) => error(
                id,
                self.failed("chat-transfer-refused", &target.name, &reason),
            ),
            _ => {
                self.line(id, "chat-transfer-unanswered", &name);
                Vec::new()
            }
        }
    }

    fn conference_answered(
        &mut self,
        id: &str,
        answered_by: Target,
        outcome: Option<InvitationOutcome>,
    ) -> Vec<Command> {
        let Ok(chat) = self.chat_mut(id) else {
            return Vec::new();
        };
        let asked = chat.inviting.take();
        let who = answered_by.name.to_string();
        match outcome {
            Some(InvitationOutcome::Accepted) => {
                chat.conference.push(answered_by);
                self.line(id, "chat-joined", &[("name", &who)]);
            }
            Some(InvitationOutcome::Rejected { reason }) => {
                self.line(
                    id,
                    "chat-declined",
                    &[("name", &who), ("reason", reason.as_str())],
                );
            }
            _ => {
                let asked = asked.map_or(who, |t| t.name.into_string());
                self.line(id, "chat-no-answer", &[("name", &asked)]);
            }
        }
        Vec::new()
    }
}

switchboard_sdk::export_channel!(WebChat);

#[cfg(test)]
mod tests;
