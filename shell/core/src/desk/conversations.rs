//! Internal conversations the agent starts: an instant message from the Team Communicator, or
//! an IM consultation inside a customer interaction. The platform stores the conversation, the
//! channel that carries internal media gets [`Event::Started`], and the answers to its
//! invitations come back as [`Event::InvitationOutcome`] and [`Event::OtherSideEnded`].

use switchboard_sdk::{Event, InteractionInfo, abi_stable::std_types::RVec};

use super::{Desk, DeskError, OpenInteraction};
use crate::{
    backend::{INTERNAL_MEDIA_TYPE, NewConversation},
    config::Permission,
    directory,
};

impl Desk {
    /// The running channel that carries internal instant messages, when the role has one.
    fn internal_channel(&self) -> Option<usize> {
        self.running_channel_for(INTERNAL_MEDIA_TYPE)
    }

    /// Whether the agent may send instant messages now: the role grants internal-im and its
    /// channel runs.
    pub fn may_send_im(&self) -> bool {
        self.agent
            .as_ref()
            .is_some_and(|a| a.role.grants(Permission::InternalIm))
            && self.internal_channel().is_some()
    }

    /// Opens an instant message to `target` (nothing is sent yet: the first message invites).
    /// With `consulting`, it is a consultation about that open interaction: it carries its case
    /// data and is drawn inside its view. Returns the new interaction's id.
    pub fn start_im(
        &mut self,
        target: &directory::Target,
        consulting: Option<&str>,
    ) -> Result<String, DeskError> {
        let agent = self.agent.clone().ok_or(DeskError::NotSignedIn)?;
        if !agent.role.grants(Permission::InternalIm) {
            return Err(DeskError::NotPermitted(
                "instant messages (permission internal-im)".into(),
            ));
        }
        let channel = self.internal_channel().ok_or_else(|| {
            DeskError::NotPermitted("instant messages: no internal IM channel is running".into())
        })?;
        let case_data = match consulting {
            Some(parent) => self
                .interaction(parent)
                .ok_or_else(|| DeskError::UnknownInteraction(parent.to_owned()))?
                .case_data
                .iter()
                .map(|kv| (kv.key.to_string(), kv.value.to_string()))
                .collect(),
            None => Vec::new(),
        };
        let id = self.services.backend.start_conversation(NewConversation {
            agent: agent.id.clone(),
            target: target.to_sdk(),
            media_type: INTERNAL_MEDIA_TYPE.into(),
            consulting: consulting.map(str::to_owned),
            case_data,
        })?;
        if let Err(e) =
            self.services
                .store
                .record_recent(&agent.id, target.kind.name(), &target.id, self.now())
        {
            tracing::warn!("cannot record a recent target: {e}");
        }
        self.open_started(&id, channel, consulting)?;
        Ok(id)
    }

    /// Opens a conversation the agent started (stored by the platform) and tells its channel
    /// with [`Event::Started`]; a consultation stays behind the interaction it consults about.
    pub(super) fn open_started(
        &mut self,
        id: &str,
        channel: usize,
        consulting: Option<&str>,
    ) -> Result<(), DeskError> {
        let agent = self.agent.clone().ok_or(DeskError::NotSignedIn)?;
        let row = self
            .services
            .store
            .interaction(id)?
            .ok_or_else(|| DeskError::UnknownInteraction(id.to_owned()))?;
        let case_data = self.services.store.case_data(id)?;
        let info = InteractionInfo {
            id: id.into(),
            media_type: row.media_type.as_str().into(),
            contact_name: row.contact_name.as_str().into(),
            contact_address: row.contact_address.as_str().into(),
            our_address: row.our_address.as_str().into(),
            case_data: RVec::from(case_data.clone()),
            created: row.created,
            agent_name: agent.display_name.as_str().into(),
        };
        let mut open = OpenInteraction::new(row, channel, case_data, Vec::new(), self.now());
        self.load_side_data(&mut open)?;
        self.open_interaction(open);
        if consulting.is_none() {
            self.selected = Some(id.to_owned());
        }
        self.dispatch(
            channel,
            Event::Started {
                interaction: info,
                consulting: consulting.unwrap_or_default().into(),
            },
        );
        Ok(())
    }

    /// The open IM consultation drawn inside an interaction's view, if any (the newest).
    pub fn consultation_of(&self, interaction: &str) -> Option<&OpenInteraction> {
        self.interactions
            .iter()
            .rev()
            .find(|i| i.consults.as_deref() == Some(interaction))
    }

    /// Whether an interaction is drawn as a pane inside another open interaction (an IM
    /// consultation this agent started) rather than on its own.
    pub fn is_pane(&self, interaction: &str) -> bool {
        self.interaction(interaction)
            .and_then(|i| i.consults.as_deref())
            .is_some_and(|parent| self.interaction(parent).is_some())
    }
}
