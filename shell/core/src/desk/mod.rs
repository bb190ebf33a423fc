//! The desk: the signed-in agent's live state, driven by the UI and by [`Desk::pump`].
//!
//! It owns channel statuses, incoming offers, and open interactions with their transcripts
//! (read from the store) and view models (asked from their plugin). Every plugin call goes
//! through [`channel::ChannelSlot`], which contains failures: a plugin that panics is marked
//! failed and its interactions stay readable and can be marked done.

mod accounts;
mod amend;
mod answers;
mod channel;
mod communication;
mod conversations;
mod edits;
mod handover;
mod interaction;
mod labels;
mod lookups;
mod media;
mod opening;
mod pending;
mod push;
mod requests;
mod sends;
mod spelling;
mod team;

use std::{collections::BTreeMap, sync::Arc};

use switchboard_sdk::{
    Command, DeliveryStatus, Event, InteractionInfo, KeyValue, Notification, Timestamp,
    TranscriptEntry, abi_stable::std_types::RVec,
};

pub use accounts::AccountState;
pub use channel::{ChannelSlot, ChannelStatus, Health};
pub use communication::{ASSIGNED_LIST_LENGTH, Conversation, OUTBOUND_SMS_MEDIA_TYPE, Outbound};
pub use interaction::{Offer, OfferAnswer, OpenInteraction};
pub use lookups::Looked;
use lookups::Lookup;
pub use pending::{Pending, PendingLevel};
pub use push::PUSHED_LIST_LENGTH;
pub use team::{TeamAction, TeamResult};

use switchboard_seam::routing::{ChannelCapacity, WithdrawReason};

use crate::{
    backend::{AgentSession, Backend, BackendError, BackendEvent, OfferDetails},
    clock::Clock,
    config::{Config, RoleConfig},
    plugin_host::{AgentContext, HostServices, PluginCatalog},
    responses::{Fields, Library},
    store::{Records, StoreError},
};

/// Why a desk request failed.
#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    /// No agent with that id in the configuration.
    #[error("unknown agent id: {0}")]
    UnknownAgent(String),
    /// Nobody is signed in.
    #[error("no agent is signed in")]
    NotSignedIn,
    /// No such open interaction or offer.
    #[error("no interaction {0}")]
    UnknownInteraction(String),
    /// The role requires a disposition code before Done on this channel.
    #[error("Choose a disposition before marking this {0} interaction done.")]
    DispositionRequired(String),
    /// A callback request that cannot be scheduled.
    #[error("cannot schedule the callback: {0}")]
    InvalidCallback(String),
    /// An edited contact record that cannot be saved.
    #[error("cannot save the contact: {0}")]
    InvalidContact(String),
    /// The disposition code is not in the tree for this channel.
    #[error("unknown disposition code {0}")]
    UnknownDisposition(String),
    /// The channel is not enabled for this agent, or its plugin failed.
    #[error("channel {0} is not available")]
    ChannelUnavailable(String),
    /// The role does not grant what was asked.
    #[error("your role does not allow {0}")]
    NotPermitted(String),
    /// A link that cannot be pushed.
    #[error("cannot push this link: {0}")]
    InvalidLink(String),
    /// An attachment could not be read or written.
    #[error("attachment: {0}")]
    Attachment(String),

    /// The platform refused.
    #[error(transparent)]
    Backend(#[from] BackendError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl DeskError {
    /// Whether the desk already says this on the interaction it is about (the missing
    /// disposition, beside the list where it is chosen), so it is not raised as a notice too.
    pub fn is_shown_on_the_interaction(&self) -> bool {
        matches!(self, DeskError::DispositionRequired(_))
    }
}

/// How far back an interaction counts as recent for the header's count (seven days).
pub const RECENT_SECONDS: i64 = 7 * 24 * 3600;

/// The signed-in agent.
#[derive(Debug, Clone, PartialEq)]
pub struct Agent {
    /// Sign-in id.
    pub id: String,
    /// Full name.
    pub name: String,
    /// Name contacts see (nickname, or the name).
    pub display_name: String,
    /// The role's settings.
    pub role: RoleConfig,
}

/// A short message for the agent.
#[derive(Debug, Clone, PartialEq)]
pub struct Toast {
    /// Text, in English (the log's and the tests' words).
    pub text: String,
    /// What it says as a message id with arguments, for the agent's language; `None` for
    /// text that comes as is (an error's own words, a plugin's notification).
    pub notice: Option<Notice>,
    /// When it was raised.
    pub at: Timestamp,
    /// Whether it reports a problem.
    pub is_error: bool,
}

/// A notice as a message id of the shell's bundles and its arguments.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    /// Message id (`notice-missed`).
    pub id: &'static str,
    /// Named arguments.
    pub args: Vec<(&'static str, String)>,
}

/// The agent's desk.
pub struct Desk {
    /// English, for the words a notice keeps beside its message id (made at the first notice).
    english: std::cell::OnceCell<crate::i18n::Translator>,
    config: Config,
    services: Arc<HostServices>,
    catalog: PluginCatalog,
    agent: Option<Agent>,
    channels: Vec<ChannelSlot>,
    offers: Vec<Offer>,
    interactions: Vec<OpenInteraction>,
    selected: Option<String>,
    link_up: bool,
    /// Why the platform signed the agent out, until the window takes it.
    signed_out_reason: Option<String>,
    toasts: Vec<Toast>,
    responses: Library,
    directory: crate::directory::Directory,
    spell: switchboard_spell::SpellChecker,
    ui_language: String,
    plugin_translations: BTreeMap<String, Arc<switchboard_sdk::Translations>>,
    /// The links the agent pushed, newest first (read at sign-in and after each push).
    /// The agent's callbacks, soonest first (read at sign-in, kept as they are scheduled and
    /// fall due), so no frame and no pump asks the store.
    callbacks: Vec<crate::store::Callback>,
    /// What the agent causes that needs the records or the platform (answers to offers,
    /// notes, dispositions, contact edits), carried out off the window's thread.
    requests: requests::RequestWorker,
    /// What panels read from the records (searches, past transcripts, conversations), read
    /// off the window's thread.
    lookups: lookups::Lookups,
    /// How many times the records took a contact's conversations marked read: the
    /// Communication view's list is read again after each.
    marked_read: u64,
    /// The last account action an administrator asked for.
    account_state: Option<accounts::AccountState>,
    /// Media items the desk asked the records about, to tell the agent of those that cannot
    /// be shown.
    media_checks: Vec<media::MediaCheck>,
    /// Platform events about interactions whose offer is being answered, kept until the
    /// answer's outcome opens them (or not).
    held_events: Vec<BackendEvent>,
    /// Sends outstanding on the requests thread.
    sends: sends::Sends,
}

