//! What the agent causes that needs the records or the platform leaves the window's thread.
//! The `desk-requests` thread answers offers (and reads what an accepted one opens with);
//! stores and hands over the messages the agent sent, and stores plugins' system lines, each
//! shown already under an id the records set aside; commits the agent's own record edits (a
//! note, a disposition, a contact, a contact's conversations marked read); and closes the
//! interactions the agent marked done. It does
//! them one after the other in the order the agent made them, so an interaction closes only
//! once what was queued before for it is saved. The desk hears each outcome at its next pump
//! (the window is woken). Meanwhile it shows what the agent did as pending; a refusal brings
//! the value back with the reason. Dropping the worker finishes what is queued, so nothing the
//! agent saved is lost at sign-out or exit.

use std::{
    sync::{Arc, Mutex, mpsc},
    thread::JoinHandle,
};

use switchboard_sdk::Timestamp;

use super::{Offer, opening::Opening};
use crate::{
    backend::{Backend, BackendError, Waker},
    plugin_host::{Handover, MessageJob, PlatformCall},
    store::{Contact, Records},
};

/// One record edit the agent made.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// The note of an interaction, and what it was before.
    Note {
        /// The interaction.
        interaction: String,
        /// The new text.
        text: String,
        /// The text before, shown again if the store refuses.
        previous: String,
        /// When.
        at: Timestamp,
    },
    /// The disposition of an interaction, and what it was before.
    Disposition {
        /// The interaction.
        interaction: String,
        /// The code chosen.
        code: String,
        /// The code before.
        previous: Option<String>,
        /// When.
        at: Timestamp,
    },
    /// The contact record of an interaction, as the agent edited (or created) it.
    Contact {
        /// The interaction it was edited from.
        interaction: String,
        /// The record.
        contact: Contact,
    },
}

impl Edit {
    /// What the agent is told when the records refuse the edit.
    pub fn refusal(&self, reason: &str) -> String {
        match self {
            Edit::Note { .. } => format!("The note was not saved: {reason}"),
            Edit::Disposition { .. } => format!("The disposition was not saved: {reason}"),
            Edit::Contact { .. } => format!("The contact was not saved: {reason}"),
        }
    }

    /// The interaction the edit was made in.
    pub fn interaction(&self) -> &str {
        match self {
            Edit::Note { interaction, .. }
            | Edit::Disposition { interaction, .. }
            | Edit::Contact { interaction, .. } => interaction,
        }
    }
}

/// The agent's answer to an offer.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The agent answering.
    pub agent: String,
    /// The offer as the desk showed it.
    pub offer: Offer,
    /// Accept (the interaction opens) or reject.
    pub accept: bool,
    /// Whether the interaction is selected when it opens (the agent accepted it).
    pub select: bool,
    /// From when other interactions with the contact count as recent.
    pub recent_since: Timestamp,
}

/// Why an answer did not open the interaction.
#[derive(Debug, Clone)]
pub enum AnswerFailure {
    /// The platform refused the answer or could not be asked.
    Platform(BackendError),
    /// The platform gave the interaction to the agent, but the records could not be read.
    Unreadable(String),
}

/// Something for the worker to do.
#[derive(Debug, Clone)]
pub enum Request {
    /// Commit a record edit.
    Edit(Edit),
    /// Answer an offer.
    Answer(Box<Answer>),
    /// Store a message shown under a reserved id, then hand a reply to the platform.
    Send(Box<MessageJob>),
    /// Close an interaction the agent marked done, unless something queued for it since the
    /// desk last heard an outcome was refused.
    Close {
        /// The interaction.
        interaction: String,
        /// How many outcomes the desk had taken when the agent marked it done: refusals
        /// after that keep the interaction open (those before it, the agent has seen).
        seen: u64,
    },
    /// The agent looked at a contact's conversations: their unread messages count as read.
    MarkRead {
        /// The agent.
        agent: String,
        /// The contact.
        contact: i64,
        /// When.
        at: Timestamp,
    },
    /// An administrator's account action.
    Administer(crate::backend::AccountAction),
    /// Ask the platform (a transfer, an invitation, typing, an end or a continuation).
    Platform(PlatformCall),
    /// Set message ids aside for the agent's next sends.
    ReserveIds {
        /// The agent.
        agent: String,
        /// How many.
        count: usize,
    },
}

