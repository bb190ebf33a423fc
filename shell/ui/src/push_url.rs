//! The URL editor under a chat's composer: type or pick a link the agent pushed before (arrow
//! keys move through the list), open it to check it, push it to the customer.

use egui::{Key, Modifiers, RichText, Ui};
use switchboard_core::{desk::Desk, i18n::Translator, links};

use crate::{intents::Intent, theme};

/// How many earlier links the list shows.
const SHOWN: usize = 5;

/// What the editor keeps between frames for one interaction.
#[derive(Default)]
pub(crate) struct PushUrlState {
    url: String,
    highlighted: Option<usize>,
}

pub(crate) fn show(
    ui: &mut Ui,
    desk: &Desk,
    tr: &Translator,
    id: &str,
    state: &mut PushUrlState,
    intents: &mut Vec<Intent>,
) {
    let earlier: Vec<String> = desk.pushed_urls(id).iter().take(SHOWN).cloned().collect();
    egui::Panel::bottom(("push_url", id))
        .frame(
            egui::Frame::new()
                .fill(theme::SURFACE_ALT)
                .inner_margin(egui::Margin::symmetric(12, 6)),
        )
        .show(ui, |ui| {
            let mut push = false;
            ui.horizontal(|ui| {
                let label = ui.label(RichText::new(tr.tr("push-url-label")).strong());
                let field = ui
                    .add(
                        egui::TextEdit::singleline(&mut state.url)
                            .hint_text("https://")
                            .desired_width(ui.available_width() - 230.0),
                    )
                    .labelled_by(label.id);
                if field.changed() {
                    state.highlighted = None;
                }
                if field.has_focus() && !earlier.is_empty() {
                    let (down, up) = ui.input_mut(|i| {
                        (
                            i.consume_key(Modifiers::NONE, Key::ArrowDown),
                            i.consume_key(Modifiers::NONE, Key::ArrowUp),
                        )
                    });
                    let moved = match (down, up, state.highlighted) {
                        (true, _, None) => Some(0),
                        (true, _, Some(i)) => Some((i + 1).min(earlier.len() - 1)),
                        (_, true, Some(0)) | (_, true, None) => None,
                        (_, true, Some(i)) => Some(i - 1),
                        _ => state.highlighted,
                    };
                    if moved != state.highlighted {
                        state.highlighted = moved;
                        if let Some(i) = moved {
                            state.url = earlier[i].clone();
                        }
                    }
                }
                let entered = field.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
                let checked = links::pushable(&state.url);
                let valid = checked.is_ok();
                if ui
                    .add_enabled(valid, egui::Button::new(tr.tr("push-url-open")))
                    .on_hover_text(tr.tr("push-url-open-hint"))
                    .clicked()
                    && let Ok(url) = &checked
                {
                    intents.push(Intent::OpenLink(url.clone()));
                }
                let send = theme::primary_button(tr.tr("push-url-send"));
                push = (ui.add_enabled(valid, send).clicked() || (entered && valid))
                    && !state.url.trim().is_empty();
                if let Err(reason) = &checked
                    && !state.url.trim().is_empty()
                {
                    ui.label(
                        RichText::new(reason)
                            .color(theme::DANGER)
                            .font(theme::small_font()),
                    );
                }
            });
            if !earlier.is_empty() {
                ui.horizontal_wrapped(|ui| {
                    ui.label(
                        RichText::new(tr.tr("push-url-earlier"))
                            .color(theme::TEXT_WEAK)
                            .font(theme::small_font()),
                    );
                    for (index, url) in earlier.iter().enumerate() {
                        let chosen = state.highlighted == Some(index);
                        if ui
                            .selectable_label(chosen, RichText::new(url).font(theme::small_font()))
                            .clicked()
                        {
                            state.highlighted = Some(index);
                            state.url = url.clone();
                        }
                    }
                });
            }
            if push {
                intents.push(Intent::PushUrl(id.to_owned(), state.url.trim().to_owned()));
                state.url.clear();
                state.highlighted = None;
            }
        });
}