impl Desk {
    /// A desk with nobody signed in.
    pub fn new(
        config: Config,
        store: Arc<dyn Records>,
        clock: Arc<dyn Clock>,
        backend: Arc<dyn Backend>,
        catalog: PluginCatalog,
    ) -> Self {
        let link_up = backend.link_up();
        let directory = backend
            .directory()
            .map(crate::directory::Directory::from_entries)
            .unwrap_or_else(crate::directory::Directory::embedded);
        let requests = requests::RequestWorker::start(store.clone(), backend.clone());
        let lookups = lookups::Lookups::start(store.clone());
        let services = HostServices::new(store, clock, backend);
        services.set_disposition_tree(config.dispositions.clone());
        let responses = Library::embedded();
        let spell = switchboard_spell::SpellChecker::start();
        services.set_tools(crate::plugin_host::SharedTools {
            spell: spell.clone(),
            responses: responses.clone(),
        });
        services.set_directory(directory.clone());
        Self {
            english: std::cell::OnceCell::new(),
            config,
            services,
            catalog,
            agent: None,
            channels: Vec::new(),
            offers: Vec::new(),
            interactions: Vec::new(),
            selected: None,
            link_up,
            signed_out_reason: None,
            toasts: Vec::new(),
            responses,
            directory,
            spell,
            ui_language: "en".into(),
            plugin_translations: BTreeMap::new(),
            callbacks: Vec::new(),
            requests,
            lookups,
            media_checks: Vec::new(),
            marked_read: 0,
            account_state: None,
            held_events: Vec::new(),
            sends: sends::Sends::default(),
        }
    }

    /// Now, by the host clock.
    pub fn now(&self) -> Timestamp {
        self.services.clock.now()
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Replaces the configuration (saved by an administrator). The signed-in agent keeps the
    /// channels and open interactions of the sign-in; role changes apply at the next sign-in.
    pub fn replace_config(&mut self, config: Config) {
        self.config = config;
        self.services
            .set_disposition_tree(self.disposition_tree_in(&self.ui_language));
    }

    /// The plugin catalog (what loaded, what did not).
    pub fn catalog(&self) -> &PluginCatalog {
        &self.catalog
    }

    /// A contact's past and open interactions matching `query` (every word, as a prefix), best
    /// first; an empty query lists the history. Read off the window's thread: pending at first.
    pub fn history(&self, contact_id: i64, query: &str) -> Looked<Vec<crate::store::HistoryItem>> {
        self.lookups.get(Lookup::History {
            contact: contact_id,
            query: query.to_owned(),
        })
    }

    /// The transcript of an interaction that is not open here (a past one in the History
    /// panel). Read off the window's thread: pending at first.
    pub fn past_transcript(&self, interaction: &str) -> Looked<Vec<TranscriptEntry>> {
        self.lookups.get(Lookup::Transcript {
            interaction: interaction.to_owned(),
        })
    }

    /// Known contacts whose name, phone or e-mail contain `query` (at most
    /// `lookups::CONTACT_MATCHES`). Read off the window's thread: pending at first.
    pub fn search_contacts(&self, query: &str) -> Looked<Vec<crate::store::Contact>> {
        self.lookups.get(Lookup::Contacts {
            query: query.to_owned(),
        })
    }

    /// The signed-in agent.
    pub fn agent(&self) -> Option<&Agent> {
        self.agent.as_ref()
    }

    /// The agent's channels, in role order.
    pub fn channels(&self) -> &[ChannelSlot] {
        &self.channels
    }

    /// Pending offers, oldest first.
    pub fn offers(&self) -> &[Offer] {
        &self.offers
    }

    /// Open interactions, in the interaction bar's order.
    pub fn interactions(&self) -> &[OpenInteraction] {
        &self.interactions
    }

    /// One open interaction.
    pub fn interaction(&self, id: &str) -> Option<&OpenInteraction> {
        self.interactions.iter().find(|i| i.row.id == id)
    }

    /// One open interaction, to edit its draft.
    pub fn interaction_mut(&mut self, id: &str) -> Option<&mut OpenInteraction> {
        self.interactions.iter_mut().find(|i| i.row.id == id)
    }

    /// The interaction shown in the main area.
    pub fn selected(&self) -> Option<&str> {
        self.selected.as_deref()
    }

    /// Shows an interaction in the main area.
    pub fn select(&mut self, id: &str) {
        if self.interaction(id).is_some() {
            self.selected = Some(id.to_owned());
        }
    }

    /// Whether the platform link is up.
    pub fn link_up(&self) -> bool {
        self.link_up
    }

    /// Recent toasts, oldest first.
    pub fn toasts(&self) -> &[Toast] {
        &self.toasts
    }

    /// Dismisses a toast.
    pub fn dismiss_toast(&mut self, index: usize) {
        if index < self.toasts.len() {
            self.toasts.remove(index);
        }
    }

    /// Shows an error to the agent (a refused request from the UI, for example).
    pub fn report_error(&mut self, text: impl Into<String>) {
        self.toast(text, true);
    }

    /// Sets the function the platform calls when it has events (the UI's repaint request).
    pub fn set_waker(&self, waker: crate::backend::Waker) {
        self.spell.set_waker(waker.clone());
        self.requests.set_waker(waker.clone());
        self.lookups.set_waker(waker.clone());
        self.services.backend.set_waker(waker);
    }

    /// Tells the agent something that went well (a file saved...).
    pub fn inform(&mut self, text: impl Into<String>) {
        self.toast(text, false);
    }

    fn toast(&mut self, text: impl Into<String>, is_error: bool) {
        self.push_toast(text.into(), None, is_error);
    }

    /// Tells the agent something the shell says itself, in the agent's language when shown.
    fn notify(&mut self, id: &'static str, args: Vec<(&'static str, String)>, is_error: bool) {
        let borrowed: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let text = self
            .english
            .get_or_init(|| crate::i18n::Translator::new(crate::i18n::Language::English))
            .tr_args(id, &borrowed);
        self.push_toast(text, Some(Notice { id, args }), is_error);
    }

