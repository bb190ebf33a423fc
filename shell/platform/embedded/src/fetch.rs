//! Fetching a media item from the URL a provider gave: `file://` paths and `http://` on the
//! loopback interface only (the embedded platform's stand-in for a provider's media store),
//! never more than the size limit.

use std::io::Read;

use switchboard_core::media::{MediaLimits, MediaProblem};

/// Reads the item at `url`, refusing other schemes and hosts, and anything over the limit.
pub fn fetch(url: &str, limits: MediaLimits) -> Result<Vec<u8>, MediaProblem> {
    let url = url.trim();
    if let Some(path) = url.strip_prefix("file://") {
        let file = std::fs::File::open(path)
            .map_err(|e| MediaProblem::Unreachable(format!("{path}: {e}")))?;
        return read_limited(file, limits);
    }
    let Some(rest) = url.strip_prefix("http://") else {
        return Err(MediaProblem::Unreachable(format!(
            "{url}: only file:// and http://127.0.0.1 addresses are fetched"
        )));
    };
    let host = rest.split(['/', '?']).next().unwrap_or_default();
    let host_name = host.rsplit_once(':').map_or(host, |(name, _)| name);
    if !matches!(host_name, "127.0.0.1" | "localhost" | "[::1]") {
        return Err(MediaProblem::Unreachable(format!(
            "{url}: only the loopback host is fetched"
        )));
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(std::time::Duration::from_secs(10)))
        .max_redirects(0)
        .build()
        .into();
    let response = agent
        .get(url)
        .call()
        .map_err(|e| MediaProblem::Unreachable(format!("{url}: {e}")))?;
    read_limited(response.into_body().into_reader(), limits)
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
    use switchboard_core::media::{ImageFormat, samples};

    use super::*;

    #[test]
    fn fetch_reads_files_and_refuses_remote_hosts() {
        let dir = std::env::temp_dir().join(format!("switchboard-fetch-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("a.png");
        std::fs::write(&path, samples::picture(4, 4, ImageFormat::Png)).expect("write");
        let bytes = fetch(
            &format!("file://{}", path.display()),
            MediaLimits::default(),
        )
        .expect("read");
        assert!(bytes.starts_with(b"\x89PNG"));
        assert!(matches!(
            fetch("http://203.0.113.9/a.png", MediaLimits::default()),
            Err(MediaProblem::Unreachable(_))
        ));
        assert!(matches!(
            fetch("https://127.0.0.1/a.png", MediaLimits::default()),
            Err(MediaProblem::Unreachable(_))
        ));
        let small = MediaLimits {
            max_bytes: 10,
            ..MediaLimits::default()
        };
        assert!(matches!(
            fetch(&format!("file://{}", path.display()), small),
            Err(MediaProblem::TooLarge { .. })
        ));
        let _ = std::fs::remove_dir_all(dir);
    }
}
