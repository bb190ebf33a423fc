//! How addresses compare and which sites may frame the chat page.

/// Whether two phone numbers are the same once spaces and punctuation are ignored.
pub fn same_number(a: &str, b: &str) -> bool {
    let digits = |s: &str| -> String { s.chars().filter(char::is_ascii_digit).collect() };
    let (a, b) = (digits(a), digits(b));
    !a.is_empty() && a == b
}

/// The origin of a site allowed to show the chat widget; `None` (with a warning) for one that
/// is not an http(s) origin.
pub fn chat_widget_origin(site: &str) -> Option<String> {
    match url::Url::parse(site) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => {
            Some(url.origin().ascii_serialization())
        }
        _ => {
            tracing::warn!("chat widget site {site:?} left out: not an http(s) origin");
            None
        }
    }
}
