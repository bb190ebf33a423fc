//! The parity suite: each scenario is written once against a [`Floor`] (an agent's real desk
//! and channel plugins) and run on both platforms: `embedded::…` in process, `cluster::…`
//! through a real NATS server and a gateway over PostgreSQL that decides the agent's role from
//! the same configuration. A feature that works on one platform only fails here.

use switchboard_core::desk::{Looked, Outbound};
use switchboard_sdk::Role;
use switchboard_tests::parity::{
    CHANNELS, ClusterFloor, EmbeddedFloor, Floor, MAIN_NUMBER, SESSION_NUMBER, config, libraries,
};

/// Runs each scenario on both platforms, as `embedded::<scenario>` and `cluster::<scenario>`.
macro_rules! on_both_platforms {
    ($($scenario:ident),* $(,)?) => {
        mod embedded {
            use super::*;
            $(
                #[test]
                fn $scenario() {
                    super::$scenario(&mut EmbeddedFloor::start(config(), &libraries(), CHANNELS));
                }
            )*
        }
        mod cluster {
            use super::*;
            $(
                #[test]
                fn $scenario() {
                    super::$scenario(&mut ClusterFloor::start(config(), &libraries(), CHANNELS));
                }
            )*
        }
    };
}

on_both_platforms!(
    a_page_mode_sms_is_answered_and_closed_by_the_reply,
    a_session_grows_and_closes_once_disposed,
    a_whatsapp_customer_is_answered_on_whatsapp,
    an_earlier_conversation_is_found_in_history,
    an_edited_contact_is_kept_by_the_platform,
    an_interaction_is_assigned_to_a_known_contact,
    an_sms_conversation_is_started_with_a_known_contact,
    a_callback_is_kept_for_the_agent,
    a_web_chat_goes_both_ways_and_ends_when_the_customer_leaves,
    a_finished_chat_is_continued_while_the_page_is_open,
    a_transfer_a_colleague_accepts_hands_the_session_over,
    a_refused_transfer_leaves_the_session_with_the_agent,
    a_consultation_opens_inside_the_session_filed_under_the_customer,
    an_mms_through_the_webhook_shows_its_picture_and_refuses_a_corrupt_one,
);

const CUSTOMER: &str = "+447700900123";
const OTHER_CUSTOMER: &str = "+447700900456";

fn a_page_mode_sms_is_answered_and_closed_by_the_reply(floor: &mut impl Floor) {
    floor.customer_writes(CUSTOMER, MAIN_NUMBER, "Où est ma commande 48213 ?");
    let id = floor.accept_offer_of("Où est ma commande 48213 ?");
    assert_eq!(floor.texts(&id), ["Où est ma commande 48213 ?"]);
    floor.agent_sends(&id, "Elle part demain.");
    floor.until("the page-mode interaction closed by its reply", |desk| {
        desk.interaction(&id).is_none()
    });
    let transcript = floor.records().transcript(&id).expect("read");
    assert!(
        transcript
            .iter()
            .any(|e| e.text.as_str() == "Elle part demain." && e.role() == Some(Role::Agent)),
        "the reply is in the platform's records: {transcript:?}"
    );
    let row = floor.row(&id);
    assert!(row.done, "closed in the records");
}

