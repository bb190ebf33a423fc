//! The host object each plugin receives: shared services, checked against the plugin's
//! manifest before anything is done.

use std::{
    collections::{BTreeMap, HashMap, HashSet},
    sync::{Arc, Mutex, MutexGuard},
};

use switchboard_sdk::{
    ContactCard, DeliveryStatus, HistoryEntry, Host, HostError, HostErrorKind, KeyValue, LogLevel,
    Manifest, Misspelling, Notification, NumberInfo, Outbound, ResponseText, Role, SystemLine,
    Target, Timestamp, TranscriptEntry,
    abi_stable::std_types::{RResult, RStr, RString, RVec},
    services,
};

use crate::{
    backend::{Backend, OutboundMessage},
    clock::Clock,
    config::DispositionCategory,
    store::{NewMessage, Records, StoreError},
};
use switchboard_seam::records::LineRef;

pub(super) fn storage(error: StoreError) -> HostError {
    HostError::new(HostErrorKind::Storage, error.to_string())
}

/// Who is signed in, as the host services need it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AgentContext {
    /// Sign-in id.
    pub id: String,
    /// Name contacts see.
    pub display_name: String,
    /// The role's timers.
    pub timers: crate::config::RoleTimers,
}

/// A timer key: plugin, interaction, timer name.
pub type TimerKey = (String, String, String);

/// State shared by every plugin's host object and the desk.
pub struct HostServices {
    /// The store.
    pub store: Arc<dyn Records>,
    /// The host clock.
    pub clock: Arc<dyn Clock>,
    /// The platform seam.
    pub backend: Arc<dyn Backend>,
    agent: Mutex<AgentContext>,
    timers: Mutex<BTreeMap<TimerKey, Timestamp>>,
    notifications: Mutex<Vec<(String, Notification)>>,
    appended: Mutex<Vec<TranscriptEntry>>,
    dispositions: Mutex<Vec<DispositionCategory>>,
    touched: Mutex<HashSet<String>>,
    tools: std::sync::OnceLock<super::SharedTools>,
    /// What the desk has open, so plugin calls about those interactions (ownership checks,
    /// the disposition badge a view shows) are answered from memory, not the store.
    open: Mutex<HashMap<String, OpenFacts>>,
    /// Callbacks plugins scheduled since the desk last looked.
    scheduled: Mutex<Vec<crate::store::Callback>>,
    /// The language the agent reads the shell in (`en`, `fr`).
    language: Mutex<String>,
    /// The Team Communicator's directory (the platform may give it after the start).
    directory: Mutex<Arc<crate::directory::Directory>>,
    /// Message ids the records set aside for this agent's sends, lowest first.
    message_ids: Mutex<std::collections::VecDeque<i64>>,
    /// Sends and system lines made since the desk last looked, shown already, to store (and
    /// hand over).
    sends: Mutex<Vec<MessageJob>>,
    /// Platform calls plugins made since the desk last looked, to carry out in order.
    platform_calls: Mutex<Vec<super::PlatformCall>>,
}

/// A message shown already under an id the records set aside for the agent: the desk's
/// requests thread stores it, then, for a reply, hands it to the platform.
#[derive(Debug, Clone)]
pub struct MessageJob {
    /// The agent it was reserved for.
    pub agent: String,
    /// The reserved id it is shown and stored under.
    pub id: i64,
    /// The message as stored.
    pub message: crate::store::NewMessage,
    /// How it leaves once stored (`None`: a system line, only stored).
    pub handover: Option<Handover>,
}

/// How a stored message leaves.
#[derive(Debug, Clone)]
pub enum Handover {
    /// A reply, sent by the platform.
    Reply(OutboundMessage),
    /// A link pushed to the contact's page, remembered first on the agent's list for that
    /// contact (`list`), when there is one.
    Link {
        /// The link as the platform pushes it (its text is the address).
        message: OutboundMessage,
        /// The agent's list of links for this contact.
        list: Option<String>,
    },
}

impl Handover {
    /// The message as the platform takes it.
    pub fn message(&self) -> &OutboundMessage {
        match self {
            Handover::Reply(message) | Handover::Link { message, .. } => message,
        }
    }
}

/// What the host knows of an interaction open on the desk.
#[derive(Debug, Clone)]
pub struct OpenFacts {
    /// Its row.
    pub row: crate::store::InteractionRow,
    /// Its case data.
    pub case_data: Vec<KeyValue>,
    /// The disposition chosen.
    pub disposition: Option<String>,
    /// The language drafts are spell-checked in, as the desk underlines them (kept current
    /// at each change of the draft).
    pub language: String,
    /// The first message the agent sent in it (what an invitation shows the colleague).
    pub first_reply: Option<String>,
    /// Its contact, as the desk opened it (the contact card and the history read it from
    /// here: no round trip on a cluster).
    pub contact: Option<crate::store::Contact>,
    /// The contact's history as it opened with, when read with it (a history list before any
    /// search is answered from it).
    pub history: Option<Vec<crate::store::HistoryItem>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

impl HostServices {
    /// Services over a store, a clock and a backend.
    pub fn new(
        store: Arc<dyn Records>,
        clock: Arc<dyn Clock>,
        backend: Arc<dyn Backend>,
    ) -> Arc<Self> {
        Arc::new(Self {
            store,
            clock,
            backend,
            agent: Mutex::new(AgentContext::default()),
            timers: Mutex::new(BTreeMap::new()),
            notifications: Mutex::new(Vec::new()),
            appended: Mutex::new(Vec::new()),
            dispositions: Mutex::new(Vec::new()),
            touched: Mutex::new(HashSet::new()),
            tools: std::sync::OnceLock::new(),
            open: Mutex::new(HashMap::new()),
            scheduled: Mutex::new(Vec::new()),
            language: Mutex::new(switchboard_sdk::i18n::ENGLISH.to_owned()),
            directory: Mutex::new(Arc::new(crate::directory::Directory::from_entries(
                Vec::new(),
            ))),
            message_ids: Mutex::new(std::collections::VecDeque::new()),
            sends: Mutex::new(Vec::new()),
            platform_calls: Mutex::new(Vec::new()),
        })
    }

