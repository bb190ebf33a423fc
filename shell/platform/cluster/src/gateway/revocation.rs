//! An administrator disables an agent (`switchboard disable-agent`, or the Administration
//! view): within a second the routing gateway signs them out, gives back their offers, tells
//! their desktop why and answers nothing more for their session; the NATS server's
//! authorization callout refuses them from then on.

use super::*;

/// How often the routing gateway reads the disabled agents.
const EVERY: Duration = Duration::from_secs(1);

/// Signs disabled agents out for as long as the gateway routes.
pub(super) async fn watch(shared: Arc<Shared>) {
    loop {
        tokio::time::sleep(EVERY).await;
        let signed_in: Vec<String> = lock(&shared.signed_in).keys().cloned().collect();
        if signed_in.is_empty() {
            continue;
        }
        let disabled = match tokio::task::block_in_place(|| shared.store.disabled_agents()) {
            Ok(disabled) => disabled,
            Err(e) => {
                tracing::warn!("gateway: reading the disabled agents: {e}");
                continue;
            }
        };
        for agent in signed_in.into_iter().filter(|a| disabled.contains(a)) {
            tracing::info!("gateway: {agent} is disabled; signing them out");
            lock(&shared.signed_in).remove(&agent);
            let withdrawn = lock(&shared.router).sign_out(&agent, shared.clock.now());
            tokio::task::block_in_place(|| requeue(&shared, withdrawn));
            if let Err(e) = shared.presence.leave(&agent).await {
                tracing::debug!("gateway: the presence of {agent}: {e}");
            }
            let reason = format!("{agent} was disabled by an administrator");
            publish(&shared, vec![(agent, WireEvent::SignedOut { reason })]).await;
        }
    }
}
