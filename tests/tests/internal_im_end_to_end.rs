//! Internal instant messages through the real host, the real `internal-im` and `sms-session`
//! libraries and the embedded platform's scripted colleagues: accepted and exchanged both ways,
//! refused, timed out, ended by the colleague, routed through a skill, refused for a contact;
//! an IM consultation inside an SMS session (which goes on meanwhile) escalated to voice; a
//! colleague's consultation arriving with the customer's case data, read-only; IMs kept in the
//! history and searchable.

use switchboard_core::directory::{Target, TargetKind};
use switchboard_platform_embedded::{ColleagueReply, DEFAULT_SESSION_NUMBER};
use switchboard_sdk::{ConnectionState, InvitationOutcome, Role, purposes};
use switchboard_store_sqlite::{InteractionState, prelude::*};
use switchboard_tests::{World, config_with_role, library};

const CUSTOMER: &str = "+1 415 555 0142";

fn im_world() -> World {
    let config = config_with_role(
        &["internal-im", "sms-session"],
        "permissions = [\"internal-im\"]\n[roles.test.timers]\ninvitation_timeout_seconds = 30",
    );
    let mut world = World::new(&[library("internal_im"), library("sms_session")], config);
    world.ready_agent("internal-im");
    world
}

fn find(world: &World, query: &str, kind: TargetKind) -> Target {
    world
        .desk
        .team_search(query)
        .into_iter()
        .map(|r| r.target)
        .find(|t| t.kind == kind)
        .unwrap_or_else(|| panic!("no {kind:?} for {query}"))
}

fn state(world: &World, id: &str) -> Option<ConnectionState> {
    let view = world.desk.interaction(id)?.view.as_ref()?;
    view.header.state.as_enum().ok().copied()
}

/// The system lines stored in an interaction, once what the desk queued is stored.
fn system_lines(world: &mut World, id: &str) -> Vec<String> {
    world.desk.settle();
    world
        .store
        .transcript(id)
        .expect("transcript")
        .into_iter()
        .filter(|e| e.role() == Some(Role::System))
        .map(|e| e.text.to_string())
        .collect()
}

#[test]
fn an_accepted_im_carries_messages_both_ways() {
    let mut world = im_world();
    world
        .platform
        .script_colleague("grace", ColleagueReply::Accept { after_seconds: 3 });
    world
        .platform
        .script_colleague_says("grace", 5, "Yes, put her through to me.");
    let grace = find(&world, "hopp", TargetKind::Agent);
    let id = world.desk.start_im(&grace, None).expect("started");
    assert_eq!(world.desk.selected(), Some(id.as_str()));
    assert_eq!(state(&world, &id), Some(ConnectionState::NotConnected));

    world.agent_sends(&id, "Can you take a French customer?");
    assert_eq!(state(&world, &id), Some(ConnectionState::Establishing));
    let shown = world.platform.invitations_received();
    assert_eq!(shown[0].colleague, "grace");
    assert_eq!(shown[0].first_message, "Can you take a French customer?");

    world.advance_seconds(3);
    assert_eq!(state(&world, &id), Some(ConnectionState::Connected));
    world.agent_sends(&id, "Thanks!");
    world.advance_seconds(5);
    let transcript = &world.desk.interaction(&id).expect("open").transcript;
    let reply = transcript.last().expect("a reply");
    assert_eq!(reply.text.as_str(), "Yes, put her through to me.");
    assert_eq!(reply.role(), Some(Role::OtherAgent));
    assert_eq!(reply.author.as_str(), "Grace Hopper");
    assert_eq!(reply.author_key.as_str(), "grace");
    assert_eq!(
        system_lines(&mut world, &id),
        ["Invitation sent to Grace Hopper.", "Grace Hopper accepted."]
    );
    assert!(
        world.desk.interaction(&id).expect("open").awaits_reply(),
        "the colleague's reply waits for an answer: the tab is marked"
    );
    world.agent_sends(&id, "Great, transferring now.");
    assert!(!world.desk.interaction(&id).expect("open").awaits_reply());
}

