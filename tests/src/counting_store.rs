//! A store that counts the calls made to it, by method (and by the thread that made them), and
//! passes each to a real store: tests use it to show which desk paths touch the store at all
//! (none per keystroke, none per inbound message) and on which thread.

use std::{
    collections::BTreeMap,
    sync::{Arc, Mutex},
};

use switchboard_core::store::{
    AgentRecords, AssignedContact, Callback, Contact, ContactRecords, HistoryItem, HistoryRecords,
    InteractionRecords, InteractionRow, InteractionState, NewAttachment, NewMessage, Records,
    StoreError, StoredAttachment, WrapUpRecords,
};
use switchboard_sdk::{DeliveryStatus, KeyValue, Timestamp, TranscriptEntry};

/// Counts every call by method name, then asks the inner store.
pub struct CountingStore {
    inner: Arc<dyn Records>,
    calls: Mutex<BTreeMap<&'static str, usize>>,
    by_thread: Mutex<BTreeMap<(String, &'static str), usize>>,
    /// Refuses notes and dispositions, as a full disk would.
    refuse_wrap_up: std::sync::atomic::AtomicBool,
    /// Refuses the agent's messages (stored under reserved ids), as a full disk would.
    refuse_replies: std::sync::atomic::AtomicBool,
    /// A method whose calls wait while the test holds [`CountingStore::hold`]'s guard, as a
    /// slow disk or network would make them.
    held_method: Mutex<Option<&'static str>>,
    gate: Mutex<()>,
    /// Whether a call reached the held method (and waits), with its signal.
    reached: (Mutex<bool>, std::sync::Condvar),
}

/// Calls to a method wait while this lives (see [`CountingStore::hold`]).
pub struct Held<'a> {
    store: &'a CountingStore,
    _gate: std::sync::MutexGuard<'a, ()>,
}

impl Held<'_> {
    /// Waits until a call reached the held method and waits there.
    pub fn wait_reached(&self) {
        let (reached, signal) = &self.store.reached;
        let mut reached = reached.lock().unwrap_or_else(|p| p.into_inner());
        while !*reached {
            reached = signal.wait(reached).unwrap_or_else(|p| p.into_inner());
        }
    }
}

impl CountingStore {
    /// Counts calls to `inner`.
    pub fn new(inner: Arc<dyn Records>) -> Self {
        Self {
            inner,
            calls: Mutex::new(BTreeMap::new()),
            by_thread: Mutex::new(BTreeMap::new()),
            refuse_wrap_up: std::sync::atomic::AtomicBool::new(false),
            refuse_replies: std::sync::atomic::AtomicBool::new(false),
            held_method: Mutex::new(None),
            gate: Mutex::new(()),
            reached: (Mutex::new(false), std::sync::Condvar::new()),
        }
    }

    /// From now on, the agent's messages are refused (or taken again) as a failing disk would.
    pub fn refuse_replies(&self, refuse: bool) {
        self.refuse_replies
            .store(refuse, std::sync::atomic::Ordering::SeqCst);
    }

