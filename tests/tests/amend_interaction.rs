//! What agents change about an interaction through the real host: editable case data (only the
//! configured keys, only with edit-case-data, persisted) and assigning an unknown sender's
//! interaction to a known contact (only with assign-contact; history follows).

use switchboard_core::desk::DeskError;
use switchboard_store_sqlite::prelude::*;
use switchboard_tests::{World, config_with_role, library};

fn world(permissions: &str) -> World {
    let mut config = config_with_role(&["sms-page"], permissions);
    config.shell.editable_case_data = vec!["order_id".into()];
    let mut world = World::new(&[library("sms_page")], config);
    world.ready_agent("sms-page");
    world
}

#[test]
fn only_configured_keys_are_editable_and_only_with_the_permission() {
    let mut allowed = world("permissions = [\"edit-case-data\"]");
    allowed.customer_writes("+33612345678", "Where is my parcel?");
    let id = allowed.accept_first_offer();
    assert_eq!(allowed.desk.missing_editable_keys(&id), ["order_id"]);
    allowed
        .desk
        .set_case_value(&id, "order_id", " 48213 ")
        .expect("editable");
    let stored = allowed.store.case_data(&id).expect("read");
    assert!(
        stored
            .iter()
            .any(|kv| kv.key == "order_id" && kv.value == "48213")
    );
    assert!(allowed.desk.missing_editable_keys(&id).is_empty());
    assert!(matches!(
        allowed.desk.set_case_value(&id, "language", "de"),
        Err(DeskError::NotPermitted(_))
    ));

    let mut refused = world("");
    refused.customer_writes("+33612345678", "Hello");
    let id = refused.accept_first_offer();
    assert!(refused.desk.missing_editable_keys(&id).is_empty());
    assert!(matches!(
        refused.desk.set_case_value(&id, "order_id", "1"),
        Err(DeskError::NotPermitted(_))
    ));
}

#[test]
fn an_unknown_sender_is_assigned_to_a_known_contact_and_history_follows() {
    let mut world = world("permissions = [\"assign-contact\"]");
    world.customer_writes("+33612345678", "First order question");
    let first = world.accept_first_offer();
    world.desk.mark_done(&first).expect("done");
    let known = world
        .desk
        .interaction(&first)
        .and_then(|o| o.contact.clone())
        .or_else(|| world.store.contact_of_interaction(&first).ok().flatten())
        .expect("contact of the first interaction");

    // The same customer writes from a new phone: an unknown sender.
    world.customer_writes(
        "+33700000001",
        "It's me again, from my new phone: parcel lost",
    );
    let second = world.accept_first_offer();
    assert_ne!(
        world
            .desk
            .interaction(&second)
            .and_then(|o| o.contact.clone())
            .map(|c| c.id),
        Some(known.id)
    );
    world
        .desk
        .assign_contact(&second, known.id)
        .expect("assigned");
    let open = world.desk.interaction(&second).expect("open");
    assert_eq!(open.contact.as_ref().map(|c| c.id), Some(known.id));
    assert_eq!(
        open.other_interactions, 1,
        "the first interaction now counts"
    );
    let found = world
        .store
        .search_history(known.id, "lost", 10)
        .expect("search");
    assert_eq!(found.len(), 1, "the history index moved with it");

    let mut refused = self::world("");
    refused.customer_writes("+33700000002", "Hi");
    let id = refused.accept_first_offer();
    assert!(matches!(
        refused.desk.assign_contact(&id, known.id),
        Err(DeskError::NotPermitted(_))
    ));
}
