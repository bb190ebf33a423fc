//! Inbound messages on the embedded platform, as the edge hands them over: an SMS to our page-mode number opens an
//! interaction; one to our session-mode number joins the contact's open session or opens one;
//! one from a messaging-app address (`scheme:number`) is a conversation of the media type
//! named by the scheme, joined like a session, whichever plugin handles it; one with media is
//! an MMS, whose items are fetched, checked and thumbnailed before anything
//! is offered. A media item that fails gets a system line asking the contact to resend.

use switchboard_edge::{InboundMedia, InboundSms, Received, fetch_attachments, resend_notices};
use switchboard_sdk::{DeliveryStatus, Role};

use super::{EmbeddedPlatform, lock};
#[allow(unused_imports)]
use crate::store::prelude::*;
use crate::{
    backend::BackendEvent,
    store::{InteractionRow, NewAttachment, NewMessage, StoreError},
};

impl EmbeddedPlatform {
    /// Receives an SMS or MMS: commits it (with its new interaction and media, or into the
    /// contact's open session) and queues new interactions for routing. Only a committed
    /// message is acknowledged.
    pub fn receive_sms(&self, sms: InboundSms) -> Result<Received, StoreError> {
        let to = if sms.to.is_empty() {
            self.service_number().to_owned()
        } else {
            sms.to.clone()
        };
        let kind = switchboard_seam::inbound::classify(
            &sms.from,
            !sms.media.is_empty(),
            self.settings().is_session_number(&to),
        );
        let media_type = kind.media_type.as_str();
        let now = self.inner.clock.now();
        let contact_name = sms.name.clone().unwrap_or_else(|| sms.from.clone());
        let message = |interaction: &str| NewMessage {
            interaction: interaction.to_owned(),
            role: Role::Contact,
            author: contact_name.clone(),
            author_key: "contact".into(),
            time: now,
            body: sms.body.clone(),
            status: DeliveryStatus::None,
            provider_id: sms.message_sid.clone(),
            parts: 1,
        };
        if kind.joins_open
            && let Some(open) = self
                .inner
                .store
                .open_interaction_with(&sms.from, media_type)?
        {
            let attachments = self.fetch_media(&sms.media);
            return self.join_session(&open, &message(&open.id), &attachments);
        }
        let id = self.next_id(&kind.id_prefix);
        let attachments = self.fetch_media(&sms.media);
        let interaction = InteractionRow {
            id: id.clone(),
            media_type: media_type.into(),
            contact_name: contact_name.clone(),
            contact_address: sms.from.clone(),
            our_address: to,
            state: crate::store::InteractionState::Queued,
            agent_id: None,
            created: now,
            done: false,
            case_data: sms.case_data.clone(),
        };
        let stored = self
            .inner
            .store
            .record_opening(&interaction, &message(&id), &attachments)?;
        if stored.is_none() {
            return Ok(Received::Duplicate);
        }
        self.store_resend_notices(&id, &attachments)?;
        lock(&self.inner.router).enqueue(&id, media_type, now);
        self.nudge();
        self.route();
        Ok(Received::Opened(id))
    }

    fn join_session(
        &self,
        open: &InteractionRow,
        message: &NewMessage,
        attachments: &[NewAttachment],
    ) -> Result<Received, StoreError> {
        let Some(entry) = self.inner.store.insert_message(message, attachments)? else {
            return Ok(Received::Duplicate);
        };
        self.store_resend_notices(&open.id, attachments)?;
        if open.state == crate::store::InteractionState::Accepted {
            self.push(BackendEvent::Inbound {
                interaction: open.id.clone(),
                entry,
            });
        }
        Ok(Received::Joined(open.id.clone()))
    }

    /// Fetches and checks every media item; a failed one is kept with its problem.
    fn fetch_media(&self, media: &[InboundMedia]) -> Vec<NewAttachment> {
        let settings = self.settings();
        fetch_attachments(
            media,
            settings.media_limits,
            &settings.media_folders,
            settings.provider.as_ref(),
        )
    }

    fn store_resend_notices(
        &self,
        interaction: &str,
        attachments: &[NewAttachment],
    ) -> Result<(), StoreError> {
        for notice in resend_notices(interaction, attachments, self.inner.clock.now()) {
            self.inner.store.insert_message(&notice, &[])?;
        }
        Ok(())
    }
}
