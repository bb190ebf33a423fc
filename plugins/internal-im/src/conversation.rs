//! One instant-message conversation as the plugin tracks it: who it is with, its connection
//! state, and whether a voice consultation was asked for.

use switchboard_sdk::{ConnectionState, InteractionInfo, Target, target_kinds};

/// Where the escalation to a voice consultation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Voice {
    /// Not asked for.
    None,
    /// Asked; the platform is calling the colleague.
    Requested,
    /// The agents are on the phone.
    Connected,
}

/// One IM.
#[derive(Debug, Clone)]
pub struct Conversation {
    /// As the host described it.
    pub info: InteractionInfo,
    /// Who the IM is with: the agent once one answered, else the target as chosen.
    pub target: Target,
    /// Not connected, establishing, connected, ended.
    pub state: ConnectionState,
    /// The customer interaction this IM consults about; empty when it stands alone.
    pub consulting: String,
    /// The queue, skill, group or routing point the platform picked the colleague for.
    pub routed_via: Option<String>,
    /// A colleague invited this agent (the IM arrived as an offer).
    pub invited_us: bool,
    /// Escalation to voice.
    pub voice: Voice,
    /// The customer a consultation is about, when the host tells.
    pub about: Option<String>,
}

impl Conversation {
    /// A conversation not connected yet.
    pub fn new(info: InteractionInfo, consulting: String) -> Self {
        Self {
            target: target_of(&info),
            info,
            state: ConnectionState::NotConnected,
            consulting,
            routed_via: None,
            invited_us: false,
            voice: Voice::None,
            about: None,
        }
    }

    /// Whether it is about a customer interaction (a consultation carries its case data).
    pub fn is_consultation(&self) -> bool {
        !self.consulting.is_empty() || !self.info.case_data.is_empty()
    }
}

/// The target an interaction's address names: `kind:id` (`agent:grace`, `skill:s-french`); a
/// bare address is an agent's login.
pub fn target_of(info: &InteractionInfo) -> Target {
    let address = info.contact_address.as_str();
    let (kind, id) = address
        .split_once(':')
        .unwrap_or((target_kinds::AGENT, address));
    Target {
        kind: kind.into(),
        id: id.into(),
        name: info.contact_name.clone(),
    }
}
