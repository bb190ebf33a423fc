//! The shell window: wires the desk to the views and decides what is on screen.

use std::collections::{HashMap, HashSet};

use egui::{RichText, Ui};
use switchboard_core::{
    backend::BackendError,
    desk::{Desk, DeskError},
    i18n::{Language, Translator},
};

use switchboard_core::config::Permission;

use crate::{
    admin, attachments, communication, intents::Intent, interaction_bar, interaction_view,
    interaction_view::InteractionUiState, offers, screen::Screen, sign_in, spelling, team, theme,
    top_bar,
};

/// The shell application: the desk plus what only the window needs.
pub struct ShellApp {
    /// The agent's desk (all business state).
    pub desk: Desk,
    pub(crate) tr: Translator,
    pub(crate) agent_id_input: String,
    pub(crate) sign_in_error: Option<String>,
    /// What the agent typed in the password field (cleared at each attempt).
    password_input: String,
    pub(crate) collapsed: HashSet<String>,
    pub(crate) show_plugins: bool,
    pub(crate) admin: Option<admin::AdminState>,
    /// The Communication view, while open (it takes the main area).
    pub(crate) communication: Option<communication::CommunicationState>,
    pub(crate) team: team::TeamState,
    confirm_send: Option<String>,
    /// Signing out waits for the agent's answer about open interactions.
    confirm_sign_out: bool,
    /// The shortcuts sheet is open.
    show_shortcuts: bool,
    save_dialog: Option<attachments::SaveDialog>,
    link_opener: fn(&str) -> std::io::Result<()>,
    /// Links handed to the system (`tel:`), most recent last.
    pub opened_links: Vec<String>,
    config_path: std::path::PathBuf,
    interaction_ui: HashMap<String, InteractionUiState>,
    styled: bool,
    /// The attention already asked for: 0 none, 1 a waiting reply, 2 an overdue one.
    attention_requested: u8,
    keep_alive: Vec<Box<dyn std::any::Any>>,
    /// Run once after the first frame (start-up timing).
    first_frame: Option<Box<dyn FnOnce()>>,
    /// An interaction the agent accepted: typing goes to its reply box once it opens.
    focus_when_open: Option<String>,
    /// The interaction shown at the last frame.
    shown_before: Option<String>,
}

impl ShellApp {
    /// A shell over a desk, in a language.
    pub fn new(mut desk: Desk, language: Language) -> Self {
        desk.set_ui_language(language.tag());
        Self {
            desk,
            tr: Translator::new(language),
            agent_id_input: String::new(),
            sign_in_error: None,
            password_input: String::new(),
            collapsed: HashSet::new(),
            show_plugins: false,
            admin: None,
            communication: None,
            team: team::TeamState::default(),
            confirm_send: None,
            confirm_sign_out: false,
            show_shortcuts: false,
            save_dialog: None,
            link_opener: open_with_system,
            opened_links: Vec::new(),
            config_path: switchboard_core::config::default_config_path(),
            interaction_ui: HashMap::new(),
            styled: false,
            attention_requested: 0,
            keep_alive: Vec::new(),
            first_frame: None,
            focus_when_open: None,
            shown_before: None,
        }
    }

    /// Replaces how links (`tel:`) are handed to the system (tests record them instead).
    pub fn set_link_opener(&mut self, opener: fn(&str) -> std::io::Result<()>) {
        self.link_opener = opener;
    }

    /// Sets the file the administration view saves to.
    pub fn set_config_path(&mut self, path: std::path::PathBuf) {
        self.config_path = path;
    }

    /// Runs `report` once, after the first frame is drawn (start-up timing).
    pub fn on_first_frame(&mut self, report: Box<dyn FnOnce()>) {
        self.first_frame = Some(report);
    }

    /// Keeps a background service (webhook server, demo traffic) alive as long as the window.
    pub fn keep_alive(&mut self, service: Box<dyn std::any::Any>) {
        self.keep_alive.push(service);
    }

    /// Signs in directly (command line `--agent`), with a password when the platform asks for
    /// one.
    pub fn sign_in_as(&mut self, agent_id: &str, password: Option<&str>) {
        self.agent_id_input = agent_id.to_owned();
        self.password_input = password.unwrap_or_default().to_owned();
        self.apply(Intent::SignIn, None);
    }

