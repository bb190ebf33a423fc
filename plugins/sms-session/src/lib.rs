//! SMS session mode: a chat-like conversation over SMS that the agent owns until Done, or until
//! no message was exchanged for the administrator's inactivity time-out.
//!
//! The session's clock is the host's: every message in or out moves the `inactivity` timer, and
//! when it fires the session ends with a system line. The agent can transfer the session to a
//! colleague or a queue (the Team Communicator picks the target; the platform answers accept,
//! reject or time-out), end it, schedule a callback and use every side panel. Failed deliveries
//! get a system line naming the message; a number the platform flags as unable to receive SMS
//! is warned about before the first send.

use std::collections::HashMap;

use sms_common::{
    ACTION_CONSULT, ACTION_DONE, Counter, RecordBadges, Tracked, choose_transfer_target,
    consult_action, consult_command, duration_text, excerpt, request_transfer, send_sms,
    setting_seconds, sms_panels, transfer_answered,
};
pub use sms_common::{ACTION_TRANSFER, PURPOSE_TRANSFER};
use switchboard_sdk::{
    Action, Badge, Channel, Command, Composer, ConnectionState, DeliveryStatus, Event, Header,
    HostBox, InteractionInfo, InvitationOutcome, LogLevel, Manifest, PluginError, Target, Tone,
    TranscriptEntry, ViewModel, abi_stable::std_types::RResult, services, settings,
};

/// Id of the End session action.
pub const ACTION_END: &str = "end";
/// Name of the inactivity timer.
pub const TIMER_INACTIVITY: &str = "inactivity";
/// Inactivity time-out when the shell does not say (15 minutes).
pub const DEFAULT_INACTIVITY_SECONDS: i64 = 900;

/// Where a session is.
#[derive(Debug, Clone, PartialEq)]
enum Phase {
    /// Messages flow.
    Open,
    /// A transfer was asked; waiting for the target's answer.
    Transferring(Target),
    /// Over (inactivity, the agent ended it); waiting for Done.
    Ended(String),
}

/// One session as the plugin tracks it.
struct Session {
    info: InteractionInfo,
    records: RecordBadges,
    counter: Counter,
    phase: Phase,
    /// The platform says this number cannot receive SMS (landline...): why, for the warning.
    cannot_receive: Option<String>,
    /// The agent saw the warning and pressed Send again.
    send_confirmed: bool,
    /// Our messages, by store id, to name a failed one.
    sent: HashMap<i64, String>,
    /// Outbound messages that failed, for the header.
    failed: usize,
}

/// The SMS session-mode channel.
pub struct SmsSession {
    host: HostBox,
    sessions: Tracked<Session>,
}

impl SmsSession {
    fn inactivity_seconds(&self) -> i64 {
        setting_seconds(
            &self.host,
            settings::SESSION_INACTIVITY_SECONDS,
            DEFAULT_INACTIVITY_SECONDS,
        )
        .max(1)
    }

    /// A message went one way or the other: the session lives on.
    fn restart_inactivity(&self, id: &str) {
        let at = self.host.now().plus_seconds(self.inactivity_seconds());
        if let RResult::RErr(e) = self.host.set_timer(id.into(), TIMER_INACTIVITY.into(), at) {
            self.log_warn(&format!("cannot set the inactivity timer: {e}"));
        }
    }

    fn log_warn(&self, text: &str) {
        self.host.log(LogLevel::Warn, text.into());
    }

    fn system_line(&self, id: &str, text: &str) {
        if let RResult::RErr(e) = self.host.store_system_line(id.into(), text.into()) {
            self.log_warn(&format!("cannot store a system line: {e}"));
        }
    }

    fn end(&mut self, id: &str, reason: String) -> Result<Vec<Command>, PluginError> {
        let session = self.sessions.get_mut(id)?;
        if matches!(session.phase, Phase::Ended(_)) {
            return Ok(Vec::new());
        }
        session.phase = Phase::Ended(reason.clone());
        let _ = self.host.cancel_timer(id.into(), TIMER_INACTIVITY.into());
        self.system_line(id, &reason);
        Ok(vec![Command::End {
            interaction: id.into(),
        }])
    }

    fn on_send(&mut self, id: &str, text: &str) -> Result<Vec<Command>, PluginError> {
        let session = self.sessions.get(id)?;
        let refusal = match &session.phase {
            Phase::Ended(_) => {
                Some("The session has ended; the contact's next SMS opens a new one.")
            }
            Phase::Transferring(_) => Some("Wait for the transfer's answer before writing."),
            Phase::Open => None,
        };
        if let Some(refusal) = refusal {
            return Ok(vec![Command::ShowError {
                interaction: id.into(),
                text: refusal.into(),
            }]);
        }
        if let Some(why) = session.cannot_receive.clone()
            && !session.send_confirmed
            && !text.trim().is_empty()
        {
            let warning = format!(
                "{} is flagged as unable to receive SMS ({why}). Press Send again to send \
                 anyway, or schedule a callback.",
                session.info.contact_address
            );
            self.sessions.get_mut(id)?.send_confirmed = true;
            return Ok(vec![Command::ShowError {
                interaction: id.into(),
                text: warning.into(),
            }]);
        }
        match send_sms(&self.host, id, text) {
            Ok(entry) => {
                self.remember_sent(id, &entry)?;
                self.restart_inactivity(id);
                Ok(vec![Command::ClearComposer {
                    interaction: id.into(),
                }])
            }
            Err(command) => Ok(vec![command]),
        }
    }

