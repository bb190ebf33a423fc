//! Roles enforced in the host: channels a role lacks are not started and get no work, even
//! when asked directly; a role change lets open interactions finish.

use switchboard_core::desk::DeskError;
use switchboard_store_sqlite::prelude::*;
use switchboard_tests::{World, config_with_channels, library};

#[test]
fn a_role_without_sms_gets_no_sms_plugin_and_no_sms_offers() {
    let mut world = World::new(&[library("sms_page")], config_with_channels(&[]));
    world.desk.sign_in("ada").expect("sign in");
    assert!(
        world.desk.channels().is_empty(),
        "sms-page not started for this role"
    );
    assert!(matches!(
        world.desk.set_ready("sms-page", true),
        Err(DeskError::ChannelUnavailable(_))
    ));
    world.customer_writes("+33612345678", "Hello?");
    assert!(world.desk.offers().is_empty());
    let queued = world.store.queued_interactions().expect("queued");
    assert_eq!(
        queued.len(),
        1,
        "the SMS waits for an agent who has the channel"
    );
    assert!(
        world.desk.accept(&queued[0].id).is_err(),
        "refused when asked directly"
    );
}

#[test]
fn removing_a_channel_from_the_role_lets_open_interactions_finish() {
    let mut world = World::new(&[library("sms_page")], config_with_channels(&["sms-page"]));
    world.ready_agent("sms-page");
    world.customer_writes("+33612345678", "Hi there");
    let id = world.accept_first_offer();

    let mut changed = world.desk.config().clone();
    changed
        .roles
        .get_mut("test")
        .expect("role")
        .channels
        .clear();
    world.desk.replace_config(changed);

    world.desk.interaction_mut(&id).expect("still open").draft = "Hello! How can I help?".into();
    world.desk.send(&id).expect("send");
    world.desk.settle();
    world.desk.pump();
    assert_eq!(
        world.platform.gateway_sent().len(),
        1,
        "the reply still went out"
    );
    assert!(
        world
            .store
            .interaction(&id)
            .expect("read")
            .expect("row")
            .done
    );

    world.desk.sign_out();
    world.desk.sign_in("ada").expect("sign in again");
    assert!(
        world.desk.channels().is_empty(),
        "the new role applies at the next sign-in"
    );
}
