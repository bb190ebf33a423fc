//! The Team Communicator: one search box in the top bar, results grouped by kind under it,
//! and each result's actions. Keyboard only works: type, arrows, Enter, Escape.

use egui::{Key, Modifiers, RichText, Ui};
use switchboard_core::{
    desk::{Desk, TeamAction, TeamResult},
    directory::{Presence, TargetKind},
    i18n::Translator,
};

use crate::{intents::Intent, theme};

/// What the Team Communicator keeps between frames.
#[derive(Default)]
pub(crate) struct TeamState {
    query: String,
    selected: usize,
    /// The highlighted action when a result's action menu is open.
    menu: Option<usize>,
    anchor: Option<egui::Pos2>,
    cache: SearchCache,
}

/// The results of the last query, so a search runs when the text changes, not every frame.
#[derive(Default)]
struct SearchCache(Option<(String, Vec<TeamResult>)>);

impl SearchCache {
    fn results(&mut self, desk: &Desk, query: &str) -> &[TeamResult] {
        if self.0.as_ref().is_none_or(|(q, _)| q != query) {
            self.0 = Some((query.to_owned(), desk.team_search(query)));
        }
        self.0
            .as_ref()
            .map_or(&[], |(_, results)| results.as_slice())
    }

    fn clear(&mut self) {
        self.0 = None;
    }
}

/// Draws results under a heading per kind (agents, queues...), or says there are none.
fn grouped(
    ui: &mut Ui,
    tr: &Translator,
    results: &[TeamResult],
    mut row: impl FnMut(&mut Ui, usize, &TeamResult),
) {
    if results.is_empty() {
        ui.label(RichText::new(tr.tr("history-empty")).color(theme::TEXT_WEAK));
    }
    let mut kind = None;
    for (index, result) in results.iter().enumerate() {
        if kind != Some(result.target.kind) {
            kind = Some(result.target.kind);
            ui.label(
                RichText::new(tr.tr(kind_key(result.target.kind)))
                    .strong()
                    .color(theme::TEXT_WEAK),
            );
        }
        row(ui, index, result);
    }
}

impl TeamState {
    /// Forgets cached results (after a favourite changed).
    pub(crate) fn invalidate(&mut self) {
        self.cache.clear();
    }

    /// Closes the results.
    pub(crate) fn close(&mut self) {
        self.query.clear();
        self.menu = None;
        self.selected = 0;
        self.cache.clear();
    }

    fn results(&mut self, desk: &Desk) -> &[TeamResult] {
        self.cache.results(desk, &self.query)
    }
}

fn kind_key(kind: TargetKind) -> &'static str {
    match kind {
        TargetKind::Agent => "team-agents",
        TargetKind::Queue => "team-queues",
        TargetKind::Skill => "team-skills",
        TargetKind::Group => "team-groups",
        TargetKind::RoutingPoint => "team-routing-points",
        TargetKind::Contact => "team-contacts",
    }
}

fn presence(tr: &Translator, presence: Presence) -> (String, egui::Color32) {
    match presence {
        Presence::Ready => (tr.tr("status-ready"), theme::SUCCESS),
        Presence::NotReady => (tr.tr("status-not-ready"), theme::WARNING),
        Presence::Busy => (tr.tr("team-busy"), theme::DANGER),
        Presence::Offline => (tr.tr("status-logged-out"), theme::TEXT_WEAK),
    }
}

fn action_label(tr: &Translator, action: TeamAction) -> String {
    tr.tr(match action {
        TeamAction::SendInstantMessage => "team-send-im",
        TeamAction::Call => "team-call",
        TeamAction::AddFavourite => "team-add-favourite",
        TeamAction::RemoveFavourite => "team-remove-favourite",
    })
}

/// One result: name (starred when a favourite), presence, detail. Returns the name's response.
fn result_row(ui: &mut Ui, tr: &Translator, result: &TeamResult, selected: bool) -> egui::Response {
    let star = if result.favourite { "* " } else { "" };
    ui.horizontal(|ui| {
        let name = format!("{star}{}", result.target.name);
        let response = ui.selectable_label(selected, name);
        if let Some(p) = result.target.presence {
            let (text, colour) = presence(tr, p);
            ui.label(RichText::new(text).color(colour).font(theme::small_font()));
        }
        ui.label(
            RichText::new(&result.target.detail)
                .color(theme::TEXT_WEAK)
                .font(theme::small_font()),
        );
        response
    })
    .inner
}