    fn remember_sent(&mut self, id: &str, entry: &TranscriptEntry) -> Result<(), PluginError> {
        self.sessions
            .get_mut(id)?
            .sent
            .insert(entry.id, entry.text.to_string());
        Ok(())
    }

    fn on_delivery(
        &mut self,
        id: &str,
        message_id: i64,
        status: Option<DeliveryStatus>,
    ) -> Result<Vec<Command>, PluginError> {
        let Some(DeliveryStatus::Failed { reason }) = status else {
            return Ok(Vec::new());
        };
        let session = self.sessions.get_mut(id)?;
        session.failed += 1;
        let what = session.sent.get(&message_id).map_or_else(
            || "A message".to_owned(),
            |text| format!("“{}”", excerpt(text, 40)),
        );
        self.system_line(id, &format!("{what} was not delivered: {reason}."));
        Ok(Vec::new())
    }

    fn on_target(
        &mut self,
        id: &str,
        purpose: &str,
        target: Target,
    ) -> Result<Vec<Command>, PluginError> {
        if purpose != PURPOSE_TRANSFER {
            return Ok(Vec::new());
        }
        if !matches!(self.sessions.get(id)?.phase, Phase::Open) {
            return Ok(vec![Command::ShowError {
                interaction: id.into(),
                text: "Only an open session can be transferred.".into(),
            }]);
        }
        match request_transfer(&self.host, id, &target) {
            Ok(()) => {
                self.sessions.get_mut(id)?.phase = Phase::Transferring(target);
                Ok(Vec::new())
            }
            Err(refusal) => Ok(vec![refusal]),
        }
    }

    fn on_transfer_outcome(
        &mut self,
        id: &str,
        target: &Target,
        outcome: Option<InvitationOutcome>,
    ) -> Result<Vec<Command>, PluginError> {
        self.sessions.get_mut(id)?.phase = Phase::Open;
        if outcome == Some(InvitationOutcome::Accepted) {
            let _ = self.host.cancel_timer(id.into(), TIMER_INACTIVITY.into());
        }
        Ok(transfer_answered(
            &self.host, id, target, outcome, "session",
        ))
    }

    fn on_action(&mut self, id: &str, action: &str) -> Result<Vec<Command>, PluginError> {
        self.sessions.get(id)?;
        match action {
            ACTION_TRANSFER => Ok(vec![choose_transfer_target(id)]),
            ACTION_CONSULT => Ok(vec![consult_command(id)]),
            ACTION_END => self.end(id, "The agent ended the session.".to_owned()),
            ACTION_DONE => Ok(vec![Command::MarkDone {
                interaction: id.into(),
            }]),
            _ => Ok(Vec::new()),
        }
    }

    fn on_timer(&mut self, id: &str, timer: &str) -> Result<Vec<Command>, PluginError> {
        if timer != TIMER_INACTIVITY || !matches!(self.sessions.get(id)?.phase, Phase::Open) {
            return Ok(Vec::new());
        }
        let idle = duration_text(self.inactivity_seconds());
        self.end(id, format!("Session ended: no message for {idle}."))
    }

    fn accept(&mut self, info: InteractionInfo) {
        let id = info.id.to_string();
        let records = RecordBadges::read(&self.host, &id);
        let cannot_receive = match self.host.number_info(info.contact_address.as_str().into()) {
            RResult::ROk(number) if !number.can_receive_sms => Some(if number.note.is_empty() {
                "flagged by the platform".to_owned()
            } else {
                number.note.into_string()
            }),
            _ => None,
        };
        self.sessions.insert(
            id.clone(),
            Session {
                info,
                records,
                counter: Counter::of(""),
                phase: Phase::Open,
                cannot_receive,
                send_confirmed: false,
                sent: HashMap::new(),
                failed: 0,
            },
        );
        self.restart_inactivity(&id);
    }

