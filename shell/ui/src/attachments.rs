//! Attachments in the transcript: one thumbnail per image (decoded once from the small PNG the
//! platform made off the UI thread, then cached as a texture; the least recently drawn leave the
//! cache past [`THUMBNAILS_KEPT`], so a long shift does not keep every picture it ever showed),
//! a tile naming the problem for an
//! image that could not be shown, double-click or Open to view it in the system's viewer, and
//! Save (icon and context menu) only when the role allows it, through a save dialog.

use std::collections::HashMap;

use egui::{ColorImage, RichText, TextureHandle, TextureOptions, Ui, Vec2};
use switchboard_core::{
    desk::{Desk, Looked},
    i18n::Translator,
    store::StoredAttachment,
};
use switchboard_sdk::Attachment;

use crate::{intents::Intent, theme};

/// Side of the square a thumbnail fits in, in points.
const TILE: f32 = 120.0;

enum Thumb {
    Image(TextureHandle),
    Problem(String),
}

/// How many decoded thumbnails stay cached (a screenful of transcripts many times over).
pub(crate) const THUMBNAILS_KEPT: usize = 64;

/// Textures of thumbnails already decoded, by attachment id, with when each was last drawn.
#[derive(Default)]
pub(crate) struct Thumbnails {
    cache: HashMap<i64, (Thumb, u64)>,
    /// Counts draws, to tell the least recently drawn.
    draws: u64,
}

impl Thumbnails {
    /// The thumbnail of an attachment, decoded once the records answered (`None` meanwhile).
    fn get(
        &mut self,
        ui: &Ui,
        desk: &Desk,
        interaction: &str,
        attachment: &Attachment,
    ) -> Option<&Thumb> {
        self.draws += 1;
        let now = self.draws;
        if !self.cache.contains_key(&attachment.id) {
            let thumb = match desk.attachment(interaction, attachment.id) {
                Looked::Pending => return None,
                Looked::Ready(stored) => decode(ui, &stored, attachment),
                Looked::Failed(reason) => Thumb::Problem(reason),
            };
            self.make_room_for(attachment.id);
            self.cache.insert(attachment.id, (thumb, now));
        }
        let (thumb, drawn) = self.cache.get_mut(&attachment.id)?;
        *drawn = now;
        Some(thumb)
    }

    /// Before caching `id`: the least recently drawn thumbnail leaves when the cache is full.
    fn make_room_for(&mut self, id: i64) {
        if self.cache.contains_key(&id) || self.cache.len() < THUMBNAILS_KEPT {
            return;
        }
        if let Some(oldest) = self
            .cache
            .iter()
            .min_by_key(|(_, (_, drawn))| *drawn)
            .map(|(id, _)| *id)
        {
            self.cache.remove(&oldest);
        }
    }

    /// Draws the attachments of one message in a row.
    pub(crate) fn strip(
        &mut self,
        ui: &mut Ui,
        desk: &Desk,
        tr: &Translator,
        interaction: &str,
        attachments: &[Attachment],
        intents: &mut Vec<Intent>,
    ) {
        let may_save = desk.may_save_images(interaction);
        ui.horizontal_wrapped(|ui| {
            for attachment in attachments {
                match self.get(ui, desk, interaction, attachment) {
                    None => reading_tile(ui, attachment),
                    Some(Thumb::Image(texture)) => {
                        let size = fit(texture.size_vec2());
                        ui.vertical(|ui| {
                            let image = egui::Image::new((texture.id(), size))
                                .corner_radius(theme::RADIUS)
                                .sense(egui::Sense::click());
                            let response = ui.add(image).on_hover_text(tr.tr_args(
                                "attachment-hover",
                                &[("name", attachment.name.as_str())],
                            ));
                            if response.double_clicked() {
                                intents.push(open(interaction, attachment));
                            }
                            response.context_menu(|ui| {
                                if ui.button(tr.tr("attachment-open")).clicked() {
                                    intents.push(open(interaction, attachment));
                                    ui.close();
                                }
                                if may_save && ui.button(tr.tr("attachment-save")).clicked() {
                                    intents.push(save(interaction, attachment));
                                    ui.close();
                                }
                            });
                            ui.horizontal(|ui| {
                                ui.label(
                                    RichText::new(attachment.name.as_str())
                                        .font(theme::small_font())
                                        .color(theme::TEXT_WEAK),
                                );
                                if may_save
                                    && ui
                                        .small_button(tr.tr("attachment-save"))
                                        .on_hover_text(tr.tr("attachment-save-hint"))
                                        .clicked()
                                {
                                    intents.push(save(interaction, attachment));
                                }
                            });
                        });
                    }
                    Some(Thumb::Problem(problem)) => {
                        problem_tile(ui, tr, attachment, problem);
                    }
                }
            }
        });
    }
}

/// Decodes the stored thumbnail of an attachment into a texture, or names why it cannot be.
fn decode(ui: &Ui, stored: &StoredAttachment, attachment: &Attachment) -> Thumb {
    if let Some(problem) = &stored.problem {
        return Thumb::Problem(problem.clone());
    }
    match stored.thumbnail.as_deref().map(decode_png) {
        Some(Ok(image)) => Thumb::Image(ui.ctx().load_texture(
            format!("attachment-{}", attachment.id),
            image,
            TextureOptions::LINEAR,
        )),
        Some(Err(reason)) => Thumb::Problem(reason),
        None => Thumb::Problem("no thumbnail".into()),
    }
}