/// What the target picker keeps between frames.
#[derive(Default)]
pub(crate) struct PickerState {
    query: String,
    selected: usize,
    cache: SearchCache,
}

/// The Team Communicator inside an interaction's Transfer (or Conference, Consult): search,
/// arrows, Enter picks; Escape or Cancel closes. Contacts are listed but cannot be picked.
pub(crate) fn picker(
    ui: &mut Ui,
    state: &mut PickerState,
    desk: &Desk,
    tr: &Translator,
    interaction: &str,
    purpose: &str,
    intents: &mut Vec<Intent>,
) {
    let title = match purpose {
        "transfer" => tr.tr("picker-transfer"),
        "conference" => tr.tr("picker-conference"),
        "consult" => tr.tr("picker-consult"),
        other => tr.tr_args("picker-title", &[("purpose", other)]),
    };
    egui::Window::new(title)
        .id(egui::Id::unique(("target_picker", interaction)))
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 80.0))
        .show(ui.ctx(), |ui| {
            ui.set_width(440.0);
            let response = ui.add(
                egui::TextEdit::singleline(&mut state.query)
                    .hint_text(tr.tr("team-hint"))
                    .desired_width(f32::INFINITY),
            );
            if response.changed() {
                state.selected = 0;
            }
            let consult = purpose == switchboard_sdk::purposes::CONSULT;
            if consult {
                ui.label(
                    RichText::new(tr.tr("picker-consult-hint"))
                        .color(theme::TEXT_WEAK)
                        .font(theme::small_font()),
                );
            }
            if !response.has_focus() && state.query.is_empty() {
                response.request_focus();
            }
            let results: Vec<TeamResult> = state
                .cache
                .results(desk, &state.query)
                .iter()
                .filter(|r| r.target.presence != Some(Presence::Offline))
                .take(12)
                .cloned()
                .collect();
            let (down, up, enter, escape) = ui.input_mut(|i| {
                (
                    i.consume_key(Modifiers::NONE, Key::ArrowDown),
                    i.consume_key(Modifiers::NONE, Key::ArrowUp),
                    i.key_pressed(Key::Enter),
                    i.consume_key(Modifiers::NONE, Key::Escape),
                )
            });
            if down {
                state.selected = (state.selected + 1).min(results.len().saturating_sub(1));
            }
            if up {
                state.selected = state.selected.saturating_sub(1);
            }
            let mut chosen = None;
            ui.separator();
            grouped(ui, tr, &results, |ui, index, result| {
                let pickable = result.target.kind != TargetKind::Contact;
                ui.add_enabled_ui(pickable, |ui| {
                    let row = result_row(ui, tr, result, index == state.selected);
                    let row = if pickable {
                        row
                    } else {
                        row.on_disabled_hover_text(tr.tr("picker-no-contacts"))
                    };
                    if row.double_clicked() || (row.clicked() && !consult) {
                        chosen = Some(result.target.clone());
                    } else if row.clicked() {
                        state.selected = index;
                    }
                });
            });
            if enter
                && let Some(result) = results.get(state.selected)
                && result.target.kind != TargetKind::Contact
            {
                chosen = Some(result.target.clone());
            }
            ui.separator();
            let cancel = ui
                .horizontal(|ui| {
                    if consult {
                        let highlighted = results
                            .get(state.selected)
                            .filter(|r| r.target.kind != TargetKind::Contact);
                        let start = theme::primary_button(tr.tr("picker-consult-start"));
                        if ui.add_enabled(highlighted.is_some(), start).clicked() {
                            chosen = highlighted.map(|r| r.target.clone());
                        }
                    }
                    ui.button(tr.tr("cancel")).clicked()
                })
                .inner;
            if let Some(target) = chosen {
                intents.push(Intent::ChooseTarget(interaction.to_owned(), target));
                *state = PickerState::default();
            } else if cancel || escape {
                intents.push(Intent::CancelChoosing(interaction.to_owned()));
                *state = PickerState::default();
            }
        });
}