/// Why a sent message did not reach the platform.
#[derive(Debug, Clone, PartialEq)]
pub enum SendFailure {
    /// The records did not store it (nothing was sent).
    NotStored(String),
    /// Stored, but the platform did not take it (it is marked failed).
    NotHanded(String),
}

impl std::fmt::Display for SendFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SendFailure::NotStored(reason) => write!(f, "not saved: {reason}"),
            SendFailure::NotHanded(reason) => f.write_str(reason),
        }
    }
}

/// What came of a request.
#[derive(Debug)]
pub enum Outcome {
    /// An edit, and whether the store took it.
    Written {
        /// The edit.
        edit: Edit,
        /// Done, or why not.
        result: Result<(), String>,
    },
    /// An answer, and what an accepted interaction opens with.
    Answered {
        /// The answer.
        answer: Box<Answer>,
        /// The opening (for an accept; `None` for a reject), or why not.
        result: Result<Option<Opening>, AnswerFailure>,
    },
    /// A sent message, stored and handed to the platform, or why not.
    Sent {
        /// The send.
        job: Box<MessageJob>,
        /// Done, or why not.
        result: Result<(), SendFailure>,
    },
    /// An interaction closed, or why it stays open.
    Closed {
        /// The interaction.
        interaction: String,
        /// Done, or why not.
        result: Result<(), CloseRefusal>,
    },
    /// Message ids set aside, or why not.
    Reserved(Result<Vec<i64>, String>),
    /// A contact's conversations marked read, or why not.
    MarkedRead(Result<(), String>),
    /// An account action's answer, or why not.
    Administered(Result<crate::backend::AccountAnswer, String>),
    /// A platform call, taken or refused.
    Called {
        /// The call.
        call: PlatformCall,
        /// Done, or the platform's refusal in words.
        result: Result<(), String>,
    },
}

impl Outcome {
    /// The interaction and the refusal in words, when the request was refused.
    pub fn refusal(&self) -> Option<(&str, String)> {
        match self {
            Outcome::Written {
                edit,
                result: Err(reason),
            } => Some((edit.interaction(), edit.refusal(reason))),
            Outcome::Sent {
                job,
                result: Err(failure),
            } => Some((job.message.interaction.as_str(), send_refusal(job, failure))),
            Outcome::Closed {
                interaction,
                result: Err(refusal),
            } => Some((interaction.as_str(), refusal.to_string())),
            _ => None,
        }
    }
}

/// A failed message in words: a reply not sent, or a plugin's system line not saved.
pub(super) fn send_refusal(job: &MessageJob, failure: &SendFailure) -> String {
    match job.handover {
        Some(_) => format!("A reply was not sent: {failure}"),
        None => format!("A line of the transcript was not saved: {failure}"),
    }
}

/// Why an interaction marked done stays open.
#[derive(Debug, Clone, PartialEq)]
pub enum CloseRefusal {
    /// Something queued for it before was not saved (the refusal in words).
    NotSaved(String),
    /// The platform could not be told.
    Platform(String),
}

impl std::fmt::Display for CloseRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CloseRefusal::NotSaved(refusal) => f.write_str(refusal),
            CloseRefusal::Platform(reason) => write!(f, "Not closed: {reason}"),
        }
    }
}

/// The thread that carries out the agent's requests.
pub struct RequestWorker {
    requests: Option<mpsc::Sender<Request>>,
    outcomes: mpsc::Receiver<Outcome>,
    in_flight: usize,
    taken: u64,
    waker: Arc<Mutex<Option<Waker>>>,
    worker: Option<JoinHandle<()>>,
}

