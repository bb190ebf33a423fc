//! Instant messages and consultations between two desktops on one gateway, through a real
//! NATS server this test starts and the machine's PostgreSQL: an invitation is offered to the
//! colleague alone with its first message and case data; accepted, each side's messages reach
//! the other (stored on both sides); ending is told to the other side; a refusal and a lapse
//! are told to the inviting agent.

use std::time::Duration;

use switchboard_platform_cluster::nats_server::NatsServer;
use switchboard_sdk::{DeliveryStatus, InvitationOutcome, KeyValue, Role, Target};
use switchboard_seam::{
    backend::{Backend, BackendEvent, InviteRequest, NewConversation, OutboundMessage},
    clock::{Clock, SystemClock},
    records::{InteractionRecords, NewMessage},
};
use switchboard_store_postgres::PgStore;

mod common;

use common::{Desktop, database, scratch_schema};

const WITHIN: Duration = Duration::from_secs(5);

fn colleague(id: &str) -> Target {
    Target {
        kind: "agent".into(),
        id: id.into(),
        name: id.into(),
    }
}

fn invitation_outcome(desktop: &Desktop, interaction: &str) -> InvitationOutcome {
    desktop
        .wait_for(WITHIN, |event| match event {
            BackendEvent::InvitationAnswered {
                interaction: about,
                outcome,
                ..
            } if about == interaction => Some(outcome),
            _ => None,
        })
        .expect("the invitation's outcome")
}

fn inbound(desktop: &Desktop, interaction: &str) -> String {
    desktop
        .wait_for(WITHIN, |event| match event {
            BackendEvent::Inbound {
                interaction: about,
                entry,
            } if about == interaction => Some(entry.text.to_string()),
            _ => None,
        })
        .expect("a message")
}

/// Starts `from`'s side of a conversation with `to` and invites them; returns the side's id.
fn invite(
    desktop: &Desktop,
    from: &str,
    to: &str,
    purpose: &str,
    first: &str,
    case: &[(&str, &str)],
) -> String {
    let id = desktop
        .backend
        .start_conversation(NewConversation {
            agent: from.into(),
            target: colleague(to),
            media_type: "im".into(),
            consulting: None,
            case_data: Vec::new(),
        })
        .expect("started");
    desktop
        .backend
        .invite(InviteRequest {
            interaction: id.clone(),
            from_agent: from.into(),
            target: colleague(to),
            purpose: purpose.into(),
            timeout_seconds: 30,
            first_message: first.into(),
            case_data: case
                .iter()
                .map(|(k, v)| KeyValue {
                    key: (*k).into(),
                    value: (*v).into(),
                })
                .collect(),
        })
        .expect("invited");
    id
}

/// `agent` writes `text` in their side `id`, as the desk does: stored, then sent.
fn write(desktop: &Desktop, agent: &str, id: &str, text: &str) -> i64 {
    let entry = desktop
        .backend
        .records()
        .insert_message(
            &NewMessage {
                interaction: id.into(),
                role: Role::Agent,
                author: agent.into(),
                author_key: "agent".into(),
                time: SystemClock.now(),
                body: text.into(),
                status: DeliveryStatus::Sending,
                provider_id: None,
                parts: 1,
            },
            &[],
        )
        .expect("stored")
        .expect("new");
    desktop
        .backend
        .send(OutboundMessage {
            message_id: entry.id,
            interaction: id.into(),
            to: String::new(),
            from: String::new(),
            author: agent.into(),
            text: text.into(),
            parts: vec![text.into()],
        })
        .expect("sent");
    entry.id
}

