//! Design tokens: every colour, size and spacing of the shell comes from here.
// The one module allowed to define colours (see clippy.toml).
#![allow(clippy::disallowed_methods)]

use egui::{Color32, CornerRadius, FontId, Margin, Stroke, Visuals};

/// Window background.
pub const BACKGROUND: Color32 = Color32::from_rgb(0xF4, 0xF5, 0xF7);
/// Panels and cards.
pub const SURFACE: Color32 = Color32::from_rgb(0xFF, 0xFF, 0xFF);
/// Slightly darker surface (bars, headers).
pub const SURFACE_ALT: Color32 = Color32::from_rgb(0xEA, 0xEC, 0xF0);
/// Text fields.
pub const INPUT: Color32 = Color32::from_rgb(0xF8, 0xF9, 0xFB);
/// Hairlines.
pub const BORDER: Color32 = Color32::from_rgb(0xD5, 0xD9, 0xE0);
/// Main text.
pub const TEXT: Color32 = Color32::from_rgb(0x1F, 0x24, 0x2B);
/// Secondary text (times, hints).
pub const TEXT_WEAK: Color32 = Color32::from_rgb(0x5F, 0x67, 0x73);
/// Accent (selection, primary actions).
pub const ACCENT: Color32 = Color32::from_rgb(0x1F, 0x6F, 0xD1);
/// Ready, delivered.
pub const SUCCESS: Color32 = Color32::from_rgb(0x1E, 0x8E, 0x3E);
/// Not ready, attention soon.
pub const WARNING: Color32 = Color32::from_rgb(0xC7, 0x7C, 0x02);
/// Errors, failures, link down.
pub const DANGER: Color32 = Color32::from_rgb(0xC6, 0x28, 0x28);
/// Background of an agent's own message.
pub const BUBBLE_AGENT: Color32 = Color32::from_rgb(0xE3, 0xEE, 0xFB);
/// Background of a contact's message.
pub const BUBBLE_CONTACT: Color32 = Color32::from_rgb(0xFF, 0xFF, 0xFF);
/// System lines.
pub const SYSTEM_TEXT: Color32 = Color32::from_rgb(0x7A, 0x5C, 0x99);
/// A flashing entry's highlight.
pub const FLASH: Color32 = Color32::from_rgb(0xFF, 0xE3, 0xB3);

/// Colours given to the other participants, in order of appearance; none is the agent's own
/// [`ACCENT`].
pub const PARTICIPANTS: [Color32; 6] = [
    Color32::from_rgb(0x6D, 0x4C, 0x41),
    Color32::from_rgb(0xB2, 0x3A, 0x48),
    Color32::from_rgb(0x2E, 0x7D, 0x32),
    Color32::from_rgb(0x8E, 0x44, 0xAD),
    Color32::from_rgb(0xD3, 0x54, 0x00),
    Color32::from_rgb(0x00, 0x79, 0x6B),
];

/// Height of the top bar and the interaction bar together: windows and overlays stay below
/// it, so the bars' buttons are never covered.
pub const BARS_HEIGHT: f32 = 90.0;

/// The area a window may take: the window's content below the bars.
pub fn below_bars(ctx: &egui::Context) -> egui::Rect {
    let mut area = ctx.content_rect();
    area.min.y = (area.min.y + BARS_HEIGHT).min(area.max.y);
    area
}

/// Where offers may be drawn this frame: the conversation's own area (left of the side
/// panel, above the reply box) when an interaction is shown, else everything below the bars.
/// The interaction view records it as it lays out; offers read it.
pub fn offer_area(ctx: &egui::Context) -> egui::Rect {
    ctx.data(|d| d.get_temp::<egui::Rect>(offer_area_id()))
        .unwrap_or_else(|| below_bars(ctx))
}

/// Records the area offers may cover this frame.
pub fn set_offer_area(ctx: &egui::Context, area: egui::Rect) {
    ctx.data_mut(|d| d.insert_temp(offer_area_id(), area));
}

/// Forgets it (no interaction shown).
pub fn clear_offer_area(ctx: &egui::Context) {
    ctx.data_mut(|d| d.remove::<egui::Rect>(offer_area_id()));
}

fn offer_area_id() -> egui::Id {
    egui::Id::unique("switchboard_offer_area")
}

/// Space between blocks.
pub const GAP: f32 = 8.0;
/// Inner margin of cards.
pub const CARD_MARGIN: Margin = Margin::same(10);
/// Corner radius of cards and bubbles.
pub const RADIUS: CornerRadius = CornerRadius::same(6);

/// Font of the contact's name in headers.
pub fn title_font() -> FontId {
    FontId::proportional(18.0)
}

/// Font of times and small print.
pub fn small_font() -> FontId {
    FontId::proportional(11.5)
}

/// Text drawn on a filled colour (a primary button, a status pill, a channel tag).
pub const ON_FILL: Color32 = Color32::WHITE;

/// A button filled with `fill`, its text in [`ON_FILL`]: Ready, Not Ready, Accept, Save.
pub fn filled_button(text: impl Into<String>, fill: Color32) -> egui::Button<'static> {
    egui::Button::new(egui::RichText::new(text.into()).color(ON_FILL).strong()).fill(fill)
}

/// The one primary action of a place (Sign in, Accept, Send, Save), in the accent colour.
pub fn primary_button(text: impl Into<String>) -> egui::Button<'static> {
    filled_button(text, ACCENT)
}

/// A small filled tag ("SMS", "Waiting 0:42", the link-down banner): the one pill shape.
pub fn pill(fill: Color32) -> egui::Frame {
    egui::Frame::new()
        .fill(fill)
        .corner_radius(CornerRadius::same(3))
        .inner_margin(Margin::symmetric(5, 1))
}

/// A card frame.
pub fn card() -> egui::Frame {
    egui::Frame::new()
        .fill(SURFACE)
        .stroke(Stroke::new(1.0, BORDER))
        .corner_radius(RADIUS)
        .inner_margin(CARD_MARGIN)
}

/// Applies the shell's look to a context.
pub fn apply(ctx: &egui::Context) {
    let mut visuals = Visuals::light();
    visuals.panel_fill = BACKGROUND;
    visuals.window_fill = SURFACE;
    visuals.extreme_bg_color = INPUT;
    visuals.widgets.inactive.bg_stroke = Stroke::new(1.0, BORDER);
    visuals.selection.bg_fill = ACCENT;
    visuals.selection.stroke = Stroke::new(1.0, SURFACE);
    visuals.hyperlink_color = ACCENT;
    visuals.window_corner_radius = RADIUS;
    ctx.set_visuals(visuals);
}

#[cfg(test)]
mod tests {
    /// The rule clippy cannot say (it refuses `Color32::from_rgb` but not the named colours):
    /// no file of the UI crate but this one writes a colour.
    #[test]
    fn no_colour_is_written_outside_the_theme() {
        let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut found = Vec::new();
        for entry in std::fs::read_dir(&source).expect("src folder") {
            let path = entry.expect("entry").path();
            if path.file_name().is_some_and(|name| name == "theme.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("source file");
            for (number, line) in text.lines().enumerate() {
                let mut rest = line;
                while let Some(at) = rest.find("Color32::") {
                    rest = &rest[at + "Color32::".len()..];
                    if rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
                        found.push(format!(
                            "{}:{}: {}",
                            path.display(),
                            number + 1,
                            line.trim()
                        ));
                    }
                }
            }
        }
        assert!(
            found.is_empty(),
            "colours outside theme.rs:\n{}",
            found.join("\n")
        );
    }
}
