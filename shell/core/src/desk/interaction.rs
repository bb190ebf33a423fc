//! Offers waiting for Accept / Reject, and open interactions as the desk keeps them.

use switchboard_sdk::{DeliveryStatus, KeyValue, Role, Timestamp, TranscriptEntry, ViewModel};

use crate::store::{Contact, InteractionRow};

/// An interaction offered to the agent.
#[derive(Debug, Clone)]
pub struct Offer {
    /// The reservation's id (the answer names it).
    pub offer_id: String,
    /// The stored interaction.
    pub row: InteractionRow,
    /// Channel (plugin) id.
    pub channel_id: String,
    /// Channel display name.
    pub channel_name: String,
    /// The contact's first message.
    pub first_message: Option<TranscriptEntry>,
    /// Case data.
    pub case_data: Vec<KeyValue>,
    /// When it was offered.
    pub offered_at: Timestamp,
    /// When it times out.
    pub expires_at: Timestamp,
    /// For a colleague's consultation: the customer it is about.
    pub consultation_about: Option<String>,
    /// The agent's answer, while the platform's reply is awaited.
    pub answering: Option<OfferAnswer>,
}

/// An answer to an offer on its way to the platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfferAnswer {
    /// Accept: the interaction opens once the platform agrees.
    Accepting,
    /// Reject.
    Rejecting,
}

/// An interaction the agent handles.
#[derive(Debug, Clone)]
pub struct OpenInteraction {
    /// The stored interaction.
    pub row: InteractionRow,
    /// Index of its channel in the desk.
    pub channel: usize,
    /// Case data.
    pub case_data: Vec<KeyValue>,
    /// Every stored entry, oldest first.
    pub transcript: Vec<TranscriptEntry>,
    /// The plugin's last view model.
    pub view: Option<ViewModel>,
    /// The view's parts beyond the view model (SDK 1.7: banners), the kinds this shell knows.
    pub view_parts: Vec<switchboard_sdk::ViewPart>,
    /// The composer's text (kept across switches and outages).
    pub draft: String,
    /// The last error to show.
    pub error: Option<String>,
    /// When the agent accepted it.
    pub accepted_at: Timestamp,
    /// The plugin ended the conversation.
    pub ended: bool,
    /// The disposition code chosen.
    pub disposition: Option<String>,
    /// The note as saved.
    pub note: String,
    /// The note as being typed (saved when it loses focus, and at Done).
    pub note_draft: String,
    /// The contact record.
    pub contact: Option<Contact>,
    /// Other open or recent interactions with the same contact.
    pub other_interactions: usize,
    /// The plugin asked the agent to pick a target for this purpose (`transfer`...).
    pub choosing_target: Option<String>,
    /// The customer interaction this one consults about (an IM consultation): its case data,
    /// contact and history are shown read-only.
    pub consults: Option<String>,
    /// Links the agent pushed to this contact before, newest first.
    pub pushed_urls: Vec<String>,
    /// The contact's history as it was read when the interaction opened (plugins' history
    /// lists read it without a round trip); `None` when it was not read with the opening.
    pub history: Option<Vec<crate::store::HistoryItem>>,
    /// The spell-check language the agent chose for this conversation (a tag, `fr`).
    pub spell_language: Option<String>,
    /// The language the contact's messages are written in, guessed once per new message.
    pub written_language: Option<&'static str>,
    /// The agent's edits here (note, disposition) still being saved.
    pub saving: u32,
    /// The agent's edit of the contact record, while it is being saved.
    pub contact_saving: bool,
    /// Marked done: closing once what was queued before it is saved and the platform took it.
    pub closing: bool,
}

impl OpenInteraction {
    /// An interaction just accepted.
    pub fn new(
        row: InteractionRow,
        channel: usize,
        case_data: Vec<KeyValue>,
        transcript: Vec<TranscriptEntry>,
        accepted_at: Timestamp,
    ) -> Self {
        Self {
            row,
            channel,
            case_data,
            transcript,
            view: None,
            view_parts: Vec::new(),
            draft: String::new(),
            error: None,
            accepted_at,
            ended: false,
            disposition: None,
            note: String::new(),
            note_draft: String::new(),
            contact: None,
            other_interactions: 0,
            choosing_target: None,
            consults: None,
            pushed_urls: Vec::new(),
            history: None,
            spell_language: None,
            written_language: None,
            saving: 0,
            contact_saving: false,
            closing: false,
        }
        .with_written_language()
    }

