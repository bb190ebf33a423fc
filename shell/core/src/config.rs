//! The administrator's configuration: shell settings, roles and agents, read from TOML and
//! saved atomically. Unknown keys and invalid values are refused with the file, line and reason.

mod labels;
mod save;
mod validate;

use std::{
    collections::{BTreeMap, BTreeSet},
    path::{Path, PathBuf},
};

use serde::{Deserialize, Serialize};

pub use labels::{LabelKind, Labels, LanguageLabels};
pub use save::{save_atomically, save_atomically_with};

/// The embedded default configuration.
pub const DEFAULT_CONFIG: &str = include_str!("../../../assets/config/switchboard.toml");

/// A configuration that could not be used, naming the file and the reason (with its line).
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read configuration {file}: {reason}")]
    Read {
        /// The file.
        file: String,
        /// Why.
        reason: String,
    },
    /// The file is not valid.
    #[error("configuration {file} is invalid: {reason}")]
    Invalid {
        /// The file.
        file: String,
        /// Why, with line and column when known.
        reason: String,
    },
    /// The file could not be written; the previous one is intact.
    #[error("cannot save configuration {file}: {reason}")]
    Write {
        /// The file.
        file: String,
        /// Why.
        reason: String,
    },
}

/// A power the administrator grants per role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Permission {
    /// Save MMS images to disk.
    SaveImages,
    /// Push URLs to chat contacts.
    PushUrl,
    /// Assign an unknown sender to an existing contact.
    AssignContact,
    /// Start an SMS to a contact.
    OutboundSms,
    /// Use internal instant messaging.
    InternalIm,
    /// Edit case data marked editable.
    EditCaseData,
    /// Open the administration view.
    Admin,
}

impl Permission {
    /// Every permission, in display order.
    pub const ALL: [Permission; 7] = [
        Permission::SaveImages,
        Permission::PushUrl,
        Permission::AssignContact,
        Permission::OutboundSms,
        Permission::InternalIm,
        Permission::EditCaseData,
        Permission::Admin,
    ];

    /// The name used in configuration files and in the SDK (`save-images`).
    pub fn name(self) -> &'static str {
        match self {
            Permission::SaveImages => "save-images",
            Permission::PushUrl => "push-url",
            Permission::AssignContact => "assign-contact",
            Permission::OutboundSms => "outbound-sms",
            Permission::InternalIm => "internal-im",
            Permission::EditCaseData => "edit-case-data",
            Permission::Admin => "admin",
        }
    }

    /// The permission with this name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.name() == name)
    }
}

/// The whole configuration.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Shell-wide settings.
    #[serde(default)]
    pub shell: ShellConfig,
    /// Roles by name.
    #[serde(default)]
    pub roles: BTreeMap<String, RoleConfig>,
    /// Agents who may sign in.
    #[serde(default)]
    pub agents: Vec<AgentConfig>,
    /// The disposition code tree: categories of codes, each for some channels or all.
    #[serde(default)]
    pub dispositions: Vec<DispositionCategory>,
    /// Queues, skills, groups and routing points (`[directory]`).
    #[serde(default, skip_serializing_if = "DirectoryConfig::is_empty")]
    pub directory: DirectoryConfig,
    /// A real SMS provider account; absent, the embedded gateway double stands in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<ProviderConfig>,
    /// The cluster this desktop or gateway belongs to (`[cluster]`); absent, the desktop runs
    /// on the embedded platform.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<ClusterConfig>,
    /// What agents read for Not Ready reasons, dispositions, channels and case-data keys, per
    /// language (`[labels.fr.not_ready]`); a key without one reads as the shell or plugin says.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: Labels,
    /// How plugins run (`[plugins]`): which ones in a child process of their own.
    #[serde(default, skip_serializing_if = "PluginsConfig::is_default")]
    pub plugins: PluginsConfig,
}

/// How plugins run.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct PluginsConfig {
    /// Plugin ids that run in a child process of their own: a crash or a hang there stops only
    /// that process, which the shell starts again.
    pub isolated: Vec<String>,
    /// The longest one call to an isolated plugin may take before its process is stopped as
    /// hung and started again.
    pub call_timeout_milliseconds: u32,
}