    /// Adds message ids the records set aside for the signed-in agent.
    pub fn add_message_ids(&self, ids: Vec<i64>) {
        lock(&self.message_ids).extend(ids);
    }

    /// How many reserved message ids are left.
    pub fn spare_message_ids(&self) -> usize {
        lock(&self.message_ids).len()
    }

    /// Forgets the reserved ids (the agent signed out: they were theirs).
    pub fn clear_message_ids(&self) {
        lock(&self.message_ids).clear();
    }

    pub(super) fn next_message_id(&self) -> Option<i64> {
        lock(&self.message_ids).pop_front()
    }

    /// What an invitation into an open interaction shows the colleague: the first message the
    /// agent sent in it and its case data, from memory.
    pub(super) fn open_first_reply_and_case_data(
        &self,
        interaction: &str,
    ) -> Option<(String, Vec<KeyValue>)> {
        lock(&self.open).get(interaction).map(|facts| {
            (
                facts.first_reply.clone().unwrap_or_default(),
                facts.case_data.clone(),
            )
        })
    }

    /// The sends made since the last call, to store and hand over.
    pub fn take_sends(&self) -> Vec<MessageJob> {
        std::mem::take(&mut *lock(&self.sends))
    }

    /// Queues a platform call a plugin made, for the desk to carry out.
    pub(super) fn queue_platform_call(&self, call: super::PlatformCall) {
        lock(&self.platform_calls).push(call);
    }

    /// The platform calls made since the last call, in order.
    pub fn take_platform_calls(&self) -> Vec<super::PlatformCall> {
        std::mem::take(&mut *lock(&self.platform_calls))
    }

    /// Queues a message shown already, for the desk to store and hand over.
    pub(super) fn queue_send(&self, job: MessageJob) {
        lock(&self.sends).push(job);
    }

    /// The directory plugins search (service `team-communicator`).
    pub fn directory(&self) -> Arc<crate::directory::Directory> {
        lock(&self.directory).clone()
    }

    /// Replaces the directory (at start, and when the platform gives a new one).
    pub fn set_directory(&self, directory: crate::directory::Directory) {
        *lock(&self.directory) = Arc::new(directory);
    }

    /// The language plugins are told the agent reads (`en`, `fr`).
    pub fn language(&self) -> String {
        lock(&self.language).clone()
    }

    /// Sets the language plugins are told; whether it changed.
    pub fn set_language(&self, tag: &str) -> bool {
        let mut language = lock(&self.language);
        let changed = *language != tag;
        *language = tag.to_owned();
        changed
    }

    /// Sets who is signed in: outbound messages are signed with the display name, and
    /// plugins read the role's settings.
    pub fn set_agent(&self, agent: AgentContext) {
        *lock(&self.agent) = agent;
    }

    /// Shares the desk's tools (spell check, responses, directory) with plugins; once.
    pub fn set_tools(&self, tools: super::SharedTools) {
        if self.tools.set(tools).is_err() {
            tracing::warn!("the shared tools were already set");
        }
    }

    /// The desk's tools, once shared.
    pub fn tools(&self) -> Option<&super::SharedTools> {
        self.tools.get()
    }

    /// Who is signed in.
    pub fn agent(&self) -> AgentContext {
        lock(&self.agent).clone()
    }

    /// Sets the disposition tree plugins may record codes from.
    pub fn set_disposition_tree(&self, tree: Vec<DispositionCategory>) {
        *lock(&self.dispositions) = tree;
    }

    /// The desk opened an interaction: plugin calls about it are answered from these facts.
    pub fn track_open(&self, facts: OpenFacts) {
        lock(&self.open).insert(facts.row.id.clone(), facts);
    }

    /// The contact of an interaction open on the desk, as it holds it; `None` when the
    /// interaction is not open (the records are asked then).
    fn open_contact(&self, interaction: &str) -> Option<Option<crate::store::Contact>> {
        lock(&self.open).get(interaction).map(|f| f.contact.clone())
    }

    /// The case data of an interaction: from the desk's memory when it is open, else the
    /// records.
    pub(super) fn case_data_of(
        &self,
        interaction: &str,
    ) -> Result<Vec<KeyValue>, crate::store::StoreError> {
        match self.open_case_data(interaction) {
            Some(case_data) => Ok(case_data),
            None => self.store.case_data(interaction),
        }
    }

