//! Host services that hand work to others or out of the shell: the role's settings (1.3),
//! transfers (1.3) and invitations (1.5) through the platform, and saving an attachment to a
//! file (checked against the manifest and the role's save-images permission).

use std::path::Path;

use switchboard_sdk::{
    DeliveryStatus, HostError, HostErrorKind, Role, Target, TranscriptEntry, permissions, services,
    settings,
};

use super::{
    PlatformCall,
    services::{Handover, MessageJob, PluginHost, storage},
};
use crate::{
    backend::{InviteRequest, OutboundMessage, TransferRequest},
    store::{NewMessage, Records},
};

impl PluginHost {
    /// An administrator setting for the signed-in agent's role.
    pub(super) fn setting_value(&self, name: &str) -> Result<String, HostError> {
        let agent = self.shared.agent();
        let timers = agent.timers;
        let value = match name {
            settings::SESSION_INACTIVITY_SECONDS => timers.session_inactivity_seconds.to_string(),
            settings::PENDING_YELLOW_SECONDS => timers.pending_yellow_seconds.to_string(),
            settings::PENDING_RED_SECONDS => timers.pending_red_seconds.to_string(),
            settings::INVITATION_TIMEOUT_SECONDS => timers.invitation_timeout_seconds.to_string(),
            settings::AGENT_NICKNAME => agent.display_name,
            _ => {
                return Err(HostError::new(
                    HostErrorKind::NotFound,
                    format!("no setting {name}"),
                ));
            }
        };
        Ok(value)
    }

    /// Asks the platform to transfer one of the plugin's open interactions.
    pub(super) fn request_transfer(
        &self,
        interaction: &str,
        target: Target,
    ) -> Result<(), HostError> {
        self.check(services::TRANSFER)?;
        self.own_open_interaction(interaction)?;
        let agent = self.shared.agent();
        self.reachable()?;
        let request = TransferRequest {
            interaction: interaction.to_owned(),
            from_agent: agent.id,
            target,
            timeout_seconds: i64::from(agent.timers.invitation_timeout_seconds),
        };
        // Asked on the desk's requests thread; a refusal comes back as the transfer's answer.
        self.shared
            .queue_platform_call(PlatformCall::Transfer(request));
        Ok(())
    }

    /// Refuses at once when the platform is known to be unreachable (the link is down).
    fn reachable(&self) -> Result<(), HostError> {
        if self.shared.backend.link_up() {
            Ok(())
        } else {
            Err(HostError::new(
                HostErrorKind::Platform,
                "the contact-center platform is unreachable",
            ))
        }
    }

    /// Invites a target into one of the plugin's open interactions (SDK 1.5): the platform
    /// shows them the first message the agent sent and the interaction's case data.
    pub(super) fn request_invitation(
        &self,
        interaction: &str,
        target: Target,
        purpose: &str,
    ) -> Result<(), HostError> {
        self.check(services::INVITATIONS)?;
        self.own_open_interaction(interaction)?;
        // From memory: the window's thread reads no store for an invitation.
        let (first_message, case_data) = self
            .shared
            .open_first_reply_and_case_data(interaction)
            .unwrap_or_default();
        self.reachable()?;
        let agent = self.shared.agent();
        let request = InviteRequest {
            interaction: interaction.to_owned(),
            from_agent: agent.id,
            target,
            purpose: purpose.to_owned(),
            timeout_seconds: i64::from(agent.timers.invitation_timeout_seconds),
            first_message,
            case_data,
        };
        // Asked on the desk's requests thread; a refusal comes back as the invitation's answer.
        self.shared
            .queue_platform_call(PlatformCall::Invite(request));
        Ok(())
    }

    /// Tells the contact whether the agent is typing (SDK 1.5).
    pub(super) fn tell_typing(&self, interaction: &str, typing: bool) -> Result<(), HostError> {
        self.check(services::TYPING)?;
        self.own_open_interaction(interaction)?;
        let author = self.shared.agent().display_name;
        self.shared.queue_platform_call(PlatformCall::Typing {
            interaction: interaction.to_owned(),
            author,
            typing,
        });
        Ok(())
    }

