//! One enabled channel of the signed-in agent: its plugin instance, health and status.

use std::sync::Arc;

use switchboard_sdk::{
    Command, Event, Event_NE, Manifest, PluginBox, PluginErrorKind, ViewModel,
    abi_stable::sabi_trait::TD_Opaque, host::Host_TO,
};

use crate::plugin_host::{AvailablePlugin, HostServices, PluginHost};

/// Whether a channel's plugin can be called.
#[derive(Debug, Clone, PartialEq)]
pub enum Health {
    /// Working.
    Running,
    /// Not loaded or failed; the reason is shown to the agent.
    Failed(String),
}

/// The agent's status on a channel.
#[derive(Debug, Clone, PartialEq)]
pub enum ChannelStatus {
    /// Receives new interactions.
    Ready,
    /// Receives nothing new, with an optional reason.
    NotReady(Option<String>),
    /// Signed out of the channel.
    LoggedOut,
}

/// One channel of the agent.
pub struct ChannelSlot {
    id: String,
    manifest: Option<Manifest>,
    plugin: Option<PluginBox>,
    health: Health,
    /// The agent's status here.
    pub status: ChannelStatus,
}

impl ChannelSlot {
    /// Starts the plugin for `id`, if it loaded; otherwise records why the channel is missing.
    pub fn start(
        id: &str,
        plugin: Option<&AvailablePlugin>,
        role_permissions: &[&str],
        services: &Arc<HostServices>,
    ) -> Self {
        let Some(available) = plugin else {
            return Self {
                id: id.to_owned(),
                manifest: None,
                plugin: None,
                health: Health::Failed("its plugin is not installed or was refused".into()),
                status: ChannelStatus::NotReady(None),
            };
        };
        let host = Host_TO::from_value(
            PluginHost::new(&available.manifest, role_permissions, services.clone()),
            TD_Opaque,
        );
        let (plugin, health) = match available.instantiate(host) {
            Ok(plugin) => (Some(plugin), Health::Running),
            Err(e) => {
                tracing::error!("plugin {id} failed to start: {e}");
                (None, Health::Failed(format!("failed to start: {e}")))
            }
        };
        Self {
            id: id.to_owned(),
            manifest: Some(available.manifest.clone()),
            plugin,
            health,
            status: ChannelStatus::NotReady(None),
        }
    }

    /// The plugin's translations, when it ships any (SDK 1.7 and later).
    pub fn translations(&self) -> Option<switchboard_sdk::Translations> {
        let sources = self.plugin.as_ref()?.translations();
        if sources.is_empty() {
            return None;
        }
        let pairs: Vec<(&str, &str)> = sources
            .iter()
            .map(|t| (t.language.as_str(), t.source.as_str()))
            .collect();
        Some(switchboard_sdk::Translations::new(&pairs))
    }

    /// Channel (plugin) id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The plugin's manifest (absent when its library could not be read).
    pub fn manifest(&self) -> Option<&Manifest> {
        self.manifest.as_ref()
    }

    /// Display name.
    pub fn name(&self) -> &str {
        self.manifest.as_ref().map_or(&self.id, |m| m.name.as_str())
    }

    /// Icon name from the manifest.
    pub fn icon(&self) -> &str {
        self.manifest.as_ref().map_or("", |m| m.icon.as_str())
    }

    /// Whether the plugin's manifest declares a permission.
    pub fn declares_permission(&self, permission: &str) -> bool {
        self.manifest
            .as_ref()
            .is_some_and(|m| m.permissions.iter().any(|p| p == permission))
    }

    /// Health.
    pub fn health(&self) -> &Health {
        &self.health
    }

    /// Health as text.
    pub fn health_text(&self) -> String {
        match &self.health {
            Health::Running => "running".into(),
            Health::Failed(reason) => format!("unavailable: {reason}"),
        }
    }

    /// Whether the plugin can be called.
    pub fn is_running(&self) -> bool {
        self.health == Health::Running
    }

    /// Media types handled.
    pub fn media_types(&self) -> Vec<String> {
        self.manifest
            .as_ref()
            .map(|m| m.media_types.iter().map(|t| t.to_string()).collect())
            .unwrap_or_default()
    }

    /// Whether it handles a media type.
    pub fn handles(&self, media_type: &str) -> bool {
        self.manifest
            .as_ref()
            .is_some_and(|m| m.media_types.iter().any(|t| t == media_type))
    }

    fn fail(&mut self, reason: String) -> String {
        tracing::error!("plugin {} failed: {reason}", self.id);
        // The plugin's state may be broken: never call it again, and never run its
        // destructor either (it could panic across the boundary).
        if let Some(plugin) = self.plugin.take() {
            std::mem::forget(plugin);
        }
        self.health = Health::Failed(reason.clone());
        format!("plugin {} failed: {reason}", self.id)
    }

    /// Sends an event. Errors come back as text for the agent; a panic marks the plugin failed.
    pub fn handle(&mut self, event: Event) -> Result<Vec<Command>, String> {
        let Some(plugin) = self.plugin.as_mut() else {
            return Err(format!("plugin {} is {}", self.id, self.health_text()));
        };
        match plugin.handle(Event_NE::new(event)).into_result() {
            Ok(commands) => Ok(commands
                .into_iter()
                .filter_map(|c| c.into_enum().ok())
                .collect()),
            Err(e) if e.kind() == Some(PluginErrorKind::Panicked) => Err(self.fail(e.to_string())),
            Err(e) => Err(e.to_string()),
        }
    }

    /// The parts of an interaction's view beyond the view model, those of kinds this shell
    /// knows (a newer plugin's newer kinds are left out). A panic stops the plugin, as in
    /// [`ChannelSlot::view`]; another failure leaves the parts out.
    pub fn view_parts(&mut self, interaction: &str) -> Vec<switchboard_sdk::ViewPart> {
        let Some(plugin) = self.plugin.as_ref() else {
            return Vec::new();
        };
        match plugin.view_parts(interaction.into()).into_result() {
            Ok(parts) => parts
                .into_iter()
                .filter_map(|part| part.into_enum().ok())
                .collect(),
            Err(e) => {
                if e.kind() == Some(PluginErrorKind::Panicked) {
                    self.fail(e.to_string());
                }
                Vec::new()
            }
        }
    }

    /// Asks for a view model.
    pub fn view(&mut self, interaction: &str) -> Result<ViewModel, String> {
        let Some(plugin) = self.plugin.as_ref() else {
            return Err(format!("plugin {} is {}", self.id, self.health_text()));
        };
        match plugin.view(interaction.into()).into_result() {
            Ok(view) => Ok(view),
            Err(e) if e.kind() == Some(PluginErrorKind::Panicked) => Err(self.fail(e.to_string())),
            Err(e) => Err(e.to_string()),
        }
    }
}
