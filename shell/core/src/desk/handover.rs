//! Handing an interaction over: the plugin asks for a target ([`Command::ChooseTarget`]), the
//! agent picks one in the Team Communicator, the plugin asks the platform (on the desk's
//! requests thread), and the answer comes back to it; an accepted transfer releases the
//! interaction from this desk, and a platform's refusal comes back as the answer, with its
//! reason.
//!
//! [`Command::ChooseTarget`]: switchboard_sdk::Command::ChooseTarget

use switchboard_sdk::{Event, InvitationOutcome, purposes};

use super::{Desk, DeskError};
use crate::directory;

impl Desk {
    /// The agent picked a target for the interaction's pending choice (a transfer...).
    pub fn choose_target(
        &mut self,
        interaction: &str,
        target: &directory::Target,
    ) -> Result<(), DeskError> {
        let agent = self.agent_id()?;
        let open = self
            .interaction_mut(interaction)
            .ok_or_else(|| DeskError::UnknownInteraction(interaction.to_owned()))?;
        let purpose = open
            .choosing_target
            .take()
            .unwrap_or_else(|| purposes::TRANSFER.into());
        let channel = open.channel;
        if purpose == purposes::CONSULT {
            // The shell opens the consultation itself: an IM inside this interaction.
            self.start_im(target, Some(interaction))?;
            return Ok(());
        }
        if let Err(e) = self.services.store.record_recent(
            &agent,
            target.kind.name(),
            &target.id,
            self.services.clock.now(),
        ) {
            tracing::warn!("cannot record a recent target: {e}");
        }
        self.dispatch(
            channel,
            Event::TargetChosen {
                interaction: interaction.into(),
                purpose: purpose.into(),
                target: target.to_sdk(),
            },
        );
        Ok(())
    }

    /// The agent closed the target picker without choosing.
    pub fn cancel_choosing(&mut self, interaction: &str) {
        if let Some(open) = self.interaction_mut(interaction) {
            open.choosing_target = None;
        }
    }

    /// Gives an open interaction back to the queue (signing out without finishing it): its
    /// note is saved, the platform offers it to whoever is Ready, and it leaves this desk.
    pub fn hand_back(&mut self, interaction: &str) -> Result<(), DeskError> {
        let agent = self.agent_id()?;
        let index = self
            .interactions
            .iter()
            .position(|i| i.row.id == interaction)
            .ok_or_else(|| DeskError::UnknownInteraction(interaction.to_owned()))?;
        if let Err(e) = self.save_note(interaction) {
            tracing::warn!("saving the note of {interaction}: {e}");
        }
        self.services
            .backend
            .hand_back(&agent, interaction)
            .map_err(DeskError::Backend)?;
        self.forget_interaction(index);
        Ok(())
    }

    /// Closes the view of an interaction that now belongs to someone else. The note is saved;
    /// the interaction is not marked done (its new owner finishes it).
    pub(super) fn release(&mut self, interaction: &str) {
        let Some(index) = self
            .interactions
            .iter()
            .position(|i| i.row.id == interaction)
        else {
            return;
        };
        if let Err(e) = self.save_note(interaction) {
            tracing::warn!("saving the note of {interaction}: {e}");
        }
        let released = self.forget_interaction(index);
        self.notify(
            "notice-transferred",
            vec![("contact", crate::people::shown(&released.row.contact_name))],
            false,
        );
    }
}

impl Desk {
    /// A platform call was carried out: a refused transfer or invitation is answered to the
    /// plugin waiting for it, with the platform's reason; the rest is only logged.
    pub(super) fn on_platform_called(
        &mut self,
        call: crate::plugin_host::PlatformCall,
        result: Result<(), String>,
    ) {
        use crate::plugin_host::PlatformCall;
        let Err(reason) = result else {
            return;
        };
        let refused = InvitationOutcome::Rejected {
            reason: reason.as_str().into(),
        };
        match call {
            PlatformCall::Transfer(request) => self.dispatch_to_open(Event::TransferOutcome {
                interaction: request.interaction.as_str().into(),
                target: request.target,
                outcome: refused.into(),
            }),
            PlatformCall::Invite(request) => self.dispatch_to_open(Event::InvitationOutcome {
                interaction: request.interaction.as_str().into(),
                purpose: request.purpose.as_str().into(),
                target: request.target,
                outcome: refused.into(),
            }),
            other => tracing::warn!(
                "the platform did not take a call about {}: {reason}",
                other.interaction()
            ),
        }
    }
}
