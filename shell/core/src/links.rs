//! Links, phone numbers and e-mail addresses in message text, made safe to show and to click.
//!
//! Text from contacts is untrusted. Before the shell draws it:
//! - bidirectional controls and zero-width characters are pulled out and shown as visible
//!   markers (`[U+202E]`), so they cannot reverse or hide part of an address;
//! - a link is shown as its real address: the host the browser would reach (a user name before
//!   `@` is dropped from the shown address, with a warning), a host in another script or mixing
//!   scripts in punycode with a warning, a very long address shortened in the middle (the full
//!   address on hover);
//! - only http and https addresses become links; phone numbers become `tel:` links and e-mail
//!   addresses `mailto:` links.
//!
//! What an agent pushes to a customer goes through [`pushable`].

use linkify::{LinkFinder, LinkKind};
use url::{Host, Url};

/// Longest address shown in full; longer ones are shortened in the middle.
pub const SHOWN_URL_CHARS: usize = 80;
/// Longest address an agent may push.
pub const MAX_PUSHED_URL_CHARS: usize = 2048;

/// A piece of message text, ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub enum Segment {
    /// Plain text.
    Text(String),
    /// A web address.
    Link {
        /// What to show: the real address, maybe shortened.
        shown: String,
        /// What opens, and what the hover shows in full.
        target: String,
        /// Why the agent should look twice, when there is a reason.
        warning: Option<String>,
    },
    /// A phone number.
    Phone {
        /// As written.
        shown: String,
        /// `tel:` link.
        target: String,
    },
    /// An e-mail address.
    Email {
        /// As written.
        shown: String,
        /// `mailto:` link.
        target: String,
    },
    /// An invisible control character, made visible.
    Invisible {
        /// The marker shown (`[U+202E]`).
        shown: String,
        /// What it is, for the hover.
        name: &'static str,
    },
}

/// The name of an invisible character that can disguise text, if `c` is one.
pub fn invisible_name(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{202A}' => "left-to-right embedding",
        '\u{202B}' => "right-to-left embedding",
        '\u{202C}' => "pop directional formatting",
        '\u{202D}' => "left-to-right override",
        '\u{202E}' => "right-to-left override",
        '\u{2066}' => "left-to-right isolate",
        '\u{2067}' => "right-to-left isolate",
        '\u{2068}' => "first strong isolate",
        '\u{2069}' => "pop directional isolate",
        '\u{200E}' => "left-to-right mark",
        '\u{200F}' => "right-to-left mark",
        '\u{061C}' => "Arabic letter mark",
        '\u{200B}' => "zero-width space",
        '\u{200C}' => "zero-width non-joiner",
        '\u{200D}' => "zero-width joiner",
        '\u{2060}' => "word joiner",
        '\u{FEFF}' => "zero-width no-break space",
        _ => return None,
    })
}

/// Whether `c` is an emoji picture (the pictographic blocks and the older symbols).
fn is_pictograph(c: char) -> bool {
    matches!(c as u32, 0x1F300..=0x1FAFF | 0x2600..=0x27BF | 0x2B00..=0x2BFF)
}

/// Whether `c` is an emoji skin-tone modifier or the emoji presentation selector.
fn is_emoji_modifier(c: char) -> bool {
    matches!(c as u32, 0x1F3FB..=0x1F3FF | 0xFE0F)
}

/// Message text made safe as one plain string, for places that show text without links (a
/// notification, a compact transcript line, a hover): real addresses, `[!] ` before a link
/// with a warning, hidden characters as markers.
pub fn display_text(text: &str) -> String {
    segments(text)
        .into_iter()
        .map(|segment| match segment {
            Segment::Text(plain) => plain,
            Segment::Link {
                shown,
                warning: Some(_),
                ..
            } => format!("[!] {shown}"),
            Segment::Link { shown, .. }
            | Segment::Phone { shown, .. }
            | Segment::Email { shown, .. }
            | Segment::Invisible { shown, .. } => shown,
        })
        .collect()
}

/// Splits message text into safe segments.
pub fn segments(text: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut piece = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (at, &c) in chars.iter().enumerate() {
        // A joiner inside an emoji sequence (a family, a profession) is how it is written,
        // not a disguise: it stays.
        let joins_emoji = c == '\u{200D}'
            && at
                .checked_sub(1)
                .and_then(|before| chars.get(before))
                .is_some_and(|&before| is_pictograph(before) || is_emoji_modifier(before))
            && chars.get(at + 1).is_some_and(|&after| is_pictograph(after));
        match invisible_name(c).filter(|_| !joins_emoji) {
            Some(name) => {
                find_links(&piece, &mut out);
                piece.clear();
                out.push(Segment::Invisible {
                    shown: format!("[U+{:04X}]", c as u32),
                    name,
                });
            }
            None => piece.push(c),
        }
    }
    find_links(&piece, &mut out);
    out
}

fn push_text(out: &mut Vec<Segment>, text: &str) {
    if text.is_empty() {
        return;
    }
    if let Some(Segment::Text(last)) = out.last_mut() {
        last.push_str(text);
    } else {
        out.push(Segment::Text(text.to_owned()));
    }
}