#[test]
fn a_refused_or_unanswered_im_ends_with_the_reason() {
    let mut world = im_world();
    world.platform.script_colleague(
        "grace",
        ColleagueReply::Reject {
            after_seconds: 2,
            reason: "on a break".into(),
        },
    );
    world
        .platform
        .script_colleague("katherine", ColleagueReply::Ignore);
    let refused = world
        .desk
        .start_im(&find(&world, "grace", TargetKind::Agent), None)
        .expect("started");
    world.agent_sends(&refused, "Hi");
    let ignored = world
        .desk
        .start_im(&find(&world, "katherine", TargetKind::Agent), None)
        .expect("started");
    world.agent_sends(&ignored, "Hi");

    world.advance_seconds(2);
    assert_eq!(state(&world, &refused), Some(ConnectionState::Ended));
    assert!(
        system_lines(&mut world, &refused).contains(&"Grace Hopper declined: on a break.".into())
    );
    assert_eq!(state(&world, &ignored), Some(ConnectionState::Establishing));

    world.advance_seconds(27);
    assert_eq!(state(&world, &ignored), Some(ConnectionState::Establishing));
    world.advance_seconds(1);
    assert_eq!(state(&world, &ignored), Some(ConnectionState::Ended));
    assert!(
        system_lines(&mut world, &ignored)
            .contains(&"No answer from Katherine Johnson: the invitation timed out.".into())
    );
    let row = world
        .store
        .interaction(&ignored)
        .expect("read")
        .expect("row");
    assert_eq!(row.state, InteractionState::Ended);
}

#[test]
fn the_colleague_ends_and_done_closes_the_view() {
    let mut world = im_world();
    world
        .platform
        .script_colleague("grace", ColleagueReply::Accept { after_seconds: 1 });
    let id = world
        .desk
        .start_im(&find(&world, "grace", TargetKind::Agent), None)
        .expect("started");
    world.agent_sends(&id, "Hi");
    world.advance_seconds(1);
    world.platform.colleague_writes(&id, "Got to go, bye!");
    world.platform.colleague_ends(&id);
    world.desk.pump();
    assert_eq!(state(&world, &id), Some(ConnectionState::Ended));
    let open = world.desk.interaction(&id).expect("still open until Done");
    assert!(open.ended);
    assert!(!open.view.as_ref().expect("view").composer.enabled);
    assert_eq!(
        system_lines(&mut world, &id).last().map(String::as_str),
        Some("Grace Hopper ended the instant message.")
    );
    world.desk.action(&id, "done").expect("done");
    world.desk.settle();
    assert!(world.desk.interaction(&id).is_none());
    assert!(
        world
            .store
            .interaction(&id)
            .expect("read")
            .expect("row")
            .done
    );
}

#[test]
fn an_im_to_a_skill_reaches_an_available_colleague_and_says_who() {
    let mut world = im_world();
    let french = find(&world, "French", TargetKind::Skill);
    let id = world.desk.start_im(&french, None).expect("started");
    world.agent_sends(&id, "Who reads French letters?");
    world.advance_seconds(4);
    assert_eq!(state(&world, &id), Some(ConnectionState::Connected));
    let view = world.desk.interaction(&id).and_then(|o| o.view.clone());
    let header = view.expect("view").header;
    assert_eq!(
        header.title.as_str(),
        "Marc Dubois",
        "first Ready colleague"
    );
    assert!(system_lines(&mut world, &id).contains(&"Marc Dubois (for French) accepted.".into()));
    // An unscripted colleague answers with a demo reply.
    world.advance_seconds(6);
    let last = world
        .desk
        .interaction(&id)
        .expect("open")
        .transcript
        .last()
        .cloned();
    assert_eq!(last.and_then(|e| e.role()), Some(Role::OtherAgent));
}

