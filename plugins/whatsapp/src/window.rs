//! WhatsApp's customer-service window: a business may answer freely for 24 hours after the
//! customer's last message; after that only approved templates may be sent.

use switchboard_sdk::Timestamp;

/// Length of the window.
pub const WINDOW_SECONDS: i64 = 24 * 3600;
/// From when the window counts as closing soon.
pub const CLOSING_SOON_SECONDS: i64 = 3600;

/// The window at some instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// Open, with this many seconds left.
    Open {
        /// Seconds until it closes.
        left: i64,
    },
    /// Closed this many seconds ago.
    Closed {
        /// Seconds since it closed.
        since: i64,
    },
}

impl Window {
    /// The window at `now` after the customer's last message at `last_inbound`.
    pub fn at(last_inbound: Timestamp, now: Timestamp) -> Self {
        let left = WINDOW_SECONDS - now.seconds_since(last_inbound);
        if left > 0 {
            Window::Open { left }
        } else {
            Window::Closed { since: -left }
        }
    }

    /// Whether free-form text may be sent.
    pub fn is_open(self) -> bool {
        matches!(self, Window::Open { .. })
    }

    /// When it closes.
    pub fn closes_at(last_inbound: Timestamp) -> Timestamp {
        last_inbound.plus_seconds(WINDOW_SECONDS)
    }
}

/// "5 h 12 min", "12 min", "less than a minute" (in the agent's language).
pub fn duration_text(words: &switchboard_sdk::Words, seconds: i64) -> String {
    let minutes = seconds / 60;
    match (minutes / 60, minutes % 60) {
        (0, 0) => words.tr("wa-under-a-minute"),
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_is_open_for_24_hours_after_the_last_message() {
        let t0 = Timestamp(1_000_000);
        assert_eq!(Window::at(t0, t0), Window::Open { left: 86_400 });
        assert!(Window::at(t0, t0.plus_seconds(86_399)).is_open());
        assert_eq!(
            Window::at(t0, t0.plus_seconds(86_400 + 7200)),
            Window::Closed { since: 7200 }
        );
    }

    #[test]
    fn durations_read_naturally() {
        use switchboard_sdk::Channel;
        let words = switchboard_sdk::Words::from_sources(crate::WhatsApp::TRANSLATIONS, "en");
        assert_eq!(duration_text(&words, 5 * 3600 + 12 * 60 + 30), "5 h 12 min");
        assert_eq!(duration_text(&words, 3600), "1 h");
        assert_eq!(duration_text(&words, 59), "less than a minute");
        assert_eq!(duration_text(&words, 600), "10 min");
        let french = switchboard_sdk::Words::from_sources(crate::WhatsApp::TRANSLATIONS, "fr");
        assert_eq!(duration_text(&french, 59), "moins d’une minute");
    }
}