/// The Team Communicator's search field (keyboard shortcuts move the focus there).
pub(crate) fn search_id() -> egui::Id {
    egui::Id::unique("team_search")
}

/// The search field, in the top bar.
pub(crate) fn field(ui: &mut Ui, state: &mut TeamState, tr: &Translator) {
    let label = ui.label(tr.tr("team-label"));
    let response = ui
        .add(
            egui::TextEdit::singleline(&mut state.query)
                .id(search_id())
                .hint_text(tr.tr("team-hint"))
                .desired_width((ui.available_width() * 0.22).clamp(140.0, 240.0)),
        )
        .labelled_by(label.id);
    state.anchor = Some(response.rect.left_bottom());
    if response.changed() {
        state.selected = 0;
        state.menu = None;
    }
    if response.has_focus() {
        let (down, up) = ui.input_mut(|i| {
            (
                i.consume_key(Modifiers::NONE, Key::ArrowDown),
                i.consume_key(Modifiers::NONE, Key::ArrowUp),
            )
        });
        if down {
            state.selected += 1;
        }
        if up {
            state.selected = state.selected.saturating_sub(1);
        }
    }
    if state.menu.is_none() && ui.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape)) {
        state.close();
    }
    // Enter opens the highlighted result's actions; it is consumed so the open menu does not
    // also take it as "run the first action".
    if response.lost_focus()
        && !state.query.is_empty()
        && ui.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Enter))
    {
        state.menu = Some(0);
    }
}

/// The results under the field, when there is a query or an open menu.
pub(crate) fn results(
    ui: &mut Ui,
    state: &mut TeamState,
    desk: &Desk,
    tr: &Translator,
    intents: &mut Vec<Intent>,
) {
    if state.query.trim().is_empty() && state.menu.is_none() {
        return;
    }
    let Some(anchor) = state.anchor else {
        return;
    };
    let results: Vec<TeamResult> = state.results(desk).to_vec();
    if results.is_empty() {
        state.selected = 0;
    } else {
        state.selected = state.selected.min(results.len() - 1);
    }
    let actions = results
        .get(state.selected)
        .map(|r| desk.team_actions(r))
        .unwrap_or_default();
    // Keyboard inside an open menu.
    if let Some(index) = state.menu {
        let (down, up, enter, escape) = ui.input_mut(|i| {
            (
                i.consume_key(Modifiers::NONE, Key::ArrowDown),
                i.consume_key(Modifiers::NONE, Key::ArrowUp),
                i.consume_key(Modifiers::NONE, Key::Enter),
                i.consume_key(Modifiers::NONE, Key::Escape),
            )
        });
        let count = actions.len().max(1);
        if down {
            state.menu = Some((index + 1) % count);
        }
        if up {
            state.menu = Some((index + count - 1) % count);
        }
        if escape {
            state.menu = None;
        }
        if enter
            && let (Some(result), Some(action)) = (results.get(state.selected), actions.get(index))
        {
            intents.push(Intent::TeamAct(result.target.clone(), *action));
        }
    }
    egui::Area::new(egui::Id::unique("team_results"))
        .fixed_pos(anchor + egui::vec2(0.0, 4.0))
        .order(egui::Order::Foreground)
        .show(ui.ctx(), |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.set_width(420.0);
                let shown = &results[..results.len().min(30)];
                grouped(ui, tr, shown, |ui, index, result| {
                    if result_row(ui, tr, result, index == state.selected).clicked() {
                        state.selected = index;
                        state.menu = Some(0);
                    }
                    if index == state.selected
                        && let Some(highlighted) = state.menu
                    {
                        ui.horizontal(|ui| {
                            ui.add_space(16.0);
                            for (i, action) in actions.iter().enumerate() {
                                let button = egui::Button::selectable(
                                    i == highlighted,
                                    action_label(tr, *action),
                                );
                                if ui.add(button).clicked() {
                                    intents.push(Intent::TeamAct(result.target.clone(), *action));
                                }
                            }
                        });
                    }
                });
            });
        });
}
