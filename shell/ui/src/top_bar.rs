//! The top bar: menus, per-channel status, the agent, and the plugins window.

use egui::{RichText, Ui};
use switchboard_core::{
    config::LabelKind, desk::ChannelStatus, i18n::Language, plugin_host::PluginStatus,
};

use crate::{intents::Intent, screen::Screen, team, theme};

/// One half of a status switch: filled with `colour` when it is the current status.
fn status_button(ui: &mut Ui, label: &str, current: bool, colour: egui::Color32) -> bool {
    let button = if current {
        theme::filled_button(label, colour)
    } else {
        egui::Button::new(RichText::new(label).color(theme::TEXT_WEAK)).fill(theme::SURFACE_ALT)
    };
    ui.add(button).clicked()
}

/// The Not Ready half of the switch: a menu of reasons for every channel at once, showing the
/// current reason when all channels share it.
fn not_ready_menu(ui: &mut Ui, app: &Screen<'_>, channels: &[String], intents: &mut Vec<Intent>) {
    let tr = &app.tr;
    let statuses: Vec<&ChannelStatus> = app
        .desk
        .channels()
        .iter()
        .filter(|c| channels.iter().any(|id| id == c.id()))
        .map(|c| &c.status)
        .collect();
    let all_not_ready = !statuses.is_empty()
        && statuses
            .iter()
            .all(|s| matches!(s, ChannelStatus::NotReady(_)));
    let shared_reason = match statuses.first() {
        Some(ChannelStatus::NotReady(Some(reason)))
            if statuses
                .iter()
                .all(|s| **s == ChannelStatus::NotReady(Some(reason.clone()))) =>
        {
            Some(reason.clone())
        }
        _ => None,
    };
    let label = match &shared_reason {
        Some(reason) => format!(
            "{} · {}",
            tr.tr("status-not-ready"),
            app.desk.named(LabelKind::NotReadyReason, reason)
        ),
        None => tr.tr("status-not-ready"),
    };
    let button = if all_not_ready {
        theme::filled_button(label, theme::WARNING)
    } else {
        egui::Button::new(RichText::new(label).color(theme::TEXT_WEAK)).fill(theme::SURFACE_ALT)
    };
    let set = |intents: &mut Vec<Intent>, reason: Option<String>| {
        for channel in channels {
            intents.push(Intent::SetNotReady(channel.clone(), reason.clone()));
        }
    };
    egui::containers::menu::MenuButton::from_button(button).ui(ui, |ui| {
        if ui.button(tr.tr("status-not-ready")).clicked() {
            set(intents, None);
        }
        for reason in &app.desk.config().shell.not_ready_reasons {
            if ui
                .button(app.desk.named(LabelKind::NotReadyReason, reason))
                .clicked()
            {
                set(intents, Some(reason.clone()));
            }
        }
    });
}

/// The per-channel statuses, in a menu: each channel's name, status, and its own switch.
fn channels_menu(ui: &mut Ui, app: &Screen<'_>, intents: &mut Vec<Intent>) {
    let tr = &app.tr;
    let channels = app.desk.channels();
    let ready = channels
        .iter()
        .filter(|c| c.status == ChannelStatus::Ready)
        .count();
    let label = tr.tr_args(
        "status-channels",
        &[
            ("ready", &ready.to_string()),
            ("total", &channels.len().to_string()),
        ],
    );
    ui.menu_button(label, |ui| {
        egui::Grid::new("channel_statuses").show(ui, |ui| {
            for channel in channels {
                let name = app.desk.named(LabelKind::Channel, channel.id());
                ui.label(RichText::new(name.as_ref()).strong());
                if !app.desk.link_up() || !channel.is_running() {
                    ui.label(RichText::new(tr.tr("status-unavailable")).color(theme::DANGER))
                        .on_hover_text(channel.health_text());
                    ui.end_row();
                    continue;
                }
                let id = channel.id().to_owned();
                if channel.status == ChannelStatus::LoggedOut {
                    ui.label(RichText::new(tr.tr("status-logged-out")).color(theme::TEXT_WEAK));
                    if ui
                        .button(tr.tr_args("channel-log-in", &[("channel", &name)]))
                        .clicked()
                    {
                        intents.push(Intent::SetLoggedOut(id, false));
                    }
                    ui.end_row();
                    continue;
                }
                let is_ready = channel.status == ChannelStatus::Ready;
                if status_button(ui, &tr.tr("status-ready"), is_ready, theme::SUCCESS) && !is_ready
                {
                    intents.push(Intent::SetReady(id.clone(), true));
                }
                not_ready_menu(ui, app, std::slice::from_ref(&id), intents);
                if ui
                    .button(tr.tr_args("channel-log-out", &[("channel", &name)]))
                    .clicked()
                {
                    intents.push(Intent::SetLoggedOut(id, true));
                }
                ui.end_row();
            }
        });
    });
}

