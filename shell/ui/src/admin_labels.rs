//! The Administration view's labels: for each kind of key (Not Ready reasons, disposition
//! categories and codes, channels, case-data keys), what agents read in each language. A blank
//! field falls back to what the shell or the plugin says (shown greyed in the field).

use egui::{RichText, Ui};
use switchboard_core::{
    config::{Config, LabelKind},
    desk::Desk,
    i18n::Translator,
};
use switchboard_sdk::i18n::LANGUAGES;

use crate::theme;

fn kind_title(kind: LabelKind) -> &'static str {
    match kind {
        LabelKind::NotReadyReason => "admin-labels-not-ready",
        LabelKind::DispositionCategory => "admin-labels-categories",
        LabelKind::Disposition => "admin-labels-dispositions",
        LabelKind::Channel => "admin-labels-channels",
        LabelKind::CaseDataKey => "admin-labels-case-data",
    }
}

/// The keys of `kind` the draft configuration knows, in its order.
fn keys(draft: &Config, kind: LabelKind, channels: &[String]) -> Vec<String> {
    let mut keys: Vec<String> = match kind {
        LabelKind::NotReadyReason => draft.shell.not_ready_reasons.clone(),
        LabelKind::DispositionCategory => {
            draft.dispositions.iter().map(|c| c.name.clone()).collect()
        }
        LabelKind::Disposition => draft
            .dispositions
            .iter()
            .flat_map(|c| c.codes.iter().map(|code| code.code.clone()))
            .collect(),
        LabelKind::Channel => channels.to_vec(),
        LabelKind::CaseDataKey => draft.shell.editable_case_data.clone(),
    };
    for labels in draft.labels.values() {
        for key in labels.of(kind).keys() {
            if !keys.contains(key) {
                keys.push(key.clone());
            }
        }
    }
    keys
}

/// The labels editor, over the draft.
pub(crate) fn show(
    ui: &mut Ui,
    tr: &Translator,
    desk: &Desk,
    draft: &mut Config,
    tab: &mut LabelKind,
    channels: &[String],
) {
    egui::CollapsingHeader::new(RichText::new(tr.tr("admin-labels")).strong())
        .id_salt("admin_labels")
        .show(ui, |ui| editor(ui, tr, desk, draft, tab, channels));
}

fn editor(
    ui: &mut Ui,
    tr: &Translator,
    desk: &Desk,
    draft: &mut Config,
    tab: &mut LabelKind,
    channels: &[String],
) {
    ui.label(
        RichText::new(tr.tr("admin-labels-hint"))
            .color(theme::TEXT_WEAK)
            .font(theme::small_font()),
    );
    ui.horizontal_wrapped(|ui| {
        for kind in LabelKind::ALL {
            if ui
                .selectable_label(*tab == kind, tr.tr(kind_title(kind)))
                .clicked()
            {
                *tab = kind;
            }
        }
    });
    let kind = *tab;
    egui::Grid::new(("admin_labels", kind_title(kind)))
        .num_columns(1 + LANGUAGES.len())
        .striped(true)
        .show(ui, |ui| {
            ui.label(RichText::new(tr.tr("admin-labels-key")).color(theme::TEXT_WEAK));
            for language in LANGUAGES {
                ui.label(RichText::new(language_name(tr, language)).color(theme::TEXT_WEAK));
            }
            ui.end_row();
            for key in keys(draft, kind, channels) {
                ui.label(&key);
                for language in LANGUAGES {
                    let mut text = draft
                        .label(kind, &key, language)
                        .unwrap_or_default()
                        .to_owned();
                    let fallback = desk.label(kind, &key, language).into_owned();
                    let edit = egui::TextEdit::singleline(&mut text)
                        .hint_text(fallback)
                        .desired_width(180.0);
                    // Named for screen readers by its key and language ("Lunch, Français").
                    let name = format!("{key}, {}", language_name(tr, language));
                    let response = ui.add(edit);
                    let enabled = response.enabled();
                    response.widget_info(|| {
                        egui::WidgetInfo::labeled(egui::Role::TextInput, enabled, &name)
                    });
                    if response.changed() {
                        draft.set_label(kind, &key, language, &text);
                    }
                }
                ui.end_row();
            }
        });
}

/// A language's name in the reader's language, from its tag.
fn language_name(tr: &Translator, tag: &str) -> String {
    tr.tr(switchboard_core::i18n::language_name_id(
        switchboard_core::i18n::Language::from_tag(tag),
    ))
}