    fn push_toast(&mut self, text: String, notice: Option<Notice>, is_error: bool) {
        let at = self.now();
        self.toasts.push(Toast {
            text,
            notice,
            at,
            is_error,
        });
        if self.toasts.len() > 5 {
            self.toasts.remove(0);
        }
    }

    /// Signs an agent in: instantiates the plugins of the role's channels and applies
    /// auto-ready.
    pub fn sign_in(&mut self, agent_id: &str) -> Result<(), DeskError> {
        self.sign_in_with(agent_id, None)
    }

    /// Whether the platform asks for a password at sign-in.
    pub fn asks_for_password(&self) -> bool {
        self.services.backend.asks_for_password()
    }

    /// Signs an agent in with their password, for a platform that asks for one. A platform
    /// that refuses the sign-in (a wrong password) leaves the desk signed out, with the
    /// reason.
    pub fn sign_in_with(
        &mut self,
        agent_id: &str,
        password: Option<crate::seam::secret::Secret>,
    ) -> Result<(), DeskError> {
        let agent_config = self
            .config
            .agent(agent_id.trim())
            .cloned()
            .ok_or_else(|| DeskError::UnknownAgent(agent_id.trim().to_owned()))?;
        let role = self
            .config
            .role_of(&agent_config)
            .cloned()
            .unwrap_or_default();
        let display_name = agent_config
            .nickname
            .clone()
            .unwrap_or_else(|| agent_config.name.clone());
        self.services.set_agent(AgentContext {
            id: agent_config.id.clone(),
            display_name: display_name.clone(),
            timers: role.timers,
        });
        let permissions: Vec<&str> = role.permissions.iter().map(|p| p.name()).collect();
        self.channels = role
            .channels
            .iter()
            .map(|id| ChannelSlot::start(id, self.catalog.get(id), &permissions, &self.services))
            .collect();
        // A plugin's words are read once: the next sign-in starts the same library.
        for slot in &self.channels {
            if self.plugin_translations.contains_key(slot.id()) {
                continue;
            }
            if let Some(translations) = slot.translations() {
                self.plugin_translations
                    .insert(slot.id().to_owned(), Arc::new(translations));
            }
        }
        let mut session = self.session_for(&agent_config, &display_name, &role);
        session.password = password;
        if let Err(e) = self.services.backend.sign_in(&session) {
            if matches!(e, BackendError::SignInRefused(_)) {
                self.channels.clear();
                return Err(DeskError::Backend(e));
            }
            self.notify(
                "notice-sign-in-refused",
                vec![("reason", e.to_string())],
                true,
            );
        }
        self.agent = Some(Agent {
            id: agent_config.id,
            name: agent_config.name,
            display_name,
            role: role.clone(),
        });
        self.load_personal_words();
        self.reload_callbacks();
        self.reopen_held();
        // Ids for the agent's sends, set aside before work arrives (one short call, like the
        // sign-in itself), so a reply shows at once.
        self.reserve_message_ids_if_low();
        self.settle();
        if role.auto_ready {
            for index in 0..self.channels.len() {
                let id = self.channels[index].id().to_owned();
                if let Err(e) = self.set_ready(&id, true) {
                    self.toast(format!("{id}: {e}"), true);
                }
            }
        }
        Ok(())
    }

    /// What routing needs to know of a signing-in agent: each running channel's media types,
    /// the role's capacity on it and how long its offers wait.
    fn session_for(
        &self,
        agent: &crate::config::AgentConfig,
        display_name: &str,
        role: &RoleConfig,
    ) -> AgentSession {
        let channels = self
            .channels
            .iter()
            .filter(|c| c.is_running())
            .map(|c| {
                let media_types = c.media_types();
                let invitation = media_types
                    .iter()
                    .any(|m| m == crate::backend::INTERNAL_MEDIA_TYPE);
                ChannelCapacity {
                    channel: c.id().to_owned(),
                    capacity: role.capacity_of(c.id()),
                    offer_timeout_seconds: if invitation {
                        i64::from(role.timers.invitation_timeout_seconds)
                    } else {
                        i64::from(self.config.shell.offer_timeout_seconds)
                    },
                    media_types,
                }
            })
            .collect();
        AgentSession {
            agent: agent.id.clone(),
            display_name: display_name.to_owned(),
            role: agent.role.clone(),
            channels,
            password: None,
        }
    }

    /// Signs out: every channel goes Logged out and the platform withdraws the agent's offers.
    /// Open interactions stay in the store.
    pub fn sign_out(&mut self) {
        // What the agent saved is in the records before the session ends.
        self.settle();
        for index in 0..self.channels.len() {
            let id = self.channels[index].id().to_owned();
            let _ = self.set_ready(&id, false);
            self.channels[index].status = ChannelStatus::LoggedOut;
        }
        if let Some(agent) = &self.agent
            && let Err(e) = self.services.backend.sign_out(&agent.id)
        {
            tracing::warn!(
                "the platform did not take the sign-out of {}: {e}",
                agent.id
            );
        }
        self.agent = None;
        self.channels.clear();
        self.callbacks.clear();
        // The ids set aside were this agent's.
        self.services.clear_message_ids();
        // Nothing of this agent's session shows to the next one.
        self.toasts.clear();
        self.media_checks.clear();
        self.offers.clear();
        self.interactions.clear();
        self.selected = None;
    }

    /// Why the platform signed the agent out (an administrator disabled them), once.
    pub fn take_signed_out_reason(&mut self) -> Option<String> {
        self.signed_out_reason.take()
    }

    fn agent_id(&self) -> Result<String, DeskError> {
        self.agent
            .as_ref()
            .map(|a| a.id.clone())
            .ok_or(DeskError::NotSignedIn)
    }

    fn channel_index(&self, channel: &str) -> Result<usize, DeskError> {
        self.channels
            .iter()
            .position(|c| c.id() == channel)
            .ok_or_else(|| DeskError::ChannelUnavailable(channel.to_owned()))
    }

    fn channel_for_media(&self, media_type: &str) -> Option<usize> {
        self.channels.iter().position(|c| c.handles(media_type))
    }

    /// The running channel for a media type (to start a conversation on it).
    fn running_channel_for(&self, media_type: &str) -> Option<usize> {
        self.channels
            .iter()
            .position(|c| c.is_running() && c.handles(media_type))
    }

