//! Short channel tags shown where other desktops put icons: plain text, so they render with
//! the bundled fonts and screen readers read them.

/// The tag for a channel: its icon name from the manifest when the shell knows it, else the
/// channel's own name (a third party's channel names itself).
pub fn channel(icon: &str, name: &str) -> String {
    match icon {
        "sms" => "SMS".into(),
        "mms" => "MMS".into(),
        "chat" => "CHAT".into(),
        "im" => "IM".into(),
        _ => name.chars().take(10).collect::<String>().to_uppercase(),
    }
}
