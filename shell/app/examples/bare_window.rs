//! A bare eframe window of the shell's size with one label: the floor the shell's start-up
//! time and memory are measured against (`--release`, same toolkit features as the shell).

fn main() -> eframe::Result {
    let options = eframe::NativeOptions {
        viewport: eframe::egui::ViewportBuilder::default()
            .with_title("Bare window")
            .with_inner_size([1280.0, 800.0]),
        ..Default::default()
    };
    eframe::run_ui_native("Bare window", options, |ui, _frame| {
        eframe::egui::CentralPanel::default().show(ui, |ui| {
            ui.label("A bare eframe window");
        });
    })
}