    /// Sets a channel Ready or Not Ready.
    pub fn set_ready(&mut self, channel: &str, ready: bool) -> Result<(), DeskError> {
        let agent = self.agent_id()?;
        let index = self.channel_index(channel)?;
        if ready
            && (!self.channels[index].is_running()
                || self.channels[index].status == ChannelStatus::LoggedOut)
        {
            return Err(DeskError::ChannelUnavailable(channel.to_owned()));
        }
        let media = self.channels[index].media_types();
        self.services.backend.set_ready(&agent, &media, ready)?;
        self.channels[index].status = if ready {
            ChannelStatus::Ready
        } else {
            ChannelStatus::NotReady(None)
        };
        Ok(())
    }

    /// Logs the agent out of one channel (nothing is offered on it, and Ready for all leaves
    /// it out) or back in (Not Ready, until they choose Ready).
    pub fn set_logged_out(&mut self, channel: &str, logged_out: bool) -> Result<(), DeskError> {
        let index = self.channel_index(channel)?;
        if logged_out {
            if self.channels[index].status != ChannelStatus::LoggedOut {
                self.set_ready(channel, false)?;
            }
            self.channels[index].status = ChannelStatus::LoggedOut;
        } else if self.channels[index].status == ChannelStatus::LoggedOut {
            self.channels[index].status = ChannelStatus::NotReady(None);
        }
        Ok(())
    }

    /// Sets a channel Not Ready with an optional reason.
    pub fn set_not_ready(
        &mut self,
        channel: &str,
        reason: Option<String>,
    ) -> Result<(), DeskError> {
        self.set_ready(channel, false)?;
        let index = self.channel_index(channel)?;
        self.channels[index].status = ChannelStatus::NotReady(reason);
        Ok(())
    }

    /// Takes what happened since the last call: platform events, expired offers, due timers,
    /// plugin notifications. Call it every frame (and in tests after driving the clock).
    pub fn pump(&mut self) {
        for outcome in self.requests.take_outcomes() {
            self.on_outcome(outcome);
        }
        if !self.media_checks.is_empty() {
            self.check_media();
        }
        for event in self.services.backend.poll() {
            if self.is_being_answered(event.interaction()) {
                self.held_events.push(event);
                continue;
            }
            if let Err(e) = self.on_backend_event(event) {
                self.toast(e.to_string(), true);
            }
        }
        self.expire_offers();
        for (plugin, interaction, timer) in self.services.take_due_timers() {
            if let Ok(index) = self.channel_index(&plugin) {
                self.dispatch(
                    index,
                    Event::TimerFired {
                        interaction: interaction.as_str().into(),
                        timer: timer.into(),
                    },
                );
            }
        }
        for (plugin, notification) in self.services.take_notifications() {
            self.notification(&plugin, notification);
        }
        self.notify_due_callbacks();
    }

    /// Schedules a callback to the contact of an interaction.
    pub fn schedule_callback(
        &mut self,
        interaction: &str,
        number: &str,
        due: Timestamp,
        note: &str,
    ) -> Result<i64, DeskError> {
        let agent = self.agent_id()?;
        let open = self
            .interaction(interaction)
            .ok_or_else(|| DeskError::UnknownInteraction(interaction.to_owned()))?;
        if number.trim().is_empty() {
            return Err(DeskError::InvalidCallback("the number is empty".into()));
        }
        let now = self.now();
        if due <= now {
            return Err(DeskError::InvalidCallback("the time is in the past".into()));
        }
        let callback = crate::store::Callback {
            id: 0,
            interaction: Some(interaction.to_owned()),
            contact_name: open.row.contact_name.clone(),
            number: number.trim().to_owned(),
            due,
            note: note.trim().to_owned(),
            agent,
            state: "scheduled".into(),
        };
        let id = self.services.store.schedule_callback(&callback, now)?;
        self.keep_callback(crate::store::Callback { id, ..callback });
        Ok(id)
    }

    /// The signed-in agent's callbacks, soonest first.
    pub fn callbacks(&self) -> Vec<crate::store::Callback> {
        self.callbacks.clone()
    }

    fn reload_callbacks(&mut self) {
        let Some(agent) = self.agent.as_ref().map(|a| a.id.clone()) else {
            self.callbacks.clear();
            return;
        };
        self.callbacks = self
            .services
            .store
            .callbacks_of(&agent)
            .unwrap_or_else(|e| {
                tracing::warn!("{e}");
                Vec::new()
            });
    }

    /// Lists a newly scheduled callback in due order.
    fn keep_callback(&mut self, callback: crate::store::Callback) {
        let position = self.callbacks.partition_point(|c| c.due <= callback.due);
        self.callbacks.insert(position, callback);
    }

    /// When the next scheduled callback falls due.
    fn next_callback_due(&self) -> Option<Timestamp> {
        self.callbacks
            .iter()
            .filter(|c| c.state == "scheduled")
            .map(|c| c.due)
            .min()
    }

    fn notify_due_callbacks(&mut self) {
        let Some(agent) = self.agent.as_ref().map(|a| a.id.clone()) else {
            return;
        };
        // The store is asked only when a callback the desk knows of falls due.
        if self.next_callback_due().is_none_or(|due| due > self.now()) {
            return;
        }
        match self.services.store.take_due_callbacks(&agent, self.now()) {
            Ok(due) => {
                for callback in due {
                    if let Some(known) = self.callbacks.iter_mut().find(|c| c.id == callback.id) {
                        known.state = "notified".into();
                    }
                    self.notify(
                        "notice-callback-due",
                        vec![
                            ("contact", callback.contact_name.clone()),
                            ("number", crate::people::shown(&callback.number)),
                            ("note", callback.note.clone()),
                        ],
                        false,
                    );
                }
            }
            Err(e) => tracing::warn!("{e}"),
        }
    }

    fn notification(&mut self, plugin: &str, notification: Notification) {
        let text = if notification.body.is_empty() {
            format!("{plugin}: {}", notification.title)
        } else {
            format!("{plugin}: {} — {}", notification.title, notification.body)
        };
        self.toast(text, false);
    }

