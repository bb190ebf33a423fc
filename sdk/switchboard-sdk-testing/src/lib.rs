//! # switchboard-sdk-testing
//!
//! A host double and a small harness so a channel plugin can be tested without the shell:
//! feed events, advance the clock, and assert on the commands, the sent messages, the stored
//! transcript and the view model.
//!
//! ```text
//! let mut h = Harness::<MyChannel>::new();
//! let id = h.accept_inbound("+33612345678", "Hello");
//! h.send(&id, "Hi!");
//! assert_eq!(h.host.sent().len(), 1);
//! ```

pub mod contract;

use std::{
    collections::{BTreeMap, HashSet},
    sync::{Arc, Mutex, MutexGuard},
};

use switchboard_sdk::{
    Attachment, Channel, Command, ContactCard, DeliveryStatus, Event, Host, HostBox, HostError,
    HostErrorKind, InteractionInfo, InvitationOutcome, KeyValue, LogLevel, Misspelling,
    Notification, NumberInfo, Outbound, PluginError, ResponseText, Role, SystemLine, Target,
    Timestamp, TranscriptEntry, Translations, ViewModel,
    abi_stable::{
        sabi_trait::TD_Opaque,
        std_types::{RNone, RResult, RSome, RStr, RString, RVec},
    },
    host::Host_TO,
};

/// Start of test time: 2026-01-05 09:00:00 UTC.
pub const TEST_EPOCH: Timestamp = Timestamp(1_767_603_600_000);

/// A system line stored by message id: the id and its named arguments.
pub type TranslatedLine = (String, Vec<(String, String)>);

#[derive(Default)]
struct State {
    now: Timestamp,
    next_id: i64,
    transcripts: BTreeMap<String, Vec<TranscriptEntry>>,
    sent: Vec<Outbound>,
    notifications: Vec<Notification>,
    timers: BTreeMap<(String, String), Timestamp>,
    logs: Vec<(LogLevel, String)>,
    denied: HashSet<String>,
    /// The services the plugin's manifest asks for, when known: the real host refuses the rest.
    manifest_services: Option<HashSet<String>>,
    permissions: HashSet<String>,
    case_data: BTreeMap<String, Vec<KeyValue>>,
    notes: BTreeMap<String, String>,
    dispositions: BTreeMap<String, String>,
    disposition_codes: HashSet<String>,
    settings: BTreeMap<String, String>,
    transfers: Vec<(String, Target)>,
    invitations: Vec<(String, Target, String)>,
    typing: Vec<(String, bool)>,
    pushed: Vec<(String, String)>,
    no_sms_numbers: HashSet<String>,
    saved_attachments: Vec<(String, i64, String)>,
    directory: Vec<Target>,
    unknown_words: HashSet<String>,
    responses: Vec<ResponseText>,
    callbacks: Vec<(String, String, Timestamp, String)>,
    language: String,
    /// Interactions the plugin was handed, open (true) or closed (false): the shell refuses
    /// calls about others (not found) and changes to closed ones (invalid), and so does this.
    interactions: BTreeMap<String, bool>,
    /// Lines stored by message id: interaction, then the line.
    translated_lines: Vec<(String, TranslatedLine)>,
}

/// A host double: an in-memory store, a manual clock, and records of everything the plugin
/// asked for. Cheap to clone; clones share state.
#[derive(Clone)]
pub struct TestHost {
    state: Arc<Mutex<State>>,
}

impl Default for TestHost {
    fn default() -> Self {
        Self::new()
    }
}

