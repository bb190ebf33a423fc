//! The side panels of an interaction: disposition, note, case data, contact, history,
//! standard responses and callback.

use egui::{RichText, Ui};
use switchboard_core::{
    config::LabelKind,
    desk::{Desk, Looked},
    i18n::Translator,
    store::HistoryItem,
};
use switchboard_sdk::view::panels;

use crate::{
    contact_card::{self, ContactCardState},
    conversation_list::{ConversationList, transcript_lines},
    dates::day_and_time,
    intents::Intent,
    latest::{Latest, searching},
    theme,
};

/// The panel tabs, in display order, with their translation keys.
const TABS: [(&str, &str); 8] = [
    (panels::DISPOSITION, "panel-disposition"),
    (panels::NOTE, "panel-note"),
    (panels::CASE_DATA, "case-data"),
    (panels::CONTACT, "panel-contact"),
    (panels::CONVERSATION, "panel-conversation"),
    (panels::HISTORY, "panel-history"),
    (panels::RESPONSES, "panel-responses"),
    (panels::CALLBACK, "panel-callback"),
];

/// What the side panels keep between frames for one interaction.
#[derive(Default)]
pub struct SidePanelState {
    tab: Option<&'static str>,
    history_query: String,
    history: Latest<Vec<HistoryItem>>,
    conversations: ConversationList,
    contact: ContactCardState,
    responses_query: String,
    callback: Option<CallbackForm>,
    response_preview: Option<(String, String)>,
    /// Case-data values being edited, by key.
    case_drafts: std::collections::HashMap<String, String>,
}

impl SidePanelState {
    /// Shows the Contact panel with the editor open on the interaction's contact: how an
    /// agent creates the contact of an unknown sender from the header.
    pub(crate) fn create_contact(&mut self, saved: &switchboard_core::store::Contact) {
        self.tab = Some(panels::CONTACT);
        self.contact.edit(saved);
    }
}

pub(crate) fn show(
    ui: &mut Ui,
    desk: &mut Desk,
    tr: &Translator,
    id: &str,
    state: &mut SidePanelState,
    intents: &mut Vec<Intent>,
) {
    let Some(open) = desk.interaction(id) else {
        return;
    };
    let wanted: Vec<&'static str> = TABS
        .iter()
        .map(|(tab, _)| *tab)
        .filter(|tab| {
            open.view
                .as_ref()
                .is_none_or(|v| v.panels.iter().any(|p| p == *tab))
        })
        .collect();
    if wanted.is_empty() {
        return;
    }
    let shared_by = open
        .is_read_only()
        .then(|| tr.tr_args("consult-read-only", &[("name", &open.row.contact_name)]));
    // The plugin's first panel opens first (a consultation shows its case data first).
    let first = open
        .view
        .as_ref()
        .and_then(|v| {
            v.panels
                .iter()
                .find_map(|p| wanted.iter().find(|t| **t == p.as_str()))
        })
        .copied()
        .unwrap_or(wanted[0]);
    let tab = *state.tab.get_or_insert(first);
    egui::Panel::right(("details", id))
        .default_size(300.0)
        .resizable(true)
        .frame(
            egui::Frame::new()
                .fill(theme::SURFACE)
                .inner_margin(egui::Margin::same(10)),
        )
        .show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                for (key, label) in TABS.iter().filter(|(t, _)| wanted.contains(t)) {
                    if ui.selectable_label(tab == *key, tr.tr(label)).clicked() {
                        state.tab = Some(key);
                    }
                }
            });
            ui.separator();
            let shared_tab = matches!(tab, panels::CASE_DATA | panels::CONTACT | panels::HISTORY);
            if let Some(notice) = shared_by.as_ref().filter(|_| shared_tab) {
                ui.label(
                    RichText::new(notice)
                        .color(theme::WARNING)
                        .font(theme::small_font()),
                );
            }
            egui::ScrollArea::vertical()
                .id_salt(("side", id))
                .show(ui, |ui| match tab {
                    panels::DISPOSITION => disposition(ui, desk, tr, id, intents),
                    panels::NOTE => note(ui, desk, tr, id, intents),
                    panels::CONTACT => {
                        contact_card::show(ui, desk, tr, id, &mut state.contact, intents)
                    }
                    panels::HISTORY => history(ui, desk, tr, id, state),
                    panels::CONVERSATION => conversation(ui, desk, tr, id, state, intents),
                    panels::RESPONSES => responses(ui, desk, tr, id, state, intents),
                    panels::CALLBACK => callback(ui, desk, tr, id, state, intents),
                    _ => case_data(ui, desk, tr, id, &mut state.case_drafts, intents),
                });
        });
}

