//! Golden snapshots of the cluster's wire, version 2: every request, reply, event and
//! presence change as a desktop or a gateway of this version sends it
//! (`golden/wire-v2.json`). Each is read by today's types and written back the same, so a
//! change that would stop an older desktop or gateway from understanding this one fails here
//! and needs a new [`WIRE_VERSION`] (see `wire.rs` for the rule). Every variant has a
//! snapshot: a new one without its snapshot fails too.

use std::collections::BTreeSet;

use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;
use switchboard_platform_cluster::wire::{Reply, Request, WIRE_VERSION, WireEvent, WirePresence};

fn golden() -> Value {
    let text = include_str!("golden/wire-v2.json");
    serde_json::from_str(text).expect("the golden file is JSON")
}

/// Reads each snapshot as `T` and writes it back: the same JSON, or the test fails naming it.
fn round_trip<T: Serialize + DeserializeOwned + std::fmt::Debug>(section: &str) -> Vec<T> {
    let golden = golden();
    let items = golden[section].as_array().expect("a list").clone();
    items
        .into_iter()
        .map(|item| {
            let read: T = serde_json::from_value(item.clone())
                .unwrap_or_else(|e| panic!("{section}: {item} is no longer read: {e}"));
            let written = serde_json::to_value(&read).expect("written");
            assert_eq!(written, item, "{section}: written differently now");
            read
        })
        .collect()
}

#[test]
fn the_golden_file_is_this_versions() {
    assert_eq!(
        WIRE_VERSION, 2,
        "a new wire version needs golden/wire-v{WIRE_VERSION}.json"
    );
}

#[test]
fn every_request_is_read_and_written_as_its_snapshot() {
    let requests: Vec<Request> = round_trip("requests");
    let verbs: BTreeSet<&str> = requests.iter().map(Request::verb).collect();
    let every = [
        "sign_in",
        "sign_out",
        "heartbeat",
        "present",
        "directory",
        "administer",
        "ready",
        "answer",
        "close",
        "send",
        "hand_back",
        "start_conversation",
        "start_outbound",
        "invite",
        "end_conversation",
        "transfer",
        "typing",
        "push_url",
    ];
    assert_eq!(
        verbs,
        every.into_iter().collect(),
        "a request without its snapshot"
    );
    // An exhaustive match: a new request does not compile until it is listed above.
    for request in &requests {
        match request {
            Request::SignIn { .. }
            | Request::SignOut
            | Request::Heartbeat { .. }
            | Request::Present
            | Request::Directory
            | Request::Administer { .. }
            | Request::Ready { .. }
            | Request::Answer { .. }
            | Request::Close { .. }
            | Request::Send { .. }
            | Request::HandBack { .. }
            | Request::StartConversation { .. }
            | Request::StartOutbound { .. }
            | Request::Invite { .. }
            | Request::EndConversation { .. }
            | Request::Transfer { .. }
            | Request::Typing { .. }
            | Request::PushUrl { .. } => {}
        }
    }
    // A password in a request never shows in its Debug.
    assert!(
        requests
            .iter()
            .all(|r| !format!("{r:?}").contains("a-new-password-1"))
    );
}

#[test]
fn every_reply_is_read_and_written_as_its_snapshot() {
    let replies: Vec<Reply> = round_trip("replies");
    let names: BTreeSet<&str> = replies
        .iter()
        .map(|reply| match reply {
            Reply::Done => "done",
            Reply::SignedIn { .. } => "signed_in",
            Reply::Present { .. } => "present",
            Reply::Directory { .. } => "directory",
            Reply::Audit { .. } => "audit",
            Reply::Started { .. } => "started",
            Reply::OfferRefused { .. } => "offer_refused",
            Reply::NotSignedIn { .. } => "not_signed_in",
            Reply::SignInRefused { .. } => "sign_in_refused",
            Reply::Refused { .. } => "refused",
        })
        .collect();
    assert_eq!(names.len(), 10, "a reply without its snapshot: {names:?}");
}

#[test]
fn every_event_is_read_and_written_as_its_snapshot() {
    let events: Vec<WireEvent> = round_trip("events");
    let names: BTreeSet<&str> = events
        .iter()
        .map(|event| match event {
            WireEvent::Offer(_) => "offer",
            WireEvent::OfferWithdrawn { .. } => "offer_withdrawn",
            WireEvent::Inbound { .. } => "inbound",
            WireEvent::TransferAnswered { .. } => "transfer_answered",
            WireEvent::InvitationAnswered { .. } => "invitation_answered",
            WireEvent::OtherSideEnded { .. } => "other_side_ended",
            WireEvent::ContactTyping { .. } => "contact_typing",
            WireEvent::SignedOut { .. } => "signed_out",
            WireEvent::Delivery { .. } => "delivery",
        })
        .collect();
    assert_eq!(names.len(), 9, "an event without its snapshot: {names:?}");
    let presence: Vec<WirePresence> = round_trip("presence");
    assert_eq!(presence.len(), 2);
}

#[test]
fn a_sign_in_without_a_version_is_the_first_version() {
    let old: Request = serde_json::from_value(serde_json::json!({
        "verb": "sign_in", "role": "agent", "display_name": "Ada", "channels": []
    }))
    .expect("read");
    assert!(matches!(
        old,
        Request::SignIn {
            wire_version: 1,
            ..
        }
    ));
}
