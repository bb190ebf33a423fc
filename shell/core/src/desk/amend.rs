//! What agents change about an interaction besides the conversation: case data (only keys the
//! configuration marks editable, only for roles with edit-case-data) and the contact it belongs
//! to (for roles with assign-contact). Everything else stays read-only.

use switchboard_sdk::KeyValue;

use super::{Desk, DeskError};
use crate::config::Permission;

impl Desk {
    /// Whether the agent may change this case-data key.
    pub fn may_edit_case_data(&self, key: &str) -> bool {
        let role_grants = self
            .agent
            .as_ref()
            .is_some_and(|a| a.role.grants(Permission::EditCaseData));
        role_grants
            && self
                .config
                .shell
                .editable_case_data
                .iter()
                .any(|k| k == key)
    }

    /// The keys the agent may fill in that the interaction does not carry yet.
    pub fn missing_editable_keys(&self, interaction: &str) -> Vec<String> {
        let present = self.case_data(interaction);
        self.config
            .shell
            .editable_case_data
            .iter()
            .filter(|k| self.may_edit_case_data(k) && !present.iter().any(|kv| kv.key == **k))
            .cloned()
            .collect()
    }

    /// Changes (or fills in) one case-data value of an open interaction.
    pub fn set_case_value(
        &mut self,
        interaction: &str,
        key: &str,
        value: &str,
    ) -> Result<(), DeskError> {
        if !self.may_edit_case_data(key) {
            return Err(DeskError::NotPermitted(format!(
                "changing the case-data key {key}"
            )));
        }
        let open = self
            .interaction(interaction)
            .ok_or_else(|| DeskError::UnknownInteraction(interaction.to_owned()))?;
        if open.is_read_only() {
            return Err(DeskError::NotPermitted(format!(
                "changing case data of {interaction}: a consultation shows the case read-only"
            )));
        }
        let value = value.trim();
        self.services
            .store
            .set_case_value(interaction, key, value)?;
        if let Some(open) = self.interaction_mut(interaction) {
            match open.case_data.iter_mut().find(|kv| kv.key == key) {
                Some(kv) => kv.value = value.into(),
                None => open.case_data.push(KeyValue {
                    key: key.into(),
                    value: value.into(),
                }),
            }
        }
        if let Some(open) = self.interaction(interaction) {
            // Plugins read the new value from memory too.
            self.track(open);
        }
        self.records_changed(interaction, switchboard_sdk::records::CASE_DATA);
        Ok(())
    }
}

impl Desk {
    /// Whether the agent may assign interactions to contacts (permission assign-contact).
    pub fn may_assign_contact(&self) -> bool {
        self.agent
            .as_ref()
            .is_some_and(|a| a.role.grants(Permission::AssignContact))
    }

    /// Assigns an open interaction to an existing contact (an unknown sender turns out to be a
    /// known customer): the side panels, the header count and the history follow.
    pub fn assign_contact(&mut self, interaction: &str, contact_id: i64) -> Result<(), DeskError> {
        if !self.may_assign_contact() {
            return Err(DeskError::NotPermitted(
                "assigning interactions to contacts (permission assign-contact)".into(),
            ));
        }
        let mut open = self
            .interaction(interaction)
            .cloned()
            .ok_or_else(|| DeskError::UnknownInteraction(interaction.to_owned()))?;
        if open.is_read_only() {
            return Err(DeskError::NotPermitted(format!(
                "assigning {interaction} to a contact: a consultation shows the contact read-only"
            )));
        }
        self.services
            .store
            .assign_contact(interaction, contact_id)?;
        self.load_side_data(&mut open)?;
        if let Some(contact) = &open.contact {
            open.row.contact_name = contact.display_name.clone();
        }
        if let Some(slot) = self.interaction_mut(interaction) {
            *slot = open;
        }
        // The plugin's view may show what it reads about the contact.
        self.records_changed(interaction, switchboard_sdk::records::CONTACT);
        Ok(())
    }
}
