//! Spelling in the composer: misspelled words underlined as the agent types, suggestions and
//! "add to my dictionary" on right-click, and the "Send anyway?" question.

use std::{ops::Range, sync::Arc};

use egui::{
    RichText, Stroke, TextFormat, Ui,
    text::{LayoutJob, TextWrapping},
};
use switchboard_core::{desk::Desk, i18n::Translator};
use switchboard_spell::{Language, SpellChecker, word_at};

use crate::{intents::Intent, theme};

/// A layouter that underlines misspelled words in `language` and prefetches their suggestions.
pub(crate) fn layouter(
    spell: SpellChecker,
    language: Language,
) -> impl FnMut(&Ui, &dyn egui::TextBuffer, f32) -> Arc<egui::Galley> {
    move |ui, buffer, wrap_width| {
        let text = buffer.as_str();
        let font = egui::TextStyle::Body.resolve(ui.style());
        let plain = TextFormat::simple(font.clone(), theme::TEXT);
        let wrong = TextFormat {
            underline: Stroke::new(1.5, theme::DANGER),
            ..TextFormat::simple(font, theme::TEXT)
        };
        let mut job = LayoutJob {
            wrap: TextWrapping {
                max_width: wrap_width,
                ..Default::default()
            },
            ..Default::default()
        };
        let mut at = 0;
        for Range { start, end } in spell.misspelled(language, text) {
            // Ask for suggestions now, off the UI thread, so a right-click finds them ready.
            let _ = spell.suggestions(language, &text[start..end]);
            job.append(&text[at..start], 0.0, plain.clone());
            job.append(&text[start..end], 0.0, wrong.clone());
            at = end;
        }
        job.append(&text[at..], 0.0, plain);
        ui.fonts_mut(|f| f.layout_job(job))
    }
}

/// The right-click menu of the composer: for the misspelled word at `cursor` (a byte offset
/// in `draft`), its suggestions and "add to my dictionary".
pub(crate) fn context_menu(
    ui: &mut Ui,
    spell: &SpellChecker,
    language: Language,
    draft: &str,
    cursor: usize,
    (tr, interaction): (&Translator, &str),
    intents: &mut Vec<Intent>,
) {
    let Some(range) =
        word_at(draft, cursor).filter(|r| !spell.check_word(language, &draft[r.clone()]))
    else {
        ui.label(RichText::new(tr.tr("spell-no-word")).color(theme::TEXT_WEAK));
        return;
    };
    let word = draft[range.clone()].to_owned();
    match spell.suggestions(language, &word) {
        None => {
            // The worker wakes the UI when they are ready.
            ui.label(RichText::new(tr.tr("spell-looking")).color(theme::TEXT_WEAK));
        }
        Some(suggestions) if suggestions.is_empty() => {
            ui.label(RichText::new(tr.tr("spell-none")).color(theme::TEXT_WEAK));
        }
        Some(suggestions) => {
            for suggestion in suggestions {
                if ui.button(&suggestion).clicked() {
                    intents.push(Intent::ReplaceWord(
                        interaction.to_owned(),
                        range.clone(),
                        suggestion,
                    ));
                    ui.close();
                }
            }
        }
    }
    ui.separator();
    if ui
        .button(tr.tr_args("spell-add", &[("word", &word)]))
        .clicked()
    {
        intents.push(Intent::AddToDictionary(interaction.to_owned(), word));
        ui.close();
    }
}

/// The "Send anyway?" question for an interaction whose draft has misspelled words.
/// Enter (yes) and Escape (no) for the "Send anyway?" dialog, taken at the start of the frame
/// so the reply box behind it never sees them; the draft stays as typed either way.
pub(crate) fn dialog_keys(ui: &mut Ui) -> (bool, bool) {
    ui.input_mut(|i| {
        (
            i.consume_key(egui::Modifiers::NONE, egui::Key::Enter),
            i.consume_key(egui::Modifiers::NONE, egui::Key::Escape),
        )
    })
}

pub(crate) fn confirm_send(
    ui: &mut Ui,
    desk: &Desk,
    tr: &Translator,
    interaction: &str,
    keys: (bool, bool),
    intents: &mut Vec<Intent>,
) {
    let words: Vec<String> = desk
        .interaction(interaction)
        .map(|open| {
            desk.misspelled_in_draft(interaction)
                .into_iter()
                .map(|r| open.draft[r].to_owned())
                .collect()
        })
        .unwrap_or_default();
    let (yes_key, no_key) = keys;
    egui::Modal::new(egui::Id::unique("send_anyway")).show(ui.ctx(), |ui| {
        ui.set_width(360.0);
        ui.heading(tr.tr("spell-send-anyway"));
        ui.label(tr.tr_args("spell-misspelled", &[("words", &words.join(", "))]));
        ui.add_space(theme::GAP);
        ui.horizontal(|ui| {
            if ui.button(tr.tr("spell-yes")).clicked() || yes_key {
                intents.push(Intent::SendConfirmed(interaction.to_owned()));
            } else if ui.button(tr.tr("spell-no")).clicked() || no_key {
                intents.push(Intent::CancelSend);
            }
            ui.label(
                egui::RichText::new(tr.tr("spell-keys"))
                    .color(theme::TEXT_WEAK)
                    .font(theme::small_font()),
            );
        });
    });
}
