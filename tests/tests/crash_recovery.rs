//! Work a desktop held when it was killed (SIGKILL, a child process of the test) comes back
//! after a restart over the same database: offers whose reservation died return to the queue
//! and are offered again; a reply that never left is marked failed where the agent reads it,
//! and its interaction is open again; an accepted interaction comes back at sign-in.

use std::{
    io::{BufRead, BufReader},
    path::Path,
    process::{Command, Stdio},
};

use switchboard_sdk::{DeliveryStatus, Role};
use switchboard_store_sqlite::InteractionState;
use switchboard_tests::{World, config_with_role, library};

/// Runs the child desktop on `database` through `scenario` and kills it (SIGKILL) once it
/// says it got there.
fn kill_during(scenario: &str, database: &Path) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_crash_child"))
        .arg(scenario)
        .arg(database)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start the child desktop");
    let stdout = child.stdout.take().expect("child's output");
    let said_ready = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .any(|line| line == "ready");
    child.kill().expect("SIGKILL the child desktop");
    let status = child.wait().expect("reap the child");
    assert!(said_ready, "the child died before its moment: {status}");
    assert!(!status.success(), "it was killed, not ended: {status}");
}

/// A new desktop over the old database.
fn restart(database: &Path) -> World {
    World::over(
        database,
        &[library("sms_page")],
        config_with_role(&["sms-page"], ""),
    )
}

/// Kills the child desktop during `scenario`, restarts over its database and signs Ada in:
/// the new desktop and the interactions open on it.
fn signed_in_after_kill_during(scenario: &str, database: &Path) -> (World, Vec<String>) {
    kill_during(scenario, database);
    let mut world = restart(database);
    world.desk.sign_in("ada").expect("sign in");
    let open = world
        .desk
        .interactions()
        .iter()
        .map(|i| i.row.id.clone())
        .collect();
    (world, open)
}

#[test]
fn offers_held_when_the_desktop_was_killed_are_offered_again_and_none_stays_offered() {
    let dir = tempfile::tempdir().expect("dir");
    let database = dir.path().join("switchboard.db");
    kill_during("stream", &database);

    let mut world = restart(&database);
    assert_eq!(world.store.interaction_count().expect("count"), 30);
    let stuck = world
        .store
        .unassigned_interactions()
        .expect("read")
        .into_iter()
        .filter(|row| row.state == InteractionState::Offered)
        .count();
    assert_eq!(stuck, 0, "no offer outlives its reservation");
    world.ready_agent("sms-page");
    world.desk.pump();
    let offered: Vec<String> = world
        .desk
        .offers()
        .iter()
        .map(|o| o.row.id.clone())
        .collect();
    assert!(!offered.is_empty(), "work is offered again");
    // Every one of the 30 is either offered now or waiting its turn in the queue.
    let rows = world.store.unassigned_interactions().expect("read");
    assert_eq!(rows.len(), 30);
    assert!(rows.iter().all(|row| match row.state {
        InteractionState::Offered => offered.contains(&row.id),
        InteractionState::Queued => true,
        _ => false,
    }));
    // And they are worked through: accepting them one after another empties the queue.
    let mut answered = std::collections::HashSet::new();
    for _ in 0..200 {
        match world.desk.offers().first() {
            Some(offer) => {
                let id = offer.row.id.clone();
                world.desk.accept(&id).expect("accept");
                world.desk.settle();
                world.agent_sends(&id, "On it.");
                assert!(answered.insert(id), "the same work offered twice");
            }
            None if answered.len() == 30 => break,
            None => world.advance_seconds(5),
        }
    }
    assert_eq!(answered.len(), 30);
}

#[test]
fn a_reply_killed_between_send_and_gateway_is_failed_in_its_reopened_interaction() {
    let dir = tempfile::tempdir().expect("dir");
    let database = dir.path().join("switchboard.db");
    let (world, open) = signed_in_after_kill_during("send-and-close", &database);
    assert_eq!(
        open.len(),
        1,
        "the interaction closed with its reply unsent is open again"
    );
    let reopened = world.desk.interaction(&open[0]).expect("open");
    let reply = reopened
        .transcript
        .iter()
        .find(|entry| entry.role() == Some(Role::Agent))
        .expect("the reply is kept");
    assert_eq!(reply.text.as_str(), "Yes, it left this morning.");
    match reply.status.as_enum() {
        Ok(DeliveryStatus::Failed { reason }) => {
            assert!(reason.contains("send it again"), "{reason}");
        }
        other => panic!("the reply shows {other:?}"),
    }
    let sending: i64 = rusqlite::Connection::open(&database)
        .expect("open")
        .query_row(
            "SELECT COUNT(*) FROM messages WHERE status = 'sending'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(sending, 0, "nothing stays sending");
}

#[test]
fn an_accepted_interaction_comes_back_open_at_the_next_sign_in() {
    let dir = tempfile::tempdir().expect("dir");
    let database = dir.path().join("switchboard.db");
    let (world, open) = signed_in_after_kill_during("accepted", &database);
    assert_eq!(open.len(), 1, "{open:?}");
    let reopened = world.desk.interaction(&open[0]).expect("open");
    assert_eq!(reopened.transcript[0].text.as_str(), "Bonjour");
    assert_eq!(world.desk.selected(), Some(open[0].as_str()));
}