impl TestHost {
    /// A host whose clock reads [`TEST_EPOCH`].
    pub fn new() -> Self {
        let settings = [
            (switchboard_sdk::settings::SESSION_INACTIVITY_SECONDS, "900"),
            (switchboard_sdk::settings::PENDING_YELLOW_SECONDS, "30"),
            (switchboard_sdk::settings::PENDING_RED_SECONDS, "60"),
            (switchboard_sdk::settings::INVITATION_TIMEOUT_SECONDS, "30"),
            (switchboard_sdk::settings::AGENT_NICKNAME, "Agent"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let state = State {
            now: TEST_EPOCH,
            next_id: 1,
            settings,
            language: switchboard_sdk::i18n::ENGLISH.to_owned(),
            ..State::default()
        };
        Self {
            state: Arc::new(Mutex::new(state)),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The host object to hand to a plugin.
    pub fn host_box(&self) -> HostBox {
        Host_TO::from_value(self.clone(), TD_Opaque)
    }

    /// Grants only the services a manifest asks for, as the shell does: a call to any other is
    /// refused with [`HostErrorKind::Denied`]. [`Harness::new`] does this with the plugin's own
    /// manifest.
    pub fn grant_manifest_services(&self, manifest: &switchboard_sdk::Manifest) {
        self.state().manifest_services =
            Some(manifest.services.iter().map(|s| s.to_string()).collect());
    }

    /// Refuses a service from now on, as a role without it would.
    pub fn deny(&self, service: &str) {
        self.state().denied.insert(service.to_owned());
    }

    /// Grants a permission, as a role holding it would.
    pub fn grant_permission(&self, permission: &str) {
        self.state().permissions.insert(permission.to_owned());
    }

    /// Sets the case data the next interaction(s) will carry.
    pub fn set_case_data(&self, interaction: &str, pairs: &[(&str, &str)]) {
        let pairs = pairs
            .iter()
            .map(|(k, v)| KeyValue {
                key: (*k).into(),
                value: (*v).into(),
            })
            .collect();
        self.state().case_data.insert(interaction.to_owned(), pairs);
    }

    /// Disposition codes the plugin may record, as the administrator's tree would allow.
    pub fn allow_dispositions(&self, codes: &[&str]) {
        self.state()
            .disposition_codes
            .extend(codes.iter().map(|c| (*c).to_owned()));
    }

    /// The disposition recorded for an interaction.
    pub fn recorded_disposition(&self, interaction: &str) -> Option<String> {
        self.state().dispositions.get(interaction).cloned()
    }

    /// The note recorded for an interaction.
    pub fn recorded_note(&self, interaction: &str) -> Option<String> {
        self.state().notes.get(interaction).cloned()
    }

    /// Sets an administrator setting (see `switchboard_sdk::settings`).
    pub fn set_setting(&self, name: &str, value: &str) {
        self.state()
            .settings
            .insert(name.to_owned(), value.to_owned());
    }

    /// Flags a number as unable to receive SMS, as the platform's lookup would.
    pub fn flag_no_sms(&self, number: &str) {
        self.state().no_sms_numbers.insert(number.to_owned());
    }

    /// Adds targets the directory search finds (matched by name, case-insensitively).
    pub fn add_directory(&self, targets: &[Target]) {
        self.state().directory.extend(targets.iter().cloned());
    }

    /// Words the spell checker reports as misspelled.
    pub fn misspell(&self, words: &[&str]) {
        self.state()
            .unknown_words
            .extend(words.iter().map(|w| (*w).to_lowercase()));
    }

    /// Adds standard responses (matched by name, text or keyword).
    pub fn add_responses(&self, responses: &[ResponseText]) {
        self.state().responses.extend(responses.iter().cloned());
    }

    /// Callbacks the plugin scheduled: interaction, number, due, note.
    pub fn callbacks(&self) -> Vec<(String, String, Timestamp, String)> {
        self.state().callbacks.clone()
    }

    /// Transfers the plugin asked for, in order.
    pub fn transfers(&self) -> Vec<(String, Target)> {
        self.state().transfers.clone()
    }

    /// What the plugin told contacts about the agent typing (SDK 1.5), in order.
    pub fn typing(&self) -> Vec<(String, bool)> {
        self.state().typing.clone()
    }

    /// Links the plugin pushed (SDK 1.5): interaction, address.
    pub fn pushed(&self) -> Vec<(String, String)> {
        self.state().pushed.clone()
    }

    /// Invitations the plugin made (SDK 1.5): interaction, target, purpose.
    pub fn invitations(&self) -> Vec<(String, Target, String)> {
        self.state().invitations.clone()
    }

    /// Attachments the plugin saved: interaction, attachment id, path.
    pub fn saved_attachments(&self) -> Vec<(String, i64, String)> {
        self.state().saved_attachments.clone()
    }

    /// Stores a message from the contact with attachments, as the host does for an MMS.
    pub fn store_inbound_with(
        &self,
        interaction: &str,
        author: &str,
        text: &str,
        attachments: Vec<Attachment>,
    ) -> TranscriptEntry {
        // A message stored for an interaction means the plugin has it (closed stays closed).
        self.state()
            .interactions
            .entry(interaction.to_owned())
            .or_insert(true);
        self.store(
            interaction,
            Role::Contact,
            author,
            text,
            DeliveryStatus::None,
            attachments,
        )
    }

    /// Moves the clock forward.
    pub fn advance_seconds(&self, seconds: i64) {
        let mut state = self.state();
        state.now = state.now.plus_seconds(seconds);
    }

    /// Removes and returns the timers due by now, earliest first.
    pub fn take_due_timers(&self) -> Vec<(String, String)> {
        let mut state = self.state();
        let now = state.now;
        let mut due: Vec<_> = state
            .timers
            .iter()
            .filter(|(_, at)| **at <= now)
            .map(|(key, at)| (*at, key.clone()))
            .collect();
        due.sort();
        for (_, key) in &due {
            state.timers.remove(key);
        }
        due.into_iter().map(|(_, key)| key).collect()
    }

    /// Timers currently set, with their due times.
    pub fn timers(&self) -> Vec<((String, String), Timestamp)> {
        self.state()
            .timers
            .iter()
            .map(|(k, v)| (k.clone(), *v))
            .collect()
    }

    /// Outbound messages the plugin sent, in order.
    pub fn sent(&self) -> Vec<Outbound> {
        self.state().sent.clone()
    }

    /// Notifications the plugin raised.
    pub fn notifications(&self) -> Vec<Notification> {
        self.state().notifications.clone()
    }

    /// Log lines the plugin wrote.
    pub fn logs(&self) -> Vec<(LogLevel, String)> {
        self.state().logs.clone()
    }

    /// Sets the language the agent reads (`en`, `fr`); [`Harness::switch_language`] also
    /// tells the plugin.
    pub fn set_language(&self, language: &str) {
        self.state().language = language.to_owned();
    }

    /// The system lines stored by message id in an interaction, in order: id and arguments.
    pub fn translated_lines(&self, interaction: &str) -> Vec<TranslatedLine> {
        self.state()
            .translated_lines
            .iter()
            .filter(|(i, _)| i == interaction)
            .map(|(_, line)| line.clone())
            .collect()
    }

    /// The texts of the system lines stored in an interaction, in order.
    pub fn system_lines(&self, interaction: &str) -> Vec<String> {
        self.stored(interaction)
            .iter()
            .filter(|e| e.role() == Some(Role::System))
            .map(|e| e.text.to_string())
            .collect()
    }

    /// The stored transcript of an interaction.
    pub fn stored(&self, interaction: &str) -> Vec<TranscriptEntry> {
        self.state()
            .transcripts
            .get(interaction)
            .cloned()
            .unwrap_or_default()
    }

    /// Stores a message from the contact, as the host does before telling the plugin.
    pub fn store_inbound(&self, interaction: &str, author: &str, text: &str) -> TranscriptEntry {
        self.store_inbound_with(interaction, author, text, Vec::new())
    }

    /// Hands the plugin an interaction (open), as the shell does when one is accepted or
    /// started; the harness does it for the interactions it creates.
    pub fn open_interaction(&self, interaction: &str) {
        self.state()
            .interactions
            .insert(interaction.to_owned(), true);
    }

    /// Closes an interaction (the agent marked it done): reading it still works, changing it
    /// is refused, as in the shell.
    pub fn close_interaction(&self, interaction: &str) {
        if let Some(open) = self.state().interactions.get_mut(interaction) {
            *open = false;
        }
    }

    /// The interaction exists (open or closed), else the shell's not-found refusal.
    fn known(&self, interaction: &str) -> Result<(), HostError> {
        match self.state().interactions.get(interaction) {
            Some(_) => Ok(()),
            None => Err(HostError::new(
                HostErrorKind::NotFound,
                format!("no interaction {interaction}"),
            )),
        }
    }

    /// The interaction exists and is open, else the shell's refusal (not found, or invalid
    /// for a closed one).
    fn open(&self, interaction: &str) -> Result<(), HostError> {
        match self.state().interactions.get(interaction) {
            Some(true) => Ok(()),
            Some(false) => Err(HostError::new(
                HostErrorKind::Invalid,
                format!("interaction {interaction} is closed"),
            )),
            None => Err(HostError::new(
                HostErrorKind::NotFound,
                format!("no interaction {interaction}"),
            )),
        }
    }

    fn store(
        &self,
        interaction: &str,
        role: Role,
        author: &str,
        text: &str,
        status: DeliveryStatus,
        attachments: Vec<Attachment>,
    ) -> TranscriptEntry {
        let mut state = self.state();
        let entry = TranscriptEntry {
            id: state.next_id,
            interaction: interaction.into(),
            role: role.into(),
            author: author.into(),
            author_key: author.into(),
            time: state.now,
            text: text.into(),
            attachments: attachments.into(),
            status: status.into(),
            provider_id: RNone,
        };
        state.next_id += 1;
        state
            .transcripts
            .entry(interaction.to_owned())
            .or_default()
            .push(entry.clone());
        entry
    }

    fn check(&self, service: &str) -> Result<(), HostError> {
        let state = self.state();
        if state
            .manifest_services
            .as_ref()
            .is_some_and(|asked| !asked.contains(service))
        {
            Err(HostError::new(
                HostErrorKind::Denied,
                format!("service {service} is not in the plugin's manifest"),
            ))
        } else if state.denied.contains(service) {
            Err(HostError::new(
                HostErrorKind::Denied,
                format!("service {service} is not granted"),
            ))
        } else {
            Ok(())
        }
    }
}

impl Host for TestHost {
    fn directory_search(&self, query: RStr<'_>) -> RResult<RVec<Target>, HostError> {
        use switchboard_sdk::services::TEAM_COMMUNICATOR;
        self.check(TEAM_COMMUNICATOR)
            .map(|()| self.directory_matches(&query))
            .into()
    }

    fn check_spelling(
        &self,
        interaction: RStr<'_>,
        text: RStr<'_>,
    ) -> RResult<RVec<Misspelling>, HostError> {
        use switchboard_sdk::services::SPELL_CHECK;
        self.check(SPELL_CHECK)
            .and_then(|()| self.known(&interaction))
            .map(|()| self.misspellings(&text))
            .into()
    }

    fn standard_responses(
        &self,
        interaction: RStr<'_>,
        query: RStr<'_>,
    ) -> RResult<RVec<ResponseText>, HostError> {
        use switchboard_sdk::services::RESPONSES;
        let query = query.to_lowercase();
        self.check(RESPONSES)
            .and_then(|()| self.known(&interaction))
            .map(|()| {
                self.state()
                    .responses
                    .iter()
                    .filter(|r| {
                        [&r.name, &r.text, &r.keyword]
                            .iter()
                            .any(|f| f.to_lowercase().contains(&query))
                    })
                    .cloned()
                    .collect()
            })
            .into()
    }

    fn schedule_callback(
        &self,
        interaction: RStr<'_>,
        number: RStr<'_>,
        due: Timestamp,
        note: RStr<'_>,
    ) -> RResult<i64, HostError> {
        use switchboard_sdk::services::CALLBACKS;
        self.check(CALLBACKS)
            .and_then(|()| self.open(&interaction))
            .map(|()| {
                let mut state = self.state();
                state.callbacks.push((
                    interaction.to_string(),
                    number.to_string(),
                    due,
                    note.to_string(),
                ));
                state.callbacks.len() as i64
            })
            .into()
    }

    fn now(&self) -> Timestamp {
        self.state().now
    }

    fn log(&self, level: LogLevel, message: RStr<'_>) {
        self.state().logs.push((level, message.to_string()));
    }

    fn store_system_line(
        &self,
        interaction: RStr<'_>,
        text: RStr<'_>,
    ) -> RResult<TranscriptEntry, HostError> {
        use switchboard_sdk::services::MESSAGES_STORE;
        self.check(MESSAGES_STORE)
            .and_then(|()| self.open(&interaction))
            .map(|()| {
                self.store(
                    &interaction,
                    Role::System,
                    "System",
                    &text,
                    DeliveryStatus::None,
                    Vec::new(),
                )
            })
            .into()
    }

    fn language(&self) -> RString {
        self.state().language.as_str().into()
    }

    fn store_translated_line(
        &self,
        interaction: RStr<'_>,
        line: SystemLine,
    ) -> RResult<TranscriptEntry, HostError> {
        let stored = self.store_system_line(interaction, line.text.as_rstr());
        if stored.is_ok() {
            let args = line
                .args
                .iter()
                .map(|kv| (kv.key.to_string(), kv.value.to_string()))
                .collect();
            self.state()
                .translated_lines
                .push((interaction.to_string(), (line.id.to_string(), args)));
        }
        stored
    }

    fn send_message(&self, outbound: Outbound) -> RResult<TranscriptEntry, HostError> {
        use switchboard_sdk::services::MESSAGES_SEND;
        if let Err(e) = self
            .check(MESSAGES_SEND)
            .and_then(|()| self.open(&outbound.interaction))
        {
            return RResult::RErr(e);
        }
        // As the shell does: nothing to send is refused, and nothing is stored.
        if outbound.text.trim().is_empty() {
            return RResult::RErr(HostError::new(HostErrorKind::Invalid, "empty message"));
        }
        let entry = self.store(
            &outbound.interaction,
            Role::Agent,
            "Agent",
            &outbound.text,
            DeliveryStatus::Sending,
            Vec::new(),
        );
        self.state().sent.push(outbound);
        RResult::ROk(entry)
    }

    fn set_typing(&self, interaction: RStr<'_>, typing: bool) -> RResult<(), HostError> {
        use switchboard_sdk::services::TYPING;
        self.check(TYPING)
            .and_then(|()| self.open(&interaction))
            .map(|()| self.state().typing.push((interaction.to_string(), typing)))
            .into()
    }

    fn push_url(
        &self,
        interaction: RStr<'_>,
        url: RStr<'_>,
    ) -> RResult<TranscriptEntry, HostError> {
        use switchboard_sdk::{permissions::PUSH_URL, services::MESSAGES_SEND};
        if let Err(e) = self
            .check(MESSAGES_SEND)
            .and_then(|()| self.permission(PUSH_URL))
            .and_then(|()| self.open(&interaction))
        {
            return RResult::RErr(e);
        }
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return RResult::RErr(HostError::new(
                HostErrorKind::Invalid,
                format!("{url} is not an http(s) address"),
            ));
        }
        let entry = self.store(
            &interaction,
            Role::Agent,
            "Agent",
            &url,
            DeliveryStatus::Sending,
            Vec::new(),
        );
        self.state()
            .pushed
            .push((interaction.to_string(), url.to_string()));
        RResult::ROk(entry)
    }

    fn notify(&self, notification: Notification) -> RResult<(), HostError> {
        use switchboard_sdk::services::NOTIFICATIONS;
        self.check(NOTIFICATIONS)
            .map(|()| self.state().notifications.push(notification))
            .into()
    }

    fn set_timer(
        &self,
        interaction: RStr<'_>,
        timer: RStr<'_>,
        at: Timestamp,
    ) -> RResult<(), HostError> {
        use switchboard_sdk::services::TIMERS;
        self.check(TIMERS)
            .map(|()| {
                self.state()
                    .timers
                    .insert((interaction.to_string(), timer.to_string()), at);
            })
            .into()
    }

    fn cancel_timer(&self, interaction: RStr<'_>, timer: RStr<'_>) -> RResult<(), HostError> {
        use switchboard_sdk::services::TIMERS;
        self.check(TIMERS)
            .map(|()| {
                self.state()
                    .timers
                    .remove(&(interaction.to_string(), timer.to_string()));
            })
            .into()
    }

    fn transcript(&self, interaction: RStr<'_>) -> RResult<RVec<TranscriptEntry>, HostError> {
        use switchboard_sdk::services::MESSAGES_STORE;
        self.check(MESSAGES_STORE)
            .and_then(|()| self.open(&interaction))
            .map(|()| self.stored(&interaction).into())
            .into()
    }

    fn case_data(&self, interaction: RStr<'_>) -> RResult<RVec<KeyValue>, HostError> {
        use switchboard_sdk::services::CASE_DATA;
        self.check(CASE_DATA)
            .and_then(|()| self.known(&interaction))
            .map(|()| {
                self.state()
                    .case_data
                    .get(interaction.as_str())
                    .cloned()
                    .unwrap_or_default()
                    .into()
            })
            .into()
    }

    fn contact(&self, interaction: RStr<'_>) -> RResult<ContactCard, HostError> {
        use switchboard_sdk::services::CONTACTS;
        self.check(CONTACTS)
            .and_then(|()| self.known(&interaction))
            .map(|()| ContactCard {
                id: 1,
                name: "Test Contact".into(),
                phone: "+33612345678".into(),
                email: RString::new(),
                language: RString::new(),
            })
            .into()
    }

    fn note(&self, interaction: RStr<'_>) -> RResult<RString, HostError> {
        use switchboard_sdk::services::NOTES;
        self.check(NOTES)
            .and_then(|()| self.known(&interaction))
            .map(|()| {
                self.state()
                    .notes
                    .get(interaction.as_str())
                    .cloned()
                    .unwrap_or_default()
                    .into()
            })
            .into()
    }

    fn set_note(&self, interaction: RStr<'_>, text: RStr<'_>) -> RResult<(), HostError> {
        use switchboard_sdk::services::NOTES;
        self.check(NOTES)
            .and_then(|()| self.open(&interaction))
            .map(|()| {
                self.state()
                    .notes
                    .insert(interaction.to_string(), text.to_string());
            })
            .into()
    }

    fn disposition(&self, interaction: RStr<'_>) -> RResult<RString, HostError> {
        use switchboard_sdk::services::DISPOSITIONS;
        self.check(DISPOSITIONS)
            .and_then(|()| self.known(&interaction))
            .map(|()| {
                self.state()
                    .dispositions
                    .get(interaction.as_str())
                    .cloned()
                    .unwrap_or_default()
                    .into()
            })
            .into()
    }

    fn set_disposition(&self, interaction: RStr<'_>, code: RStr<'_>) -> RResult<(), HostError> {
        use switchboard_sdk::services::DISPOSITIONS;
        let result = self
            .check(DISPOSITIONS)
            .and_then(|()| self.open(&interaction))
            .and_then(|()| {
                let mut state = self.state();
                if !state.disposition_codes.contains(code.as_str()) {
                    return Err(HostError::new(
                        HostErrorKind::Invalid,
                        format!("unknown disposition code {code}"),
                    ));
                }
                state
                    .dispositions
                    .insert(interaction.to_string(), code.to_string());
                Ok(())
            });
        result.into()
    }

    fn check_permission(&self, permission: RStr<'_>) -> RResult<(), HostError> {
        self.permission(&permission).into()
    }

    fn setting(&self, name: RStr<'_>) -> RResult<RString, HostError> {
        match self.state().settings.get(name.as_str()) {
            Some(value) => RResult::ROk(value.as_str().into()),
            None => RResult::RErr(HostError::new(
                HostErrorKind::NotFound,
                format!("no setting {name}"),
            )),
        }
    }

    fn transfer(&self, interaction: RStr<'_>, target: Target) -> RResult<(), HostError> {
        use switchboard_sdk::services::TRANSFER;
        self.check(TRANSFER)
            .and_then(|()| self.open(&interaction))
            .map(|()| {
                self.state()
                    .transfers
                    .push((interaction.to_string(), target))
            })
            .into()
    }

    fn invite(
        &self,
        interaction: RStr<'_>,
        target: Target,
        purpose: RStr<'_>,
    ) -> RResult<(), HostError> {
        use switchboard_sdk::services::INVITATIONS;
        self.check(INVITATIONS)
            .and_then(|()| self.open(&interaction))
            .map(|()| {
                self.state().invitations.push((
                    interaction.to_string(),
                    target,
                    purpose.to_string(),
                ))
            })
            .into()
    }

    fn number_info(&self, address: RStr<'_>) -> RResult<NumberInfo, HostError> {
        let flagged = self.state().no_sms_numbers.contains(address.as_str());
        RResult::ROk(NumberInfo {
            can_receive_sms: !flagged,
            note: if flagged {
                "landline".into()
            } else {
                RString::new()
            },
        })
    }

    fn save_attachment(
        &self,
        interaction: RStr<'_>,
        attachment: i64,
        path: RStr<'_>,
    ) -> RResult<(), HostError> {
        use switchboard_sdk::{permissions::SAVE_IMAGES, services::ATTACHMENTS};
        self.check(ATTACHMENTS)
            .and_then(|()| self.permission(SAVE_IMAGES))
            .and_then(|()| self.known(&interaction))
            .map(|()| {
                self.state().saved_attachments.push((
                    interaction.to_string(),
                    attachment,
                    path.to_string(),
                ));
            })
            .into()
    }
}

impl TestHost {
    fn directory_matches(&self, query: &str) -> RVec<Target> {
        let query = query.to_lowercase();
        self.state()
            .directory
            .iter()
            .filter(|t| t.name.to_lowercase().contains(&query))
            .cloned()
            .collect()
    }

    fn misspellings(&self, text: &str) -> RVec<Misspelling> {
        let unknown = self.state().unknown_words.clone();
        let mut found = RVec::new();
        let mut start = None;
        for (i, c) in text
            .char_indices()
            .chain(std::iter::once((text.len(), ' ')))
        {
            match (c.is_alphanumeric(), start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    if unknown.contains(&text[s..i].to_lowercase()) {
                        found.push(Misspelling {
                            start: s as u32,
                            end: i as u32,
                        });
                    }
                    start = None;
                }
                _ => {}
            }
        }
        found
    }

    fn permission(&self, permission: &str) -> Result<(), HostError> {
        if self.state().permissions.contains(permission) {
            Ok(())
        } else {
            Err(HostError::new(
                HostErrorKind::Denied,
                format!("permission {permission} is not granted"),
            ))
        }
    }
}

/// Fails with every problem of a channel's translations: English and French both present,
/// every message in both with the same arguments, each rendering without a placeholder at
/// counts 1 and 2, and French no-break spaces before `:` `;` `?` `!`.
///
/// # Panics
/// When a problem is found, naming each.
pub fn assert_translations_complete<C: Channel>() {
    let languages: Vec<&str> = C::TRANSLATIONS.iter().map(|(tag, _)| *tag).collect();
    let mut problems = Vec::new();
    for expected in switchboard_sdk::i18n::LANGUAGES {
        if !languages.contains(&expected) {
            problems.push(format!("no {expected} translations"));
        }
    }
    if languages.first() != Some(&switchboard_sdk::i18n::ENGLISH) {
        problems.push("English must come first (it is the fallback)".to_owned());
    }
    problems.extend(Translations::new(C::TRANSLATIONS).problems());
    assert!(
        problems.is_empty(),
        "{} translations:\n{}",
        C::manifest().id,
        problems.join("\n")
    );
}

/// A plugin under test with its host double.
pub struct Harness<C: Channel> {
    /// The host double the plugin talks to.
    pub host: TestHost,
    /// The plugin itself (its plain Rust type, no ABI in between).
    pub plugin: C,
    next_interaction: u32,
    /// Why the plugin was stopped (it panicked): the shell calls it no more, nor does this.
    failed: Option<PluginError>,
}

impl<C: Channel> Harness<C> {
    /// Creates the plugin against a fresh host double.
    ///
    /// # Panics
    /// If the plugin refuses to start.
    pub fn new() -> Self {
        Self::in_language(switchboard_sdk::i18n::ENGLISH)
    }

    /// Creates the plugin for an agent who reads `language` (`en`, `fr`).
    ///
    /// # Panics
    /// If the plugin refuses to start.
    pub fn in_language(language: &str) -> Self {
        let host = TestHost::new();
        host.set_language(language);
        host.grant_manifest_services(&C::manifest());
        let plugin = match C::create(host.host_box()) {
            Ok(plugin) => plugin,
            Err(e) => panic!("plugin refused to start: {e}"),
        };
        Self {
            host,
            plugin,
            next_interaction: 1,
            failed: None,
        }
    }

    /// The agent switches the shell's language: the host answers it from now on and the
    /// plugin is told.
    pub fn switch_language(&mut self, language: &str) -> Vec<Command> {
        self.host.set_language(language);
        self.event(Event::LanguageChanged {
            language: language.into(),
        })
    }

    /// Sends one event and returns the plugin's commands.
    ///
    /// # Panics
    /// If the plugin returns an error.
    pub fn event(&mut self, event: Event) -> Vec<Command> {
        match self.try_event(event) {
            Ok(commands) => commands,
            Err(e) => panic!("plugin failed: {e}"),
        }
    }

    /// Sends one event through the SDK's panic guard, as the shell does: a panic comes back as
    /// a [`switchboard_sdk::PluginErrorKind::Panicked`] error naming where it happened, and the
    /// plugin is stopped (every later event is refused with that error, as the shell makes the
    /// channel unavailable).
    pub fn try_event(&mut self, event: Event) -> Result<Vec<Command>, PluginError> {
        if let Some(failure) = &self.failed {
            return Err(failure.clone());
        }
        let plugin = &mut self.plugin;
        let result = switchboard_sdk::plugin::contain_panic("handle", || plugin.handle(event));
        if let Err(e) = &result
            && e.kind() == Some(switchboard_sdk::PluginErrorKind::Panicked)
        {
            self.failed = Some(e.clone());
        }
        let commands = result?;
        // Mark done closes the interaction in the shell at once: calls that change it are
        // refused from then on, here too.
        for command in &commands {
            if let Command::MarkDone { interaction } = command {
                self.host.close_interaction(interaction);
            }
        }
        Ok(commands)
    }

    /// Why the plugin was stopped, when it panicked.
    pub fn failure(&self) -> Option<&PluginError> {
        self.failed.as_ref()
    }

    /// The next interaction of the plugin's first media type, with the case data set for its
    /// id; takes the id.
    fn new_interaction(&mut self, name: &str, address: &str, ours: &str) -> InteractionInfo {
        let id = self.next_interaction_id();
        self.next_interaction += 1;
        self.host.open_interaction(&id);
        let media_type = C::manifest()
            .media_types
            .first()
            .map(|m| m.to_string())
            .unwrap_or_default();
        let case_data = self
            .host
            .state()
            .case_data
            .get(&id)
            .cloned()
            .unwrap_or_default();
        InteractionInfo {
            id: id.as_str().into(),
            media_type: media_type.into(),
            contact_name: name.into(),
            contact_address: address.into(),
            our_address: ours.into(),
            case_data: case_data.into(),
            created: self.host.now(),
            agent_name: "Agent".into(),
        }
    }

    /// The id the next accepted interaction will get (to set its case data first).
    pub fn next_interaction_id(&self) -> String {
        format!("test-{}", self.next_interaction)
    }

    /// Creates an interaction of the plugin's first media type with one inbound message,
    /// accepts it, and returns its id.
    pub fn accept_inbound(&mut self, from: &str, text: &str) -> String {
        self.accept_inbound_with(from, text, Vec::new())
    }

    /// Like [`Harness::accept_inbound`], with attachments on the first message.
    pub fn accept_inbound_with(
        &mut self,
        from: &str,
        text: &str,
        attachments: Vec<Attachment>,
    ) -> String {
        let id = self.next_interaction_id();
        self.host.store_inbound_with(&id, from, text, attachments);
        let info = self.new_interaction(from, from, "+15550100");
        let transcript = self.host.stored(&id).into();
        self.event(Event::Accepted {
            interaction: info,
            transcript,
        });
        id
    }

    /// A further message from the contact arrives in an open interaction.
    pub fn inbound(&mut self, interaction: &str, from: &str, text: &str) -> Vec<Command> {
        let entry = self.host.store_inbound(interaction, from, text);
        self.event(Event::InboundMessage { entry })
    }

    /// The platform reports on an outbound message.
    pub fn delivery(
        &mut self,
        interaction: &str,
        message_id: i64,
        status: DeliveryStatus,
    ) -> Vec<Command> {
        self.event(Event::DeliveryReport {
            interaction: interaction.into(),
            message_id,
            status: status.into(),
        })
    }

    /// The agent presses Send with `text`.
    pub fn send(&mut self, interaction: &str, text: &str) -> Vec<Command> {
        self.event(Event::Send {
            interaction: interaction.into(),
            text: text.into(),
        })
    }

    /// The agent types `text` in the composer.
    pub fn type_text(&mut self, interaction: &str, text: &str) -> Vec<Command> {
        self.event(Event::ComposerChanged {
            interaction: interaction.into(),
            text: text.into(),
        })
    }

    /// The agent clicks a toolbar action.
    pub fn action(&mut self, interaction: &str, action: &str) -> Vec<Command> {
        self.event(Event::Action {
            interaction: interaction.into(),
            action: action.into(),
        })
    }

    /// The agent picks `target` in the Team Communicator opened for `purpose`.
    pub fn choose_target(
        &mut self,
        interaction: &str,
        purpose: &str,
        target: Target,
    ) -> Vec<Command> {
        self.event(Event::TargetChosen {
            interaction: interaction.into(),
            purpose: purpose.into(),
            target,
        })
    }

    /// The platform answers the plugin's last transfer request of `interaction`.
    ///
    /// # Panics
    /// If the plugin asked for no transfer of that interaction.
    pub fn answer_transfer(
        &mut self,
        interaction: &str,
        outcome: InvitationOutcome,
    ) -> Vec<Command> {
        let Some((_, target)) = self
            .host
            .transfers()
            .into_iter()
            .rev()
            .find(|(id, _)| id == interaction)
        else {
            panic!("no transfer was asked for {interaction}");
        };
        self.event(Event::TransferOutcome {
            interaction: interaction.into(),
            target,
            outcome: outcome.into(),
        })
    }

    /// The agent starts a conversation with `target` from the Team Communicator (SDK 1.5), as a
    /// consultation on `consulting` when it is not empty; returns the new interaction's id.
    pub fn start(&mut self, target: &Target, consulting: &str) -> (String, Vec<Command>) {
        let id = self.next_interaction_id();
        let address = format!("{}:{}", target.kind, target.id);
        let info = self.new_interaction(&target.name, &address, "agent:agent");
        let commands = self.event(Event::Started {
            interaction: info,
            consulting: consulting.into(),
        });
        (id, commands)
    }

    /// The platform answers the plugin's last invitation of `interaction`, naming the agent
    /// who answered (SDK 1.5).
    ///
    /// # Panics
    /// If the plugin made no invitation in that interaction.
    pub fn answer_invitation(
        &mut self,
        interaction: &str,
        answered_by: Target,
        outcome: InvitationOutcome,
    ) -> Vec<Command> {
        let Some((_, _, purpose)) = self
            .host
            .invitations()
            .into_iter()
            .rev()
            .find(|(id, _, _)| id == interaction)
        else {
            panic!("no invitation was made in {interaction}");
        };
        self.event(Event::InvitationOutcome {
            interaction: interaction.into(),
            purpose: purpose.into(),
            target: answered_by,
            outcome: outcome.into(),
        })
    }

    /// Records the view may show changed (SDK 1.6): what the shell sends after the agent chose a
    /// disposition, edited the contact... `records` is one of `switchboard_sdk::records`.
    pub fn records_changed(&mut self, interaction: &str, records: &str) -> Vec<Command> {
        self.event(Event::RecordsChanged {
            interaction: interaction.into(),
            records: records.into(),
        })
    }

    /// The contact starts or stops typing (SDK 1.5).
    pub fn contact_typing(&mut self, interaction: &str, typing: bool) -> Vec<Command> {
        self.event(Event::ContactTyping {
            interaction: interaction.into(),
            typing,
        })
    }

    /// The agent pushes a link from the shell's URL editor (SDK 1.5).
    pub fn push_url(&mut self, interaction: &str, url: &str) -> Vec<Command> {
        self.event(Event::PushUrl {
            interaction: interaction.into(),
            url: url.into(),
        })
    }

    /// The contact (or colleague) ends the conversation (SDK 1.5).
    pub fn other_side_ends(&mut self, interaction: &str, by: &str) -> Vec<Command> {
        self.event(Event::OtherSideEnded {
            interaction: interaction.into(),
            by: by.into(),
        })
    }

    /// A message from the other agent arrives in an open interaction (SDK 1.5 internal IM).
    pub fn colleague_writes(&mut self, interaction: &str, from: &str, text: &str) -> Vec<Command> {
        let entry = self.host.store(
            interaction,
            Role::OtherAgent,
            from,
            text,
            DeliveryStatus::None,
            Vec::new(),
        );
        self.event(Event::InboundMessage { entry })
    }

    /// Moves the clock forward and delivers the timers that fell due.
    pub fn advance_seconds(&mut self, seconds: i64) -> Vec<Command> {
        self.host.advance_seconds(seconds);
        let mut commands = Vec::new();
        for (interaction, timer) in self.host.take_due_timers() {
            commands.extend(self.event(Event::TimerFired {
                interaction: interaction.into(),
                timer: timer.into(),
            }));
        }
        commands
    }

    /// The plugin's view of an interaction.
    ///
    /// # Panics
    /// If the plugin returns an error.
    pub fn view(&self, interaction: &str) -> ViewModel {
        match self.plugin.view(interaction) {
            Ok(view) => view,
            Err(e) => panic!("view failed: {e}"),
        }
    }

    /// The view model as text, one item per line, for assertions.
    pub fn render_text(&self, interaction: &str) -> String {
        let view = self.view(interaction);
        let mut out = format!(
            "header: {} <{}> {:?}\n",
            view.header.title,
            view.header.address,
            view.header.state.as_enum().ok()
        );
        for badge in &view.badges {
            out.push_str(&format!("badge: {}\n", badge.text));
        }
        for action in &view.toolbar {
            let state = if action.enabled { "" } else { " (disabled)" };
            out.push_str(&format!(
                "action: {}{state} · {}\n",
                action.id, action.label
            ));
        }
        let composer = &view.composer;
        let state = if composer.enabled {
            "enabled"
        } else {
            "disabled"
        };
        out.push_str(&format!("composer: {state} [{}]\n", composer.counter));
        if !composer.hint.is_empty() {
            out.push_str(&format!("hint: {}\n", composer.hint));
        }
        out
    }
}

impl<C: Channel> Default for Harness<C> {
    fn default() -> Self {
        Self::new()
    }
}

/// Builds an [`RSome`] text, for concise expectations.
pub fn some_text(s: &str) -> switchboard_sdk::abi_stable::std_types::ROption<RString> {
    RSome(s.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard_sdk::permissions::SAVE_IMAGES;

    #[test]
    fn saving_an_attachment_needs_the_permission_as_a_role_would_grant_it() {
        let host = TestHost::new();
        host.open_interaction("i");
        let save = || host.save_attachment("i".into(), 1, "/tmp/x.jpg".into());
        assert!(save().is_err());
        host.grant_permission(SAVE_IMAGES);
        assert!(save().is_ok());
        assert_eq!(host.saved_attachments().len(), 1);
        host.deny(switchboard_sdk::services::ATTACHMENTS);
        assert!(save().is_err(), "the service can be denied too");
    }

    /// The double holds to the same contract the shell's plugin host is held to.
    struct Double(TestHost);

    impl contract::HostUnderContract for Double {
        fn host_for(&mut self, manifest: &switchboard_sdk::Manifest, code: &str) -> HostBox {
            self.0.grant_manifest_services(manifest);
            self.0.allow_dispositions(&[code]);
            self.0.host_box()
        }
        fn open_interaction(&mut self) -> String {
            self.0.open_interaction("SMS-contract");
            "SMS-contract".to_owned()
        }
        fn close_interaction(&mut self, id: &str) {
            self.0.close_interaction(id);
        }
    }

    /// A channel that panics on its first message.
    struct Fragile;

    impl Channel for Fragile {
        fn manifest() -> switchboard_sdk::Manifest {
            switchboard_sdk::Manifest::new("fragile", "Fragile", "1.0.0").media_type("sms")
        }
        fn create(_host: HostBox) -> Result<Self, PluginError> {
            Ok(Self)
        }
        fn handle(&mut self, event: Event) -> Result<Vec<Command>, PluginError> {
            if let Event::Accepted { .. } = event {
                panic!("no room for this one");
            }
            Ok(Vec::new())
        }
        fn view(&self, interaction: &str) -> Result<ViewModel, PluginError> {
            Err(PluginError::unknown_interaction(interaction))
        }
    }

    #[test]
    fn a_panic_stops_the_plugin_with_where_it_happened_as_the_shell_does() {
        let mut h = Harness::<Fragile>::new();
        let info = h.new_interaction("Camille", "+33612345678", "+15550100");
        let failure = h
            .try_event(Event::Accepted {
                interaction: info,
                transcript: RVec::new(),
            })
            .expect_err("the panic is contained");
        assert_eq!(
            failure.kind(),
            Some(switchboard_sdk::PluginErrorKind::Panicked)
        );
        assert!(
            failure.message.contains("src/lib.rs:") && failure.message.contains("no room"),
            "{}",
            failure.message
        );
        // Stopped: later events are refused with the same error.
        let later = h
            .try_event(Event::PlatformLink { up: true })
            .expect_err("stopped");
        assert_eq!(later, failure);
        assert_eq!(h.failure(), Some(&failure));
    }

    #[test]
    fn the_double_keeps_the_host_contract() {
        contract::assert_host_contract(&mut Double(TestHost::new()));
    }

    #[test]
    fn an_empty_message_is_refused_as_the_shell_refuses_it() {
        let host = TestHost::new();
        host.open_interaction("SMS-1");
        let send = |text: &str| {
            Host::send_message(
                &host,
                Outbound {
                    interaction: "SMS-1".into(),
                    text: text.into(),
                    parts: Default::default(),
                },
            )
        };
        match send("  \n") {
            RResult::RErr(e) => assert_eq!(e.kind(), Some(HostErrorKind::Invalid)),
            RResult::ROk(entry) => panic!("stored {entry:?}"),
        }
        assert!(host.sent().is_empty(), "nothing sent");
        assert!(send("Bonjour").is_ok());
    }
}
