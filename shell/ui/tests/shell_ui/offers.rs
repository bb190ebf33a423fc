//! Offers: accepting, rejecting, time-outs, the offer area and the keyboard.

use egui_kittest::kittest::Queryable;
use switchboard_core::i18n::Language;
use switchboard_edge::InboundSms;

use crate::common::*;

#[test]
fn reject_and_offer_time_out_in_french() {
    let (app, platform, clock) = shell(Language::French);
    let mut harness = signed_in_and_ready(app, "ada", "Prêt");
    customer_writes(&platform, "Bonjour ?");
    harness.run();
    harness.get_by_label_contains("Refuser ").click();
    harness.run();
    harness.state_mut().desk.settle();
    harness.run();
    assert!(harness.state().desk.offers().is_empty());
    clock.advance_seconds(31);
    harness.run();
    assert_eq!(
        harness.state().desk.offers().len(),
        1,
        "offered again after the delay"
    );
    clock.advance_seconds(30);
    harness.run();
    assert!(
        harness.state().desk.offers().is_empty(),
        "timed out on the host clock"
    );
}

#[test]
fn offers_that_do_not_fit_are_listed_compactly_and_can_be_accepted() {
    let (app, platform, _clock) = shell_with(unlimited_config(), Language::English);
    let mut harness = signed_in_and_ready(app, "ada", "Ready");
    named_customers_write(&platform, 7, |n| format!("Customer {n}"));
    harness.run();
    let hidden = (1..7)
        .find(|n| {
            harness
                .query_by_label(&format!("{n} more waiting"))
                .is_some()
        })
        .expect("a compact list of the offers that do not fit");
    assert!(hidden < 7, "some offers show as cards");
    harness.get_by_label_contains("· Customer 6 ·");
    harness.get_by_label("Accept SMS from Customer 6");
    let accepts = harness.query_all_by_label_contains("Accept ").count();
    assert_eq!(accepts, 7, "every offer can be accepted");
    harness
        .query_all_by_label_contains("Accept ")
        .last()
        .expect("an Accept")
        .click();
    harness.run();
    harness.state_mut().desk.settle();
    harness.run();
    assert_eq!(harness.state().desk.interactions().len(), 1);
    assert_eq!(
        harness.state().desk.interactions()[0].row.contact_name,
        "Customer 6"
    );
}

#[test]
fn the_oldest_offer_is_accepted_or_rejected_from_the_keyboard() {
    let (app, platform, _clock) = shell_with(unlimited_config(), Language::English);
    let mut harness = signed_in_and_ready(app, "ada", "Ready");
    named_customers_write(&platform, 2, |n| format!("Customer {n}"));
    harness.run();
    let oldest = harness.state().desk.offers()[0].row.id.clone();
    let shortcut = egui::Modifiers::COMMAND.plus(egui::Modifiers::SHIFT);
    harness.key_press_modifiers(shortcut, egui::Key::R);
    harness.run();
    harness.state_mut().desk.settle();
    harness.run();
    assert!(
        harness
            .state()
            .desk
            .offers()
            .iter()
            .all(|o| o.row.id != oldest),
        "the oldest was rejected"
    );
    let next = harness.state().desk.offers()[0].row.id.clone();
    harness.key_press_modifiers(shortcut, egui::Key::A);
    harness.run();
    harness.state_mut().desk.settle();
    harness.run();
    assert_eq!(harness.state().desk.selected(), Some(next.as_str()));
    assert!(
        harness.get_by_label("Reply").is_focused(),
        "and typing goes to its reply box"
    );
}

#[test]
fn an_unknown_senders_number_reads_grouped_in_the_offer_the_bar_and_the_header() {
    let (app, platform, _clock) = shell(Language::English);
    let mut harness = signed_in_and_ready(app, "ada", "Ready");
    platform
        .receive_sms(InboundSms {
            from: "+33698765432".into(),
            body: "Hello?".into(),
            ..Default::default()
        })
        .expect("stored");
    harness.run();
    harness.get_by_label("From +33 6 98 76 54 32");
    harness.get_by_label_contains("Accept ").click();
    harness.run();
    harness.state_mut().desk.settle();
    harness.run();
    assert!(
        harness
            .query_all_by_label_contains("+33 6 98 76 54 32")
            .count()
            >= 3,
        "the bar, the header and the transcript"
    );
    assert!(harness.query_by_label_contains("+33698765432").is_none());
}

#[test]
fn an_offer_never_covers_the_reply_box_or_the_side_panel() {
    let (app, platform, _clock) = shell_with(unlimited_config(), Language::English);
    let mut harness = signed_in_and_ready(app, "ada", "Ready");
    customer_writes(&platform, "First question");
    harness.run();
    harness.get_by_label_contains("Accept ").click();
    harness.run();
    harness.state_mut().desk.settle();
    harness.run();
    named_customers_write(&platform, 1, |_| "Robin Vasseur".into());
    harness.run();
    let accept = harness.get_by_label("Accept SMS from Robin Vasseur").rect();
    let reply = harness.get_by_label("Reply").rect();
    let panel_tab = harness.get_by_label("Disposition").rect();
    assert!(
        !accept.intersects(reply) && accept.bottom() <= reply.top(),
        "the offer {accept:?} is above the reply box {reply:?}"
    );
    assert!(
        accept.right() <= panel_tab.left(),
        "the offer {accept:?} stays left of the side panel {panel_tab:?}"
    );
}
