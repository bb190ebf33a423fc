//! The routing rules every platform uses: which waiting interaction is offered to which agent,
//! for how long, and what an answer to an offer means.
//!
//! - Work waits in one queue, oldest first.
//! - An agent is offered work only on a media type they are Ready for, and never more than the
//!   free capacity of that channel (capacity per channel comes from the agent's role; offers
//!   and accepted interactions both count).
//! - Among agents who could take it, the one idle longest goes first.
//! - An offer is a reservation with an id and an expiry: answering a withdrawn, expired or
//!   another agent's offer is refused with a reason; a refusal or an expiry puts the work back
//!   in the queue (after a short delay, so the next agent gets it first).
//!
//! Pure and clock-driven (no threads, no I/O), so it is tested by driving time.

use std::collections::BTreeMap;

use switchboard_sdk::Timestamp;

/// Seconds before an interaction an agent refused (or let expire) may be offered to them again.
pub const REOFFER_DELAY_SECONDS: i64 = 30;

/// One channel of a signed-in agent as routing sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct ChannelCapacity {
    /// Channel id (`sms-page`, `chat`...).
    pub channel: String,
    /// Media types the channel carries.
    pub media_types: Vec<String>,
    /// Most interactions (offered or open) at once; `None` for no limit.
    pub capacity: Option<u32>,
    /// Seconds an offer on this channel waits for an answer.
    pub offer_timeout_seconds: i64,
}

/// An offer: a reservation of one interaction for one agent until it expires.
#[derive(Debug, Clone, PartialEq)]
pub struct Reservation {
    /// The offer's id (unique across machines).
    pub offer_id: String,
    /// The interaction offered.
    pub interaction: String,
    /// Its media type.
    pub media_type: String,
    /// The agent it is reserved for.
    pub agent: String,
    /// When it was made.
    pub offered_at: Timestamp,
    /// When it lapses if unanswered.
    pub expires_at: Timestamp,
}

/// Why an answer to an offer was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerRefused {
    /// The offer was withdrawn, answered already, or never made.
    #[error("this offer was withdrawn")]
    Withdrawn,
    /// The offer's time ran out before the answer.
    #[error("this offer expired before it was answered")]
    Expired,
    /// The offer is reserved for another agent.
    #[error("this offer is for another agent")]
    NotYours,
}

/// Why the platform took an offer back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WithdrawReason {
    /// Nobody answered in time.
    Expired,
    /// The agent is no longer Ready on the channel, or signed out.
    NotReady,
    /// The work went elsewhere (the customer left, another agent took it).
    Gone,
}

#[derive(Debug, Clone)]
struct Waiting {
    interaction: String,
    media_type: String,
    queued_at: Timestamp,
    not_before: Timestamp,
    /// Offered only to this agent (an instant message to them).
    only_for: Option<String>,
    /// A refusal or an expiry drops it instead of queueing it again (invitations).
    once: bool,
    /// Agents who refused or let it expire, and when they may be offered it again.
    declined_by: Vec<(String, Timestamp)>,
}

#[derive(Debug, Clone, Default)]
struct AgentSlot {
    channels: Vec<ChannelCapacity>,
    /// Media types the agent is Ready for.
    ready: Vec<String>,
    /// Interactions the agent holds (accepted), by media type.
    holding: Vec<(String, String)>,
    /// Since when the agent has held nothing.
    idle_since: Timestamp,
}

impl AgentSlot {
    fn channel_of(&self, media_type: &str) -> Option<&ChannelCapacity> {
        self.channels
            .iter()
            .find(|c| c.media_types.iter().any(|m| m == media_type))
    }

    fn load(&self, channel: &ChannelCapacity, reservations: &[Reservation], agent: &str) -> u32 {
        let held = self
            .holding
            .iter()
            .filter(|(_, m)| channel.media_types.contains(m))
            .count();
        let offered = reservations
            .iter()
            .filter(|r| r.agent == agent && channel.media_types.contains(&r.media_type))
            .count();
        (held + offered) as u32
    }
}

/// The routing state of one platform.
#[derive(Debug, Default)]
pub struct Router {
    queue: Vec<Waiting>,
    agents: BTreeMap<String, AgentSlot>,
    reservations: Vec<Reservation>,
    /// Makes offer ids.
    new_offer_id: Option<fn() -> String>,
    /// Offers made so far.
    issued: u64,
}

impl Router {
    /// A router whose offer ids come from `new_offer_id` (time-ordered ids in production,
    /// counters in tests).
    pub fn with_offer_ids(new_offer_id: fn() -> String) -> Self {
        Self {
            new_offer_id: Some(new_offer_id),
            ..Self::default()
        }
    }

