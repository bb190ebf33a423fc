//! What the window reads from the records to draw a panel leaves the window's thread: the
//! History search and a past transcript, a contact's conversations, the contact search of the
//! contact card, the Communication view's list of contacts, and attachments (a thumbnail, or
//! why an image cannot be shown). The `desk-reads` thread reads
//! each lookup once and keeps its answer for the frames that draw it. A frame that asks for a
//! lookup not yet read queues it and is told it is pending; the window is woken when the answer
//! is in. Of searches typed letter by letter, only the newest queued one is read.

use std::{
    any::Any,
    collections::{HashMap, HashSet, VecDeque},
    sync::{Arc, Condvar, Mutex, MutexGuard, mpsc},
    thread::JoinHandle,
};

use super::communication::Conversation;
use crate::{backend::Waker, store::Records};

/// How many contacts the contact card's search lists.
pub const CONTACT_MATCHES: usize = 8;

/// How many past interactions the History panel and the conversation lists show.
pub const HISTORY_LENGTH: usize = 50;

/// How many answers are kept (the oldest read are let go first).
const KEPT_ANSWERS: usize = 64;

/// One read a panel draws from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Lookup {
    /// A contact's past and open interactions matching a query (empty: all, newest first).
    History {
        /// The contact.
        contact: i64,
        /// What the agent typed.
        query: String,
    },
    /// The transcript of an interaction that is not open here.
    Transcript {
        /// The interaction.
        interaction: String,
    },
    /// A contact's conversations matching a query, each with its transcript, as of a revision
    /// of what the desk knows (a new message makes a new revision).
    Conversations {
        /// The contact.
        contact: i64,
        /// What the agent typed.
        query: String,
        /// The caller's revision.
        revision: u64,
    },
    /// Known contacts whose name, phone or e-mail contain a query.
    Contacts {
        /// What the agent typed.
        query: String,
    },
    /// A stored attachment: its thumbnail, or why it cannot be shown.
    Attachment {
        /// The attachment's id.
        id: i64,
    },
    /// The contacts an agent handled, with their unread counts, as of a round (the view asks
    /// a new round to read the list again).
    Assigned {
        /// The agent.
        agent: String,
        /// The caller's round.
        round: u64,
        /// How many "marked read" the records had taken (a new one reads the list again).
        marked_read: u64,
    },
}

impl Lookup {
    /// Whether a newer queued lookup of the same kind makes this one useless: a search the
    /// agent is still typing, or a list read again. Transcripts and attachments are each
    /// wanted.
    fn superseded_by(&self, newer: &Lookup) -> bool {
        !matches!(self, Lookup::Transcript { .. } | Lookup::Attachment { .. })
            && std::mem::discriminant(self) == std::mem::discriminant(newer)
    }

    /// Reads the lookup from the records.
    fn read(&self, records: &dyn Records) -> Answer {
        fn shared<T: Any + Send + Sync>(value: T) -> Arc<dyn Any + Send + Sync> {
            Arc::new(value)
        }
        let read = match self {
            Lookup::History { contact, query } => records
                .search_history(*contact, query, HISTORY_LENGTH)
                .map(shared),
            Lookup::Transcript { interaction } => records.transcript(interaction).map(shared),
            Lookup::Conversations { contact, query, .. } => records
                .search_history(*contact, query, HISTORY_LENGTH)
                .and_then(|items| {
                    items
                        .into_iter()
                        .map(|item| {
                            let transcript = records.transcript(&item.interaction)?;
                            Ok(Conversation { item, transcript })
                        })
                        .collect::<Result<Vec<_>, _>>()
                })
                .map(shared),
            Lookup::Contacts { query } => {
                records.search_contacts(query, CONTACT_MATCHES).map(shared)
            }
            Lookup::Attachment { id } => records.attachment(*id).map(shared),
            Lookup::Assigned { agent, .. } => records
                .assigned_contacts(agent, super::ASSIGNED_LIST_LENGTH)
                .map(shared),
        };
        read.map_err(|e| e.to_string())
    }
}

/// What a panel gets when it asks for a lookup.
#[derive(Debug)]
pub enum Looked<T> {
    /// Being read; the window is woken when it is in.
    Pending,
    /// Read.
    Ready(Arc<T>),
    /// The records could not be read (the reason in words).
    Failed(String),
}

impl<T> Looked<T> {
    /// The answer, if it is in and was read.
    pub fn ready(self) -> Option<Arc<T>> {
        match self {
            Looked::Ready(value) => Some(value),
            _ => None,
        }
    }
}

type Answer = Result<Arc<dyn Any + Send + Sync>, String>;

/// The lookups asked for: queued, or read and kept.
#[derive(Default)]
struct Shelf {
    queued: HashSet<Lookup>,
    answers: HashMap<Lookup, Answer>,
    /// Answers in the order they came in, to let the oldest go.
    order: VecDeque<Lookup>,
}

impl Shelf {
    fn put(&mut self, lookup: Lookup, answer: Answer) {
        self.queued.remove(&lookup);
        if self.answers.insert(lookup.clone(), answer).is_none() {
            self.order.push_back(lookup);
        }
        while self.order.len() > KEPT_ANSWERS {
            if let Some(oldest) = self.order.pop_front() {
                self.answers.remove(&oldest);
            }
        }
    }
}

