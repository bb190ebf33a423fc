//! The Contact side panel: the contact's record (names, labelled phones and e-mails, language,
//! custom fields) and its editor; for an unknown sender, creating the contact; for roles with
//! assign-contact, moving the interaction to a known contact.

use egui::{RichText, Ui};
use switchboard_core::{
    desk::Desk,
    i18n::Translator,
    people::shown,
    store::{Contact, ContactField, ContactPoint, POINT_LABELS},
};

use crate::{intents::Intent, latest::Latest, theme, widgets::text_field_rows};

/// What the Contact panel keeps between frames for one interaction.
#[derive(Default)]
pub(crate) struct ContactCardState {
    /// The record being edited (or created), when the editor is open.
    draft: Option<Contact>,
    /// The record sent for saving: the editor closes once the desk holds it, and stays open
    /// (with the desk's error shown) when it was refused.
    saving: Option<Contact>,
    /// What the agent typed to find the contact to assign the interaction to.
    assign_query: String,
    /// The contacts found for that text (the newest answer of the desk's search).
    assign_found: Latest<Vec<Contact>>,
}

impl ContactCardState {
    /// Opens the editor on the saved record (to create the contact of an unknown sender).
    pub(crate) fn edit(&mut self, saved: &Contact) {
        let mut draft = saved.clone();
        if draft.phones.is_empty() {
            draft.phones.push(ContactPoint {
                label: POINT_LABELS[0].into(),
                value: String::new(),
            });
        }
        self.draft = Some(draft);
    }
}

pub(crate) fn show(
    ui: &mut Ui,
    desk: &Desk,
    tr: &Translator,
    id: &str,
    state: &mut ContactCardState,
    intents: &mut Vec<Intent>,
) {
    let Some(saved) = desk.interaction(id).and_then(|o| o.contact.clone()) else {
        ui.label(RichText::new(tr.tr("contact-unknown")).color(theme::TEXT_WEAK));
        return;
    };
    if desk.interaction(id).is_some_and(|o| o.is_read_only()) {
        // A consultation shows the customer of the colleague's interaction: look, not touch.
        if saved.known {
            record(ui, tr, &saved);
        } else {
            let address = saved.phone().unwrap_or(&saved.display_name);
            ui.label(RichText::new(address).strong());
            ui.label(RichText::new(tr.tr("contact-unknown-sender")).color(theme::TEXT_WEAK));
        }
        return;
    }
    if state.draft.as_ref().is_some_and(|d| d.id != saved.id) {
        state.draft = None;
    }
    if let Some(sent) = &state.saving
        && saved.known
        && saved.tidied()
            == (Contact {
                known: true,
                ..sent.clone()
            })
    {
        state.saving = None;
        state.draft = None;
    }
    match state.draft.as_mut() {
        Some(draft) => {
            let title = if saved.known {
                "contact-edit"
            } else {
                "contact-new"
            };
            ui.label(RichText::new(tr.tr(title)).strong());
            editor(ui, tr, draft);
            let problems = draft.problems();
            for problem in &problems {
                ui.label(RichText::new(problem.to_string()).color(theme::DANGER));
            }
            let changed = draft.tidied() != saved.tidied() || !saved.known;
            let in_flight = desk.interaction(id).is_some_and(|o| o.contact_saving);
            let mut close = false;
            ui.horizontal(|ui| {
                let save = egui::Button::new(tr.tr("contact-save"));
                if ui
                    .add_enabled(changed && problems.is_empty() && !in_flight, save)
                    .clicked()
                {
                    intents.push(Intent::SaveContact(id.to_owned(), draft.tidied()));
                    state.saving = Some(draft.tidied());
                } else if ui.button(tr.tr("contact-cancel")).clicked() {
                    close = true;
                }
                if in_flight {
                    ui.label(RichText::new(tr.tr("contact-saving")).color(theme::TEXT_WEAK));
                }
            });
            if close {
                state.draft = None;
                state.saving = None;
            }
        }
        None if saved.known => {
            record(ui, tr, &saved);
            if ui.button(tr.tr("contact-edit")).clicked() {
                state.edit(&saved);
            }
        }
        None => {
            ui.label(
                RichText::new(tr.tr("contact-unknown-sender"))
                    .strong()
                    .color(theme::WARNING),
            );
            let address = saved.phone().unwrap_or(&saved.display_name);
            ui.label(tr.tr_args("contact-unknown-explain", &[("address", address)]));
            if ui.button(tr.tr("contact-create")).clicked() {
                state.edit(&saved);
            }
        }
    }
    if desk.may_assign_contact() {
        assign(ui, desk, tr, id, saved.id, state, intents);
    }
}