    /// Pushes a checked link to the contact: stored first, then handed to the platform, and
    /// remembered in the agent's list (SDK 1.5).
    pub(super) fn push_link(
        &self,
        interaction: &str,
        url: &str,
    ) -> Result<TranscriptEntry, HostError> {
        self.check(services::MESSAGES_SEND)?;
        self.check_permission(permissions::PUSH_URL)?;
        let row = self.own_open_interaction(interaction)?;
        let url = crate::links::pushable(url)
            .map_err(|reason| HostError::new(HostErrorKind::Invalid, reason))?;
        let shared = &self.shared;
        self.reachable()?;
        let agent = shared.agent();
        let now = shared.clock.now();
        let message = NewMessage {
            interaction: row.id.clone(),
            role: Role::Agent,
            author: agent.display_name.clone(),
            author_key: "agent".into(),
            time: now,
            body: url.clone(),
            status: DeliveryStatus::Sending,
            provider_id: None,
            parts: 1,
        };
        // Remembered on the list of this agent and this contact only (the contact as the desk
        // opened the interaction with it: no store call here).
        let list = shared
            .contact_of(&row.id)
            .ok()
            .flatten()
            .map(|contact| crate::store::pushed_list(&agent.id, contact.id));
        let Some(id) = shared.next_message_id() else {
            return Err(HostError::new(
                HostErrorKind::Storage,
                "the records have not set a message id aside yet; push the link again",
            ));
        };
        let entry = message.entry(id);
        // Shown at once; the desk's requests thread stores it, remembers it and pushes it.
        shared.queue_send(MessageJob {
            agent: agent.id.clone(),
            id,
            message,
            handover: Some(Handover::Link {
                message: OutboundMessage {
                    message_id: id,
                    interaction: row.id.clone(),
                    to: row.contact_address.clone(),
                    from: row.our_address.clone(),
                    author: agent.display_name.clone(),
                    parts: vec![url.clone()],
                    text: url,
                },
                list,
            }),
        });
        self.note_appended(entry.clone());
        Ok(entry)
    }

    /// Saves an attachment of one of the plugin's interactions to `path`.
    pub(super) fn save_attachment_to(
        &self,
        interaction: &str,
        attachment: i64,
        path: &Path,
    ) -> Result<(), HostError> {
        self.check(services::ATTACHMENTS)?;
        self.check_permission(permissions::SAVE_IMAGES)?;
        self.own_interaction(interaction)?;
        write_attachment(self.shared.store.as_ref(), interaction, attachment, path)
    }
}

/// Writes an attachment's bytes to `path` (atomically: a temporary file renamed into place).
/// The attachment must belong to `interaction` and have passed the media checks.
pub fn write_attachment(
    store: &dyn Records,
    interaction: &str,
    attachment: i64,
    path: &Path,
) -> Result<(), HostError> {
    let stored = store
        .attachment(attachment)
        .map_err(storage)?
        .filter(|a| a.interaction == interaction)
        .ok_or_else(|| {
            HostError::new(
                HostErrorKind::NotFound,
                format!("interaction {interaction} has no attachment {attachment}"),
            )
        })?;
    let Some(bytes) = store.attachment_bytes(attachment).map_err(storage)? else {
        return Err(HostError::new(
            HostErrorKind::Invalid,
            format!(
                "{} cannot be saved: {}",
                stored.name,
                stored
                    .problem
                    .unwrap_or_else(|| "it was not received".into())
            ),
        ));
    };
    let file = path.display();
    let partial = path.with_extension("partial");
    std::fs::write(&partial, &bytes)
        .and_then(|()| std::fs::rename(&partial, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&partial);
            HostError::new(HostErrorKind::Storage, format!("cannot write {file}: {e}"))
        })
}