    fn offer_id(&mut self) -> String {
        self.issued += 1;
        match self.new_offer_id {
            Some(make) => make(),
            None => format!("offer-{}", self.issued),
        }
    }

    /// An agent signed in with these channels. Their earlier state (readiness, what they
    /// hold) is kept when they sign in again.
    pub fn sign_in(&mut self, agent: &str, channels: Vec<ChannelCapacity>, now: Timestamp) {
        let slot = self.agents.entry(agent.to_owned()).or_default();
        if slot.holding.is_empty() && slot.channels.is_empty() {
            slot.idle_since = now;
        }
        slot.channels = channels;
    }

    /// An agent signed out: they are Ready for nothing and their offers are withdrawn (the
    /// work goes back to the queue). What they hold stays theirs.
    pub fn sign_out(&mut self, agent: &str, now: Timestamp) -> Vec<Reservation> {
        if let Some(slot) = self.agents.get_mut(agent) {
            slot.ready.clear();
        }
        self.withdraw_where(|r| r.agent == agent, false, now)
    }

    /// Sets an agent Ready or not for media types. Becoming not Ready withdraws their offers
    /// on those media types.
    pub fn set_ready(
        &mut self,
        agent: &str,
        media_types: &[String],
        ready: bool,
        now: Timestamp,
    ) -> Vec<Reservation> {
        let slot = self
            .agents
            .entry(agent.to_owned())
            .or_insert_with(|| AgentSlot {
                idle_since: now,
                ..AgentSlot::default()
            });
        for media_type in media_types {
            slot.ready.retain(|m| m != media_type);
            if ready {
                slot.ready.push(media_type.clone());
            }
        }
        if ready {
            Vec::new()
        } else {
            self.withdraw_where(
                |r| r.agent == agent && media_types.contains(&r.media_type),
                false,
                now,
            )
        }
    }

    /// Queues an interaction for routing (once; queuing it again changes nothing).
    pub fn enqueue(&mut self, interaction: &str, media_type: &str, now: Timestamp) {
        self.enqueue_with(interaction, media_type, None, false, now);
    }

    /// Queues an invitation (an instant message), to one agent only when `agent` names them: a
    /// refusal or an expiry drops it instead of offering it again.
    pub fn enqueue_once(
        &mut self,
        interaction: &str,
        media_type: &str,
        agent: Option<&str>,
        now: Timestamp,
    ) {
        self.enqueue_with(interaction, media_type, agent, true, now);
    }

    /// Whether an agent other than `except` is Ready for `media_type` now.
    pub fn anyone_ready_for(&self, media_type: &str, except: &str) -> bool {
        self.agents
            .iter()
            .any(|(agent, slot)| agent != except && slot.ready.iter().any(|m| m == media_type))
    }

    /// Queues an invitation for whoever is Ready for it first, never `inviter` (an instant
    /// message to a queue or skill); a refusal or an expiry drops it.
    pub fn enqueue_once_for_anyone_but(
        &mut self,
        interaction: &str,
        media_type: &str,
        inviter: &str,
        now: Timestamp,
    ) {
        self.enqueue_with(interaction, media_type, None, true, now);
        if let Some(waiting) = self.queue.iter_mut().find(|q| q.interaction == interaction) {
            waiting
                .declined_by
                .push((inviter.to_owned(), Timestamp(i64::MAX)));
        }
    }

    fn enqueue_with(
        &mut self,
        interaction: &str,
        media_type: &str,
        only_for: Option<&str>,
        once: bool,
        now: Timestamp,
    ) {
        if self.queue.iter().any(|q| q.interaction == interaction) {
            return;
        }
        self.queue.push(Waiting {
            interaction: interaction.into(),
            media_type: media_type.into(),
            queued_at: now,
            not_before: now,
            only_for: only_for.map(str::to_owned),
            once,
            declined_by: Vec::new(),
        });
        self.queue.sort_by_key(|q| q.queued_at);
    }

    /// Records that an agent holds an interaction routed elsewhere (started by them, or open
    /// from an earlier session), so it counts against their capacity.
    pub fn hold(&mut self, agent: &str, interaction: &str, media_type: &str) {
        let slot = self.agents.entry(agent.to_owned()).or_default();
        if !slot.holding.iter().any(|(i, _)| i == interaction) {
            slot.holding
                .push((interaction.to_owned(), media_type.to_owned()));
        }
    }

    /// How many interactions wait in the queue (not on offer).
    pub fn waiting(&self) -> usize {
        self.queue
            .iter()
            .filter(|q| {
                !self
                    .reservations
                    .iter()
                    .any(|r| r.interaction == q.interaction)
            })
            .count()
    }

