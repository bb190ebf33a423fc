//! The SMS webhook's forms read into what the platform stores, or refused with the status and
//! reason the provider is answered: an inbound SMS or MMS (`From`, `To`, `Body`, `MessageSid`,
//! `NumMedia`, `MediaUrlN`, `MediaContentTypeN`) and a delivery-status callback (`MessageSid`,
//! `MessageStatus`, `ErrorCode`). Every field is bounded; nothing here touches the store.

use std::collections::HashMap;

use axum::{
    http::StatusCode,
    response::{IntoResponse, Response},
};
use switchboard_sdk::DeliveryStatus;

use crate::{
    addresses::{check_address, check_provider_id},
    inbound::{InboundMedia, InboundSms},
    text,
};

/// Most media items accepted in one MMS (providers allow ten).
pub const MAX_MEDIA_ITEMS: usize = 10;

/// Longest accepted SMS body, in bytes (ten concatenated UCS-2 parts fit easily).
pub const MAX_BODY_BYTES: usize = 8 * 1024;

/// Longest media URL, in bytes.
pub const MAX_MEDIA_URL_BYTES: usize = 2048;

/// Longest declared media type (`image/jpeg`), in bytes.
pub const MAX_CONTENT_TYPE_BYTES: usize = 128;

/// Longest provider error code (`30003`).
pub const MAX_ERROR_CODE_BYTES: usize = 16;

/// A form refused: the status the provider gets and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormRefusal {
    /// 400 for a malformed form, 413 for a body too long.
    pub status: StatusCode,
    /// One line naming the field and the reason.
    pub reason: String,
}

impl FormRefusal {
    fn bad(reason: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            reason: reason.into(),
        }
    }
}

impl IntoResponse for FormRefusal {
    fn into_response(self) -> Response {
        (self.status, self.reason).into_response()
    }
}

fn field(form: &HashMap<String, String>, name: &str) -> Option<String> {
    form.get(name)
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// An inbound SMS or MMS form as the message to store.
pub fn inbound_sms(form: &HashMap<String, String>) -> Result<InboundSms, FormRefusal> {
    let from = field(form, "From").ok_or_else(|| FormRefusal::bad("missing field From"))?;
    let body = text::clean(form.get("Body").map_or("", String::as_str));
    if body.len() > MAX_BODY_BYTES {
        return Err(FormRefusal {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            reason: format!("Body is longer than {MAX_BODY_BYTES} bytes"),
        });
    }
    let media = media_items(form).map_err(FormRefusal::bad)?;
    if media.is_empty() && text::is_blank(&body) {
        return Err(FormRefusal::bad(
            "an empty message (no text, no media) is not stored",
        ));
    }
    let to = field(form, "To").unwrap_or_default();
    let message_sid = field(form, "MessageSid").or_else(|| field(form, "SmsSid"));
    check_address("From", &from).map_err(FormRefusal::bad)?;
    if !to.is_empty() {
        check_address("To", &to).map_err(FormRefusal::bad)?;
    }
    if let Some(sid) = &message_sid {
        check_provider_id("MessageSid", sid).map_err(FormRefusal::bad)?;
    }
    Ok(InboundSms {
        from,
        to,
        body,
        message_sid,
        name: None,
        case_data: Vec::new(),
        media,
    })
}

/// A delivery-status callback form as the message's provider id and its new status.
pub fn status_report(
    form: &HashMap<String, String>,
) -> Result<(String, DeliveryStatus), FormRefusal> {
    let (Some(sid), Some(status_name)) = (
        field(form, "MessageSid").or_else(|| field(form, "SmsSid")),
        field(form, "MessageStatus").or_else(|| field(form, "SmsStatus")),
    ) else {
        return Err(FormRefusal::bad(
            "missing field MessageSid or MessageStatus",
        ));
    };
    check_provider_id("MessageSid", &sid).map_err(FormRefusal::bad)?;
    let error_code = field(form, "ErrorCode");
    if let Some(code) = &error_code
        && (code.len() > MAX_ERROR_CODE_BYTES || !code.chars().all(|c| c.is_ascii_alphanumeric()))
    {
        return Err(FormRefusal::bad(
            "ErrorCode is not a provider error code (letters and digits, at most 16)",
        ));
    }
    let status = status_from_provider(&status_name, error_code.as_deref()).ok_or_else(|| {
        FormRefusal::bad(format!(
            "unknown MessageStatus {}",
            crate::addresses::truncated(&status_name)
        ))
    })?;
    Ok((sid, status))
}

/// A provider's status name (and error code) as a delivery status; `None` for unknown names.
pub fn status_from_provider(status: &str, error_code: Option<&str>) -> Option<DeliveryStatus> {
    Some(match status.to_ascii_lowercase().as_str() {
        "accepted" | "queued" | "sending" | "scheduled" => DeliveryStatus::Sending,
        "sent" => DeliveryStatus::Sent,
        "delivered" => DeliveryStatus::Delivered,
        "read" => DeliveryStatus::Read,
        "undelivered" | "failed" | "canceled" => DeliveryStatus::Failed {
            reason: match error_code.map(|code| (code, code.parse::<u32>())) {
                Some((_, Ok(number))) => {
                    crate::provider::errors::failure_reason(Some(number), status)
                }
                Some((code, Err(_))) => format!("{status} (error {code})"),
                None => status.to_owned(),
            }
            .into(),
        },
        _ => return None,
    })
}

/// The media items an MMS announces (`NumMedia`, `MediaUrlN`, `MediaContentTypeN`).
fn media_items(form: &HashMap<String, String>) -> Result<Vec<InboundMedia>, String> {
    let count = match field(form, "NumMedia") {
        None => 0,
        Some(n) => n.parse::<usize>().map_err(|_| {
            format!(
                "NumMedia is not a number: {}",
                crate::addresses::truncated(&n)
            )
        })?,
    };
    if count > MAX_MEDIA_ITEMS {
        return Err(format!(
            "NumMedia is {count}; at most {MAX_MEDIA_ITEMS} items are accepted"
        ));
    }
    (0..count)
        .map(|i| {
            let url = field(form, &format!("MediaUrl{i}"))
                .ok_or_else(|| format!("missing field MediaUrl{i}"))?;
            if url.len() > MAX_MEDIA_URL_BYTES {
                return Err(format!(
                    "MediaUrl{i} is longer than {MAX_MEDIA_URL_BYTES} bytes"
                ));
            }
            let content_type = field(form, &format!("MediaContentType{i}")).unwrap_or_default();
            if content_type.len() > MAX_CONTENT_TYPE_BYTES
                || content_type.chars().any(|c| c.is_control())
            {
                return Err(format!("MediaContentType{i} is not a media type"));
            }
            Ok(InboundMedia { url, content_type })
        })
        .collect()
}

#[cfg(test)]
mod tests;
