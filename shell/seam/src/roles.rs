//! What each agent may do, as the gateway decides it: the channels, capacity and offer times
//! of their role, its permissions and the channels where Done needs a disposition. A
//! desktop's sign-in says what it would like; it gets no more than this (a desktop's word is
//! never trusted for its role).

use std::collections::HashMap;

use crate::routing::ChannelCapacity;

/// One agent's role, as the gateway's configuration gives it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AgentPolicy {
    /// The role's id.
    pub role: String,
    /// Channel ids the role enables.
    pub channels: Vec<String>,
    /// Most interactions held at once per channel id (a channel not listed has no limit).
    pub capacity: HashMap<String, u32>,
    /// Seconds an offer waits, per channel id (a channel not listed keeps what the desktop
    /// asks, at most [`LONGEST_OFFER_SECONDS`]).
    pub offer_seconds: HashMap<String, i64>,
    /// Permissions granted (`push-url`, `assign-contact`...).
    pub permissions: Vec<String>,
    /// Channel ids where Done needs a disposition first.
    pub dispositions_required: Vec<String>,
}

/// The longest an offer may wait when the role does not say.
pub const LONGEST_OFFER_SECONDS: i64 = 600;

/// Every agent's role.
#[derive(Debug, Clone, Default)]
pub struct RolePolicies {
    agents: HashMap<String, AgentPolicy>,
    /// The media types of each channel the gateway knows (from the plugins' manifests it
    /// found): a desktop cannot claim them under another channel's name.
    channel_media: HashMap<String, Vec<String>>,
    /// Tests and trials only: every agent with a password takes the channels and times they
    /// ask for, with every permission.
    unrestricted: bool,
}

impl RolePolicies {
    /// The roles of these agents; nobody else may sign in.
    pub fn of(agents: impl IntoIterator<Item = (String, AgentPolicy)>) -> Self {
        Self {
            agents: agents.into_iter().collect(),
            channel_media: HashMap::new(),
            unrestricted: false,
        }
    }

    /// The media types of the channels the gateway knows, by channel id.
    pub fn with_channel_media(
        mut self,
        channels: impl IntoIterator<Item = (String, Vec<String>)>,
    ) -> Self {
        self.channel_media = channels.into_iter().collect();
        self
    }

    /// What `policy` grants of what a desktop asks for.
    pub fn granted(
        &self,
        policy: &AgentPolicy,
        asked: Vec<ChannelCapacity>,
    ) -> Vec<ChannelCapacity> {
        if self.is_unrestricted() {
            return asked;
        }
        policy.granted(asked, &self.channel_media)
    }

    /// For tests: every agent takes what they ask for, with every permission.
    pub fn unrestricted() -> Self {
        Self {
            agents: HashMap::new(),
            channel_media: HashMap::new(),
            unrestricted: true,
        }
    }

    /// `agent`'s role, if they are an agent of this contact center.
    pub fn policy(&self, agent: &str) -> Option<AgentPolicy> {
        match self.agents.get(agent) {
            Some(policy) => Some(policy.clone()),
            None if self.unrestricted => Some(AgentPolicy {
                role: "unrestricted".into(),
                permissions: ALL_PERMISSIONS.iter().map(|p| (*p).to_owned()).collect(),
                ..AgentPolicy::default()
            }),
            None => None,
        }
    }

    /// Whether every agent takes what they ask (tests).
    pub fn is_unrestricted(&self) -> bool {
        self.unrestricted && self.agents.is_empty()
    }
}

/// Every permission the gateway knows.
pub const ALL_PERMISSIONS: &[&str] = &[
    "save-images",
    "push-url",
    "assign-contact",
    "outbound-sms",
    "internal-im",
    "edit-case-data",
    "admin",
];

impl AgentPolicy {
    /// Whether the role grants `permission`.
    pub fn grants(&self, permission: &str) -> bool {
        self.permissions.iter().any(|p| p == permission)
    }

    /// What the agent signs in with: of the channels the desktop asks for, those the role
    /// enables, with the role's capacity and offer times; a channel's media types are those
    /// its manifest names when the gateway knows it (`channel_media`), else none that a
    /// known channel owns.
    pub fn granted(
        &self,
        asked: Vec<ChannelCapacity>,
        channel_media: &HashMap<String, Vec<String>>,
    ) -> Vec<ChannelCapacity> {
        asked
            .into_iter()
            .filter(|c| self.channels.contains(&c.channel))
            .map(|mut c| {
                c.media_types
                    .retain(|media| match channel_media.get(&c.channel) {
                        Some(known) => known.contains(media),
                        None => channel_media.values().all(|owned| !owned.contains(media)),
                    });
                c.media_types.dedup();
                c.capacity = match (self.capacity.get(&c.channel), c.capacity) {
                    (Some(role), Some(asked)) => Some(asked.min(*role)),
                    (Some(role), None) => Some(*role),
                    (None, asked) => asked,
                };
                c.offer_timeout_seconds = match self.offer_seconds.get(&c.channel) {
                    Some(seconds) => *seconds,
                    None => c.offer_timeout_seconds.clamp(1, LONGEST_OFFER_SECONDS),
                };
                c
            })
            .filter(|c| !c.media_types.is_empty())
            .collect()
    }

    /// Whether Done needs a disposition in an interaction of `media_type`, by the channels
    /// granted at sign-in.
    pub fn disposition_required(&self, media_type: &str, granted: &[ChannelCapacity]) -> bool {
        granted.iter().any(|c| {
            self.dispositions_required.contains(&c.channel)
                && c.media_types.iter().any(|m| m == media_type)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn channel(id: &str, media: &[&str], capacity: Option<u32>, seconds: i64) -> ChannelCapacity {
        ChannelCapacity {
            channel: id.into(),
            media_types: media.iter().map(|m| (*m).to_owned()).collect(),
            capacity,
            offer_timeout_seconds: seconds,
        }
    }

    #[test]
    fn a_desktop_asking_for_more_gets_the_role() {
        let policy = AgentPolicy {
            role: "agent".into(),
            channels: vec!["sms-page".into(), "telegram".into()],
            capacity: HashMap::from([("sms-page".to_owned(), 2)]),
            offer_seconds: HashMap::from([("sms-page".to_owned(), 30)]),
            permissions: vec![],
            dispositions_required: vec!["sms-page".into()],
        };
        let known = HashMap::from([
            ("sms-page".to_owned(), vec!["sms".to_owned()]),
            ("chat".to_owned(), vec!["chat".to_owned()]),
        ]);
        let policies = RolePolicies::of([("ada".to_owned(), policy.clone())])
            .with_channel_media(known.clone());
        let granted = policies.granted(
            &policy,
            vec![
                // More capacity and a longer offer than the role, and chat smuggled in.
                channel("sms-page", &["sms", "chat"], None, 3600),
                channel("chat", &["chat"], None, 60),
                // A channel the gateway has no manifest of may not claim a known one's media.
                channel("telegram", &["telegram", "chat"], Some(9), 99_999),
            ],
        );
        assert_eq!(
            granted,
            vec![
                channel("sms-page", &["sms"], Some(2), 30),
                channel("telegram", &["telegram"], Some(9), LONGEST_OFFER_SECONDS),
            ]
        );
        assert!(policy.disposition_required("sms", &granted));
        assert!(!policy.disposition_required("telegram", &granted));
        assert!(!policy.grants("push-url"));

        assert!(policies.policy("ada").is_some());
        assert!(policies.policy("mallory").is_none(), "not an agent here");
        assert!(
            RolePolicies::unrestricted()
                .policy("anyone")
                .is_some_and(|p| p.grants("push-url"))
        );
    }
}
