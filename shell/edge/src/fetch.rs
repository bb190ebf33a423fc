//! Fetching a media item from the URL a provider gave, never more than the size limit. With a
//! real provider configured: only from the provider's media host, with the account's
//! credentials (never sent anywhere else), nothing else at all. Without one (the demo):
//! regular files in the configured media folders and `http://` on a loopback IP address (the
//! embedded platform's stand-in for a provider's media store).

use std::io::Read;

use switchboard_media::{MediaLimits, MediaProblem};

/// Reads the item at `url`, refusing other schemes and hosts, and anything over the limit.
///
/// The address is parsed (the `url` crate), never matched as text: user information
/// (`http://127.0.0.1:1@elsewhere/`) is refused, and only a loopback IP address is fetched, so
/// no name is resolved (no DNS rebinding) and the address connected to is the one checked.
/// Redirects are not followed.
pub fn fetch(
    url: &str,
    limits: MediaLimits,
    folders: &[std::path::PathBuf],
    provider: Option<&ProviderMedia>,
) -> Result<Vec<u8>, MediaProblem> {
    let text = url.trim();
    if let Some(provider) = provider {
        return provider.fetch(text, limits);
    }
    if text.starts_with("file:") {
        let path = allowed_file(text, folders)?;
        let file = std::fs::File::open(&path)
            .map_err(|e| MediaProblem::Unreachable(format!("{}: {e}", path.display())))?;
        return read_limited(file, limits);
    }
    let address = loopback_http(text)?;
    let agent = fetching_agent();
    let response = agent
        .get(address.as_str())
        .call()
        .map_err(|e| MediaProblem::Unreachable(format!("{address}: {e}")))?;
    read_limited(response.into_body().into_reader(), limits)
}

/// The HTTP client media is fetched with: ten seconds at most, redirects never followed.
fn fetching_agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(std::time::Duration::from_secs(10)))
        .max_redirects(0)
        .build()
        .into()
}

/// Where a real provider keeps inbound media, and how to ask for it.
#[derive(Clone)]
pub struct ProviderMedia {
    /// The only host fetched from.
    pub host: String,
    /// `Basic …` with the account's id and auth token.
    pub authorization: String,
}

impl ProviderMedia {
    /// From the provider's settings, when they name a media host.
    pub fn of(settings: &crate::provider::ProviderSettings) -> Option<Self> {
        use base64::Engine as _;
        let host = settings.media_host.clone()?;
        let credentials = format!("{}:{}", settings.account_sid, settings.auth_token.expose());
        Some(Self {
            host,
            authorization: format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(credentials)
            ),
        })
    }

    /// Reads the item at `text` from the provider's media host (https; plain http only on a
    /// loopback address, for local stand-ins), with the account's credentials. Redirects are
    /// not followed.
    fn fetch(&self, text: &str, limits: MediaLimits) -> Result<Vec<u8>, MediaProblem> {
        let refused = |why: &str| MediaProblem::Unreachable(format!("{text}: {why}"));
        let address = parsed_without_user(text)?;
        let host = address.host_str().unwrap_or_default();
        if host != self.host {
            return Err(refused(&format!(
                "media is fetched from the provider's media host ({}) only",
                self.host
            )));
        }
        match address.scheme() {
            "https" => {}
            "http" if is_loopback_ip(&address) => {}
            _ => return Err(refused("the provider's media is fetched over https only")),
        }
        let agent = fetching_agent();
        let response = agent
            .get(address.as_str())
            .header("Authorization", &self.authorization)
            .call()
            .map_err(|e| refused(&format!("the provider's media store answered: {e}")))?;
        read_limited(response.into_body().into_reader(), limits)
    }
}

/// The file a `file://` address names, when it is a regular file inside one of `folders`
/// (after resolving `..` and links), or why it is refused. Nothing is opened before that: not
/// `/etc/shadow`, not `/proc/self/environ`, not a named pipe that would never answer.
fn allowed_file(
    text: &str,
    folders: &[std::path::PathBuf],
) -> Result<std::path::PathBuf, MediaProblem> {
    let refused = |why: &str| MediaProblem::Unreachable(format!("{text}: {why}"));
    let address = url::Url::parse(text).map_err(|e| refused(&format!("not an address ({e})")))?;
    let path = address
        .to_file_path()
        .map_err(|()| refused("not a local file address"))?;
    let canonical = path
        .canonicalize()
        .map_err(|e| refused(&format!("cannot be read ({e})")))?;
    if !folders.iter().any(|folder| canonical.starts_with(folder)) {
        return Err(refused(
            "only files in the configured media folder are read",
        ));
    }
    let metadata =
        std::fs::metadata(&canonical).map_err(|e| refused(&format!("cannot be read ({e})")))?;
    if !metadata.is_file() {
        return Err(refused("not a regular file"));
    }
    Ok(canonical)
}

/// The parsed `http://` address of a loopback IP, or why it is refused.
fn loopback_http(text: &str) -> Result<url::Url, MediaProblem> {
    let refused = |why: &str| MediaProblem::Unreachable(format!("{text}: {why}"));
    let address = parsed_without_user(text)?;
    if address.scheme() != "http" {
        return Err(refused(
            "only file:// and http:// on the loopback interface are fetched",
        ));
    }
    if let Some(url::Host::Domain(name)) = address.host() {
        return Err(refused(&format!(
            "{name} is a name, not a loopback address (names are not resolved)"
        )));
    }
    if !is_loopback_ip(&address) {
        return Err(refused("only the loopback interface is fetched"));
    }
    Ok(address)
}