fn a_session_grows_and_closes_once_disposed(floor: &mut impl Floor) {
    floor.customer_writes(CUSTOMER, SESSION_NUMBER, "Bonjour");
    let id = floor.accept_offer_of("Bonjour");
    floor.customer_writes(CUSTOMER, SESSION_NUMBER, "Ma facture est fausse");
    floor.until("the second message in the open session", |desk| {
        desk.interaction(&id)
            .is_some_and(|open| open.transcript.len() == 2)
    });
    floor.agent_sends(&id, "Je la corrige.");
    floor.until("the reply shown in the session", |desk| {
        desk.interaction(&id).is_some_and(|open| {
            open.transcript
                .iter()
                .any(|e| e.text.as_str() == "Je la corrige." && e.role() == Some(Role::Agent))
        })
    });

    // Done needs a disposition on session mode: refused, and still open.
    assert!(floor.desk_mut().mark_done(&id).is_err());
    assert!(floor.desk().interaction(&id).is_some());
    floor
        .desk_mut()
        .interaction_mut(&id)
        .expect("open")
        .note_draft = "Facture refaite".into();
    floor.desk_mut().save_note(&id).expect("note");
    floor
        .desk_mut()
        .set_disposition(&id, "follow-escalated")
        .expect("disposition");
    floor.desk_mut().settle();
    floor.desk_mut().mark_done(&id).expect("done once disposed");
    floor.until("the disposed session closed", |desk| {
        desk.interaction(&id).is_none()
    });
    let records = floor.records();
    assert_eq!(
        records.note(&id).expect("read").as_deref(),
        Some("Facture refaite")
    );
    assert_eq!(
        records.disposition(&id).expect("read").as_deref(),
        Some("follow-escalated")
    );
    assert!(records.interaction(&id).expect("read").expect("kept").done);
}

fn a_whatsapp_customer_is_answered_on_whatsapp(floor: &mut impl Floor) {
    let customer = "whatsapp:+447700900123";
    floor.customer_writes(customer, "whatsapp:+15550100", "Hello from WhatsApp");
    let id = floor.accept_offer_of("Hello from WhatsApp");
    let row = floor.row(&id);
    assert_eq!(row.media_type, "whatsapp", "not an SMS");
    floor.customer_writes(customer, "whatsapp:+15550100", "Are you there?");
    floor.until("the next message in the same conversation", |desk| {
        desk.interaction(&id)
            .is_some_and(|open| open.transcript.len() == 2)
    });
    floor.agent_sends(&id, "Yes, how can I help?");
    floor.until_line(&id, "Yes, how can I help?");
}

fn an_earlier_conversation_is_found_in_history(floor: &mut impl Floor) {
    floor.customer_writes(CUSTOMER, MAIN_NUMBER, "Colis 77120 abîmé");
    let first = floor.accept_offer_of("Colis 77120 abîmé");
    floor.agent_sends(&first, "Nous le remplaçons.");
    floor.until("the first closed", |desk| {
        desk.interaction(&first).is_none()
    });

    floor.customer_writes(CUSTOMER, MAIN_NUMBER, "Merci, reçu");
    let second = floor.accept_offer_of("Merci, reçu");
    let contact = floor.contact_of(&second).id;
    let mut found = Vec::new();
    floor.until("the History search answered", |desk| {
        match desk.history(contact, "remplaçons") {
            Looked::Ready(items) => {
                found = items.iter().map(|i| i.interaction.clone()).collect();
                true
            }
            Looked::Pending => false,
            Looked::Failed(reason) => panic!("History refused: {reason}"),
        }
    });
    assert_eq!(found, [first], "found by a word of the agent's reply");
}

fn an_edited_contact_is_kept_by_the_platform(floor: &mut impl Floor) {
    floor.customer_writes(CUSTOMER, MAIN_NUMBER, "Je change d'adresse");
    let id = floor.accept_offer_of("Je change d'adresse");
    let mut record = floor.contact_of(&id);
    record.first_name = "Camille".into();
    record.last_name = "Martin".into();
    floor
        .desk_mut()
        .update_contact(&id, record.clone())
        .expect("handed over");
    floor.until("the edit shown once saved", |desk| {
        desk.interaction(&id)
            .and_then(|open| open.contact.as_ref())
            .is_some_and(|c| c.first_name == "Camille")
    });
    let kept = floor
        .records()
        .contact(record.id)
        .expect("read")
        .expect("kept");
    assert_eq!(
        (
            kept.first_name.as_str(),
            kept.last_name.as_str(),
            kept.known
        ),
        ("Camille", "Martin", true)
    );
}