    /// Guesses the language of the contact's messages again (a new one arrived).
    fn with_written_language(mut self) -> Self {
        self.guess_written_language();
        self
    }

    fn guess_written_language(&mut self) {
        self.written_language = crate::language::detect(
            self.transcript
                .iter()
                .filter(|e| e.role() == Some(Role::Contact))
                .map(|e| e.text.as_str()),
        );
    }

    /// Adds a stored entry (once).
    pub fn push_entry(&mut self, entry: TranscriptEntry) {
        if !self.transcript.iter().any(|e| e.id == entry.id) {
            let from_contact = entry.role() == Some(Role::Contact);
            self.transcript.push(entry);
            if from_contact {
                self.guess_written_language();
            }
        }
    }

    /// Updates the status of a message.
    ///
    /// A report never takes a message back along its way (Sending, Sent, Delivered, Read): the
    /// platform's reports travel by different paths and a late "sent" can come after
    /// "delivered". Returns whether the status changed.
    pub fn set_status(&mut self, message_id: i64, status: DeliveryStatus) -> bool {
        let Some(entry) = self.transcript.iter_mut().find(|e| e.id == message_id) else {
            return false;
        };
        if goes_back(entry.status.clone().into_enum().ok().as_ref(), &status) {
            return false;
        }
        entry.status = status.into();
        true
    }

    /// Whether its case data and contact are another interaction's, shown read-only.
    pub fn is_read_only(&self) -> bool {
        self.consults.is_some()
    }

    /// Whether the contact's last message has no reply yet.
    pub fn awaits_reply(&self) -> bool {
        self.waiting_since().is_some()
    }

    /// When the contact's first message since the agent's last one was written: how long the
    /// contact has waited for a reply.
    pub fn waiting_since(&self) -> Option<Timestamp> {
        // In an instant-message conversation the colleague is the one waiting for a reply.
        let internal = self.row.media_type == crate::backend::INTERNAL_MEDIA_TYPE;
        let mut since = None;
        for entry in &self.transcript {
            match entry.role() {
                Some(Role::Contact) => {
                    since.get_or_insert(entry.time);
                }
                Some(Role::OtherAgent) if internal => {
                    since.get_or_insert(entry.time);
                }
                Some(Role::Agent) => since = None,
                _ => {}
            }
        }
        since
    }
}

/// Whether a report would take a message shown as `shown` back along its way.
fn goes_back(shown: Option<&DeliveryStatus>, new: &DeliveryStatus) -> bool {
    matches!(
        (shown.and_then(progress), progress(new)),
        (Some(shown), Some(new)) if new < shown
    )
}

/// How far along its way a message is; a failure (or a status this SDK does not know) is not
/// a step of it.
fn progress(status: &DeliveryStatus) -> Option<u8> {
    match status {
        DeliveryStatus::None => Some(0),
        DeliveryStatus::Sending => Some(1),
        DeliveryStatus::Sent => Some(2),
        DeliveryStatus::Delivered => Some(3),
        DeliveryStatus::Read => Some(4),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_late_sent_report_never_hides_delivered_but_a_failure_shows() {
        use DeliveryStatus::*;
        let failed = Failed {
            reason: "handset unreachable".into(),
        };
        assert!(goes_back(Some(&Delivered), &Sent), "late, ignored");
        assert!(goes_back(Some(&Read), &Delivered));
        assert!(!goes_back(Some(&Sending), &Sent));
        assert!(!goes_back(Some(&Sent), &Delivered));
        assert!(
            !goes_back(Some(&Delivered), &failed),
            "a failure always shows"
        );
        assert!(!goes_back(Some(&failed), &Sent));
        assert!(
            !goes_back(Option::None, &Sent),
            "a status this SDK does not know"
        );
    }
}