    fn toolbar(session: &Session) -> Vec<Action> {
        let open = matches!(session.phase, Phase::Open);
        let ended = matches!(session.phase, Phase::Ended(_));
        let transfer_tip = match &session.phase {
            Phase::Open => "Hand this session to a colleague, a queue or a skill",
            Phase::Transferring(_) => "A transfer is waiting for an answer",
            Phase::Ended(_) => "The session has ended",
        };
        vec![
            Action::new(ACTION_TRANSFER, "action-transfer", "Transfer", "transfer")
                .enabled(open, transfer_tip),
            consult_action(open),
            Action::new(ACTION_END, "action-end-session", "End session", "end")
                .enabled(open, "End the conversation; Done closes it"),
            Action::new(ACTION_DONE, "action-done", "Done", "done").tone(if ended {
                Tone::Primary
            } else {
                Tone::Neutral
            }),
        ]
    }
}

impl Channel for SmsSession {
    fn manifest() -> Manifest {
        Manifest::new("sms-session", "SMS session", env!("CARGO_PKG_VERSION"))
            .media_type("sms-session")
            .service(services::MESSAGES_SEND)
            .service(services::MESSAGES_STORE)
            .service(services::TIMERS)
            .service(services::CASE_DATA)
            .service(services::DISPOSITIONS)
            .service(services::TRANSFER)
            .icon("sms")
    }

    fn create(host: HostBox) -> Result<Self, PluginError> {
        Ok(Self {
            host,
            sessions: Tracked::default(),
        })
    }

    fn handle(&mut self, event: Event) -> Result<Vec<Command>, PluginError> {
        match event {
            // Accepted from a customer, or started by the agent (an outbound session, SDK 1.5):
            // the same session either way.
            Event::Accepted { interaction, .. } | Event::Started { interaction, .. } => {
                self.accept(interaction);
                Ok(Vec::new())
            }
            Event::InboundMessage { entry } => {
                let id = entry.interaction.to_string();
                if matches!(self.sessions.get(&id)?.phase, Phase::Open) {
                    self.restart_inactivity(&id);
                }
                Ok(Vec::new())
            }
            Event::ComposerChanged { interaction, text } => {
                self.sessions.get_mut(&interaction)?.counter = Counter::of(&text);
                Ok(Vec::new())
            }
            Event::Send { interaction, text } => self.on_send(&interaction, &text),
            Event::DeliveryReport {
                interaction,
                message_id,
                status,
            } => self.on_delivery(&interaction, message_id, status.as_enum().ok().cloned()),
            Event::TimerFired { interaction, timer } => self.on_timer(&interaction, &timer),
            Event::Action {
                interaction,
                action,
            } => self.on_action(&interaction, &action),
            Event::TargetChosen {
                interaction,
                purpose,
                target,
            } => self.on_target(&interaction, &purpose, target),
            Event::TransferOutcome {
                interaction,
                target,
                outcome,
            } => self.on_transfer_outcome(&interaction, &target, outcome.as_enum().ok().cloned()),
            Event::RecordsChanged {
                interaction,
                records,
            } => {
                self.sessions.get_mut(&interaction)?.records.refresh(
                    &self.host,
                    &interaction,
                    &records,
                );
                Ok(Vec::new())
            }
            Event::Closed { interaction } => {
                self.sessions.remove(&interaction);
                Ok(Vec::new())
            }
            _ => Ok(Vec::new()),
        }
    }

    fn view(&self, interaction: &str) -> Result<ViewModel, PluginError> {
        let session = self.sessions.get(interaction)?;
        let mut badges = session.records.badges();
        let (state, hint) = match &session.phase {
            Phase::Open => (
                ConnectionState::Connected,
                format!(
                    "Session mode: the contact's SMS join this conversation. It ends after {} \
                     without messages.",
                    duration_text(self.inactivity_seconds())
                ),
            ),
            Phase::Transferring(target) => {
                badges.push(Badge::new(
                    format!("Transfer to {} pending", target.name),
                    Tone::Warning,
                ));
                (
                    ConnectionState::Establishing,
                    "Waiting for the transfer's answer.".to_owned(),
                )
            }
            Phase::Ended(reason) => {
                badges.push(Badge::new("Session ended", Tone::Neutral));
                (
                    ConnectionState::Ended,
                    format!("{reason} Press Done to close."),
                )
            }
        };
        if let Some(why) = &session.cannot_receive {
            badges.push(Badge::new(
                format!("Cannot receive SMS: {why}"),
                Tone::Danger,
            ));
        }
        if session.failed > 0 {
            badges.push(Badge::new(
                format!("{} not delivered", session.failed),
                Tone::Danger,
            ));
        }
        Ok(ViewModel {
            header: Header {
                title: session.info.contact_name.clone(),
                address: session.info.contact_address.clone(),
                state: state.into(),
                subtitle: "SMS · session mode".into(),
            },
            badges: badges.into(),
            toolbar: Self::toolbar(session).into(),
            composer: Composer {
                enabled: matches!(session.phase, Phase::Open),
                hint: hint.into(),
                counter: session.counter.text.as_str().into(),
                counter_warning: session.counter.warning,
                send_label: "Send".into(),
            },
            panels: sms_panels(),
        })
    }
}

switchboard_sdk::export_channel!(SmsSession);

#[cfg(test)]
mod tests;