impl Default for PluginsConfig {
    fn default() -> Self {
        Self {
            isolated: Vec::new(),
            call_timeout_milliseconds: 2000,
        }
    }
}

impl PluginsConfig {
    fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

impl Config {
    /// Every configured agent's role as a platform enforces it (the gateway decides with it;
    /// a desktop's own request never widens it).
    pub fn agent_policies(&self) -> Vec<(String, switchboard_seam::roles::AgentPolicy)> {
        self.agents
            .iter()
            .filter_map(|agent| {
                let role = self.roles.get(&agent.role)?;
                let offer_seconds = role
                    .channels
                    .iter()
                    .map(|channel| {
                        let seconds = if channel == "internal-im" {
                            role.timers.invitation_timeout_seconds
                        } else {
                            self.shell.offer_timeout_seconds
                        };
                        (channel.clone(), i64::from(seconds))
                    })
                    .collect();
                Some((
                    agent.id.clone(),
                    switchboard_seam::roles::AgentPolicy {
                        role: agent.role.clone(),
                        channels: role.channels.clone(),
                        capacity: role.capacity.clone().into_iter().collect(),
                        offer_seconds,
                        permissions: role
                            .permissions
                            .iter()
                            .map(|p| p.name().to_owned())
                            .collect(),
                        dispositions_required: role.dispositions_required.clone(),
                    },
                ))
            })
            .collect()
    }

    /// The deployment's directory as a platform keeps it: the configured agents (by what
    /// colleagues call them, their e-mail and number; never a role's id), then the queues
    /// (one, "Queue", when none is configured), skills, groups and routing points.
    pub fn directory_entries(&self) -> Vec<switchboard_seam::parties::DirectoryEntry> {
        use switchboard_seam::parties::{DirectoryEntry, TargetKind};
        let mut entries: Vec<DirectoryEntry> = self
            .agents
            .iter()
            .map(|agent| DirectoryEntry {
                kind: TargetKind::Agent,
                id: agent.id.clone(),
                name: agent.name.clone(),
                detail: [&agent.nickname, &agent.email, &agent.phone]
                    .into_iter()
                    .flatten()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join(" · "),
                phone: agent.phone.clone(),
            })
            .collect();
        let default_queue = [DirectoryItem {
            id: "queue".into(),
            name: "Queue".into(),
            detail: "the next Ready agent".into(),
        }];
        let directory = &self.directory;
        let queues = if directory.queues.is_empty() {
            &default_queue[..]
        } else {
            &directory.queues[..]
        };
        for (kind, items) in [
            (TargetKind::Queue, queues),
            (TargetKind::Skill, &directory.skills[..]),
            (TargetKind::Group, &directory.groups[..]),
            (TargetKind::RoutingPoint, &directory.routing_points[..]),
        ] {
            entries.extend(items.iter().map(|item| DirectoryEntry {
                kind,
                id: item.id.clone(),
                name: item.name.clone(),
                detail: item.detail.clone(),
                phone: None,
            }));
        }
        entries
    }

    /// The administrator's label of `key` in `language`, when there is one.
    pub fn label(&self, kind: LabelKind, key: &str, language: &str) -> Option<&str> {
        labels::configured(&self.labels, kind, key, language)
    }

