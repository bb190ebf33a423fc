//! Read receipts from messaging-app handsets: a message delivered to an app address
//! (`scheme:number`, as providers write them) is read by the contact a little later, on the
//! host clock. SMS handsets send no read receipts.

use switchboard_sdk::Timestamp;

/// How long after delivery the demo contact reads a message.
pub const READ_AFTER_SECONDS: i64 = 20;

/// A read receipt that will arrive.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingRead {
    /// When it arrives.
    pub due: Timestamp,
    /// The message read.
    pub message_id: i64,
    /// Its interaction.
    pub interaction: String,
}

/// Receipts waiting for their time.
#[derive(Debug, Default)]
pub struct Receipts {
    pending: Vec<PendingRead>,
}

impl Receipts {
    /// Expects the contact to read `message_id` at `due`.
    pub fn expect(&mut self, due: Timestamp, message_id: i64, interaction: &str) {
        self.pending.push(PendingRead {
            due,
            message_id,
            interaction: interaction.to_owned(),
        });
    }

    /// The receipts due at `now`, oldest first, removed from the pending list.
    pub fn due(&mut self, now: Timestamp) -> Vec<PendingRead> {
        let (due, later) = std::mem::take(&mut self.pending)
            .into_iter()
            .partition(|r| r.due <= now);
        self.pending = later;
        due
    }

    /// When the next receipt arrives.
    pub fn next_due(&self) -> Option<Timestamp> {
        self.pending.iter().map(|r| r.due).min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receipts_arrive_in_time_order_once() {
        let mut receipts = Receipts::default();
        receipts.expect(Timestamp(2_000), 2, "i");
        receipts.expect(Timestamp(1_000), 1, "i");
        assert_eq!(receipts.next_due(), Some(Timestamp(1_000)));
        assert!(receipts.due(Timestamp(500)).is_empty());
        let due = receipts.due(Timestamp(1_500));
        assert_eq!(due.iter().map(|r| r.message_id).collect::<Vec<_>>(), [1]);
        assert_eq!(receipts.due(Timestamp(3_000)).len(), 1);
        assert_eq!(receipts.next_due(), None);
    }
}
