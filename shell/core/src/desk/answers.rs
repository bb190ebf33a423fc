//! Answering offers. Accept and Reject hand the answer to the requests thread and mark the
//! offer as being answered (its card says so); the platform's reply comes back at a later
//! pump: an accepted interaction opens with what the requests thread read for it, a refusal
//! takes the offer away (withdrawn, expired) or leaves it to answer again (the platform could
//! not be asked), with the reason for the agent. Platform events about an interaction whose
//! offer is being answered wait until it opens, so none is lost in between.

use crate::backend::{BackendError, BackendEvent};

use super::{
    Desk, DeskError, OfferAnswer, RECENT_SECONDS,
    opening::Opening,
    requests::{Answer, AnswerFailure, Request},
};

impl Desk {
    /// Accepts an offer: the platform is asked, and the interaction opens (its plugin receives
    /// it, it is selected) at the pump that hears the reply.
    pub fn accept(&mut self, interaction: &str) -> Result<(), DeskError> {
        self.answer(interaction, OfferAnswer::Accepting, true)
    }

    /// Accepts an offer for a role that answers automatically: the interaction opens beside
    /// the one the agent is working in, selected only when none is.
    pub(super) fn accept_automatically(&mut self, interaction: &str) -> Result<(), DeskError> {
        self.answer(interaction, OfferAnswer::Accepting, false)
    }

    /// Rejects an offer; the platform routes it again later.
    pub fn reject(&mut self, interaction: &str) -> Result<(), DeskError> {
        self.answer(interaction, OfferAnswer::Rejecting, false)
    }

    fn answer(
        &mut self,
        interaction: &str,
        answer: OfferAnswer,
        select: bool,
    ) -> Result<(), DeskError> {
        let agent = self.agent_id()?;
        let recent_since = self.now().plus_seconds(-RECENT_SECONDS);
        let index = self
            .offers
            .iter()
            .position(|o| o.row.id == interaction && o.answering.is_none())
            .ok_or_else(|| DeskError::UnknownInteraction(interaction.to_owned()))?;
        if answer == OfferAnswer::Accepting {
            self.channel_index(&self.offers[index].channel_id)?;
        }
        self.offers[index].answering = Some(answer);
        let offer = self.offers[index].clone();
        self.requests.submit(Request::Answer(Box::new(Answer {
            agent,
            offer,
            accept: answer == OfferAnswer::Accepting,
            select,
            recent_since,
        })));
        Ok(())
    }

    /// Whether an event concerns an interaction whose offer is being answered.
    pub(super) fn is_being_answered(&self, interaction: Option<&str>) -> bool {
        interaction.is_some_and(|id| {
            self.offers
                .iter()
                .any(|o| o.row.id == id && o.answering.is_some())
        })
    }

    /// The platform replied to an answer; a refusal, or an interaction that did not open, is
    /// told to the agent.
    pub(super) fn on_answered(
        &mut self,
        answer: Box<Answer>,
        result: Result<Option<Opening>, AnswerFailure>,
    ) {
        let id = answer.offer.row.id.clone();
        let shown = self
            .offers
            .iter()
            .position(|o| o.offer_id == answer.offer.offer_id);
        let offer = shown.map(|index| self.offers.remove(index));
        let refusal = match result {
            Ok(None) => None,
            Ok(Some(opening)) => self.open_answered(answer, opening),
            Err(AnswerFailure::Platform(error)) => {
                // One the platform could not be asked about stays, to answer again.
                if !matches!(error, BackendError::Offer(_))
                    && let Some(mut offer) = offer
                {
                    offer.answering = None;
                    self.offers.push(offer);
                    self.offers.sort_by_key(|o| o.offered_at);
                }
                Some(DeskError::Backend(error).to_string())
            }
            Err(AnswerFailure::Unreadable(reason)) => Some(format!(
                "{} was accepted but cannot be shown: {reason}; it opens again at the next sign-in",
                crate::people::shown(&answer.offer.row.contact_name)
            )),
        };
        if let Some(refusal) = refusal {
            self.toast(refusal, true);
        }
        self.replay_held_events(&id);
    }

    /// Opens an accepted interaction; selects it when the agent accepted it (or nothing else
    /// is selected).
    fn open_answered(&mut self, answer: Box<Answer>, opening: Opening) -> Option<String> {
        let Some(agent) = self.agent.clone() else {
            return Some(DeskError::NotSignedIn.to_string());
        };
        let channel = match self.channel_index(&answer.offer.channel_id) {
            Ok(channel) => channel,
            Err(e) => return Some(e.to_string()),
        };
        let id = answer.offer.row.id.clone();
        let select = answer.select || self.selected.is_none();
        self.open_accepted(
            answer.offer.row,
            answer.offer.case_data,
            channel,
            &agent,
            opening,
        );
        if select {
            self.selected = Some(id);
        }
        None
    }

    /// Takes the events held for an interaction while its offer was answered, in order; a
    /// message already in the transcript it opened with is not told twice.
    fn replay_held_events(&mut self, interaction: &str) {
        let (held, others): (Vec<BackendEvent>, Vec<BackendEvent>) =
            std::mem::take(&mut self.held_events)
                .into_iter()
                .partition(|event| event.interaction() == Some(interaction));
        self.held_events = others;
        for event in held {
            if let BackendEvent::Inbound { entry, .. } = &event
                && self
                    .interaction(interaction)
                    .is_some_and(|open| open.transcript.iter().any(|e| e.id == entry.id))
            {
                continue;
            }
            if let Err(e) = self.on_backend_event(event) {
                self.toast(e.to_string(), true);
            }
        }
    }
}