fn an_interaction_is_assigned_to_a_known_contact(floor: &mut impl Floor) {
    floor.customer_writes(CUSTOMER, MAIN_NUMBER, "Première demande");
    let first = floor.accept_offer_of("Première demande");
    let known = floor.contact_of(&first);
    floor.customer_writes(OTHER_CUSTOMER, MAIN_NUMBER, "C'est moi, autre téléphone");
    let second = floor.accept_offer_of("C'est moi, autre téléphone");
    floor
        .desk_mut()
        .assign_contact(&second, known.id)
        .expect("assigned");
    floor.until("the second interaction shows the known contact", |desk| {
        desk.interaction(&second)
            .and_then(|open| open.contact.as_ref())
            .is_some_and(|c| c.id == known.id)
    });
    let kept = floor
        .records()
        .contact_of_interaction(&second)
        .expect("read")
        .expect("a contact");
    assert_eq!(kept.id, known.id, "the platform's records say so too");
}

fn an_sms_conversation_is_started_with_a_known_contact(floor: &mut impl Floor) {
    // A customer who wrote once, closed; Ada writes to them again from the Communication view.
    floor.customer_writes(CUSTOMER, MAIN_NUMBER, "Rappelez-moi par SMS");
    let first = floor.accept_offer_of("Rappelez-moi par SMS");
    let contact = floor.contact_of(&first);
    floor.agent_sends(&first, "Entendu.");
    floor.until("the first closed", |desk| {
        desk.interaction(&first).is_none()
    });

    assert!(floor.desk().may_start_sms(), "the role grants outbound SMS");
    let started = floor
        .desk_mut()
        .start_outbound(
            contact.id,
            Outbound::Sms {
                number: CUSTOMER.into(),
            },
        )
        .expect("started");
    floor.until("the new conversation open", |desk| {
        desk.interaction(&started).is_some()
    });
    floor.agent_sends(&started, "Votre commande est arrivée.");
    floor.until_line(&started, "Votre commande est arrivée.");
    let row = floor.row(&started);
    assert_eq!(row.agent_id.as_deref(), Some("ada"));
    assert_eq!(
        floor
            .records()
            .contact_of_interaction(&started)
            .expect("read")
            .map(|c| c.id),
        Some(contact.id),
        "the conversation is the known contact's"
    );

    // The customer answers: it joins the conversation Ada started (session mode).
    floor.customer_writes(CUSTOMER, SESSION_NUMBER, "Super, merci !");
    floor.until_line(&started, "Super, merci !");
}

fn a_callback_is_kept_for_the_agent(floor: &mut impl Floor) {
    floor.customer_writes(CUSTOMER, MAIN_NUMBER, "Appelez-moi demain");
    let id = floor.accept_offer_of("Appelez-moi demain");
    let due = switchboard_sdk::Timestamp(floor.desk().now().0 + 86_400_000);
    let callback = floor
        .desk_mut()
        .schedule_callback(&id, CUSTOMER, due, "Confirmer la livraison")
        .expect("scheduled");
    assert!(
        floor.desk().callbacks().iter().any(|c| c.id == callback),
        "listed on the desk"
    );
    let kept = floor.records().callbacks_of("ada").expect("read");
    assert_eq!(
        kept.iter()
            .map(|c| (c.id, c.due, c.note.as_str(), c.interaction.as_deref()))
            .collect::<Vec<_>>(),
        [(callback, due, "Confirmer la livraison", Some(id.as_str()))],
        "kept by the platform for Ada"
    );
}