    /// The contact of an interaction: from the desk's memory when it is open, else the
    /// records.
    pub(super) fn contact_of(
        &self,
        interaction: &str,
    ) -> Result<Option<crate::store::Contact>, crate::store::StoreError> {
        match self.open_contact(interaction) {
            Some(contact) => Ok(contact),
            None => self.store.contact_of_interaction(interaction),
        }
    }

    /// The case data of an interaction open on the desk, if it is one.
    fn open_case_data(&self, interaction: &str) -> Option<Vec<KeyValue>> {
        lock(&self.open)
            .get(interaction)
            .map(|f| f.case_data.clone())
    }

    /// The spell-check language of an interaction open on the desk, if it is one.
    pub(super) fn open_language(&self, interaction: &str) -> Option<String> {
        lock(&self.open)
            .get(interaction)
            .map(|f| f.language.clone())
    }

    /// The language an open interaction's drafts are spell-checked in changed.
    pub fn set_open_language(&self, interaction: &str, language: String) {
        if let Some(facts) = lock(&self.open).get_mut(interaction) {
            facts.language = language;
        }
    }

    /// The desk closed or released an interaction.
    pub fn forget_open(&self, interaction: &str) {
        lock(&self.open).remove(interaction);
    }

    /// A disposition was recorded for an open interaction.
    pub fn note_disposition(&self, interaction: &str, code: &str) {
        if let Some(facts) = lock(&self.open).get_mut(interaction) {
            facts.disposition = Some(code.to_owned());
        }
    }

    /// A plugin scheduled a callback (stored): the desk lists it.
    pub(super) fn note_scheduled(&self, callback: crate::store::Callback) {
        lock(&self.scheduled).push(callback);
    }

    /// Callbacks plugins scheduled since the last call.
    pub fn take_scheduled(&self) -> Vec<crate::store::Callback> {
        std::mem::take(&mut *lock(&self.scheduled))
    }

    /// Interactions whose note or disposition a plugin changed since the last call.
    pub fn take_touched(&self) -> Vec<String> {
        lock(&self.touched).drain().collect()
    }

    /// Entries stored by plugins since the last call, for the desk to show.
    pub fn take_appended(&self) -> Vec<TranscriptEntry> {
        std::mem::take(&mut *lock(&self.appended))
    }

    /// Notifications raised by plugins since the last call, with the plugin id.
    pub fn take_notifications(&self) -> Vec<(String, Notification)> {
        std::mem::take(&mut *lock(&self.notifications))
    }

    /// Removes and returns the timers due by the clock, earliest first.
    pub fn take_due_timers(&self) -> Vec<TimerKey> {
        let now = self.clock.now();
        let mut timers = lock(&self.timers);
        let mut due: Vec<(Timestamp, TimerKey)> = timers
            .iter()
            .filter(|(_, at)| **at <= now)
            .map(|(key, at)| (*at, key.clone()))
            .collect();
        due.sort();
        for (_, key) in &due {
            timers.remove(key);
        }
        due.into_iter().map(|(_, key)| key).collect()
    }

    /// Drops every timer of an interaction (it was closed).
    pub fn cancel_timers_of(&self, interaction: &str) {
        lock(&self.timers).retain(|(_, i, _), _| i != interaction);
    }

    /// The earliest pending timer, so the UI can wake up for it.
    pub fn next_timer(&self) -> Option<Timestamp> {
        lock(&self.timers).values().min().copied()
    }
}

/// The host object of one plugin.
pub struct PluginHost {
    pub(super) plugin_id: String,
    media_types: Vec<String>,
    granted: HashSet<String>,
    permissions: HashSet<String>,
    pub(super) shared: Arc<HostServices>,
}

impl PluginHost {
    /// A host object for a plugin: it grants the services of the manifest, and the permissions
    /// both the manifest declares and the agent's role holds; nothing else.
    pub fn new(manifest: &Manifest, role_permissions: &[&str], shared: Arc<HostServices>) -> Self {
        Self {
            plugin_id: manifest.id.to_string(),
            media_types: manifest.media_types.iter().map(|m| m.to_string()).collect(),
            granted: manifest.services.iter().map(|s| s.to_string()).collect(),
            permissions: manifest
                .permissions
                .iter()
                .filter(|p| role_permissions.contains(&p.as_str()))
                .map(|p| p.to_string())
                .collect(),
            shared,
        }
    }

    pub(super) fn check_permission(&self, permission: &str) -> Result<(), HostError> {
        if self.permissions.contains(permission) {
            return Ok(());
        }
        let message = format!(
            "plugin {} asked for permission {permission}, which the agent's role or the plugin's manifest does not grant",
            self.plugin_id
        );
        tracing::error!("{message}");
        Err(HostError::new(HostErrorKind::Denied, message))
    }

    fn timer_key(&self, interaction: &str, timer: &str) -> TimerKey {
        (
            self.plugin_id.clone(),
            interaction.to_owned(),
            timer.to_owned(),
        )
    }

    pub(super) fn check(&self, service: &str) -> Result<(), HostError> {
        if self.granted.contains(service) {
            Ok(())
        } else {
            let message = format!(
                "plugin {} asked for service {service}, which its manifest does not declare",
                self.plugin_id
            );
            tracing::error!("{message}");
            Err(HostError::new(HostErrorKind::Denied, message))
        }
    }