/// The top bar. The search field edits the Team Communicator's state; the rest reads.
pub(crate) fn show(
    ui: &mut Ui,
    app: &Screen<'_>,
    team_state: &mut team::TeamState,
    communication_open: bool,
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
                    ui.separator();
                    if ui.button(tr.tr("keys-button")).clicked() {
                        intents.push(Intent::ToggleShortcuts);
                    }
                    ui.separator();
                    ui.label(RichText::new(tr.tr("menu-language")).small());
                    for language in [Language::English, Language::French] {
                        let current = tr.language() == language;
                        let name = tr.tr(switchboard_core::i18n::language_name_id(language));
                        if ui.selectable_label(current, name).clicked() && !current {
                            intents.push(Intent::SetLanguage(language));
                        }
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
                let open = communication_open;
                if ui
                    .add(egui::Button::new(tr.tr("communication-open")).selected(open))
                    .on_hover_text(tr.tr("communication-open-hint"))
                    .clicked()
                {
                    intents.push(Intent::ToggleCommunication);
                }
                ui.separator();
                team::field(ui, team_state, tr);
                ui.separator();
                let usable = usable_channels(app.desk);
                if usable.is_empty() {
                    ui.label(RichText::new(tr.tr("status-unavailable")).color(theme::DANGER));
                } else {
                    let all_ready = app
                        .desk
                        .channels()
                        .iter()
                        .filter(|c| usable.iter().any(|id| id == c.id()))
                        .all(|c| c.status == ChannelStatus::Ready);
                    if status_button(ui, &tr.tr("status-ready"), all_ready, theme::SUCCESS)
                        && !all_ready
                    {
                        for channel in &usable {
                            intents.push(Intent::SetReady(channel.clone(), true));
                        }
                    }
                    not_ready_menu(ui, app, &usable, intents);
                }
                channels_menu(ui, app, intents);
                ui.separator();
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui.button(tr.tr("sign-out")).clicked() {
                        intents.push(Intent::SignOut);
                    }

                    // What room is left: a long name (or French labels) shortens it rather
                    // than drawing it over the status buttons; the whole of it on hover.
                    if let Some(agent) = app.desk.agent() {
                        let whole = format!("{} ({})", agent.name, agent.id);
                        ui.add(
                            egui::Label::new(RichText::new(&whole).color(theme::TEXT_WEAK))
                                .truncate(),
                        )
                        .on_hover_text(whole);
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
                ui.label(RichText::new(tr.tr("link-down")).color(theme::ON_FILL));
            });
    }
}

pub(crate) fn plugins_window(ui: &mut Ui, app: &Screen<'_>, intents: &mut Vec<Intent>) {
    let mut open = true;
    let area = theme::below_bars(ui.ctx());
    egui::Window::new(app.tr.tr("plugins-title"))
        .open(&mut open)
        .constrain_to(area)
        .default_pos(area.min + egui::vec2(24.0, 12.0))
        .default_width(560.0)
        .show(ui.ctx(), |ui| {
            egui::Grid::new("plugins").striped(true).show(ui, |ui| {
                for entry in app.desk.catalog().report() {
                    // People read the channel's name; the id the configuration uses is beside it.
                    match entry.id.as_deref() {
                        Some(id) => {
                            ui.label(app.desk.named(LabelKind::Channel, id).as_ref());
                            ui.label(RichText::new(id).color(theme::TEXT_WEAK));
                        }
                        None => {
                            ui.label("—");
                            ui.label("");
                        }
                    }
                    ui.label(entry.version.as_deref().unwrap_or(""));
                    match &entry.status {
                        PluginStatus::Loaded => {
                            // Loaded, but it may have failed since (a panic, a refused call):
                            // the channel's health says so, with the reason.
                            let failed =
                                app.desk.channels().iter().find(|c| {
                                    entry.id.as_deref() == Some(c.id()) && !c.is_running()
                                });
                            match failed {
                                Some(channel) => {
                                    ui.label(
                                        RichText::new(app.tr.tr("plugin-failed"))
                                            .color(theme::DANGER),
                                    );
                                    ui.label(channel.health_text()).on_hover_text(&entry.file);
                                }
                                None => {
                                    ui.label(
                                        RichText::new(app.tr.tr("plugin-loaded"))
                                            .color(theme::SUCCESS),
                                    );
                                    ui.horizontal(|ui| {
                                        file_label(ui, &entry.file);
                                        let isolated = entry
                                            .id
                                            .as_deref()
                                            .is_some_and(|id| app.desk.catalog().is_isolated(id));
                                        if isolated {
                                            ui.label(
                                                RichText::new(app.tr.tr("plugin-isolated"))
                                                    .color(theme::TEXT_WEAK),
                                            );
                                        }
                                    });
                                }
                            }
                        }
                        PluginStatus::Refused(reason) => {
                            ui.label(
                                RichText::new(app.tr.tr("plugin-refused")).color(theme::DANGER),
                            );
                            ui.label(format!("{}: {reason}", file_name(&entry.file)))
                                .on_hover_text(&entry.file);
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

/// A plugin's file by its name; the whole path on hover (an administrator's detail).
fn file_label(ui: &mut Ui, file: &str) {
    ui.label(RichText::new(file_name(file)).color(theme::TEXT_WEAK))
        .on_hover_text(file);
}

fn file_name(file: &str) -> &str {
    std::path::Path::new(file)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(file)
}

/// The channels Ready and Not Ready for all apply to: running, the link up, and not logged out
/// by the agent (a channel the agent logged out of stays out of Ready for all).
pub(crate) fn usable_channels(desk: &switchboard_core::desk::Desk) -> Vec<String> {
    desk.channels()
        .iter()
        .filter(|c| desk.link_up() && c.is_running())
        .filter(|c| c.status != ChannelStatus::LoggedOut)
        .map(|c| c.id().to_owned())
        .collect()
}
