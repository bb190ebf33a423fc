use super::*;

fn form(fields: &[(&str, &str)]) -> HashMap<String, String> {
    fields
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn provider_statuses_map_to_delivery_statuses() {
    assert_eq!(
        status_from_provider("delivered", None),
        Some(DeliveryStatus::Delivered)
    );
    assert_eq!(
        status_from_provider("sent", None),
        Some(DeliveryStatus::Sent)
    );
    assert_eq!(
        status_from_provider("undelivered", Some("30003")),
        Some(DeliveryStatus::Failed {
            reason: "the phone is unreachable (off or out of coverage) (error 30003)".into()
        })
    );
    assert_eq!(
        status_from_provider("failed", Some("12345")),
        Some(DeliveryStatus::Failed {
            reason: "failed (error 12345)".into()
        })
    );
    assert_eq!(status_from_provider("exploded", None), None);
}

#[test]
fn media_fields_are_read_in_order_and_bounded() {
    let two = form(&[
        ("NumMedia", "2"),
        ("MediaUrl0", "file:///a.jpg"),
        ("MediaContentType0", "image/jpeg"),
        ("MediaUrl1", "http://127.0.0.1:1/b"),
        ("MediaContentType1", "image/png"),
    ]);
    let media = media_items(&two).expect("valid");
    assert_eq!(media.len(), 2);
    assert_eq!(media[1].content_type, "image/png");
    let mut too_many = two.clone();
    too_many.insert("NumMedia".into(), "11".into());
    assert!(media_items(&too_many).is_err());
    let mut missing = two.clone();
    missing.insert("NumMedia".into(), "3".into());
    assert_eq!(
        media_items(&missing),
        Err("missing field MediaUrl2".to_owned())
    );
    let mut long_url = two.clone();
    long_url.insert(
        "MediaUrl1".into(),
        format!("http://127.0.0.1/{}", "a".repeat(3000)),
    );
    assert!(media_items(&long_url).is_err());
    let mut long_type = two;
    long_type.insert("MediaContentType0".into(), "image/".repeat(40));
    assert!(media_items(&long_type).is_err());
}

#[test]
fn a_status_callback_names_a_known_status_and_a_short_error_code() {
    let ok = form(&[
        ("MessageSid", "SM1"),
        ("MessageStatus", "undelivered"),
        ("ErrorCode", "30003"),
    ]);
    assert!(status_report(&ok).is_ok());
    let mut long_code = ok.clone();
    long_code.insert("ErrorCode".into(), "3".repeat(40));
    assert_eq!(
        status_report(&long_code).map_err(|r| r.status),
        Err(StatusCode::BAD_REQUEST)
    );
    let mut unknown = ok;
    unknown.insert("MessageStatus".into(), "x".repeat(10_000));
    let refusal = status_report(&unknown).expect_err("unknown status");
    assert!(
        refusal.reason.len() < 100,
        "the reason is bounded: {}",
        refusal.reason.len()
    );
}
