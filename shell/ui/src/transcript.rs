//! The transcript: author-coloured messages and system lines, selectable, laid out only where
//! visible. Row heights vary, so `ScrollArea::show_rows` does not fit; rows are measured when
//! first drawn and the heights cached (per width and zoom) to place the visible window.

use egui::{Align, Color32, Layout, RichText, ScrollArea, Ui, UiBuilder};
use switchboard_core::people::shown;
use switchboard_core::{
    i18n::Translator,
    links::{self, Segment},
};
use switchboard_sdk::{DeliveryStatus, Role, TranscriptEntry};

use crate::theme;

/// Height assumed for a row not measured yet.
const ESTIMATED_ROW_HEIGHT: f32 = 52.0;

/// Cached row heights of one transcript.
#[derive(Default)]
pub struct TranscriptView {
    heights: Vec<f32>,
    width: f32,
    pixels_per_point: f32,
    clicked: Option<String>,
    /// The other participants in order of appearance, how many entries they were read from,
    /// and the first entry's id: a transcript only grows, so only new entries are read again.
    people: (Vec<String>, usize, i64),
}

impl TranscriptView {
    /// Number of rows measured so far (for tests and benchmarks).
    pub fn measured_rows(&self) -> usize {
        self.heights.iter().filter(|h| h.is_finite()).count()
    }

    /// The link (web, `tel:`, `mailto:`) the agent clicked in the last frame, if any.
    pub fn take_clicked_link(&mut self) -> Option<String> {
        self.clicked.take()
    }

    fn height(&self, index: usize) -> f32 {
        match self.heights.get(index) {
            Some(h) if h.is_finite() => *h,
            _ => ESTIMATED_ROW_HEIGHT,
        }
    }

    /// Draws the transcript, filling the available space. `attachments` draws the
    /// attachments of a message inside its bubble.
    /// Draws `entries`; the contact's messages are signed `contact_name` (the name the header
    /// shows, so one customer has one name however their messages were stored).
    pub fn show(
        &mut self,
        ui: &mut Ui,
        entries: &[TranscriptEntry],
        contact_name: &str,
        tr: &Translator,
        attachments: &mut dyn FnMut(&mut Ui, &TranscriptEntry),
    ) {
        let width = ui.available_width();
        let pixels_per_point = ui.ctx().pixels_per_point();
        if (width - self.width).abs() > 0.5 || pixels_per_point != self.pixels_per_point {
            self.heights.clear();
            self.width = width;
            self.pixels_per_point = pixels_per_point;
        }
        self.heights.resize(entries.len(), f32::NAN);
        if entries.is_empty() {
            ui.label(RichText::new(tr.tr("transcript-empty")).color(theme::TEXT_WEAK));
            return;
        }
        let total: f32 = (0..entries.len()).map(|i| self.height(i)).sum();
        self.note_participants(entries);
        let people = std::mem::take(&mut self.people.0);
        ScrollArea::vertical()
            .id_salt("transcript")
            .auto_shrink([false, false])
            .stick_to_bottom(true)
            .show_viewport(ui, |ui, viewport| {
                ui.set_height(total);
                let mut first = 0;
                let mut top = 0.0;
                while first < entries.len() && top + self.height(first) < viewport.min.y {
                    top += self.height(first);
                    first += 1;
                }
                let origin = ui.max_rect().min;
                let rect = egui::Rect::from_min_size(
                    origin + egui::vec2(0.0, top),
                    egui::vec2(
                        ui.max_rect().width(),
                        viewport.height() + ESTIMATED_ROW_HEIGHT * 4.0,
                    ),
                );
                ui.scope_builder(UiBuilder::new().max_rect(rect), |ui| {
                    ui.skip_ahead_auto_ids(first);
                    let mut y = top;
                    let mut index = first;
                    while index < entries.len() && y < viewport.max.y {
                        let before = ui.cursor().top();
                        let entry = &entries[index];
                        if let Some(link) = row(ui, entry, contact_name, &people, tr, attachments) {
                            self.clicked = Some(link);
                        }
                        let height = ui.cursor().top() - before;
                        self.heights[index] = height;
                        y += height;
                        index += 1;
                    }
                });
            });
        self.people.0 = people;
    }

