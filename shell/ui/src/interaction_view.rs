//! The interaction view: header, toolbar, details panel, transcript and composer, drawn from
//! the plugin's view model and the stored transcript.

use std::collections::HashSet;
use switchboard_core::people::shown;

use egui::{Key, Modifiers, RichText, Ui};
use switchboard_core::{desk::Desk, i18n::Translator};
use switchboard_sdk::{ConnectionState, Tone, view::panels};

use crate::{
    attachments::Thumbnails, dates::elapsed, icons, intents::Intent, pending, push_url,
    side_panels, spelling, team, theme, transcript::TranscriptView,
};

/// The id of an interaction's composer text edit (its cursor is read to insert responses).
/// Takes a press of Enter without any modifier. egui's `consume_key` ignores Shift, which
/// would make Shift+Enter send too: here Shift+Enter stays for the text edit, a new line.
fn take_plain_enter(input: &mut egui::InputState) -> bool {
    let before = input.events.len();
    input.events.retain(|event| {
        !matches!(
            event,
            egui::Event::Key {
                key: Key::Enter,
                pressed: true,
                modifiers,
                ..
            } if modifiers.is_none()
        )
    });
    input.events.len() != before
}

/// What the view keeps between frames for one interaction.
#[derive(Default)]
pub(crate) struct InteractionUiState {
    emoji: crate::emoji_picker::EmojiPicker,
    transcript: TranscriptView,
    side: side_panels::SidePanelState,
    thumbnails: Thumbnails,
    picker: team::PickerState,
    consultation: TranscriptView,
    push_url: push_url::PushUrlState,
}

fn state_text(tr: &Translator, state: Option<ConnectionState>) -> (String, egui::Color32) {
    match state {
        Some(ConnectionState::Connected) => (tr.tr("state-connected"), theme::SUCCESS),
        Some(ConnectionState::Establishing) => (tr.tr("state-establishing"), theme::WARNING),
        Some(ConnectionState::Ended) => (tr.tr("state-ended"), theme::TEXT_WEAK),
        _ => (tr.tr("state-not-connected"), theme::TEXT_WEAK),
    }
}

/// A small filled tag naming the channel.
pub(crate) fn channel_tag(ui: &mut Ui, tag: &str) {
    theme::pill(theme::ACCENT).show(ui, |ui| {
        ui.label(
            RichText::new(tag)
                .color(theme::ON_FILL)
                .font(theme::small_font())
                .strong(),
        );
    });
}

/// The view's parts beyond the view model (SDK 1.7), above the conversation: banners.
fn view_parts(ui: &mut Ui, parts: &[switchboard_sdk::ViewPart]) {
    for part in parts {
        // Kinds a newer SDK adds and this shell does not know are never drawn.
        if let switchboard_sdk::ViewPart::Banner { text, tone } = part {
            let colour = tone_colour(tone.as_enum().ok().copied());
            egui::Frame::new()
                .fill(colour)
                .corner_radius(theme::RADIUS)
                .inner_margin(egui::Margin::symmetric(10, 5))
                .show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    ui.label(RichText::new(text.as_str()).color(theme::ON_FILL).strong());
                });
            ui.add_space(theme::GAP / 2.0);
        }
    }
}

fn tone_colour(tone: Option<Tone>) -> egui::Color32 {
    match tone {
        Some(Tone::Success) => theme::SUCCESS,
        Some(Tone::Warning) => theme::WARNING,
        Some(Tone::Danger) => theme::DANGER,
        Some(Tone::Primary) => theme::ACCENT,
        _ => theme::TEXT_WEAK,
    }
}

