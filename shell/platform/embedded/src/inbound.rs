//! Inbound messages as a provider posts them: an SMS to our page-mode number opens an
//! interaction; one to our session-mode number joins the contact's open session or opens one;
//! one from a messaging-app address (`scheme:number`) is a conversation of the media type
//! named by the scheme, joined like a session, whichever plugin handles it; one with media is
//! an MMS, whose items are fetched, checked and thumbnailed before anything
//! is offered. A media item that fails gets a system line asking the contact to resend.

use switchboard_sdk::{DeliveryStatus, Role};

use super::{EmbeddedPlatform, lock};
#[allow(unused_imports)]
use crate::store::prelude::*;
use crate::{
    backend::BackendEvent,
    media,
    store::{InteractionRow, NewAttachment, NewMessage, StoreError},
};

/// One media item of an MMS, as the provider announces it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct InboundMedia {
    /// Where to fetch it (`file://` or `http://127.0.0.1`).
    pub url: String,
    /// MIME type the provider declared.
    pub content_type: String,
}

/// An inbound SMS or MMS as a provider posts it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct InboundSms {
    /// Sender's number.
    pub from: String,
    /// Our number.
    pub to: String,
    /// Text.
    pub body: String,
    /// Provider's message id, used to drop redeliveries.
    pub message_sid: Option<String>,
    /// Sender's name when the platform knows it.
    pub name: Option<String>,
    /// Case data to attach.
    pub case_data: Vec<(String, String)>,
    /// Media items (an MMS).
    pub media: Vec<InboundMedia>,
}

/// What happened to an inbound message.
#[derive(Debug, Clone, PartialEq)]
pub enum Received {
    /// Stored; it opened this interaction.
    Opened(String),
    /// Stored in this open session.
    Joined(String),
    /// A redelivery of a message already stored.
    Duplicate,
}

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
        for (index, item) in attachments.iter().enumerate() {
            let Some(problem) = &item.problem else {
                continue;
            };
            self.inner.store.insert_message(
                &NewMessage {
                    interaction: interaction.to_owned(),
                    role: Role::System,
                    author: "System".into(),
                    author_key: "system".into(),
                    time: self.inner.clock.now(),
                    body: resend_notice(index, &item.name, problem),
                    status: DeliveryStatus::None,
                    provider_id: None,
                    parts: 0,
                },
                &[],
            )?;
        }
        Ok(())
    }
}

/// Fetches and checks an inbound message's media items (from the allowed folders, a loopback
/// address, or the provider's media host with the account's credentials): each becomes an
/// attachment with its bytes and thumbnail, or with the reason it cannot be shown. Both
/// platforms' webhooks use it.
pub fn fetch_attachments(
    media: &[InboundMedia],
    limits: crate::media::MediaLimits,
    folders: &[std::path::PathBuf],
    provider: Option<&crate::provider::ProviderSettings>,
) -> Vec<NewAttachment> {
    let provider = provider.and_then(crate::fetch::ProviderMedia::of);
    media
        .iter()
        .enumerate()
        .map(|(index, item)| {
            let name = file_name(&item.url, index, &item.content_type);
            let fetched = crate::fetch::fetch(&item.url, limits, folders, provider.as_ref());
            let size = fetched.as_ref().map_or(0, |b| b.len() as u64);
            let checked = fetched.and_then(|bytes| {
                media::thumbnail(&bytes, &item.content_type, limits).map(|t| (bytes, t))
            });
            match checked {
                Ok((bytes, thumbnail)) => NewAttachment {
                    media_type: item.content_type.clone(),
                    name,
                    size,
                    data: Some(bytes),
                    thumbnail: Some(thumbnail.png),
                    problem: None,
                },
                Err(problem) => {
                    tracing::warn!("media item {name} refused: {problem}");
                    NewAttachment {
                        media_type: item.content_type.clone(),
                        name,
                        size,
                        data: None,
                        thumbnail: None,
                        problem: Some(problem.to_string()),
                    }
                }
            }
        })
        .collect()
}

/// The system line for a media item that cannot be shown.
pub fn resend_notice(index: usize, name: &str, problem: &str) -> String {
    format!(
        "Image {} ({name}) cannot be shown: {problem}. Ask the contact to send it again.",
        index + 1
    )
}

/// A file name for an item: the URL's last segment, or `image-N.ext` from the MIME type.
fn file_name(url: &str, index: usize, content_type: &str) -> String {
    let last = url
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .split(['?', '#'])
        .next()
        .unwrap_or_default();
    let clean: String = last
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .take(64)
        .collect();
    if clean.contains('.') && !clean.starts_with('.') {
        return clean;
    }
    let extension = content_type
        .rsplit('/')
        .next()
        .filter(|e| e.chars().all(|c| c.is_ascii_alphanumeric()) && !e.is_empty())
        .unwrap_or("bin");
    format!("image-{}.{extension}", index + 1)
}

#[cfg(test)]
mod tests {
    use super::file_name;

    #[test]
    fn file_names_are_safe() {
        assert_eq!(
            file_name("file:///tmp/a/parcel.jpg", 0, "image/jpeg"),
            "parcel.jpg"
        );
        assert_eq!(
            file_name("http://127.0.0.1:9/media/ME123?x=1", 1, "image/png"),
            "image-2.png"
        );
        assert_eq!(
            file_name("file:///tmp/../../etc/.passwd", 0, "image/gif"),
            "image-1.gif"
        );
    }
}
