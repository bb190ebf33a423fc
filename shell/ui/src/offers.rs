//! Incoming-interaction notifications: origin, case data, first message, Accept / Reject, and a
//! countdown on the host clock.

use egui::{RichText, Ui};
use switchboard_core::{config::LabelKind, desk::OfferAnswer, people::shown};

use crate::{intents::Intent, screen::Screen, theme};

/// Accepts the oldest offer from the keyboard, wherever the focus is.
pub(crate) const ACCEPT_NEXT: egui::KeyboardShortcut = egui::KeyboardShortcut::new(
    egui::Modifiers::COMMAND.plus(egui::Modifiers::SHIFT),
    egui::Key::A,
);

/// Rejects the oldest offer from the keyboard.
pub(crate) const REJECT_NEXT: egui::KeyboardShortcut = egui::KeyboardShortcut::new(
    egui::Modifiers::COMMAND.plus(egui::Modifiers::SHIFT),
    egui::Key::R,
);

pub(crate) fn show(ui: &mut Ui, app: &Screen<'_>, intents: &mut Vec<Intent>) {
    let now = app.desk.now();
    // The stack stands in the area the workspace leaves to offers: the conversation, left of
    // the side panel and above the reply box (or the whole workspace when none is open).
    let area = theme::offer_area(ui.ctx());
    let screen = ui.ctx().content_rect();
    let right = screen.right() - area.right() + 16.0;
    let base = screen.bottom() - area.bottom();
    let room = area.height();
    // Stacked from the bottom right, each above the previous one's actual height; when the
    // next one would not fit, the rest are listed compactly above the stack.
    let mut bottom = 16.0;
    let mut last_height: f32 = 0.0;
    let offers = app.desk.offers();
    if let Some(next) = offers.iter().find(|o| o.answering.is_none()) {
        if ui.input_mut(|i| i.consume_shortcut(&ACCEPT_NEXT)) {
            intents.push(Intent::Accept(next.row.id.clone()));
        } else if ui.input_mut(|i| i.consume_shortcut(&REJECT_NEXT)) {
            intents.push(Intent::Reject(next.row.id.clone()));
        }
    }
    let shortcut = |shortcut: &egui::KeyboardShortcut| ui.ctx().format_shortcut(shortcut);
    for (index, offer) in offers.iter().enumerate() {
        if index > 0 && bottom + last_height.max(160.0) > room {
            more_offers(
                ui,
                app,
                &offers[index..],
                egui::vec2(-right, -(base + bottom)),
                intents,
            );
            return;
        }
        let title = app
            .tr
            .tr_args("offer-title", &[("channel", &offer.channel_name)]);
        let shown = egui::Window::new(title)
            .id(egui::Id::unique(("offer", &offer.row.id)))
            .collapsible(false)
            .resizable(false)
            .anchor(
                egui::Align2::RIGHT_BOTTOM,
                egui::vec2(-right, -(base + bottom)),
            )
            .default_width(340.0)
            .show(ui.ctx(), |ui| {
                ui.label(
                    RichText::new(app.tr.tr_args(
                        "offer-from",
                        &[("contact", &shown(&offer.row.contact_name))],
                    ))
                    .strong(),
                );
                if let Some(customer) = &offer.consultation_about {
                    ui.label(
                        RichText::new(
                            app.tr
                                .tr_args("offer-consultation", &[("customer", customer)]),
                        )
                        .color(theme::ACCENT)
                        .strong(),
                    );
                }
                let address = &offer.row.contact_address;
                if switchboard_core::backend::is_platform_id(address) {
                    // A colleague or a web chat visitor: the name says it all.
                } else if *address != offer.row.contact_name {
                    ui.label(RichText::new(shown(address)).color(theme::TEXT_WEAK));
                } else {
                    ui.label(
                        RichText::new(app.tr.tr("contact-unknown-sender")).color(theme::WARNING),
                    );
                }
                if let Some(first) = &offer.first_message {
                    let safe = switchboard_core::links::display_text(&first.text);
                    let text: String = safe.chars().take(240).collect();
                    theme::card().show(ui, |ui| {
                        ui.set_width(ui.available_width());
                        ui.label(text);
                    });
                }
                if !offer.case_data.is_empty() {
                    egui::Grid::new(("offer_case", &offer.row.id)).show(ui, |ui| {
                        // The platform's own keys (`_peer`…) are not for people.
                        for kv in offer
                            .case_data
                            .iter()
                            .filter(|kv| !kv.key.starts_with('_'))
                            .take(4)
                        {
                            let key = app.desk.named(LabelKind::CaseDataKey, &kv.key);
                            ui.label(RichText::new(key.as_ref()).color(theme::TEXT_WEAK))
                                .on_hover_text(kv.key.as_str());
                            ui.label(kv.value.as_str());
                            ui.end_row();
                        }
                    });
                }
                ui.horizontal(|ui| {
                    if let Some(answer) = offer.answering {
                        answering(ui, app, answer);
                        return;
                    }
                    // The oldest offer answers the keyboard too, and says how.
                    let first = index == 0;
                    let accept = theme::filled_button(app.tr.tr("offer-accept"), theme::SUCCESS);
                    let accepted =
                        name_for_readers(ui.add(accept), app.tr, "offer-accept-named", offer);
                    let rejected = name_for_readers(
                        ui.button(app.tr.tr("offer-reject")),
                        app.tr,
                        "offer-reject-named",
                        offer,
                    );
                    if first {
                        accepted.clone().on_hover_text(shortcut(&ACCEPT_NEXT));
                        rejected.clone().on_hover_text(shortcut(&REJECT_NEXT));
                    }
                    if accepted.clicked() {
                        intents.push(Intent::Accept(offer.row.id.clone()));
                    }
                    if rejected.clicked() {
                        intents.push(Intent::Reject(offer.row.id.clone()));
                    }
                    let seconds = offer.expires_at.seconds_since(now).to_string();
                    ui.label(
                        RichText::new(app.tr.tr_args("offer-expires", &[("seconds", &seconds)]))
                            .color(theme::TEXT_WEAK)
                            .font(theme::small_font()),
                    );
                });
                if first_of(index) {
                    ui.label(
                        RichText::new(app.tr.tr_args(
                            "offer-keys",
                            &[
                                ("accept", &shortcut(&ACCEPT_NEXT)),
                                ("reject", &shortcut(&REJECT_NEXT)),
                            ],
                        ))
                        .color(theme::TEXT_WEAK)
                        .font(theme::small_font()),
                    );
                }
            });
        if let Some(shown) = shown {
            last_height = shown.response.rect.height();
            bottom += last_height + 8.0;
        }
    }
}

