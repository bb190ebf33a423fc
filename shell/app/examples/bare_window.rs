//! A bare eframe window of the shell's size with one label: the floor the shell's start-up
//! time and memory are measured against (`--release`, same toolkit features as the shell).
//! With `--quit-after-first-frame` it exits once its first frame is drawn, as the shell does
//! with the same flag, so the two start-ups can be timed as whole processes side by side.

fn main() -> eframe::Result {
    let options = eframe::NativeOptions {
        viewport: eframe::egui::ViewportBuilder::default()
            .with_title("Bare window")
            .with_inner_size([1280.0, 800.0]),
        ..Default::default()
    };
    let quit_after_first_frame = std::env::args().any(|a| a == "--quit-after-first-frame");
    eframe::run_ui_native("Bare window", options, move |ui, _frame| {
        eframe::egui::CentralPanel::default().show(ui, |ui| {
            ui.label("A bare eframe window");
        });
        if quit_after_first_frame {
            std::process::exit(0);
        }
    })
}
