//! The routing rules driven by time: readiness, capacity, longest idle first, reservations.

use super::*;

fn at(seconds: i64) -> Timestamp {
    Timestamp(seconds * 1_000)
}

fn media(name: &str) -> Vec<String> {
    vec![name.to_owned()]
}

fn channel(name: &str, capacity: Option<u32>) -> ChannelCapacity {
    ChannelCapacity {
        channel: name.into(),
        media_types: media(name),
        capacity,
        offer_timeout_seconds: 20,
    }
}

fn ready_agent(router: &mut Router, agent: &str, name: &str, capacity: Option<u32>, now: i64) {
    router.sign_in(agent, vec![channel(name, capacity)], at(now));
    router.set_ready(agent, &media(name), true, at(now));
}

fn interactions(offers: &[Reservation]) -> Vec<&str> {
    offers.iter().map(|r| r.interaction.as_str()).collect()
}

#[test]
fn offers_only_to_ready_agents_on_the_media_type() {
    let mut router = Router::default();
    router.enqueue("i1", "sms", at(0));
    assert!(router.route(at(0)).is_empty());
    ready_agent(&mut router, "ada", "chat", None, 0);
    assert!(router.route(at(0)).is_empty());
    router.set_ready("ada", &media("sms"), true, at(0));
    let offers = router.route(at(0));
    assert_eq!(interactions(&offers), ["i1"]);
    assert_eq!(offers[0].agent, "ada");
    assert!(router.route(at(0)).is_empty(), "offered once");
}

#[test]
fn a_refused_offer_waits_out_the_delay_when_nobody_else_can_take_it() {
    let mut router = Router::default();
    ready_agent(&mut router, "ada", "sms", None, 0);
    router.enqueue("i1", "sms", at(0));
    let offer = router.route(at(0)).remove(0);
    router
        .answer(&offer.offer_id, "ada", false, at(0))
        .expect("refused");
    assert!(router.route(at(29)).is_empty());
    let again = router.route(at(30)).remove(0);
    router
        .answer(&again.offer_id, "ada", true, at(30))
        .expect("accepted");
    assert_eq!(
        router.answer(&again.offer_id, "ada", true, at(30)),
        Err(AnswerRefused::Withdrawn),
        "answered once"
    );
}

#[test]
fn a_refused_offer_goes_to_the_next_agent_at_once() {
    let mut router = Router::default();
    ready_agent(&mut router, "ada", "sms", None, 0);
    ready_agent(&mut router, "marc", "sms", None, 5);
    router.enqueue("i1", "sms", at(10));
    let first = router.route(at(10)).remove(0);
    assert_eq!(first.agent, "ada", "idle longest");
    router
        .answer(&first.offer_id, "ada", false, at(11))
        .expect("refused");
    let second = router.route(at(11)).remove(0);
    assert_eq!(second.agent, "marc");
}

#[test]
fn an_answer_after_the_expiry_is_refused_and_the_work_is_offered_again() {
    let mut router = Router::default();
    ready_agent(&mut router, "ada", "sms", None, 0);
    ready_agent(&mut router, "marc", "sms", None, 1);
    router.enqueue("i1", "sms", at(2));
    let offer = router.route(at(2)).remove(0);
    assert_eq!(offer.expires_at, at(22));
    assert_eq!(
        router.answer(&offer.offer_id, "marc", true, at(3)),
        Err(AnswerRefused::NotYours)
    );
    assert_eq!(
        router.answer(&offer.offer_id, "ada", true, at(22)),
        Err(AnswerRefused::Expired)
    );
    assert_eq!(router.expire(at(22)).len(), 1, "the sweep withdraws it");
    let next = router.route(at(22)).remove(0);
    assert_eq!(next.agent, "marc", "the next agent gets it");
    assert_ne!(next.offer_id, offer.offer_id);
}

#[test]
fn expiry_withdraws_offers_by_the_clock() {
    let mut router = Router::default();
    ready_agent(&mut router, "ada", "sms", None, 0);
    router.enqueue("i1", "sms", at(0));
    router.route(at(0));
    assert_eq!(router.next_expiry(), Some(at(20)));
    assert!(router.expire(at(19)).is_empty());
    let gone = router.expire(at(20));
    assert_eq!(interactions(&gone), ["i1"]);
    assert_eq!(router.waiting(), 1, "back in the queue");
}

#[test]
fn capacity_limits_offers_and_a_finished_interaction_frees_a_place() {
    let mut router = Router::default();
    ready_agent(&mut router, "ada", "chat", Some(3), 0);
    for (n, id) in ["c1", "c2", "c3", "c4"].iter().enumerate() {
        router.enqueue(id, "chat", at(n as i64));
    }
    let offers = router.route(at(5));
    assert_eq!(
        interactions(&offers),
        ["c1", "c2", "c3"],
        "oldest first, three at most"
    );
    for offer in &offers {
        router
            .answer(&offer.offer_id, "ada", true, at(6))
            .expect("accepted");
    }
    assert!(router.route(at(7)).is_empty(), "the fourth waits");
    assert_eq!(router.waiting(), 1);
    router.release("c2", at(8));
    assert_eq!(interactions(&router.route(at(8))), ["c4"]);
}

#[test]
fn capacity_is_per_channel() {
    let mut router = Router::default();
    router.sign_in(
        "ada",
        vec![channel("sms", Some(1)), channel("chat", Some(2))],
        at(0),
    );
    router.set_ready("ada", &["sms".to_owned(), "chat".to_owned()], true, at(0));
    for id in ["s1", "s2"] {
        router.enqueue(id, "sms", at(1));
    }
    for id in ["c1", "c2", "c3"] {
        router.enqueue(id, "chat", at(2));
    }
    let offered = router.route(at(3));
    assert_eq!(interactions(&offered), ["s1", "c1", "c2"]);
}