impl RequestWorker {
    /// Starts the thread over `records` and `backend`.
    pub fn start(records: Arc<dyn Records>, backend: Arc<dyn Backend>) -> Self {
        let (requests, queue) = mpsc::channel::<Request>();
        let (done, outcomes) = mpsc::channel();
        let waker: Arc<Mutex<Option<Waker>>> = Arc::default();
        let wake = waker.clone();
        let worker = std::thread::Builder::new()
            .name("desk-requests".into())
            .spawn(move || {
                let mut refusals = Refusals::default();
                for request in queue {
                    let outcome = carry_out(records.as_ref(), backend.as_ref(), &refusals, request);
                    refusals.note(&outcome);
                    if done.send(outcome).is_err() {
                        return;
                    }
                    if let Some(wake) = wake.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
                        wake();
                    }
                }
            })
            .ok();
        Self {
            requests: Some(requests),
            outcomes,
            in_flight: 0,
            taken: 0,
            waker,
            worker,
        }
    }

    /// Wakes the window when an outcome is ready.
    pub fn set_waker(&self, waker: Waker) {
        *self.waker.lock().unwrap_or_else(|p| p.into_inner()) = Some(waker);
    }

    /// Queues closing an interaction after everything queued before it.
    pub fn submit_close(&mut self, interaction: &str) {
        self.submit(Request::Close {
            interaction: interaction.to_owned(),
            seen: self.taken,
        });
    }

    /// Queues a request; its outcome comes from [`RequestWorker::take_outcomes`].
    pub fn submit(&mut self, request: Request) {
        let queued = self
            .requests
            .as_ref()
            .is_some_and(|queue| queue.send(request).is_ok());
        if queued {
            self.in_flight += 1;
        } else {
            tracing::error!("the desk-requests thread is gone; a request was not queued");
        }
    }

    /// The outcomes that arrived, without waiting.
    pub fn take_outcomes(&mut self) -> Vec<Outcome> {
        let outcomes: Vec<Outcome> = self.outcomes.try_iter().collect();
        self.in_flight -= outcomes.len().min(self.in_flight);
        self.taken += outcomes.len() as u64;
        outcomes
    }

    /// Waits until every queued request is carried out and returns the outcomes.
    pub fn wait_outcomes(&mut self) -> Vec<Outcome> {
        let mut outcomes = Vec::new();
        while self.in_flight > 0 {
            match self.outcomes.recv() {
                Ok(outcome) => {
                    outcomes.push(outcome);
                    self.in_flight -= 1;
                    self.taken += 1;
                }
                Err(_) => self.in_flight = 0,
            }
        }
        outcomes
    }

    /// Whether requests are queued or being carried out.
    pub fn is_busy(&self) -> bool {
        self.in_flight > 0
    }
}

