//! The URL editor's side of the desk: check a link, push it through the plugin, and the list of
//! links the agent pushed before.

use switchboard_sdk::Event;

use super::{Desk, DeskError};
use crate::links;

/// How many pushed links the editor lists.
pub const PUSHED_LIST_LENGTH: usize = 20;

impl Desk {
    /// Checks a link and hands it to the interaction's plugin to push (it stores and sends it).
    pub fn push_url(&mut self, interaction: &str, url: &str) -> Result<(), DeskError> {
        let url = links::pushable(url).map_err(DeskError::InvalidLink)?;
        let channel = self.channel_of(interaction)?;
        self.dispatch(
            channel,
            Event::PushUrl {
                interaction: interaction.into(),
                url: url.into(),
            },
        );
        self.reload_pushed_urls();
        Ok(())
    }

    /// Reads the agent's pushed links again (at sign-in, after a push).
    pub(super) fn reload_pushed_urls(&mut self) {
        self.pushed_urls = match &self.agent {
            Some(agent) => self
                .services
                .store
                .pushed_urls(&agent.id, PUSHED_LIST_LENGTH)
                .unwrap_or_else(|e| {
                    tracing::warn!("{e}");
                    Vec::new()
                }),
            None => Vec::new(),
        };
    }

    /// Whether the agent may push links (permission push-url).
    pub fn may_push_url(&self) -> bool {
        self.agent
            .as_ref()
            .is_some_and(|a| a.role.grants(crate::config::Permission::PushUrl))
    }

    /// The links the signed-in agent pushed, newest first.
    pub fn pushed_urls(&self) -> &[String] {
        &self.pushed_urls
    }
}