/// The `desk-reads` thread and the answers it keeps.
pub struct Lookups {
    shelf: Arc<(Mutex<Shelf>, Condvar)>,
    queue: Option<mpsc::Sender<Lookup>>,
    waker: Arc<Mutex<Option<Waker>>>,
    worker: Option<JoinHandle<()>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

impl Lookups {
    /// Starts the thread over `records`.
    pub fn start(records: Arc<dyn Records>) -> Self {
        let shelf: Arc<(Mutex<Shelf>, Condvar)> = Arc::default();
        let waker: Arc<Mutex<Option<Waker>>> = Arc::default();
        let (queue, asked) = mpsc::channel::<Lookup>();
        let (kept, wake) = (shelf.clone(), waker.clone());
        let worker = std::thread::Builder::new()
            .name("desk-reads".into())
            .spawn(move || {
                while let Ok(first) = asked.recv() {
                    let batch: Vec<Lookup> =
                        std::iter::once(first).chain(asked.try_iter()).collect();
                    for lookup in newest_of_each(&kept, batch) {
                        let answer = lookup.read(records.as_ref());
                        let (shelf, idle) = &*kept;
                        let mut shelf = lock(shelf);
                        shelf.put(lookup, answer);
                        if shelf.queued.is_empty() {
                            idle.notify_all();
                        }
                        drop(shelf);
                        if let Some(wake) = lock(&wake).as_ref() {
                            wake();
                        }
                    }
                }
            })
            .ok();
        Self {
            shelf,
            queue: Some(queue),
            waker,
            worker,
        }
    }

    /// Wakes the window when an answer is in.
    pub fn set_waker(&self, waker: Waker) {
        *lock(&self.waker) = Some(waker);
    }

    /// The answer to `lookup` if it was read; else queues it (once) and says it is pending.
    pub fn get<T: Any + Send + Sync>(&self, lookup: Lookup) -> Looked<T> {
        let mut shelf = lock(&self.shelf.0);
        match shelf.answers.get(&lookup) {
            Some(Ok(answer)) => {
                return match answer.clone().downcast::<T>() {
                    Ok(value) => Looked::Ready(value),
                    Err(_) => Looked::Failed(format!("{lookup:?} was read as another type")),
                };
            }
            Some(Err(reason)) => return Looked::Failed(reason.clone()),
            None => {}
        }
        if shelf.queued.contains(&lookup) {
            return Looked::Pending;
        }
        let sent = self
            .queue
            .as_ref()
            .is_some_and(|queue| queue.send(lookup.clone()).is_ok());
        if !sent {
            return Looked::Failed("the desk-reads thread is gone".into());
        }
        shelf.queued.insert(lookup);
        Looked::Pending
    }

    /// Waits until every queued lookup is read (tests and settling use it).
    pub fn wait_idle(&self) {
        let (shelf, idle) = &*self.shelf;
        let mut shelf = lock(shelf);
        while !shelf.queued.is_empty() && self.worker.is_some() {
            shelf = idle.wait(shelf).unwrap_or_else(|p| p.into_inner());
        }
    }
}

/// Of a batch of queued lookups, those to read, newest first: a lookup a newer one of its kind
/// supersedes is dropped from the queue (a frame that still draws it asks again).
fn newest_of_each(kept: &(Mutex<Shelf>, Condvar), batch: Vec<Lookup>) -> Vec<Lookup> {
    let mut chosen: Vec<Lookup> = Vec::new();
    let mut dropped = Vec::new();
    for lookup in batch.into_iter().rev() {
        if chosen.iter().any(|newer| lookup.superseded_by(newer)) {
            dropped.push(lookup);
        } else {
            chosen.push(lookup);
        }
    }
    if !dropped.is_empty() {
        let (shelf, idle) = kept;
        let mut shelf = lock(shelf);
        for lookup in &dropped {
            shelf.queued.remove(lookup);
        }
        if shelf.queued.is_empty() {
            idle.notify_all();
        }
    }
    chosen
}

impl Drop for Lookups {
    fn drop(&mut self) {
        self.queue.take();
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn history(query: &str) -> Lookup {
        Lookup::History {
            contact: 1,
            query: query.into(),
        }
    }

    #[test]
    fn of_a_search_typed_letter_by_letter_only_the_newest_is_read() {
        let kept: (Mutex<Shelf>, Condvar) = Default::default();
        for query in ["c", "ca", "cam"] {
            lock(&kept.0).queued.insert(history(query));
        }
        let transcripts = [
            Lookup::Transcript {
                interaction: "a".into(),
            },
            Lookup::Transcript {
                interaction: "b".into(),
            },
        ];
        let mut batch = vec![history("c"), history("ca")];
        batch.extend(transcripts.iter().cloned());
        batch.push(history("cam"));
        let chosen = newest_of_each(&kept, batch);
        assert_eq!(
            chosen,
            [
                history("cam"),
                transcripts[1].clone(),
                transcripts[0].clone()
            ]
        );
        let shelf = lock(&kept.0);
        assert!(!shelf.queued.contains(&history("c")), "asked again");
        assert!(shelf.queued.contains(&history("cam")));
    }

    #[test]
    fn the_oldest_answers_are_let_go() {
        let mut shelf = Shelf::default();
        for n in 0..KEPT_ANSWERS + 3 {
            shelf.put(history(&n.to_string()), Err("unread".into()));
        }
        assert_eq!(shelf.answers.len(), KEPT_ANSWERS);
        assert!(!shelf.answers.contains_key(&history("0")));
        assert!(
            shelf
                .answers
                .contains_key(&history(&(KEPT_ANSWERS + 2).to_string()))
        );
    }
}
