//! Conversations with contacts, for the Communication view and the Conversation tab: the
//! contacts the agent handled with their unread counts, every conversation with one of them,
//! and starting a conversation with one (an outbound SMS session, or continuing their web chat
//! while their page is open).

use switchboard_sdk::TranscriptEntry;

use super::{Desk, DeskError, Looked, Lookup};
use crate::{
    backend::{CHAT_MEDIA_TYPE, NewOutbound},
    config::Permission,
    store::{AssignedContact, HistoryItem, PointKind, match_key},
};

/// One conversation with a contact.
#[derive(Debug, Clone)]
pub struct Conversation {
    /// The interaction as the history lists it.
    pub item: HistoryItem,
    /// Its transcript, oldest first.
    pub transcript: Vec<TranscriptEntry>,
}

pub use crate::backend::OUTBOUND_SMS_MEDIA_TYPE;

/// How many assigned contacts the view lists.
pub const ASSIGNED_LIST_LENGTH: usize = 100;

/// What the agent starts with a contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outbound {
    /// An SMS conversation to this number.
    Sms {
        /// The contact's number.
        number: String,
    },
    /// Their web chat again, while their page is open.
    Chat,
}

impl Desk {
    /// The contacts the signed-in agent handled, newest activity first, with unread counts, as
    /// of the caller's `round` (a new round reads the list again) and of the contacts the agent
    /// marked read since. Read off the window's thread: pending at first.
    pub fn assigned_contacts(&self, round: u64) -> Result<Looked<Vec<AssignedContact>>, DeskError> {
        Ok(self.lookups.get(Lookup::Assigned {
            agent: self.agent_id()?,
            round,
            marked_read: self.marked_read,
        }))
    }

    /// The agent looked at a contact's conversations: their unread messages count as read.
    /// Saved off the window's thread; the list of contacts is read again once it is.
    pub fn mark_contact_read(&mut self, contact_id: i64) -> Result<(), DeskError> {
        let agent = self.agent_id()?;
        let at = self.now();
        self.requests.submit(super::requests::Request::MarkRead {
            agent,
            contact: contact_id,
            at,
        });
        Ok(())
    }

    /// Every conversation with a contact, newest first, or those matching `query` (every word,
    /// as a prefix), each with its transcript, as of the caller's `revision` (a new message
    /// makes a new one). Read off the window's thread: pending at first.
    pub fn contact_conversations(
        &self,
        contact_id: i64,
        query: &str,
        revision: u64,
    ) -> Looked<Vec<Conversation>> {
        self.lookups.get(Lookup::Conversations {
            contact: contact_id,
            query: query.to_owned(),
            revision,
        })
    }

    /// Whether the agent may start SMS conversations: the role grants outbound-sms and a
    /// session-mode SMS channel runs.
    pub fn may_start_sms(&self) -> bool {
        self.agent
            .as_ref()
            .is_some_and(|a| a.role.grants(Permission::OutboundSms))
            && self.running_channel_for(OUTBOUND_SMS_MEDIA_TYPE).is_some()
    }

    /// Starts a conversation with a contact: it opens on the desk, selected, nothing sent yet.
    pub fn start_outbound(
        &mut self,
        contact_id: i64,
        outbound: Outbound,
    ) -> Result<String, DeskError> {
        let agent = self.agent_id()?;
        let contact = self
            .services
            .store
            .contact(contact_id)?
            .ok_or_else(|| DeskError::InvalidContact(format!("no contact {contact_id}")))?;
        let (media_type, address) = match outbound {
            Outbound::Sms { number } => {
                if !self.may_start_sms() {
                    return Err(DeskError::NotPermitted(
                        "starting SMS conversations (permission outbound-sms)".into(),
                    ));
                }
                if number.trim().is_empty() {
                    return Err(DeskError::InvalidContact(format!(
                        "{} has no phone number",
                        contact.display_name
                    )));
                }
                // Written as providers write numbers, so the contact's answers join the session.
                (
                    OUTBOUND_SMS_MEDIA_TYPE,
                    match_key(PointKind::Phone, &number),
                )
            }
            Outbound::Chat => {
                let address = self
                    .services
                    .store
                    .chat_address_of(contact_id)?
                    .ok_or_else(|| {
                        DeskError::InvalidContact(format!(
                            "{} never chatted on the web site",
                            contact.display_name
                        ))
                    })?;
                (CHAT_MEDIA_TYPE, address)
            }
        };
        let channel = self
            .running_channel_for(media_type)
            .ok_or_else(|| DeskError::ChannelUnavailable(media_type.to_owned()))?;
        let id = self.services.backend.start_outbound(NewOutbound {
            agent,
            contact_id,
            contact_name: contact.display_name.clone(),
            address,
            media_type: media_type.to_owned(),
        })?;
        self.open_started(&id, channel, None)?;
        self.mark_contact_read(contact_id)?;
        Ok(id)
    }
}
