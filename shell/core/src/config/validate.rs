//! Checks that serde cannot express: references between roles and agents, timer order,
//! duplicates. Each reason names the line when the text is at hand.

use std::collections::HashSet;

use super::Config;

/// The 1-based line of the first occurrence of `needle` after `after` (a table header).
fn line_of(text: &str, after: &str, needle: &str) -> Option<usize> {
    let start = if after.is_empty() {
        0
    } else {
        text.find(after)?
    };
    let offset = start + text[start..].find(needle)?;
    Some(text[..offset].lines().count().max(1) + usize::from(text[..offset].ends_with('\n')))
}

fn at(text: &str, after: &str, needle: &str, reason: String) -> String {
    match line_of(text, after, needle) {
        Some(line) => format!("line {line}: {reason}"),
        None => reason,
    }
}

/// Returns the first problem found.
pub(super) fn check(config: &Config, text: &str) -> Result<(), String> {
    if config.shell.offer_timeout_seconds == 0 {
        return Err(at(
            text,
            "[shell]",
            "offer_timeout_seconds",
            "offer_timeout_seconds must be at least 1".into(),
        ));
    }
    let mut ids = HashSet::new();
    for agent in &config.agents {
        if agent.id.trim().is_empty() {
            return Err(at(text, "", "id = \"\"", "an agent has an empty id".into()));
        }
        if !ids.insert(agent.id.as_str()) {
            return Err(at(
                text,
                &format!("id = \"{}\"", agent.id),
                &format!("id = \"{}\"", agent.id),
                format!("agent id {} appears twice", agent.id),
            ));
        }
        if !config.roles.contains_key(&agent.role) {
            return Err(at(
                text,
                &format!("id = \"{}\"", agent.id),
                "role",
                format!("agent {} has unknown role {}", agent.id, agent.role),
            ));
        }
    }
    let mut codes = HashSet::new();
    for category in &config.dispositions {
        for code in &category.codes {
            if code.code.trim().is_empty() || !codes.insert(code.code.as_str()) {
                return Err(at(
                    text,
                    "[[dispositions]]",
                    &format!("\"{}\"", code.code),
                    format!("disposition code {:?} is empty or defined twice", code.code),
                ));
            }
        }
    }
    for (name, role) in &config.roles {
        let header = format!("[roles.{name}");
        let mut channels = HashSet::new();
        for channel in &role.channels {
            if channel.trim().is_empty() || !channels.insert(channel.as_str()) {
                return Err(at(
                    text,
                    &header,
                    "channels",
                    format!("role {name}: channel {channel:?} is empty or listed twice"),
                ));
            }
        }
        for channel in &role.dispositions_required {
            if !channels.contains(channel.as_str()) {
                return Err(at(
                    text,
                    &header,
                    "dispositions_required",
                    format!(
                        "role {name}: dispositions required on {channel}, which the role does not have"
                    ),
                ));
            }
        }
        for (channel, capacity) in &role.capacity {
            if !channels.contains(channel.as_str()) || *capacity == 0 {
                return Err(at(
                    text,
                    &header,
                    "capacity",
                    format!(
                        "role {name}: capacity {capacity} on {channel}: the channel must be one of the role's and the capacity at least 1"
                    ),
                ));
            }
        }
        let timers = role.timers;
        if timers.pending_yellow_seconds == 0
            || timers.pending_red_seconds <= timers.pending_yellow_seconds
        {
            return Err(at(
                text,
                &header,
                "pending_red_seconds",
                format!(
                    "role {name}: pending_red_seconds ({}) must be greater than pending_yellow_seconds ({}), both above 0",
                    timers.pending_red_seconds, timers.pending_yellow_seconds
                ),
            ));
        }
        if timers.invitation_timeout_seconds == 0 || timers.session_inactivity_seconds < 60 {
            return Err(at(
                text,
                &header,
                "timers",
                format!(
                    "role {name}: invitation_timeout_seconds must be at least 1 and session_inactivity_seconds at least 60"
                ),
            ));
        }
    }
    Ok(())
}
