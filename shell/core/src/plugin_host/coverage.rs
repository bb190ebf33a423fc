//! Whether the configuration and the plugins found meet: a plugin no role lists is never
//! started (its channel is offered no work), and a channel a role lists that no plugin provides
//! stays Unavailable. Both are said plainly, naming the configuration file and what exists,
//! in the log at start and under `--list-plugins`. A channel no plugin file claims at all (a
//! typo, a plugin never installed) stops the start instead, naming the file, the line and the
//! channels that exist.

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

/// Why the shell must not start with `config` (read from `file`, whose text is `text` when it
/// is a file), if a role lists a channel that no plugin provides and no plugin file could be
/// it. When some file in the plugins folder could not be read at all, that file may be the
/// channel's plugin, broken: the shell starts (the channel Unavailable, the notes say why).
pub fn unknown_channels(
    config: &Config,
    file: &str,
    text: Option<&str>,
    catalog: &PluginCatalog,
) -> Option<String> {
    let claimed: Vec<&str> = catalog
        .report()
        .iter()
        .filter_map(|entry| entry.id.as_deref())
        .collect();
    if catalog.report().iter().any(|entry| entry.id.is_none()) {
        return None;
    }
    let mut existing: Vec<&str> = claimed.clone();
    existing.sort_unstable();
    existing.dedup();
    let problems: Vec<String> = config
        .roles
        .iter()
        .flat_map(|(role, settings)| settings.channels.iter().map(move |c| (role, c)))
        .filter(|(_, channel)| !claimed.contains(&channel.as_str()))
        .map(|(role, channel)| {
            let place = match text.and_then(|text| line_of(text, channel)) {
                Some(line) => format!("{file} line {line}"),
                None => file.to_owned(),
            };
            format!("{place}: role {role} lists channel {channel}, which no plugin provides")
        })
        .collect();
    if problems.is_empty() {
        return None;
    }
    Some(format!(
        "{}; the channels that exist: {} (correct the name, or install the channel's plugin)",
        problems.join("; "),
        if existing.is_empty() {
            "none".to_owned()
        } else {
            existing.join(", ")
        }
    ))
}

/// The first line (from 1) of `text` naming `channel` as a quoted string.
fn line_of(text: &str, channel: &str) -> Option<usize> {
    let quoted = [format!("\"{channel}\""), format!("'{channel}'")];
    text.lines()
        .position(|line| quoted.iter().any(|q| line.contains(q.as_str())))
        .map(|index| index + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_names_the_quoted_channel_not_a_longer_one() {
        let text = "[roles.a]\nchannels = [\"sms-page-x\"]\n[roles.b]\nchannels = ['sms-page']\n";
        assert_eq!(line_of(text, "sms-page"), Some(4));
        assert_eq!(line_of(text, "chat"), None);
    }
}
