//! The platform's own thread: routing, offer expiry, colleagues' answers and lines, read
//! receipts. It runs a tick when a request or an inbound message nudges it, and otherwise
//! sleeps until the platform's next due time by the host clock, so the desk's `pump` on the
//! UI thread only drains events.
//!
//! Without a worker (tests that drive a manual clock), `poll` runs the tick itself.

use std::{
    sync::{Arc, Condvar, Mutex},
    thread::JoinHandle,
    time::Duration,
};

use crate::{EmbeddedPlatform, backend::Backend as _, lock};

/// The longest the worker sleeps without a due time (a safety net; nudges wake it sooner).
const IDLE_WAIT: Duration = Duration::from_secs(30);

/// Wakes the worker: a flag and a condition variable.
#[derive(Default)]
pub(crate) struct Nudge {
    pending: Mutex<bool>,
    wake: Condvar,
    stop: Mutex<bool>,
}

impl Nudge {
    /// Asks the worker for a tick.
    pub(crate) fn nudge(&self) {
        *lock(&self.pending) = true;
        self.wake.notify_one();
    }

    /// Waits for a nudge or `timeout`; false when the worker should stop.
    fn wait(&self, timeout: Duration) -> bool {
        let pending = lock(&self.pending);
        let (mut pending, _) = self
            .wake
            .wait_timeout_while(pending, timeout, |p| !*p)
            .unwrap_or_else(|p| p.into_inner());
        *pending = false;
        !*lock(&self.stop)
    }

    fn stop(&self) {
        *lock(&self.stop) = true;
        self.nudge();
    }
}

/// The running worker thread; dropping it stops the thread.
pub struct PlatformWorker {
    nudge: Arc<Nudge>,
    thread: Option<JoinHandle<()>>,
}

impl PlatformWorker {
    pub(crate) fn start(platform: EmbeddedPlatform, nudge: Arc<Nudge>) -> std::io::Result<Self> {
        let waiter = nudge.clone();
        let thread = std::thread::Builder::new()
            .name("platform".into())
            .spawn(move || {
                loop {
                    platform.tick();
                    let now = platform.now();
                    let wait = platform
                        .next_due()
                        .map(|due| Duration::from_millis((due.0 - now.0).max(1) as u64))
                        .unwrap_or(IDLE_WAIT)
                        .min(IDLE_WAIT);
                    if !waiter.wait(wait) {
                        return;
                    }
                }
            })?;
        Ok(Self {
            nudge,
            thread: Some(thread),
        })
    }
}

impl Drop for PlatformWorker {
    fn drop(&mut self) {
        self.nudge.stop();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
