//! Where Switchboard keeps its data and finds its plugins.

use std::path::PathBuf;

/// The per-user data folder (`$XDG_DATA_HOME/switchboard` on Linux).
pub fn default_data_dir() -> PathBuf {
    directories::ProjectDirs::from("org", "Switchboard", "switchboard")
        .map(|dirs| dirs.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".switchboard"))
}

/// The default plugins folder: `plugins/` next to the executable.
pub fn default_plugins_dir() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("plugins")))
        .unwrap_or_else(|| PathBuf::from("plugins"))
}

/// The file extension of dynamic libraries on this system.
pub fn library_extension() -> &'static str {
    std::env::consts::DLL_EXTENSION
}
