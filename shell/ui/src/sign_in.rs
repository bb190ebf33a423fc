//! The sign-in screen: the agent id field has the focus as it opens, Enter signs in (on a
//! cluster, Enter after the id goes on to the password).

use egui::{Key, RichText, Ui};

use crate::{intents::Intent, screen::Screen, theme};

pub(crate) fn show(
    ui: &mut Ui,
    app: &Screen<'_>,
    agent_id: &mut String,
    password: &mut String,
    error: Option<&str>,
    intents: &mut Vec<Intent>,
) {
    egui::CentralPanel::default().show(ui, |ui| {
        ui.vertical_centered(|ui| {
            ui.add_space(ui.available_height() * 0.25);
            theme::card().show(ui, |ui| {
                ui.set_width(320.0);
                ui.vertical_centered(|ui| {
                    ui.label(
                        RichText::new(app.tr.tr("app-title"))
                            .font(theme::title_font())
                            .strong(),
                    );
                    ui.label(RichText::new(app.tr.tr("sign-in-title")).color(theme::TEXT_WEAK));
                });
                ui.add_space(theme::GAP);
                let label = ui.label(app.tr.tr("sign-in-agent-id"));
                let field = ui
                    .add(egui::TextEdit::singleline(agent_id).desired_width(f32::INFINITY))
                    .labelled_by(label.id);
                let id_entered = field.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
                // The agent types their id as the screen opens, without reaching for the mouse
                // (and again after a refused sign-in).
                if !id_entered && ui.memory(|m| m.focused().is_none()) {
                    field.request_focus();
                }
                let asks_for_password = app.desk.asks_for_password();
                let mut submitted = id_entered && !asks_for_password;
                // A platform that asks for a password (a cluster) gets a masked field.
                if asks_for_password {
                    ui.add_space(theme::GAP);
                    let label = ui.label(app.tr.tr("sign-in-password"));
                    let field = ui
                        .add(
                            egui::TextEdit::singleline(password)
                                .password(true)
                                .desired_width(f32::INFINITY),
                        )
                        .labelled_by(label.id);
                    // Enter after the id goes on to the password.
                    if id_entered {
                        field.request_focus();
                    }
                    submitted |= field.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
                }
                ui.add_space(theme::GAP);
                let button = theme::primary_button(app.tr.tr("sign-in-button"))
                    .min_size(egui::vec2(ui.available_width(), 28.0));
                if ui.add(button).clicked() || submitted {
                    intents.push(Intent::SignIn);
                }
                if let Some(error) = error {
                    ui.label(RichText::new(error).color(theme::DANGER));
                }
                let ids: Vec<&str> = app
                    .desk
                    .config()
                    .agents
                    .iter()
                    .map(|a| a.id.as_str())
                    .collect();
                if !ids.is_empty() {
                    ui.add_space(theme::GAP);
                    ui.label(
                        RichText::new(
                            app.tr
                                .tr_args("sign-in-demo-agents", &[("ids", &ids.join(", "))]),
                        )
                        .font(theme::small_font())
                        .color(theme::TEXT_WEAK),
                    );
                }
            });
        });
    });
}