    /// Waiting interactions whose media type no signed-in agent has a channel for, when
    /// somebody is signed in: work that will not be offered until the configuration changes
    /// (a plugin loaded but in no role, say). (interaction, media type), oldest first.
    pub fn unhandled(&self) -> Vec<(String, String)> {
        if self.agents.values().all(|a| a.channels.is_empty()) {
            return Vec::new();
        }
        self.queue
            .iter()
            .filter(|q| {
                !self
                    .agents
                    .values()
                    .any(|a| a.channel_of(&q.media_type).is_some())
            })
            .map(|q| (q.interaction.clone(), q.media_type.clone()))
            .collect()
    }

    /// Whether the interaction is queued, offered or held here (work stored elsewhere is
    /// queued only when it is none of these).
    pub fn knows(&self, interaction: &str) -> bool {
        self.queue.iter().any(|q| q.interaction == interaction)
            || self
                .reservations
                .iter()
                .any(|r| r.interaction == interaction)
            || self
                .agents
                .values()
                .any(|slot| slot.holding.iter().any(|(i, _)| i == interaction))
    }

    /// The offers outstanding now.
    pub fn reservations(&self) -> &[Reservation] {
        &self.reservations
    }

    /// Makes the offers the rules allow now: each waiting interaction, oldest first, to the
    /// agent idle longest who is Ready for it and has free capacity on its channel.
    pub fn route(&mut self, now: Timestamp) -> Vec<Reservation> {
        let mut made = Vec::new();
        for index in 0..self.queue.len() {
            let waiting = &self.queue[index];
            if waiting.not_before > now
                || self
                    .reservations
                    .iter()
                    .any(|r| r.interaction == waiting.interaction)
            {
                continue;
            }
            let Some((agent, timeout)) = self.best_agent(waiting, now) else {
                continue;
            };
            let (interaction, media_type) =
                (waiting.interaction.clone(), waiting.media_type.clone());
            let reservation = Reservation {
                offer_id: self.offer_id(),
                interaction,
                media_type,
                agent,
                offered_at: now,
                expires_at: now.plus_seconds(timeout.max(1)),
            };
            self.reservations.push(reservation.clone());
            made.push(reservation);
        }
        made
    }

    fn best_agent(&self, waiting: &Waiting, now: Timestamp) -> Option<(String, i64)> {
        self.agents
            .iter()
            .filter(|(agent, _)| waiting.only_for.as_ref().is_none_or(|only| only == *agent))
            .filter(|(agent, _)| {
                !waiting
                    .declined_by
                    .iter()
                    .any(|(who, until)| who == *agent && *until > now)
            })
            .filter(|(_, slot)| slot.ready.contains(&waiting.media_type))
            .filter_map(|(agent, slot)| {
                let channel = slot.channel_of(&waiting.media_type);
                let free = match channel {
                    Some(channel) => channel
                        .capacity
                        .is_none_or(|cap| slot.load(channel, &self.reservations, agent) < cap),
                    // Ready without a signed-in channel (older callers): no limit.
                    None => true,
                };
                let timeout =
                    channel.map_or(DEFAULT_OFFER_TIMEOUT_SECONDS, |c| c.offer_timeout_seconds);
                let busy = slot.holding.len()
                    + self
                        .reservations
                        .iter()
                        .filter(|r| r.agent == *agent)
                        .count();
                free.then(|| (busy, slot.idle_since, agent.clone(), timeout))
            })
            .min_by(|a, b| (a.0, a.1, &a.2).cmp(&(b.0, b.1, &b.2)))
            .map(|(_, _, agent, timeout)| (agent, timeout))
    }

    /// Answers an offer. Accepting gives the interaction to the agent; refusing puts it back
    /// in the queue (an invitation is dropped instead). A withdrawn, expired or another agent's
    /// offer is refused and changes nothing.
    pub fn answer(
        &mut self,
        offer_id: &str,
        agent: &str,
        accept: bool,
        now: Timestamp,
    ) -> Result<Reservation, AnswerRefused> {
        let index = self
            .reservations
            .iter()
            .position(|r| r.offer_id == offer_id)
            .ok_or(AnswerRefused::Withdrawn)?;
        let reservation = &self.reservations[index];
        if reservation.agent != agent {
            return Err(AnswerRefused::NotYours);
        }
        if reservation.expires_at <= now {
            // The next sweep withdraws it and tells whoever shows it.
            return Err(AnswerRefused::Expired);
        }
        let reservation = self.reservations.remove(index);
        if accept {
            self.queue
                .retain(|q| q.interaction != reservation.interaction);
            self.hold(agent, &reservation.interaction, &reservation.media_type);
        } else {
            self.decline(&reservation, now);
        }
        Ok(reservation)
    }