    /// The interaction, if it exists, is open, and belongs to this plugin's media types.
    pub(super) fn own_open_interaction(
        &self,
        id: &str,
    ) -> Result<crate::store::InteractionRow, HostError> {
        let row = self.own_interaction(id)?;
        if row.state == crate::store::InteractionState::Closed {
            return Err(HostError::new(
                HostErrorKind::Invalid,
                format!("interaction {id} is closed"),
            ));
        }
        Ok(row)
    }

    /// The interaction, if it exists and belongs to this plugin's media types (open or not).
    pub(super) fn own_interaction(
        &self,
        id: &str,
    ) -> Result<crate::store::InteractionRow, HostError> {
        let open = lock(&self.shared.open).get(id).map(|f| f.row.clone());
        let row = match open {
            Some(row) => row,
            None => self
                .shared
                .store
                .interaction(id)
                .map_err(|e| HostError::new(HostErrorKind::Storage, e.to_string()))?
                .ok_or_else(|| {
                    HostError::new(HostErrorKind::NotFound, format!("no interaction {id}"))
                })?,
        };
        if !self.media_types.contains(&row.media_type) {
            let message = format!(
                "plugin {} may not act on interaction {id} of media type {}",
                self.plugin_id, row.media_type
            );
            tracing::error!("{message}");
            return Err(HostError::new(HostErrorKind::Denied, message));
        }
        Ok(row)
    }

    fn contact_card(&self, interaction: &str) -> Result<ContactCard, HostError> {
        self.check(services::CONTACTS)?;
        self.own_interaction(interaction)?;
        let contact = self
            .shared
            .contact_of(interaction)
            .map_err(storage)?
            .ok_or_else(|| {
                HostError::new(
                    HostErrorKind::NotFound,
                    format!("no contact for {interaction}"),
                )
            })?;
        Ok(ContactCard {
            id: contact.id,
            phone: contact.phone().unwrap_or_default().into(),
            email: contact.email().unwrap_or_default().into(),
            name: contact.display_name.into(),
            language: contact.language.unwrap_or_default().into(),
        })
    }

    fn record_disposition(&self, interaction: &str, code: &str) -> Result<(), HostError> {
        self.check(services::DISPOSITIONS)?;
        self.own_open_interaction(interaction)?;
        let known = lock(&self.shared.dispositions)
            .iter()
            .filter(|c| c.channels.is_empty() || c.channels.contains(&self.plugin_id))
            .any(|c| c.codes.iter().any(|d| d.code == code));
        if !known {
            return Err(HostError::new(
                HostErrorKind::Invalid,
                format!(
                    "disposition code {code} is not in the tree for channel {}",
                    self.plugin_id
                ),
            ));
        }
        let now = self.shared.clock.now();
        self.shared
            .store
            .set_disposition(interaction, code, now)
            .map_err(storage)?;
        self.shared.note_disposition(interaction, code);
        lock(&self.shared.touched).insert(interaction.to_owned());
        Ok(())
    }

    fn history_entries(
        &self,
        interaction: &str,
        query: &str,
    ) -> Result<RVec<HistoryEntry>, HostError> {
        self.check(services::HISTORY)?;
        self.own_interaction(interaction)?;
        let opened_with = query
            .trim()
            .is_empty()
            .then(|| {
                lock(&self.shared.open)
                    .get(interaction)
                    .and_then(|f| f.history.clone())
            })
            .flatten();
        let items = match opened_with {
            Some(items) => items,
            None => {
                let Some(contact) = self.shared.contact_of(interaction).map_err(storage)? else {
                    return Ok(RVec::new());
                };
                self.shared
                    .store
                    .search_history(contact.id, query, 50)
                    .map_err(storage)?
            }
        };
        Ok(items
            .into_iter()
            .map(|item| HistoryEntry {
                interaction: item.interaction.into(),
                media_type: item.media_type.into(),
                created: item.created,
                disposition: item.disposition.unwrap_or_default().into(),
                note: item.note.unwrap_or_default().into(),
                excerpt: item.excerpt.into(),
            })
            .collect())
    }

    fn send(&self, outbound: Outbound) -> Result<TranscriptEntry, HostError> {
        self.check(services::MESSAGES_SEND)?;
        let row = self.own_open_interaction(&outbound.interaction)?;
        if outbound.text.trim().is_empty() {
            return Err(HostError::new(HostErrorKind::Invalid, "empty message"));
        }
        let shared = &self.shared;
        if !shared.backend.link_up() {
            return Err(HostError::new(
                HostErrorKind::Platform,
                "the contact-center platform is unreachable; the text stays in the composer",
            ));
        }
        // Shown at once, as sending, under an id the records set aside; the desk's requests
        // thread stores it, then hands it to the platform.
        let Some(id) = shared.next_message_id() else {
            return Err(HostError::new(
                HostErrorKind::Storage,
                "the records have not set a message id aside yet; the text stays in the composer",
            ));
        };
        let parts: Vec<String> = if outbound.parts.is_empty() {
            vec![outbound.text.to_string()]
        } else {
            outbound.parts.iter().map(|p| p.to_string()).collect()
        };
        let (agent, author) = {
            let agent = lock(&shared.agent);
            (agent.id.clone(), agent.display_name.clone())
        };
        let message = NewMessage {
            interaction: row.id.clone(),
            role: Role::Agent,
            author: author.clone(),
            author_key: "agent".into(),
            time: shared.clock.now(),
            body: outbound.text.to_string(),
            status: DeliveryStatus::Sending,
            provider_id: None,
            parts: parts.len(),
        };
        let handover = OutboundMessage {
            message_id: id,
            interaction: row.id.clone(),
            to: row.contact_address.clone(),
            from: row.our_address.clone(),
            author,
            text: outbound.text.to_string(),
            parts,
        };
        let entry = message.entry(id);
        if let Some(facts) = lock(&shared.open).get_mut(&row.id) {
            facts
                .first_reply
                .get_or_insert_with(|| message.body.clone());
        }
        lock(&shared.sends).push(MessageJob {
            agent,
            id,
            message,
            handover: Some(Handover::Reply(handover)),
        });
        self.note_appended(entry.clone());
        Ok(entry)
    }