    fn on_backend_event(&mut self, event: BackendEvent) -> Result<(), DeskError> {
        match event {
            BackendEvent::Offer(details) => self.on_offer(*details),
            BackendEvent::OfferWithdrawn {
                offer_id, reason, ..
            } => {
                self.on_offer_withdrawn(&offer_id, reason);
                Ok(())
            }
            BackendEvent::Inbound { interaction, entry } => {
                self.absorb(vec![entry.clone()]);
                if self.interaction(&interaction).is_some() {
                    self.notify_media_problems(std::slice::from_ref(&entry));
                }
                if let Some(open) = self.interaction(&interaction) {
                    let channel = open.channel;
                    self.dispatch(channel, Event::InboundMessage { entry });
                }
                Ok(())
            }
            BackendEvent::Delivery {
                message_id,
                interaction,
                status,
            } => {
                // The platform recorded it; the desk shows it (a late report that would take
                // the message back along its way is neither shown nor told to the plugin).
                if let Some(open) = self.interaction_mut(&interaction)
                    && open.set_status(message_id, status.clone())
                {
                    let channel = open.channel;
                    self.dispatch(
                        channel,
                        Event::DeliveryReport {
                            interaction: interaction.as_str().into(),
                            message_id,
                            status: status.into(),
                        },
                    );
                }
                Ok(())
            }
            BackendEvent::TransferAnswered {
                interaction,
                target,
                outcome,
            } => {
                self.dispatch_to_open(Event::TransferOutcome {
                    interaction: interaction.into(),
                    target,
                    outcome: outcome.into(),
                });
                Ok(())
            }
            BackendEvent::InvitationAnswered {
                interaction,
                purpose,
                target,
                outcome,
            } => {
                self.dispatch_to_open(Event::InvitationOutcome {
                    interaction: interaction.into(),
                    purpose: purpose.into(),
                    target,
                    outcome: outcome.into(),
                });
                Ok(())
            }
            BackendEvent::ContactTyping {
                interaction,
                typing,
            } => {
                self.dispatch_to_open(Event::ContactTyping {
                    interaction: interaction.into(),
                    typing,
                });
                Ok(())
            }
            BackendEvent::OtherSideEnded { interaction, by } => {
                self.dispatch_to_open(Event::OtherSideEnded {
                    interaction: interaction.into(),
                    by: by.into(),
                });
                Ok(())
            }
            BackendEvent::Directory { entries } => {
                self.directory = crate::directory::Directory::from_entries(entries);
                self.services.set_directory(self.directory.clone());
                Ok(())
            }
            BackendEvent::SignedOut { reason } => {
                self.sign_out();
                self.signed_out_reason = Some(reason);
                Ok(())
            }
            BackendEvent::Link { up } => {
                self.link_up = up;
                for index in 0..self.channels.len() {
                    self.dispatch(index, Event::PlatformLink { up });
                }
                if up {
                    self.restore_readiness();
                }
                Ok(())
            }
        }
    }

    /// After the link comes back, tells the platform again which channels are Ready.
    fn restore_readiness(&mut self) {
        let ready: Vec<String> = self
            .channels
            .iter()
            .filter(|c| c.status == ChannelStatus::Ready)
            .map(|c| c.id().to_owned())
            .collect();
        for channel in ready {
            if let Err(e) = self.set_ready(&channel, true) {
                self.toast(format!("{channel}: {e}"), true);
            }
        }
    }

    fn on_offer(&mut self, details: OfferDetails) -> Result<(), DeskError> {
        let interaction = details.interaction.id.clone();
        let Some(channel) = self.channel_for_media(&details.interaction.media_type) else {
            // Not a channel of this agent: refuse so the platform routes it elsewhere.
            let agent = self.agent_id()?;
            self.services
                .backend
                .answer_offer(&agent, &details.offer_id, false)?;
            return Ok(());
        };
        let row = details.interaction;
        self.offers.push(Offer {
            offer_id: details.offer_id,
            consultation_about: details.consultation_about,
            channel_id: self.channels[channel].id().to_owned(),
            channel_name: self.channels[channel].name().to_owned(),
            first_message: details.first_message,
            row,
            case_data: details.case_data,
            offered_at: details.offered_at,
            expires_at: details.expires_at,
            answering: None,
        });
        let auto_answer = self.agent.as_ref().is_some_and(|a| a.role.auto_answer);
        if auto_answer {
            self.accept_automatically(&interaction)?;
        }
        Ok(())
    }

    /// The platform took an offer back: it leaves the notification area. One that timed out
    /// is reported as missed (unless the desk already said so).
    fn on_offer_withdrawn(&mut self, offer_id: &str, reason: WithdrawReason) {
        let Some(index) = self.offers.iter().position(|o| o.offer_id == offer_id) else {
            return;
        };
        let offer = self.offers.remove(index);
        if reason == WithdrawReason::Expired {
            self.missed(&offer);
        }
    }

    fn missed(&mut self, offer: &Offer) {
        self.notify(
            "notice-missed",
            vec![
                ("channel", offer.channel_name.clone()),
                ("contact", crate::people::shown(&offer.row.contact_name)),
            ],
            false,
        );
    }

    /// Offers whose reservation lapsed by the host clock leave the notification area (the
    /// platform withdraws them on its side).
    fn expire_offers(&mut self) {
        let now = self.now();
        // One being answered waits for the platform's reply, which decides.
        let (expired, kept): (Vec<Offer>, Vec<Offer>) = self
            .offers
            .drain(..)
            .partition(|o| o.expires_at <= now && o.answering.is_none());
        self.offers = kept;
        for offer in &expired {
            self.missed(offer);
        }
    }

    /// Opens an interaction the agent holds: its transcript and side panels are read, and its
    /// plugin receives it as accepted.
    fn open_accepted(
        &mut self,
        row: crate::store::InteractionRow,
        case_data: Vec<KeyValue>,
        channel: usize,
        agent: &Agent,
        opening: opening::Opening,
    ) {
        let opening::Opening { transcript, side } = opening;
        let info = InteractionInfo {
            id: row.id.as_str().into(),
            media_type: row.media_type.as_str().into(),
            contact_name: row.contact_name.as_str().into(),
            contact_address: row.contact_address.as_str().into(),
            our_address: row.our_address.as_str().into(),
            case_data: RVec::from(case_data.clone()),
            created: row.created,
            agent_name: agent.display_name.as_str().into(),
        };
        let ended = row.state == crate::store::InteractionState::Ended;
        let mut open =
            OpenInteraction::new(row, channel, case_data, transcript.clone(), self.now());
        open.ended = ended;
        side.apply_to(&mut open);
        self.track(&open);
        self.notify_media_problems(&transcript);
        self.open_interaction(open);
        self.dispatch(
            channel,
            Event::Accepted {
                interaction: info,
                transcript: transcript.into(),
            },
        );
    }

