//! The administration view: roles (channels, permissions, behaviour, timers, disposition
//! policy) and agents, edited as a draft, validated, and saved atomically.

use std::path::Path;

use egui::{RichText, Ui};
use switchboard_core::config::{Config, LabelKind, Permission, RoleConfig, save_atomically};

use crate::{intents::Intent, screen::Screen, theme};

/// The draft being edited.
pub(crate) struct AdminState {
    pub(crate) draft: Config,
    pub(crate) role: String,
    pub(crate) message: Option<(bool, String)>,
    /// The kind of key the labels editor shows.
    labels: LabelKind,
    /// The agent the accounts section acts on (a cluster).
    account_agent: String,
    /// The new password typed there (cleared once asked).
    account_password: String,
}

impl AdminState {
    pub(crate) fn new(config: &Config) -> Self {
        Self {
            draft: config.clone(),
            role: config.roles.keys().next().cloned().unwrap_or_default(),
            message: None,
            labels: Default::default(),
            account_agent: config
                .agents
                .first()
                .map(|a| a.id.clone())
                .unwrap_or_default(),
            account_password: String::new(),
        }
    }

    /// Validates and saves the draft; returns the saved configuration.
    pub(crate) fn save(
        &mut self,
        path: &Path,
        tr: &switchboard_core::i18n::Translator,
    ) -> Option<Config> {
        match save_atomically(path, &self.draft) {
            Ok(()) => {
                let file = path.display().to_string();
                self.message = Some((true, tr.tr_args("admin-saved", &[("file", &file)])));
                Some(self.draft.clone())
            }
            Err(e) => {
                self.message = Some((
                    false,
                    tr.tr_args("admin-not-saved", &[("reason", &e.to_string())]),
                ));
                None
            }
        }
    }
}

pub(crate) fn show(
    ui: &mut Ui,
    app: &Screen<'_>,
    admin_state: &mut Option<AdminState>,
    intents: &mut Vec<Intent>,
) {
    let channels: Vec<String> = {
        let mut ids: Vec<String> = app
            .desk
            .catalog()
            .available()
            .iter()
            .map(|p| p.id().to_owned())
            .collect();
        if let Some(admin) = admin_state.as_ref() {
            for role in admin.draft.roles.values() {
                ids.extend(role.channels.iter().cloned());
            }
        }
        ids.sort();
        ids.dedup();
        ids
    };
    // People read channel names; the id (what the configuration file holds) shows on hover.
    let names: std::collections::HashMap<String, String> = app
        .desk
        .catalog()
        .available()
        .iter()
        .map(|p| {
            let id = p.id();
            (
                id.to_owned(),
                app.desk.named(LabelKind::Channel, id).into_owned(),
            )
        })
        .collect();
    let tr = &app.tr;
    let Some(admin) = admin_state.as_mut() else {
        return;
    };
    let mut open = true;
    let area = theme::below_bars(ui.ctx());
    egui::Window::new(tr.tr("admin-title"))
        .open(&mut open)
        .constrain_to(area)
        .default_pos(area.min + egui::vec2(24.0, 12.0))
        .default_width(720.0)
        .default_height(560.0)
        .show(ui.ctx(), |ui| {
            // Save and Revert stay in view however long the form grows.
            egui::Panel::bottom("admin_actions")
                .frame(egui::Frame::new().inner_margin(egui::Margin::symmetric(0, 6)))
                .show(ui, |ui| {
                    ui.horizontal(|ui| {
                        let save = theme::primary_button(tr.tr("admin-save"));
                        if ui.add(save).clicked() {
                            intents.push(Intent::SaveConfig);
                        }
                        if ui.button(tr.tr("admin-revert")).clicked() {
                            intents.push(Intent::RevertConfig);
                        }
                        if let Some((ok, message)) = &admin.message {
                            ui.label(RichText::new(message).color(if *ok {
                                theme::SUCCESS
                            } else {
                                theme::DANGER
                            }));
                        }
                    });
                });
            ui.horizontal(|ui| {
                ui.label(RichText::new(tr.tr("admin-roles")).strong());
                for name in admin.draft.roles.keys() {
                    if ui.selectable_label(admin.role == *name, name).clicked() {
                        admin.role = name.clone();
                    }
                }
            });
            ui.separator();
            egui::ScrollArea::vertical()
                .id_salt("admin_form")
                .show(ui, |ui| {
                    if let Some(role) = admin.draft.roles.get_mut(&admin.role) {
                        role_editor(ui, tr, role, &channels, &names);
                    }
                    ui.separator();
                    crate::admin_labels::show(
                        ui,
                        tr,
                        app.desk,
                        &mut admin.draft,
                        &mut admin.labels,
                        &channels,
                    );
                    ui.separator();
                    agents(ui, tr, &mut admin.draft);
                    if app.desk.asks_for_password() {
                        accounts(ui, tr, app.desk, admin, intents);
                    }
                    provider(ui, tr, admin.draft.provider.as_ref());
                });
        });
    if !open {
        intents.push(Intent::ToggleAdmin);
    }
}