    /// The offer outstanding for an interaction, if any.
    pub fn offer_of(&self, interaction: &str) -> Option<&Reservation> {
        self.reservations
            .iter()
            .find(|r| r.interaction == interaction)
    }

    /// Withdraws the offers whose time ran out (the work goes back to the queue) and returns
    /// them.
    pub fn expire(&mut self, now: Timestamp) -> Vec<Reservation> {
        self.withdraw_where(|r| r.expires_at <= now, true, now)
    }

    /// When the next offer lapses.
    pub fn next_expiry(&self) -> Option<Timestamp> {
        self.reservations.iter().map(|r| r.expires_at).min()
    }

    /// When the next interaction waiting out a refusal delay may be offered again.
    pub fn next_retry(&self, now: Timestamp) -> Option<Timestamp> {
        self.queue
            .iter()
            .map(|q| q.not_before)
            .chain(
                self.queue
                    .iter()
                    .flat_map(|q| q.declined_by.iter().map(|d| d.1)),
            )
            .filter(|t| *t > now)
            .min()
    }

    /// Takes back the offers that match. An offer left to expire counts as declined (it goes
    /// to someone else first, for a while); one withdrawn because its agent went Not Ready or
    /// signed out does not: that agent gets it again as soon as they are Ready.
    fn withdraw_where(
        &mut self,
        matches: impl Fn(&Reservation) -> bool,
        declined: bool,
        now: Timestamp,
    ) -> Vec<Reservation> {
        let (gone, kept): (Vec<_>, Vec<_>) = self.reservations.drain(..).partition(|r| matches(r));
        self.reservations = kept;
        if declined {
            for reservation in &gone {
                self.decline(reservation, now);
            }
        }
        gone
    }

    fn decline(&mut self, reservation: &Reservation, now: Timestamp) {
        let Some(index) = self
            .queue
            .iter()
            .position(|q| q.interaction == reservation.interaction)
        else {
            return;
        };
        if self.queue[index].once {
            self.queue.remove(index);
            return;
        }
        let until = now.plus_seconds(REOFFER_DELAY_SECONDS);
        let waiting = &mut self.queue[index];
        waiting
            .declined_by
            .retain(|(who, _)| *who != reservation.agent);
        waiting.declined_by.push((reservation.agent.clone(), until));
        // Nobody else could take it: it waits out the delay for everyone, as before.
        let others_ready = self.agents.iter().any(|(agent, slot)| {
            *agent != reservation.agent && slot.ready.contains(&reservation.media_type)
        });
        if !others_ready {
            self.queue[index].not_before = until;
        }
    }

    /// The agent finished (or handed over) an interaction: it no longer counts against their
    /// capacity, and it leaves the queue and any offer.
    pub fn release(&mut self, interaction: &str, now: Timestamp) {
        self.queue.retain(|q| q.interaction != interaction);
        self.reservations.retain(|r| r.interaction != interaction);
        for slot in self.agents.values_mut() {
            let before = slot.holding.len();
            slot.holding.retain(|(i, _)| i != interaction);
            if before > 0 && slot.holding.is_empty() {
                slot.idle_since = now;
            }
        }
    }

    /// An agent gives a held interaction back (signing out without finishing it): it leaves
    /// their capacity and waits in the queue by when it first came (ahead of newer work),
    /// not offered back to them for a while.
    pub fn hand_back(
        &mut self,
        interaction: &str,
        media_type: &str,
        first_queued: Timestamp,
        agent: &str,
        now: Timestamp,
    ) {
        self.release(interaction, now);
        self.enqueue(interaction, media_type, first_queued);
        if let Some(waiting) = self.queue.iter_mut().find(|q| q.interaction == interaction) {
            waiting.not_before = now;
            waiting
                .declined_by
                .push((agent.to_owned(), now.plus_seconds(REOFFER_DELAY_SECONDS)));
        }
    }

    /// Moves a held interaction to another agent (a transfer they accepted).
    pub fn hand_over(&mut self, interaction: &str, to_agent: &str, now: Timestamp) {
        let media_type = self
            .agents
            .values()
            .flat_map(|s| s.holding.iter())
            .find(|(i, _)| i == interaction)
            .map(|(_, m)| m.clone());
        self.release(interaction, now);
        if let Some(media_type) = media_type {
            self.hold(to_agent, interaction, &media_type);
        }
    }
}

/// Seconds an offer waits when the agent's channel does not say.
pub const DEFAULT_OFFER_TIMEOUT_SECONDS: i64 = 30;

#[cfg(test)]
mod tests;
