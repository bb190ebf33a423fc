//! The URL editor's side of the desk: check a link, push it through the plugin, and the list of
//! links the agent pushed before (read with the interaction's opening, kept here after).

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
                url: url.as_str().into(),
            },
        );
        if !self.may_push_url() {
            return Ok(());
        }
        // The list is kept here, newest first (the records remember it on the requests
        // thread with the link): every open interaction with this contact lists it.
        let contact = self
            .interaction(interaction)
            .and_then(|open| open.contact.as_ref().map(|c| c.id));
        for open in &mut self.interactions {
            let same_contact = open.row.id == interaction
                || (contact.is_some() && open.contact.as_ref().map(|c| c.id) == contact);
            if same_contact {
                open.pushed_urls.retain(|earlier| *earlier != url);
                open.pushed_urls.insert(0, url.clone());
                open.pushed_urls.truncate(PUSHED_LIST_LENGTH);
            }
        }
        Ok(())
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