fn find_links(text: &str, out: &mut Vec<Segment>) {
    let mut finder = LinkFinder::new();
    finder.url_must_have_scheme(true);
    let mut last = 0;
    for link in finder.links(text) {
        let segment = match link.kind() {
            LinkKind::Url => web_link(link.as_str()),
            LinkKind::Email => Some(Segment::Email {
                shown: link.as_str().to_owned(),
                target: format!("mailto:{}", link.as_str()),
            }),
            _ => None,
        };
        let Some(segment) = segment else {
            continue;
        };
        find_phones(&text[last..link.start()], out);
        out.push(segment);
        last = link.end();
    }
    find_phones(&text[last..], out);
}

/// A web link, or `None` for another scheme (left as text).
fn web_link(raw: &str) -> Option<Segment> {
    let url = Url::parse(raw).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let host = url.host_str()?.to_owned();
    let mut warnings = Vec::new();
    if !url.username().is_empty() || url.password().is_some() {
        warnings.push(format!(
            "goes to {host}: the part before @ is only a user name"
        ));
    }
    if let Some(original) = original_host(raw)
        && !original.is_ascii()
    {
        warnings.push(format!(
            "the host {original} may imitate another with letters from other scripts; its real \
             name is {host}"
        ));
    }
    let mut real = url.clone();
    let _ = real.set_username("");
    let _ = real.set_password(None);
    let shown = shorten(real.as_str());
    let warning = (!warnings.is_empty()).then(|| warnings.join("; "));
    Some(Segment::Link {
        shown,
        target: url.to_string(),
        warning,
    })
}

/// The host as written (before punycode), after any user name.
fn original_host(raw: &str) -> Option<&str> {
    let rest = raw.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit('@').next()?;
    Some(host_port.split(':').next().unwrap_or(host_port))
}

fn shorten(address: &str) -> String {
    let chars = address.chars().count();
    if chars <= SHOWN_URL_CHARS {
        return address.to_owned();
    }
    let keep = (SHOWN_URL_CHARS - 1) / 2;
    let head: String = address.chars().take(keep).collect();
    let tail: String = address.chars().skip(chars - keep).collect();
    format!("{head}…{tail}")
}

/// Phone numbers: `+` or a digit, then digits with spaces, dots, dashes or brackets, 8 to 15
/// digits in all, not inside a longer word.
fn find_phones(text: &str, out: &mut Vec<Segment>) {
    let bytes: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    let mut last = 0;
    while i < bytes.len() {
        let (start, c) = bytes[i];
        let after_word = i > 0 && bytes[i - 1].1.is_alphanumeric();
        let opens = c == '(' && bytes.get(i + 1).is_some_and(|(_, d)| d.is_ascii_digit());
        if (c == '+' || c.is_ascii_digit() || opens) && !after_word {
            let mut j = i;
            let mut digits = 0;
            let mut end = start;
            while j < bytes.len() {
                let (at, d) = bytes[j];
                if d.is_ascii_digit() {
                    digits += 1;
                    end = at + 1;
                } else if matches!(d, ' ' | '.' | '-' | '(' | ')') || (d == '+' && j == i) {
                    // Separators; a closing bracket counts as part of the number.
                    if d == ')' {
                        end = at + 1;
                    }
                } else {
                    break;
                }
                j += 1;
            }
            let ends_word = text[end..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric);
            if (8..=15).contains(&digits) && !ends_word {
                push_text(out, &text[last..start]);
                let shown = &text[start..end];
                let number: String = shown
                    .chars()
                    .filter(|c| c.is_ascii_digit() || *c == '+')
                    .collect();
                out.push(Segment::Phone {
                    shown: shown.to_owned(),
                    target: format!("tel:{number}"),
                });
                last = end;
                while i < bytes.len() && bytes[i].0 < end {
                    i += 1;
                }
                continue;
            }
        }
        i += 1;
    }
    push_text(out, &text[last..]);
}

/// Checks a link an agent wants to push: an http(s) address without a user name, hidden
/// characters or spaces, of a sane length. Returns it as the browser will read it (a host in
/// another script in punycode).
pub fn pushable(url: &str) -> Result<String, String> {
    let url = url.trim();
    if url.is_empty() {
        return Err("the address is empty".into());
    }
    if url.chars().count() > MAX_PUSHED_URL_CHARS {
        return Err(format!(
            "the address is too long ({} characters; at most {MAX_PUSHED_URL_CHARS})",
            url.chars().count()
        ));
    }
    if let Some(c) = url
        .chars()
        .find(|c| invisible_name(*c).is_some() || c.is_control())
    {
        return Err(format!(
            "the address hides a character (U+{:04X}); type it again",
            c as u32
        ));
    }
    if url.chars().any(char::is_whitespace) {
        return Err("the address contains spaces".into());
    }
    let parsed = Url::parse(url).map_err(|e| format!("{url} is not a web address ({e})"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(format!(
            "only http and https addresses can be pushed, not {}:",
            parsed.scheme()
        ));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(format!(
            "the address carries a user name before @; it would go to {}",
            parsed.host_str().unwrap_or_default()
        ));
    }
    match parsed.host() {
        Some(Host::Domain(_) | Host::Ipv4(_) | Host::Ipv6(_)) => Ok(parsed.to_string()),
        None => Err(format!("{url} has no host")),
    }
}

#[cfg(test)]
mod tests;
