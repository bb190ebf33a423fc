//! The composer's emoji picker: a button beside the reply box opens a search field (by name,
//! "thumbs", "heart", "smile") over the emoji the shell's font draws; Enter inserts the first
//! match at the cursor, a click inserts any, Escape closes. Each emoji is a button named for
//! screen readers.

use egui::{RichText, Ui};
use switchboard_core::i18n::Translator;

use crate::{intents::Intent, theme};

/// Emoji shown at most at once.
const SHOWN: usize = 48;
/// Emoji per row.
const PER_ROW: usize = 8;

/// The picker's state: open for one interaction, with its search.
#[derive(Default)]
pub(crate) struct EmojiPicker {
    open_for: Option<String>,
    query: String,
    focus_search: bool,
    /// The matches of the last query searched (the list is read again only when it changes).
    found: Option<(String, Vec<&'static emojis::Emoji>)>,
}

impl EmojiPicker {
    fn is_open_for(&self, interaction: &str) -> bool {
        self.open_for.as_deref() == Some(interaction)
    }
}

/// The button that opens the picker.
pub(crate) fn button(ui: &mut Ui, tr: &Translator, picker: &mut EmojiPicker, interaction: &str) {
    let name = tr.tr("emoji-insert");
    let response = ui.small_button("☺").on_hover_text(&name);
    if crate::widgets::button_named(response, &name).clicked() {
        if picker.is_open_for(interaction) {
            picker.open_for = None;
        } else {
            picker.open_for = Some(interaction.to_owned());
            picker.query.clear();
            picker.focus_search = true;
        }
    }
}

/// The picker's window, when open for `interaction`.
pub(crate) fn show(
    ui: &mut Ui,
    tr: &Translator,
    picker: &mut EmojiPicker,
    interaction: &str,
    intents: &mut Vec<Intent>,
) {
    if !picker.is_open_for(interaction) {
        return;
    }
    let font = egui::FontId::proportional(20.0);
    let mut close = false;
    egui::Window::new(tr.tr("emoji-title"))
        .id(egui::Id::unique(("emoji_picker", interaction)))
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::LEFT_BOTTOM, egui::vec2(16.0, -120.0))
        .show(ui.ctx(), |ui| {
            let label = ui.label(tr.tr("emoji-search"));
            let search = ui
                .add(
                    egui::TextEdit::singleline(&mut picker.query)
                        .hint_text(tr.tr("emoji-search-hint"))
                        .desired_width(PER_ROW as f32 * 32.0),
                )
                .labelled_by(label.id);
            // Asked until it holds: a window's first frame only measures its content.
            if picker.focus_search {
                search.request_focus();
                picker.focus_search = !search.has_focus();
            }
            let (enter, escape) = ui.input_mut(|i| {
                (
                    i.consume_key(egui::Modifiers::NONE, egui::Key::Enter),
                    i.consume_key(egui::Modifiers::NONE, egui::Key::Escape),
                )
            });
            if picker
                .found
                .as_ref()
                .is_none_or(|(query, _)| *query != picker.query)
            {
                let found = matches(ui, &picker.query, &font);
                picker.found = Some((picker.query.clone(), found));
            }
            let found = picker
                .found
                .as_ref()
                .map_or(&[][..], |(_, found)| found.as_slice());
            if escape {
                close = true;
            } else if enter && let Some(first) = found.first() {
                intents.push(Intent::InsertText(
                    interaction.to_owned(),
                    first.as_str().to_owned(),
                ));
                close = true;
            }
            if found.is_empty() {
                ui.label(RichText::new(tr.tr("emoji-none")).color(theme::TEXT_WEAK));
            }
            egui::Grid::new(("emoji_grid", interaction)).show(ui, |ui| {
                for (index, emoji) in found.iter().enumerate() {
                    let response = ui.add(egui::Button::new(
                        RichText::new(emoji.as_str()).font(font.clone()),
                    ));
                    if crate::widgets::button_named(response, emoji.name())
                        .on_hover_text(emoji.name())
                        .clicked()
                    {
                        intents.push(Intent::InsertText(
                            interaction.to_owned(),
                            emoji.as_str().to_owned(),
                        ));
                        close = true;
                    }
                    if (index + 1) % PER_ROW == 0 {
                        ui.end_row();
                    }
                }
            });
        });
    if close {
        picker.open_for = None;
        ui.ctx()
            .memory_mut(|m| m.request_focus(crate::widgets::composer_id(interaction)));
    }
}

/// The emoji whose name holds every word of `query`, that the font draws; the common faces
/// and gestures first (the order of the Unicode list).
fn matches(ui: &Ui, query: &str, font: &egui::FontId) -> Vec<&'static emojis::Emoji> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    ui.ctx().fonts_mut(|fonts| {
        emojis::iter()
            .filter(|emoji| {
                emoji
                    .skin_tone()
                    .is_none_or(|t| t == emojis::SkinTone::Default)
            })
            .filter(|emoji| {
                let name = emoji.name().to_lowercase();
                words.iter().all(|w| name.contains(w.as_str()))
            })
            .filter(|emoji| fonts.has_glyphs(font, emoji.as_str().trim_end_matches('\u{FE0F}')))
            .take(SHOWN)
            .collect()
    })
}
