//! The top bar: menus, per-channel status, the agent, and the plugins window.

use egui::{RichText, Ui};
use switchboard_core::{desk::ChannelStatus, plugin_host::PluginStatus};

use crate::{
    app::{Intent, ShellApp},
    team, theme,
};

/// One half of a status switch: filled with `colour` when it is the current status.
fn status_button(ui: &mut Ui, label: &str, current: bool, colour: egui::Color32) -> bool {
    let button = if current {
        egui::Button::new(RichText::new(label).color(egui::Color32::WHITE).strong()).fill(colour)
    } else {
        egui::Button::new(RichText::new(label).color(theme::TEXT_WEAK)).fill(theme::SURFACE_ALT)
    };
    ui.add(button).clicked()
}

/// The Not Ready half of the switch: a menu of reasons, showing the current one.
fn not_ready_menu(
    ui: &mut Ui,
    app: &ShellApp,
    channel: &str,
    status: &ChannelStatus,
    intents: &mut Vec<Intent>,
) {
    let tr = &app.tr;
    let (current, label) = match status {
        ChannelStatus::NotReady(Some(reason)) => {
            (true, format!("{} · {reason}", tr.tr("status-not-ready")))
        }
        ChannelStatus::NotReady(None) => (true, tr.tr("status-not-ready")),
        _ => (false, tr.tr("status-not-ready")),
    };
    let button = if current {
        egui::Button::new(RichText::new(label).color(egui::Color32::WHITE).strong())
            .fill(theme::WARNING)
    } else {
        egui::Button::new(RichText::new(label).color(theme::TEXT_WEAK)).fill(theme::SURFACE_ALT)
    };
    egui::containers::menu::MenuButton::from_button(button).ui(ui, |ui| {
        if ui.button(tr.tr("status-not-ready")).clicked() {
            intents.push(Intent::SetNotReady(channel.to_owned(), None));
        }
        for reason in &app.desk.config().shell.not_ready_reasons {
            if ui.button(reason).clicked() {
                intents.push(Intent::SetNotReady(
                    channel.to_owned(),
                    Some(reason.clone()),
                ));
            }
        }
    });
}

pub(crate) fn show(ui: &mut Ui, app: &mut ShellApp, intents: &mut Vec<Intent>) {
    // The search field edits the Team Communicator's state while the rest reads the app.
    let mut team_state = std::mem::take(&mut app.team);
    show_bar(ui, app, &mut team_state, intents);
    app.team = team_state;
}

fn show_bar(
    ui: &mut Ui,
    app: &ShellApp,
    team_state: &mut team::TeamState,
    intents: &mut Vec<Intent>,
) {
    let tr = &app.tr;
    egui::Panel::top("top_bar")
        .frame(
            egui::Frame::new()
                .fill(theme::SURFACE)
                .inner_margin(egui::Margin::symmetric(10, 6)),
        )
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label(
                    RichText::new(tr.tr("app-title"))
                        .strong()
                        .color(theme::ACCENT),
                );
                ui.menu_button(tr.tr("menu-view"), |ui| {
                    if ui.button(tr.tr("zoom-in")).clicked() {
                        intents.push(Intent::Zoom(0.1));
                    }
                    if ui.button(tr.tr("zoom-out")).clicked() {
                        intents.push(Intent::Zoom(-0.1));
                    }
                    if ui.button(tr.tr("zoom-reset")).clicked() {
                        intents.push(Intent::ResetZoom);
                    }
                });
                if ui.button(tr.tr("menu-plugins")).clicked() {
                    intents.push(Intent::TogglePlugins);
                }
                let is_admin = app
                    .desk
                    .agent()
                    .is_some_and(|a| a.role.grants(switchboard_core::config::Permission::Admin));
                if is_admin && ui.button(tr.tr("admin-open")).clicked() {
                    intents.push(Intent::ToggleAdmin);
                }
                ui.separator();
                team::field(ui, team_state, tr);
                ui.separator();
                for channel in app.desk.channels() {
                    ui.label(RichText::new(channel.name()).strong());
                    if !app.desk.link_up() || !channel.is_running() {
                        ui.label(RichText::new(tr.tr("status-unavailable")).color(theme::DANGER))
                            .on_hover_text(channel.health_text());
                    } else {
                        let ready = channel.status == ChannelStatus::Ready;
                        if status_button(ui, &tr.tr("status-ready"), ready, theme::SUCCESS)
                            && !ready
                        {
                            intents.push(Intent::SetReady(channel.id().to_owned(), true));
                        }
                        not_ready_menu(ui, app, channel.id(), &channel.status, intents);
                    }
                    ui.separator();
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui.button(tr.tr("sign-out")).clicked() {
                        intents.push(Intent::SignOut);
                    }
                    if let Some(agent) = app.desk.agent() {
                        ui.label(
                            RichText::new(format!("{} ({})", agent.name, agent.id))
                                .color(theme::TEXT_WEAK),
                        );
                    }
                });
            });
        });
    if !app.desk.link_up() {
        egui::Panel::top("link_down")
            .frame(
                egui::Frame::new()
                    .fill(theme::DANGER)
                    .inner_margin(egui::Margin::symmetric(10, 4)),
            )
            .show(ui, |ui| {
                ui.label(RichText::new(tr.tr("link-down")).color(egui::Color32::WHITE));
            });
    }
}

pub(crate) fn plugins_window(ui: &mut Ui, app: &ShellApp, intents: &mut Vec<Intent>) {
    let mut open = true;
    egui::Window::new(app.tr.tr("plugins-title"))
        .open(&mut open)
        .default_width(560.0)
        .show(ui.ctx(), |ui| {
            egui::Grid::new("plugins").striped(true).show(ui, |ui| {
                for entry in app.desk.catalog().report() {
                    ui.label(entry.id.as_deref().unwrap_or("—"));
                    ui.label(entry.version.as_deref().unwrap_or(""));
                    match &entry.status {
                        PluginStatus::Loaded => {
                            ui.label(
                                RichText::new(app.tr.tr("plugin-loaded")).color(theme::SUCCESS),
                            );
                            ui.label(RichText::new(&entry.file).color(theme::TEXT_WEAK));
                        }
                        PluginStatus::Refused(reason) => {
                            ui.label(
                                RichText::new(app.tr.tr("plugin-failed")).color(theme::DANGER),
                            );
                            ui.label(format!("{}: {reason}", entry.file));
                        }
                    }
                    ui.end_row();
                }
            });
        });
    if !open {
        intents.push(Intent::TogglePlugins);
    }
}