fn disposition(ui: &mut Ui, desk: &Desk, tr: &Translator, id: &str, intents: &mut Vec<Intent>) {
    let Some(open) = desk.interaction(id) else {
        return;
    };
    let channel = desk.channels()[open.channel].id().to_owned();
    if desk.disposition_missing(id) {
        ui.label(RichText::new(tr.tr("disposition-required")).color(theme::WARNING));
    }
    for category in desk.config().dispositions_for(&channel) {
        ui.label(
            RichText::new(desk.named(LabelKind::DispositionCategory, &category.name))
                .strong()
                .color(theme::TEXT_WEAK),
        );
        for code in &category.codes {
            let chosen = open.disposition.as_deref() == Some(code.code.as_str());
            let label = desk.named(LabelKind::Disposition, &code.code);
            if ui.radio(chosen, label.as_ref()).clicked() && !chosen {
                intents.push(Intent::SetDisposition(id.to_owned(), code.code.clone()));
            }
        }
        ui.add_space(4.0);
    }
}

fn note(ui: &mut Ui, desk: &mut Desk, tr: &Translator, id: &str, intents: &mut Vec<Intent>) {
    let Some(open) = desk.interaction_mut(id) else {
        return;
    };
    let label = ui.label(tr.tr("panel-note"));
    let response = ui
        .add(
            egui::TextEdit::multiline(&mut open.note_draft)
                .desired_rows(8)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
    if response.lost_focus() && open.note_draft != open.note {
        intents.push(Intent::SaveNote(id.to_owned()));
    }
    let saved = open.note_draft == open.note;
    ui.horizontal(|ui| {
        if ui
            .add_enabled(!saved, egui::Button::new(tr.tr("note-save")))
            .clicked()
        {
            intents.push(Intent::SaveNote(id.to_owned()));
        }
        let status = if open.saving > 0 {
            tr.tr("note-saving")
        } else if saved {
            tr.tr("note-saved")
        } else {
            tr.tr("note-unsaved")
        };
        ui.label(
            RichText::new(status)
                .color(theme::TEXT_WEAK)
                .font(theme::small_font()),
        );
    });
}

fn case_data(
    ui: &mut Ui,
    desk: &Desk,
    tr: &Translator,
    id: &str,
    drafts: &mut std::collections::HashMap<String, String>,
    intents: &mut Vec<Intent>,
) {
    let Some(open) = desk.interaction(id) else {
        return;
    };
    let read_only = open.is_read_only();
    let missing = if read_only {
        Vec::new()
    } else {
        desk.missing_editable_keys(id)
    };
    if open.case_data.is_empty() && missing.is_empty() {
        ui.label(RichText::new(tr.tr("case-data-empty")).color(theme::TEXT_WEAK));
    }
    // Keys starting with `_` are the platform's own links (a conversation's other side...).
    let rows = open
        .case_data
        .iter()
        .filter(|kv| !kv.key.starts_with('_'))
        .map(|kv| (kv.key.to_string(), kv.value.to_string()))
        .chain(missing.into_iter().map(|k| (k, String::new())));
    egui::Grid::new(("case_data", id))
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            for (key, value) in rows {
                let label = ui
                    .label(
                        RichText::new(desk.named(LabelKind::CaseDataKey, &key))
                            .color(theme::TEXT_WEAK),
                    )
                    .on_hover_text(&key);
                if desk.may_edit_case_data(&key) && !read_only {
                    let draft = drafts.entry(key.clone()).or_insert_with(|| value.clone());
                    let response = ui
                        .add(egui::TextEdit::singleline(draft).desired_width(160.0))
                        .labelled_by(label.id)
                        .on_hover_text(tr.tr("case-data-editable"));
                    if response.lost_focus() && *draft != value {
                        intents.push(Intent::SetCaseValue(
                            id.to_owned(),
                            key.clone(),
                            draft.clone(),
                        ));
                    }
                } else {
                    ui.add(egui::Label::new(&value).selectable(true));
                }
                ui.end_row();
            }
        });
}

