//! Inbound messages as a provider posts them, whichever platform stores them: the message,
//! its media items, what storing it did, and fetching and checking the items (from the allowed
//! folders, a loopback address, or the provider's media host).

use switchboard_seam::records::NewAttachment;

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

/// Where a platform may fetch an inbound message's media from, and how big it may be.
#[derive(Debug, Clone, Default)]
pub struct MediaSources {
    /// Limits for each item.
    pub limits: switchboard_media::MediaLimits,
    /// The only folders `file://` media may be read from (canonical paths); empty: none.
    pub folders: Vec<std::path::PathBuf>,
    /// The provider whose media host is fetched from with the account's credentials.
    pub provider: Option<crate::provider::ProviderSettings>,
}

impl MediaSources {
    /// Fetches and checks `media` from these sources ([`fetch_attachments`]).
    pub fn fetch(&self, media: &[InboundMedia]) -> Vec<NewAttachment> {
        fetch_attachments(media, self.limits, &self.folders, self.provider.as_ref())
    }
}

/// Fetches and checks an inbound message's media items (from the allowed folders, a loopback
/// address, or the provider's media host with the account's credentials): each becomes an
/// attachment with its bytes and thumbnail, or with the reason it cannot be shown. Both
/// platforms' webhooks use it.
pub fn fetch_attachments(
    media: &[InboundMedia],
    limits: switchboard_media::MediaLimits,
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
                switchboard_media::thumbnail(&bytes, &item.content_type, limits).map(|t| (bytes, t))
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

/// The system lines asking the contact to send again each media item that cannot be shown,
/// for `interaction`, at `now`: what both platforms store after the message.
pub fn resend_notices(
    interaction: &str,
    attachments: &[NewAttachment],
    now: switchboard_sdk::Timestamp,
) -> Vec<switchboard_seam::records::NewMessage> {
    attachments
        .iter()
        .enumerate()
        .filter_map(|(index, item)| {
            let problem = item.problem.as_ref()?;
            Some(switchboard_seam::records::NewMessage {
                interaction: interaction.to_owned(),
                role: switchboard_sdk::Role::System,
                author: "System".into(),
                author_key: "system".into(),
                time: now,
                body: resend_notice(index, &item.name, problem),
                status: switchboard_sdk::DeliveryStatus::None,
                provider_id: None,
                parts: 0,
            })
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
