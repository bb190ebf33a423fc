//! Attachments of open interactions as the agent uses them: thumbnails, a copy to open in the
//! system's viewer, Save for roles allowed to, and a notification when a contact's image could
//! not be shown. What the records hold of an attachment is read on `desk-reads`.

use std::{
    path::{Path, PathBuf},
    sync::Arc,
};

use switchboard_sdk::{TranscriptEntry, permissions};

use super::{Desk, DeskError, Looked, Lookup};
use crate::{config::Permission, plugin_host::write_attachment, store::StoredAttachment};

impl Desk {
    /// A stored attachment of an open interaction, with its thumbnail (or why it cannot be
    /// shown). Read off the window's thread: pending at first.
    pub fn attachment(&self, interaction: &str, id: i64) -> Looked<StoredAttachment> {
        if self.interaction(interaction).is_none() {
            return Looked::Failed(format!("{interaction} is not open"));
        }
        match self
            .lookups
            .get::<Option<StoredAttachment>>(Lookup::Attachment { id })
        {
            Looked::Ready(found) => match found.as_ref() {
                Some(stored) if stored.interaction == interaction => {
                    Looked::Ready(Arc::new(stored.clone()))
                }
                _ => Looked::Failed(format!("no attachment {id} in {interaction}")),
            },
            Looked::Pending => Looked::Pending,
            Looked::Failed(reason) => Looked::Failed(reason),
        }
    }

    /// The name of an attachment of an open interaction, as its message carries it.
    pub fn attachment_name(&self, interaction: &str, id: i64) -> Option<String> {
        self.interaction(interaction)?
            .transcript
            .iter()
            .flat_map(|entry| entry.attachments.iter())
            .find(|attachment| attachment.id == id)
            .map(|attachment| attachment.name.to_string())
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
        let name = self
            .attachment_name(interaction, id)
            .ok_or_else(|| DeskError::Attachment(format!("no attachment {id}")))?;
        let folder = std::env::temp_dir().join("switchboard-media");
        std::fs::create_dir_all(&folder)
            .map_err(|e| DeskError::Attachment(format!("{}: {e}", folder.display())))?;
        let path = folder.join(format!("{id}-{name}"));
        write_attachment(self.services.store.as_ref(), interaction, id, &path)
            .map_err(|e| DeskError::Attachment(e.to_string()))?;
        Ok(path)
    }

    /// Asks whether the media items in `entries` could be shown; the agent is told of those
    /// that could not once the records answer (off the window's thread, [`Desk::check_media`]).
    pub(super) fn notify_media_problems(&mut self, entries: &[TranscriptEntry]) {
        for entry in entries {
            for attachment in &entry.attachments {
                let check = MediaCheck {
                    author: crate::people::shown(&entry.author),
                    id: attachment.id,
                    name: attachment.name.to_string(),
                };
                if !self.media_checks.contains(&check) {
                    self.media_checks.push(check);
                }
            }
        }
        self.check_media();
    }

    /// Tells the agent of each checked media item the records say cannot be shown.
    pub(super) fn check_media(&mut self) {
        let checks = std::mem::take(&mut self.media_checks);
        for check in checks {
            let looked = self
                .lookups
                .get::<Option<StoredAttachment>>(Lookup::Attachment { id: check.id });
            let problem = match looked {
                Looked::Pending => {
                    self.media_checks.push(check);
                    continue;
                }
                Looked::Ready(stored) => stored.as_ref().as_ref().and_then(|a| a.problem.clone()),
                Looked::Failed(reason) => {
                    tracing::warn!("attachment {}: {reason}", check.id);
                    None
                }
            };
            if let Some(problem) = problem {
                self.notify(
                    "notice-media-unreadable",
                    vec![
                        ("contact", check.author),
                        ("file", check.name),
                        ("problem", problem),
                    ],
                    true,
                );
            }
        }
    }
}

/// A media item whose readability the desk asked the records about.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct MediaCheck {
    author: String,
    id: i64,
    name: String,
}