    /// A stored entry the desk adds to the open transcript after the plugin call.
    pub(super) fn note_appended(&self, entry: TranscriptEntry) {
        lock(&self.shared.appended).push(entry);
    }

    /// Stores a system line; `author_key` is `system`, or a [`LineRef`]'s for a line stored by
    /// message id.
    fn store_system_line(
        &self,
        interaction: &str,
        text: &str,
        author_key: String,
    ) -> Result<TranscriptEntry, HostError> {
        self.check(services::MESSAGES_STORE)?;
        let row = self.own_open_interaction(interaction)?;
        let shared = &self.shared;
        let line = NewMessage {
            interaction: row.id,
            role: Role::System,
            author: "System".into(),
            author_key,
            time: shared.clock.now(),
            body: text.to_owned(),
            status: DeliveryStatus::None,
            provider_id: None,
            parts: 0,
        };
        // Shown at once under an id the records set aside, stored by the desk's requests
        // thread; with none left (none set aside yet), stored here.
        let entry = match shared.next_message_id() {
            Some(id) => {
                let entry = line.entry(id);
                let agent = lock(&shared.agent).id.clone();
                lock(&shared.sends).push(MessageJob {
                    agent,
                    id,
                    message: line,
                    handover: None,
                });
                entry
            }
            None => shared
                .store
                .insert_message(&line, &[])
                .map_err(|e| HostError::new(HostErrorKind::Storage, e.to_string()))?
                .ok_or_else(|| HostError::new(HostErrorKind::Storage, "line not stored"))?,
        };
        self.note_appended(entry.clone());
        Ok(entry)
    }
}

impl Host for PluginHost {
    fn now(&self) -> Timestamp {
        self.shared.clock.now()
    }

    fn log(&self, level: LogLevel, message: RStr<'_>) {
        let plugin = &self.plugin_id;
        match level {
            LogLevel::Error => tracing::error!(plugin, "{message}"),
            LogLevel::Warn => tracing::warn!(plugin, "{message}"),
            LogLevel::Info => tracing::info!(plugin, "{message}"),
            LogLevel::Debug => tracing::debug!(plugin, "{message}"),
        }
    }

    fn store_system_line(
        &self,
        interaction: RStr<'_>,
        text: RStr<'_>,
    ) -> RResult<TranscriptEntry, HostError> {
        PluginHost::store_system_line(self, &interaction, &text, "system".into()).into()
    }

    fn language(&self) -> RString {
        self.shared.language().into()
    }

    fn store_translated_line(
        &self,
        interaction: RStr<'_>,
        line: SystemLine,
    ) -> RResult<TranscriptEntry, HostError> {
        let args: Vec<(&str, &str)> = line
            .args
            .iter()
            .map(|kv| (kv.key.as_str(), kv.value.as_str()))
            .collect();
        let key = LineRef::new(&self.plugin_id, &line.id, &args).author_key();
        PluginHost::store_system_line(self, &interaction, &line.text, key).into()
    }

    fn send_message(&self, outbound: Outbound) -> RResult<TranscriptEntry, HostError> {
        self.send(outbound).into()
    }

    fn notify(&self, notification: Notification) -> RResult<(), HostError> {
        self.check(services::NOTIFICATIONS)
            .map(|()| lock(&self.shared.notifications).push((self.plugin_id.clone(), notification)))
            .into()
    }

    fn set_timer(
        &self,
        interaction: RStr<'_>,
        timer: RStr<'_>,
        at: Timestamp,
    ) -> RResult<(), HostError> {
        self.check(services::TIMERS)
            .map(|()| {
                let key = self.timer_key(&interaction, &timer);
                lock(&self.shared.timers).insert(key, at);
            })
            .into()
    }

    fn cancel_timer(&self, interaction: RStr<'_>, timer: RStr<'_>) -> RResult<(), HostError> {
        self.check(services::TIMERS)
            .map(|()| {
                lock(&self.shared.timers).remove(&self.timer_key(&interaction, &timer));
            })
            .into()
    }

    fn check_permission(&self, permission: RStr<'_>) -> RResult<(), HostError> {
        PluginHost::check_permission(self, &permission).into()
    }

    fn contact(&self, interaction: RStr<'_>) -> RResult<ContactCard, HostError> {
        self.contact_card(&interaction).into()
    }

    fn case_data(&self, interaction: RStr<'_>) -> RResult<RVec<KeyValue>, HostError> {
        let result = self
            .check(services::CASE_DATA)
            .and_then(|()| self.own_interaction(&interaction))
            // Open on the desk: as it holds it, without a read.
            .and_then(|_| {
                self.shared
                    .case_data_of(&interaction)
                    .map(RVec::from)
                    .map_err(storage)
            });
        result.into()
    }