    /// Switches the language of the whole workspace at once: the shell's words, the plugins'
    /// (told through the SDK) and the system lines of every transcript.
    pub fn set_language(&mut self, language: Language) {
        if self.tr.language() == language {
            return;
        }
        self.tr = Translator::new(language);
        self.desk.set_ui_language(language.tag());
        self.learn_plugin_translations();
    }

    /// The language the workspace speaks.
    pub fn language(&self) -> Language {
        self.tr.language()
    }

    /// Gives the translator the translations of plugins started since the last frame, so
    /// their stored system lines read in this language.
    fn learn_plugin_translations(&mut self) {
        if self.tr.plugin_count() == self.desk.plugin_translations().len() {
            return;
        }
        for (plugin, translations) in self.desk.plugin_translations() {
            self.tr.add_plugin(plugin, translations.clone());
        }
    }

    /// Draws one frame of the whole shell.
    pub fn show(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        if !self.styled {
            theme::apply(&ctx);
            let waker_ctx = ctx.clone();
            self.desk
                .set_waker(std::sync::Arc::new(move || waker_ctx.request_repaint()));
            self.styled = true;
        }
        self.desk.pump();
        if let Some(reason) = self.desk.take_signed_out_reason() {
            self.sign_in_error = Some(
                self.tr
                    .tr_args("signed-out-by-platform", &[("reason", &reason)]),
            );
        }
        self.focus_accepted(&ctx);
        self.focus_after_close(&ctx);
        self.learn_plugin_translations();
        let mut intents = Vec::new();
        let dialog_keys = if self.confirm_send.is_some() {
            spelling::dialog_keys(ui)
        } else {
            (false, false)
        };
        let stay_key = self.confirm_sign_out && crate::sign_out::stay_key(ui);
        if self.desk.agent().is_none() {
            sign_in::show(
                ui,
                &Screen {
                    desk: &self.desk,
                    tr: &self.tr,
                },
                &mut self.agent_id_input,
                &mut self.password_input,
                self.sign_in_error.as_deref(),
                &mut intents,
            );
        } else {
            if self.confirm_send.is_none() && !self.confirm_sign_out {
                crate::shortcuts::handle(ui, &self.desk, &mut intents);
            }
            let screen = Screen {
                desk: &self.desk,
                tr: &self.tr,
            };
            top_bar::show(
                ui,
                &screen,
                &mut self.team,
                self.communication.is_some(),
                &mut intents,
            );
            interaction_bar::show(ui, &screen, &mut intents);
            self.show_toasts(ui, &mut intents);
            self.show_main(ui, &mut intents);
            offers::show(
                ui,
                &Screen {
                    desk: &self.desk,
                    tr: &self.tr,
                },
                &mut intents,
            );
            team::results(ui, &mut self.team, &self.desk, &self.tr, &mut intents);
            if let Some(id) = &self.confirm_send {
                spelling::confirm_send(ui, &self.desk, &self.tr, id, dialog_keys, &mut intents);
            }
            if self.confirm_sign_out {
                crate::sign_out::show(ui, &self.desk, &self.tr, stay_key, &mut intents);
            }
            if self.show_shortcuts {
                crate::shortcuts::sheet(ui, &self.tr, &mut intents);
            }
            if self.show_plugins {
                top_bar::plugins_window(
                    ui,
                    &Screen {
                        desk: &self.desk,
                        tr: &self.tr,
                    },
                    &mut intents,
                );
            }
            self.show_save_dialog(ui);
            if self.admin.is_some() {
                admin::show(
                    ui,
                    &Screen {
                        desk: &self.desk,
                        tr: &self.tr,
                    },
                    &mut self.admin,
                    &mut intents,
                );
            }
            self.request_attention(&ctx);
        }
        if let Some(after) = crate::repaint::next_repaint(&self.desk, ctx.input(|i| i.time)) {
            ctx.request_repaint_after(after);
        }
        for intent in intents {
            self.apply(intent, Some(&ctx));
        }
    }

