//! Plugins isolated in a child process: a plugin the configuration names
//! (`[plugins] isolated = ["id"]`) runs in `switchboard plugin-sandbox`, a process of its own
//! with the same SDK, its host calls crossing a local socket. A plugin that aborts, dereferences
//! a null pointer or loops forever then takes down only that process: the shell names it,
//! starts it again with the interactions it knew, and every other channel goes on.

pub mod child;
mod parent;
pub mod protocol;

use std::{path::PathBuf, time::Duration};

pub use parent::{MAX_RESTARTS, start};

/// How isolated plugins run.
#[derive(Debug, Clone, PartialEq)]
pub struct IsolationSettings {
    /// The program that runs `plugin-sandbox` (the shell's own binary).
    pub program: PathBuf,
    /// The longest one call may take before the child is stopped as hung.
    pub call_timeout: Duration,
}