    /// Brings the participants up to date with the entries not read yet (all of them again
    /// when the list is not the one read before: another first entry, or shorter).
    fn note_participants(&mut self, entries: &[TranscriptEntry]) {
        let (people, read, first) = &mut self.people;
        let first_id = entries.first().map_or(0, |e| e.id);
        if *read > entries.len() || *first != first_id {
            people.clear();
            *read = 0;
            *first = first_id;
        }
        add_participants(people, &entries[*read..]);
        *read = entries.len();
    }
}

/// The other participants of a transcript (contacts, colleagues), in order of first appearance:
/// each one's colour is its place in [`theme::PARTICIPANTS`].
#[cfg(test)]
fn participants(entries: &[TranscriptEntry]) -> Vec<String> {
    let mut seen = Vec::new();
    add_participants(&mut seen, entries);
    seen
}

/// Adds the participants of `entries` not in `seen` yet, in order.
fn add_participants(seen: &mut Vec<String>, entries: &[TranscriptEntry]) {
    for entry in entries {
        if matches!(
            entry.role(),
            Some(Role::Contact | Role::Agent | Role::OtherAgent)
        ) && !is_own(entry)
        {
            let key = participant_key(entry);
            if !seen.contains(&key) {
                seen.push(key);
            }
        }
    }
}

/// Whether the agent at this desk wrote the entry (their own replies carry the `agent` key).
fn is_own(entry: &TranscriptEntry) -> bool {
    entry.role() == Some(Role::Agent) && entry.author_key.as_str() == "agent"
}

fn participant_key(entry: &TranscriptEntry) -> String {
    format!("{}{}", entry.author_key, entry.author)
}

/// The colour of a participant, by its place among the transcript's participants.
pub fn participant_colour(place: usize) -> Color32 {
    theme::PARTICIPANTS[place % theme::PARTICIPANTS.len()]
}

/// Draws one entry; returns the link clicked in it, if any.
fn row(
    ui: &mut Ui,
    entry: &TranscriptEntry,
    contact_name: &str,
    people: &[String],
    tr: &Translator,
    attachments: &mut dyn FnMut(&mut Ui, &TranscriptEntry),
) -> Option<String> {
    let role = entry.role();
    if role == Some(Role::System) || role.is_none() {
        ui.with_layout(Layout::top_down(Align::Center), |ui| {
            ui.add_space(2.0);
            ui.label(
                RichText::new(format!(
                    "{} · {}",
                    crate::dates::clock_time(entry.time),
                    tr.system_line(entry)
                ))
                .italics()
                .color(theme::SYSTEM_TEXT)
                .font(theme::small_font()),
            );
            ui.add_space(4.0);
        });
        return None;
    }
    let from_agent = matches!(role, Some(Role::Agent));
    let fill = if from_agent {
        theme::BUBBLE_AGENT
    } else {
        theme::BUBBLE_CONTACT
    };
    let colour = if is_own(entry) {
        theme::ACCENT
    } else {
        let key = participant_key(entry);
        participant_colour(people.iter().position(|p| *p == key).unwrap_or(0))
    };
    let mut clicked = None;
    egui::Frame::new()
        .fill(fill)
        .stroke(egui::Stroke::new(1.0, theme::BORDER))
        .corner_radius(theme::RADIUS)
        .inner_margin(egui::Margin::symmetric(10, 6))
        .outer_margin(egui::Margin {
            left: if from_agent { 48 } else { 0 },
            right: if from_agent { 0 } else { 48 },
            top: 2,
            bottom: 4,
        })
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                let author = if role == Some(Role::Contact) && !contact_name.is_empty() {
                    contact_name
                } else {
                    entry.author.as_str()
                };
                ui.label(RichText::new(shown(author)).strong().color(colour));
                ui.label(
                    RichText::new(crate::dates::clock_time(entry.time))
                        .font(theme::small_font())
                        .color(theme::TEXT_WEAK),
                );
                if let Some(status) = status_text(entry, tr) {
                    ui.label(status);
                }
            });
            if !entry.text.is_empty() {
                clicked = message_text(ui, entry.text.as_str(), tr);
            }
            if !entry.attachments.is_empty() {
                attachments(ui, entry);
            }
        });
    clicked
}

