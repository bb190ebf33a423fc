//! Who may do what on the bus. Nobody reads or acts on a deployment's NATS server without
//! being let in: gateways sign in with their service password; every other connection gives
//! an agent's id and password, which the NATS server hands to the gateways (the
//! authorization callout) and a gateway answers with a user token for that agent alone, or
//! a refusal. Failed sign-ins are slowed down, disabled agents refused.
//!
//! - [`keys`]: the deployment's keys and the NATS server's configuration;
//! - [`jwt`]: the tokens of the callout;
//! - [`permissions`]: one agent's subjects;
//! - [`throttle`]: failed sign-ins slowed down.

pub mod jwt;
pub mod keys;
pub mod permissions;
pub mod throttle;

use std::path::PathBuf;

pub use keys::{GatewayBus, ServerPlace, write_deployment};

/// How a desktop reaches the bus: the server and, for TLS, the authority its certificate
/// was signed by (else the system's).
#[derive(Debug, Clone, Default)]
pub struct DesktopBus {
    /// The NATS server (`nats://` or `tls://`).
    pub url: String,
    /// The certificate authority of the server's certificate.
    pub ca_file: Option<PathBuf>,
}

impl DesktopBus {
    /// The server at `url`, trusted as the system trusts it.
    pub fn new(url: &str) -> Self {
        Self {
            url: url.to_owned(),
            ca_file: None,
        }
    }
}

/// The connection options of a gateway.
pub(crate) fn gateway_options(bus: &GatewayBus) -> async_nats::ConnectOptions {
    let options = async_nats::ConnectOptions::with_user_and_password(
        keys::GATEWAY_USER.to_owned(),
        bus.password.expose().to_owned(),
    )
    .name("switchboard-gateway");
    with_tls(options, &bus.url, bus.ca_file.as_ref())
}

/// The connection options of `agent`'s desktop: the agent's id and password, an inbox of the
/// agent's own.
pub(crate) fn desktop_options(
    bus: &DesktopBus,
    agent: &str,
    password: &str,
) -> async_nats::ConnectOptions {
    let options =
        async_nats::ConnectOptions::with_user_and_password(agent.to_owned(), password.to_owned())
            .custom_inbox_prefix(permissions::inbox_prefix(agent))
            .name("switchboard-desktop")
            // The sign-in waits for the connection: never longer than a request would.
            .connection_timeout(std::time::Duration::from_secs(3));
    with_tls(options, &bus.url, bus.ca_file.as_ref())
}

fn with_tls(
    options: async_nats::ConnectOptions,
    url: &str,
    ca_file: Option<&PathBuf>,
) -> async_nats::ConnectOptions {
    let options = match ca_file {
        Some(ca) => options.add_root_certificates(ca.clone()),
        None => options,
    };
    if url.starts_with("tls://") {
        options.require_tls(true)
    } else {
        options
    }
}