impl Drop for RequestWorker {
    fn drop(&mut self) {
        // Closing the queue lets the thread finish what is in it, then end.
        self.requests.take();
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

/// The refusals the worker gave, by interaction, numbered in the order of the outcomes: what
/// a close asks about.
#[derive(Default)]
struct Refusals {
    /// Outcomes given so far.
    given: u64,
    /// Per interaction, the number of its latest refused outcome and the refusal in words.
    latest: std::collections::HashMap<String, (u64, String)>,
}

impl Refusals {
    fn note(&mut self, outcome: &Outcome) {
        if let Some((interaction, refusal)) = outcome.refusal() {
            self.latest
                .insert(interaction.to_owned(), (self.given, refusal));
        }
        if let Outcome::Closed {
            interaction,
            result: Ok(()),
        } = outcome
        {
            self.latest.remove(interaction);
        }
        self.given += 1;
    }

    /// A refusal for `interaction` the desk had not taken when it asked to close it.
    fn unseen(&self, interaction: &str, seen: u64) -> Option<&str> {
        self.latest
            .get(interaction)
            .filter(|(number, _)| *number >= seen)
            .map(|(_, refusal)| refusal.as_str())
    }
}

fn carry_out(
    records: &dyn Records,
    backend: &dyn Backend,
    refusals: &Refusals,
    request: Request,
) -> Outcome {
    match request {
        Request::Edit(edit) => {
            let result = commit(records, &edit).map_err(|e| e.to_string());
            if let Err(e) = &result {
                tracing::error!("an edit in {} was not saved: {e}", edit.interaction());
            }
            Outcome::Written { edit, result }
        }
        Request::Answer(answer) => {
            let result = answer_offer(records, backend, &answer);
            if let Err(e) = &result {
                tracing::warn!("answering the offer of {}: {e:?}", answer.offer.row.id);
            }
            Outcome::Answered { answer, result }
        }
        Request::Send(job) => {
            let result = store_and_hand_over(records, backend, &job);
            if let Err(e) = &result {
                tracing::warn!("message {} in {}: {e}", job.id, job.message.interaction);
            }
            Outcome::Sent { job, result }
        }
        Request::Close { interaction, seen } => {
            let result = match refusals.unseen(&interaction, seen) {
                Some(refusal) => Err(CloseRefusal::NotSaved(refusal.to_owned())),
                // The platform records it closed (the one writer of interaction state).
                None => backend
                    .close(&interaction)
                    .map_err(|e| CloseRefusal::Platform(e.to_string())),
            };
            Outcome::Closed {
                interaction,
                result,
            }
        }
        Request::Administer(action) => {
            Outcome::Administered(backend.administer(action).map_err(|e| e.to_string()))
        }
        Request::MarkRead { agent, contact, at } => Outcome::MarkedRead(
            records
                .mark_contact_read(&agent, contact, at)
                .map_err(|e| e.to_string()),
        ),
        Request::Platform(call) => {
            let result = call.run(backend).map_err(|e| e.to_string());
            if let Err(e) = &result {
                tracing::warn!("the platform refused {call:?}: {e}");
            }
            Outcome::Called { call, result }
        }
        Request::ReserveIds { agent, count } => Outcome::Reserved(
            records
                .reserve_message_ids(&agent, count)
                .map_err(|e| e.to_string()),
        ),
    }
}

/// Stores a message under its reserved id, then hands a reply to the platform; one the
/// platform refuses is marked failed with its reason.
fn store_and_hand_over(
    records: &dyn Records,
    backend: &dyn Backend,
    job: &MessageJob,
) -> Result<(), SendFailure> {
    let id = job.id;
    records
        .insert_reserved_message(&job.agent, id, &job.message)
        .map_err(|e| SendFailure::NotStored(e.to_string()))?;
    let Some(handover) = &job.handover else {
        return Ok(());
    };
    let handed = match handover {
        Handover::Reply(message) => backend.send(message.clone()),
        Handover::Link { message, list } => {
            if let Some(list) = list
                && let Err(e) = records.record_pushed_url(list, &message.text, job.message.time)
            {
                tracing::warn!("cannot remember a pushed link: {e}");
            }
            backend.push_url(message.clone())
        }
    };
    handed.map_err(|e| {
        let status = switchboard_sdk::DeliveryStatus::Failed {
            reason: e.to_string().into(),
        };
        if let Err(store_error) = records.set_status(id, &status) {
            tracing::error!("cannot record a failed send: {store_error}");
        }
        SendFailure::NotHanded(e.to_string())
    })
}

fn answer_offer(
    records: &dyn Records,
    backend: &dyn Backend,
    answer: &Answer,
) -> Result<Option<Opening>, AnswerFailure> {
    if let Err(error) = backend.answer_offer(&answer.agent, &answer.offer.offer_id, answer.accept) {
        // An accept asked again after its reply was lost (a time-out) is refused as an
        // unknown offer although the interaction is the agent's: it opens all the same.
        if !(answer.accept && already_ours(records, answer)) {
            return Err(AnswerFailure::Platform(error));
        }
    }
    if !answer.accept {
        return Ok(None);
    }
    let read = || {
        Opening::read(
            records,
            &answer.offer.row.id,
            &answer.agent,
            answer.recent_since,
        )
    };
    // Accepted, the interaction is the agent's: a read the records could not answer at once
    // (a busy gateway) is asked once more before it waits for the next sign-in.
    read()
        .or_else(|e| {
            tracing::warn!(
                "reading what {} opens with: {e}; asking again",
                answer.offer.row.id
            );
            read()
        })
        .map(Some)
        .map_err(|e| AnswerFailure::Unreadable(e.to_string()))
}

/// Whether the records say the offered interaction is accepted by the agent answering.
fn already_ours(records: &dyn Records, answer: &Answer) -> bool {
    records
        .interaction(&answer.offer.row.id)
        .ok()
        .flatten()
        .is_some_and(|row| {
            row.state == crate::store::InteractionState::Accepted
                && row.agent_id.as_deref() == Some(answer.agent.as_str())
        })
}

fn commit(records: &dyn Records, edit: &Edit) -> Result<(), crate::store::StoreError> {
    match edit {
        Edit::Note {
            interaction,
            text,
            at,
            ..
        } => records.set_note(interaction, text, *at),
        Edit::Disposition {
            interaction,
            code,
            at,
            ..
        } => records.set_disposition(interaction, code, *at),
        Edit::Contact { contact, .. } => records.update_contact(contact),
    }
}
