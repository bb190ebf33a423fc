//! # switchboard-ui
//!
//! The egui side of the shell: theme tokens, the renderer of plugin view models, the
//! virtualized transcript, and the windows (sign-in, status bar, interaction bar, incoming
//! notifications, interaction view). It holds no business state: everything lives in the
//! core's [`switchboard_core::desk::Desk`].

mod admin;
mod admin_labels;
mod app;
mod attachments;
mod communication;
mod contact_card;
mod conversation_list;
mod dates;
mod emoji_picker;
mod icons;
mod intents;
mod interaction_bar;
mod interaction_view;
mod latest;
mod offers;
mod pending;
mod push_url;
mod repaint;
mod screen;
mod shortcuts;
mod side_panels;
mod sign_in;
mod sign_out;
mod spelling;
mod team;
pub mod theme;
mod top_bar;
pub mod transcript;
mod widgets;

pub use app::ShellApp;
