//! Offers from the routing rules: lapsed offers and abandoned work go back to the queue,
//! offers are made only of work still waiting in the store, and each is read whole from the
//! store for the desktop.

use super::*;

/// The work accepted by agents whose desktop is gone and who did not come back in time goes
/// back to the queue, ahead of newer work, its transcript intact.
pub(super) fn return_abandoned_work(shared: &Shared) {
    let now = shared.clock.now();
    let due: Vec<String> = {
        let mut gone = lock(&shared.gone);
        let due: Vec<String> = gone
            .iter()
            .filter(|(_, at)| **at <= now)
            .map(|(agent, _)| agent.clone())
            .collect();
        for agent in &due {
            gone.remove(agent);
        }
        due
    };
    for agent in due {
        let held = match shared.store.held_by(&agent) {
            Ok(held) => held,
            Err(e) => {
                tracing::error!("gateway: cannot read what {agent} held: {e}");
                continue;
            }
        };
        for row in held {
            if let Err(e) =
                shared
                    .store
                    .set_interaction_state(&row.id, InteractionState::Queued, None)
            {
                tracing::error!("gateway: cannot queue {} again: {e}", row.id);
                continue;
            }
            tracing::info!(
                "gateway: {} goes back to the queue ({agent} did not come back)",
                row.id
            );
            lock(&shared.router).hand_back(&row.id, &row.media_type, row.created, &agent, now);
        }
    }
}

/// Withdrawn offers: their work waits again (state queued) and the desktop is told, if alive.
pub(super) fn requeue(shared: &Shared, withdrawn: Vec<Reservation>) {
    for reservation in withdrawn {
        if let Err(e) = shared.store.set_interaction_state(
            &reservation.interaction,
            InteractionState::Queued,
            None,
        ) {
            tracing::error!("gateway: cannot requeue {}: {e}", reservation.interaction);
        }
        let event = WireEvent::OfferWithdrawn {
            offer_id: reservation.offer_id,
            interaction: reservation.interaction,
            expired: false,
        };
        let subject = wire::events_subject(&shared.prefix, &reservation.agent);
        let client = shared.client.clone();
        tokio::spawn(async move {
            let body = serde_json::to_vec(&event).unwrap_or_default();
            let _ = client.publish(subject, body.into()).await;
        });
    }
}

/// Withdraws lapsed offers and makes the offers the rules allow now; returns what to tell whom.
pub(super) fn route(shared: &Shared) -> Vec<(String, WireEvent)> {
    let now = shared.clock.now();
    let (expired, offers) = {
        let mut router = lock(&shared.router);
        (router.expire(now), router.route(now))
    };
    let mut events = Vec::new();
    for (offer_id, transfer) in lock(&shared.transfers).expire(now) {
        events.push((
            transfer.target.id.clone(),
            WireEvent::OfferWithdrawn {
                offer_id,
                interaction: transfer.interaction.clone(),
                expired: true,
            },
        ));
        let told = transfer.from.clone();
        let event = if transfer.conference {
            super::chat_conference::invitation_answered(transfer, WireOutcome::TimedOut)
        } else {
            WireEvent::TransferAnswered {
                interaction: transfer.interaction,
                target: transfer.target,
                outcome: WireOutcome::TimedOut,
            }
        };
        events.push((told, event));
    }
    for reservation in expired {
        if internal::is_invitation(shared, &reservation.interaction) {
            events.extend(internal::answered(
                shared,
                &reservation.interaction,
                WireOutcome::TimedOut,
                None,
            ));
        } else if let Err(e) = shared.store.set_interaction_state(
            &reservation.interaction,
            InteractionState::Queued,
            None,
        ) {
            tracing::error!("gateway: cannot requeue {}: {e}", reservation.interaction);
        }
        events.push((
            reservation.agent.clone(),
            WireEvent::OfferWithdrawn {
                offer_id: reservation.offer_id,
                interaction: reservation.interaction,
                expired: true,
            },
        ));
    }
    for reservation in offers {
        match offer_details(&shared.store, &reservation) {
            Ok(Some(details)) => {
                events.push((reservation.agent.clone(), WireEvent::from(&details)));
            }
            Ok(None) => lock(&shared.router).release(&reservation.interaction, now),
            Err(e) => tracing::error!("gateway: cannot offer {}: {e}", reservation.interaction),
        }
    }
    events
}

/// The offer of a reservation, read from the store; `None` when the interaction no longer
/// waits (finished or taken while it was being queued again from the store).
pub(super) fn offer_details(
    store: &PgStore,
    reservation: &Reservation,
) -> Result<Option<OfferDetails>, StoreError> {
    let id = &reservation.interaction;
    let waiting = store.interaction(id)?.is_some_and(|row| {
        !row.done
            && matches!(
                row.state,
                InteractionState::Queued | InteractionState::Offered
            )
    });
    if !waiting {
        return Ok(None);
    }
    store.set_interaction_state(id, InteractionState::Offered, Some(&reservation.agent))?;
    let interaction = store
        .interaction(id)?
        .ok_or_else(|| StoreError::NotFound(format!("interaction {id}")))?;
    Ok(Some(OfferDetails {
        offer_id: reservation.offer_id.clone(),
        case_data: store.case_data(id)?,
        first_message: store.first_message(id)?,
        consultation_about: None,
        offered_at: reservation.offered_at,
        expires_at: reservation.expires_at,
        interaction,
    }))
}
