//! The host's services in plain Rust: `&str` in, `Result<_, HostError>` out, owned `String`s and
//! `Vec`s back, so `?` works and plugin code names no ABI type. A plugin keeps a [`Services`]
//! made from the [`HostBox`] its [`crate::Channel::create`] receives; every call goes to the same
//! host method underneath, with the same checks and refusals. Not part of the ABI: this module
//! may grow in any release.

use abi_stable::std_types::{ROption, RResult, RString, RVec};

use crate::{
    event::{KeyValue, Target},
    host::{
        ContactCard, HistoryEntry, HostBox, HostError, LogLevel, Misspelling, Notification,
        NumberInfo, Outbound, ResponseText, SystemLine,
    },
    message::TranscriptEntry,
    time::Timestamp,
    view::Tone,
};

fn plain<T>(result: RResult<T, HostError>) -> Result<T, HostError> {
    result.into_result()
}

/// The services the host grants a plugin, in plain Rust. See [`crate::Host`] for what each
/// service needs in the manifest.
pub struct Services {
    host: HostBox,
}

impl AsRef<HostBox> for Services {
    fn as_ref(&self) -> &HostBox {
        &self.host
    }
}

impl From<HostBox> for Services {
    fn from(host: HostBox) -> Self {
        Self { host }
    }
}

impl Services {
    /// The services of `host`.
    pub fn new(host: HostBox) -> Self {
        Self { host }
    }

    /// The host object itself, for what this layer does not cover.
    pub fn host(&self) -> &HostBox {
        &self.host
    }

    /// Now, by the host clock.
    pub fn now(&self) -> Timestamp {
        self.host.now()
    }

    /// Writes to the shell's log, tagged with the plugin id.
    pub fn log(&self, level: LogLevel, message: &str) {
        self.host.log(level, message.into());
    }

    /// The language the agent reads the shell in (`en`, `fr`).
    pub fn language(&self) -> String {
        self.host.language().into_string()
    }

    /// Stores a system line (its text as given) in an interaction's transcript.
    pub fn store_system_line(
        &self,
        interaction: &str,
        text: &str,
    ) -> Result<TranscriptEntry, HostError> {
        plain(self.host.store_system_line(interaction.into(), text.into()))
    }

    /// Stores a system line by message id, so each reader sees it in their language (make it
    /// with [`crate::Words::line`]).
    pub fn store_translated_line(
        &self,
        interaction: &str,
        line: SystemLine,
    ) -> Result<TranscriptEntry, HostError> {
        plain(self.host.store_translated_line(interaction.into(), line))
    }

    /// Stores the agent's message (`parts`: one SMS each; empty for one part), then hands it to
    /// the platform. The entry returned is committed; delivery reports follow as events.
    pub fn send_message(
        &self,
        interaction: &str,
        text: &str,
        parts: &[String],
    ) -> Result<TranscriptEntry, HostError> {
        plain(self.host.send_message(Outbound {
            interaction: interaction.into(),
            text: text.into(),
            parts: parts.iter().map(|p| RString::from(p.as_str())).collect(),
        }))
    }

    /// Shows a notification to the agent, about `interaction` when given (clicking it focuses
    /// that interaction).
    pub fn notify(
        &self,
        title: &str,
        body: &str,
        tone: Tone,
        interaction: Option<&str>,
    ) -> Result<(), HostError> {
        plain(
            self.host.notify(Notification {
                title: title.into(),
                body: body.into(),
                tone: tone.into(),
                interaction: interaction
                    .map(RString::from)
                    .map_or(ROption::RNone, ROption::RSome),
            }),
        )
    }

    /// Sets (or moves) a named timer of an interaction; `Event::TimerFired` follows at `at`.
    pub fn set_timer(
        &self,
        interaction: &str,
        timer: &str,
        at: Timestamp,
    ) -> Result<(), HostError> {
        plain(self.host.set_timer(interaction.into(), timer.into(), at))
    }

    /// Cancels a named timer; unknown timers are ignored.
    pub fn cancel_timer(&self, interaction: &str, timer: &str) -> Result<(), HostError> {
        plain(self.host.cancel_timer(interaction.into(), timer.into()))
    }

    /// The stored transcript of an interaction, oldest first.
    pub fn transcript(&self, interaction: &str) -> Result<Vec<TranscriptEntry>, HostError> {
        plain(self.host.transcript(interaction.into())).map(RVec::into_vec)
    }

    /// Whether the signed-in agent may use `permission` (see [`crate::permissions`]).
    pub fn check_permission(&self, permission: &str) -> Result<(), HostError> {
        plain(self.host.check_permission(permission.into()))
    }

    /// The contact of an interaction.
    pub fn contact(&self, interaction: &str) -> Result<ContactCard, HostError> {
        plain(self.host.contact(interaction.into()))
    }

