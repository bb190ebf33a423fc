//! Whether the configuration and the plugins found meet: a plugin no role lists is never
//! started (its channel is offered no work), and a channel a role lists that no plugin provides
//! stays Unavailable. Both are said plainly, naming the configuration file and what exists,
//! in the log at start and under `--list-plugins`.

use crate::config::Config;

use super::PluginCatalog;

/// The mismatches between `config` (read from `file`) and `catalog`, one sentence each.
pub fn coverage_notes(config: &Config, file: &str, catalog: &PluginCatalog) -> Vec<String> {
    let loaded: Vec<&str> = catalog.available().iter().map(|p| p.id()).collect();
    let listed = |channel: &str| {
        config
            .roles
            .values()
            .any(|r| r.channels.iter().any(|c| c == channel))
    };
    let mut notes = Vec::new();
    for id in &loaded {
        if !listed(id) {
            notes.push(format!(
                "plugin {id} is loaded but no role lists it: add \"{id}\" to a role's channels in {file}"
            ));
        }
    }
    for (role, settings) in &config.roles {
        for channel in &settings.channels {
            if !loaded.contains(&channel.as_str()) {
                notes.push(format!(
                    "role {role} in {file} lists channel {channel}, which no loaded plugin provides (loaded: {})",
                    if loaded.is_empty() {
                        "none".to_owned()
                    } else {
                        loaded.join(", ")
                    }
                ));
            }
        }
    }
    notes
}
