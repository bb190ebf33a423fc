//! # switchboard-core
//!
//! Everything in the Switchboard shell that has no pixels, testable headless:
//! - [`plugin_host`]: finds, checks, loads and contains channel plugins;
//! - [`backend`]: the one seam to the contact-center platform, and the embedded platform;
//! - [`store`]: SQLite persistence (every message is committed before anyone sees it);
//! - [`desk`]: the signed-in agent's state: channel statuses, offers, open interactions;
//! - [`clock`], [`config`], [`i18n`], [`paths`].

pub mod backend;
pub mod clock;
pub mod config;
pub mod desk;
pub mod directory;
pub mod i18n;
pub mod links;
pub mod media;
pub mod paths;
pub mod plugin_host;
pub mod responses;
pub mod store;

pub use switchboard_sdk as sdk;