pub(crate) fn show(
    ui: &mut Ui,
    desk: &mut Desk,
    tr: &Translator,
    id: &str,
    state: &mut InteractionUiState,
    collapsed: &HashSet<String>,
    intents: &mut Vec<Intent>,
) {
    let is_collapsed = collapsed.contains(id);
    if header(ui, desk, tr, id, is_collapsed, intents)
        && let Some(contact) = desk.interaction(id).and_then(|o| o.contact.as_ref())
    {
        state.side.create_contact(contact);
        if is_collapsed {
            intents.push(Intent::ToggleDetails(id.to_owned()));
        }
    }
    let wants_push_url = desk
        .interaction(id)
        .and_then(|o| o.view.as_ref())
        .is_some_and(|v| v.panels.iter().any(|p| p == panels::PUSH_URL));
    if wants_push_url && desk.may_push_url() {
        push_url::show(ui, desk, tr, id, &mut state.push_url, intents);
    }
    composer(
        ui,
        desk,
        tr,
        id,
        &tr.tr("composer-label"),
        Some(&mut state.emoji),
        intents,
    );
    crate::emoji_picker::show(ui, tr, &mut state.emoji, id, intents);
    if !is_collapsed {
        side_panels::show(ui, desk, tr, id, &mut state.side, intents);
    }
    consultation_pane(ui, desk, tr, id, &mut state.consultation, intents);
    let desk: &Desk = desk;
    let Some(open) = desk.interaction(id) else {
        return;
    };
    if let Some(purpose) = &open.choosing_target {
        team::picker(ui, &mut state.picker, desk, tr, id, purpose, intents);
    }
    let InteractionUiState {
        transcript,
        thumbnails,
        ..
    } = state;
    egui::CentralPanel::default()
        .frame(egui::Frame::new().inner_margin(egui::Margin::symmetric(12, 8)))
        .show(ui, |ui| {
            // Offers come over the conversation only, never over the reply box or the panel.
            theme::set_offer_area(ui.ctx(), ui.max_rect());
            view_parts(ui, &open.view_parts);
            let contact_name = open.row.contact_name.as_str();
            transcript.show(ui, &open.transcript, contact_name, tr, &mut |ui, entry| {
                thumbnails.strip(ui, desk, tr, id, &entry.attachments, intents);
            });
            if let Some(link) = transcript.take_clicked_link() {
                intents.push(Intent::OpenLink(link));
            }
        });
}

/// An IM consultation started from this interaction, drawn inside its view: who, the
/// connection state, the IM's actions, its transcript and its own composer. The customer's
/// conversation stays beside it and goes on.
fn consultation_pane(
    ui: &mut Ui,
    desk: &mut Desk,
    tr: &Translator,
    parent: &str,
    transcript: &mut TranscriptView,
    intents: &mut Vec<Intent>,
) {
    let Some(im) = desk.consultation_of(parent).map(|o| o.row.id.clone()) else {
        return;
    };
    egui::Panel::right(("consultation", parent))
        .default_size(360.0)
        .resizable(true)
        .frame(
            egui::Frame::new()
                .fill(theme::SURFACE_ALT)
                .inner_margin(egui::Margin::same(10)),
        )
        .show(ui, |ui| {
            if let Some(open) = desk.interaction(&im) {
                let view = open.view.as_ref();
                let name = view.map_or(open.row.contact_name.clone(), |v| {
                    v.header.title.to_string()
                });
                ui.horizontal_wrapped(|ui| {
                    channel_tag(ui, "IM");
                    ui.label(
                        RichText::new(tr.tr_args("consult-pane-title", &[("name", &name)]))
                            .strong(),
                    );
                    let state = view.and_then(|v| v.header.state.as_enum().ok().copied());
                    let (text, colour) = state_text(tr, state);
                    ui.label(RichText::new(text).color(colour).strong());
                    for badge in view.map(|v| v.badges.as_slice()).unwrap_or_default() {
                        ui.label(
                            RichText::new(badge.text.as_str())
                                .color(tone_colour(badge.tone.as_enum().ok().copied())),
                        );
                    }
                });
                if let Some(error) = &open.error {
                    ui.label(RichText::new(error.as_str()).color(theme::DANGER));
                }
                ui.horizontal_wrapped(|ui| toolbar(ui, desk, tr, &im, intents));
                ui.separator();
            }
            let label = desk.interaction(&im).map_or_else(String::new, |o| {
                let name = o
                    .view
                    .as_ref()
                    .map_or(o.row.contact_name.clone(), |v| v.header.title.to_string());
                tr.tr_args("consult-composer-label", &[("name", &name)])
            });
            composer(ui, desk, tr, &im, &label, None, intents);
            let Some(open) = desk.interaction(&im) else {
                return;
            };
            egui::CentralPanel::default()
                .frame(egui::Frame::new())
                .show(ui, |ui| {
                    let contact_name = open.row.contact_name.as_str();
                    transcript.show(ui, &open.transcript, contact_name, tr, &mut |_, _| {});
                    if let Some(link) = transcript.take_clicked_link() {
                        intents.push(Intent::OpenLink(link));
                    }
                });
        });
}

