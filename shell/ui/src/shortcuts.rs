//! The workspace's keyboard shortcuts, in one table: what the handler acts on and what the
//! shortcuts sheet (F1) lists. They work wherever the focus is, and never while a dialog asks
//! a question (the dialog answers Enter and Escape itself).

use egui::{Key, KeyboardShortcut, Modifiers, RichText, Ui};
use switchboard_core::{desk::Desk, i18n::Translator};

use crate::{intents::Intent, offers, theme};

const CTRL_SHIFT: Modifiers = Modifiers::COMMAND.plus(Modifiers::SHIFT);

/// Shows the next interaction in the bar (wrapping).
pub(crate) const NEXT_INTERACTION: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND, Key::PageDown);
/// Shows the previous interaction in the bar (wrapping).
pub(crate) const PREVIOUS_INTERACTION: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND, Key::PageUp);
/// Puts the focus in the reply box of the interaction shown.
pub(crate) const FOCUS_REPLY: KeyboardShortcut = KeyboardShortcut::new(CTRL_SHIFT, Key::M);
/// Marks the interaction shown done.
pub(crate) const MARK_DONE: KeyboardShortcut = KeyboardShortcut::new(CTRL_SHIFT, Key::D);
/// Starts a transfer of the interaction shown (when its channel offers one).
pub(crate) const TRANSFER: KeyboardShortcut = KeyboardShortcut::new(CTRL_SHIFT, Key::T);
/// Puts the focus in the Team Communicator's search.
pub(crate) const TEAM: KeyboardShortcut = KeyboardShortcut::new(CTRL_SHIFT, Key::K);
/// Ready on every channel the agent can be Ready on.
pub(crate) const READY: KeyboardShortcut = KeyboardShortcut::new(CTRL_SHIFT, Key::Y);
/// Not Ready (no reason) on every channel.
pub(crate) const NOT_READY: KeyboardShortcut = KeyboardShortcut::new(CTRL_SHIFT, Key::N);
/// Opens the list of every open interaction (with seven or more open).
pub(crate) const LIST: KeyboardShortcut = KeyboardShortcut::new(CTRL_SHIFT, Key::L);
/// Opens or closes the shortcuts sheet.
pub(crate) const SHEET: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::F1);

/// The id of the transfer action plugins put in their toolbar.
const TRANSFER_ACTION: &str = "transfer";

/// Every shortcut with the message id that says what it does, in the sheet's order.
fn table() -> [(KeyboardShortcut, &'static str); 12] {
    [
        (READY, "keys-ready"),
        (NOT_READY, "keys-not-ready"),
        (offers::ACCEPT_NEXT, "keys-accept"),
        (offers::REJECT_NEXT, "keys-reject"),
        (NEXT_INTERACTION, "keys-next"),
        (PREVIOUS_INTERACTION, "keys-previous"),
        (LIST, "keys-list"),
        (FOCUS_REPLY, "keys-reply"),
        (MARK_DONE, "keys-done"),
        (TRANSFER, "keys-transfer"),
        (TEAM, "keys-team"),
        (SHEET, "keys-sheet"),
    ]
}

/// Turns the shortcuts pressed this frame into intents.
pub(crate) fn handle(ui: &mut Ui, desk: &Desk, intents: &mut Vec<Intent>) {
    let pressed =
        |ui: &mut Ui, shortcut: &KeyboardShortcut| ui.input_mut(|i| i.consume_shortcut(shortcut));
    if pressed(ui, &SHEET) {
        intents.push(Intent::ToggleShortcuts);
    }
    if pressed(ui, &TEAM) {
        intents.push(Intent::Focus(crate::team::search_id()));
    }
    if pressed(ui, &LIST) {
        let list = crate::interaction_bar::open_list_id();
        ui.ctx().data_mut(|d| d.insert_temp(list, true));
    }
    for (shortcut, ready) in [(READY, true), (NOT_READY, false)] {
        if pressed(ui, &shortcut) {
            for channel in crate::top_bar::usable_channels(desk) {
                intents.push(match ready {
                    true => Intent::SetReady(channel, true),
                    false => Intent::SetNotReady(channel, None),
                });
            }
        }
    }
    let open: Vec<&str> = desk
        .interactions()
        .iter()
        .map(|i| i.row.id.as_str())
        .collect();
    let shown = desk.selected();
    let position = shown.and_then(|id| open.iter().position(|o| *o == id));
    for (shortcut, step) in [
        (NEXT_INTERACTION, 1),
        (PREVIOUS_INTERACTION, open.len().max(1) - 1),
    ] {
        if pressed(ui, &shortcut) && !open.is_empty() {
            let next = position.map_or(0, |p| (p + step) % open.len());
            intents.push(Intent::Select(open[next].to_owned()));
        }
    }
    let Some(shown) = shown else {
        return;
    };
    if pressed(ui, &FOCUS_REPLY) {
        intents.push(Intent::Focus(crate::widgets::composer_id(shown)));
    }
    if pressed(ui, &MARK_DONE) {
        intents.push(Intent::MarkDone(shown.to_owned()));
    }
    if pressed(ui, &TRANSFER) {
        let offers_transfer = desk
            .interaction(shown)
            .and_then(|open| open.view.as_ref())
            .is_some_and(|view| {
                view.toolbar
                    .iter()
                    .any(|action| action.id == TRANSFER_ACTION && action.enabled)
            });
        if offers_transfer {
            intents.push(Intent::Action(shown.to_owned(), TRANSFER_ACTION.to_owned()));
        }
    }
}

/// The shortcuts sheet: every shortcut and what it does, in the agent's language.
pub(crate) fn sheet(ui: &mut Ui, tr: &Translator, intents: &mut Vec<Intent>) {
    let mut open = true;
    egui::Window::new(tr.tr("keys-title"))
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
        .show(ui.ctx(), |ui| {
            egui::Grid::new("shortcuts")
                .num_columns(2)
                .spacing([theme::GAP * 2.0, theme::GAP])
                .show(ui, |ui| {
                    for (shortcut, what) in table() {
                        ui.label(RichText::new(ui.ctx().format_shortcut(&shortcut)).strong());
                        ui.label(tr.tr(what));
                        ui.end_row();
                    }
                    for (keys, what) in [("Enter", "keys-send"), ("Shift+Enter", "keys-newline")] {
                        ui.label(RichText::new(keys).strong());
                        ui.label(tr.tr(what));
                        ui.end_row();
                    }
                });
        });
    if !open {
        intents.push(Intent::ToggleShortcuts);
    }
}
