//! A cluster desktop the crash tests kill with SIGKILL: a headless agent signs in, Ready on
//! SMS page mode, accepts the first offers up to a count and leaves the rest offered, says
//! `holding` on its standard output, and keeps working until it is killed.
//!
//! `cluster_child NATS_URL PREFIX AGENT ACCEPT_COUNT PRESENCE_SECONDS`

use std::{io::Write, time::Duration};

use switchboard_tests::{
    headless_agent::{HeadlessAgent, sms_team_config},
    library,
};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, prefix, agent, accept, presence] = args.as_slice() else {
        eprintln!("usage: cluster_child NATS_URL PREFIX AGENT ACCEPT_COUNT PRESENCE_SECONDS");
        std::process::exit(2);
    };
    let accept: usize = accept.parse().expect("ACCEPT_COUNT is a number");
    let presence = Duration::from_secs(presence.parse().expect("PRESENCE_SECONDS is a number"));
    let mut desk = HeadlessAgent::sign_in(
        url,
        prefix,
        presence,
        sms_team_config(&[agent.as_str()]),
        &[library("sms_page")],
        agent,
        "sms-page",
    );
    println!("ready");
    let _ = std::io::stdout().flush();
    let mut told = false;
    loop {
        desk.desk.pump();
        let offered: Vec<String> = desk
            .desk
            .offers()
            .iter()
            .map(|o| o.row.id.clone())
            .collect();
        for id in offered {
            if desk.desk.interactions().len() < accept {
                let _ = desk.desk.accept(&id);
                desk.desk.settle();
            }
        }
        let holding = desk.desk.interactions().len();
        if !told && holding >= accept && desk.desk.offers().len() + holding > accept {
            println!("holding {holding} offered {}", desk.desk.offers().len());
            let _ = std::io::stdout().flush();
            told = true;
        }
        desk.wait(Duration::from_millis(100));
    }
}
