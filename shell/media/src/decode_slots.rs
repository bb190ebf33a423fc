//! How many images are decoded at once, machine-wide: decoding is the costly part of checking
//! media (a 16-megapixel image takes about 64 MB), so at most two run together and the others
//! wait their turn for a bounded time.

use std::{
    sync::{Condvar, Mutex},
    time::{Duration, Instant},
};

/// Decodes running at once, at most.
pub const MAX_AT_ONCE: u32 = 2;

/// How long a decode waits for its turn before the item is refused (the sender retries).
pub const WAIT: Duration = Duration::from_secs(20);

/// The machine-wide slots.
pub static DECODES: Slots = Slots::new(MAX_AT_ONCE);

/// A counting semaphore with a timeout.
pub struct Slots {
    limit: u32,
    taken: Mutex<u32>,
    freed: Condvar,
}

/// One slot, given back when dropped.
pub struct Slot<'a>(&'a Slots);

impl Slots {
    /// `limit` slots.
    pub const fn new(limit: u32) -> Self {
        Self {
            limit,
            taken: Mutex::new(0),
            freed: Condvar::new(),
        }
    }

    /// Takes a slot, waiting at most `wait`; `None` when none came free in time.
    pub fn acquire(&self, wait: Duration) -> Option<Slot<'_>> {
        let deadline = Instant::now() + wait;
        let mut taken = self.taken.lock().unwrap_or_else(|p| p.into_inner());
        while *taken >= self.limit {
            let left = deadline.checked_duration_since(Instant::now())?;
            taken = self
                .freed
                .wait_timeout(taken, left)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
        *taken += 1;
        Some(Slot(self))
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        let mut taken = self.0.taken.lock().unwrap_or_else(|p| p.into_inner());
        *taken -= 1;
        self.0.freed.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{
        Arc,
        atomic::{AtomicU32, Ordering},
    };

    use super::*;

    #[test]
    fn no_more_than_the_limit_run_together_and_the_rest_wait_their_turn() {
        let slots = Arc::new(Slots::new(2));
        let running = Arc::new(AtomicU32::new(0));
        let peak = Arc::new(AtomicU32::new(0));
        // Holders meet in pairs: two slots must be held at once for a pair to pass, and a
        // third holder at any moment would show in the peak.
        let pair = Arc::new(std::sync::Barrier::new(2));
        let workers: Vec<_> = (0..4)
            .map(|_| {
                let (slots, running, peak, pair) =
                    (slots.clone(), running.clone(), peak.clone(), pair.clone());
                std::thread::spawn(move || {
                    let _slot = slots.acquire(Duration::from_secs(10)).expect("a turn");
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    peak.fetch_max(now, Ordering::SeqCst);
                    pair.wait();
                    running.fetch_sub(1, Ordering::SeqCst);
                })
            })
            .collect();
        for worker in workers {
            worker.join().expect("worker");
        }
        assert_eq!(peak.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn a_decode_that_waits_too_long_gives_up() {
        let slots = Slots::new(1);
        let _held = slots.acquire(Duration::ZERO).expect("free");
        assert!(slots.acquire(Duration::from_millis(20)).is_none());
    }
}
