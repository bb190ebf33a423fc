//! One contract of host behaviour, run against the host double (this crate's own test) and
//! against the shell's plugin host (the shell's test): what is refused, with which kind, and
//! what is kept. A host that passes it refuses what the other refuses, so a plugin tested
//! against the double meets no surprise in the shell.

use switchboard_sdk::{
    HostBox, HostErrorKind, Manifest, Outbound, Role, Timestamp,
    abi_stable::std_types::{RResult, RVec},
    i18n::Words,
    permissions, services,
};

/// A host to hold to the contract: how to make one, and how to hand it interactions.
pub trait HostUnderContract {
    /// The host object of a plugin with `manifest`: its services granted, no permission, and
    /// `disposition_code` the only code of the disposition tree.
    fn host_for(&mut self, manifest: &Manifest, disposition_code: &str) -> HostBox;

    /// An interaction of the manifest's first media type, open on the agent's desk; its id.
    fn open_interaction(&mut self) -> String;

    /// The agent marks it done: it is closed.
    fn close_interaction(&mut self, id: &str);
}

/// The manifest the contract's plugin declares: media type `sms`; sending, storing, notes,
/// dispositions and timers; no case data, no permission.
pub fn contract_manifest() -> Manifest {
    Manifest::new("contract-plugin", "Contract", "1.0.0")
        .media_type("sms")
        .service(services::MESSAGES_SEND)
        .service(services::MESSAGES_STORE)
        .service(services::NOTES)
        .service(services::DISPOSITIONS)
        .service(services::TIMERS)
}

const CODE: &str = "contract-resolved";

/// Every way the host breaks the contract, one line each; empty when it keeps it.
pub fn host_contract_failures(under: &mut dyn HostUnderContract) -> Vec<String> {
    let host = under.host_for(&contract_manifest(), CODE);
    let mut failures = Failures(Vec::new());
    let send = |id: &str, text: &str| {
        host.send_message(Outbound {
            interaction: id.into(),
            text: text.into(),
            parts: RVec::new(),
        })
        .map(|_| ())
    };
    let unknown = "no-such-interaction";

    // Unknown interactions: not found, for reading and for changing.
    failures.expect(
        "sending in an unknown interaction",
        send(unknown, "Hi"),
        Some(HostErrorKind::NotFound),
    );
    failures.expect(
        "a system line in an unknown interaction",
        host.store_system_line(unknown.into(), "x".into()),
        Some(HostErrorKind::NotFound),
    );
    failures.expect(
        "reading the note of an unknown interaction",
        host.note(unknown.into()).map(|_| ()),
        Some(HostErrorKind::NotFound),
    );

    // An open interaction: what is allowed works, bad input is invalid, and nothing is kept.
    let id = under.open_interaction();
    let before = host.transcript(id.as_str().into()).map(|t| t.len());
    failures.expect(
        "an empty message",
        send(&id, " \n "),
        Some(HostErrorKind::Invalid),
    );
    let after = host.transcript(id.as_str().into()).map(|t| t.len());
    if before != after {
        failures.0.push(format!(
            "an empty message was stored: {before:?} entries, then {after:?}"
        ));
    }
    match host.send_message(Outbound {
        interaction: id.as_str().into(),
        text: "Your parcel left today.".into(),
        parts: RVec::new(),
    }) {
        RResult::ROk(entry) => {
            if entry.role() != Some(Role::Agent) || entry.text != "Your parcel left today." {
                failures
                    .0
                    .push(format!("a sent message was stored as {entry:?}"));
            }
        }
        RResult::RErr(e) => failures
            .0
            .push(format!("sending in an open interaction: {e}")),
    }
    failures.expect(
        "setting a note",
        host.set_note(id.as_str().into(), "Called back".into()),
        None,
    );
    match host.note(id.as_str().into()) {
        RResult::ROk(note) if note == "Called back" => {}
        other => failures.0.push(format!("the note read back as {other:?}")),
    }
    failures.expect(
        "a disposition code not in the tree",
        host.set_disposition(id.as_str().into(), "no-such-code".into()),
        Some(HostErrorKind::Invalid),
    );
    failures.expect(
        "a disposition code of the tree",
        host.set_disposition(id.as_str().into(), CODE.into()),
        None,
    );
    failures.expect(
        "a service the manifest does not declare (case data)",
        host.case_data(id.as_str().into()).map(|_| ()),
        Some(HostErrorKind::Denied),
    );
    failures.expect(
        "a permission nobody granted",
        host.check_permission(permissions::PUSH_URL.into()),
        Some(HostErrorKind::Denied),
    );
    failures.expect(
        "a timer",
        host.set_timer(id.as_str().into(), "t".into(), Timestamp(i64::MAX / 2)),
        None,
    );
    failures.expect(
        "cancelling a timer never set",
        host.cancel_timer(id.as_str().into(), "never".into()),
        None,
    );
    let language = host.language();
    if !switchboard_sdk::i18n::LANGUAGES.contains(&language.as_str()) {
        failures.0.push(format!("the language is {language}"));
    }
    let words = Words::from_sources(&[("en", "line = Called { $name }.\n")], &language);
    match host.store_translated_line(id.as_str().into(), words.line("line", &[("name", "Ada")])) {
        RResult::ROk(entry)
            if entry.role() == Some(Role::System) && entry.text == "Called Ada." => {}
        other => failures
            .0
            .push(format!("a translated line came back as {other:?}")),
    }

    // Closed: it can be read, not changed.
    under.close_interaction(&id);
    failures.expect(
        "sending in a closed interaction",
        send(&id, "Hi again"),
        Some(HostErrorKind::Invalid),
    );
    failures.expect(
        "a system line in a closed interaction",
        host.store_system_line(id.as_str().into(), "x".into()),
        Some(HostErrorKind::Invalid),
    );
    failures.expect(
        "a note on a closed interaction",
        host.set_note(id.as_str().into(), "late".into()),
        Some(HostErrorKind::Invalid),
    );
    failures.expect(
        "reading the note of a closed interaction",
        host.note(id.as_str().into()).map(|_| ()),
        None,
    );
    failures.0
}

/// The contract's verdicts so far.
struct Failures(Vec<String>);

impl Failures {
    /// Records a failure when the call's outcome is not the one the contract wants (`None`:
    /// success; else the refusal's kind).
    fn expect<T>(
        &mut self,
        what: &str,
        got: RResult<T, switchboard_sdk::HostError>,
        want: Option<HostErrorKind>,
    ) {
        let got = match got {
            RResult::ROk(_) => None,
            RResult::RErr(e) => Some(e.kind()),
        };
        let want_got = want.map(Some);
        if got != want_got {
            self.0
                .push(format!("{what}: expected {want:?}, got {got:?}"));
        }
    }
}

/// Fails naming every way the host breaks the contract.
///
/// # Panics
/// When the host breaks it.
pub fn assert_host_contract(under: &mut dyn HostUnderContract) {
    let failures = host_contract_failures(under);
    assert!(
        failures.is_empty(),
        "host contract broken:\n{}",
        failures.join("\n")
    );
}