#[test]
fn a_contact_is_no_im_target() {
    let mut world = im_world();
    world.named_customer_writes(CUSTOMER, "Camille Martin", "Hello");
    let contact = find(&world, "Camille", TargetKind::Contact);
    let id = world.desk.start_im(&contact, None).expect("opened");
    let open = world.desk.interaction(&id).expect("open");
    assert!(
        open.error
            .as_deref()
            .unwrap_or_default()
            .contains("is a contact"),
        "{:?}",
        open.error
    );
    assert!(world.platform.invitations_received().is_empty());
}

#[test]
fn a_consultation_opens_inside_the_sms_session_which_goes_on_and_escalates_to_voice() {
    let mut world = im_world();
    world.desk.set_ready("sms-session", true).expect("ready");
    world
        .platform
        .script_colleague("grace", ColleagueReply::Accept { after_seconds: 2 });
    world
        .platform
        .script_colleague_says("grace", 4, "Approved, go ahead.");
    world.customer_writes_to(
        CUSTOMER,
        DEFAULT_SESSION_NUMBER,
        "I want a refund of 300 euros",
    );
    let sms = world.accept_first_offer();
    world
        .store
        .set_case_value(&sms, "order_id", "A-1042")
        .expect("case data");
    world.desk.interaction_mut(&sms).expect("open").case_data =
        world.store.case_data(&sms).expect("read");

    world.desk.action(&sms, "consult").expect("consult");
    assert_eq!(
        world
            .desk
            .interaction(&sms)
            .and_then(|o| o.choosing_target.clone())
            .as_deref(),
        Some(purposes::CONSULT)
    );
    let grace = find(&world, "grace", TargetKind::Agent);
    world.desk.choose_target(&sms, &grace).expect("chosen");
    let im = world
        .desk
        .consultation_of(&sms)
        .expect("a pane")
        .row
        .id
        .clone();
    assert!(world.desk.is_pane(&im));
    assert_eq!(
        world.desk.selected(),
        Some(sms.as_str()),
        "the SMS stays in front"
    );

    world.agent_sends(&im, "Refund above my limit, can you approve?");
    let shown = world.platform.invitations_received();
    assert!(
        shown[0]
            .case_data
            .iter()
            .any(|kv| kv.key == "order_id" && kv.value == "A-1042"),
        "the colleague's notification carries the case data: {:?}",
        shown[0].case_data
    );
    world.advance_seconds(2);
    assert_eq!(state(&world, &im), Some(ConnectionState::Connected));

    // The customer writes meanwhile: the session carries on.
    world.customer_writes_to(CUSTOMER, DEFAULT_SESSION_NUMBER, "Are you still there?");
    assert_eq!(
        world.texts(&sms).last().map(String::as_str),
        Some("Are you still there?")
    );
    world.agent_sends(&sms, "Yes, checking with a colleague.");
    world.advance_seconds(4);
    assert_eq!(
        world.texts(&im).last().map(String::as_str),
        Some("Approved, go ahead.")
    );

    world
        .desk
        .action(&im, "voice-consultation")
        .expect("escalate");
    // Asked on the desk's requests thread.
    world.desk.settle();
    let voice = world.platform.voice_consultations();
    assert_eq!(voice.len(), 1);
    assert_eq!(voice[0].colleague, "grace");
    assert_eq!(voice[0].from_agent, "ada");
    world.advance_seconds(2);
    assert_eq!(
        world.platform.voice_consultations()[0].outcome,
        Some(InvitationOutcome::Accepted)
    );
    assert!(
        system_lines(&mut world, &im)
            .contains(&"Voice consultation with Grace Hopper connected.".into())
    );
    // The consultation joins the customer's history.
    let contact = world
        .store
        .contact_of_interaction(&im)
        .expect("read")
        .expect("contact");
    let customer = world
        .store
        .contact_of_interaction(&sms)
        .expect("read")
        .expect("contact");
    assert_eq!(contact.id, customer.id);
}