    fn note(&self, interaction: RStr<'_>) -> RResult<RString, HostError> {
        let result = self
            .check(services::NOTES)
            .and_then(|()| self.own_interaction(&interaction))
            .and_then(|_| self.shared.store.note(&interaction).map_err(storage))
            .map(|note| RString::from(note.unwrap_or_default()));
        result.into()
    }

    fn set_note(&self, interaction: RStr<'_>, text: RStr<'_>) -> RResult<(), HostError> {
        let result = self
            .check(services::NOTES)
            .and_then(|()| self.own_open_interaction(&interaction))
            .and_then(|_| {
                let now = self.shared.clock.now();
                self.shared
                    .store
                    .set_note(&interaction, &text, now)
                    .map_err(storage)
            })
            .map(|()| {
                lock(&self.shared.touched).insert(interaction.to_string());
            });
        result.into()
    }

    fn disposition(&self, interaction: RStr<'_>) -> RResult<RString, HostError> {
        let result = self
            .check(services::DISPOSITIONS)
            .and_then(|()| self.own_interaction(&interaction))
            .and_then(|_| {
                let open = lock(&self.shared.open)
                    .get(interaction.as_str())
                    .map(|f| f.disposition.clone());
                match open {
                    Some(code) => Ok(code),
                    None => self.shared.store.disposition(&interaction).map_err(storage),
                }
            })
            .map(|code| RString::from(code.unwrap_or_default()));
        result.into()
    }

    fn set_disposition(&self, interaction: RStr<'_>, code: RStr<'_>) -> RResult<(), HostError> {
        self.record_disposition(&interaction, &code).into()
    }

    fn history(
        &self,
        interaction: RStr<'_>,
        query: RStr<'_>,
    ) -> RResult<RVec<HistoryEntry>, HostError> {
        self.history_entries(&interaction, &query).into()
    }

    fn setting(&self, name: RStr<'_>) -> RResult<RString, HostError> {
        self.setting_value(&name).map(RString::from).into()
    }

    fn transfer(&self, interaction: RStr<'_>, target: Target) -> RResult<(), HostError> {
        self.request_transfer(&interaction, target).into()
    }

    fn invite(
        &self,
        interaction: RStr<'_>,
        target: Target,
        purpose: RStr<'_>,
    ) -> RResult<(), HostError> {
        self.request_invitation(&interaction, target, &purpose)
            .into()
    }

    fn set_typing(&self, interaction: RStr<'_>, typing: bool) -> RResult<(), HostError> {
        self.tell_typing(&interaction, typing).into()
    }

    fn push_url(
        &self,
        interaction: RStr<'_>,
        url: RStr<'_>,
    ) -> RResult<TranscriptEntry, HostError> {
        self.push_link(&interaction, &url).into()
    }

    fn number_info(&self, address: RStr<'_>) -> RResult<NumberInfo, HostError> {
        let facts = self.shared.backend.number_facts(&address);
        RResult::ROk(NumberInfo {
            can_receive_sms: facts.can_receive_sms,
            note: facts.note.into(),
        })
    }

    fn save_attachment(
        &self,
        interaction: RStr<'_>,
        attachment: i64,
        path: RStr<'_>,
    ) -> RResult<(), HostError> {
        self.save_attachment_to(
            &interaction,
            attachment,
            std::path::Path::new(path.as_str()),
        )
        .into()
    }

    fn disposition_label(&self, interaction: RStr<'_>) -> RResult<RString, HostError> {
        match Host::disposition(self, interaction) {
            RResult::ROk(code) => {
                let label = lock(&self.shared.dispositions)
                    .iter()
                    .flat_map(|category| category.codes.iter())
                    .find(|c| c.code == code.as_str())
                    .map(|c| c.label.clone());
                RResult::ROk(label.map_or(code, Into::into))
            }
            failed => failed,
        }
    }

    fn directory_search(&self, query: RStr<'_>) -> RResult<RVec<Target>, HostError> {
        self.search_directory(&query).into()
    }

    fn check_spelling(
        &self,
        interaction: RStr<'_>,
        text: RStr<'_>,
    ) -> RResult<RVec<Misspelling>, HostError> {
        self.spelling_of(&interaction, &text).into()
    }

    fn standard_responses(
        &self,
        interaction: RStr<'_>,
        query: RStr<'_>,
    ) -> RResult<RVec<ResponseText>, HostError> {
        self.responses_for(&interaction, &query).into()
    }

    fn schedule_callback(
        &self,
        interaction: RStr<'_>,
        number: RStr<'_>,
        due: Timestamp,
        note: RStr<'_>,
    ) -> RResult<i64, HostError> {
        self.callback_for(&interaction, &number, due, &note).into()
    }

    fn transcript(&self, interaction: RStr<'_>) -> RResult<RVec<TranscriptEntry>, HostError> {
        let result = self
            .check(services::MESSAGES_STORE)
            .and_then(|()| self.own_open_interaction(&interaction).map(|_| ()))
            .and_then(|()| {
                self.shared
                    .store
                    .transcript(&interaction)
                    .map(RVec::from)
                    .map_err(|e| HostError::new(HostErrorKind::Storage, e.to_string()))
            });
        result.into()
    }
}

#[cfg(test)]
mod tests {
    use switchboard_sdk::abi_stable::std_types::RVec;

