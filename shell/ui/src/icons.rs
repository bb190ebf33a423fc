//! Short channel tags shown where other desktops put icons: plain text, so they render with
//! the bundled fonts and screen readers read them.

/// The tag for a channel icon name from a manifest.
pub fn channel(name: &str) -> &'static str {
    match name {
        "sms" => "SMS",
        "mms" => "MMS",
        "chat" => "CHAT",
        "im" => "IM",
        _ => "•",
    }
}
