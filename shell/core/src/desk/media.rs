//! Attachments of open interactions as the agent uses them: thumbnails, a copy to open in the
//! system's viewer, Save for roles allowed to, and a notification when a contact's image could
//! not be shown.

use std::path::{Path, PathBuf};

use switchboard_sdk::{TranscriptEntry, permissions};

use super::{Desk, DeskError};
use crate::{config::Permission, plugin_host::write_attachment, store::StoredAttachment};

impl Desk {
    /// A stored attachment of an open interaction, with its thumbnail.
    pub fn attachment(&self, interaction: &str, id: i64) -> Option<StoredAttachment> {
        self.interaction(interaction)?;
        match self.services.store.attachment(id) {
            Ok(found) => found.filter(|a| a.interaction == interaction),
            Err(e) => {
                tracing::warn!("{e}");
                None
            }
        }
    }

    /// Whether the agent may save this interaction's images: the role grants save-images and
    /// the channel's plugin declares it.
    pub fn may_save_images(&self, interaction: &str) -> bool {
        let Some(open) = self.interaction(interaction) else {
            return false;
        };
        let role_grants = self
            .agent
            .as_ref()
            .is_some_and(|a| a.role.grants(Permission::SaveImages));
        role_grants && self.channels[open.channel].declares_permission(permissions::SAVE_IMAGES)
    }

    /// Saves an attachment to a file the agent chose.
    pub fn save_attachment(
        &self,
        interaction: &str,
        id: i64,
        path: &Path,
    ) -> Result<(), DeskError> {
        if !self.may_save_images(interaction) {
            return Err(DeskError::NotPermitted(
                "saving images (permission save-images)".into(),
            ));
        }
        write_attachment(self.services.store.as_ref(), interaction, id, path)
            .map_err(|e| DeskError::Attachment(e.to_string()))
    }

    /// Writes a copy of an attachment where the system's viewer can open it, and returns its
    /// path. The copy lives in the system's temporary folder.
    pub fn copy_for_viewer(&self, interaction: &str, id: i64) -> Result<PathBuf, DeskError> {
        let stored = self
            .attachment(interaction, id)
            .ok_or_else(|| DeskError::Attachment(format!("no attachment {id}")))?;
        let folder = std::env::temp_dir().join("switchboard-media");
        std::fs::create_dir_all(&folder)
            .map_err(|e| DeskError::Attachment(format!("{}: {e}", folder.display())))?;
        let path = folder.join(format!("{id}-{}", stored.name));
        write_attachment(self.services.store.as_ref(), interaction, id, &path)
            .map_err(|e| DeskError::Attachment(e.to_string()))?;
        Ok(path)
    }

    /// Tells the agent about media items in `entries` that could not be shown.
    pub(super) fn notify_media_problems(&mut self, entries: &[TranscriptEntry]) {
        for entry in entries {
            for attachment in &entry.attachments {
                let problem = self
                    .services
                    .store
                    .attachment(attachment.id)
                    .ok()
                    .flatten()
                    .and_then(|a| a.problem);
                if let Some(problem) = problem {
                    self.notify(
                        "notice-media-unreadable",
                        vec![
                            ("contact", crate::people::shown(&entry.author)),
                            ("file", attachment.name.to_string()),
                            ("problem", problem),
                        ],
                        true,
                    );
                }
            }
        }
    }
}