/// Gives a card's button the name a screen reader says, naming the offer it acts on ("Accept
/// SMS from Camille Martin"): with several offers stacked, "Accept" alone says nothing.
fn name_for_readers(
    response: egui::Response,
    tr: &switchboard_core::i18n::Translator,
    id: &str,
    offer: &switchboard_core::desk::Offer,
) -> egui::Response {
    let name = tr.tr_args(
        id,
        &[
            ("channel", offer.channel_name.as_str()),
            ("contact", shown(&offer.row.contact_name).as_str()),
        ],
    );
    crate::widgets::button_named(response, &name)
}

/// Where the buttons were: the answer on its way to the platform.
fn answering(ui: &mut Ui, app: &Screen<'_>, answer: OfferAnswer) {
    let words = match answer {
        OfferAnswer::Accepting => "offer-opening",
        OfferAnswer::Rejecting => "offer-declining",
    };
    ui.label(RichText::new(app.tr.tr(words)).color(theme::TEXT_WEAK));
}

/// Whether the card at `index` is the oldest offer's, the one the keyboard answers.
fn first_of(index: usize) -> bool {
    index == 0
}

/// The offers that do not fit as cards: one line each, with Accept / Reject.
fn more_offers(
    ui: &mut Ui,
    app: &Screen<'_>,
    offers: &[switchboard_core::desk::Offer],
    anchor: egui::Vec2,
    intents: &mut Vec<Intent>,
) {
    let now = app.desk.now();
    let title = app
        .tr
        .tr_args("offer-more", &[("count", &offers.len().to_string())]);
    egui::Window::new(title)
        .id(egui::Id::unique("more_offers"))
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::RIGHT_BOTTOM, anchor)
        .default_width(340.0)
        .show(ui.ctx(), |ui| {
            for offer in offers {
                ui.horizontal(|ui| {
                    if let Some(answer) = offer.answering {
                        answering(ui, app, answer);
                        return;
                    }
                    let accept =
                        theme::filled_button(app.tr.tr("offer-accept"), theme::SUCCESS).small();
                    if name_for_readers(ui.add(accept), app.tr, "offer-accept-named", offer)
                        .clicked()
                    {
                        intents.push(Intent::Accept(offer.row.id.clone()));
                    }
                    if name_for_readers(
                        ui.small_button(app.tr.tr("offer-reject")),
                        app.tr,
                        "offer-reject-named",
                        offer,
                    )
                    .clicked()
                    {
                        intents.push(Intent::Reject(offer.row.id.clone()));
                    }
                    let seconds = offer.expires_at.seconds_since(now);
                    ui.label(format!(
                        "{} · {} · {seconds} s",
                        offer.channel_name,
                        shown(&offer.row.contact_name)
                    ));
                });
            }
        });
}