fn history(ui: &mut Ui, desk: &Desk, tr: &Translator, id: &str, state: &mut SidePanelState) {
    let Some(contact_id) = desk
        .interaction(id)
        .and_then(|o| o.contact.as_ref())
        .map(|c| c.id)
    else {
        return;
    };
    let label = ui.label(tr.tr("history-search"));
    ui.add(egui::TextEdit::singleline(&mut state.history_query).desired_width(f32::INFINITY))
        .labelled_by(label.id);
    // Read off the window's thread; the last answer stays on screen while the next is read.
    let Some(items) = state
        .history
        .take(desk.history(contact_id, &state.history_query))
        .status(ui, tr, "history-empty")
    else {
        return;
    };
    for item in items.iter() {
        let current = item.interaction == id;
        let outcome = item
            .disposition
            .as_deref()
            .map(|code| desk.named(LabelKind::Disposition, code).into_owned());
        let title = [
            Some(day_and_time(item.created)),
            Some(
                desk.channels()
                    .iter()
                    .find(|c| c.handles(&item.media_type))
                    .map_or_else(
                        || item.media_type.clone(),
                        |c| desk.named(LabelKind::Channel, c.id()).into_owned(),
                    ),
            ),
            current.then(|| tr.tr("history-current")),
            outcome,
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
        egui::CollapsingHeader::new(RichText::new(title).strong())
            .id_salt(("history", &item.interaction))
            .show(ui, |ui| {
                if let Some(code) = &item.disposition {
                    let label = desk.named(LabelKind::Disposition, code);
                    ui.label(
                        RichText::new(format!("{}: {label}", tr.tr("panel-disposition")))
                            .color(theme::SUCCESS),
                    );
                }
                if let Some(note) = item.note.as_ref().filter(|n| !n.is_empty()) {
                    ui.label(RichText::new(format!("{}: {note}", tr.tr("panel-note"))).italics());
                }
                // Read when the agent opens it, off the window's thread.
                match desk.past_transcript(&item.interaction) {
                    Looked::Ready(transcript) => {
                        transcript_lines(ui, &transcript[..transcript.len().min(20)]);
                    }
                    Looked::Pending => searching(ui, tr),
                    Looked::Failed(reason) => {
                        ui.label(RichText::new(reason).color(theme::DANGER));
                    }
                }
            });
        ui.label(
            RichText::new(&item.excerpt)
                .color(theme::TEXT_WEAK)
                .font(theme::small_font()),
        );
        ui.add_space(4.0);
    }
}

/// Every conversation with the contact, the current one marked, with search; an earlier web
/// chat continues from here while the customer's page is open.
fn conversation(
    ui: &mut Ui,
    desk: &Desk,
    tr: &Translator,
    id: &str,
    state: &mut SidePanelState,
    intents: &mut Vec<Intent>,
) {
    let Some(open) = desk.interaction(id) else {
        return;
    };
    let Some(contact) = open.contact.as_ref().map(|c| c.id) else {
        return;
    };
    let revision = open.transcript.len();
    state.conversations.show(
        ui,
        desk,
        tr,
        (contact, revision),
        Some(id),
        &mut |ui, conversation| {
            let earlier_chat = conversation.item.interaction != id
                && conversation.item.media_type == switchboard_core::backend::CHAT_MEDIA_TYPE;
            if earlier_chat
                && ui
                    .small_button(tr.tr("communication-continue-chat"))
                    .on_hover_text(tr.tr("communication-continue-chat-hint"))
                    .clicked()
            {
                intents.push(Intent::StartOutbound(
                    contact,
                    switchboard_core::desk::Outbound::Chat,
                ));
            }
        },
    );
}

fn responses(
    ui: &mut Ui,
    desk: &Desk,
    tr: &Translator,
    id: &str,
    state: &mut SidePanelState,
    intents: &mut Vec<Intent>,
) {
    let language = desk.interaction_language(id);
    let fields = desk.response_fields(id);
    let label = ui.label(tr.tr("responses-search"));
    ui.add(egui::TextEdit::singleline(&mut state.responses_query).desired_width(f32::INFINITY))
        .labelled_by(label.id);
    ui.label(
        RichText::new(tr.tr("responses-hint"))
            .color(theme::TEXT_WEAK)
            .font(theme::small_font()),
    );
    if let Some((_, preview)) = &state.response_preview {
        theme::card().show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(preview.as_str());
        });
        if ui.button(tr.tr("responses-insert")).clicked() {
            intents.push(Intent::InsertText(id.to_owned(), preview.clone()));
        }
    }
    ui.separator();
    let hits = desk.responses().search(&state.responses_query, &language);
    if hits.is_empty() {
        ui.label(RichText::new(tr.tr("history-empty")).color(theme::TEXT_WEAK));
    }
    let mut category = "";
    for (group, response) in hits {
        if group.name != category {
            category = &group.name;
            ui.add_space(4.0);
            ui.label(RichText::new(category).strong().color(theme::TEXT_WEAK));
        }
        let keyword = response
            .keyword
            .as_deref()
            .map(|k| format!("  #{k}"))
            .unwrap_or_default();
        let title = format!("{} ({}){keyword}", response.name, response.language);
        let selected = state
            .response_preview
            .as_ref()
            .is_some_and(|(name, _)| *name == title);
        if ui.selectable_label(selected, title.clone()).clicked() {
            let filled = switchboard_core::responses::fill(&response.text, &fields);
            state.response_preview = Some((title, filled));
        }
    }
}

