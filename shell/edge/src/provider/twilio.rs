//! Twilio's Programmable Messaging API: `POST {base}/2010-04-01/Accounts/{AccountSid}/Messages.json`
//! with Basic authentication (the account id and auth token) and a form (`To`, `From` or
//! `MessagingServiceSid`, `Body`, `StatusCallback`). 201 is taken; 429 and 5xx are tried again
//! later; other answers are refused with the provider's error code; a call whose answer never
//! came is uncertain. Messaging-app addresses (`scheme:number`) pass through unchanged.

use std::time::Duration;

use base64::Engine as _;

use super::{OutboundPart, Provider, ProviderSettings, SendOutcome, Sender, errors};

/// Longest answer read from the API.
const MAX_ANSWER_BYTES: u64 = 64 * 1024;

/// The API client.
pub struct TwilioApi {
    settings: ProviderSettings,
    agent: ureq::Agent,
    messages_url: String,
    authorization: String,
    status_callback: String,
}

impl TwilioApi {
    /// A client for the account in `settings`; each call takes at most `timeout`.
    pub fn new(settings: ProviderSettings, timeout: Duration) -> Self {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .max_redirects(0)
            .http_status_as_error(false)
            .build()
            .into();
        let base = settings.api_base.as_str().trim_end_matches('/');
        let messages_url = format!(
            "{base}/2010-04-01/Accounts/{}/Messages.json",
            settings.account_sid
        );
        let credentials = format!("{}:{}", settings.account_sid, settings.auth_token.expose());
        let authorization = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(credentials)
        );
        let status_callback = settings.public_address("/sms/status");
        Self {
            settings,
            agent,
            messages_url,
            authorization,
            status_callback,
        }
    }
}

impl Provider for TwilioApi {
    fn send(&self, part: &OutboundPart) -> SendOutcome {
        let mut form: Vec<(&str, &str)> = vec![
            ("To", part.to.as_str()),
            ("Body", part.body.as_str()),
            ("StatusCallback", self.status_callback.as_str()),
        ];
        // A message to a messaging-app address comes from our number's address in that app.
        let from = match part.to.split_once(':') {
            Some((scheme, _)) if !part.from.contains(':') => format!("{scheme}:{}", part.from),
            _ => part.from.clone(),
        };
        match &self.settings.sender {
            Sender::OurNumber => form.push(("From", from.as_str())),
            Sender::MessagingService(sid) => form.push(("MessagingServiceSid", sid.as_str())),
        }
        let answer = self
            .agent
            .post(&self.messages_url)
            .header("Authorization", &self.authorization)
            .send_form(form);
        let mut response = match answer {
            Ok(response) => response,
            Err(e) => return outcome_of_failed_call(&e),
        };
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get("Retry-After")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let text = response
            .body_mut()
            .with_config()
            .limit(MAX_ANSWER_BYTES)
            .read_to_string()
            .unwrap_or_default();
        outcome_of_answer(status, retry_after, &text)
    }
}

/// What an answer from the API means.
fn outcome_of_answer(status: u16, retry_after: Option<Duration>, text: &str) -> SendOutcome {
    let json: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
    match status {
        200 | 201 => match json.get("sid").and_then(|s| s.as_str()) {
            Some(sid) if !sid.is_empty() && sid.len() <= 64 => SendOutcome::Accepted {
                sid: sid.to_owned(),
            },
            // Taken, but without an id to follow: it may go, and nothing will say so.
            _ => SendOutcome::Uncertain {
                reason: format!("the provider answered {status} without a message id"),
            },
        },
        429 | 500..=599 => SendOutcome::RetryLater {
            after: retry_after,
            reason: format!("the provider answered {status}"),
        },
        _ => {
            let code = json
                .get("code")
                .and_then(serde_json::Value::as_u64)
                .and_then(|c| u32::try_from(c).ok());
            let words: String = json
                .get("message")
                .and_then(|m| m.as_str())
                .unwrap_or_default()
                .chars()
                .filter(|c| !c.is_control())
                .take(200)
                .collect();
            let reason = match (code, status) {
                (None, 401 | 403) => {
                    "the provider refused the account's credentials (check the account id and auth token)"
                        .to_owned()
                }
                _ => errors::failure_reason(code, &words),
            };
            SendOutcome::Rejected { code, reason }
        }
    }
}

/// A call that got no answer: not sent when the connection never opened; uncertain when the
/// request may have reached the provider.
fn outcome_of_failed_call(error: &ureq::Error) -> SendOutcome {
    let never_connected = match error {
        ureq::Error::ConnectionFailed | ureq::Error::HostNotFound => true,
        ureq::Error::Io(io) => io.kind() == std::io::ErrorKind::ConnectionRefused,
        _ => false,
    };
    if never_connected {
        SendOutcome::RetryLater {
            after: None,
            reason: format!("the provider could not be reached ({error})"),
        }
    } else {
        SendOutcome::Uncertain {
            reason: format!("the provider's answer never came ({error})"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_become_outcomes() {
        assert_eq!(
            outcome_of_answer(201, None, r#"{"sid":"SM123","status":"queued"}"#),
            SendOutcome::Accepted {
                sid: "SM123".into()
            }
        );
        assert!(matches!(
            outcome_of_answer(429, Some(Duration::from_secs(3)), ""),
            SendOutcome::RetryLater { after: Some(d), .. } if d == Duration::from_secs(3)
        ));
        assert!(matches!(
            outcome_of_answer(503, None, "<html>"),
            SendOutcome::RetryLater { after: None, .. }
        ));
        assert_eq!(
            outcome_of_answer(
                400,
                None,
                r#"{"code":21211,"message":"Invalid 'To' Phone Number","status":400}"#
            ),
            SendOutcome::Rejected {
                code: Some(21211),
                reason: "the number is not a valid phone number (error 21211)".into()
            }
        );
        assert!(matches!(
            outcome_of_answer(401, None, "{}"),
            SendOutcome::Rejected { code: None, reason } if reason.contains("credentials")
        ));
        assert!(matches!(
            outcome_of_answer(201, None, "{}"),
            SendOutcome::Uncertain { .. }
        ));
    }
}