/// The interaction's header. Returns whether the agent asked to create the contact of an
/// unknown sender.
fn header(
    ui: &mut Ui,
    desk: &Desk,
    tr: &Translator,
    id: &str,
    collapsed: bool,
    intents: &mut Vec<Intent>,
) -> bool {
    let Some(open) = desk.interaction(id) else {
        return false;
    };
    let mut create_contact = false;
    let channel = &desk.channels()[open.channel];
    let view = open.view.as_ref();
    egui::Panel::top(("header", id))
        .frame(
            egui::Frame::new()
                .fill(theme::SURFACE)
                .inner_margin(egui::Margin::symmetric(12, 8)),
        )
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                channel_tag(ui, &icons::channel(channel.icon(), channel.name()));
                ui.label(
                    RichText::new(shown(&open.row.contact_name))
                        .font(theme::title_font())
                        .strong(),
                );
                if open.row.contact_address != open.row.contact_name
                    && !switchboard_core::backend::is_platform_id(&open.row.contact_address)
                {
                    ui.label(
                        RichText::new(shown(&open.row.contact_address)).color(theme::TEXT_WEAK),
                    );
                }
                participant_menu(ui, tr, open.contact.as_ref(), intents);
                if open.contact.as_ref().is_some_and(|c| !c.known)
                    && !open.is_read_only()
                    && view.is_none_or(|v| v.panels.iter().any(|p| p == panels::CONTACT))
                {
                    ui.label(RichText::new(tr.tr("contact-unknown-sender")).color(theme::WARNING));
                    create_contact = ui.small_button(tr.tr("contact-create")).clicked();
                }
                let state = view.and_then(|v| v.header.state.as_enum().ok().copied());
                let (text, colour) = state_text(tr, state);
                ui.label(RichText::new(text).color(colour).strong());
                ui.label(
                    RichText::new(elapsed(desk.now().seconds_since(open.accepted_at)))
                        .color(theme::TEXT_WEAK),
                );
                if let Some(pending) = desk.pending(id) {
                    let flash_on = crate::repaint::flash_on(ui.input(|i| i.time));
                    pending::pill(ui, tr, pending, flash_on);
                }
                if open.other_interactions > 0
                    && let Some(contact) = open.contact.as_ref().map(|c| c.id)
                {
                    let count = open.other_interactions.to_string();
                    let about = tr.tr_args("header-others", &[("count", &count)]);
                    let response = ui
                        .add(egui::Button::new(
                            RichText::new(format!("+{count}"))
                                .color(theme::ACCENT)
                                .strong(),
                        ))
                        .on_hover_text(&about);
                    if crate::widgets::button_named(response, &about).clicked() {
                        intents.push(Intent::ShowContact(contact));
                    }
                }
                if let Some(view) = view {
                    for badge in &view.badges {
                        ui.label(
                            RichText::new(badge.text.as_str())
                                .color(tone_colour(badge.tone.as_enum().ok().copied())),
                        );
                    }
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    let toggle = if collapsed {
                        tr.tr("action-expand")
                    } else {
                        tr.tr("action-collapse")
                    };
                    if ui.small_button(toggle).clicked() {
                        intents.push(Intent::ToggleDetails(id.to_owned()));
                    }
                });
            });
            if let Some(view) = view.filter(|v| !v.header.subtitle.is_empty()) {
                ui.label(
                    RichText::new(view.header.subtitle.as_str())
                        .color(theme::TEXT_WEAK)
                        .font(theme::small_font()),
                );
            }
            if !channel.is_running() {
                let reason = channel.health_text();
                ui.label(
                    RichText::new(tr.tr_args(
                        "plugin-failed-banner",
                        &[("plugin", channel.id()), ("reason", &reason)],
                    ))
                    .color(theme::DANGER),
                );
            } else if let Some(error) = &open.error {
                ui.label(RichText::new(error.as_str()).color(theme::DANGER));
            }
            if !collapsed {
                ui.add_space(4.0);
                ui.horizontal(|ui| toolbar(ui, desk, tr, id, intents));
            }
        });
    create_contact
}

/// Call or e-mail the contact, when the record has a number or an address.
fn participant_menu(
    ui: &mut Ui,
    tr: &Translator,
    contact: Option<&switchboard_core::store::Contact>,
    intents: &mut Vec<Intent>,
) {
    let Some(contact) = contact else {
        return;
    };
    if contact.phones.is_empty() && contact.emails.is_empty() {
        return;
    }
    ui.menu_button(tr.tr("participant-menu"), |ui| {
        for phone in contact.phones.iter().map(|p| p.value.as_str()) {
            let digits: String = phone
                .chars()
                .filter(|c| c.is_ascii_digit() || *c == '+')
                .collect();
            if ui
                .button(tr.tr_args("participant-call", &[("number", phone)]))
                .clicked()
            {
                intents.push(Intent::OpenLink(format!("tel:{digits}")));
                ui.close();
            }
        }
        for email in contact.emails.iter().map(|p| p.value.as_str()) {
            if ui
                .button(tr.tr_args("participant-email", &[("address", email)]))
                .clicked()
            {
                intents.push(Intent::OpenLink(format!("mailto:{email}")));
                ui.close();
            }
        }
    });
}

