//! # switchboard-platform-cluster
//!
//! The cluster platform behind the seam, for many agents on many machines: a headless gateway
//! (PostgreSQL as the system of record, the routing rules of the seam) and desktops that reach
//! it through NATS JetStream only. This crate grows issue by issue; today it holds:
//! - [`presence`]: desktops' heartbeats in a key-value bucket whose entries expire by
//!   themselves (per-key time-to-live, NATS 2.11 and later), and the changes a router watches.
//! - [`gateway`]: the headless side: stores customers' messages in PostgreSQL, routes with the
//!   seam's rules, answers desktops' requests (only for their own agent), withdraws a gone
//!   desktop's offers;
//! - [`desktop`]: the seam's `Backend` over NATS for a desktop that holds no database
//!   credentials;
//! - [`remote_records`]: the desk's records on a desktop, read and written through the gateway;
//!   [`records_wire`] carries them and [`records_access`] is who may make which call;
//! - [`transfers`]: interactions handed from one agent to a colleague or a queue;
//! - [`conference`]: who takes part in a chat's conference;
//! - [`wire`]: subjects and messages;
//! - [`bus_trust`]: who may do what on the bus: the deployment's keys, the NATS server's
//!   configuration, the tokens the gateway issues, each agent's subjects, sign-in throttling;
//! - [`roles`]: what each agent may do, as the gateway decides it;
//! - [`nats_server`]: starting a NATS server of one's own (tests, a one-machine contact center).

pub mod bus_trust;
pub mod conference;
pub mod desktop;
pub mod gateway;
pub mod nats_server;
pub mod passwords;
pub mod presence;
pub mod records_access;
pub mod records_wire;
pub mod remote_records;
pub mod transfers;
pub mod wire;

/// A cluster failure, naming what was being done.
#[derive(Debug, Clone, thiserror::Error, PartialEq)]
pub enum ClusterError {
    /// NATS refused or could not be reached.
    #[error("NATS: {0}")]
    Nats(String),
    /// A request that cannot be carried (an id too long...).
    #[error("invalid request: {0}")]
    Invalid(String),
}

fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

/// A process's link to the deployment: its own runtime and a NATS connection (the gateway and
/// each signed-in desktop open one).
struct Link {
    runtime: tokio::runtime::Runtime,
    client: async_nats::Client,
}

impl Link {
    /// Connects to `url` as `options` say; the error names the server, never a credential.
    fn open(
        name: &str,
        workers: usize,
        url: &str,
        options: async_nats::ConnectOptions,
    ) -> Result<Self, LinkError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(workers)
            .thread_name(name)
            .enable_all()
            .build()
            .map_err(|e| LinkError::Other(format!("{name} runtime: {e}")))?;
        let client = runtime.block_on(connect(url, options))?;
        Ok(Self { runtime, client })
    }
}

/// Connects to `url` as `options` say; the error names the server, never a credential.
async fn connect(
    url: &str,
    options: async_nats::ConnectOptions,
) -> Result<async_nats::Client, LinkError> {
    options.connect(url).await.map_err(|e| match e.kind() {
        async_nats::ConnectErrorKind::AuthorizationViolation
        | async_nats::ConnectErrorKind::Authentication => LinkError::Refused,
        _ => LinkError::Other(format!("connecting to {}: {e}", display_url(url))),
    })
}

/// Why a link could not be opened.
#[derive(Debug, Clone, PartialEq)]
enum LinkError {
    /// The NATS server refused the credentials.
    Refused,
    /// Anything else, in words.
    Other(String),
}

impl From<LinkError> for ClusterError {
    fn from(e: LinkError) -> Self {
        match e {
            LinkError::Refused => {
                ClusterError::Nats("the NATS server refused the credentials".into())
            }
            LinkError::Other(reason) => ClusterError::Nats(reason),
        }
    }
}

/// A server's address as shown in errors and logs: without any user or password in it.
pub fn display_url(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let host = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
            format!("{scheme}://{host}")
        }
        None => url
            .rsplit_once('@')
            .map_or(url, |(_, host)| host)
            .to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_is_shown_without_its_credentials() {
        assert_eq!(
            display_url("nats://ada:s3cret@10.0.0.5:4222"),
            "nats://10.0.0.5:4222"
        );
        assert_eq!(
            display_url("tls://nats.example:4222"),
            "tls://nats.example:4222"
        );
        assert_eq!(display_url("u:p@host:1"), "host:1");
    }
}
