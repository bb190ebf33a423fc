//! An interaction offered to one colleague alone, for a transfer or a chat's conference: the
//! reservation is made here, its answer is taken by the module that asked.

use super::*;

/// Offers the agent's interaction `row` to the colleague `target` alone until the offer lapses,
/// with its case data and first message; the interaction stays the agent's meanwhile. A
/// transfer, or (`conference`) an invitation to join a chat.
pub(super) fn offer_to_colleague(
    shared: &Shared,
    agent: &str,
    row: InteractionRow,
    target: WireTarget,
    timeout_seconds: i64,
    conference: bool,
    events: &mut Vec<(String, WireEvent)>,
) -> Reply {
    let now = shared.clock.now();
    let interaction = row.id.clone();
    let offer_id = ids::new_offer_id();
    let expires_at = now.plus_seconds(timeout_seconds.max(1));
    let details = (|| -> Result<OfferDetails, StoreError> {
        Ok(OfferDetails {
            offer_id: offer_id.clone(),
            case_data: shared.store.case_data(&interaction)?,
            first_message: shared.store.first_message(&interaction)?,
            consultation_about: None,
            offered_at: now,
            expires_at,
            interaction: row,
        })
    })();
    let details = match details {
        Ok(details) => details,
        Err(e) => return refused(&e.to_string()),
    };
    events.push((target.id.clone(), WireEvent::from(&details)));
    lock(&shared.transfers).offer(
        &offer_id,
        PendingTransfer {
            interaction,
            from: agent.to_owned(),
            target,
            expires_at,
            conference,
        },
    );
    Reply::Done
}
