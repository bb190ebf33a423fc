//! The question before signing out with open work: the open interactions are listed, and the
//! agent either stays to finish them or hands them back to the queue (the platform offers them
//! to a colleague) and signs out. Nothing open is dropped in silence. Escape stays.

use egui::Ui;
use switchboard_core::{desk::Desk, i18n::Translator};

use crate::{intents::Intent, theme};

/// Escape for the question, taken at the start of the frame.
pub(crate) fn stay_key(ui: &mut Ui) -> bool {
    ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape))
}

pub(crate) fn show(
    ui: &mut Ui,
    desk: &Desk,
    tr: &Translator,
    stay_key: bool,
    intents: &mut Vec<Intent>,
) {
    let open = desk.interactions();
    egui::Modal::new(egui::Id::unique("sign_out_guard")).show(ui.ctx(), |ui| {
        ui.set_width(420.0);
        ui.heading(tr.tr("sign-out-guard-title"));
        ui.label(tr.tr_args("sign-out-guard-body", &[("count", &open.len().to_string())]));
        ui.add_space(theme::GAP);
        egui::ScrollArea::vertical()
            .max_height(220.0)
            .show(ui, |ui| {
                for interaction in open {
                    let channel = desk
                        .channels()
                        .get(interaction.channel)
                        .map_or(interaction.row.media_type.as_str().into(), |c| {
                            desk.named(switchboard_core::config::LabelKind::Channel, c.id())
                        });
                    ui.label(format!(
                        "• {} · {channel}",
                        switchboard_core::people::shown(&interaction.row.contact_name)
                    ));
                }
            });
        ui.add_space(theme::GAP);
        ui.horizontal(|ui| {
            let hand_back = theme::primary_button(tr.tr("sign-out-hand-back"));
            if ui.add(hand_back).clicked() {
                intents.push(Intent::SignOutHandingBack);
            } else if ui.button(tr.tr("sign-out-stay")).clicked() || stay_key {
                intents.push(Intent::StaySignedIn);
            }
        });
    });
}