fn a_web_chat_goes_both_ways_and_ends_when_the_customer_leaves(floor: &mut impl Floor) {
    let mut page = floor.customer_opens_chat("Jordan Lee");
    floor.customer_chats(&page, "Où en est ma commande 48213 ?");
    let id = floor.accept_offer_of("Où en est ma commande 48213 ?");
    let row = floor.row(&id);
    assert_eq!(row.media_type, "chat");
    floor.customer_chats(&page, "Elle devait arriver hier");
    floor.until("the customer's second line on the desk", |desk| {
        desk.interaction(&id)
            .is_some_and(|open| open.transcript.len() == 2)
    });

    floor.agent_sends(&id, "Elle est partie ce matin.");
    let message = floor.until_page(&mut page, "the agent's message", |f| f["type"] == "message");
    assert_eq!(
        (message["author"].as_str(), message["text"].as_str()),
        (Some("Ada"), Some("Elle est partie ce matin.")),
        "under the agent's nickname"
    );
    floor.until("the agent's message shown delivered", |desk| {
        desk.interaction(&id).is_some_and(|open| {
            open.transcript.iter().any(|e| {
                e.text.as_str() == "Elle est partie ce matin."
                    && e.status.as_enum().ok() == Some(&switchboard_sdk::DeliveryStatus::Delivered)
            })
        })
    });

    floor
        .desk_mut()
        .push_url(&id, "https://shop.example/track/48213")
        .expect("pushed");
    let link = floor.until_page(&mut page, "the pushed link", |f| f["type"] == "link");
    assert_eq!(link["url"], "https://shop.example/track/48213");

    floor.customer_ends_chat(&page);
    floor.until("the customer's leaving told on the desk", |desk| {
        desk.interaction(&id).is_some_and(|open| {
            open.transcript
                .last()
                .is_some_and(|e| e.text.as_str() == "Jordan Lee left the chat.")
        })
    });
}

fn a_finished_chat_is_continued_while_the_page_is_open(floor: &mut impl Floor) {
    let mut page = floor.customer_opens_chat("Jordan Lee");
    floor.customer_chats(&page, "Je vérifie et je reviens");
    let first = floor.accept_offer_of("Je vérifie et je reviens");
    let contact = floor.contact_of(&first).id;
    floor.desk_mut().mark_done(&first).expect("done");
    floor.until("the first chat closed", |desk| {
        desk.interaction(&first).is_none()
    });

    // From the Communication view, Ada writes to the visitor again: same page, new conversation.
    let started = floor
        .desk_mut()
        .start_outbound(contact, Outbound::Chat)
        .expect("continued");
    assert_ne!(started, first, "a conversation of its own");
    floor.until("the continued chat open", |desk| {
        desk.interaction(&started).is_some()
    });
    page.take();
    floor.agent_sends(&started, "Votre colis est arrivé.");
    let message = floor.until_page(&mut page, "the agent's message", |f| f["type"] == "message");
    assert_eq!(message["text"], "Votre colis est arrivé.");
    floor.customer_chats(&page, "Merci !");
    floor.until_line(&started, "Merci !");
    assert_eq!(
        floor
            .records()
            .contact_of_interaction(&started)
            .expect("read")
            .map(|c| c.id),
        Some(contact),
        "the same visitor"
    );
}

/// A customer's session (opened by `text`) Ada accepted and asked to transfer to `colleague`.
fn session_transferred_to(floor: &mut impl Floor, colleague: &str, text: &str) -> String {
    floor.customer_writes(CUSTOMER, SESSION_NUMBER, text);
    let id = floor.accept_offer_of(text);
    floor.desk_mut().action(&id, "transfer").expect("transfer");
    let target = floor.colleague(colleague);
    floor
        .desk_mut()
        .choose_target(&id, &target)
        .expect("chosen");
    id
}

fn a_transfer_a_colleague_accepts_hands_the_session_over(floor: &mut impl Floor) {
    floor.colleague_answers("grace", true);
    let id = session_transferred_to(floor, "grace", "Je veux un remboursement");
    floor.until("the session released once Grace took it", |desk| {
        desk.interaction(&id).is_none()
    });
    let row = floor.row(&id);
    assert_eq!(row.agent_id.as_deref(), Some("grace"), "Grace holds it now");
    assert!(!row.done, "the new owner finishes it");
}