#[test]
fn going_ready_after_a_break_brings_only_the_free_capacity() {
    let mut router = Router::default();
    router.sign_in("ada", vec![channel("sms", Some(2))], at(0));
    for n in 0..9 {
        router.enqueue(&format!("s{n}"), "sms", at(n));
    }
    assert!(router.route(at(10)).is_empty(), "not Ready");
    router.set_ready("ada", &media("sms"), true, at(10));
    assert_eq!(interactions(&router.route(at(10))), ["s0", "s1"]);
    assert_eq!(router.waiting(), 7);
}

#[test]
fn work_of_a_media_type_no_signed_in_channel_carries_is_reported() {
    let mut router = Router::default();
    router.enqueue("m1", "messenger", at(0));
    assert!(
        router.unhandled().is_empty(),
        "nobody signed in: nothing to say yet"
    );
    ready_agent(&mut router, "ada", "sms", None, 1);
    router.enqueue("s1", "sms", at(2));
    assert_eq!(
        router.unhandled(),
        [("m1".to_owned(), "messenger".to_owned())]
    );
}

#[test]
fn going_not_ready_withdraws_offers() {
    let mut router = Router::default();
    ready_agent(&mut router, "ada", "sms", None, 0);
    router.enqueue("i1", "sms", at(0));
    router.route(at(0));
    let withdrawn = router.set_ready("ada", &media("sms"), false, at(1));
    assert_eq!(interactions(&withdrawn), ["i1"]);
    assert!(
        router.route(at(60)).is_empty(),
        "not offered while Not Ready"
    );
}

#[test]
fn an_instant_message_goes_to_its_agent_only_and_a_refusal_drops_it() {
    let mut router = Router::default();
    ready_agent(&mut router, "ada", "im", None, 0);
    ready_agent(&mut router, "marc", "im", None, 0);
    router.enqueue_once("im1", "im", Some("marc"), at(0));
    let offer = router.route(at(0)).remove(0);
    assert_eq!(offer.agent, "marc");
    router
        .answer(&offer.offer_id, "marc", false, at(0))
        .expect("refused");
    assert!(router.route(at(60)).is_empty(), "not offered again");
}

#[test]
fn an_instant_message_to_a_queue_reaches_anyone_ready_but_its_sender() {
    let mut router = Router::default();
    // ada, who asks, has been idle longest: the invitation still goes to marc.
    ready_agent(&mut router, "ada", "im", None, 0);
    ready_agent(&mut router, "marc", "im", None, 5);
    router.enqueue_once_for_anyone_but("im1", "im", "ada", at(10));
    let offer = router.route(at(10)).remove(0);
    assert_eq!(offer.agent, "marc");
    router
        .answer(&offer.offer_id, "marc", false, at(11))
        .expect("refused");
    assert!(
        router.route(at(3600)).is_empty(),
        "dropped, never offered to the sender"
    );
}

#[test]
fn a_handed_over_interaction_counts_for_its_new_agent() {
    let mut router = Router::default();
    ready_agent(&mut router, "ada", "chat", Some(1), 0);
    ready_agent(&mut router, "marc", "chat", Some(1), 0);
    router.enqueue("c1", "chat", at(1));
    let offer = router.route(at(1)).remove(0);
    let first = offer.agent.clone();
    router
        .answer(&offer.offer_id, &first, true, at(2))
        .expect("accepted");
    let other = if first == "ada" { "marc" } else { "ada" };
    router.hand_over("c1", other, at(3));
    router.enqueue("c2", "chat", at(4));
    let next = router.route(at(4)).remove(0);
    assert_eq!(next.agent, first, "the first agent is free again");
}

#[test]
fn a_handed_back_interaction_goes_ahead_of_newer_work_to_someone_else() {
    let mut router = Router::default();
    ready_agent(&mut router, "ada", "chat", Some(1), 0);
    router.enqueue("c1", "chat", at(1));
    let offer = router.route(at(1)).remove(0);
    router
        .answer(&offer.offer_id, "ada", true, at(2))
        .expect("accepted");
    router.enqueue("c2", "chat", at(5));
    router.hand_back("c1", "chat", at(1), "ada", at(10));
    // Ada's place is free, but what she gave back is not offered to her again at once.
    let offers = router.route(at(10));
    assert_eq!(interactions(&offers), ["c2"]);
    // A colleague who goes Ready gets it before anything newer.
    ready_agent(&mut router, "marc", "chat", Some(1), 11);
    router.enqueue("c3", "chat", at(11));
    let offers = router.route(at(11));
    assert_eq!(interactions(&offers), ["c1"]);
    assert_eq!(offers[0].agent, "marc");
}

#[test]
fn going_not_ready_is_no_refusal_the_agent_gets_the_work_again_when_ready() {
    let mut router = Router::default();
    ready_agent(&mut router, "ada", "sms", Some(1), 0);
    router.enqueue("s1", "sms", at(1));
    assert_eq!(interactions(&router.route(at(1))), ["s1"]);
    let withdrawn = router.set_ready("ada", &media("sms"), false, at(2));
    assert_eq!(interactions(&withdrawn), ["s1"]);
    router.set_ready("ada", &media("sms"), true, at(3));
    assert_eq!(
        interactions(&router.route(at(3))),
        ["s1"],
        "offered again at once, not after the re-offer delay"
    );
    // Signing out and in again is the same.
    router.sign_out("ada", at(4));
    ready_agent(&mut router, "ada", "sms", Some(1), 5);
    assert_eq!(interactions(&router.route(at(5))), ["s1"]);
}