    use super::*;
    use crate::{clock::ManualClock, store::InteractionState};

    use super::super::test_support::{QuietPlatform, store_sms};

    fn setup(manifest: Manifest) -> (PluginHost, Arc<HostServices>, Arc<ManualClock>, String) {
        let store = switchboard_store_sqlite::Store::open_in_memory().expect("store");
        let clock = Arc::new(ManualClock::new(Timestamp(0)));
        let id = "SMS-1".to_owned();
        store_sms(&store, &id, InteractionState::Queued, None);
        let services = HostServices::new(Arc::new(store), clock.clone(), Arc::new(QuietPlatform));
        (
            PluginHost::new(&manifest, &["save-images"], services.clone()),
            services,
            clock,
            id,
        )
    }

    fn outbound(id: &str) -> Outbound {
        Outbound {
            interaction: id.into(),
            text: "Hi".into(),
            parts: RVec::new(),
        }
    }

    #[test]
    fn a_service_missing_from_the_manifest_is_denied() {
        let (host, _, _, id) = setup(Manifest::new("p", "P", "1").media_type("sms"));
        let denied = host.send(outbound(&id)).expect_err("denied");
        assert_eq!(denied.kind(), Some(HostErrorKind::Denied));
        assert!(
            denied.message.contains("messages.send"),
            "{}",
            denied.message
        );
        let timer =
            Host::set_timer(&host, id.as_str().into(), "t".into(), Timestamp(1)).into_result();
        assert_eq!(
            timer.expect_err("denied").kind(),
            Some(HostErrorKind::Denied)
        );
    }

    #[test]
    fn a_permission_needs_both_the_manifest_and_the_role() {
        let manifest = Manifest::new("p", "P", "1")
            .media_type("sms")
            .permission("save-images")
            .permission("push-url");
        let (host, _, _, _) = setup(manifest);
        assert!(
            host.check_permission("save-images").is_ok(),
            "manifest and role"
        );
        let refused = host
            .check_permission("push-url")
            .expect_err("role lacks it");
        assert_eq!(refused.kind(), Some(HostErrorKind::Denied));
        assert!(refused.message.contains("push-url"));
        let (bare, _, _, _) = setup(Manifest::new("q", "Q", "1").media_type("sms"));
        assert!(
            bare.check_permission("save-images").is_err(),
            "manifest lacks it"
        );
    }

    #[test]
    fn a_direct_save_request_needs_the_service_and_the_permission() {
        let path = std::env::temp_dir().join(format!("sb-save-{}.png", std::process::id()));
        let ask = |host: &PluginHost, id: &str| {
            Host::save_attachment(
                host,
                id.into(),
                1,
                path.display().to_string().as_str().into(),
            )
            .into_result()
            .expect_err("refused")
        };
        let no_permission = Manifest::new("m", "M", "1")
            .media_type("sms")
            .service(services::ATTACHMENTS);
        let (host, _, _, id) = setup(no_permission);
        let refused = ask(&host, &id);
        assert_eq!(refused.kind(), Some(HostErrorKind::Denied));
        assert!(
            refused.message.contains("save-images"),
            "{}",
            refused.message
        );
        let no_service = Manifest::new("m", "M", "1")
            .media_type("sms")
            .permission("save-images");
        let (host, _, _, id) = setup(no_service);
        let refused = ask(&host, &id);
        assert!(
            refused.message.contains("attachments"),
            "{}",
            refused.message
        );
        assert!(!path.exists());
    }

    #[test]
    fn shared_tools_answer_plugins_that_declare_them() {
        let manifest = Manifest::new("m", "M", "1")
            .media_type("sms")
            .service(services::TEAM_COMMUNICATOR)
            .service(services::SPELL_CHECK)
            .service(services::RESPONSES)
            .service(services::CALLBACKS);
        let (host, shared, clock, id) = setup(manifest);
        shared.set_tools(super::super::SharedTools {
            spell: switchboard_spell::SpellChecker::load_now(),
            responses: crate::responses::Library::embedded(),
        });
        shared.set_directory(crate::directory::Directory::embedded());
        let found = Host::directory_search(&host, "grace".into())
            .into_result()
            .expect("search");
        assert!(found.iter().any(|t| t.id == "grace" && t.kind == "agent"));
        let text = "Your parcle is here";
        let misspelled = Host::check_spelling(&host, id.as_str().into(), text.into())
            .into_result()
            .expect("checked");
        let words: Vec<&str> = misspelled
            .iter()
            .map(|m| &text[m.start as usize..m.end as usize])
            .collect();
        assert_eq!(words, ["parcle"]);
        let responses = Host::standard_responses(&host, id.as_str().into(), "greet".into())
            .into_result()
            .expect("responses");
        assert!(!responses.is_empty());
        assert!(
            responses
                .iter()
                .all(|r| !r.text.contains("{interaction.id}"))
        );
        let due = clock.now().plus_seconds(3600);
        let callback = Host::schedule_callback(
            &host,
            id.as_str().into(),
            "+33612345678".into(),
            due,
            "".into(),
        );
        assert!(callback.is_ok());
        let (bare, _, _, id) = setup(Manifest::new("q", "Q", "1").media_type("sms"));
        assert!(Host::directory_search(&bare, "grace".into()).is_err());
        assert!(Host::check_spelling(&bare, id.as_str().into(), "x".into()).is_err());
    }