    fn show_main(&mut self, ui: &mut Ui, intents: &mut Vec<Intent>) {
        // The interaction view, when one is shown, records where offers may go.
        theme::clear_offer_area(ui.ctx());
        if let Some(state) = self.communication.as_mut() {
            egui::CentralPanel::default()
                .frame(egui::Frame::new())
                .show(ui, |ui| {
                    communication::show(ui, &self.desk, &self.tr, state, intents)
                });
            return;
        }
        let selected = self.desk.selected().map(str::to_owned);
        egui::CentralPanel::default().show(ui, |ui| match selected {
            Some(id) => {
                let state = self.interaction_ui.entry(id.clone()).or_default();
                interaction_view::show(
                    ui,
                    &mut self.desk,
                    &self.tr,
                    &id,
                    state,
                    &self.collapsed,
                    intents,
                );
            }
            None => {
                // "Select one in the bar" only when the bar has one to select.
                let key = if self.desk.interactions().is_empty() {
                    "desk-idle"
                } else {
                    "no-selection"
                };
                ui.centered_and_justified(|ui| {
                    ui.label(RichText::new(self.tr.tr(key)).color(theme::TEXT_WEAK));
                });
            }
        });
    }

    fn show_save_dialog(&mut self, ui: &mut Ui) {
        let Some(dialog) = self.save_dialog.as_mut() else {
            return;
        };
        match dialog.show(ui, &self.tr) {
            Some(true) => {
                let (interaction, id) = dialog.target.clone();
                let path = std::path::PathBuf::from(dialog.path.trim());
                match self.desk.save_attachment(&interaction, id, &path) {
                    Ok(()) => {
                        self.desk.inform(
                            self.tr.tr_args(
                                "attachment-saved",
                                &[("path", &path.display().to_string())],
                            ),
                        );
                        self.save_dialog = None;
                    }
                    Err(e) => dialog.error = Some(e.to_string()),
                }
            }
            Some(false) => self.save_dialog = None,
            None => {}
        }
    }

    fn show_toasts(&self, ui: &mut Ui, intents: &mut Vec<Intent>) {
        if self.desk.toasts().is_empty() {
            return;
        }
        egui::Panel::bottom("toasts").show(ui, |ui| {
            for (index, toast) in self.desk.toasts().iter().enumerate().rev().take(3) {
                ui.horizontal(|ui| {
                    let colour = if toast.is_error {
                        theme::DANGER
                    } else {
                        theme::TEXT
                    };
                    if ui.small_button(self.tr.tr("dismiss")).clicked() {
                        intents.push(Intent::DismissToast(index));
                    }
                    let text = match &toast.notice {
                        Some(notice) => {
                            let args: Vec<(&str, &str)> =
                                notice.args.iter().map(|(k, v)| (*k, v.as_str())).collect();
                            self.tr.tr_args(notice.id, &args)
                        }
                        None => toast.text.clone(),
                    };
                    ui.label(RichText::new(text).color(colour));
                });
            }
        });
    }

    /// Flashes the taskbar entry when a contact waits for a reply and the window is not focused.
    fn request_attention(&mut self, ctx: &egui::Context) {
        let focused = ctx.input(|i| i.viewport().focused).unwrap_or(true);
        let waiting = !focused
            && (self.desk.interactions().iter().any(|i| i.awaits_reply())
                || !self.desk.offers().is_empty());
        if waiting {
            let overdue = self.desk.interactions().iter().any(|i| {
                self.desk
                    .pending(&i.row.id)
                    .is_some_and(|p| p.level == switchboard_core::desk::PendingLevel::Red)
            });
            // Once when a reply starts waiting, and again, insistently, when it turns red.
            let wanted = if overdue { 2 } else { 1 };
            if self.attention_requested < wanted {
                ctx.send_viewport_cmd(egui::ViewportCommand::RequestUserAttention(if overdue {
                    egui::UserAttentionType::Critical
                } else {
                    egui::UserAttentionType::Informational
                }));
                self.attention_requested = wanted;
            }
        } else {
            self.attention_requested = 0;
        }
    }

