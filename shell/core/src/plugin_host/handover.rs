//! Host services that hand work to others or out of the shell: the role's settings (1.3),
//! transfers (1.3) and invitations (1.5) through the platform, and saving an attachment to a
//! file (checked against the manifest and the role's save-images permission).

use std::path::Path;

use switchboard_sdk::{
    DeliveryStatus, HostError, HostErrorKind, Role, Target, TranscriptEntry, permissions, services,
    settings,
};

use super::services::{PluginHost, storage};
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
        let request = TransferRequest {
            interaction: interaction.to_owned(),
            from_agent: agent.id,
            target,
            timeout_seconds: i64::from(agent.timers.invitation_timeout_seconds),
        };
        self.shared
            .backend
            .transfer(request)
            .map_err(|e| HostError::new(HostErrorKind::Platform, e.to_string()))
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
        self.shared
            .backend
            .invite(request)
            .map_err(|e| HostError::new(HostErrorKind::Platform, e.to_string()))
    }

    /// Tells the contact whether the agent is typing (SDK 1.5).
    pub(super) fn tell_typing(&self, interaction: &str, typing: bool) -> Result<(), HostError> {
        self.check(services::TYPING)?;
        self.own_open_interaction(interaction)?;
        let author = self.shared.agent().display_name;
        self.shared
            .backend
            .set_typing(interaction, &author, typing)
            .map_err(|e| HostError::new(HostErrorKind::Platform, e.to_string()))
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
        let agent = shared.agent();
        let now = shared.clock.now();
        let entry = shared
            .store
            .insert_message(
                &NewMessage {
                    interaction: row.id.clone(),
                    role: Role::Agent,
                    author: agent.display_name.clone(),
                    author_key: "agent".into(),
                    time: now,
                    body: url.clone(),
                    status: DeliveryStatus::Sending,
                    provider_id: None,
                    parts: 1,
                },
                &[],
            )
            .map_err(storage)?
            .ok_or_else(|| HostError::new(HostErrorKind::Storage, "link not stored"))?;
        self.note_appended(entry.clone());
        // Remembered on the list of this agent and this contact only.
        let list = match shared.store.contact_of_interaction(&row.id) {
            Ok(Some(contact)) => Some(crate::store::pushed_list(&agent.id, contact.id)),
            Ok(None) => None,
            Err(e) => {
                tracing::warn!("cannot find the contact a link went to: {e}");
                None
            }
        };
        if let Some(list) = list
            && let Err(e) = shared.store.record_pushed_url(&list, &url, now)
        {
            tracing::warn!("cannot remember a pushed link: {e}");
        }
        shared
            .backend
            .push_url(OutboundMessage {
                message_id: entry.id,
                interaction: row.id.clone(),
                to: row.contact_address.clone(),
                from: row.our_address.clone(),
                author: agent.display_name.clone(),
                parts: vec![url.clone()],
                text: url,
            })
            .map_err(|e| HostError::new(HostErrorKind::Platform, e.to_string()))?;
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