/// `text` parsed as an address, refused when it is none or carries user information
/// (`http://127.0.0.1:1@elsewhere/` names `elsewhere`).
fn parsed_without_user(text: &str) -> Result<url::Url, MediaProblem> {
    let refused = |why: &str| MediaProblem::Unreachable(format!("{text}: {why}"));
    let address = url::Url::parse(text).map_err(|e| refused(&format!("not an address ({e})")))?;
    if !address.username().is_empty() || address.password().is_some() {
        return Err(refused("addresses with user information are refused"));
    }
    Ok(address)
}

/// Whether the address's host is a loopback IP literal (a name is never one: names are not
/// resolved).
fn is_loopback_ip(address: &url::Url) -> bool {
    match address.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        _ => false,
    }
}

fn read_limited(reader: impl Read, limits: MediaLimits) -> Result<Vec<u8>, MediaProblem> {
    let mut bytes = Vec::new();
    reader
        .take(limits.max_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| MediaProblem::Unreachable(e.to_string()))?;
    if bytes.len() as u64 > limits.max_bytes {
        return Err(MediaProblem::TooLarge {
            limit_mb: limits.max_bytes / (1024 * 1024),
        });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use switchboard_media::{ImageFormat, samples};

    use super::*;

    #[test]
    fn fetch_reads_files_in_the_media_folder_and_refuses_remote_hosts() {
        let dir = std::env::temp_dir().join(format!("switchboard-fetch-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let folders = [dir.canonicalize().expect("canonical")];
        let path = dir.join("a.png");
        std::fs::write(&path, samples::picture(4, 4, ImageFormat::Png)).expect("write");
        let limits = MediaLimits::default();
        let bytes = fetch(
            &format!("file://{}", path.display()),
            limits,
            &folders,
            None,
        )
        .expect("read");
        assert!(bytes.starts_with(b"\x89PNG"));
        assert!(matches!(
            fetch("http://203.0.113.9/a.png", limits, &folders, None),
            Err(MediaProblem::Unreachable(_))
        ));
        assert!(matches!(
            fetch("https://127.0.0.1/a.png", limits, &folders, None),
            Err(MediaProblem::Unreachable(_))
        ));
        let small = MediaLimits {
            max_bytes: 10,
            ..MediaLimits::default()
        };
        assert!(matches!(
            fetch(&format!("file://{}", path.display()), small, &folders, None),
            Err(MediaProblem::TooLarge { .. })
        ));
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn files_outside_the_media_folder_pipes_and_folders_are_refused_before_opening() {
        let dir = std::env::temp_dir().join(format!("switchboard-fence-{}", std::process::id()));
        let media = dir.join("media");
        std::fs::create_dir_all(&media).expect("dir");
        let folders = [media.canonicalize().expect("canonical")];
        let outside = dir.join("secret.png");
        std::fs::write(&outside, samples::picture(4, 4, ImageFormat::Png)).expect("write");
        let pipe = media.join("pipe.png");
        let made_pipe = std::process::Command::new("mkfifo")
            .arg(&pipe)
            .status()
            .is_ok_and(|s| s.success());
        assert!(made_pipe, "mkfifo is part of coreutils");
        let limits = MediaLimits::default();
        let refused = |url: String| {
            assert!(
                matches!(
                    fetch(&url, limits, &folders, None),
                    Err(MediaProblem::Unreachable(_))
                ),
                "{url} must be refused"
            );
        };
        refused(format!("file://{}", outside.display()));
        refused(format!("file://{}/../secret.png", media.display()));
        refused(format!("file://{}", pipe.display()));
        refused(format!("file://{}", media.display()));
        refused("file:///etc/shadow".into());
        refused("file:///proc/self/environ".into());
        refused("file:relative.png".into());
        assert!(
            matches!(
                fetch(&format!("file://{}", outside.display()), limits, &[], None),
                Err(MediaProblem::Unreachable(_))
            ),
            "no folder configured: no file is read"
        );
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn addresses_that_only_look_like_loopback_are_refused_before_connecting() {
        for address in [
            "http://127.0.0.1:1@otherhost/x.png",
            "http://127.0.0.1:@otherhost/x.png",
            "http://localhost:x@otherhost/x.png",
            "http://[::1]:y@otherhost/x.png",
            "http://user@127.0.0.1/x.png",
            "http://localhost/x.png",
            "http://127.0.0.1.nip.io/x.png",
            "http://2130706433.example/x.png",
            "http://10.0.0.1/x.png",
            "https://127.0.0.1/x.png",
            "ftp://127.0.0.1/x.png",
            "http:///x.png",
        ] {
            assert!(
                matches!(loopback_http(address), Err(MediaProblem::Unreachable(_))),
                "{address} must be refused"
            );
        }
        for address in [
            "http://127.0.0.1:8077/x.png",
            "http://127.5.6.7/x.png",
            "http://[::1]:8080/x.png",
        ] {
            assert!(loopback_http(address).is_ok(), "{address}");
        }
    }
}
