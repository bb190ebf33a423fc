//! The interaction bar: one entry per open interaction, flashing while a reply is awaited.

use egui::{RichText, Ui};

use crate::{
    app::{Intent, ShellApp, elapsed},
    icons, pending, theme,
};

pub(crate) fn show(ui: &mut Ui, app: &ShellApp, intents: &mut Vec<Intent>) {
    let desk = &app.desk;
    let now = desk.now();
    let flash_on = crate::repaint::flash_on(ui.input(|i| i.time));
    egui::Panel::top("interaction_bar")
        .frame(
            egui::Frame::new()
                .fill(theme::SURFACE_ALT)
                .inner_margin(egui::Margin::symmetric(10, 6)),
        )
        .show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                if desk.interactions().is_empty() {
                    let ready = app
                        .desk
                        .channels()
                        .iter()
                        .any(|c| c.status == switchboard_core::desk::ChannelStatus::Ready);
                    let key = if ready {
                        "bar-empty-ready"
                    } else {
                        "bar-empty"
                    };
                    ui.label(RichText::new(app.tr.tr(key)).color(theme::TEXT_WEAK));
                }
                for open in desk.interactions() {
                    if desk.is_pane(&open.row.id) {
                        // Drawn inside the interaction it consults about.
                        continue;
                    }
                    let consulting = desk.consultation_of(&open.row.id).is_some();
                    let channel = &desk.channels()[open.channel];
                    let seconds = now.seconds_since(open.accepted_at);
                    let selected = desk.selected() == Some(open.row.id.as_str());
                    let waiting = open.awaits_reply();
                    let text = format!(
                        "{} {} · {}{}",
                        icons::channel(channel.icon(), channel.name()),
                        open.row.contact_name,
                        elapsed(seconds),
                        if consulting { " · IM" } else { "" }
                    );
                    let mut button =
                        egui::Button::selectable(selected, RichText::new(text).strong());
                    if waiting && !selected && flash_on {
                        button = button.fill(theme::FLASH);
                    }
                    // Built only while hovered: elapsed time and the last lines, made safe.
                    let hover = |ui: &mut Ui| {
                        ui.label(
                            app.tr
                                .tr_args("bar-elapsed", &[("elapsed", &elapsed(seconds))]),
                        );
                        for entry in open.transcript.iter().rev().take(3).rev() {
                            let text = switchboard_core::links::display_text(&entry.text);
                            ui.label(format!("{}: {text}", entry.author));
                        }
                    };
                    if ui.add(button).on_hover_ui(hover).clicked() {
                        intents.push(Intent::Select(open.row.id.clone()));
                    }
                    if let Some(pending) = desk.pending(&open.row.id) {
                        pending::pill(ui, &app.tr, pending, flash_on);
                    }
                }
            });
        });
}