fn toolbar(ui: &mut Ui, desk: &Desk, tr: &Translator, id: &str, intents: &mut Vec<Intent>) {
    let Some(open) = desk.interaction(id) else {
        return;
    };
    // Marked done: nothing more to do in it while it closes.
    if open.closing {
        ui.label(RichText::new(tr.tr("interaction-closing")).color(theme::TEXT_WEAK));
        return;
    }
    let running = desk.channels()[open.channel].is_running();
    match open.view.as_ref().filter(|_| running) {
        Some(view) => {
            for action in &view.toolbar {
                let label = if tr.has(&action.label_key) {
                    tr.tr(&action.label_key)
                } else {
                    action.label.to_string()
                };
                let text = label;
                let primary = action.tone.as_enum().ok() == Some(&Tone::Primary);
                let button = if primary {
                    theme::primary_button(text)
                } else {
                    egui::Button::new(RichText::new(text))
                };
                let mut response = ui.add_enabled(action.enabled, button);
                if !action.tooltip.is_empty() {
                    response = response
                        .on_hover_text(action.tooltip.as_str())
                        .on_disabled_hover_text(action.tooltip.as_str());
                }
                if response.clicked() {
                    intents.push(Intent::Action(id.to_owned(), action.id.to_string()));
                }
            }
        }
        // The plugin is gone: the shell still lets the agent finish the interaction.
        None => {
            if ui.button(tr.tr("action-mark-done")).clicked() {
                intents.push(Intent::MarkDone(id.to_owned()));
            }
        }
    }
}

fn composer(
    ui: &mut Ui,
    desk: &mut Desk,
    tr: &Translator,
    id: &str,
    label: &str,
    emoji: Option<&mut crate::emoji_picker::EmojiPicker>,
    intents: &mut Vec<Intent>,
) {
    let Some(open) = desk.interaction(id) else {
        return;
    };
    let running = desk.channels()[open.channel].is_running();
    let settings = open
        .view
        .as_ref()
        .map(|v| v.composer.clone())
        .unwrap_or_default();
    let enabled = settings.enabled && running;
    let spell = desk.spell().clone();
    let language = desk.spell_language(id);
    let Some(open) = desk.interaction_mut(id) else {
        return;
    };
    let mut underline = spelling::layouter(spell.clone(), language);
    egui::Panel::bottom(("composer", id))
        .frame(
            egui::Frame::new()
                .fill(theme::SURFACE)
                .inner_margin(egui::Margin::symmetric(12, 8)),
        )
        .show(ui, |ui| {
            let label = ui
                .horizontal(|ui| {
                    let label = ui.label(RichText::new(label).strong());
                    if let Some(picker) = emoji {
                        crate::emoji_picker::button(ui, tr, picker, id);
                    }
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        let colour = if settings.counter_warning {
                            theme::WARNING
                        } else {
                            theme::TEXT_WEAK
                        };
                        ui.label(
                            RichText::new(settings.counter.as_str())
                                .color(colour)
                                .font(theme::small_font()),
                        );
                        if !settings.counter.is_empty() {
                            ucs2_culprit(ui, tr, id, &open.draft, intents);
                        }
                        spell_language_switch(ui, tr, id, language, intents);
                        if !settings.hint.is_empty() {
                            // A narrow composer (a consultation pane) shortens the hint; the
                            // whole of it shows on hover.
                            ui.with_layout(
                                egui::Layout::left_to_right(egui::Align::Center),
                                |ui| {
                                    ui.add(
                                        egui::Label::new(
                                            RichText::new(settings.hint.as_str())
                                                .color(theme::TEXT_WEAK)
                                                .font(theme::small_font()),
                                        )
                                        .truncate(),
                                    );
                                },
                            );
                        }
                    });
                    label
                })
                .inner;
            let composer_id = crate::widgets::composer_id(id);
            let focused = ui.memory(|m| m.has_focus(composer_id));
            // Enter sends; Shift+Enter makes a new line (the text edit sees only that one).
            // Tab right after a #keyword expands it instead of moving the focus.
            let keyword_pending = open
                .draft
                .rsplit(char::is_whitespace)
                .next()
                .is_some_and(|word| word.starts_with('#') && word.len() > 1);
            if enabled
                && focused
                && keyword_pending
                && ui.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Tab))
            {
                open.draft.push('\t');
                intents.push(Intent::ComposerChanged(id.to_owned()));
            }
            let enter = enabled && focused && ui.input_mut(take_plain_enter);
            let output = ui
                .add_enabled_ui(enabled, |ui| {
                    egui::TextEdit::multiline(&mut open.draft)
                        .id(composer_id)
                        .desired_rows(3)
                        .desired_width(f32::INFINITY)
                        .layouter(&mut underline)
                        .show(ui)
                })
                .inner;
            let response = output.response.response.labelled_by(label.id);
            if response.changed() {
                intents.push(Intent::ComposerChanged(id.to_owned()));
            }
            // Right-click: suggestions for the misspelled word under the pointer (remembered
            // while the menu is open), else at the text cursor.
            let clicked_word = egui::Id::unique(("composer_right_click", id));
            if response.secondary_clicked()
                && let Some(pointer) = response.interact_pointer_pos()
            {
                let at = output
                    .galley
                    .cursor_from_pos(pointer - output.galley_pos)
                    .index
                    .0;
                ui.data_mut(|d| d.insert_temp(clicked_word, at));
            }
            let chars = ui
                .data(|d| d.get_temp::<usize>(clicked_word))
                .or_else(|| output.cursor_range.map(|range| range.primary.index.0));
            let cursor = chars
                .and_then(|chars| open.draft.char_indices().nth(chars).map(|(i, _)| i))
                .unwrap_or(open.draft.len());
            response.context_menu(|ui| {
                spelling::context_menu(
                    ui,
                    &spell,
                    language,
                    &open.draft,
                    cursor,
                    (tr, id),
                    intents,
                );
            });
            let send_label = if settings.send_label.is_empty() {
                tr.tr("composer-send")
            } else {
                settings.send_label.to_string()
            };
            let can_send = enabled && !open.draft.trim().is_empty();
            let send = theme::primary_button(send_label);
            if ui.add_enabled(can_send, send).clicked() || (enter && can_send) {
                intents.push(Intent::Send(id.to_owned()));
            }
        });
}

