//! The administrator's configuration: shell settings, roles and agents, read from TOML.

use std::{collections::BTreeMap, path::Path};

use serde::Deserialize;

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
        /// Why, with line and column.
        reason: String,
    },
}

/// The whole configuration.
#[derive(Debug, Clone, Deserialize, PartialEq)]
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
}

/// Shell-wide settings.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ShellConfig {
    /// UI language (`en`, `fr`); the system locale when absent.
    pub language: Option<String>,
    /// Seconds an incoming-interaction notification waits.
    pub offer_timeout_seconds: u32,
    /// Port of the embedded SMS webhook on 127.0.0.1.
    pub webhook_port: u16,
    /// Our number, the address customers text.
    pub service_number: String,
    /// Reasons an agent can give for Not Ready.
    pub not_ready_reasons: Vec<String>,
}

impl Default for ShellConfig {
    fn default() -> Self {
        Self {
            language: None,
            offer_timeout_seconds: 30,
            webhook_port: 8077,
            service_number: "+1 555 0100".into(),
            not_ready_reasons: ["Break", "Lunch", "Meeting", "Training", "After-call work"]
                .map(String::from)
                .to_vec(),
        }
    }
}

/// What a role grants.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RoleConfig {
    /// Channel plugin ids enabled for the role.
    pub channels: Vec<String>,
    /// Accept offered interactions without asking.
    pub auto_answer: bool,
    /// Go Ready on every channel at sign-in.
    pub auto_ready: bool,
}

/// An agent who may sign in.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AgentConfig {
    /// Sign-in id.
    pub id: String,
    /// Full name.
    pub name: String,
    /// Name shown to contacts, when set.
    #[serde(default)]
    pub nickname: Option<String>,
    /// Role name.
    pub role: String,
}

impl Config {
    /// Parses configuration text; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<Self, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|e| ConfigError::Invalid {
            file: file.into(),
            reason: e.to_string().trim().replace('\n', " "),
        })?;
        for agent in &config.agents {
            if !config.roles.contains_key(&agent.role) {
                return Err(ConfigError::Invalid {
                    file: file.into(),
                    reason: format!("agent {} has unknown role {}", agent.id, agent.role),
                });
            }
        }
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

    /// The embedded default configuration.
    pub fn embedded() -> Self {
        match Self::parse(DEFAULT_CONFIG, "assets/config/switchboard.toml") {
            Ok(config) => config,
            // The embedded file is checked by a unit test; reaching this is a build defect.
            Err(e) => panic!("{e}"),
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_configuration_is_valid() {
        let config = Config::embedded();
        let ada = config.agent("ada").expect("ada");
        assert_eq!(
            config.role_of(ada).expect("role").channels,
            vec!["sms-page"]
        );
    }

    #[test]
    fn unknown_key_is_refused_with_file_and_line() {
        let err = Config::parse("[shell]\noffer_timeout_seconds = 5\ncolour = 3\n", "x.toml")
            .expect_err("must fail");
        let text = err.to_string();
        assert!(text.contains("x.toml"), "{text}");
        assert!(text.contains("line 3"), "{text}");
        assert!(text.contains("colour"), "{text}");
    }

    #[test]
    fn agent_with_unknown_role_is_refused() {
        let err = Config::parse("[[agents]]\nid='a'\nname='A'\nrole='ghost'\n", "y.toml")
            .expect_err("must fail");
        assert!(err.to_string().contains("unknown role ghost"));
    }
}
