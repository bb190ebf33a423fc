//! The Communication view in the main window: the contacts the agent handled with their unread
//! counts, the selected contact's conversations with search, and starting an SMS conversation
//! or continuing their web chat.

use egui::{RichText, Ui};
use switchboard_core::{
    desk::{Desk, Outbound},
    i18n::Translator,
    people::shown,
    store::AssignedContact,
};

use crate::{
    conversation_list::ConversationList, dates::day_and_time, intents::Intent, latest::Latest,
    theme,
};

/// Seconds between re-reads of the list while the view is open.
const REFRESH_SECONDS: f64 = 5.0;

/// What the view keeps between frames.
#[derive(Default)]
pub(crate) struct CommunicationState {
    /// The newest list the desk read (kept on screen while the next is read).
    contacts: Latest<Vec<AssignedContact>>,
    /// When the list was last asked for, and the round asked (a new round reads it again).
    read_at: Option<f64>,
    round: u64,
    selected: Option<i64>,
    conversations: ConversationList,
    number: Option<String>,
}

impl CommunicationState {
    /// The contacts on screen (none until the first list is in, or when it could not be read).
    fn contacts(&self) -> &[AssignedContact] {
        match self.contacts.answer() {
            Some(Ok(contacts)) => contacts,
            _ => &[],
        }
    }

    /// Reads the list again on the next frame (after the agent did something).
    pub(crate) fn invalidate(&mut self) {
        self.read_at = None;
        self.conversations.invalidate();
    }

    /// Shows a contact's conversations.
    pub(crate) fn select(&mut self, contact_id: i64) {
        self.selected = Some(contact_id);
        self.number = None;
        self.invalidate();
    }
}

pub(crate) fn show(
    ui: &mut Ui,
    desk: &Desk,
    tr: &Translator,
    state: &mut CommunicationState,
    intents: &mut Vec<Intent>,
) {
    let now = ui.input(|i| i.time);
    if state.read_at.is_none_or(|at| now - at > REFRESH_SECONDS) {
        state.round += 1;
        state.read_at = Some(now);
    }
    // Read off the window's thread; the list on screen stays until the new one is in.
    match desk.assigned_contacts(state.round) {
        Ok(looked) => {
            state.contacts.take(looked);
        }
        Err(e) => tracing::warn!("{e}"),
    }
    egui::Panel::left("assigned_contacts")
        .default_size(320.0)
        .resizable(true)
        .frame(
            egui::Frame::new()
                .fill(theme::SURFACE)
                .inner_margin(egui::Margin::same(10)),
        )
        .show(ui, |ui| contact_list(ui, tr, state, intents));
    egui::CentralPanel::default()
        .frame(
            egui::Frame::new()
                .fill(theme::BACKGROUND)
                .inner_margin(egui::Margin::same(12)),
        )
        .show(ui, |ui| contact_detail(ui, desk, tr, state, intents));
}

fn contact_list(
    ui: &mut Ui,
    tr: &Translator,
    state: &CommunicationState,
    intents: &mut Vec<Intent>,
) {
    ui.horizontal(|ui| {
        ui.label(RichText::new(tr.tr("communication-title")).strong());
        let unread: usize = state.contacts().iter().map(|c| c.unread).sum();
        if unread > 0 {
            ui.label(
                RichText::new(
                    tr.tr_args("communication-unread", &[("count", &unread.to_string())]),
                )
                .color(theme::ACCENT),
            );
        }
    });
    ui.separator();
    if let Some(Err(reason)) = state.contacts.answer() {
        ui.label(RichText::new(reason).color(theme::DANGER));
    } else if state.contacts().is_empty() {
        ui.label(RichText::new(tr.tr("communication-empty")).color(theme::TEXT_WEAK));
    }
    egui::ScrollArea::vertical()
        .id_salt("assigned_contacts_scroll")
        .show(ui, |ui| {
            for assigned in state.contacts() {
                let chosen = state.selected == Some(assigned.contact.id);
                let name = if assigned.unread > 0 {
                    format!(
                        "{} ({})",
                        shown(&assigned.contact.display_name),
                        assigned.unread
                    )
                } else {
                    shown(&assigned.contact.display_name)
                };
                let text = if assigned.unread > 0 {
                    RichText::new(name).strong()
                } else {
                    RichText::new(name)
                };
                if ui.selectable_label(chosen, text).clicked() {
                    intents.push(Intent::SelectContact(assigned.contact.id));
                }
                let channels: Vec<String> = assigned
                    .media_types
                    .iter()
                    .map(|m| m.to_uppercase())
                    .collect();
                ui.label(
                    RichText::new(format!(
                        "{} · {}",
                        channels.join(", "),
                        day_and_time(assigned.last_activity)
                    ))
                    .color(theme::TEXT_WEAK)
                    .font(theme::small_font()),
                );
                ui.add_space(4.0);
            }
        });
}

fn contact_detail(
    ui: &mut Ui,
    desk: &Desk,
    tr: &Translator,
    state: &mut CommunicationState,
    intents: &mut Vec<Intent>,
) {
    let Some(assigned) = state
        .selected
        .and_then(|id| state.contacts().iter().find(|c| c.contact.id == id))
        .cloned()
    else {
        ui.centered_and_justified(|ui| {
            ui.label(RichText::new(tr.tr("communication-pick")).color(theme::TEXT_WEAK));
        });
        return;
    };
    let contact = &assigned.contact;
    ui.label(
        RichText::new(shown(&contact.display_name))
            .font(theme::title_font())
            .strong(),
    );
    ui.horizontal_wrapped(|ui| {
        let phones: Vec<String> = contact.phones.iter().map(|p| p.value.clone()).collect();
        if desk.may_start_sms() && !phones.is_empty() {
            let number = state.number.get_or_insert_with(|| phones[0].clone());
            if phones.len() > 1 {
                egui::ComboBox::from_id_salt(("sms_number", contact.id))
                    .selected_text(number.as_str())
                    .show_ui(ui, |ui| {
                        for phone in &phones {
                            ui.selectable_value(number, phone.clone(), phone);
                        }
                    })
                    .response
                    .widget_info(|| {
                        egui::WidgetInfo::labeled(
                            egui::Role::ComboBox,
                            true,
                            tr.tr("communication-number"),
                        )
                    });
            }
            if ui
                .button(tr.tr_args("communication-new-sms", &[("number", number.as_str())]))
                .clicked()
            {
                intents.push(Intent::StartOutbound(
                    contact.id,
                    Outbound::Sms {
                        number: number.clone(),
                    },
                ));
            }
        }
        if assigned.chat_address.is_some()
            && ui
                .button(tr.tr("communication-continue-chat"))
                .on_hover_text(tr.tr("communication-continue-chat-hint"))
                .clicked()
        {
            intents.push(Intent::StartOutbound(contact.id, Outbound::Chat));
        }
    });
    ui.separator();
    egui::ScrollArea::vertical()
        .id_salt("communication_conversations")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            state.conversations.show(
                ui,
                desk,
                tr,
                (contact.id, assigned.unread),
                None,
                &mut |_, _| {},
            );
        });
}