    #[test]
    fn settings_come_from_the_signed_in_role() {
        let (host, services, _, _) = setup(Manifest::new("m", "M", "1").media_type("sms"));
        let timers = crate::config::RoleTimers {
            session_inactivity_seconds: 120,
            ..Default::default()
        };
        services.set_agent(AgentContext {
            id: "ada".into(),
            display_name: "Ada".into(),
            timers,
        });
        let value = Host::setting(
            &host,
            switchboard_sdk::settings::SESSION_INACTIVITY_SECONDS.into(),
        );
        assert_eq!(value.into_result().expect("known").as_str(), "120");
        assert!(Host::setting(&host, "colour".into()).is_err());
    }

    #[test]
    fn an_interaction_of_another_media_type_is_denied() {
        let manifest = Manifest::new("chat", "Chat", "1")
            .media_type("chat")
            .service(services::MESSAGES_SEND);
        let (host, services, _, id) = setup(manifest);
        let denied = host.send(outbound(&id)).expect_err("denied");
        assert_eq!(denied.kind(), Some(HostErrorKind::Denied));
        assert!(
            services.store.transcript(&id).expect("transcript").len() == 1,
            "nothing stored"
        );
    }

    #[test]
    fn timers_fire_when_the_host_clock_reaches_them() {
        let manifest = Manifest::new("p", "P", "1")
            .media_type("sms")
            .service(services::TIMERS);
        let (host, services, clock, id) = setup(manifest);
        Host::set_timer(&host, id.as_str().into(), "late".into(), Timestamp(60_000))
            .into_result()
            .expect("set");
        Host::set_timer(&host, id.as_str().into(), "soon".into(), Timestamp(10_000))
            .into_result()
            .expect("set");
        assert_eq!(services.next_timer(), Some(Timestamp(10_000)));
        clock.advance_seconds(9);
        assert!(services.take_due_timers().is_empty());
        clock.advance_seconds(1);
        assert_eq!(
            services.take_due_timers(),
            vec![("p".into(), id.clone(), "soon".into())]
        );
        Host::cancel_timer(&host, id.as_str().into(), "late".into())
            .into_result()
            .expect("cancel");
        clock.advance_seconds(120);
        assert!(services.take_due_timers().is_empty());
    }

    #[test]
    fn plugins_record_notes_and_only_known_disposition_codes() {
        let manifest = Manifest::new("sms-page", "P", "1")
            .media_type("sms")
            .service(services::NOTES)
            .service(services::DISPOSITIONS)
            .service(services::HISTORY)
            .service(services::CONTACTS);
        let (host, services, _, id) = setup(manifest);
        services.set_disposition_tree(crate::config::Config::embedded().dispositions);
        let unknown =
            Host::set_disposition(&host, id.as_str().into(), "made-up".into()).into_result();
        assert_eq!(
            unknown.expect_err("refused").kind(),
            Some(HostErrorKind::Invalid)
        );
        Host::set_disposition(&host, id.as_str().into(), "order-status".into())
            .into_result()
            .expect("known code for sms-page");
        Host::set_note(&host, id.as_str().into(), "called back".into())
            .into_result()
            .expect("note");
        assert_eq!(
            services.store.disposition(&id).expect("read").as_deref(),
            Some("order-status")
        );
        assert_eq!(services.take_touched(), vec![id.clone()]);
        let history = Host::history(&host, id.as_str().into(), "hello".into())
            .into_result()
            .expect("history");
        assert_eq!(history.len(), 1);
        assert_eq!(history[0].note.as_str(), "called back");
        let card = Host::contact(&host, id.as_str().into())
            .into_result()
            .expect("contact");
        assert_eq!(card.phone.as_str(), "+33612345678");
    }

    #[test]
    fn a_send_is_shown_at_once_under_a_reserved_id_and_left_to_the_desk_to_store() {
        let manifest = Manifest::new("p", "P", "1")
            .media_type("sms")
            .service(services::MESSAGES_SEND);
        let (host, services, _, id) = setup(manifest);
        services.set_agent(AgentContext {
            id: "ada".into(),
            display_name: "Ada".into(),
            timers: Default::default(),
        });
        let refused = host.send(outbound(&id)).expect_err("no id set aside yet");
        assert!(
            refused.message.contains("stays in the composer"),
            "{refused}"
        );
        assert!(services.take_sends().is_empty());

        services.add_message_ids(services.store.reserve_message_ids("ada", 2).expect("ids"));
        let entry = host.send(outbound(&id)).expect("sent");
        assert_eq!(entry.author.as_str(), "Ada");
        assert_eq!(services.take_appended().len(), 1, "shown at once");
        let stored = services.store.transcript(&id).expect("transcript");
        assert!(
            stored.iter().all(|e| e.id != entry.id),
            "not stored on the calling thread"
        );
        let jobs = services.take_sends();
        assert_eq!(jobs.len(), 1);
        assert_eq!(jobs[0].id, entry.id);
        let saved = services
            .store
            .insert_reserved_message(&jobs[0].agent, entry.id, &jobs[0].message)
            .expect("stored under its id");
        assert_eq!(saved.text, entry.text);
    }
}
