//! The Team Communicator's directory: agents (with presence), queues, skills, groups, routing
//! points and contacts, searched as the agent types and ranked.

use serde::Deserialize;

const DIRECTORY: &str = include_str!("../../../assets/demo/directory.toml");

pub use switchboard_seam::parties::{Presence, TargetKind};

/// One entry of the directory.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// Kind.
    pub kind: TargetKind,
    /// Id (login, queue id, contact id...).
    pub id: String,
    /// Name shown.
    pub name: String,
    /// Second line: e-mail and phone, or a description.
    pub detail: String,
    /// Phone number, when the target can be called.
    pub phone: Option<String>,
    /// Presence of an agent.
    pub presence: Option<Presence>,
}

impl Target {
    /// The target as plugins and the platform name it.
    pub fn to_sdk(&self) -> switchboard_sdk::Target {
        switchboard_sdk::Target {
            kind: self.kind.name().into(),
            id: self.id.as_str().into(),
            name: self.name.as_str().into(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AgentEntry {
    login: String,
    name: String,
    email: String,
    phone: String,
    presence: Presence,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlainEntry {
    id: String,
    name: String,
    detail: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    agents: Vec<AgentEntry>,
    queues: Vec<PlainEntry>,
    skills: Vec<PlainEntry>,
    groups: Vec<PlainEntry>,
    routing_points: Vec<PlainEntry>,
}

/// Directory targets matching `query`, then contacts from the store, grouped by kind.
pub fn find_targets(
    directory: &Directory,
    store: &dyn crate::store::Records,
    query: &str,
    is_favourite: &dyn Fn(&Target) -> bool,
) -> Vec<Target> {
    let mut targets = directory.search(query, is_favourite);
    let contacts = store.search_contacts(query, 10).unwrap_or_else(|e| {
        tracing::warn!("contact search: {e}");
        Vec::new()
    });
    targets.extend(contacts.into_iter().map(contact_target));
    targets.sort_by_key(|t| t.kind);
    targets
}

/// A contact record as a Team Communicator target.
pub fn contact_target(contact: crate::store::Contact) -> Target {
    let detail = contact
        .phones
        .iter()
        .chain(&contact.emails)
        .map(|p| p.value.as_str())
        .collect::<Vec<_>>()
        .join(" · ");
    let phone = contact.phone().map(str::to_owned);
    Target {
        kind: TargetKind::Contact,
        id: contact.id.to_string(),
        name: contact.display_name,
        detail,
        phone,
        presence: None,
    }
}

/// The internal directory (contacts come from the store at search time).
#[derive(Debug, Clone, Default)]
pub struct Directory {
    targets: Vec<Target>,
}

impl Directory {
    /// The shipped demo directory.
    pub fn embedded() -> Self {
        let file: File = match toml::from_str(DIRECTORY) {
            Ok(file) => file,
            Err(e) => {
                tracing::error!("assets/demo/directory.toml is invalid: {e}");
                return Self::default();
            }
        };
        let mut targets: Vec<Target> = file
            .agents
            .into_iter()
            .map(|a| Target {
                kind: TargetKind::Agent,
                detail: format!("{} · {}", a.email, a.phone),
                id: a.login,
                name: a.name,
                phone: Some(a.phone),
                presence: Some(a.presence),
            })
            .collect();
        for (kind, entries) in [
            (TargetKind::Queue, file.queues),
            (TargetKind::Skill, file.skills),
            (TargetKind::Group, file.groups),
            (TargetKind::RoutingPoint, file.routing_points),
        ] {
            targets.extend(entries.into_iter().map(|e| Target {
                kind,
                id: e.id,
                name: e.name,
                detail: e.detail,
                phone: None,
                presence: None,
            }));
        }
        Self { targets }
    }

    /// A deployment's directory, as its platform keeps it.
    pub fn from_entries(entries: Vec<switchboard_seam::parties::DirectoryEntry>) -> Self {
        Self {
            targets: entries
                .into_iter()
                .filter(|e| e.kind != TargetKind::Contact)
                .map(|e| Target {
                    kind: e.kind,
                    id: e.id,
                    name: e.name,
                    detail: e.detail,
                    phone: e.phone,
                    presence: None,
                })
                .collect(),
        }
    }

    /// Every internal target.
    pub fn targets(&self) -> &[Target] {
        &self.targets
    }

    /// The target of a kind and id.
    pub fn get(&self, kind: TargetKind, id: &str) -> Option<&Target> {
        self.targets.iter().find(|t| t.kind == kind && t.id == id)
    }

    /// Internal targets matching every word of `query` in name, id or detail, best first:
    /// favourites, then name-start matches, then Ready agents.
    pub fn search(&self, query: &str, is_favourite: impl Fn(&Target) -> bool) -> Vec<Target> {
        let mut scored: Vec<(i32, &Target)> = self
            .targets
            .iter()
            .filter_map(|t| score(t, query).map(|s| (s + if is_favourite(t) { 100 } else { 0 }, t)))
            .collect();
        scored.sort_by(|(a, ta), (b, tb)| b.cmp(a).then_with(|| ta.name.cmp(&tb.name)));
        scored.into_iter().map(|(_, t)| t.clone()).collect()
    }
}

/// How well a target matches a query (`None`: it does not).
pub fn score(target: &Target, query: &str) -> Option<i32> {
    let haystack = format!("{} {} {}", target.name, target.id, target.detail).to_lowercase();
    let name = target.name.to_lowercase();
    let mut score = 0;
    for word in query.split_whitespace().map(str::to_lowercase) {
        if !haystack.contains(&word) {
            return None;
        }
        if name.split_whitespace().any(|part| part.starts_with(&word)) {
            score += 10;
        }
    }
    if target.presence == Some(Presence::Ready) {
        score += 3;
    }
    Some(score)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directory_has_every_kind() {
        let directory = Directory::embedded();
        for kind in [
            TargetKind::Agent,
            TargetKind::Queue,
            TargetKind::Skill,
            TargetKind::Group,
            TargetKind::RoutingPoint,
        ] {
            assert!(
                directory.targets().iter().any(|t| t.kind == kind),
                "{kind:?}"
            );
        }
        assert!(
            directory
                .targets()
                .iter()
                .filter(|t| t.kind == TargetKind::Agent)
                .count()
                >= 20
        );
    }

    #[test]
    fn search_matches_name_parts_email_and_number_and_ranks_favourites_first() {
        let directory = Directory::embedded();
        assert_eq!(directory.search("gra", |_| false)[0].id, "grace");
        assert_eq!(directory.search("hopper@", |_| false)[0].id, "grace");
        assert_eq!(directory.search("0106", |_| false)[0].id, "katherine");
        assert_eq!(
            directory.search("billing", |_| false)[0].kind,
            TargetKind::Queue
        );
        let martins = directory.search("mar", |t| t.id == "margaret");
        assert_eq!(martins[0].id, "margaret", "favourite first");
        assert!(directory.search("zzz", |_| false).is_empty());
    }
}