/// In an SMS composer, the character that made the message UCS-2 (70 characters a part
/// instead of 160), and a one-click GSM-7 stand-in when one exists (’ to ', … to ...).
fn ucs2_culprit(ui: &mut Ui, tr: &Translator, id: &str, draft: &str, intents: &mut Vec<Intent>) {
    let Some(culprit) = switchboard_sdk::sms::first_non_gsm7(draft) else {
        return;
    };
    let shown = if culprit.chars().all(|c| c.is_whitespace() || c.is_control()) {
        culprit
            .chars()
            .map(|c| format!("U+{:04X}", c as u32))
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        format!("“{culprit}”")
    };
    if let Some(stand_in) = switchboard_sdk::sms::gsm7_stand_in(culprit) {
        let shown_stand_in = if stand_in == " " {
            tr.tr("sms-a-space")
        } else {
            format!("“{stand_in}”")
        };
        if ui
            .small_button(tr.tr_args("sms-use-gsm7", &[("replacement", &shown_stand_in)]))
            .on_hover_text(tr.tr("sms-use-gsm7-hover"))
            .clicked()
        {
            intents.push(Intent::UseGsm7(id.to_owned()));
        }
    }
    ui.label(
        RichText::new(tr.tr_args("sms-ucs2-because", &[("character", &shown)]))
            .color(theme::WARNING)
            .font(theme::small_font()),
    );
}

/// The conversation's spelling language, beside the reply box; one click checks in the other.
fn spell_language_switch(
    ui: &mut Ui,
    tr: &Translator,
    id: &str,
    language: switchboard_spell::Language,
    intents: &mut Vec<Intent>,
) {
    use switchboard_spell::Language;
    let other = match language {
        Language::English => Language::French,
        Language::French => Language::English,
    };
    let name = |l: Language| tr.tr(&format!("language-{}", l.tag()));
    if ui
        .small_button(tr.tr_args("spell-language", &[("language", &name(language))]))
        .on_hover_text(tr.tr_args("spell-language-hover", &[("other", &name(other))]))
        .clicked()
    {
        intents.push(Intent::SpellLanguage(id.to_owned(), other));
    }
}
