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
    InvitationOutcome, LogLevel, Manifest, Outbound, PluginError, Target, Tone, ViewModel,
    abi_stable::std_types::{RResult, RVec},
    purposes, services,
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
    host: HostBox,
    conversations: HashMap<String, Conversation>,
}

impl Channel for InternalIm {
    fn manifest() -> Manifest {
        Manifest::new("internal-im", "Internal IM", env!("CARGO_PKG_VERSION"))
            .media_type("im")
            .icon("im")
            .service(services::MESSAGES_SEND)
            .service(services::MESSAGES_STORE)
            .service(services::INVITATIONS)
            .service(services::CASE_DATA)
            .service(services::CONTACTS)
            .service(services::NOTIFICATIONS)
    }

    fn create(host: HostBox) -> Result<Self, PluginError> {
        Ok(Self {
            host,
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
                let line = format!(
                    "You accepted the instant message from {}.",
                    conversation.target.name
                );
                self.conversations.insert(id.clone(), conversation);
                self.system_line(&id, &line);
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
                self.system_line(&interaction, &format!("{by} ended the instant message."));
                Ok(vec![Command::End { interaction }])
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
        let name = conversation.target.name.as_str();
        let state = conversation.state;
        let live = matches!(
            state,
            ConnectionState::Establishing | ConnectionState::Connected
        );
        let mut toolbar = vec![
            Action::new(ACTION_END, "action-end-im", "End IM", "end")
                .enabled(live, if live { "" } else { "The IM is not live." })
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
                    "Voice consultation",
                    "call",
                )
                .enabled(
                    can_escalate,
                    "Asks the platform to call the colleague you are consulting.",
                ),
            );
        }
        let closable = !live;
        toolbar.push(
            Action::new(ACTION_DONE, "action-done", "Done", "done")
                .enabled(closable, if closable { "" } else { "End the IM first." })
                .tone(if state == ConnectionState::Ended {
                    Tone::Primary
                } else {
                    Tone::Neutral
                }),
        );
        let (enabled, hint, send_label) = match state {
            ConnectionState::Ended => (false, "The instant message has ended.".to_owned(), "Send"),
            ConnectionState::Establishing => (
                true,
                format!("Waiting for {name} to accept; you can add to your message."),
                "Send",
            ),
            ConnectionState::Connected => (true, String::new(), "Send"),
            _ => (
                true,
                format!("Your first message invites {name}."),
                "Send and invite",
            ),
        };
        let mut badges = Vec::new();
        if let Some(routed) = &conversation.routed_via {
            badges.push(Badge::new(format!("Via {routed}"), Tone::Neutral));
        }
        match conversation.voice {
            Voice::Requested => badges.push(Badge::new("Voice requested", Tone::Warning)),
            Voice::Connected => badges.push(Badge::new("Voice connected", Tone::Success)),
            Voice::None => {}
        }
        let subtitle = match (&conversation.about, conversation.is_consultation()) {
            (Some(customer), true) => format!("Instant message · consultation about {customer}"),
            (None, true) => "Instant message · consultation".to_owned(),
            _ => "Internal instant message".to_owned(),
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
            panels: wanted.into_iter().map(Into::into).collect::<RVec<_>>(),
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
        match self.host.contact(conversation.info.id.as_str().into()) {
            RResult::ROk(card) if !card.name.is_empty() => Some(card.name.into_string()),
            _ => None,
        }
    }

    fn system_line(&self, id: &str, text: &str) {
        if let RResult::RErr(e) = self.host.store_system_line(id.into(), text.into()) {
            self.host.log(
                LogLevel::Warn,
                format!("cannot store a system line in {id}: {e}")
                    .as_str()
                    .into(),
            );
        }
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
        if target.kind == "contact" {
            conversation.state = ConnectionState::Ended;
            self.conversations.insert(id.clone(), conversation);
            let reason = format!(
                "Not started: internal IM is between agents, and {} is a contact. Write to them \
                 on their own channel (SMS, chat).",
                target.name
            );
            self.system_line(&id, &reason);
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
            return Ok(Self::error(
                id,
                "Not sent: this instant message has ended.".into(),
            ));
        }
        let first = conversation.state == ConnectionState::NotConnected;
        let target = conversation.target.clone();
        let outbound = Outbound {
            interaction: id.into(),
            text: text.into(),
            parts: RVec::new(),
        };
        if let RResult::RErr(e) = self.host.send_message(outbound) {
            return Ok(Self::error(id, format!("Not sent: {e}")));
        }
        let mut commands = vec![Command::ClearComposer {
            interaction: id.into(),
        }];
        if first {
            match self
                .host
                .invite(id.into(), target.clone(), purposes::INSTANT_MESSAGE.into())
            {
                RResult::ROk(()) => {
                    self.conversation_mut(id)?.state = ConnectionState::Establishing;
                    self.system_line(id, &format!("Invitation sent to {}.", target.name));
                }
                RResult::RErr(e) => {
                    commands = Self::error(id, format!("{} was not invited: {e}", target.name));
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
            let line = match outcome {
                Some(InvitationOutcome::Accepted) => {
                    conversation.voice = Voice::Connected;
                    format!("Voice consultation with {who} connected.")
                }
                Some(InvitationOutcome::Rejected { reason }) => {
                    conversation.voice = Voice::None;
                    format!("{who} declined the voice consultation: {reason}.")
                }
                _ => {
                    conversation.voice = Voice::None;
                    format!("No answer from {who}: the voice consultation timed out.")
                }
            };
            self.system_line(id, &line);
            return Vec::new();
        }
        let asked = conversation.target.clone();
        let (line, ended) = match outcome {
            Some(InvitationOutcome::Accepted) => {
                conversation.state = ConnectionState::Connected;
                if asked.kind != "agent" {
                    conversation.routed_via = Some(asked.name.to_string());
                }
                conversation.target = answered_by;
                let via = if asked.kind == "agent" {
                    String::new()
                } else {
                    format!(" (for {})", asked.name)
                };
                (format!("{who}{via} accepted."), false)
            }
            Some(InvitationOutcome::Rejected { reason }) => {
                conversation.state = ConnectionState::Ended;
                (format!("{who} declined: {reason}."), true)
            }
            _ => {
                conversation.state = ConnectionState::Ended;
                (
                    format!("No answer from {who}: the invitation timed out."),
                    true,
                )
            }
        };
        self.system_line(id, &line);
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
                self.system_line(id, "You ended the instant message.");
                Ok(vec![Command::End {
                    interaction: id.into(),
                }])
            }
            ACTION_DONE => Ok(vec![Command::MarkDone {
                interaction: id.into(),
            }]),
            ACTION_VOICE if conversation.voice == Voice::None => {
                let target = conversation.target.clone();
                match self.host.invite(
                    id.into(),
                    target.clone(),
                    purposes::VOICE_CONSULTATION.into(),
                ) {
                    RResult::ROk(()) => {
                        self.conversation_mut(id)?.voice = Voice::Requested;
                        self.system_line(
                            id,
                            &format!("Voice consultation with {} requested.", target.name),
                        );
                        Ok(Vec::new())
                    }
                    RResult::RErr(e) => Ok(Self::error(
                        id,
                        format!("The voice consultation was not requested: {e}"),
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
