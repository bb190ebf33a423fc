//! Internal conversations on the embedded platform: instant messages between the signed-in
//! agent and the demo colleagues, consultations, and voice-consultation requests.
//!
//! Colleagues answer invitations through [`super::Colleagues`] (presence or a script). Once an
//! IM is connected, an unscripted colleague answers each of the agent's messages with a short
//! reply from `assets/demo/colleagues.toml`; a test scripts the exact reply instead, or makes
//! the colleague write or end at once. Every line is stored before the desk hears of it.

use std::collections::{HashMap, VecDeque};

use switchboard_sdk::{DeliveryStatus, InvitationOutcome, KeyValue, Role, Target, Timestamp};

use super::{EmbeddedPlatform, colleagues::ColleagueFile, lock};
#[allow(unused_imports)]
use crate::store::prelude::*;
use crate::{
    backend::{BackendError, BackendEvent, InviteRequest, NewConversation},
    directory::{Presence, TargetKind},
    store::{InteractionRow, NewMessage, Party},
};

/// The media type the platform gives instant messages a colleague starts.
pub const IM_MEDIA_TYPE: &str = crate::backend::INTERNAL_MEDIA_TYPE;

/// What a colleague was shown when invited (tests read it: a consultation carries the case).
#[derive(Debug, Clone, PartialEq)]
pub struct ReceivedInvitation {
    /// Interaction.
    pub interaction: String,
    /// The colleague (login) who got it.
    pub colleague: String,
    /// What for.
    pub purpose: String,
    /// The first message shown.
    pub first_message: String,
    /// The case data shown, read-only.
    pub case_data: Vec<KeyValue>,
}

/// A voice consultation the platform was asked for, and where it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct VoiceConsultation {
    /// The IM consultation it escalates.
    pub interaction: String,
    /// The agent asking.
    pub from_agent: String,
    /// The colleague called.
    pub colleague: String,
    /// When it was asked.
    pub requested: Timestamp,
    /// The answer, once there is one.
    pub outcome: Option<InvitationOutcome>,
}

#[derive(Debug, Clone)]
struct Session {
    /// The colleague once one answered (or who started it).
    colleague: Option<Target>,
    connected: bool,
    ended: bool,
}

#[derive(Debug, Clone)]
struct DueLine {
    at: Timestamp,
    interaction: String,
    text: String,
}

/// The platform's internal conversations.
#[derive(Debug)]
pub struct Internal {
    sessions: HashMap<String, Session>,
    lines: Vec<DueLine>,
    scripted_lines: HashMap<String, VecDeque<(i64, String)>>,
    received: Vec<ReceivedInvitation>,
    voice: Vec<VoiceConsultation>,
    replies: Vec<String>,
    reply_after_seconds: i64,
    next_reply: usize,
}

impl Internal {
    /// No conversations yet; colleagues answer with the file's replies.
    pub fn new(file: &ColleagueFile) -> Self {
        Self {
            sessions: HashMap::new(),
            lines: Vec::new(),
            scripted_lines: HashMap::new(),
            received: Vec::new(),
            voice: Vec::new(),
            replies: file.replies.clone(),
            reply_after_seconds: file.reply_after_seconds,
            next_reply: 0,
        }
    }

    /// The next line scripted for a colleague: (seconds after, text).
    fn take_scripted(&mut self, login: &str) -> Option<(i64, String)> {
        self.scripted_lines
            .get_mut(login)
            .and_then(VecDeque::pop_front)
    }

    /// When the next colleague line falls due.
    pub fn next_due(&self) -> Option<Timestamp> {
        self.lines.iter().map(|l| l.at).min()
    }

    fn take_due(&mut self, now: Timestamp) -> Vec<DueLine> {
        let (mut due, later): (Vec<_>, Vec<_>) = self.lines.drain(..).partition(|l| l.at <= now);
        self.lines = later;
        due.sort_by_key(|l| l.at);
        due
    }

    /// The reply a connected colleague gives the agent's message, if any: the scripted one,
    /// else (for an unscripted colleague) the next demo reply when none is pending.
    fn reply_to_agent(&mut self, interaction: &str, scripted: bool, now: Timestamp) {
        let Some(colleague) = self
            .sessions
            .get(interaction)
            .filter(|s| s.connected && !s.ended)
            .and_then(|s| s.colleague.clone())
        else {
            return;
        };
        let pending = self.lines.iter().any(|l| l.interaction == interaction);
        let line = match self.take_scripted(&colleague.id) {
            Some(line) => Some(line),
            None if scripted || pending || self.replies.is_empty() => None,
            None => {
                let text = self.replies[self.next_reply % self.replies.len()].clone();
                self.next_reply += 1;
                Some((self.reply_after_seconds, text))
            }
        };
        if let Some((after, text)) = line {
            self.lines.push(DueLine {
                at: now.plus_seconds(after),
                interaction: interaction.to_owned(),
                text,
            });
        }
    }
}