    /// Sets (or, when blank, removes) the administrator's label of `key` in `language`.
    pub fn set_label(&mut self, kind: LabelKind, key: &str, language: &str, label: &str) {
        labels::set(&mut self.labels, kind, key, language, label);
    }
}

/// Where a cluster deployment lives (`[cluster]`): the NATS server every desktop and gateway
/// connects to, the subject prefix of this deployment, and (for gateways only) the database.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ClusterConfig {
    /// The NATS server (`nats://host:port`; `tls://` for TLS).
    pub nats: String,
    /// The deployment's subject prefix: letters, digits, `_` and `-`.
    #[serde(default = "ClusterConfig::default_prefix")]
    pub prefix: String,
    /// PostgreSQL connection parameters, read by gateways only (desktops hold no database
    /// credentials). A password here is better given as `PGPASSWORD` in the gateway's
    /// environment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
    /// The schema the records live in.
    #[serde(default = "ClusterConfig::default_schema")]
    pub schema: String,
    /// Seconds a desktop stays present after its last heartbeat: a desktop silent longer is
    /// gone and its offers go to another agent.
    #[serde(default = "ClusterConfig::default_presence_seconds")]
    pub presence_seconds: u32,
    /// Seconds the interactions a gone desktop's agent accepted wait for them to come back
    /// (a restarted desktop reopens them) before they go back to the queue.
    #[serde(default = "ClusterConfig::default_return_after_seconds")]
    pub return_after_seconds: u32,
    /// Gateways only: the folder of the bus keys `switchboard gateway nats-config` wrote (the
    /// issuer's seed and the gateways' service password, each readable by its owner alone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keys: Option<String>,
    /// The certificate authority of the NATS server's TLS certificate (with `tls://`), when
    /// the system's do not know it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<String>,
}

impl ClusterConfig {
    /// The defaults for a deployment on the NATS server at `nats`.
    pub fn new(nats: &str) -> Self {
        Self {
            nats: nats.to_owned(),
            prefix: Self::default_prefix(),
            database: None,
            schema: Self::default_schema(),
            presence_seconds: Self::default_presence_seconds(),
            return_after_seconds: Self::default_return_after_seconds(),
            keys: None,
            ca_file: None,
        }
    }

    fn default_prefix() -> String {
        "switchboard".into()
    }

    fn default_schema() -> String {
        "switchboard".into()
    }

    fn default_presence_seconds() -> u32 {
        5
    }

    fn default_return_after_seconds() -> u32 {
        60
    }
}

/// A real SMS provider account (`[provider]`). The auth token is never in this file: it comes
/// from the environment variable `auth_token_variable` or from `auth_token_file`, a file only
/// the service's user may read.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ProviderConfig {
    /// The provider: `twilio`.
    #[serde(default = "ProviderConfig::default_kind")]
    pub kind: String,
    /// The account's id (`AC…`).
    pub account_sid: String,
    /// The public address the provider posts the webhook to, before `/sms` (the address the
    /// reverse proxy answers on, e.g. `https://desk.example.com`).
    pub public_url: String,
    /// The API's base address.
    #[serde(default = "ProviderConfig::default_api_base")]
    pub api_base: String,
    /// Send from this messaging service instead of the interaction's number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub messaging_service_sid: Option<String>,
    /// The environment variable holding the auth token.
    #[serde(default = "ProviderConfig::default_token_variable")]
    pub auth_token_variable: String,
    /// A file holding the auth token (mode 600), used instead of the variable when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_token_file: Option<String>,
    /// The only host inbound media is fetched from, with the account's credentials.
    #[serde(default = "ProviderConfig::default_media_host")]
    pub media_host: String,
}

impl ProviderConfig {
    fn default_kind() -> String {
        "twilio".into()
    }
    fn default_api_base() -> String {
        "https://api.twilio.com".into()
    }
    fn default_token_variable() -> String {
        "SWITCHBOARD_PROVIDER_AUTH_TOKEN".into()
    }
    fn default_media_host() -> String {
        "api.twilio.com".into()
    }
}

/// A category of disposition codes.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DispositionCategory {
    /// Category name shown to agents.
    pub name: String,
    /// Channels it applies to; empty means every channel.
    #[serde(default)]
    pub channels: Vec<String>,
    /// Its codes.
    pub codes: Vec<DispositionCode>,
}

/// One disposition code.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DispositionCode {
    /// Stored code.
    pub code: String,
    /// Label shown to agents.
    pub label: String,
}

