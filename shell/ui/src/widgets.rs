//! Small pieces several views share: the ids that let one view move the keyboard focus into
//! another's widget, the rows of a labelled form, and a button's name for screen readers.

use egui::{RichText, Ui};
use switchboard_core::i18n::Translator;

use crate::theme;

pub(crate) fn composer_id(interaction: &str) -> egui::Id {
    egui::Id::unique(("composer_text", interaction))
}

/// Rows of a form grid: a weak label (translation key) and a text field it names.
pub(crate) fn text_field_rows<'a>(
    ui: &mut Ui,
    tr: &Translator,
    rows: impl IntoIterator<Item = (&'a str, &'a mut String)>,
) {
    for (key, value) in rows {
        let label = ui.label(RichText::new(tr.tr(key)).color(theme::TEXT_WEAK));
        ui.add(egui::TextEdit::singleline(value).desired_width(170.0))
            .labelled_by(label.id);
        ui.end_row();
    }
}

/// Gives a button the name a screen reader says when its face says too little ("+2", an
/// emoji, "Accept" on one offer among several); returns it for chaining.
pub(crate) fn button_named(response: egui::Response, name: &str) -> egui::Response {
    let enabled = response.enabled();
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, enabled, name));
    response
}
