//! # switchboard-seam
//!
//! What the desk and every platform agree on, and nothing else:
//! - [`backend`]: the [`backend::Backend`] trait (routing, presence, customers' messages,
//!   colleagues) and the events and requests that cross it;
//! - [`records`]: the record types and the traits every store implements (SQLite on the
//!   desktop, PostgreSQL in a gateway), with one conformance suite they all pass;
//! - [`parties`]: kinds of party (agent, queue, skill...) and presence;
//! - [`routing`]: the routing rules every platform uses (queue, capacity, reservations);
//! - [`inbound`]: what a customer's message makes of an interaction (media type, joining);
//! - [`ids`]: time-ordered ids unique across machines;
//! - [`clock`]: the host clock every timer reads;
//! - [`provider`]: an SMS provider's API as both platforms call it (parts, outcomes, retries);
//! - [`secret`]: secrets that never show in a log.
//!
//! It names no database driver, no network crate and no UI crate: the desk depends on it, and
//! so does each platform.

pub mod backend;
pub mod clock;
pub mod ids;
pub mod inbound;
pub mod parties;
pub mod provider;
pub mod records;
pub mod roles;
pub mod routing;
pub mod secret;

pub use switchboard_sdk as sdk;
