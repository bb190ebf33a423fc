//! A desktop process the crash tests kill with SIGKILL at a chosen moment: it opens the
//! database it is given, plays one scenario up to that moment, says `ready` on its standard
//! output and waits to be killed.
//!
//! Scenarios (`crash_child SCENARIO DATABASE`):
//! - `stream`: Ada is Ready on SMS page mode while 30 customers write; some are offered to
//!   her, the rest wait in the queue.
//! - `send-and-close`: Ada answers a page-mode SMS with Send and close; the desktop dies after
//!   committing the reply (as sending) and the closed interaction, before the gateway takes it.
//! - `accepted`: Ada accepts an SMS and is typing her reply when the desktop dies.

use std::io::Write;

use switchboard_core::clock::Clock;
use switchboard_store_sqlite::prelude::*;
use switchboard_tests::{World, config_with_role, library};

/// How many customers write in the `stream` scenario.
const STREAM_CUSTOMERS: usize = 30;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(scenario), Some(database)) = (args.next(), args.next()) else {
        eprintln!("usage: crash_child stream|send-and-close|accepted DATABASE");
        std::process::exit(2);
    };
    let mut world = World::over(
        std::path::Path::new(&database),
        &[library("sms_page")],
        config_with_role(&["sms-page"], ""),
    );
    world.ready_agent("sms-page");
    match scenario.as_str() {
        "stream" => {
            for n in 0..STREAM_CUSTOMERS {
                world.customer_writes(&format!("+336123456{n:02}"), &format!("Message {n}"));
            }
        }
        "send-and-close" => {
            world.customer_writes("+33612345678", "Is my order on its way?");
            let id = world.accept_first_offer();
            // What Send and close commits before the gateway takes the reply: the reply as
            // sending, the interaction closed as done. The process dies right after.
            world.store_unsent_reply(&id, "Yes, it left this morning.");
            let now = world.clock.now();
            world
                .store
                .close_interaction(&id, true, now)
                .expect("closed");
        }
        "accepted" => {
            world.customer_writes("+33612345678", "Bonjour");
            let id = world.accept_first_offer();
            world.desk.interaction_mut(&id).expect("open").draft = "Je regarde".to_owned();
            world.desk.composer_changed(&id);
        }
        other => {
            eprintln!("unknown scenario {other}");
            std::process::exit(2);
        }
    }
    println!("ready");
    let _ = std::io::stdout().flush();
    loop {
        std::thread::park();
    }
}
