//! The interaction bar: one entry per open interaction, flashing while a reply is awaited.

use egui::{RichText, Ui};
use switchboard_core::people::shown;

use crate::{dates::elapsed, icons, intents::Intent, pending, screen::Screen, theme};

pub(crate) fn show(ui: &mut Ui, app: &Screen<'_>, intents: &mut Vec<Intent>) {
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
            // One line at any count: entries shorten, then the line scrolls sideways.
            egui::ScrollArea::horizontal()
                .id_salt("interaction_bar_scroll")
                .auto_shrink([false, true])
                .show(ui, |ui| {
                    ui.horizontal(|ui| {
                        if desk.interactions().is_empty() {
                            let ready =
                                app.desk.channels().iter().any(|c| {
                                    c.status == switchboard_core::desk::ChannelStatus::Ready
                                });
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
                                bar_name(&shown(&open.row.contact_name), desk.interactions().len()),
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
                            let response = ui.add(button).on_hover_ui(hover);
                            if response.clicked() {
                                intents.push(Intent::Select(open.row.id.clone()));
                            }
                            // A newly selected entry is brought into view once (the bar may scroll).
                            let shown = egui::Id::unique("interaction_bar_shown");
                            if selected
                                && ui.data(|d| d.get_temp::<String>(shown)).as_deref()
                                    != Some(open.row.id.as_str())
                            {
                                response.scroll_to_me(None);
                                ui.data_mut(|d| d.insert_temp(shown, open.row.id.clone()));
                            }
                            if let Some(pending) = desk.pending(&open.row.id) {
                                pending::pill(ui, app.tr, pending, flash_on);
                            }
                        }
                    });
                });
        });
}

/// Names longer than this are shortened in the bar once it holds many entries.
const SHORT_NAME_CHARS: usize = 16;

/// Entries from which the bar shortens names.
const MANY_ENTRIES: usize = 6;

/// The contact's name as the bar shows it: whole, or shortened with "…" when the bar is full.
fn bar_name(name: &str, entries: usize) -> String {
    if entries <= MANY_ENTRIES || name.chars().count() <= SHORT_NAME_CHARS {
        return name.to_owned();
    }
    let short: String = name.chars().take(SHORT_NAME_CHARS - 1).collect();
    format!("{}…", short.trim_end())
}
