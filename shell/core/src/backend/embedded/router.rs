//! Routing: offers each queued interaction to an agent Ready on its media type, oldest first.

use std::collections::{HashMap, HashSet};

use switchboard_sdk::Timestamp;

use super::REOFFER_DELAY_SECONDS;

#[derive(Debug, Clone)]
struct Queued {
    interaction: String,
    media_type: String,
    not_before: Timestamp,
    offered_to: Option<String>,
    /// Offered only to this agent (an instant message to them).
    only_for: Option<String>,
    /// A refusal drops it instead of offering it again (instant messages).
    once: bool,
}

/// The routing state. Pure and clock-driven, so it is tested without threads.
#[derive(Debug, Default)]
pub struct Router {
    queue: Vec<Queued>,
    ready: HashMap<String, HashSet<String>>,
}

impl Router {
    /// Queues an interaction for routing.
    pub fn enqueue(&mut self, interaction: &str, media_type: &str, now: Timestamp) {
        if self.queue.iter().any(|q| q.interaction == interaction) {
            return;
        }
        self.queue.push(Queued {
            interaction: interaction.into(),
            media_type: media_type.into(),
            not_before: now,
            offered_to: None,
            only_for: None,
            once: false,
        });
    }

    /// Queues an interaction offered once (an instant message), to one agent only when
    /// `agent` names them: a refusal drops it instead of offering it again.
    pub fn enqueue_once(
        &mut self,
        interaction: &str,
        media_type: &str,
        agent: Option<&str>,
        now: Timestamp,
    ) {
        self.enqueue(interaction, media_type, now);
        if let Some(queued) = self.queue.iter_mut().find(|q| q.interaction == interaction) {
            queued.only_for = agent.map(str::to_owned);
            queued.once = true;
        }
    }

    /// Sets an agent Ready or not for media types.
    pub fn set_ready(&mut self, agent: &str, media_types: &[String], ready: bool) {
        let set = self.ready.entry(agent.into()).or_default();
        for media_type in media_types {
            if ready {
                set.insert(media_type.clone());
            } else {
                set.remove(media_type);
            }
        }
    }

    /// New offers to make: (agent, interaction).
    pub fn route(&mut self, now: Timestamp) -> Vec<(String, String)> {
        let mut offers = Vec::new();
        for queued in &mut self.queue {
            if queued.offered_to.is_some() || queued.not_before > now {
                continue;
            }
            let agent = self
                .ready
                .iter()
                .filter(|(_, media)| media.contains(&queued.media_type))
                .filter(|(agent, _)| queued.only_for.as_ref().is_none_or(|only| only == *agent))
                .map(|(agent, _)| agent.clone())
                .min();
            if let Some(agent) = agent {
                queued.offered_to = Some(agent.clone());
                offers.push((agent, queued.interaction.clone()));
            }
        }
        offers
    }

    /// Records the answer to an offer; a refusal re-queues the interaction after a delay.
    /// Returns false when the interaction was not on offer.
    pub fn answer(&mut self, interaction: &str, accept: bool, now: Timestamp) -> bool {
        let Some(index) = self
            .queue
            .iter()
            .position(|q| q.interaction == interaction && q.offered_to.is_some())
        else {
            return false;
        };
        if accept || self.queue[index].once {
            self.queue.remove(index);
        } else {
            let queued = &mut self.queue[index];
            queued.offered_to = None;
            queued.not_before = now.plus_seconds(REOFFER_DELAY_SECONDS);
        }
        true
    }

    /// Drops an interaction from routing.
    pub fn forget(&mut self, interaction: &str) {
        self.queue.retain(|q| q.interaction != interaction);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sms() -> Vec<String> {
        vec!["sms".to_owned()]
    }

    #[test]
    fn offers_only_to_ready_agents_on_the_media_type() {
        let mut router = Router::default();
        router.enqueue("i1", "sms", Timestamp(0));
        assert!(router.route(Timestamp(0)).is_empty());
        router.set_ready("ada", &["chat".to_owned()], true);
        assert!(router.route(Timestamp(0)).is_empty());
        router.set_ready("ada", &sms(), true);
        assert_eq!(
            router.route(Timestamp(0)),
            vec![("ada".into(), "i1".into())]
        );
        assert!(router.route(Timestamp(0)).is_empty(), "offered once");
    }

    #[test]
    fn rejected_offer_comes_back_after_the_delay() {
        let mut router = Router::default();
        router.set_ready("ada", &sms(), true);
        router.enqueue("i1", "sms", Timestamp(0));
        router.route(Timestamp(0));
        assert!(router.answer("i1", false, Timestamp(0)));
        assert!(router.route(Timestamp(29_000)).is_empty());
        assert_eq!(router.route(Timestamp(30_000)).len(), 1);
        assert!(router.answer("i1", true, Timestamp(30_000)));
        assert!(!router.answer("i1", true, Timestamp(30_000)));
    }

    #[test]
    fn an_instant_message_goes_to_its_agent_only_and_a_refusal_drops_it() {
        let mut router = Router::default();
        let im = vec!["im".to_owned()];
        router.set_ready("ada", &im, true);
        router.set_ready("marc", &im, true);
        router.enqueue_once("im1", "im", Some("marc"), Timestamp(0));
        assert_eq!(
            router.route(Timestamp(0)),
            vec![("marc".into(), "im1".into())]
        );
        assert!(router.answer("im1", false, Timestamp(0)));
        assert!(
            router.route(Timestamp(60_000)).is_empty(),
            "not offered again"
        );
    }
}