fn section(ui: &mut Ui, title: String) {
    ui.add_space(4.0);
    ui.label(RichText::new(title).strong());
}

fn role_editor(
    ui: &mut Ui,
    tr: &switchboard_core::i18n::Translator,
    role: &mut RoleConfig,
    channels: &[String],
    names: &std::collections::HashMap<String, String>,
) {
    let name = |id: &str| names.get(id).cloned().unwrap_or_else(|| id.to_owned());
    section(ui, tr.tr("admin-channels"));
    ui.horizontal_wrapped(|ui| {
        for channel in channels {
            let mut enabled = role.channels.contains(channel);
            if ui
                .checkbox(&mut enabled, name(channel))
                .on_hover_text(channel)
                .changed()
            {
                if enabled {
                    role.channels.push(channel.clone());
                } else {
                    role.channels.retain(|c| c != channel);
                    role.dispositions_required.retain(|c| c != channel);
                }
            }
        }
    });
    section(ui, tr.tr("admin-permissions"));
    ui.horizontal_wrapped(|ui| {
        for permission in Permission::ALL {
            let mut granted = role.grants(permission);
            if ui
                .checkbox(&mut granted, tr.tr(&format!("perm-{}", permission.name())))
                .changed()
            {
                if granted {
                    role.permissions.insert(permission);
                } else {
                    role.permissions.remove(&permission);
                }
            }
        }
    });
    section(ui, tr.tr("admin-behaviour"));
    ui.horizontal_wrapped(|ui| {
        ui.checkbox(&mut role.auto_answer, tr.tr("admin-auto-answer"));
        ui.checkbox(&mut role.auto_ready, tr.tr("admin-auto-ready"));
        ui.checkbox(&mut role.spell_check_warning, tr.tr("admin-spell-warning"));
    });
    section(ui, tr.tr("admin-dispositions"));
    ui.horizontal_wrapped(|ui| {
        for channel in role.channels.clone() {
            let mut required = role.dispositions_required.contains(&channel);
            if ui
                .checkbox(&mut required, name(&channel))
                .on_hover_text(&channel)
                .changed()
            {
                if required {
                    role.dispositions_required.push(channel);
                } else {
                    role.dispositions_required.retain(|c| *c != channel);
                }
            }
        }
    });
    section(ui, tr.tr("admin-timers"));
    egui::Grid::new("timers").num_columns(2).show(ui, |ui| {
        let timers = &mut role.timers;
        for (key, value) in [
            (
                "admin-session-inactivity",
                &mut timers.session_inactivity_seconds,
            ),
            ("admin-pending-yellow", &mut timers.pending_yellow_seconds),
            ("admin-pending-red", &mut timers.pending_red_seconds),
            (
                "admin-invitation-timeout",
                &mut timers.invitation_timeout_seconds,
            ),
        ] {
            let label = ui.label(tr.tr(key));
            ui.add(egui::DragValue::new(value).range(0..=86_400).suffix(" s"))
                .labelled_by(label.id);
            ui.end_row();
        }
    });
}

fn agents(ui: &mut Ui, tr: &switchboard_core::i18n::Translator, config: &mut Config) {
    section(ui, tr.tr("admin-agents"));
    let roles: Vec<String> = config.roles.keys().cloned().collect();
    egui::Grid::new("agents")
        .num_columns(3)
        .striped(true)
        .show(ui, |ui| {
            for agent in &mut config.agents {
                ui.label(RichText::new(&agent.id).strong());
                let name = ui.label(&agent.name);
                let combo = egui::ComboBox::from_id_salt(("agent_role", agent.id.as_str()))
                    .selected_text(agent.role.as_str())
                    .show_ui(ui, |ui| {
                        for role in &roles {
                            ui.selectable_value(&mut agent.role, role.clone(), role);
                        }
                    });
                combo.response.labelled_by(name.id);
                ui.end_row();
            }
        });
}

