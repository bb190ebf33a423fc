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
    ACTION_CONSULT, ACTION_DONE, COMMON_TRANSLATIONS, Counter, Kept, RecordBadges, Tracked,
    WholeUnit, choose_transfer_target, consult_action, consult_command, duration_text, excerpt,
    in_whole_units, request_transfer, send_sms, setting_seconds, sms_panels, transfer_action,
    transfer_answered,
};
pub use sms_common::{ACTION_TRANSFER, PURPOSE_TRANSFER};
use switchboard_sdk::{
    Action, Badge, Channel, Command, Composer, ConnectionState, DeliveryStatus, Event, Header,
    HostBox, InteractionInfo, InvitationOutcome, LogLevel, Manifest, PluginError, Services, Target,
    Tone, TranscriptEntry, ViewModel, Words, services, settings,
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
    Ended(Ending),
}

/// Why a session ended: the message id of its line and the line's arguments.
#[derive(Debug, Clone, PartialEq)]
struct Ending {
    line: &'static str,
    count: Option<i64>,
}

impl Ending {
    /// The agent pressed End session.
    fn by_agent() -> Self {
        Self {
            line: "session-agent-ended",
            count: None,
        }
    }

    /// No message for `seconds`, in the largest whole unit.
    fn idle(seconds: i64) -> Self {
        let (count, unit) = in_whole_units(seconds);
        let line = match unit {
            WholeUnit::Hours => "session-idle-hours",
            WholeUnit::Minutes => "session-idle-minutes",
            WholeUnit::Seconds => "session-idle-seconds",
        };
        Self {
            line,
            count: Some(count),
        }
    }

    fn text(&self, words: &Words) -> String {
        match self.count {
            Some(count) => words.tr_args(self.line, &[("count", &count.to_string())]),
            None => words.tr(self.line),
        }
    }

    fn store(&self, words: &Words, host: &Services, interaction: &str) {
        let count = self.count.map(|c| c.to_string());
        let args: Vec<(&str, &str)> = count.iter().map(|c| ("count", c.as_str())).collect();
        words.store_line(host, interaction, self.line, &args);
    }
}