/// A message's text made safe: links as their real address (full address and any warning on
/// hover), phone numbers and e-mail addresses clickable, hidden characters made visible.
/// Returns the link clicked.
fn message_text(ui: &mut Ui, text: &str, tr: &Translator) -> Option<String> {
    let parts = links::segments(text);
    if let [Segment::Text(plain)] = parts.as_slice() {
        ui.add(egui::Label::new(RichText::new(plain).color(theme::TEXT)).selectable(true));
        return None;
    }
    let mut clicked = None;
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 0.0;
        for part in parts {
            match part {
                Segment::Text(plain) => {
                    ui.add(
                        egui::Label::new(RichText::new(plain).color(theme::TEXT)).selectable(true),
                    );
                }
                Segment::Link {
                    shown,
                    target,
                    warning,
                } => {
                    let mut hover = target.clone();
                    if let Some(warning) = &warning {
                        ui.label(RichText::new("[!] ").color(theme::DANGER).strong())
                            .on_hover_text(warning);
                        hover = format!("{target}\n{warning}");
                    }
                    if ui.link(shown).on_hover_text(hover).clicked() {
                        clicked = Some(target);
                    }
                }
                Segment::Phone { shown, target } | Segment::Email { shown, target } => {
                    if ui.link(shown).on_hover_text(&target).clicked() {
                        clicked = Some(target);
                    }
                }
                Segment::Invisible { shown, name } => {
                    ui.label(
                        RichText::new(shown)
                            .color(theme::DANGER)
                            .font(theme::small_font()),
                    )
                    .on_hover_text(tr.tr_args("transcript-hidden-character", &[("name", name)]));
                }
            }
        }
    });
    clicked
}

fn status_text(entry: &TranscriptEntry, tr: &Translator) -> Option<RichText> {
    let small =
        |text: String, colour| Some(RichText::new(text).font(theme::small_font()).color(colour));
    match entry.status.as_enum().ok()? {
        DeliveryStatus::Sending => small(tr.tr("delivery-sending"), theme::TEXT_WEAK),
        DeliveryStatus::Delivered => small(tr.tr("delivery-delivered"), theme::SUCCESS),
        DeliveryStatus::Read => small(tr.tr("delivery-read"), theme::ACCENT),
        DeliveryStatus::Failed { reason } => small(
            tr.tr_args("delivery-failed", &[("reason", reason.as_str())]),
            theme::DANGER,
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn participants_take_colours_in_order_and_never_the_agents_own() {
        assert!(!theme::PARTICIPANTS.contains(&theme::ACCENT));
        let entry = |role: Role, key: &str, author: &str| TranscriptEntry {
            id: 0,
            interaction: "i".into(),
            role: role.into(),
            author: author.into(),
            author_key: key.into(),
            time: switchboard_sdk::Timestamp(0),
            text: "".into(),
            attachments: Default::default(),
            status: DeliveryStatus::None.into(),
            provider_id: switchboard_sdk::abi_stable::std_types::ROption::RNone,
        };
        let entries = [
            entry(Role::Contact, "contact", "Camille"),
            entry(Role::Agent, "agent", "Ada"),
            entry(Role::Agent, "agent:marc", "Marc"),
            entry(Role::Contact, "contact", "Camille"),
        ];
        assert_eq!(
            participants(&entries),
            ["contactCamille".to_owned(), "agent:marcMarc".to_owned()],
            "the agent's own replies are not a participant; a colleague is"
        );
        assert_ne!(participant_colour(0), participant_colour(1));
    }
}