    /// Opens again what the agent held when the desktop last stopped (a crash, a restart, a
    /// sign-out that kept the work): nothing accepted and not done is left behind.
    fn reopen_held(&mut self) {
        let Some(agent) = self.agent.clone() else {
            return;
        };
        let held = match self.services.store.held_by(&agent.id) {
            Ok(held) => held,
            Err(e) => {
                self.notify(
                    "notice-open-unreadable",
                    vec![("reason", e.to_string())],
                    true,
                );
                return;
            }
        };
        for row in held {
            if self.interaction(&row.id).is_some() {
                continue;
            }
            let Some(channel) = self.channel_for_media(&row.media_type) else {
                tracing::warn!(
                    "{} ({}) is held by {} but none of their channels carries it",
                    row.id,
                    row.media_type,
                    agent.id
                );
                continue;
            };
            let case_data = match self.services.store.case_data(&row.id) {
                Ok(case_data) => case_data,
                Err(e) => {
                    tracing::warn!("reopening {}: {e}", row.id);
                    continue;
                }
            };
            let since = self.now().plus_seconds(-RECENT_SECONDS);
            match opening::Opening::read(self.services.store.as_ref(), &row.id, &agent.id, since) {
                Ok(opening) => self.open_accepted(row, case_data, channel, &agent, opening),
                Err(e) => tracing::warn!("reopening {}: {e}", row.id),
            }
        }
        if self.selected.is_none() {
            self.selected = self.interactions.first().map(|i| i.row.id.clone());
        }
    }

    /// Adds an interaction to the desk; the others open with the same contact count one more
    /// interaction with them.
    fn open_interaction(&mut self, open: OpenInteraction) {
        let contact = open.contact.as_ref().map(|c| c.id);
        if let Some(contact) = contact {
            for other in &mut self.interactions {
                if other.contact.as_ref().is_some_and(|c| c.id == contact) {
                    other.other_interactions += 1;
                }
            }
        }
        self.interactions.push(open);
    }

    /// Loads what the side panels show: contact, note, disposition, other interactions.
    fn load_side_data(&self, open: &mut OpenInteraction) -> Result<(), DeskError> {
        let since = self.now().plus_seconds(-RECENT_SECONDS);
        let agent = self.agent_id()?;
        opening::SideData::read(self.services.store.as_ref(), &open.row.id, &agent, since)?
            .apply_to(open);
        self.track(open);
        Ok(())
    }

    /// Reloads note and disposition after a plugin changed them, keeping an unsaved draft.
    fn refresh_note_and_disposition(&mut self, interaction: &str) -> Result<(), DeskError> {
        let note = self.services.store.note(interaction)?.unwrap_or_default();
        let disposition = self.services.store.disposition(interaction)?;
        if let Some(open) = self.interaction_mut(interaction) {
            if open.note_draft == open.note {
                open.note_draft = note.clone();
            }
            open.note = note;
            open.disposition = disposition;
        }
        Ok(())
    }

    fn interaction_channel_id(&self, interaction: &str) -> Result<String, DeskError> {
        let open = self
            .interaction(interaction)
            .ok_or_else(|| DeskError::UnknownInteraction(interaction.to_owned()))?;
        Ok(self.channels[open.channel].id().to_owned())
    }

    /// Whether Done needs a disposition first for this interaction, and none is chosen yet.
    pub fn disposition_missing(&self, interaction: &str) -> bool {
        let Some(open) = self.interaction(interaction) else {
            return false;
        };
        let channel = self.channels[open.channel].id();
        let required = self
            .agent
            .as_ref()
            .is_some_and(|a| a.role.dispositions_required.iter().any(|c| c == channel));
        required && open.disposition.is_none()
    }

    /// The standard-response library.
    pub fn responses(&self) -> &Library {
        &self.responses
    }

    /// The UI language, used when an interaction does not say which language to use.
    /// Plugins learn it ([`Event::LanguageChanged`]) and their views are drawn again.
    pub fn set_ui_language(&mut self, tag: &str) {
        self.ui_language = tag.to_owned();
        if !self.services.set_language(tag) {
            return;
        }
        self.services
            .set_disposition_tree(self.disposition_tree_in(tag));
        for index in 0..self.channels.len() {
            self.dispatch(
                index,
                Event::LanguageChanged {
                    language: tag.into(),
                },
            );
        }
        let open: Vec<(usize, String)> = self
            .interactions
            .iter()
            .map(|i| (i.channel, i.row.id.clone()))
            .collect();
        for (channel, id) in open {
            // Labels a view shows from the records (the disposition) read again in words.
            self.dispatch(
                channel,
                Event::RecordsChanged {
                    interaction: id.as_str().into(),
                    records: switchboard_sdk::records::DISPOSITION.into(),
                },
            );
        }
    }

    /// The UI language (`en`, `fr`).
    pub fn ui_language(&self) -> &str {
        &self.ui_language
    }

    /// The translations of every plugin started so far, by plugin id, so their stored system
    /// lines can be drawn in the reader's language.
    pub fn plugin_translations(&self) -> &BTreeMap<String, Arc<switchboard_sdk::Translations>> {
        &self.plugin_translations
    }

    /// The language to answer an interaction in: its case data, the contact's, or the UI's.
    pub fn interaction_language(&self, interaction: &str) -> String {
        match self.interaction(interaction) {
            Some(open) => self.language_of_open(open),
            None => self.ui_language.clone(),
        }
    }

    /// The language an open interaction is answered in: the case data or the contact record
    /// say; else the contact's own messages do; else the window's language.
    fn language_of_open(&self, open: &OpenInteraction) -> String {
        let fallback = open.written_language.unwrap_or(self.ui_language.as_str());
        crate::i18n::answer_language(&open.case_data, open.contact.as_ref(), fallback)
    }

    /// Field values for standard responses in an interaction.
    pub fn response_fields(&self, interaction: &str) -> Fields {
        let Some(open) = self.interaction(interaction) else {
            return Fields::new();
        };
        crate::responses::interaction_fields(
            &open.row,
            open.contact.as_ref(),
            &open.case_data,
            self.agent
                .as_ref()
                .map(|a| (a.display_name.as_str(), a.name.as_str())),
        )
    }