fn a_refused_transfer_leaves_the_session_with_the_agent(floor: &mut impl Floor) {
    floor.colleague_answers("grace", false);
    let id = session_transferred_to(floor, "grace", "Une question de facture");
    floor.until("Grace's refusal shown on the session", |desk| {
        desk.interaction(&id).is_some_and(|open| {
            open.error
                .as_deref()
                .is_some_and(|e| e.contains("Grace Hopper") && e.contains("rejected"))
        })
    });
    let row = floor.row(&id);
    assert_eq!(row.agent_id.as_deref(), Some("ada"), "still Ada's");
}

fn a_consultation_opens_inside_the_session_filed_under_the_customer(floor: &mut impl Floor) {
    floor.colleague_answers("grace", true);
    floor.customer_writes(CUSTOMER, SESSION_NUMBER, "Un remboursement de 300 euros");
    let sms = floor.accept_offer_of("Un remboursement de 300 euros");
    let im = floor.consult(&sms, "grace");
    assert_eq!(
        floor.desk().selected(),
        Some(sms.as_str()),
        "the SMS stays in front"
    );
    floor.agent_sends(&im, "Au-dessus de ma limite, tu valides ?");
    floor.until("Grace connected to the consultation", |desk| {
        desk.interaction(&im)
            .and_then(|open| open.view.as_ref())
            .and_then(|view| view.header.state.as_enum().ok().copied())
            == Some(switchboard_sdk::ConnectionState::Connected)
    });

    // The customer writes meanwhile: the session goes on.
    floor.customer_writes(CUSTOMER, SESSION_NUMBER, "Vous êtes toujours là ?");
    floor.until_line(&sms, "Vous êtes toujours là ?");

    // The consultation is the customer's: filed under their contact, linked to the session.
    let records = floor.records();
    let customer_of = |id: &str| {
        records
            .contact_of_interaction(id)
            .expect("read")
            .map(|c| c.id)
    };
    assert_eq!(customer_of(&im), customer_of(&sms));
    assert_eq!(records.consulted(&im).expect("read"), Some(sms.clone()));
}

fn an_mms_through_the_webhook_shows_its_picture_and_refuses_a_corrupt_one(floor: &mut impl Floor) {
    use switchboard_core::media::{ImageFormat, samples};
    let photo =
        switchboard_tests::serve_once(samples::picture(800, 600, ImageFormat::Jpeg), "image/jpeg");
    let broken = switchboard_tests::serve_once(samples::truncated_jpeg(), "image/jpeg");
    let webhook = floor.webhook();
    let (status, _) = switchboard_tests::post_form(
        webhook,
        "/sms",
        &[
            ("From", CUSTOMER),
            ("To", MAIN_NUMBER),
            ("Body", "Le colis est arrivé abîmé"),
            ("MessageSid", "MMparity1"),
            ("NumMedia", "2"),
            ("MediaUrl0", &photo),
            ("MediaContentType0", "image/jpeg"),
            ("MediaUrl1", &broken),
            ("MediaContentType1", "image/jpeg"),
        ],
    );
    assert_eq!(status, 200, "committed, then acknowledged");
    let id = floor.accept_offer_of("Le colis est arrivé abîmé");
    let row = floor.row(&id);
    assert_eq!(row.media_type, "mms");
    let transcript = floor.records().transcript(&id).expect("read");
    let first = transcript.first().expect("the message");
    assert_eq!(first.attachments.len(), 2, "both items kept");
    let shown: Vec<(bool, bool)> = first
        .attachments
        .iter()
        .map(|a| {
            let stored = floor
                .records()
                .attachment(a.id)
                .expect("read")
                .expect("kept");
            (stored.thumbnail.is_some(), stored.problem.is_some())
        })
        .collect();
    assert_eq!(
        shown,
        [(true, false), (false, true)],
        "the photo has a thumbnail, the cut one a reason"
    );
    floor.until("the resend notice for the corrupt picture", |desk| {
        desk.interaction(&id).is_some_and(|open| {
            open.transcript
                .iter()
                .any(|e| e.text.as_str().contains("Ask the contact to send it again"))
        })
    });
}
