//! Failed sign-ins slow down whoever makes them: after [`FREE_FAILURES`] wrong passwords for
//! one agent, or from one client address, each next try must wait, twice as long after each
//! further failure (1 s, 2 s, 4 s… at most [`LONGEST_WAIT_SECONDS`]); a try made sooner is
//! refused without looking at the password. A right password clears the agent's count. Time
//! is the host clock's.

use std::collections::HashMap;

use switchboard_sdk::Timestamp;

/// Wrong passwords allowed before the waits start.
pub const FREE_FAILURES: u32 = 5;

/// The longest wait between two tries.
pub const LONGEST_WAIT_SECONDS: i64 = 300;

/// Most agents and addresses remembered (the oldest are forgotten past it).
const REMEMBERED: usize = 10_000;

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Timestamp,
}

impl Failures {
    /// When the next try may be made.
    fn next_try(&self) -> Timestamp {
        if self.count < FREE_FAILURES {
            return self.last;
        }
        let doublings = (self.count - FREE_FAILURES).min(20);
        let wait = (1_i64 << doublings).min(LONGEST_WAIT_SECONDS);
        Timestamp(self.last.0 + wait * 1000)
    }
}

/// Failed sign-ins by agent and by client address.
#[derive(Debug, Default)]
pub struct SignInThrottle {
    by_agent: HashMap<String, Failures>,
    by_client: HashMap<String, Failures>,
}

impl SignInThrottle {
    /// Whole seconds to wait before `agent` may try again from `client`, if any.
    pub fn wait(&self, agent: &str, client: &str, now: Timestamp) -> Option<i64> {
        [self.by_agent.get(agent), self.by_client.get(client)]
            .into_iter()
            .flatten()
            .map(|failures| failures.next_try().0 - now.0)
            .filter(|left| *left > 0)
            .max()
            .map(|left| (left + 999) / 1000)
    }

    /// A wrong password for `agent` from `client`.
    pub fn failed(&mut self, agent: &str, client: &str, now: Timestamp) {
        for (map, key) in [(&mut self.by_agent, agent), (&mut self.by_client, client)] {
            if map.len() >= REMEMBERED && !map.contains_key(key) {
                let oldest = map
                    .iter()
                    .min_by_key(|(_, f)| f.last.0)
                    .map(|(k, _)| k.clone());
                if let Some(oldest) = oldest {
                    map.remove(&oldest);
                }
            }
            let entry = map.entry(key.to_owned()).or_insert(Failures {
                count: 0,
                last: now,
            });
            entry.count += 1;
            entry.last = now;
        }
    }

    /// `agent` gave the right password: their count starts again.
    pub fn succeeded(&mut self, agent: &str) {
        self.by_agent.remove(agent);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sixth_wrong_password_waits_and_the_wait_doubles() {
        let mut throttle = SignInThrottle::default();
        let t = |s: i64| Timestamp(s * 1000);
        for n in 0..FREE_FAILURES {
            assert_eq!(throttle.wait("ada", "10.0.0.1", t(n.into())), None);
            throttle.failed("ada", "10.0.0.1", t(n.into()));
        }
        // Five failures: the next try waits 1 s from the last.
        assert_eq!(throttle.wait("ada", "10.0.0.1", t(4)), Some(1));
        assert_eq!(throttle.wait("ada", "10.0.0.1", t(5)), None);
        throttle.failed("ada", "10.0.0.1", t(5));
        assert_eq!(throttle.wait("ada", "10.0.0.1", t(5)), Some(2));
        throttle.failed("ada", "10.0.0.1", t(7));
        assert_eq!(throttle.wait("ada", "10.0.0.1", t(7)), Some(4));
        // Another address is slowed for Ada too, and Ada's address for another agent.
        assert_eq!(throttle.wait("ada", "10.0.0.2", t(7)), Some(4));
        assert_eq!(throttle.wait("marc", "10.0.0.1", t(7)), Some(4));
        assert_eq!(throttle.wait("marc", "10.0.0.2", t(7)), None);
        // The wait never passes the longest.
        for s in 0..40 {
            throttle.failed("ada", "10.0.0.1", t(100 + s));
        }
        assert_eq!(
            throttle.wait("ada", "10.0.0.3", t(139)),
            Some(LONGEST_WAIT_SECONDS)
        );
        throttle.succeeded("ada");
        assert_eq!(throttle.wait("ada", "10.0.0.3", t(139)), None);
    }
}