    /// Inserts text into the draft at a character position (the composer's cursor).
    pub fn insert_in_draft(&mut self, interaction: &str, at_char: usize, text: &str) {
        if let Some(open) = self.interaction_mut(interaction) {
            let at = open
                .draft
                .char_indices()
                .nth(at_char)
                .map_or(open.draft.len(), |(i, _)| i);
            open.draft.insert_str(at, text);
        }
        self.composer_changed(interaction);
    }

    /// Expands a `#keyword` just completed by a space or tab; true when it did.
    fn expand_shortcut(&mut self, interaction: &str) -> bool {
        let language = self.interaction_language(interaction);
        let fields = self.response_fields(interaction);
        let Some(draft) = self.interaction(interaction).map(|o| o.draft.clone()) else {
            return false;
        };
        let Some(expanded) = self.responses.expand_shortcut(&draft, &language, &fields) else {
            return false;
        };
        if let Some(open) = self.interaction_mut(interaction) {
            open.draft = expanded;
        }
        true
    }

    /// The composer's text changed: a `#keyword` just completed expands, and the plugin
    /// updates its counter.
    pub fn composer_changed(&mut self, interaction: &str) {
        self.expand_shortcut(interaction);
        let Some(open) = self.interaction(interaction) else {
            return;
        };
        let (channel, text) = (open.channel, open.draft.clone());
        // The plugin checks the draft in the language the reply box underlines in (it follows
        // the agent's choice and the contact's own messages).
        let language = self.spell_language_of(open).tag().to_owned();
        self.services.set_open_language(interaction, language);
        self.dispatch(
            channel,
            Event::ComposerChanged {
                interaction: interaction.into(),
                text: text.into(),
            },
        );
    }

    /// The channel of an open interaction.
    fn channel_of(&self, interaction: &str) -> Result<usize, DeskError> {
        self.interaction(interaction)
            .map(|o| o.channel)
            .ok_or_else(|| DeskError::UnknownInteraction(interaction.to_owned()))
    }

    /// The agent used a toolbar action of the plugin.
    pub fn action(&mut self, interaction: &str, action: &str) -> Result<(), DeskError> {
        let channel = self.channel_of(interaction)?;
        self.dispatch(
            channel,
            Event::Action {
                interaction: interaction.into(),
                action: action.into(),
            },
        );
        Ok(())
    }

    /// Closes an interaction as done. Works even when its plugin failed.
    ///
    /// The close is queued behind what the agent did before in it (its note, disposition and
    /// last replies): the interaction shows as closing, and leaves the desk once the platform
    /// took the close; when something before it was not saved, or the platform cannot be
    /// told, it stays open with the reason.
    pub fn mark_done(&mut self, interaction: &str) -> Result<(), DeskError> {
        let open = self
            .interaction(interaction)
            .ok_or_else(|| DeskError::UnknownInteraction(interaction.to_owned()))?;
        if open.closing {
            return Ok(());
        }
        if self.disposition_missing(interaction) {
            let channel = self.channels[open.channel].name().to_owned();
            let error = DeskError::DispositionRequired(channel);
            if let Some(open) = self.interaction_mut(interaction) {
                open.error = Some(error.to_string());
            }
            return Err(error);
        }
        self.save_note(interaction)?;
        if let Some(open) = self.interaction_mut(interaction) {
            open.closing = true;
        }
        self.requests.submit_close(interaction);
        Ok(())
    }

    /// The platform took an interaction's close (it leaves the desk), or it stays open with
    /// the reason.
    pub(super) fn on_closed(
        &mut self,
        interaction: String,
        result: Result<(), requests::CloseRefusal>,
    ) {
        // Gone meanwhile (withdrawn, handed over): nothing more to do.
        let Some(index) = self
            .interactions
            .iter()
            .position(|i| i.row.id == interaction)
        else {
            return;
        };
        let refusal = match result {
            Ok(()) => {
                self.forget_interaction(index);
                return;
            }
            Err(refusal) => refusal,
        };
        let text = refusal.to_string();
        let open = &mut self.interactions[index];
        open.closing = false;
        open.error = Some(text.clone());
        // A refusal of what was queued before was told when it came; the platform's is new.
        if matches!(refusal, requests::CloseRefusal::Platform(_)) {
            self.toast(text, true);
        }
    }

    /// Takes an interaction off the desk: its timers stop, its plugin forgets it, and the
    /// selection moves on. Returns it.
    fn forget_interaction(&mut self, index: usize) -> OpenInteraction {
        let gone = self.interactions.remove(index);
        let id = gone.row.id.clone();
        self.services.cancel_timers_of(&id);
        self.services.forget_open(&id);
        self.dispatch_quiet(
            gone.channel,
            Event::Closed {
                interaction: id.as_str().into(),
            },
        );
        if self.selected.as_deref() == Some(id.as_str()) {
            // As a closed tab gives way to its neighbour: the agent working through the bar
            // goes on from where they were, not from its start.
            let neighbours = (index..self.interactions.len()).chain((0..index).rev());
            self.selected = neighbours
                .map(|i| self.interactions[i].row.id.as_str())
                .find(|id| !self.is_pane(id))
                .map(str::to_owned);
        }
        gone
    }

    /// Sends an event to a channel's plugin, applies its commands and refreshes the view of
    /// the interaction concerned.
    fn dispatch(&mut self, channel: usize, event: Event) {
        let interaction = event.interaction().map(str::to_owned);
        let commands = self.dispatch_quiet(channel, event);
        self.absorb(self.services.take_appended());
        self.submit_sends();
        for callback in self.services.take_scheduled() {
            self.keep_callback(callback);
        }
        for touched in self.services.take_touched() {
            if let Err(e) = self.refresh_note_and_disposition(&touched) {
                tracing::warn!("reloading {touched}: {e}");
            }
        }
        self.apply(commands);
        if let Some(id) = interaction {
            self.refresh_view(&id);
        }
    }

    /// Sends an event to the plugin of the interaction it concerns, when that interaction is
    /// open on this desk.
    fn dispatch_to_open(&mut self, event: Event) {
        let channel = event
            .interaction()
            .and_then(|id| self.interaction(id))
            .map(|o| o.channel);
        if let Some(channel) = channel {
            self.dispatch(channel, event);
        }
    }

