//! What an interaction opens with — its transcript and what its side panels show (contact,
//! note, disposition, the customer it consults about, other recent interactions) — read in one
//! go by whichever thread opens it: the requests thread for an accepted offer, so the window
//! never waits for these reads.

use switchboard_sdk::{Timestamp, TranscriptEntry};

use super::OpenInteraction;
use crate::store::{Contact, Records, StoreError};
use switchboard_seam::records::{OpeningAsked, read_opening};

/// What the side panels of an interaction show, as the records hold it.
#[derive(Debug, Clone, Default)]
pub struct SideData {
    contact: Option<Contact>,
    note: String,
    disposition: Option<String>,
    consults: Option<String>,
    other_interactions: usize,
    pushed_urls: Vec<String>,
    /// The contact's history as the opening read it (`None`: not read with it).
    history: Option<Vec<crate::store::HistoryItem>>,
}

impl SideData {
    /// Reads them for `agent` (the links they pushed to the contact before); other
    /// interactions with the contact count from `recent_since`.
    pub fn read(
        records: &dyn Records,
        interaction: &str,
        agent: &str,
        recent_since: Timestamp,
    ) -> Result<Self, StoreError> {
        let contact = records.contact_of_interaction(interaction)?;
        let pushed_urls = read_pushed_urls(records, agent, contact.as_ref().map(|c| c.id));
        let other_interactions = match &contact {
            Some(contact) => records.other_interactions(contact.id, interaction, recent_since)?,
            None => 0,
        };
        Ok(Self {
            history: None,
            note: records.note(interaction)?.unwrap_or_default(),
            disposition: records.disposition(interaction)?,
            consults: records.consulted(interaction)?,
            contact,
            other_interactions,
            pushed_urls,
        })
    }

    /// Puts them on the open interaction (the note's draft starts as the saved note).
    pub fn apply_to(self, open: &mut OpenInteraction) {
        open.contact = self.contact;
        open.note_draft = self.note.clone();
        open.note = self.note;
        open.disposition = self.disposition;
        open.consults = self.consults;
        open.other_interactions = self.other_interactions;
        open.pushed_urls = self.pushed_urls;
        // Read again later (a reload), the history is asked of the records: never stale.
        open.history = self.history;
    }
}

/// An interaction's transcript and side data.
#[derive(Debug, Clone)]
pub struct Opening {
    /// Every stored entry, oldest first.
    pub transcript: Vec<TranscriptEntry>,
    /// What the side panels show.
    pub side: SideData,
}

impl Opening {
    /// Reads both in one go: one round trip where the records are across a network, else
    /// call by call (the seam's `read_opening`).
    pub fn read(
        records: &dyn Records,
        interaction: &str,
        agent: &str,
        recent_since: Timestamp,
    ) -> Result<Self, StoreError> {
        let asked = OpeningAsked {
            interaction: interaction.to_owned(),
            agent: agent.to_owned(),
            recent_since,
            pushed_urls: super::PUSHED_LIST_LENGTH,
        };
        let opening = records
            .opening(&asked)
            .unwrap_or_else(|| read_opening(records, &asked))?;
        Ok(Self {
            transcript: opening.transcript,
            side: SideData {
                contact: opening.contact,
                note: opening.note.unwrap_or_default(),
                disposition: opening.disposition,
                consults: opening.consults,
                other_interactions: opening.other_interactions,
                pushed_urls: opening.pushed_urls,
                history: Some(opening.history),
            },
        })
    }
}

/// The links `agent` pushed to `contact` before, newest first (none without a contact; a
/// failed read is logged and shows none: the list is a convenience).
pub fn read_pushed_urls(records: &dyn Records, agent: &str, contact: Option<i64>) -> Vec<String> {
    let Some(contact) = contact else {
        return Vec::new();
    };
    records
        .pushed_urls(
            &crate::store::pushed_list(agent, contact),
            super::PUSHED_LIST_LENGTH,
        )
        .unwrap_or_else(|e| {
            tracing::warn!("{e}");
            Vec::new()
        })
}
