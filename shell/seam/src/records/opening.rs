//! What an interaction opens with — its transcript and what its side panels show (contact,
//! note, disposition, the customer it consults about, other recent interactions, the links the
//! agent pushed to the contact before) — as one read. A store answers it call by call
//! ([`read_opening`], the rule written once); records kept across a network answer it in one
//! round trip ([`super::InteractionRecords::opening`]), so accepting an offer on a cluster
//! desktop asks the gateway twice: the answer, then this.

use switchboard_sdk::{Timestamp, TranscriptEntry};

use super::{Contact, HistoryItem, Records, StoreError, pushed_list};

/// What to read for an interaction that opens.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OpeningAsked {
    /// The interaction.
    pub interaction: String,
    /// The agent it opens for (the links they pushed to the contact are theirs).
    pub agent: String,
    /// Other interactions with the contact count from then.
    #[serde(with = "super::serde_forms::timestamp")]
    pub recent_since: Timestamp,
    /// How many pushed links at most.
    pub pushed_urls: usize,
}

/// What an interaction opens with.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InteractionOpening {
    /// Every stored entry, oldest first.
    pub transcript: Vec<TranscriptEntry>,
    /// The contact, when known.
    pub contact: Option<Contact>,
    /// The saved note.
    pub note: Option<String>,
    /// The disposition chosen.
    pub disposition: Option<String>,
    /// For a consultation, the customer's interaction it is about.
    pub consults: Option<String>,
    /// Other interactions with the contact since `recent_since`.
    pub other_interactions: usize,
    /// Links the agent pushed to the contact before, newest first (a failed read shows none:
    /// the list is a convenience).
    pub pushed_urls: Vec<String>,
    /// The contact's history, newest first, at most [`OPENING_HISTORY`] (what a plugin's
    /// history list shows before any search).
    pub history: Vec<HistoryItem>,
}

/// The most history items an opening carries.
pub const OPENING_HISTORY: usize = 50;

/// Reads what `asked` opens with, call by call.
pub fn read_opening(
    records: &dyn Records,
    asked: &OpeningAsked,
) -> Result<InteractionOpening, StoreError> {
    let interaction = asked.interaction.as_str();
    let contact = records.contact_of_interaction(interaction)?;
    let (other_interactions, pushed_urls, history) = match &contact {
        Some(contact) => (
            records.other_interactions(contact.id, interaction, asked.recent_since)?,
            records
                .pushed_urls(&pushed_list(&asked.agent, contact.id), asked.pushed_urls)
                .unwrap_or_default(),
            records.search_history(contact.id, "", OPENING_HISTORY)?,
        ),
        None => (0, Vec::new(), Vec::new()),
    };
    Ok(InteractionOpening {
        transcript: records.transcript(interaction)?,
        note: records.note(interaction)?,
        disposition: records.disposition(interaction)?,
        consults: records.consulted(interaction)?,
        contact,
        other_interactions,
        pushed_urls,
        history,
    })
}
