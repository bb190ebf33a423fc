//! What the agent sends. Send hands the draft to the plugin, which asks the host to send it:
//! the message shows at once, as sending, under an id the records set aside for this agent,
//! and the requests thread stores it, then hands it to the platform. "Sent" is said once it is
//! stored and handed over; a failure marks the message failed with the reason, tells the
//! plugin as a delivery report would, and puts the text back in an empty reply box.

use std::collections::HashMap;

use switchboard_sdk::{DeliveryStatus, Event};

use super::{
    Desk, DeskError,
    requests::{Request, SendFailure},
};
use crate::plugin_host::MessageJob;

/// Ids set aside at a time, and how few left asks for more.
const RESERVED_AT_ONCE: usize = 32;
const RESERVE_BELOW: usize = 8;

/// A notice said once a send is stored and handed over.
type Announcement = (&'static str, Vec<(&'static str, String)>);

/// The desk's sends in flight.
#[derive(Default)]
pub(super) struct Sends {
    /// What to say once the message the agent is sending now is handed over.
    announce: Option<(String, Announcement)>,
    /// What to say once each message in flight is handed over, by message id.
    announcements: HashMap<i64, Announcement>,
    /// Whether ids are being set aside.
    reserving: bool,
}

impl Desk {
    /// The agent pressed Send: the draft goes to the plugin.
    pub fn send(&mut self, interaction: &str) -> Result<(), DeskError> {
        let open = self
            .interaction(interaction)
            .ok_or_else(|| DeskError::UnknownInteraction(interaction.to_owned()))?;
        let (channel, text) = (open.channel, open.draft.clone());
        // Nothing more goes out of an interaction that is closing; the text stays.
        if text.trim().is_empty() || open.closing {
            return Ok(());
        }
        let contact = crate::people::shown(&open.row.contact_name);
        // A channel that counts SMS parts shows a counter: the notice says how many.
        let counts_parts = open
            .view
            .as_ref()
            .is_some_and(|v| !v.composer.counter.is_empty());
        let announcement: Announcement = if counts_parts {
            let parts = switchboard_sdk::sms::segment(&text)
                .part_count()
                .to_string();
            (
                "notice-sent-sms",
                vec![("contact", contact), ("count", parts)],
            )
        } else {
            ("notice-sent", vec![("contact", contact)])
        };
        self.sends.announce = Some((interaction.to_owned(), announcement));
        // A send refused for want of an id asks for ids again.
        self.reserve_message_ids_if_low();
        self.dispatch(
            channel,
            Event::Send {
                interaction: interaction.into(),
                text: text.into(),
            },
        );
        // Not taken by a send on its way: the plugin refused (the text stays, with the reason
        // on the interaction).
        self.sends.announce = None;
        Ok(())
    }

    /// Hands the platform calls, then the sends, plugins made to the requests thread (after
    /// each plugin call): each kind in the order made, a call ahead of the sends of the same
    /// plugin call (an invitation carries its first message itself).
    pub(super) fn submit_sends(&mut self) {
        for call in self.services.take_platform_calls() {
            self.requests.submit(Request::Platform(call));
        }
        let jobs = self.services.take_sends();
        if jobs.is_empty() {
            return;
        }
        for job in jobs {
            if let Some((interaction, _)) = &self.sends.announce
                && job.handover.is_some()
                && *interaction == job.message.interaction
                && let Some((_, announcement)) = self.sends.announce.take()
            {
                self.sends.announcements.insert(job.id, announcement);
            }
            self.requests.submit(Request::Send(Box::new(job)));
        }
        self.reserve_message_ids_if_low();
    }

    /// Asks the records for more message ids when few are left.
    pub(super) fn reserve_message_ids_if_low(&mut self) {
        let Some(agent) = self.agent.as_ref().map(|a| a.id.clone()) else {
            return;
        };
        if self.sends.reserving || self.services.spare_message_ids() >= RESERVE_BELOW {
            return;
        }
        self.sends.reserving = true;
        self.requests.submit(Request::ReserveIds {
            agent,
            count: RESERVED_AT_ONCE,
        });
    }

    /// Message ids came back (or could not be set aside: sends are then stored on the
    /// window's thread, as they were before any came).
    pub(super) fn on_reserved(&mut self, result: Result<Vec<i64>, String>) {
        self.sends.reserving = false;
        match result {
            Ok(ids) if self.agent.is_some() => self.services.add_message_ids(ids),
            Ok(_) => {}
            Err(e) => tracing::warn!("no message ids set aside: {e}"),
        }
    }

    /// A send was stored and handed over (a system line stored), or failed: the entry is
    /// marked failed and the agent told.
    pub(super) fn on_sent(&mut self, job: &MessageJob, result: Result<(), SendFailure>) {
        let id = job.id;
        let interaction = job.message.interaction.clone();
        let announcement = self.sends.announcements.remove(&id);
        let failure = match result {
            Ok(()) => {
                if let Some((notice, args)) = announcement {
                    self.notify(notice, args, false);
                }
                return;
            }
            Err(failure) => failure,
        };
        let reason = failure.to_string();
        let status = DeliveryStatus::Failed {
            reason: reason.as_str().into(),
        };
        let Some(handover) = &job.handover else {
            // A plugin's system line: shown as not saved, and said.
            if let Some(open) = self.interaction_mut(&interaction) {
                open.set_status(id, status);
            }
            self.toast(super::requests::send_refusal(job, &failure), true);
            return;
        };
        if let Some(open) = self.interaction_mut(&interaction) {
            open.set_status(id, status.clone());
            // The words of a reply come back to send again.
            if let crate::plugin_host::Handover::Reply(message) = handover
                && open.draft.is_empty()
            {
                open.draft = message.text.clone();
            }
            let channel = open.channel;
            self.dispatch(
                channel,
                Event::DeliveryReport {
                    interaction: interaction.as_str().into(),
                    message_id: id,
                    status: status.into(),
                },
            );
        }
        let contact = crate::people::shown(
            &self
                .interaction(&interaction)
                .map(|o| o.row.contact_name.clone())
                .unwrap_or_default(),
        );
        self.toast(
            format!("Your message to {contact} was not sent: {reason}"),
            true,
        );
    }
}