/// The saved record, read only.
fn record(ui: &mut Ui, tr: &Translator, contact: &Contact) {
    ui.label(RichText::new(shown(&contact.display_name)).strong());
    egui::Grid::new(("contact_record", contact.id))
        .num_columns(2)
        .spacing([8.0, 2.0])
        .show(ui, |ui| {
            let weak = |text: String| RichText::new(text).color(theme::TEXT_WEAK);
            for (key, points) in [
                ("contact-phone", &contact.phones),
                ("contact-email", &contact.emails),
            ] {
                for point in points {
                    ui.label(weak(format!(
                        "{} · {}",
                        tr.tr(key),
                        label_text(tr, &point.label)
                    )));
                    ui.add(egui::Label::new(&point.value).selectable(true));
                    ui.end_row();
                }
            }
            if let Some(language) = &contact.language {
                ui.label(weak(tr.tr("contact-language")));
                ui.label(language_name(tr, Some(language)));
                ui.end_row();
            }
            for field in &contact.fields {
                ui.label(weak(field.name.clone()));
                ui.add(egui::Label::new(&field.value).selectable(true));
                ui.end_row();
            }
        });
}

/// The editor of every part of the record.
fn editor(ui: &mut Ui, tr: &Translator, draft: &mut Contact) {
    let id = draft.id;
    egui::Grid::new(("contact_names", id))
        .num_columns(2)
        .show(ui, |ui| {
            text_field_rows(
                ui,
                tr,
                [
                    ("contact-first-name", &mut draft.first_name),
                    ("contact-last-name", &mut draft.last_name),
                ],
            );
            let label = ui.label(RichText::new(tr.tr("contact-language")).color(theme::TEXT_WEAK));
            egui::ComboBox::from_id_salt(("contact_language", id))
                .selected_text(language_name(tr, draft.language.as_deref()))
                .show_ui(ui, |ui| {
                    for code in [None, Some("en"), Some("fr")] {
                        let chosen = draft.language.as_deref() == code;
                        if ui
                            .selectable_label(chosen, language_name(tr, code))
                            .clicked()
                        {
                            draft.language = code.map(str::to_owned);
                        }
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();
        });
    points(
        ui,
        tr,
        id,
        "contact-phone",
        "contact-add-phone",
        &mut draft.phones,
    );
    points(
        ui,
        tr,
        id,
        "contact-email",
        "contact-add-email",
        &mut draft.emails,
    );
    fields(ui, tr, &mut draft.fields);
}

/// Rows of labelled phones or e-mails, each removable, and a button adding one.
fn points(
    ui: &mut Ui,
    tr: &Translator,
    contact: i64,
    key: &str,
    add_key: &str,
    points: &mut Vec<ContactPoint>,
) {
    ui.add_space(4.0);
    // The heading doubles as the accessible name of each row's text field.
    let heading = ui.label(RichText::new(tr.tr(key)).color(theme::TEXT_WEAK));
    removable_rows(ui, tr, points, |ui, index, point| {
        let kind = label_text(tr, &point.label);
        egui::ComboBox::from_id_salt(("point_label", key, contact, index))
            .selected_text(&kind)
            .width(68.0)
            .show_ui(ui, |ui| {
                for choice in POINT_LABELS {
                    if ui
                        .selectable_label(point.label == choice, label_text(tr, choice))
                        .clicked()
                    {
                        point.label = choice.to_owned();
                    }
                }
            })
            .response
            .widget_info(|| {
                let name = format!("{} {} · {kind}", tr.tr(key), index + 1);
                egui::WidgetInfo::labeled(egui::Role::ComboBox, true, name)
            });
        ui.add(egui::TextEdit::singleline(&mut point.value).desired_width(150.0))
            .labelled_by(heading.id);
    });
    if ui.small_button(tr.tr(add_key)).clicked() {
        points.push(ContactPoint {
            label: POINT_LABELS[if points.is_empty() { 0 } else { 1 }].into(),
            value: String::new(),
        });
    }
}

/// Custom fields: name and value, each removable, and a button adding one.
fn fields(ui: &mut Ui, tr: &Translator, fields: &mut Vec<ContactField>) {
    ui.add_space(4.0);
    if fields.is_empty() {
        ui.label(RichText::new(tr.tr("contact-fields")).color(theme::TEXT_WEAK));
    } else {
        // Column headings double as the accessible names of the rows' text fields.
        let (name_label, value_label) = ui
            .horizontal(|ui| {
                let heading = |ui: &mut Ui, key, width| {
                    ui.add_sized(
                        [width, 16.0],
                        egui::Label::new(
                            RichText::new(tr.tr(key))
                                .color(theme::TEXT_WEAK)
                                .font(theme::small_font()),
                        ),
                    )
                };
                (
                    heading(ui, "contact-field-name", 96.0),
                    heading(ui, "contact-field-value", 96.0),
                )
            })
            .inner;
        removable_rows(ui, tr, fields, |ui, _, field| {
            ui.add(egui::TextEdit::singleline(&mut field.name).desired_width(92.0))
                .labelled_by(name_label.id);
            ui.add(egui::TextEdit::singleline(&mut field.value).desired_width(128.0))
                .labelled_by(value_label.id);
        });
    }
    if ui.small_button(tr.tr("contact-add-field")).clicked() {
        fields.push(ContactField::default());
    }
}

/// One horizontal row per item, drawn by `row`, each ending with a × that removes the item.
fn removable_rows<T>(
    ui: &mut Ui,
    tr: &Translator,
    items: &mut Vec<T>,
    mut row: impl FnMut(&mut Ui, usize, &mut T),
) {
    let mut remove = None;
    for (index, item) in items.iter_mut().enumerate() {
        ui.horizontal(|ui| {
            row(ui, index, item);
            if ui
                .small_button("×")
                .on_hover_text(tr.tr("contact-remove"))
                .clicked()
            {
                remove = Some(index);
            }
        });
    }
    if let Some(index) = remove {
        items.remove(index);
    }
}

fn label_text(tr: &Translator, label: &str) -> String {
    let key = format!("contact-label-{label}");
    if tr.has(&key) {
        tr.tr(&key)
    } else {
        label.to_owned()
    }
}

fn language_name(tr: &Translator, code: Option<&str>) -> String {
    match code {
        Some("en") => "English".into(),
        Some("fr") => "Français".into(),
        Some(other) => other.to_owned(),
        None => tr.tr("contact-language-none"),
    }
}

/// For roles with assign-contact: find a known customer and move the interaction to them.
fn assign(
    ui: &mut Ui,
    desk: &Desk,
    tr: &Translator,
    id: &str,
    current: i64,
    state: &mut ContactCardState,
    intents: &mut Vec<Intent>,
) {
    ui.separator();
    let label = ui.label(RichText::new(tr.tr("contact-assign")).strong());
    ui.add(
        egui::TextEdit::singleline(&mut state.assign_query)
            .hint_text(tr.tr("contact-assign-hint"))
            .desired_width(f32::INFINITY),
    )
    .labelled_by(label.id);
    if state.assign_query.trim().chars().count() < 2 {
        state.assign_found.clear();
        return;
    }
    // Read off the window's thread; the matches on screen stay until the next are in.
    let looked = desk.search_contacts(state.assign_query.trim());
    let found = match state.assign_found.take(looked).answer() {
        Some(Ok(found)) => found.clone(),
        Some(Err(reason)) => {
            ui.label(RichText::new(reason).color(theme::DANGER));
            return;
        }
        None => return,
    };
    for contact in found.iter().filter(|c| c.id != current) {
        ui.horizontal(|ui| {
            if ui.small_button(tr.tr("contact-assign-button")).clicked() {
                intents.push(Intent::AssignContact(id.to_owned(), contact.id));
                state.assign_query.clear();
                state.draft = None;
            }
            ui.label(shown(&contact.display_name));
            ui.label(
                RichText::new(contact.phone().unwrap_or_default())
                    .color(theme::TEXT_WEAK)
                    .font(theme::small_font()),
            );
        });
    }
}