#[test]
fn two_agents_talk_consult_refuse_and_let_an_invitation_lapse() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = NatsServer::start(dir.path().to_path_buf()).expect("nats-server");
    let schema = scratch_schema("internal");
    let store = PgStore::connect(&database(), &schema).expect("store");
    let prefix = format!("im{}", std::process::id());
    let gateway = common::gateway(&server, &prefix, store, &["ada", "marc"]);
    let ada = Desktop::sign_in_on(&server.url(), &prefix, "ada", &[("internal-im", "im", 30)]);
    let marc = Desktop::sign_in_on(&server.url(), &prefix, "marc", &[("internal-im", "im", 1)]);

    // A consultation: marc alone is offered it, with the first message and the case.
    let ada_side = invite(
        &ada,
        "ada",
        "marc",
        "consult",
        "Tu peux regarder ce client ?",
        &[("order", "A-1042")],
    );
    let offered = marc.next_offer(WITHIN).expect("an offer");
    let marc_side = offered.interaction.id.clone();
    assert_ne!(marc_side, ada_side);
    assert_eq!(offered.interaction.contact_name, "ada");
    assert_eq!(
        offered
            .first_message
            .map(|m| (m.text.to_string(), m.role())),
        Some((
            "Tu peux regarder ce client ?".to_owned(),
            Some(Role::OtherAgent)
        ))
    );
    assert!(
        offered
            .case_data
            .iter()
            .any(|kv| kv.key.as_str() == "order" && kv.value.as_str() == "A-1042")
    );
    marc.backend
        .answer_offer("marc", &offered.offer_id, true)
        .expect("accepted");
    assert_eq!(
        invitation_outcome(&ada, &ada_side),
        InvitationOutcome::Accepted
    );

    // Each side's messages reach the other, delivered, and are stored on both sides.
    let sent = write(&ada, "ada", &ada_side, "Commande A-1042, livrée ?");
    assert_eq!(inbound(&marc, &marc_side), "Commande A-1042, livrée ?");
    let delivered = ada.wait_for(WITHIN, |event| match event {
        BackendEvent::Delivery {
            message_id, status, ..
        } if message_id == sent => Some(status),
        _ => None,
    });
    assert_eq!(delivered, Some(DeliveryStatus::Delivered));
    write(&marc, "marc", &marc_side, "Oui, hier à 14 h.");
    assert_eq!(inbound(&ada, &ada_side), "Oui, hier à 14 h.");
    let texts = |id: &str| -> Vec<String> {
        gateway
            .store()
            .transcript(id)
            .expect("transcript")
            .iter()
            .map(|e| e.text.to_string())
            .collect()
    };
    assert_eq!(
        texts(&ada_side),
        ["Commande A-1042, livrée ?", "Oui, hier à 14 h."]
    );
    assert_eq!(
        texts(&marc_side),
        [
            "Tu peux regarder ce client ?",
            "Commande A-1042, livrée ?",
            "Oui, hier à 14 h."
        ]
    );

    // marc ends: ada is told.
    marc.backend
        .end_conversation(&marc_side, "marc")
        .expect("ended");
    let by = ada.wait_for(WITHIN, |event| match event {
        BackendEvent::OtherSideEnded { interaction, by } if interaction == ada_side => Some(by),
        _ => None,
    });
    assert_eq!(by.as_deref(), Some("marc"));

    // marc refuses the next; the one after lapses (his invitations wait 1 s).
    let refused = invite(&ada, "ada", "marc", "im", "Pause café ?", &[]);
    let offered = marc.next_offer(WITHIN).expect("an offer");
    marc.backend
        .answer_offer("marc", &offered.offer_id, false)
        .expect("refused");
    assert!(matches!(
        invitation_outcome(&ada, &refused),
        InvitationOutcome::Rejected { .. }
    ));
    let lapsed = invite(&ada, "ada", "marc", "im", "Tu es là ?", &[]);
    let _ = marc.next_offer(WITHIN).expect("an offer");
    assert_eq!(
        invitation_outcome(&ada, &lapsed),
        InvitationOutcome::TimedOut
    );

    // An invitation to a queue reaches whoever is Ready for it (never ada herself), and ada is
    // told who answered.
    let queue = Target {
        kind: "queue".into(),
        id: "support".into(),
        name: "Support".into(),
    };
    let to_queue = ada
        .backend
        .start_conversation(NewConversation {
            agent: "ada".into(),
            target: queue.clone(),
            media_type: "im".into(),
            consulting: None,
            case_data: Vec::new(),
        })
        .expect("started");
    let ask = |desktop: &Desktop, id: &str| {
        desktop.backend.invite(InviteRequest {
            interaction: id.into(),
            from_agent: "ada".into(),
            target: queue.clone(),
            purpose: "im".into(),
            timeout_seconds: 30,
            first_message: "Quelqu'un parle italien ?".into(),
            case_data: Vec::new(),
        })
    };
    ask(&ada, &to_queue).expect("invited");
    let offered = marc.next_offer(WITHIN).expect("an offer");
    marc.backend
        .answer_offer("marc", &offered.offer_id, true)
        .expect("accepted");
    let answered = ada
        .wait_for(WITHIN, |event| match event {
            BackendEvent::InvitationAnswered {
                interaction,
                target,
                outcome,
                ..
            } if interaction == to_queue => Some((target.id.to_string(), outcome)),
            _ => None,
        })
        .expect("told");
    assert_eq!(answered, ("marc".to_owned(), InvitationOutcome::Accepted));
    // Nobody else Ready: refused at once, with the reason.
    marc.backend
        .set_ready("marc", &["im".to_owned()], false)
        .expect("not ready");
    assert!(
        ask(&ada, &to_queue).is_err(),
        "nobody in Support is available now"
    );

    drop((ada, marc, gateway));
    PgStore::connect(&database(), &schema)
        .expect("store")
        .drop_schema()
        .expect("dropped");
}