/// Shell-wide settings.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ShellConfig {
    /// UI language (`en`, `fr`); the system locale when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Seconds an incoming-interaction notification waits.
    pub offer_timeout_seconds: u32,
    /// Port of the embedded SMS webhook on 127.0.0.1.
    pub webhook_port: u16,
    /// Port of the embedded platform's customer chat page on 127.0.0.1.
    pub chat_port: u16,
    /// Our number, the address customers text (page mode: one SMS, one reply).
    pub service_number: String,
    /// Our session-mode number: SMS to it open or join a session.
    pub session_number: String,
    /// Largest media item (MMS image) accepted, in kilobytes.
    pub max_media_kilobytes: u32,
    /// Folders the embedded platform may read `file://` media from (besides the demo's own
    /// photos and `assets/demo/media` under the working folder); nothing else on disk is read.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub media_folders: Vec<String>,
    /// Sites whose pages may show the chat widget (`<script src="…/widget.js">`), as origins
    /// (`https://shop.example.com`); only they may frame the chat page.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub chat_widget_sites: Vec<String>,
    /// New web chats one client address may open per minute (a quarter of it at once).
    pub chat_starts_per_minute: u32,
    /// Webhook posts one client address may make per minute (a tenth of it at once); more
    /// are answered 429 and stored nowhere.
    pub webhook_posts_per_minute: u32,
    /// Connections the webhook and the chat page server each keep open at once (chat
    /// sockets included); more are closed at once.
    pub max_connections: u32,
    /// Seconds a client has to send a request's headers (an idle connection is closed after
    /// it too).
    pub request_header_seconds: u32,
    /// Seconds a client has to send a request's body once its headers are in (408 after).
    pub request_body_seconds: u32,
    /// Case-data keys agents with the edit-case-data permission may change (or fill in).
    pub editable_case_data: Vec<String>,
    /// Reasons an agent can give for Not Ready.
    pub not_ready_reasons: Vec<String>,
}

impl Default for ShellConfig {
    fn default() -> Self {
        Self {
            language: None,
            offer_timeout_seconds: 30,
            webhook_port: 8077,
            chat_port: 8078,
            service_number: "+1 555 0100".into(),
            session_number: "+1 555 0150".into(),
            max_media_kilobytes: 5 * 1024,
            media_folders: Vec::new(),
            chat_widget_sites: Vec::new(),
            chat_starts_per_minute: 20,
            webhook_posts_per_minute: 6_000,
            max_connections: 256,
            request_header_seconds: 10,
            request_body_seconds: 10,
            editable_case_data: Vec::new(),
            not_ready_reasons: ["Break", "Lunch", "Meeting", "Training", "After-call work"]
                .map(String::from)
                .to_vec(),
        }
    }
}

/// Timers of a role, in seconds.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct RoleTimers {
    /// An SMS session with no message for this long ends.
    pub session_inactivity_seconds: u32,
    /// A chat awaiting the agent's reply turns yellow after this long.
    pub pending_yellow_seconds: u32,
    /// ... and red, flashing, after this long.
    pub pending_red_seconds: u32,
    /// An invitation (transfer, conference, IM) expires after this long.
    pub invitation_timeout_seconds: u32,
}

impl Default for RoleTimers {
    fn default() -> Self {
        Self {
            session_inactivity_seconds: 900,
            pending_yellow_seconds: 30,
            pending_red_seconds: 60,
            invitation_timeout_seconds: 30,
        }
    }
}

/// What a role grants.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RoleConfig {
    /// Channel plugin ids enabled for the role.
    pub channels: Vec<String>,
    /// Powers granted.
    pub permissions: BTreeSet<Permission>,
    /// Accept offered interactions without asking.
    pub auto_answer: bool,
    /// Go Ready on every channel at sign-in.
    pub auto_ready: bool,
    /// Ask "Send anyway?" before sending misspelled text.
    pub spell_check_warning: bool,
    /// Channels on which Done needs a disposition code first.
    pub dispositions_required: Vec<String>,
    /// Most interactions an agent holds at once per channel, offers included
    /// (`capacity = { chat = 3, sms-page = 1 }`); a channel not listed has no limit.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub capacity: BTreeMap<String, u32>,
    /// Timers.
    pub timers: RoleTimers,
}

impl RoleConfig {
    /// Whether the role grants a permission.
    pub fn grants(&self, permission: Permission) -> bool {
        self.permissions.contains(&permission)
    }

    /// The most interactions an agent of the role holds at once on a channel, if limited.
    pub fn capacity_of(&self, channel: &str) -> Option<u32> {
        self.capacity.get(channel).copied()
    }
}