/// The tile's place, with the file's name, while the records are read (a moment).
fn reading_tile(ui: &mut Ui, attachment: &Attachment) {
    egui::Frame::new()
        .fill(theme::SURFACE_ALT)
        .corner_radius(theme::RADIUS)
        .inner_margin(egui::Margin::same(6))
        .show(ui, |ui| {
            ui.set_width(TILE);
            ui.set_height(TILE / 2.0);
            ui.label(
                RichText::new(attachment.name.as_str())
                    .font(theme::small_font())
                    .color(theme::TEXT_WEAK),
            );
        });
}

fn open(interaction: &str, attachment: &Attachment) -> Intent {
    Intent::OpenAttachment(interaction.to_owned(), attachment.id)
}

fn save(interaction: &str, attachment: &Attachment) -> Intent {
    Intent::SaveAttachment(interaction.to_owned(), attachment.id)
}

fn problem_tile(ui: &mut Ui, tr: &Translator, attachment: &Attachment, problem: &str) {
    egui::Frame::new()
        .stroke(egui::Stroke::new(1.0, theme::DANGER))
        .corner_radius(theme::RADIUS)
        .inner_margin(egui::Margin::same(6))
        .show(ui, |ui| {
            ui.vertical(|ui| {
                ui.set_width(TILE);
                ui.label(
                    RichText::new(attachment.name.as_str())
                        .font(theme::small_font())
                        .strong(),
                );
                ui.add(
                    egui::Label::new(
                        RichText::new(tr.tr_args("attachment-problem", &[("problem", problem)]))
                            .font(theme::small_font())
                            .color(theme::DANGER),
                    )
                    .wrap(),
                );
            });
        });
}

/// Scales a size to fit the tile, keeping its proportions.
fn fit(size: Vec2) -> Vec2 {
    let scale = (TILE / size.x.max(1.0))
        .min(TILE / size.y.max(1.0))
        .min(1.0);
    size * scale
}

fn decode_png(bytes: &[u8]) -> Result<ColorImage, String> {
    let (width, height, rgba) =
        switchboard_core::media::decode_thumbnail(bytes).map_err(|e| e.to_string())?;
    Ok(ColorImage::from_rgba_unmultiplied(
        [width as usize, height as usize],
        &rgba,
    ))
}

/// What the save dialog keeps while it is open.
pub(crate) struct SaveDialog {
    /// Interaction and attachment being saved.
    pub(crate) target: (String, i64),
    /// The path typed or proposed.
    pub(crate) path: String,
    /// The last failure, shown in the dialog.
    pub(crate) error: Option<String>,
}

impl SaveDialog {
    /// A dialog proposing the user's Downloads (or home) folder with the file's name.
    pub(crate) fn new(interaction: &str, id: i64, name: &str) -> Self {
        let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
        let folder = home
            .as_ref()
            .map(|h| h.join("Downloads"))
            .filter(|d| d.is_dir())
            .or(home)
            .unwrap_or_else(std::env::temp_dir);
        Self {
            target: (interaction.to_owned(), id),
            path: folder.join(name).display().to_string(),
            error: None,
        }
    }

    /// Draws the dialog; returns `Some(true)` to save, `Some(false)` to cancel.
    pub(crate) fn show(&mut self, ui: &mut Ui, tr: &Translator) -> Option<bool> {
        let mut answer = None;
        egui::Modal::new(egui::Id::unique("save_attachment")).show(ui.ctx(), |ui| {
            ui.set_width(460.0);
            ui.label(RichText::new(tr.tr("attachment-save-title")).strong());
            let field =
                ui.add(egui::TextEdit::singleline(&mut self.path).desired_width(f32::INFINITY));
            if std::path::Path::new(&self.path).exists() {
                ui.label(RichText::new(tr.tr("attachment-save-exists")).color(theme::WARNING));
            }
            if let Some(error) = &self.error {
                ui.label(RichText::new(error).color(theme::DANGER));
            }
            ui.horizontal(|ui| {
                let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                if ui.button(tr.tr("attachment-save")).clicked() || enter {
                    answer = Some(true);
                }
                if ui.button(tr.tr("cancel")).clicked()
                    || ui.input(|i| i.key_pressed(egui::Key::Escape))
                {
                    answer = Some(false);
                }
            });
        });
        answer
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thumbnails_fit_the_tile_without_growing() {
        assert_eq!(fit(Vec2::new(160.0, 120.0)), Vec2::new(120.0, 90.0));
        assert_eq!(fit(Vec2::new(40.0, 30.0)), Vec2::new(40.0, 30.0));
    }

    fn drawn(thumbnails: &mut Thumbnails, id: i64) {
        thumbnails.make_room_for(id);
        thumbnails.draws += 1;
        thumbnails
            .cache
            .insert(id, (Thumb::Problem(String::new()), thumbnails.draws));
    }

    #[test]
    fn a_long_shift_keeps_only_the_recently_drawn_thumbnails() {
        let mut thumbnails = Thumbnails::default();
        for id in 0..THUMBNAILS_KEPT as i64 {
            drawn(&mut thumbnails, id);
        }
        // The first picture is drawn again: it is recent now.
        drawn(&mut thumbnails, 0);
        assert_eq!(thumbnails.cache.len(), THUMBNAILS_KEPT);
        for id in 1000..1010 {
            drawn(&mut thumbnails, id);
        }
        assert_eq!(thumbnails.cache.len(), THUMBNAILS_KEPT, "bounded");
        assert!(thumbnails.cache.contains_key(&0), "drawn again, kept");
        assert!(
            (1..=10).all(|id| !thumbnails.cache.contains_key(&id)),
            "the oldest left first"
        );
        assert!(thumbnails.cache.contains_key(&11));
    }
}