/// The contact center's accounts, kept by its gateway (a cluster): disable or enable an agent,
/// set a password, read the audit trail. Each is asked off the window's thread; the line
/// below says where it is.
fn accounts(
    ui: &mut Ui,
    tr: &switchboard_core::i18n::Translator,
    desk: &switchboard_core::desk::Desk,
    admin: &mut AdminState,
    intents: &mut Vec<Intent>,
) {
    use switchboard_core::backend::{AccountAction, AccountAnswer};
    use switchboard_core::desk::AccountState;
    section(ui, tr.tr("admin-accounts"));
    let agent = admin.account_agent.clone();
    ui.horizontal(|ui| {
        let label = ui.label(tr.tr("admin-account-agent"));
        egui::ComboBox::from_id_salt("account_agent")
            .selected_text(agent.as_str())
            .show_ui(ui, |ui| {
                for known in &admin.draft.agents {
                    ui.selectable_value(&mut admin.account_agent, known.id.clone(), &known.id);
                }
            })
            .response
            .labelled_by(label.id);
        if ui.button(tr.tr("admin-account-disable")).clicked() {
            intents.push(Intent::Administer(AccountAction::Disable {
                agent: agent.clone(),
            }));
        }
        if ui.button(tr.tr("admin-account-enable")).clicked() {
            intents.push(Intent::Administer(AccountAction::Enable {
                agent: agent.clone(),
            }));
        }
    });
    ui.horizontal(|ui| {
        let label = ui.label(tr.tr("admin-account-password"));
        ui.add(
            egui::TextEdit::singleline(&mut admin.account_password)
                .password(true)
                .desired_width(180.0),
        )
        .labelled_by(label.id);
        let typed = admin.account_password.chars().count() >= 8;
        if ui
            .add_enabled(
                typed,
                egui::Button::new(tr.tr("admin-account-set-password")),
            )
            .clicked()
        {
            let password = switchboard_core::seam::secret::Secret::new(std::mem::take(
                &mut admin.account_password,
            ));
            intents.push(Intent::Administer(AccountAction::SetPassword {
                agent: agent.clone(),
                password,
            }));
        }
        if ui.button(tr.tr("admin-account-audit")).clicked() {
            intents.push(Intent::Administer(AccountAction::AuditTrail {
                agent: None,
                limit: 50,
            }));
        }
    });
    match desk.account_state() {
        None => {}
        Some(AccountState::Pending) => {
            ui.label(RichText::new(tr.tr("admin-account-pending")).color(theme::TEXT_WEAK));
        }
        Some(AccountState::Refused(reason)) => {
            ui.label(
                RichText::new(tr.tr_args("admin-account-refused", &[("reason", reason)]))
                    .color(theme::DANGER),
            );
        }
        Some(AccountState::Done(AccountAnswer::Audit(lines))) => {
            egui::Grid::new("audit_trail")
                .num_columns(4)
                .striped(true)
                .show(ui, |ui| {
                    for line in lines {
                        ui.label(RichText::new(crate::dates::day_and_time(line.at)).small());
                        ui.label(RichText::new(&line.kind).small());
                        ui.label(RichText::new(line.agent.as_deref().unwrap_or("")).small());
                        ui.label(RichText::new(&line.detail).small());
                        ui.end_row();
                    }
                });
        }
        Some(AccountState::Done(_)) => {
            ui.label(RichText::new(tr.tr("admin-account-done")).color(theme::SUCCESS));
        }
    }
}

/// The SMS provider account, read-only: the secret is never shown, only that it is configured
/// and where it comes from.
fn provider(
    ui: &mut Ui,
    tr: &switchboard_core::i18n::Translator,
    provider: Option<&switchboard_core::config::ProviderConfig>,
) {
    section(ui, tr.tr("admin-provider"));
    let text = match provider {
        None => tr.tr("admin-provider-none"),
        Some(provider) => {
            let source = provider
                .auth_token_file
                .clone()
                .unwrap_or_else(|| provider.auth_token_variable.clone());
            tr.tr_args(
                "admin-provider-account",
                &[
                    ("kind", provider.kind.as_str()),
                    ("account", provider.account_sid.as_str()),
                    ("url", provider.public_url.as_str()),
                    ("source", source.as_str()),
                ],
            )
        }
    };
    ui.label(RichText::new(text).small());
}