/// An agent who may sign in.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AgentConfig {
    /// Sign-in id.
    pub id: String,
    /// Full name.
    pub name: String,
    /// Name shown to contacts, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nickname: Option<String>,
    /// Role name.
    pub role: String,
    /// E-mail address colleagues find them by in the Team Communicator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Phone number colleagues find (and call) them by.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// The deployment's directory beyond its agents (`[directory]`): what the Team Communicator
/// lists and work can be handed to on a cluster.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct DirectoryConfig {
    /// Queues (`[[directory.queues]]`); none: one queue, "Queue".
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub queues: Vec<DirectoryItem>,
    /// Skills.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skills: Vec<DirectoryItem>,
    /// Agent groups.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<DirectoryItem>,
    /// Routing points.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub routing_points: Vec<DirectoryItem>,
}

impl DirectoryConfig {
    /// Whether nothing is configured.
    pub fn is_empty(&self) -> bool {
        self.queues.is_empty()
            && self.skills.is_empty()
            && self.groups.is_empty()
            && self.routing_points.is_empty()
    }
}

/// A queue, skill, group or routing point.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DirectoryItem {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// What it is for, shown under the name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
}

impl Config {
    /// Parses configuration text; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<Self, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|e| ConfigError::Invalid {
            file: file.into(),
            reason: e.to_string().trim().replace('\n', " "),
        })?;
        validate::check(&config, text).map_err(|reason| ConfigError::Invalid {
            file: file.into(),
            reason,
        })?;
        Ok(config)
    }

    /// Reads a configuration file.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read {
            file: file.clone(),
            reason: e.to_string(),
        })?;
        Self::parse(&text, &file)
    }

    /// The file at `path` when it exists, else the embedded default.
    pub fn load_or_embedded(path: &Path) -> Result<Self, ConfigError> {
        if path.exists() {
            Self::load(path)
        } else {
            Ok(Self::embedded())
        }
    }

    /// The embedded default configuration.
    pub fn embedded() -> Self {
        match Self::parse(DEFAULT_CONFIG, "assets/config/switchboard.toml") {
            Ok(config) => config,
            // The embedded file is checked by a unit test; reaching this is a build defect.
            Err(e) => panic!("{e}"),
        }
    }

    /// Checks the configuration as [`Config::parse`] would (for edits made in the admin view).
    pub fn validate(&self) -> Result<(), String> {
        validate::check(self, "")
    }

    /// The configuration as TOML text.
    pub fn to_toml(&self) -> Result<String, ConfigError> {
        toml::to_string_pretty(self).map_err(|e| ConfigError::Write {
            file: "(memory)".into(),
            reason: e.to_string(),
        })
    }

    /// The disposition categories that apply to a channel.
    pub fn dispositions_for<'a>(
        &'a self,
        channel: &'a str,
    ) -> impl Iterator<Item = &'a DispositionCategory> + 'a {
        self.dispositions
            .iter()
            .filter(move |c| c.channels.is_empty() || c.channels.iter().any(|id| id == channel))
    }

    /// The label of a disposition code.
    pub fn disposition_label(&self, code: &str) -> Option<&str> {
        self.dispositions
            .iter()
            .flat_map(|c| &c.codes)
            .find(|c| c.code == code)
            .map(|c| c.label.as_str())
    }

    /// The agent with this id.
    pub fn agent(&self, id: &str) -> Option<&AgentConfig> {
        self.agents.iter().find(|a| a.id == id)
    }

    /// The role of an agent.
    pub fn role_of(&self, agent: &AgentConfig) -> Option<&RoleConfig> {
        self.roles.get(&agent.role)
    }
}

/// Where the administrator's configuration lives by default (`~/.config/switchboard/`).
pub fn default_config_path() -> PathBuf {
    directories::ProjectDirs::from("org", "Switchboard", "switchboard")
        .map(|dirs| dirs.config_dir().join("switchboard.toml"))
        .unwrap_or_else(|| PathBuf::from("switchboard.toml"))
}

#[cfg(test)]
mod tests;
