//! The Team Communicator over the real desk: search across kinds, favourites that persist and
//! rank first, recents, contacts from the store, and actions valid for each target.

use switchboard_core::{
    desk::TeamAction,
    directory::{Presence, TargetKind},
};
use switchboard_tests::{World, config_with_channels, library};

#[test]
fn search_groups_by_kind_and_favourites_persist_and_rank_first() {
    let mut world = World::new(&[library("sms_page")], config_with_channels(&["sms-page"]));
    world.ready_agent("sms-page");
    world.customer_writes("+33612345678", "Bonjour");

    let results = world.desk.team_search("ma");
    let kinds: Vec<TargetKind> = results.iter().map(|r| r.target.kind).collect();
    let mut sorted = kinds.clone();
    sorted.sort();
    assert_eq!(kinds, sorted, "grouped by kind");
    assert!(results.iter().any(|r| r.target.id == "margaret"));

    let claire = world
        .desk
        .team_search("claire")
        .into_iter()
        .find(|r| r.target.id == "claire")
        .expect("claire");
    assert_eq!(
        world.desk.team_actions(&claire),
        [TeamAction::Call, TeamAction::AddFavourite]
    );
    world
        .desk
        .team_act(&claire.target, TeamAction::AddFavourite)
        .expect("favourite");

    let agents: Vec<String> = world
        .desk
        .team_search("ma")
        .into_iter()
        .filter(|r| r.target.kind == TargetKind::Agent)
        .map(|r| r.target.id)
        .collect();
    assert_eq!(
        agents[0], "claire",
        "favourite first among agents: {agents:?}"
    );

    // The favourite is stored per agent: it is still there after signing in again.
    world.desk.sign_out();
    world.desk.sign_in("ada").expect("sign in again");
    let empty = world.desk.team_search("");
    assert_eq!(empty[0].target.id, "claire");
    assert!(empty[0].favourite);
}

#[test]
fn contacts_are_found_by_number_and_calls_become_recent() {
    let mut world = World::new(&[library("sms_page")], config_with_channels(&["sms-page"]));
    world.ready_agent("sms-page");
    world.customer_writes("+15550199", "Hello?");
    assert!(
        !world
            .desk
            .team_search("0199")
            .iter()
            .any(|r| r.target.kind == TargetKind::Contact),
        "an unknown sender is not a contact until an agent creates one"
    );
    world.named_customer_writes("+33612345678", "Camille Martin", "Bonjour");
    let contact = world
        .desk
        .team_search("612345")
        .into_iter()
        .find(|r| r.target.kind == TargetKind::Contact)
        .expect("the customer is in the results");
    let link = world
        .desk
        .team_act(&contact.target, TeamAction::Call)
        .expect("call");
    assert_eq!(link.as_deref(), Some("tel:+33612345678"));
    let recent = world.desk.team_search("");
    assert!(
        recent.iter().any(|r| r.target == contact.target),
        "listed as recent"
    );

    let offline = world
        .desk
        .team_search("amara")
        .into_iter()
        .find(|r| r.target.presence == Some(Presence::Offline))
        .expect("an offline agent");
    assert!(
        !world
            .desk
            .team_actions(&offline)
            .contains(&TeamAction::Call)
    );
}
