//! A secret (a provider's auth token, a password) that never shows: its `Debug` and `Display`
//! say `configured`, so a log line or an error that formats it by mistake leaks nothing. Read
//! it from an environment variable or from a file only its owner can read.

use std::fmt;

/// A secret value; only [`Secret::expose`] gives the text.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

/// Why a secret could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    /// The environment variable is missing or empty.
    #[error("environment variable {0} is not set")]
    MissingVariable(String),
    /// The file could not be read.
    #[error("secret file {file}: {reason}")]
    Unreadable {
        /// The file.
        file: String,
        /// Why.
        reason: String,
    },
    /// Other users may read the file.
    #[error(
        "secret file {0} may be read by other users (mode {1:o}); make it readable by its owner alone (chmod 600)"
    )]
    Exposed(String, u32),
}

impl Secret {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret's text, for the one place that needs it (signing, authenticating).
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// From the environment variable `name` (surrounding white space dropped).
    pub fn from_env(name: &str) -> Result<Self, SecretError> {
        match std::env::var(name) {
            Ok(value) if !value.trim().is_empty() => Ok(Self(value.trim().to_owned())),
            _ => Err(SecretError::MissingVariable(name.to_owned())),
        }
    }

    /// From a file that only its owner may read (its first line).
    pub fn from_file(path: &std::path::Path) -> Result<Self, SecretError> {
        let file = path.display().to_string();
        let unreadable = |reason: String| SecretError::Unreadable {
            file: file.clone(),
            reason,
        };
        let metadata = std::fs::metadata(path).map_err(|e| unreadable(e.to_string()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = metadata.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                return Err(SecretError::Exposed(file, mode));
            }
        }
        if !metadata.is_file() || metadata.len() > 4096 {
            return Err(unreadable("not a small regular file".into()));
        }
        let text = std::fs::read_to_string(path).map_err(|e| unreadable(e.to_string()))?;
        let value = text.lines().next().unwrap_or("").trim();
        if value.is_empty() {
            return Err(unreadable("it is empty".into()));
        }
        Ok(Self(value.to_owned()))
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(configured)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("configured")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_never_formats_its_value() {
        let secret = Secret::new("tok3n-value");
        assert!(!format!("{secret:?} {secret}").contains("tok3n"));
        assert_eq!(secret.expose(), "tok3n-value");
    }

    #[cfg(unix)]
    #[test]
    fn a_secret_file_others_can_read_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("token");
        std::fs::write(&path, "abc\n").expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        assert!(matches!(
            Secret::from_file(&path),
            Err(SecretError::Exposed(_, 0o644))
        ));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        assert_eq!(Secret::from_file(&path).expect("read").expose(), "abc");
    }
}
