//! The Team Communicator on a cluster desktop lists the deployment's directory as the
//! gateway's configuration gives it: agents found by name, e-mail or number, queues, skills,
//! groups and routing points; work handed to a skill goes to the first available colleague.

use switchboard_core::{
    config::{Config, DirectoryConfig, DirectoryItem},
    directory::TargetKind,
};
use switchboard_tests::parity::{CHANNELS, ClusterFloor, Floor, SESSION_NUMBER, libraries};

fn item(id: &str, name: &str) -> DirectoryItem {
    DirectoryItem {
        id: id.into(),
        name: name.into(),
        detail: String::new(),
    }
}

fn config() -> Config {
    let mut config = switchboard_tests::parity::config();
    config.directory = DirectoryConfig {
        queues: vec![DirectoryItem {
            detail: "Refunds and invoices".into(),
            ..item("q-billing", "Billing")
        }],
        skills: vec![item("s-french", "French")],
        groups: vec![item("g-team-a", "Team A")],
        routing_points: vec![item("rp-vip", "VIP line")],
    };
    for agent in &mut config.agents {
        if agent.id == "grace" {
            agent.email = Some("grace.hopper@example.com".into());
            agent.phone = Some("+1 555 0104".into());
        }
    }
    config
}

#[test]
fn the_team_communicator_lists_the_configured_directory_and_a_skill_takes_a_transfer() {
    let mut floor = ClusterFloor::start(config(), &libraries(), CHANNELS);
    floor.until("the directory from the gateway", |desk| {
        !desk.team_search("billing").is_empty()
    });
    let found = |query: &str| -> Vec<(TargetKind, String)> {
        floor
            .desk()
            .team_search(query)
            .into_iter()
            .map(|r| (r.target.kind, r.target.id))
            .collect()
    };
    assert_eq!(found("billing"), [(TargetKind::Queue, "q-billing".into())]);
    assert_eq!(found("french"), [(TargetKind::Skill, "s-french".into())]);
    assert_eq!(found("team a"), [(TargetKind::Group, "g-team-a".into())]);
    assert_eq!(found("vip"), [(TargetKind::RoutingPoint, "rp-vip".into())]);
    assert_eq!(
        found("grace.hopper@"),
        [(TargetKind::Agent, "grace".into())],
        "by e-mail"
    );
    assert_eq!(
        found("555 0104"),
        [(TargetKind::Agent, "grace".into())],
        "by number"
    );
    assert!(
        found("queue").is_empty(),
        "the configured queues replace the default one"
    );

    // A session handed to the French skill goes to whoever is available: Grace.
    floor.customer_writes("+33612345678", SESSION_NUMBER, "Bonjour, je parle français");
    let sms = floor.accept_offer_of("Bonjour, je parle français");
    floor.colleague_answers("grace", true);
    let french = floor
        .desk()
        .team_search("french")
        .into_iter()
        .map(|r| r.target)
        .next()
        .expect("the skill");
    floor.desk_mut().action(&sms, "transfer").expect("transfer");
    floor
        .desk_mut()
        .choose_target(&sms, &french)
        .expect("chosen");
    floor.until("the session handed over", |desk| {
        desk.interaction(&sms).is_none()
    });
    let row = floor.row(&sms);
    assert_eq!(row.agent_id.as_deref(), Some("grace"));
}
