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
//! - [`wire`]: subjects and messages;
//! - [`nats_server`]: starting a NATS server of one's own (tests, a one-machine contact center).

pub mod desktop;
pub mod gateway;
pub mod nats_server;
pub mod presence;
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