fn target_address(target: &Target) -> String {
    format!("{}:{}", target.kind, target.id)
}

impl EmbeddedPlatform {
    /// Scripts what a colleague answers to the agent's next IM message, after a delay.
    pub fn script_colleague_says(&self, login: &str, after_seconds: i64, text: &str) {
        lock(&self.inner.internal)
            .scripted_lines
            .entry(login.to_owned())
            .or_default()
            .push_back((after_seconds, text.to_owned()));
    }

    /// The colleague in an IM writes `text` now.
    pub fn colleague_writes(&self, interaction: &str, text: &str) {
        lock(&self.inner.internal).lines.push(DueLine {
            at: self.inner.clock.now(),
            interaction: interaction.to_owned(),
            text: text.to_owned(),
        });
        self.deliver_colleague_lines();
    }

    /// The colleague in an IM ends it now.
    pub fn colleague_ends(&self, interaction: &str) {
        let by = {
            let mut internal = lock(&self.inner.internal);
            internal.lines.retain(|l| l.interaction != interaction);
            let Some(session) = internal.sessions.get_mut(interaction) else {
                return;
            };
            session.ended = true;
            session
                .colleague
                .as_ref()
                .map_or_else(|| "The colleague".to_owned(), |c| c.name.to_string())
        };
        self.push(BackendEvent::OtherSideEnded {
            interaction: interaction.to_owned(),
            by,
        });
    }

    /// A colleague opens an IM with a first message, as a consultation about a customer
    /// interaction when `consulting` names one (its case data goes along). It is offered to
    /// `to_agent` only, or without one to any agent Ready for instant messages. Returns the
    /// interaction id.
    pub fn colleague_starts_im(
        &self,
        from_login: &str,
        to_agent: Option<&str>,
        text: &str,
        consulting: Option<&str>,
    ) -> Result<String, BackendError> {
        let colleague = self.colleague(from_login)?;
        let id = self.next_id("IM");
        let now = self.inner.clock.now();
        let case_data = match consulting {
            Some(customer) => self
                .inner
                .store
                .case_data(customer)
                .map_err(|e| BackendError::Refused(e.to_string()))?
                .into_iter()
                .map(|kv| (kv.key.into_string(), kv.value.into_string()))
                .collect(),
            None => Vec::new(),
        };
        let row = InteractionRow {
            id: id.clone(),
            media_type: IM_MEDIA_TYPE.into(),
            contact_name: colleague.name.to_string(),
            contact_address: target_address(&colleague),
            our_address: to_agent.map_or_else(String::new, |a| format!("agent:{a}")),
            state: crate::store::InteractionState::Queued,
            agent_id: None,
            created: now,
            done: false,
            case_data,
        };
        let first = NewMessage {
            interaction: id.clone(),
            role: Role::OtherAgent,
            author: colleague.name.to_string(),
            author_key: from_login.to_owned(),
            time: now,
            body: text.to_owned(),
            status: DeliveryStatus::None,
            provider_id: None,
            parts: 1,
        };
        self.store_internal(&row, consulting, Some(&first), Some(colleague))?;
        lock(&self.inner.router).enqueue_once(&id, IM_MEDIA_TYPE, to_agent, now);
        self.nudge();
        self.route();
        Ok(id)
    }

    /// A colleague joins a conversation (a chat conference) and writes `text` after a delay (a
    /// scripted line for them comes first).
    pub(super) fn join_as_colleague(
        &self,
        interaction: &str,
        colleague: &Target,
        after_seconds: i64,
        text: &str,
    ) {
        let now = self.inner.clock.now();
        let mut internal = lock(&self.inner.internal);
        let (after, text) = internal
            .take_scripted(&colleague.id)
            .unwrap_or((after_seconds, text.to_owned()));
        internal.sessions.insert(
            interaction.to_owned(),
            Session {
                colleague: Some(colleague.clone()),
                connected: true,
                ended: false,
            },
        );
        internal.lines.push(DueLine {
            at: now.plus_seconds(after),
            interaction: interaction.to_owned(),
            text,
        });
    }