#[test]
fn a_colleagues_consultation_arrives_with_the_case_read_only() {
    let mut world = im_world();
    // A customer's SMS the colleague handles (this agent is not Ready for SMS).
    world.customer_writes_to(CUSTOMER, DEFAULT_SESSION_NUMBER, "My parcel never came");
    let customer_interaction = world.store.open_interaction_with(CUSTOMER, "sms-session");
    let customer_interaction = customer_interaction.expect("read").expect("stored").id;
    world
        .store
        .set_case_value(&customer_interaction, "order_id", "B-7")
        .expect("case data");

    let id = world
        .platform
        .colleague_starts_im(
            "grace",
            Some("ada"),
            "Can you check this parcel?",
            Some(&customer_interaction),
        )
        .expect("sent");
    world.desk.pump();
    let offer = world.desk.offers().first().expect("offered").clone();
    assert_eq!(offer.row.id, id);
    assert_eq!(
        offer
            .first_message
            .as_ref()
            .map(|m| m.text.to_string())
            .as_deref(),
        Some("Can you check this parcel?")
    );
    assert!(
        offer
            .case_data
            .iter()
            .any(|kv| kv.key == "order_id" && kv.value == "B-7")
    );

    assert_eq!(
        offer.expires_at.seconds_since(offer.offered_at),
        30,
        "the role's invitation time-out, not the offer time-out (20 s here)"
    );
    world.desk.accept(&id).expect("accept");
    world.desk.settle();
    let open = world.desk.interaction(&id).expect("open");
    assert!(open.is_read_only());
    assert!(
        !world.desk.is_pane(&id),
        "its customer interaction is not on this desk"
    );
    assert_eq!(
        open.contact.as_ref().and_then(|c| c.phone()),
        Some(CUSTOMER)
    );
    assert_eq!(state(&world, &id), Some(ConnectionState::Connected));
    let subtitle = open
        .view
        .as_ref()
        .expect("view")
        .header
        .subtitle
        .to_string();
    assert_eq!(
        subtitle,
        format!("Instant message · consultation about {CUSTOMER}")
    );
    let refused = world.desk.set_case_value(&id, "order_id", "C-9");
    assert!(refused.is_err(), "read-only case data");
    world.agent_sends(&id, "Looking now.");
    assert_eq!(
        world.texts(&id).last().map(String::as_str),
        Some("Looking now.")
    );
}

#[test]
fn ims_are_kept_in_the_history_and_searchable() {
    let mut world = im_world();
    world
        .platform
        .script_colleague("grace", ColleagueReply::Accept { after_seconds: 1 });
    let grace = find(&world, "grace", TargetKind::Agent);
    let first = world.desk.start_im(&grace, None).expect("started");
    world.agent_sends(&first, "The warehouse lost parcel B-7 again");
    world.advance_seconds(1);
    world.desk.action(&first, "end").expect("end");
    world.desk.action(&first, "done").expect("done");

    let second = world.desk.start_im(&grace, None).expect("started again");
    let contact = world
        .store
        .contact_of_interaction(&second)
        .expect("read")
        .expect("colleague");
    assert!(!contact.known, "a colleague is no customer");
    let found = world
        .store
        .search_history(contact.id, "warehouse", 10)
        .expect("search");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].interaction, first);
    assert!(
        world
            .desk
            .team_search("Grace")
            .iter()
            .all(|r| r.target.kind != TargetKind::Contact),
        "the colleague's record is not offered as a customer"
    );
}

#[test]
fn colleagues_presence_changes_over_time_and_the_team_communicator_shows_it() {
    let mut world = im_world();
    let presence = |world: &World| find(world, "hopp", TargetKind::Agent).presence;
    assert_eq!(
        presence(&world),
        Some(switchboard_core::directory::Presence::Ready)
    );
    world.advance_seconds(600);
    assert_eq!(
        presence(&world),
        Some(switchboard_core::directory::Presence::Busy)
    );
    // Busy now: an unscripted Grace refuses the IM.
    let id = world
        .desk
        .start_im(&find(&world, "hopp", TargetKind::Agent), None)
        .expect("started");
    world.agent_sends(&id, "Hi");
    world.advance_seconds(4);
    assert_eq!(state(&world, &id), Some(ConnectionState::Ended));
}