    /// Calls to `method` wait until the returned guard is dropped.
    pub fn hold(&self, method: &'static str) -> Held<'_> {
        let gate = self.gate.lock().unwrap_or_else(|p| p.into_inner());
        *self.held_method.lock().unwrap_or_else(|p| p.into_inner()) = Some(method);
        *self.reached.0.lock().unwrap_or_else(|p| p.into_inner()) = false;
        Held {
            store: self,
            _gate: gate,
        }
    }

    /// The calls since the last [`CountingStore::take`], by method.
    pub fn take(&self) -> BTreeMap<&'static str, usize> {
        std::mem::take(&mut *self.calls.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// From now on, notes and dispositions are refused (or taken again) as a failing disk would.
    pub fn refuse_wrap_up(&self, refuse: bool) {
        self.refuse_wrap_up
            .store(refuse, std::sync::atomic::Ordering::SeqCst);
    }

    fn wrap_up_refused(&self) -> Result<(), StoreError> {
        if self
            .refuse_wrap_up
            .load(std::sync::atomic::Ordering::SeqCst)
        {
            return Err(StoreError::Database {
                doing: "saving the wrap-up",
                reason: "disk I/O error".into(),
            });
        }
        Ok(())
    }

    /// The calls since the last [`CountingStore::take_by_thread`], by thread name and method
    /// (a thread without a name counts as `unnamed`).
    pub fn take_by_thread(&self) -> CallsByThread {
        std::mem::take(&mut *self.by_thread.lock().unwrap_or_else(|p| p.into_inner()))
    }

    fn count(&self, method: &'static str) -> &dyn Records {
        *self
            .calls
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(method)
            .or_default() += 1;
        let thread = std::thread::current()
            .name()
            .unwrap_or("unnamed")
            .to_owned();
        *self
            .by_thread
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry((thread, method))
            .or_default() += 1;
        let held = *self.held_method.lock().unwrap_or_else(|p| p.into_inner()) == Some(method);
        if held {
            *self.reached.0.lock().unwrap_or_else(|p| p.into_inner()) = true;
            self.reached.1.notify_all();
            drop(self.gate.lock().unwrap_or_else(|p| p.into_inner()));
        }
        self.inner.as_ref()
    }
}

impl InteractionRecords for CountingStore {
    fn record_opening(
        &self,
        interaction: &InteractionRow,
        message: &NewMessage,
        attachments: &[NewAttachment],
    ) -> Result<Option<TranscriptEntry>, StoreError> {
        self.count("record_opening")
            .record_opening(interaction, message, attachments)
    }
    fn interaction(&self, id: &str) -> Result<Option<InteractionRow>, StoreError> {
        self.count("interaction").interaction(id)
    }
    fn case_data(&self, id: &str) -> Result<Vec<KeyValue>, StoreError> {
        self.count("case_data").case_data(id)
    }
    fn set_case_value(&self, interaction: &str, key: &str, value: &str) -> Result<(), StoreError> {
        self.count("set_case_value")
            .set_case_value(interaction, key, value)
    }
    fn transcript(&self, id: &str) -> Result<Vec<TranscriptEntry>, StoreError> {
        self.count("transcript").transcript(id)
    }
    fn insert_message(
        &self,
        message: &NewMessage,
        attachments: &[NewAttachment],
    ) -> Result<Option<TranscriptEntry>, StoreError> {
        self.count("insert_message")
            .insert_message(message, attachments)
    }
    fn reserve_message_ids(&self, agent: &str, count: usize) -> Result<Vec<i64>, StoreError> {
        self.count("reserve_message_ids")
            .reserve_message_ids(agent, count)
    }
    fn insert_reserved_message(
        &self,
        agent: &str,
        id: i64,
        message: &NewMessage,
    ) -> Result<TranscriptEntry, StoreError> {
        if self
            .refuse_replies
            .load(std::sync::atomic::Ordering::SeqCst)
        {
            return Err(StoreError::Database {
                doing: "storing a message",
                reason: "disk I/O error".into(),
            });
        }
        self.count("insert_reserved_message")
            .insert_reserved_message(agent, id, message)
    }
    fn set_status(&self, message_id: i64, status: &DeliveryStatus) -> Result<(), StoreError> {
        self.count("set_status").set_status(message_id, status)
    }
    fn set_interaction_state(
        &self,
        id: &str,
        state: InteractionState,
        agent: Option<&str>,
    ) -> Result<(), StoreError> {
        self.count("set_interaction_state")
            .set_interaction_state(id, state, agent)
    }
    fn close_interaction(&self, id: &str, done: bool, at: Timestamp) -> Result<(), StoreError> {
        self.count("close_interaction")
            .close_interaction(id, done, at)
    }
    fn held_by(&self, agent: &str) -> Result<Vec<InteractionRow>, StoreError> {
        self.count("held_by").held_by(agent)
    }
    fn consulted(&self, interaction: &str) -> Result<Option<String>, StoreError> {
        self.count("consulted").consulted(interaction)
    }
    fn attachment(&self, id: i64) -> Result<Option<StoredAttachment>, StoreError> {
        self.count("attachment").attachment(id)
    }
    fn attachment_bytes(&self, id: i64) -> Result<Option<Vec<u8>>, StoreError> {
        self.count("attachment_bytes").attachment_bytes(id)
    }
}

impl ContactRecords for CountingStore {
    fn contact(&self, id: i64) -> Result<Option<Contact>, StoreError> {
        self.count("contact").contact(id)
    }
    fn contact_of_interaction(&self, id: &str) -> Result<Option<Contact>, StoreError> {
        self.count("contact_of_interaction")
            .contact_of_interaction(id)
    }
    fn search_contacts(&self, query: &str, limit: usize) -> Result<Vec<Contact>, StoreError> {
        self.count("search_contacts").search_contacts(query, limit)
    }
    fn update_contact(&self, contact: &Contact) -> Result<(), StoreError> {
        self.count("update_contact").update_contact(contact)
    }
    fn assign_contact(&self, interaction: &str, contact_id: i64) -> Result<(), StoreError> {
        self.count("assign_contact")
            .assign_contact(interaction, contact_id)
    }
    fn other_interactions(
        &self,
        contact_id: i64,
        exclude: &str,
        since: Timestamp,
    ) -> Result<usize, StoreError> {
        self.count("other_interactions")
            .other_interactions(contact_id, exclude, since)
    }
    fn assigned_contacts(
        &self,
        agent: &str,
        limit: usize,
    ) -> Result<Vec<AssignedContact>, StoreError> {
        self.count("assigned_contacts")
            .assigned_contacts(agent, limit)
    }
    fn chat_address_of(&self, contact_id: i64) -> Result<Option<String>, StoreError> {
        self.count("chat_address_of").chat_address_of(contact_id)
    }
    fn mark_contact_read(
        &self,
        agent: &str,
        contact_id: i64,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.count("mark_contact_read")
            .mark_contact_read(agent, contact_id, now)
    }
}

impl WrapUpRecords for CountingStore {
    fn set_note(&self, id: &str, body: &str, now: Timestamp) -> Result<(), StoreError> {
        self.wrap_up_refused()?;
        self.count("set_note").set_note(id, body, now)
    }
    fn note(&self, id: &str) -> Result<Option<String>, StoreError> {
        self.count("note").note(id)
    }
    fn set_disposition(&self, id: &str, code: &str, now: Timestamp) -> Result<(), StoreError> {
        self.wrap_up_refused()?;
        self.count("set_disposition").set_disposition(id, code, now)
    }
    fn disposition(&self, id: &str) -> Result<Option<String>, StoreError> {
        self.count("disposition").disposition(id)
    }
    fn schedule_callback(&self, callback: &Callback, now: Timestamp) -> Result<i64, StoreError> {
        self.count("schedule_callback")
            .schedule_callback(callback, now)
    }
    fn callbacks_of(&self, agent: &str) -> Result<Vec<Callback>, StoreError> {
        self.count("callbacks_of").callbacks_of(agent)
    }
    fn take_due_callbacks(&self, agent: &str, now: Timestamp) -> Result<Vec<Callback>, StoreError> {
        self.count("take_due_callbacks")
            .take_due_callbacks(agent, now)
    }
}

impl HistoryRecords for CountingStore {
    fn history(&self, contact_id: i64, limit: usize) -> Result<Vec<HistoryItem>, StoreError> {
        self.count("history").history(contact_id, limit)
    }
    fn search_history(
        &self,
        contact_id: i64,
        query: &str,
        limit: usize,
    ) -> Result<Vec<HistoryItem>, StoreError> {
        self.count("search_history")
            .search_history(contact_id, query, limit)
    }
}

impl AgentRecords for CountingStore {
    fn toggle_favourite(&self, agent: &str, kind: &str, id: &str) -> Result<bool, StoreError> {
        self.count("toggle_favourite")
            .toggle_favourite(agent, kind, id)
    }
    fn favourites(&self, agent: &str) -> Result<Vec<(String, String)>, StoreError> {
        self.count("favourites").favourites(agent)
    }
    fn record_recent(
        &self,
        agent: &str,
        kind: &str,
        id: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.count("record_recent")
            .record_recent(agent, kind, id, now)
    }
    fn recents(&self, agent: &str, limit: usize) -> Result<Vec<(String, String)>, StoreError> {
        self.count("recents").recents(agent, limit)
    }
    fn add_personal_word(&self, agent: &str, language: &str, word: &str) -> Result<(), StoreError> {
        self.count("add_personal_word")
            .add_personal_word(agent, language, word)
    }
    fn personal_words(
        &self,
        agent: &str,
    ) -> Result<Vec<switchboard_seam::records::PersonalWord>, StoreError> {
        self.count("personal_words").personal_words(agent)
    }
    fn record_pushed_url(&self, agent: &str, url: &str, now: Timestamp) -> Result<(), StoreError> {
        self.count("record_pushed_url")
            .record_pushed_url(agent, url, now)
    }
    fn pushed_urls(&self, agent: &str, limit: usize) -> Result<Vec<String>, StoreError> {
        self.count("pushed_urls").pushed_urls(agent, limit)
    }
}

/// Store calls by thread and method, as [`CountingStore::take_by_thread`] gives them.
pub type CallsByThread = BTreeMap<(String, &'static str), usize>;

/// Asserts no store call was made on the calling thread: the test's own, where the desk runs
/// as on the window's in the app.
pub fn assert_none_on_the_window_thread(calls: &CallsByThread) {
    let window = std::thread::current()
        .name()
        .unwrap_or("unnamed")
        .to_owned();
    let on_window: Vec<&'static str> = calls
        .keys()
        .filter(|(thread, _)| *thread == window)
        .map(|(_, method)| *method)
        .collect();
    assert_eq!(
        on_window,
        Vec::<&str>::new(),
        "store calls on the window's thread: {calls:?}"
    );
}
