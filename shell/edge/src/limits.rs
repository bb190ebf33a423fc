//! How much one client may ask of the embedded platform's servers: a token bucket per client
//! address (new chats, webhook posts). A client over its rate is told to slow down (429 on the
//! webhook, a message on the chat page) and nothing is stored.

use std::{
    collections::HashMap,
    net::IpAddr,
    sync::Mutex,
    time::{Duration, Instant},
};

/// Addresses remembered at most (the oldest are forgotten first), so a flood of addresses
/// cannot grow the table without bound.
const MAX_ADDRESSES: usize = 10_000;

/// A rate per client address: `burst` at once, then `per_minute`.
pub struct RateLimit {
    per_minute: u32,
    burst: u32,
    buckets: Mutex<HashMap<IpAddr, (f64, Instant)>>,
}

impl RateLimit {
    /// At most `burst` requests at once and `per_minute` sustained, per address.
    pub fn new(per_minute: u32, burst: u32) -> Self {
        Self {
            per_minute: per_minute.max(1),
            burst: burst.max(1),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Whether `address` may make one more request now (and counts it).
    pub fn allow(&self, address: IpAddr) -> bool {
        self.allow_at(address, Instant::now())
    }

    fn allow_at(&self, address: IpAddr, now: Instant) -> bool {
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() >= MAX_ADDRESSES && !buckets.contains_key(&address) {
            let oldest = buckets
                .iter()
                .min_by_key(|(_, (_, seen))| *seen)
                .map(|(address, _)| *address);
            if let Some(oldest) = oldest {
                buckets.remove(&oldest);
            }
        }
        let (tokens, seen) = buckets
            .entry(address)
            .or_insert((f64::from(self.burst), now));
        let refill =
            now.saturating_duration_since(*seen).as_secs_f64() / 60.0 * f64::from(self.per_minute);
        *tokens = (*tokens + refill).min(f64::from(self.burst));
        *seen = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }

    /// How long until `address` may ask again, roughly.
    pub fn retry_after(&self) -> Duration {
        Duration::from_secs_f64(60.0 / f64::from(self.per_minute)).max(Duration::from_secs(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_the_sustained_rate_per_address() {
        let limit = RateLimit::new(60, 3);
        let (one, two): (IpAddr, IpAddr) = (
            "127.0.0.1".parse().expect("ip"),
            "127.0.0.2".parse().expect("ip"),
        );
        let start = Instant::now();
        assert!((0..3).all(|_| limit.allow_at(one, start)));
        assert!(!limit.allow_at(one, start), "over the burst");
        assert!(
            limit.allow_at(two, start),
            "another address has its own bucket"
        );
        assert!(
            limit.allow_at(one, start + Duration::from_secs(1)),
            "one a second comes back at 60 a minute"
        );
        assert!(!limit.allow_at(one, start + Duration::from_secs(1)));
    }
}