    fn apply(&mut self, intent: Intent, ctx: Option<&egui::Context>) {
        let result = match intent {
            Intent::SignIn => {
                let id = self.agent_id_input.trim().to_owned();
                let password = (!self.password_input.is_empty()).then(|| {
                    switchboard_core::seam::secret::Secret::new(self.password_input.clone())
                });
                // The typed password is kept no longer than the attempt.
                self.password_input.clear();
                match self.desk.sign_in_with(&id, password) {
                    Ok(()) => {
                        self.sign_in_error = None;
                        Ok(())
                    }
                    Err(DeskError::Backend(
                        BackendError::SignInRefused(reason) | BackendError::Refused(reason),
                    )) => {
                        self.sign_in_error =
                            Some(self.tr.tr_args("sign-in-refused", &[("reason", &reason)]));
                        Ok(())
                    }
                    Err(_) => {
                        self.sign_in_error =
                            Some(self.tr.tr_args("sign-in-unknown", &[("id", &id)]));
                        Ok(())
                    }
                }
            }
            Intent::SignOut if !self.desk.interactions().is_empty() => {
                // Open work is never dropped in silence: ask first.
                self.confirm_sign_out = true;
                Ok(())
            }
            Intent::SignOut => {
                self.desk.sign_out();
                Ok(())
            }
            Intent::Focus(widget) => {
                if let Some(ctx) = ctx {
                    ctx.memory_mut(|m| m.request_focus(widget));
                }
                Ok(())
            }
            Intent::SpellLanguage(id, language) => {
                self.desk.set_spell_language(&id, language);
                Ok(())
            }
            Intent::ToggleShortcuts => {
                self.show_shortcuts = !self.show_shortcuts;
                Ok(())
            }
            Intent::UseGsm7(id) => {
                if let Some(open) = self.desk.interaction_mut(&id) {
                    open.draft = switchboard_sdk::sms::with_gsm7_stand_ins(&open.draft);
                    self.desk.composer_changed(&id);
                }
                Ok(())
            }
            Intent::StaySignedIn => {
                self.confirm_sign_out = false;
                Ok(())
            }
            Intent::SignOutHandingBack => {
                self.confirm_sign_out = false;
                let open: Vec<String> = self
                    .desk
                    .interactions()
                    .iter()
                    .map(|i| i.row.id.clone())
                    .collect();
                let refused: Vec<String> = open
                    .iter()
                    .filter_map(|id| self.desk.hand_back(id).err().map(|e| format!("{id}: {e}")))
                    .collect();
                if refused.is_empty() {
                    self.desk.sign_out();
                    Ok(())
                } else {
                    // What could not be handed back stays open with this agent, signed in.
                    Err(switchboard_core::desk::DeskError::Backend(
                        switchboard_core::backend::BackendError::Refused(refused.join("; ")),
                    ))
                }
            }
            Intent::SetReady(channel, ready) => self.desk.set_ready(&channel, ready),
            Intent::SetNotReady(channel, reason) => self.desk.set_not_ready(&channel, reason),
            Intent::SetLoggedOut(channel, out) => self.desk.set_logged_out(&channel, out),
            Intent::Accept(id) => {
                self.communication = None;
                let asked = self.desk.accept(&id);
                // Typing goes to the reply box as soon as it opens.
                if asked.is_ok() {
                    self.focus_when_open = Some(id);
                }
                asked
            }
            Intent::Reject(id) => self.desk.reject(&id),
            Intent::Select(id) => {
                self.desk.select(&id);
                self.communication = None;
                focus_composer(ctx, &id);
                Ok(())
            }
            Intent::Action(id, action) => self.desk.action(&id, &action),
            Intent::ComposerChanged(id) => {
                let chars =
                    |desk: &Desk| desk.interaction(&id).map_or(0, |o| o.draft.chars().count());
                let before = chars(&self.desk);
                self.desk.composer_changed(&id);
                let grown = chars(&self.desk).saturating_sub(before);
                if grown > 0
                    && let Some(ctx) = ctx
                {
                    // A #keyword expanded: keep typing after the expanded text.
                    let cursor = composer_cursor(ctx, &id).unwrap_or(before);
                    set_composer_cursor(ctx, &id, cursor + grown);
                }
                Ok(())
            }
            Intent::Send(id) => {
                if self.desk.send_needs_confirmation(&id) {
                    self.confirm_send = Some(id);
                    Ok(())
                } else {
                    self.desk.send(&id)
                }
            }
            Intent::SendConfirmed(id) => {
                self.confirm_send = None;
                self.desk.send(&id)
            }
            Intent::CancelSend => {
                // Back to the text, where the agent left it.
                if let (Some(id), Some(ctx)) = (self.confirm_send.take(), ctx) {
                    ctx.memory_mut(|m| m.request_focus(crate::widgets::composer_id(&id)));
                }
                Ok(())
            }
            Intent::ReplaceWord(id, range, word) => {
                if let Some(open) = self.desk.interaction_mut(&id)
                    && open.draft.get(range.clone()).is_some()
                {
                    open.draft.replace_range(range, &word);
                }
                self.desk.composer_changed(&id);
                Ok(())
            }
            Intent::AddToDictionary(interaction, word) => {
                self.desk.add_to_dictionary(&interaction, &word)
            }
            Intent::MarkDone(id) => self.desk.mark_done(&id),
            Intent::SetDisposition(id, code) => self.desk.set_disposition(&id, &code),
            Intent::SaveNote(id) => self.desk.save_note(&id),
            Intent::ScheduleCallback {
                interaction,
                number,
                due,
                note,
            } => self
                .desk
                .schedule_callback(&interaction, &number, due, &note)
                .map(|_| ()),
            Intent::InsertText(id, text) => {
                let cursor = ctx.and_then(|ctx| composer_cursor(ctx, &id));
                let at = cursor.unwrap_or_else(|| {
                    self.desk
                        .interaction(&id)
                        .map_or(0, |o| o.draft.chars().count())
                });
                self.desk.insert_in_draft(&id, at, &text);
                if let Some(ctx) = ctx {
                    set_composer_cursor(ctx, &id, at + text.chars().count());
                }
                Ok(())
            }
            Intent::SaveContact(id, contact) => self.desk.update_contact(&id, contact),
            Intent::DismissToast(index) => {
                self.desk.dismiss_toast(index);
                Ok(())
            }
            Intent::ToggleDetails(id) => {
                if !self.collapsed.remove(&id) {
                    self.collapsed.insert(id);
                }
                Ok(())
            }
            Intent::Zoom(step) => {
                if let Some(ctx) = ctx {
                    ctx.set_zoom_factor((ctx.zoom_factor() + step).clamp(0.6, 2.5));
                }
                Ok(())
            }
            Intent::ResetZoom => {
                if let Some(ctx) = ctx {
                    ctx.set_zoom_factor(1.0);
                }
                Ok(())
            }
            Intent::SetLanguage(language) => {
                self.set_language(language);
                Ok(())
            }
            Intent::OpenLink(link) => {
                if let Err(e) = (self.link_opener)(&link) {
                    self.desk.report_error(format!("cannot open {link}: {e}"));
                }
                self.opened_links.push(link);
                Ok(())
            }
            Intent::PushUrl(interaction, url) => self.desk.push_url(&interaction, &url),
            Intent::ToggleCommunication => {
                self.communication = match self.communication.take() {
                    None => Some(communication::CommunicationState::default()),
                    Some(_) => None,
                };
                Ok(())
            }
            Intent::ShowContact(contact_id) => {
                let mut state = self.communication.take().unwrap_or_default();
                state.select(contact_id);
                self.communication = Some(state);
                self.desk.mark_contact_read(contact_id)
            }
            Intent::SelectContact(contact_id) => {
                if let Some(state) = self.communication.as_mut() {
                    state.select(contact_id);
                }
                self.desk.mark_contact_read(contact_id)
            }
            Intent::StartOutbound(contact_id, outbound) => {
                let started = self.desk.start_outbound(contact_id, outbound);
                if started.is_ok() {
                    // The new conversation opens in the main area.
                    self.communication = None;
                }
                started.map(drop)
            }
            Intent::TeamAct(target, action) => {
                let result = self.desk.team_act(&target, action);
                self.team.invalidate();
                match result {
                    Ok(Some(link)) => {
                        if let Err(e) = (self.link_opener)(&link) {
                            self.desk.report_error(format!("cannot open {link}: {e}"));
                        }
                        self.opened_links.push(link);
                        self.team.close();
                        Ok(())
                    }
                    Ok(None) => {
                        if action == switchboard_core::desk::TeamAction::SendInstantMessage {
                            self.team.close();
                        }
                        Ok(())
                    }
                    Err(e) => Err(e),
                }
            }
            Intent::TogglePlugins => {
                self.show_plugins = !self.show_plugins;
                Ok(())
            }
            Intent::ToggleAdmin => {
                let is_admin = self
                    .desk
                    .agent()
                    .is_some_and(|a| a.role.grants(Permission::Admin));
                self.admin = match self.admin.take() {
                    None if is_admin => Some(admin::AdminState::new(self.desk.config())),
                    _ => None,
                };
                Ok(())
            }
            Intent::Administer(action) => {
                self.desk.administer(action);
                Ok(())
            }
            Intent::SaveConfig => {
                if let Some(admin) = self.admin.as_mut()
                    && let Some(saved) = admin.save(&self.config_path, &self.tr)
                {
                    self.desk.replace_config(saved);
                }
                Ok(())
            }
            Intent::RevertConfig => {
                self.admin = Some(admin::AdminState::new(self.desk.config()));
                Ok(())
            }
            Intent::ChooseTarget(id, target) => self.desk.choose_target(&id, &target),
            Intent::SetCaseValue(id, key, value) => self.desk.set_case_value(&id, &key, &value),
            Intent::AssignContact(id, contact) => self.desk.assign_contact(&id, contact),
            Intent::CancelChoosing(id) => {
                self.desk.cancel_choosing(&id);
                Ok(())
            }
            Intent::OpenAttachment(id, attachment) => {
                match self.desk.copy_for_viewer(&id, attachment) {
                    Ok(path) => {
                        let link = path.display().to_string();
                        if let Err(e) = (self.link_opener)(&link) {
                            self.desk.report_error(format!("cannot open {link}: {e}"));
                        }
                        self.opened_links.push(link);
                        Ok(())
                    }
                    Err(e) => Err(e),
                }
            }
            Intent::SaveAttachment(id, attachment) => {
                if let Some(name) = self.desk.attachment_name(&id, attachment) {
                    self.save_dialog = Some(attachments::SaveDialog::new(&id, attachment, &name));
                }
                Ok(())
            }
        };
        // Forget per-interaction UI state of interactions that closed.
        let open: HashSet<String> = self
            .desk
            .interactions()
            .iter()
            .map(|i| i.row.id.clone())
            .collect();
        self.interaction_ui.retain(|id, _| open.contains(id));
        if let Err(e) = result
            && !e.is_shown_on_the_interaction()
        {
            tracing::warn!("{e}");
            self.desk.report_error(e.to_string());
        }
    }
}

