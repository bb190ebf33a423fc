//! # switchboard-core
//!
//! The desk without pixels, testable headless, naming no database and no server:
//! - [`plugin_host`]: finds, checks, loads and contains channel plugins, and answers their
//!   host calls;
//! - [`desk`]: the signed-in agent's state: channel statuses, offers, open interactions;
//! - [`backend`] and [`store`]: the seam to the platform and the record traits, from
//!   `switchboard-seam` (platforms and stores live in their own crates);
//! - [`clock`], [`config`], [`i18n`], [`paths`], [`links`], [`media`], [`responses`],
//!   [`directory`].

pub mod backend;
pub mod config;
pub mod desk;
pub mod directory;
pub mod i18n;
pub mod language;
pub mod links;
pub mod paths;
pub mod people;
pub mod plugin_host;
pub mod responses;

pub use switchboard_media as media;
pub use switchboard_sdk as sdk;
pub use switchboard_seam as seam;
pub use switchboard_seam::{clock, records as store};
