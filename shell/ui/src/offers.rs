//! Incoming-interaction notifications: origin, case data, first message, Accept / Reject, and a
//! countdown on the host clock.

use egui::{RichText, Ui};

use crate::{
    app::{Intent, ShellApp},
    theme,
};

pub(crate) fn show(ui: &mut Ui, app: &ShellApp, intents: &mut Vec<Intent>) {
    let now = app.desk.now();
    // Stacked from the bottom right, each above the previous one's actual height.
    let mut bottom = 16.0;
    for offer in app.desk.offers() {
        let title = app
            .tr
            .tr_args("offer-title", &[("channel", &offer.channel_name)]);
        let shown = egui::Window::new(title)
            .id(egui::Id::unique(("offer", &offer.row.id)))
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::RIGHT_BOTTOM, egui::vec2(-16.0, -bottom))
            .default_width(340.0)
            .show(ui.ctx(), |ui| {
                ui.label(
                    RichText::new(
                        app.tr
                            .tr_args("offer-from", &[("contact", &offer.row.contact_name)]),
                    )
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
                    ui.label(RichText::new(address).color(theme::TEXT_WEAK));
                } else {
                    ui.label(
                        RichText::new(app.tr.tr("contact-unknown-sender")).color(theme::WARNING),
                    );
                }
                if let Some(first) = &offer.first_message {
                    let text: String = first.text.chars().take(240).collect();
                    theme::card().show(ui, |ui| {
                        ui.set_width(ui.available_width());
                        ui.label(text);
                    });
                }
                if !offer.case_data.is_empty() {
                    egui::Grid::new(("offer_case", &offer.row.id)).show(ui, |ui| {
                        for kv in offer.case_data.iter().take(4) {
                            ui.label(RichText::new(kv.key.as_str()).color(theme::TEXT_WEAK));
                            ui.label(kv.value.as_str());
                            ui.end_row();
                        }
                    });
                }
                ui.horizontal(|ui| {
                    let accept = egui::Button::new(
                        RichText::new(app.tr.tr("offer-accept")).color(egui::Color32::WHITE),
                    )
                    .fill(theme::SUCCESS);
                    if ui.add(accept).clicked() {
                        intents.push(Intent::Accept(offer.row.id.clone()));
                    }
                    if ui.button(app.tr.tr("offer-reject")).clicked() {
                        intents.push(Intent::Reject(offer.row.id.clone()));
                    }
                    let seconds = offer.expires_at.seconds_since(now).to_string();
                    ui.label(
                        RichText::new(app.tr.tr_args("offer-expires", &[("seconds", &seconds)]))
                            .color(theme::TEXT_WEAK)
                            .font(theme::small_font()),
                    );
                });
            });
        if let Some(shown) = shown {
            bottom += shown.response.rect.height() + 8.0;
        }
    }
}