    /// The newest interaction with a customer's address (what a colleague consults about).
    pub fn latest_interaction_with(&self, address: &str) -> Option<String> {
        self.inner
            .store
            .latest_interaction_with(address)
            .unwrap_or_else(|e| {
                tracing::warn!("{e}");
                None
            })
    }

    /// What colleagues were shown when invited, oldest first.
    pub fn invitations_received(&self) -> Vec<ReceivedInvitation> {
        lock(&self.inner.internal).received.clone()
    }

    /// Voice consultations asked for, oldest first.
    pub fn voice_consultations(&self) -> Vec<VoiceConsultation> {
        lock(&self.inner.internal).voice.clone()
    }

    fn colleague(&self, login: &str) -> Result<Target, BackendError> {
        lock(&self.inner.colleagues)
            .directory()
            .get(TargetKind::Agent, login)
            .map(crate::directory::Target::to_sdk)
            .ok_or_else(|| BackendError::Refused(format!("no agent {login} in the directory")))
    }

    /// The agent who takes an invitation: the agent asked, or for a queue, skill, group or
    /// routing point the first available colleague in the directory.
    fn resolve(&self, target: &Target, from_agent: &str) -> Result<Target, BackendError> {
        if target.kind == "agent" {
            return self.colleague(&target.id);
        }
        let colleagues = lock(&self.inner.colleagues);
        let now = self.inner.clock.now();
        colleagues
            .directory()
            .targets()
            .iter()
            .filter(|t| t.kind == TargetKind::Agent && t.id != from_agent && t.id != "auto")
            .find(|t| colleagues.presence_at(&t.id, now) == Some(Presence::Ready))
            .map(crate::directory::Target::to_sdk)
            .ok_or_else(|| {
                BackendError::Refused(format!("nobody in {} is available now", target.name))
            })
    }

    pub(super) fn start_internal(
        &self,
        conversation: NewConversation,
    ) -> Result<String, BackendError> {
        let id = self.next_id("IM");
        let target = &conversation.target;
        let address = target_address(target);
        let row = InteractionRow {
            id: id.clone(),
            media_type: conversation.media_type.clone(),
            contact_name: target.name.to_string(),
            contact_address: address,
            our_address: format!("agent:{}", conversation.agent),
            state: crate::store::InteractionState::Accepted,
            agent_id: Some(conversation.agent.clone()),
            created: self.inner.clock.now(),
            done: false,
            case_data: conversation.case_data,
        };
        self.store_internal(&row, conversation.consulting.as_deref(), None, None)?;
        Ok(id)
    }

    /// Stores a new internal conversation, with its first message when a colleague opened it,
    /// and starts tracking it. A consultation is filed under the customer it is about, a plain
    /// IM under the colleague's address.
    fn store_internal(
        &self,
        row: &InteractionRow,
        consulting: Option<&str>,
        first: Option<&NewMessage>,
        colleague: Option<Target>,
    ) -> Result<(), BackendError> {
        let party = match consulting {
            Some(customer) => Party::Consulting {
                interaction: customer.to_owned(),
            },
            None => Party::Address {
                address: row.contact_address.clone(),
                name: row.contact_name.clone(),
            },
        };
        self.inner
            .store
            .open_internal(row, &party, first)
            .map_err(|e| BackendError::Refused(e.to_string()))?;
        lock(&self.inner.internal).sessions.insert(
            row.id.clone(),
            Session {
                colleague,
                connected: false,
                ended: false,
            },
        );
        Ok(())
    }

    pub(super) fn invite_internal(&self, request: InviteRequest) -> Result<(), BackendError> {
        if request.target.kind == "contact" {
            return Err(BackendError::Refused(
                "only agents, queues, skills, groups and routing points can be invited".into(),
            ));
        }
        let conference = request.purpose == switchboard_sdk::purposes::CONFERENCE
            && self.is_chat(&request.interaction);
        if !conference
            && !lock(&self.inner.internal)
                .sessions
                .contains_key(&request.interaction)
        {
            return Err(BackendError::Refused(format!(
                "interaction {} is no internal conversation",
                request.interaction
            )));
        }
        let colleague = self.resolve(&request.target, &request.from_agent)?;
        let now = self.inner.clock.now();
        {
            let mut internal = lock(&self.inner.internal);
            internal.received.push(ReceivedInvitation {
                interaction: request.interaction.clone(),
                colleague: colleague.id.to_string(),
                purpose: request.purpose.clone(),
                first_message: request.first_message.clone(),
                case_data: request.case_data.clone(),
            });
            if request.purpose == switchboard_sdk::purposes::VOICE_CONSULTATION {
                internal.voice.push(VoiceConsultation {
                    interaction: request.interaction.clone(),
                    from_agent: request.from_agent.clone(),
                    colleague: colleague.id.to_string(),
                    requested: now,
                    outcome: None,
                });
            }
        }
        lock(&self.inner.colleagues).invite(
            &request.interaction,
            &request.purpose,
            colleague,
            now,
            request.timeout_seconds.max(1),
        );
        Ok(())
    }

