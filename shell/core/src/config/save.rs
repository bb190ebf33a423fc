//! Atomic save: write a temporary file, flush it to disk, keep the previous version as
//! `.bak`, then rename over the original. An interrupted write leaves the original intact.

use std::{
    fs::File,
    io::Write,
    path::{Path, PathBuf},
};

use super::{Config, ConfigError};

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(suffix);
    path.with_file_name(name)
}

/// Validates and saves a configuration atomically.
pub fn save_atomically(path: &Path, config: &Config) -> Result<(), ConfigError> {
    save_atomically_with(path, config, |file, bytes| file.write_all(bytes))
}

/// [`save_atomically`] with the write step given (tests simulate an interrupted write).
pub fn save_atomically_with(
    path: &Path,
    config: &Config,
    write: impl FnOnce(&mut File, &[u8]) -> std::io::Result<()>,
) -> Result<(), ConfigError> {
    let file = path.display().to_string();
    let fail = |reason: String| ConfigError::Write {
        file: file.clone(),
        reason,
    };
    config.validate().map_err(&fail)?;
    let text = config.to_toml()?;
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| fail(e.to_string()))?;
    }
    let temporary = sibling(path, ".tmp");
    let written = File::create(&temporary)
        .and_then(|mut out| {
            write(&mut out, text.as_bytes())?;
            out.sync_all()
        })
        .map_err(|e| fail(e.to_string()));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temporary);
        return Err(e);
    }
    if path.exists() {
        std::fs::copy(path, sibling(path, ".bak"))
            .map_err(|e| fail(format!("keeping the previous version: {e}")))?;
    }
    std::fs::rename(&temporary, path).map_err(|e| fail(e.to_string()))?;
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
        && let Ok(dir) = File::open(parent)
    {
        let _ = dir.sync_all();
    }
    Ok(())
}