/// The callback form being filled in.
struct CallbackForm {
    number: String,
    day: jiff::civil::Date,
    hour: i8,
    minute: i8,
    note: String,
    error: Option<String>,
}

/// Days a callback can be set on, from today.
const CALLBACK_DAYS: i16 = 14;

fn callback(
    ui: &mut Ui,
    desk: &Desk,
    tr: &Translator,
    id: &str,
    state: &mut SidePanelState,
    intents: &mut Vec<Intent>,
) {
    let Some(open) = desk.interaction(id) else {
        return;
    };
    let zone = crate::dates::local_zone();
    let today = crate::dates::day_of(desk.now(), &zone).unwrap_or_default();
    let form = state.callback.get_or_insert_with(|| {
        // Default: the contact's number, in one hour, on the quarter hour (local time).
        let in_an_hour = desk.now().plus_seconds(3600);
        let rounded = switchboard_sdk::Timestamp(in_an_hour.0 - in_an_hour.0.rem_euclid(900_000));
        let (day, hour, minute) = jiff::Timestamp::from_millisecond(rounded.0)
            .map(|t| t.to_zoned(zone.clone()))
            .map(|z| (z.date(), z.hour(), z.minute()))
            .unwrap_or((today, 9, 0));
        CallbackForm {
            number: open.row.contact_address.clone(),
            day,
            hour,
            minute,
            note: String::new(),
            error: None,
        }
    });
    egui::Grid::new(("callback", id))
        .num_columns(2)
        .show(ui, |ui| {
            crate::widgets::text_field_rows(ui, tr, [("callback-number", &mut form.number)]);
            let day_label = ui.label(tr.tr("callback-day"));
            egui::ComboBox::from_id_salt(("callback_day", id))
                .selected_text(day_name(tr, form.day, today))
                .height(420.0)
                .show_ui(ui, |ui| {
                    for offset in 0..CALLBACK_DAYS {
                        let Ok(day) = today.checked_add(jiff::Span::new().days(offset)) else {
                            continue;
                        };
                        ui.selectable_value(&mut form.day, day, day_name(tr, day, today));
                    }
                })
                .response
                .labelled_by(day_label.id);
            ui.end_row();
            let time_label = ui.label(tr.tr("callback-time"));
            ui.horizontal(|ui| {
                egui::ComboBox::from_id_salt(("callback_hour", id))
                    .selected_text(format!("{:02}", form.hour))
                    .width(56.0)
                    .height(520.0)
                    .show_ui(ui, |ui| {
                        for hour in 0..24 {
                            ui.selectable_value(&mut form.hour, hour, format!("{hour:02}"));
                        }
                    })
                    .response
                    .labelled_by(time_label.id);
                ui.label(":");
                egui::ComboBox::from_id_salt(("callback_minute", id))
                    .selected_text(format!("{:02}", form.minute))
                    .width(56.0)
                    .show_ui(ui, |ui| {
                        for minute in [0, 15, 30, 45] {
                            ui.selectable_value(&mut form.minute, minute, format!("{minute:02}"));
                        }
                    })
                    .response
                    .labelled_by(time_label.id);
            });
            ui.end_row();
            crate::widgets::text_field_rows(ui, tr, [("callback-note", &mut form.note)]);
        });
    if ui.button(tr.tr("callback-schedule")).clicked() {
        match crate::dates::at(form.day, form.hour, form.minute, &zone) {
            Some(due) if due.0 > desk.now().0 => {
                form.error = None;
                intents.push(Intent::ScheduleCallback {
                    interaction: id.to_owned(),
                    number: form.number.clone(),
                    due,
                    note: form.note.clone(),
                });
            }
            _ => form.error = Some(tr.tr("callback-bad-time")),
        }
    }
    if let Some(error) = &form.error {
        ui.label(RichText::new(error).color(theme::DANGER));
    }
    ui.separator();
    ui.label(RichText::new(tr.tr("callback-scheduled")).strong());
    let mine: Vec<_> = desk
        .callbacks()
        .into_iter()
        .filter(|c| c.number == form.number || c.interaction.as_deref() == Some(id))
        .collect();
    if mine.is_empty() {
        ui.label(RichText::new(tr.tr("callback-none")).color(theme::TEXT_WEAK));
    }
    for callback in mine {
        ui.label(format!(
            "{} · {} · {}",
            day_and_time(callback.due),
            callback.number,
            callback.note
        ));
    }
}

/// "Today · Mon 2026-11-30", "Tomorrow · …", "Wed 2026-12-02" in the agent's language.
fn day_name(tr: &Translator, day: jiff::civil::Date, today: jiff::civil::Date) -> String {
    let weekday = tr.tr(&format!("weekday-{}", day.weekday().to_monday_one_offset()));
    let date = day.strftime("%Y-%m-%d").to_string();
    let days_ahead = (day - today).get_days();
    match days_ahead {
        0 => tr.tr_args("callback-today", &[("day", &format!("{weekday} {date}"))]),
        1 => tr.tr_args(
            "callback-tomorrow",
            &[("day", &format!("{weekday} {date}"))],
        ),
        _ => format!("{weekday} {date}"),
    }
}