    /// The case data of an interaction, as (key, value) pairs.
    pub fn case_data(&self, interaction: &str) -> Result<Vec<(String, String)>, HostError> {
        plain(self.host.case_data(interaction.into())).map(|pairs| {
            pairs
                .into_iter()
                .map(|KeyValue { key, value }| (key.into_string(), value.into_string()))
                .collect()
        })
    }

    /// The agent's note on an interaction, empty when none.
    pub fn note(&self, interaction: &str) -> Result<String, HostError> {
        plain(self.host.note(interaction.into())).map(RString::into_string)
    }

    /// Replaces the note on an interaction.
    pub fn set_note(&self, interaction: &str, text: &str) -> Result<(), HostError> {
        plain(self.host.set_note(interaction.into(), text.into()))
    }

    /// The disposition code of an interaction, empty when none.
    pub fn disposition(&self, interaction: &str) -> Result<String, HostError> {
        plain(self.host.disposition(interaction.into())).map(RString::into_string)
    }

    /// The label of the interaction's disposition as the administrator named it, empty when
    /// none (an older host gives the code).
    pub fn disposition_label(&self, interaction: &str) -> Result<String, HostError> {
        plain(self.host.disposition_label(interaction.into())).map(RString::into_string)
    }

    /// Records a disposition code from the administrator's tree for the channel.
    pub fn set_disposition(&self, interaction: &str, code: &str) -> Result<(), HostError> {
        plain(self.host.set_disposition(interaction.into(), code.into()))
    }

    /// The contact's interactions, newest first, or those matching `query`, best first.
    pub fn history(&self, interaction: &str, query: &str) -> Result<Vec<HistoryEntry>, HostError> {
        plain(self.host.history(interaction.into(), query.into())).map(RVec::into_vec)
    }

    /// An administrator setting for the agent's role, as text (see [`crate::settings`]).
    pub fn setting(&self, name: &str) -> Result<String, HostError> {
        plain(self.host.setting(name.into())).map(RString::into_string)
    }

    /// An administrator setting read as a number; `default` when it is missing or not one.
    pub fn setting_or<T: std::str::FromStr>(&self, name: &str, default: T) -> T {
        self.setting(name)
            .ok()
            .and_then(|value| value.trim().parse().ok())
            .unwrap_or(default)
    }

    /// Asks the platform to transfer an interaction; `Event::TransferOutcome` follows.
    pub fn transfer(&self, interaction: &str, target: &Target) -> Result<(), HostError> {
        plain(self.host.transfer(interaction.into(), target.clone()))
    }

    /// What the platform knows about a phone number.
    pub fn number_info(&self, address: &str) -> Result<NumberInfo, HostError> {
        plain(self.host.number_info(address.into()))
    }

    /// Saves an attachment of an interaction to a file the agent chose.
    pub fn save_attachment(
        &self,
        interaction: &str,
        attachment: i64,
        path: &str,
    ) -> Result<(), HostError> {
        plain(
            self.host
                .save_attachment(interaction.into(), attachment, path.into()),
        )
    }

    /// Searches the Team Communicator's directory, best first.
    pub fn directory_search(&self, query: &str) -> Result<Vec<Target>, HostError> {
        plain(self.host.directory_search(query.into())).map(RVec::into_vec)
    }

    /// The misspelled words of `text` in the interaction's language.
    pub fn check_spelling(
        &self,
        interaction: &str,
        text: &str,
    ) -> Result<Vec<Misspelling>, HostError> {
        plain(self.host.check_spelling(interaction.into(), text.into())).map(RVec::into_vec)
    }

    /// Standard responses matching `query`, filled for the interaction.
    pub fn standard_responses(
        &self,
        interaction: &str,
        query: &str,
    ) -> Result<Vec<ResponseText>, HostError> {
        plain(
            self.host
                .standard_responses(interaction.into(), query.into()),
        )
        .map(RVec::into_vec)
    }

    /// Schedules a callback to `number` at `due`; returns its id.
    pub fn schedule_callback(
        &self,
        interaction: &str,
        number: &str,
        due: Timestamp,
        note: &str,
    ) -> Result<i64, HostError> {
        plain(
            self.host
                .schedule_callback(interaction.into(), number.into(), due, note.into()),
        )
    }

    /// Invites a target into an interaction for `purpose` (see [`crate::purposes`]);
    /// `Event::InvitationOutcome` follows.
    pub fn invite(
        &self,
        interaction: &str,
        target: &Target,
        purpose: &str,
    ) -> Result<(), HostError> {
        plain(
            self.host
                .invite(interaction.into(), target.clone(), purpose.into()),
        )
    }

    /// Tells the contact whether the agent is typing.
    pub fn set_typing(&self, interaction: &str, typing: bool) -> Result<(), HostError> {
        plain(self.host.set_typing(interaction.into(), typing))
    }

    /// Pushes a link (http or https) to the contact; stored first.
    pub fn push_url(&self, interaction: &str, url: &str) -> Result<TranscriptEntry, HostError> {
        plain(self.host.push_url(interaction.into(), url.into()))
    }
}