    /// A colleague answered an invitation in an internal conversation (or a chat conference).
    pub(super) fn internal_answered(&self, answer: &super::colleagues::Answer) {
        if answer.purpose == switchboard_sdk::purposes::CONFERENCE {
            if answer.outcome == InvitationOutcome::Accepted {
                self.chat_colleague_joined(&answer.interaction, &answer.target);
            }
            return;
        }
        let now = self.inner.clock.now();
        let scripted = lock(&self.inner.colleagues).is_scripted(&answer.target.id);
        let mut internal = lock(&self.inner.internal);
        if answer.purpose == switchboard_sdk::purposes::VOICE_CONSULTATION {
            if let Some(voice) = internal
                .voice
                .iter_mut()
                .rev()
                .find(|v| v.interaction == answer.interaction)
            {
                voice.outcome = Some(answer.outcome.clone());
            }
            return;
        }
        let Some(session) = internal.sessions.get_mut(&answer.interaction) else {
            return;
        };
        if answer.outcome == InvitationOutcome::Accepted {
            session.colleague = Some(answer.target.clone());
            session.connected = true;
            internal.reply_to_agent(&answer.interaction, scripted, now);
        } else {
            session.ended = true;
        }
    }

    /// The agent sent a message in an internal conversation: it reaches the colleague once
    /// connected, who may answer. False when the interaction is no internal conversation.
    pub(super) fn send_internal(&self, interaction: &str, message_id: i64) -> bool {
        let now = self.inner.clock.now();
        let (known, connected, colleague) = {
            let internal = lock(&self.inner.internal);
            match internal.sessions.get(interaction) {
                Some(s) => (true, s.connected && !s.ended, s.colleague.clone()),
                None => (false, false, None),
            }
        };
        if !known {
            return false;
        }
        let scripted = colleague
            .as_ref()
            .is_some_and(|c| lock(&self.inner.colleagues).is_scripted(&c.id));
        if connected {
            lock(&self.inner.internal).reply_to_agent(interaction, scripted, now);
        }
        let status = if connected {
            DeliveryStatus::Delivered
        } else {
            DeliveryStatus::Sent
        };
        self.report_delivery(message_id, interaction, status);
        true
    }

    /// The agent answered a colleague's IM offer.
    pub(super) fn answer_internal_offer(&self, interaction: &str, accept: bool) {
        if let Some(session) = lock(&self.inner.internal).sessions.get_mut(interaction) {
            session.connected = accept;
            session.ended = !accept;
        }
    }

    pub(super) fn end_internal(&self, interaction: &str) {
        let mut internal = lock(&self.inner.internal);
        internal.lines.retain(|l| l.interaction != interaction);
        if let Some(session) = internal.sessions.get_mut(interaction) {
            session.ended = true;
        }
    }

    /// Stores the colleague lines that fell due and tells the desk.
    pub(super) fn deliver_colleague_lines(&self) {
        let due = lock(&self.inner.internal).take_due(self.inner.clock.now());
        for line in due {
            let colleague = lock(&self.inner.internal)
                .sessions
                .get(&line.interaction)
                .filter(|s| !s.ended)
                .and_then(|s| s.colleague.clone());
            let Some(colleague) = colleague else {
                continue;
            };
            let stored = self.inner.store.insert_message(
                &NewMessage {
                    interaction: line.interaction.clone(),
                    role: Role::OtherAgent,
                    author: colleague.name.to_string(),
                    author_key: colleague.id.to_string(),
                    time: self.inner.clock.now(),
                    body: line.text,
                    status: DeliveryStatus::None,
                    provider_id: None,
                    parts: 1,
                },
                &[],
            );
            match stored {
                Ok(Some(entry)) => {
                    self.chat_relay(&line.interaction, &colleague.name, &entry.text);
                    self.push(BackendEvent::Inbound {
                        interaction: line.interaction,
                        entry,
                    });
                }
                Ok(None) => {}
                Err(e) => tracing::error!("cannot store a colleague's message: {e}"),
            }
        }
    }

    /// When the next colleague line falls due.
    pub(super) fn internal_next_due(&self) -> Option<Timestamp> {
        lock(&self.inner.internal).next_due()
    }
}
