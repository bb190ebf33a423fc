//! Which gateway routes: the routing lease (a PostgreSQL advisory lock held while the
//! gateway's connection lives), taking over from a gateway that stopped, picking up work other
//! gateways stored.

use super::*;

/// How often a standing-by gateway tries for the routing lease, and the routing gateway looks
/// for work other gateways stored.
const LEASE_EVERY: Duration = Duration::from_secs(1);

/// Work that waited (or was offered) when the routing gateway stopped is queued again.
pub(super) fn requeue_waiting(shared: &Shared) {
    let waiting = match shared.store.waiting_interactions() {
        Ok(waiting) => waiting,
        Err(e) => {
            tracing::error!("gateway: cannot read the waiting work: {e}");
            return;
        }
    };
    let mut router = lock(&shared.router);
    for (id, media_type, created) in waiting {
        if let Err(e) = shared
            .store
            .set_interaction_state(&id, InteractionState::Queued, None)
        {
            tracing::error!("gateway: cannot queue {id} again: {e}");
        }
        router.enqueue(&id, &media_type, created);
    }
}

/// Starts routing: desktops' requests, presence, the search for work stored elsewhere, and the
/// announcement that makes signed-in desktops sign in here.
pub(super) async fn take_over(shared: Arc<Shared>) -> Result<(), ClusterError> {
    let presence = shared.presence.clone();
    let requests = shared
        .client
        .subscribe(format!("{}.gw.*.*", shared.prefix))
        .await
        .map_err(|e| ClusterError::Nats(format!("gateway subscription: {e}")))?;
    presence_relay::listen(shared.clone()).await?;
    // The first watch is made here, so a presence change is never missed once routing.
    let first_watch = presence.watch().await?;
    let (changes_in, changes) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(watch_presence(presence, Box::pin(first_watch), changes_in));
    tokio::spawn(serve(shared.clone(), requests, changes));
    tokio::spawn(pick_up_stored_elsewhere(shared.clone()));
    if let Some(ProviderLink(provider)) = shared.settings.provider.clone() {
        tokio::spawn(outbound::work(shared.clone(), provider));
    }
    tokio::spawn(revocation::watch(shared.clone()));
    shared.routing.store(true, Ordering::SeqCst);
    shared
        .client
        .publish(wire::active_subject(&shared.prefix), Vec::new().into())
        .await
        .map_err(|e| ClusterError::Nats(format!("announcing the gateway: {e}")))?;
    Ok(())
}

/// A gateway that does not route tries for the lease every second and takes over when the
/// routing gateway's connection to PostgreSQL ends (it stopped or died).
pub(super) async fn stand_by(shared: Arc<Shared>) {
    loop {
        tokio::time::sleep(LEASE_EVERY).await;
        match tokio::task::block_in_place(|| shared.store.try_lead()) {
            Ok(true) => break,
            Ok(false) => {}
            Err(e) => tracing::warn!("gateway: the routing lease: {e}"),
        }
    }
    tracing::info!("gateway: the routing gateway stopped; this one routes now");
    tokio::task::block_in_place(|| requeue_waiting(&shared));
    if let Err(e) = take_over(shared).await {
        tracing::error!("gateway: cannot take over routing: {e}");
    }
}

/// Work another gateway stored (a standing-by gateway's webhook) is queued here within a
/// second.
pub(super) async fn pick_up_stored_elsewhere(shared: Arc<Shared>) {
    loop {
        tokio::time::sleep(LEASE_EVERY).await;
        let queued = match tokio::task::block_in_place(|| shared.store.queued_interactions()) {
            Ok(queued) => queued,
            Err(e) => {
                tracing::warn!("gateway: reading the queued work: {e}");
                continue;
            }
        };
        if queued.is_empty() {
            continue;
        }
        {
            let mut router = lock(&shared.router);
            for (id, media_type, created) in queued {
                if !router.knows(&id) {
                    router.enqueue(&id, &media_type, created);
                }
            }
        }
        shared.wake.notify_one();
    }
}