    fn dispatch_quiet(&mut self, channel: usize, event: Event) -> Vec<Command> {
        let interaction = event.interaction().map(str::to_owned);
        let Some(slot) = self.channels.get_mut(channel) else {
            return Vec::new();
        };
        match slot.handle(event) {
            Ok(commands) => commands,
            Err(message) => {
                if let Some(open) = interaction.and_then(|id| self.interaction_mut(&id)) {
                    open.error = Some(message.clone());
                }
                if !self.channels[channel].is_running() {
                    self.toast(message, true);
                    self.stop_routing_to_failed(channel);
                }
                Vec::new()
            }
        }
    }

    /// Lets the plugin host answer calls about an open interaction from memory.
    fn track(&self, open: &OpenInteraction) {
        let language = self.spell_language_of(open).tag().to_owned();
        let first_reply = open
            .transcript
            .iter()
            .find(|e| e.role() == Some(switchboard_sdk::Role::Agent))
            .map(|e| e.text.to_string());
        self.services.track_open(crate::plugin_host::OpenFacts {
            row: open.row.clone(),
            case_data: open.case_data.clone(),
            disposition: open.disposition.clone(),
            language,
            first_reply,
            contact: open.contact.clone(),
            history: open.history.clone(),
        });
    }

    /// A failed channel is not Ready: the platform stops offering work on it (what waits goes
    /// to other agents or waits in the queue) until the agent signs in again.
    fn stop_routing_to_failed(&mut self, channel: usize) {
        if self.channels[channel].status != ChannelStatus::Ready {
            return;
        }
        let media = self.channels[channel].media_types();
        if let Some(agent) = self.agent.as_ref().map(|a| a.id.clone())
            && let Err(e) = self.services.backend.set_ready(&agent, &media, false)
        {
            tracing::warn!("the platform did not take a failed channel's Not Ready: {e}");
        }
        self.channels[channel].status =
            ChannelStatus::NotReady(Some(self.channels[channel].health_text()));
    }

    /// Tells the plugin of an open interaction that records its view may show changed, so it
    /// reads them again in `handle` (never in `view`); the view refreshes after.
    pub(crate) fn records_changed(&mut self, interaction: &str, records: &str) {
        if let Some(open) = self.interaction(interaction) {
            self.track(open);
        }
        self.dispatch_to_open(Event::RecordsChanged {
            interaction: interaction.into(),
            records: records.into(),
        });
    }

    fn refresh_view(&mut self, interaction: &str) {
        let Some(open) = self.interactions.iter().find(|i| i.row.id == interaction) else {
            return;
        };
        let channel = open.channel;
        let result = self.channels[channel].view(interaction);
        let parts = self.channels[channel].view_parts(interaction);
        let failed = !self.channels[channel].is_running();
        if let Some(open) = self.interaction_mut(interaction) {
            match result {
                Ok(view) => open.view = Some(view),
                Err(message) => open.error = Some(message),
            }
            open.view_parts = parts;
        }
        if failed {
            self.stop_routing_to_failed(channel);
            self.toast(
                format!(
                    "{}: {}",
                    self.channels[channel].id(),
                    self.channels[channel].health_text()
                ),
                true,
            );
        }
    }

    /// Adds stored entries to the transcripts of open interactions.
    fn absorb(&mut self, entries: Vec<TranscriptEntry>) {
        for entry in entries {
            if let Some(open) = self.interaction_mut(&entry.interaction.to_string()) {
                open.push_entry(entry);
            }
        }
    }

    fn apply(&mut self, commands: Vec<Command>) {
        let mut cleared = Vec::new();
        for command in commands {
            match command {
                Command::MarkDone { interaction } => {
                    if let Err(e) = self.mark_done(&interaction)
                        && !e.is_shown_on_the_interaction()
                    {
                        self.toast(e.to_string(), true);
                    }
                }
                Command::End { interaction } => {
                    // Ended conversations take no new messages: a session-mode contact's next
                    // SMS opens a new session.
                    self.set_ended(&interaction, true);
                }
                Command::ShowError { interaction, text } => {
                    if let Some(open) = self.interaction_mut(&interaction) {
                        open.error = Some(text.to_string());
                    }
                }
                Command::ClearComposer { interaction } => {
                    if let Some(open) = self.interaction_mut(&interaction) {
                        open.draft.clear();
                        open.error = None;
                        cleared.push(interaction.into_string());
                    }
                }
                Command::ChooseTarget {
                    interaction,
                    purpose,
                } => {
                    if let Some(open) = self.interaction_mut(&interaction) {
                        open.choosing_target = Some(purpose.into_string());
                    }
                }
                Command::Release { interaction } => self.release(&interaction),
                Command::Resume { interaction } => self.set_ended(&interaction, false),
                _ => tracing::debug!("ignoring a command newer than this shell"),
            }
        }
        // The plugin's counter follows the emptied composer.
        for interaction in cleared {
            self.composer_changed(&interaction);
        }
    }

    /// A conversation ended (or, continued, is live again): the platform records it, the desk
    /// shows it.
    fn set_ended(&mut self, interaction: &str, ended: bool) {
        let Some(agent) = self.agent.clone() else {
            return;
        };
        let call = if ended {
            crate::plugin_host::PlatformCall::End {
                interaction: interaction.to_owned(),
                by: agent.display_name.clone(),
            }
        } else {
            crate::plugin_host::PlatformCall::Resume {
                interaction: interaction.to_owned(),
                agent: agent.id.clone(),
            }
        };
        // Told on the requests thread, in order with the sends around it.
        self.requests.submit(requests::Request::Platform(call));
        if let Some(open) = self.interaction_mut(interaction) {
            open.ended = ended;
        }
    }

    /// When the UI should wake up next for a timer or an offer to expire.
    pub fn next_deadline(&self) -> Option<Timestamp> {
        let offer = self.offers.iter().map(|o| o.expires_at).min();
        let timer = self.services.next_timer();
        let platform = self.services.backend.next_due();
        let callback = self.next_callback_due();
        offer
            .into_iter()
            .chain(timer)
            .chain(platform)
            .chain(callback)
            .min()
    }

    /// Marks a message's delivery status in memory (used by tests of failure display).
    pub fn message_status(&self, interaction: &str, message_id: i64) -> Option<DeliveryStatus> {
        self.interaction(interaction)?
            .transcript
            .iter()
            .find(|e| e.id == message_id)
            .and_then(|e| e.status.as_enum().ok().cloned())
    }

    /// Case data of an open interaction.
    pub fn case_data(&self, interaction: &str) -> &[KeyValue] {
        self.interaction(interaction).map_or(&[], |i| &i.case_data)
    }
}
