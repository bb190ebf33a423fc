//! The plain-Rust host layer (`Services`) over the host double: the same calls as the ABI
//! host, with `&str` in and `Result` out, so `?` works and refusals keep their kind.

use switchboard_sdk::{HostError, HostErrorKind, Manifest, Services, Target, services};
use switchboard_sdk_testing::TestHost;

fn granted(services_asked: &[&str]) -> (TestHost, Services) {
    let double = TestHost::new();
    let mut manifest = Manifest::new("plain", "Plain", "0.1.0").media_type("sms");
    for service in services_asked {
        manifest = manifest.service(service);
    }
    double.grant_manifest_services(&manifest);
    let host = Services::new(double.host_box());
    (double, host)
}

/// What a plugin writes with `?`: send, then read the transcript back.
fn reply_and_count(host: &Services, interaction: &str) -> Result<usize, HostError> {
    host.send_message(interaction, "Bonjour", &["Bon".into(), "jour".into()])?;
    Ok(host.transcript(interaction)?.len())
}

#[test]
fn calls_take_str_and_give_result_with_the_hosts_refusals() {
    let (double, host) = granted(&[services::MESSAGES_SEND, services::MESSAGES_STORE]);
    double.open_interaction("SMS-1");
    double.store_inbound("SMS-1", "+33612345678", "Salut");

    assert_eq!(reply_and_count(&host, "SMS-1").expect("sent and read"), 2);
    let sent = double.sent();
    assert_eq!(sent[0].text.as_str(), "Bonjour");
    let parts: Vec<&str> = sent[0].parts.iter().map(|p| p.as_str()).collect();
    assert_eq!(parts, ["Bon", "jour"]);

    let unknown = reply_and_count(&host, "SMS-9").expect_err("unknown interaction");
    assert_eq!(unknown.kind(), Some(HostErrorKind::NotFound));
    let empty = host
        .send_message("SMS-1", "   ", &[])
        .expect_err("empty text");
    assert_eq!(empty.kind(), Some(HostErrorKind::Invalid));
    let undeclared = host.note("SMS-1").expect_err("notes not in the manifest");
    assert_eq!(undeclared.kind(), Some(HostErrorKind::Denied));
    let transfer = host
        .transfer(
            "SMS-1",
            &Target {
                kind: "agent".into(),
                id: "marc".into(),
                name: "Marc".into(),
            },
        )
        .expect_err("transfer not in the manifest");
    assert_eq!(transfer.kind(), Some(HostErrorKind::Denied));
}

#[test]
fn settings_case_data_and_language_come_back_as_plain_values() {
    let (double, host) = granted(&[services::CASE_DATA]);
    double.open_interaction("SMS-1");
    double.set_case_data("SMS-1", &[("language", "fr"), ("order", "4471")]);
    assert_eq!(
        host.case_data("SMS-1").expect("case data"),
        vec![
            ("language".to_owned(), "fr".to_owned()),
            ("order".to_owned(), "4471".to_owned())
        ]
    );
    double.set_setting("session-inactivity-seconds", "120");
    assert_eq!(host.setting_or("session-inactivity-seconds", 900_i64), 120);
    assert_eq!(host.setting_or("no-such-setting", 900_i64), 900);
    double.set_setting("session-inactivity-seconds", "soon");
    assert_eq!(host.setting_or("session-inactivity-seconds", 900_i64), 900);
    double.set_language("fr");
    assert_eq!(host.language(), "fr");
}
