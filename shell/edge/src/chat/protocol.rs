//! What the customer's chat page and the platform say to each other over the WebSocket, as
//! JSON. Everything from the page is untrusted: unknown shapes are refused with a message, and
//! names and texts have limits.

use serde::{Deserialize, Serialize};

/// Longest message a customer may send, in characters.
pub const MAX_TEXT_CHARS: usize = 2000;
/// Longest name, in characters.
pub const MAX_NAME_CHARS: usize = 60;
/// Largest WebSocket frame accepted, in bytes (a message of the longest text fits easily).
pub const MAX_FRAME_BYTES: usize = 16 * 1024;

/// From the page.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case", deny_unknown_fields)]
pub enum FromCustomer {
    /// Opens a chat under a name.
    Start {
        /// The name the customer typed.
        name: String,
    },
    /// A message.
    Message {
        /// Its text.
        text: String,
    },
    /// The customer started or stopped typing.
    Typing {
        /// Whether they are typing.
        on: bool,
    },
    /// The customer ended the chat.
    End,
}

/// To the page (and, on a cluster, from the gateway an agent wrote through to the one whose
/// page server holds the room).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ToCustomer {
    /// The chat is open; an agent will answer.
    Started {
        /// The name as accepted.
        name: String,
    },
    /// A message from the agent (or a colleague in a conference).
    Message {
        /// Who wrote it, as the customer sees them.
        author: String,
        /// The text, to be shown as text.
        text: String,
    },
    /// An agent started or stopped typing.
    Typing {
        /// Who.
        author: String,
        /// Whether they are typing.
        on: bool,
    },
    /// The agent invites the customer to open a link.
    Link {
        /// Who pushed it.
        author: String,
        /// The address.
        url: String,
    },
    /// Something happened in the chat (a colleague joined).
    Notice {
        /// What, in words.
        text: String,
    },
    /// The chat is over.
    Ended {
        /// Why, in words.
        text: String,
    },
    /// The page's last request was refused.
    Error {
        /// Why, in words.
        text: String,
    },
}

impl ToCustomer {
    /// As JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{\"type\":\"error\"}".into())
    }
}

/// Reads one frame from the page, checking it.
pub fn parse(frame: &str) -> Result<FromCustomer, String> {
    let message: FromCustomer = serde_json::from_str(frame)
        .map_err(|e| format!("the chat did not understand that request ({e})"))?;
    match &message {
        FromCustomer::Start { name } => {
            let chars = name.trim().chars().count();
            if chars == 0 {
                return Err("Please enter your name to start.".into());
            }
            if chars > MAX_NAME_CHARS {
                return Err(format!(
                    "Your name is too long ({chars} characters; at most {MAX_NAME_CHARS})."
                ));
            }
        }
        FromCustomer::Message { text } => {
            let chars = text.chars().count();
            if crate::text::is_blank(text) {
                return Err("The message is empty.".into());
            }
            if chars > MAX_TEXT_CHARS {
                return Err(format!(
                    "Your message is too long ({chars} characters; at most {MAX_TEXT_CHARS}). \
                     Please split it."
                ));
            }
        }
        FromCustomer::Typing { .. } | FromCustomer::End => {}
    }
    Ok(match message {
        FromCustomer::Message { text } => FromCustomer::Message {
            text: crate::text::clean(&text),
        },
        FromCustomer::Start { name } => FromCustomer::Start {
            name: crate::text::clean(&name),
        },
        other => other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_checked() {
        assert_eq!(
            parse(r#"{"type":"message","text":"<b>hi</b>"}"#),
            Ok(FromCustomer::Message {
                text: "<b>hi</b>".into()
            }),
            "markup is kept as text: the page shows it as text"
        );
        assert!(parse(r#"{"type":"start","name":"  "}"#).is_err());
        assert!(
            parse(&format!(
                r#"{{"type":"start","name":"{}"}}"#,
                "x".repeat(61)
            ))
            .is_err()
        );
        let long = parse(&format!(
            r#"{{"type":"message","text":"{}"}}"#,
            "a".repeat(MAX_TEXT_CHARS + 1)
        ));
        assert!(long.is_err_and(|e| e.contains("2001 characters")));
        assert!(parse(r#"{"type":"message","text":"hi","admin":true}"#).is_err());
        assert!(parse("not json").is_err());
    }

    #[test]
    fn replies_are_tagged_json() {
        let json = ToCustomer::Link {
            author: "Ada".into(),
            url: "https://shop.example".into(),
        }
        .to_json();
        assert_eq!(
            json,
            r#"{"type":"link","author":"Ada","url":"https://shop.example"}"#
        );
    }

    #[test]
    fn invisible_only_messages_are_refused_and_controls_dropped() {
        assert!(parse(r#"{"type":"message","text":"\u200b\u200b"}"#).is_err());
        assert_eq!(
            parse(r#"{"type":"message","text":"a\u0000b"}"#),
            Ok(FromCustomer::Message { text: "ab".into() })
        );
    }
}
