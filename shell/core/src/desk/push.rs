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
        let earlier = self.earlier_pushed_urls(interaction);
        if let Some(open) = self.interaction_mut(interaction) {
            open.pushed_urls = earlier;
        }
        Ok(())
    }

    /// Reads the links this agent pushed to an interaction's contact before (after a push).
    pub(super) fn earlier_pushed_urls(&self, interaction: &str) -> Vec<String> {
        let contact = self
            .interaction(interaction)
            .and_then(|open| open.contact.as_ref().map(|c| c.id));
        self.pushed_urls_to(contact)
    }

    /// The links this agent pushed to `contact` before, newest first (none without a contact).
    pub(super) fn pushed_urls_to(&self, contact: Option<i64>) -> Vec<String> {
        match &self.agent {
            Some(agent) => {
                super::opening::read_pushed_urls(self.services.store.as_ref(), &agent.id, contact)
            }
            None => Vec::new(),
        }
    }

    /// Whether the agent may push links (permission push-url).
    pub fn may_push_url(&self) -> bool {
        self.agent
            .as_ref()
            .is_some_and(|a| a.role.grants(crate::config::Permission::PushUrl))
    }

    /// The links the signed-in agent pushed to this interaction's contact before, newest
    /// first (another customer's links are never listed).
    pub fn pushed_urls(&self, interaction: &str) -> &[String] {
        self.interaction(interaction)
            .map_or(&[], |open| open.pushed_urls.as_slice())
    }
}
