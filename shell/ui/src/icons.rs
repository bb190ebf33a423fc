//! Short channel tags shown where other desktops put icons: plain text, so they render with
//! the bundled fonts and screen readers read them.

/// The tag for a channel: its icon name from the manifest when the shell knows it, else the
/// channel's own name (a third party's channel names itself).
pub fn channel(icon: &str, name: &str) -> String {
    use switchboard_core::sdk::icons;
    match icon {
        icons::SMS => "SMS".into(),
        icons::MMS => "MMS".into(),
        icons::CHAT => "CHAT".into(),
        icons::IM => "IM".into(),
        _ => name.chars().take(10).collect::<String>().to_uppercase(),
    }
}
