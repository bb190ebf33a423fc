//! The pending-response indicator drawn in the interaction header and on its bar entry: how
//! long the contact has waited, green, yellow, then red and flashing.

use egui::{Color32, RichText, Ui};
use switchboard_core::{
    desk::{Pending, PendingLevel},
    i18n::Translator,
};

use crate::{dates::elapsed, theme};

fn colour(level: PendingLevel) -> Color32 {
    match level {
        PendingLevel::Green => theme::SUCCESS,
        PendingLevel::Yellow => theme::WARNING,
        PendingLevel::Red => theme::DANGER,
    }
}

/// A small filled pill: "Waiting 0:42". Red flashes (`flash_on` alternates).
pub(crate) fn pill(ui: &mut Ui, tr: &Translator, pending: Pending, flash_on: bool) {
    let fill = if pending.level == PendingLevel::Red && !flash_on {
        theme::FLASH
    } else {
        colour(pending.level)
    };
    let text_colour = if fill == theme::FLASH {
        theme::DANGER
    } else {
        theme::ON_FILL
    };
    let level = match pending.level {
        PendingLevel::Green => "pending-green",
        PendingLevel::Yellow => "pending-yellow",
        PendingLevel::Red => "pending-red",
    };
    egui::Frame::new()
        .fill(fill)
        .corner_radius(egui::CornerRadius::same(8))
        .inner_margin(egui::Margin::symmetric(6, 1))
        .show(ui, |ui| {
            ui.label(
                RichText::new(tr.tr_args(
                    "pending-waiting",
                    &[("elapsed", &elapsed(pending.waiting_seconds))],
                ))
                .color(text_colour)
                .font(theme::small_font())
                .strong(),
            )
            .on_hover_text(tr.tr(level));
        });
}
