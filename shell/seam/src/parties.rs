//! The kinds of party the platform knows besides customers (agents, queues, skills, groups,
//! routing points) and an agent's presence.

use serde::Deserialize;

/// The kind of an internal or external target.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum TargetKind {
    /// A colleague.
    Agent,
    /// A queue.
    Queue,
    /// A skill (the first available agent with it).
    Skill,
    /// An agent group.
    Group,
    /// A routing point.
    RoutingPoint,
    /// A customer from the contact database.
    Contact,
}

impl TargetKind {
    /// Stable name (`agent`, `queue`...), used in storage.
    pub fn name(self) -> &'static str {
        match self {
            TargetKind::Agent => "agent",
            TargetKind::Queue => "queue",
            TargetKind::Skill => "skill",
            TargetKind::Group => "group",
            TargetKind::RoutingPoint => "routing-point",
            TargetKind::Contact => "contact",
        }
    }

    /// The kind with this name.
    pub fn from_name(name: &str) -> Option<Self> {
        [
            Self::Agent,
            Self::Queue,
            Self::Skill,
            Self::Group,
            Self::RoutingPoint,
            Self::Contact,
        ]
        .into_iter()
        .find(|k| k.name() == name)
    }
}

/// An agent's presence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Presence {
    /// Available.
    Ready,
    /// Signed in, not taking work.
    NotReady,
    /// Handling work.
    Busy,
    /// Signed out.
    Offline,
}

/// One entry of a deployment's directory (the Team Communicator's agents, queues, skills,
/// groups and routing points), as a platform that keeps one gives it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DirectoryEntry {
    /// What it is.
    pub kind: TargetKind,
    /// Its id on the platform (an agent's sign-in id...).
    pub id: String,
    /// Name shown.
    pub name: String,
    /// A line shown under the name (role, e-mail...).
    pub detail: String,
    /// A number to call, when there is one.
    pub phone: Option<String>,
}
