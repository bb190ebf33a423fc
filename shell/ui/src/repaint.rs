//! When the window next needs drawing without any input: at the desk's next deadline (an offer
//! lapsing, a plugin timer, the platform's next answer), when a shown clock ticks over (elapsed
//! times, offer countdowns) and when a flashing entry toggles. Events from the platform wake
//! the window on their own; nothing repaints on a fixed interval.

use std::time::Duration;

use switchboard_core::desk::Desk;

/// Flashes per second of an entry that awaits a reply (on and off is one toggle each).
pub(crate) const FLASH_TOGGLES_PER_SECOND: f64 = 1.6;

/// Whether a flashing entry is in its "on" phase at `time` (seconds, the window's clock).
pub(crate) fn flash_on(time: f64) -> bool {
    (time * FLASH_TOGGLES_PER_SECOND) as i64 % 2 == 0
}

/// How long until the next frame is due without input, or `None` to wait for input or an
/// event.
pub(crate) fn next_repaint(desk: &Desk, window_time: f64) -> Option<Duration> {
    let now = desk.now();
    let mut wait_ms: Option<i64> = desk.next_deadline().map(|d| (d.0 - now.0).max(0));
    let mut earliest = |ms: i64| wait_ms = Some(wait_ms.map_or(ms, |w| w.min(ms)));
    let clocks_shown =
        desk.agent().is_some() && (!desk.interactions().is_empty() || !desk.offers().is_empty());
    if clocks_shown {
        // Elapsed times and countdowns show whole seconds.
        earliest(1_000 - now.0.rem_euclid(1_000));
    }
    if desk.interactions().iter().any(|i| i.awaits_reply()) {
        let phase = (window_time * FLASH_TOGGLES_PER_SECOND).fract();
        earliest(((1.0 - phase) / FLASH_TOGGLES_PER_SECOND * 1_000.0).ceil() as i64);
    }
    // A deadline just passed is drawn at once, and never sooner than a frame apart.
    wait_ms.map(|ms| Duration::from_millis(ms.max(16) as u64))
}