impl eframe::App for ShellApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
        if let Some(report) = self.first_frame.take() {
            report();
        }
    }
}

/// Puts the text cursor in an interaction's reply box.
impl ShellApp {
    /// Puts the focus in the reply box of the interaction the agent accepted, once the
    /// platform's reply opened it (or forgets it when the offer went).
    fn focus_accepted(&mut self, ctx: &egui::Context) {
        let Some(id) = self.focus_when_open.clone() else {
            return;
        };
        if self.desk.interaction(&id).is_some() {
            focus_composer(Some(ctx), &id);
            self.focus_when_open = None;
        } else if !self.desk.offers().iter().any(|o| o.row.id == id) {
            self.focus_when_open = None;
        }
    }
}

impl ShellApp {
    /// When the interaction shown left the desk (done, transferred), its neighbour is shown:
    /// typing goes on in the neighbour's reply box, so the keyboard never lands nowhere.
    fn focus_after_close(&mut self, ctx: &egui::Context) {
        let shown = self.desk.selected().map(str::to_owned);
        if shown != self.shown_before {
            let before_left = self
                .shown_before
                .as_deref()
                .is_some_and(|before| self.desk.interaction(before).is_none());
            if let Some(now) = shown.as_deref().filter(|_| before_left) {
                focus_composer(Some(ctx), now);
            }
            self.shown_before = shown;
        }
    }
}

fn focus_composer(ctx: Option<&egui::Context>, interaction: &str) {
    if let Some(ctx) = ctx {
        ctx.memory_mut(|m| m.request_focus(crate::widgets::composer_id(interaction)));
    }
}

/// Hands a link to the system's default handler.
fn open_with_system(link: &str) -> std::io::Result<()> {
    std::process::Command::new("xdg-open")
        .arg(link)
        .spawn()
        .map(|_| ())
}

/// The character position of the cursor in an interaction's composer.
fn composer_cursor(ctx: &egui::Context, interaction: &str) -> Option<usize> {
    egui::TextEdit::load_state(ctx, crate::widgets::composer_id(interaction))
        .and_then(|state| state.cursor.char_range())
        .map(|range| range.primary.index.0)
}

/// Puts the composer's cursor at a character position.
fn set_composer_cursor(ctx: &egui::Context, interaction: &str, at: usize) {
    let id = crate::widgets::composer_id(interaction);
    let mut state = egui::TextEdit::load_state(ctx, id).unwrap_or_default();
    let cursor = egui::text::CCursor::new(at);
    state
        .cursor
        .set_char_range(Some(egui::text::CCursorRange::one(cursor)));
    state.store(ctx, id);
}