/// One session as the plugin tracks it.
struct Session {
    info: InteractionInfo,
    records: RecordBadges,
    counter: Counter,
    phase: Phase,
    /// The platform says this number cannot receive SMS (landline...): why, for the warning
    /// (empty when the platform gave no reason).
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
    host: Services,
    words: Words,
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
        if let Err(e) = self.host.set_timer(id, TIMER_INACTIVITY, at) {
            self.log_warn(&format!("cannot set the inactivity timer: {e}"));
        }
    }

    fn log_warn(&self, text: &str) {
        self.host.log(LogLevel::Warn, text);
    }

    /// Why the number cannot receive SMS, in words.
    fn why_unreachable(&self, why: &str) -> String {
        if why.is_empty() {
            self.words.tr("session-flagged")
        } else {
            why.to_owned()
        }
    }

    fn end(&mut self, id: &str, ending: Ending) -> Result<Vec<Command>, PluginError> {
        let session = self.sessions.get_mut(id)?;
        if matches!(session.phase, Phase::Ended(_)) {
            return Ok(Vec::new());
        }
        session.phase = Phase::Ended(ending.clone());
        let _ = self.host.cancel_timer(id, TIMER_INACTIVITY);
        ending.store(&self.words, &self.host, id);
        Ok(vec![Command::End {
            interaction: id.into(),
        }])
    }

    fn on_send(&mut self, id: &str, text: &str) -> Result<Vec<Command>, PluginError> {
        let session = self.sessions.get(id)?;
        let refusal = match &session.phase {
            Phase::Ended(_) => Some("session-ended-refusal"),
            Phase::Transferring(_) => Some("session-wait-for-transfer"),
            Phase::Open => None,
        };
        if let Some(refusal) = refusal {
            return Ok(vec![Command::ShowError {
                interaction: id.into(),
                text: self.words.tr(refusal).into(),
            }]);
        }
        if let Some(why) = session.cannot_receive.clone()
            && !session.send_confirmed
            && !text.trim().is_empty()
        {
            let warning = self.words.tr_args(
                "session-unreachable-warning",
                &[
                    ("number", session.info.contact_address.as_str()),
                    ("why", &self.why_unreachable(&why)),
                ],
            );
            self.sessions.get_mut(id)?.send_confirmed = true;
            return Ok(vec![Command::ShowError {
                interaction: id.into(),
                text: warning.into(),
            }]);
        }
        match send_sms(&self.host, &self.words, id, text) {
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
        match session.sent.get(&message_id) {
            Some(text) => self.words.store_line(
                &self.host,
                id,
                "session-message-not-delivered",
                &[("excerpt", &excerpt(text, 40)), ("reason", reason.as_str())],
            ),
            None => self.words.store_line(
                &self.host,
                id,
                "session-a-message-not-delivered",
                &[("reason", reason.as_str())],
            ),
        };
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
                text: self.words.tr("session-open-only").into(),
            }]);
        }
        match request_transfer(&self.host, &self.words, id, &target) {
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
            let _ = self.host.cancel_timer(id, TIMER_INACTIVITY);
        }
        Ok(transfer_answered(
            &self.host,
            &self.words,
            id,
            target,
            outcome,
            Kept::Session,
        ))
    }

    fn on_action(&mut self, id: &str, action: &str) -> Result<Vec<Command>, PluginError> {
        self.sessions.get(id)?;
        match action {
            ACTION_TRANSFER => Ok(vec![choose_transfer_target(id)]),
            ACTION_CONSULT => Ok(vec![consult_command(id)]),
            ACTION_END => self.end(id, Ending::by_agent()),
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
        self.end(id, Ending::idle(self.inactivity_seconds()))
    }

    fn accept(&mut self, info: InteractionInfo) {
        let id = info.id.to_string();
        let records = RecordBadges::read(&self.host, &id);
        let cannot_receive = match self.host.number_info(&info.contact_address) {
            Ok(number) if !number.can_receive_sms => Some(number.note.into_string()),
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

    fn toolbar(&self, session: &Session) -> Vec<Action> {
        let words = &self.words;
        let open = matches!(session.phase, Phase::Open);
        let ended = matches!(session.phase, Phase::Ended(_));
        let mut transfer = transfer_action(words, None);
        if !open {
            let why = match &session.phase {
                Phase::Transferring(_) => "session-transfer-waiting",
                _ => "session-transfer-ended",
            };
            transfer = transfer.enabled(false, &words.tr(why));
        } else {
            transfer = transfer.enabled(true, &words.tr("session-transfer-tooltip"));
        }
        vec![
            transfer,
            consult_action(words, open),
            Action::new(
                ACTION_END,
                "action-end-session",
                &words.tr("session-end"),
                "end",
            )
            .enabled(open, &words.tr("session-end-tooltip")),
            Action::new(
                ACTION_DONE,
                "action-done",
                &words.tr("session-done"),
                "done",
            )
            .tone(if ended { Tone::Primary } else { Tone::Neutral }),
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
            Event::LanguageChanged { language } => {
                self.words.set_language(&language);
                Ok(Vec::new())
            }
            _ => Ok(Vec::new()),
        }
    }

    fn view(&self, interaction: &str) -> Result<ViewModel, PluginError> {
        let session = self.sessions.get(interaction)?;
        let words = &self.words;
        let mut badges = session.records.badges(words);
        let (state, hint) = match &session.phase {
            Phase::Open => (
                ConnectionState::Connected,
                words.tr_args(
                    "session-hint",
                    &[("idle", &duration_text(words, self.inactivity_seconds()))],
                ),
            ),
            Phase::Transferring(target) => {
                badges.push(Badge::new(
                    words.tr_args(
                        "session-transfer-pending",
                        &[("name", target.name.as_str())],
                    ),
                    Tone::Warning,
                ));
                (
                    ConnectionState::Establishing,
                    words.tr("session-waiting-hint"),
                )
            }
            Phase::Ended(ending) => {
                badges.push(Badge::new(words.tr("session-ended"), Tone::Neutral));
                (
                    ConnectionState::Ended,
                    words.tr_args("session-ended-hint", &[("reason", &ending.text(words))]),
                )
            }
        };
        if let Some(why) = &session.cannot_receive {
            badges.push(Badge::new(
                words.tr_args(
                    "session-cannot-receive",
                    &[("why", &self.why_unreachable(why))],
                ),
                Tone::Danger,
            ));
        }
        if session.failed > 0 {
            badges.push(Badge::new(
                words.tr_args(
                    "session-not-delivered",
                    &[("count", &session.failed.to_string())],
                ),
                Tone::Danger,
            ));
        }
        Ok(ViewModel {
            header: Header {
                title: session.info.contact_name.clone(),
                address: session.info.contact_address.clone(),
                state: state.into(),
                subtitle: words.tr("session-subtitle").into(),
            },
            badges: badges.into(),
            toolbar: self.toolbar(session).into(),
            composer: Composer {
                enabled: matches!(session.phase, Phase::Open),
                hint: hint.into(),
                counter: session.counter.text.as_str().into(),
                counter_warning: session.counter.warning,
                send_label: words.tr("session-send").into(),
            },
            panels: sms_panels(),
        })
    }
}

switchboard_sdk::export_channel!(SmsSession);

#[cfg(test)]
mod tests;
