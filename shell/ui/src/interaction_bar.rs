//! The interaction bar: one entry per open interaction, flashing while a reply is awaited;
//! with many open, a menu at its start lists them all with how long each customer has waited.

use egui::{RichText, Ui};
use switchboard_core::{desk::OpenInteraction, people::shown};

use crate::{dates::elapsed, icons, intents::Intent, pending, screen::Screen, theme};

pub(crate) fn show(ui: &mut Ui, app: &Screen<'_>, intents: &mut Vec<Intent>) {
    let desk = &app.desk;
    let flash_on = crate::repaint::flash_on(ui.input(|i| i.time));
    egui::Panel::top("interaction_bar")
        .frame(
            egui::Frame::new()
                .fill(theme::SURFACE_ALT)
                .inner_margin(egui::Margin::symmetric(10, 6)),
        )
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                let entries: Vec<&OpenInteraction> = desk
                    .interactions()
                    .iter()
                    // A consultation is drawn inside the interaction it consults about.
                    .filter(|open| !desk.is_pane(&open.row.id))
                    .collect();
                // Asked from the keyboard this frame (a menu drawn now opens, else nothing).
                let open_asked = ui
                    .ctx()
                    .data_mut(|d| d.remove_temp::<bool>(open_list_id()))
                    .unwrap_or(false);
                if entries.len() >= LISTED_FROM {
                    every_entry_menu(ui, app, &entries, open_asked, intents);
                }
                // One line at any count: entries shorten, then the line scrolls sideways.
                egui::ScrollArea::horizontal()
                    .id_salt("interaction_bar_scroll")
                    .auto_shrink([false, true])
                    .show(ui, |ui| {
                        ui.horizontal(|ui| {
                            if entries.is_empty() {
                                empty_bar(ui, app);
                            }
                            for open in &entries {
                                entry(ui, app, open, flash_on, intents);
                            }
                        });
                    });
            });
        });
}

/// What the bar says when nothing is open.
fn empty_bar(ui: &mut Ui, app: &Screen<'_>) {
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

/// An entry's words: channel, contact, time since accepted, and whether it consults.
fn entry_text(app: &Screen<'_>, open: &OpenInteraction, entries: usize) -> String {
    let desk = &app.desk;
    let channel = &desk.channels()[open.channel];
    let seconds = desk.now().seconds_since(open.accepted_at);
    let consulting = desk.consultation_of(&open.row.id).is_some();
    format!(
        "{} {} · {}{}",
        icons::channel(channel.icon(), channel.name()),
        bar_name(&shown(&open.row.contact_name), entries),
        elapsed(seconds),
        if consulting { " · IM" } else { "" }
    )
}

/// One entry of the bar: selects its interaction; flashes while a reply is awaited.
fn entry(
    ui: &mut Ui,
    app: &Screen<'_>,
    open: &OpenInteraction,
    flash_on: bool,
    intents: &mut Vec<Intent>,
) {
    let desk = &app.desk;
    let seconds = desk.now().seconds_since(open.accepted_at);
    let selected = desk.selected() == Some(open.row.id.as_str());
    let text = entry_text(app, open, desk.interactions().len());
    let mut button = egui::Button::selectable(selected, RichText::new(text).strong());
    if unanswered(open) && !selected && flash_on {
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
    if selected && ui.data(|d| d.get_temp::<String>(shown)).as_deref() != Some(open.row.id.as_str())
    {
        response.scroll_to_me(None);
        ui.data_mut(|d| d.insert_temp(shown, open.row.id.clone()));
    }
    if let Some(pending) = desk.pending(&open.row.id) {
        pending::pill(ui, app.tr, pending, flash_on);
    }
}

/// From this many entries the bar starts with a menu listing them all: the line scrolls, and
/// an agent with many open reaches any of them, and sees which await a reply, in one place.
const LISTED_FROM: usize = MANY_ENTRIES + 1;

/// Whether the customer's (or colleague's) last message has no reply yet, in a conversation
/// still going on.
fn unanswered(open: &OpenInteraction) -> bool {
    !open.ended && open.awaits_reply()
}

/// "All (20) · 3 unanswered": every open interaction, one line each with its name in full and
/// how long its customer has waited; picking one shows it.
fn every_entry_menu(
    ui: &mut Ui,
    app: &Screen<'_>,
    entries: &[&OpenInteraction],
    open_asked: bool,
    intents: &mut Vec<Intent>,
) {
    let desk = &app.desk;
    let waiting = entries.iter().filter(|open| unanswered(open)).count();
    let count = entries.len().to_string();
    let title = if waiting > 0 {
        app.tr.tr_args(
            "bar-all-waiting",
            &[("count", &count), ("waiting", &waiting.to_string())],
        )
    } else {
        app.tr.tr_args("bar-all", &[("count", &count)])
    };
    let menu = ui.menu_button(title, |ui| {
        for open in entries {
            let selected = desk.selected() == Some(open.row.id.as_str());
            ui.horizontal(|ui| {
                // Names whole here: the menu has the room the bar lacks.
                if ui
                    .selectable_label(selected, entry_text(app, open, 1))
                    .clicked()
                {
                    intents.push(Intent::Select(open.row.id.clone()));
                    ui.close();
                }
                if let Some(pending) = desk.pending(&open.row.id) {
                    pending::pill(ui, app.tr, pending, true);
                } else if unanswered(open) {
                    ui.label(
                        RichText::new(app.tr.tr("bar-unanswered"))
                            .color(theme::WARNING)
                            .font(theme::small_font()),
                    );
                }
            });
        }
    });
    if open_asked {
        egui::Popup::open_id(ui.ctx(), egui::Popup::default_response_id(&menu.response));
        menu.response.request_focus();
    }
    ui.separator();
}

/// Where the keyboard asks the bar to open its list of every open interaction.
pub(crate) fn open_list_id() -> egui::Id {
    egui::Id::unique("interaction_bar_open_list")
}

/// Names longer than this are shortened in the bar once it holds many entries.
const SHORT_NAME_CHARS: usize = 16;

/// Entries from which the bar shortens names.
const MANY_ENTRIES: usize = 6;

/// The contact's name as the bar shows it: whole, or shortened with "…" when the bar is full.
/// A number keeps its end, which tells one customer from the next (`…34 56 29`); a name keeps
/// its start.
fn bar_name(name: &str, entries: usize) -> String {
    let length = name.chars().count();
    if entries <= MANY_ENTRIES || length <= SHORT_NAME_CHARS {
        return name.to_owned();
    }
    if name.starts_with('+') {
        // From a whole group of digits on: "…6 12 34 56 29", never "…3 6 12…".
        let cut = length - (SHORT_NAME_CHARS - 1);
        let tail: String = name.chars().skip(cut).collect();
        let whole_groups = match name.chars().nth(cut - 1) {
            Some(' ') => tail.as_str(),
            _ => tail.split_once(' ').map_or(tail.as_str(), |(_, rest)| rest),
        };
        return format!("…{}", whole_groups.trim_start());
    }
    let short: String = name.chars().take(SHORT_NAME_CHARS - 1).collect();
    format!("{}…", short.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_bar_keeps_the_end_of_a_number_and_the_start_of_a_name() {
        assert_eq!(bar_name("+33 6 12 34 56 29", 20), "…6 12 34 56 29");
        assert_eq!(bar_name("+44 7700 900123", 20), "+44 7700 900123");
        assert_eq!(
            bar_name("Customer with a rather long name", 20),
            "Customer with a…"
        );
        assert_eq!(bar_name("+33 6 12 34 56 29", 3), "+33 6 12 34 56 29");
    }
}
