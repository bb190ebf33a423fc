//! One frame of the transcript with 10,000 messages of varying height, against one with 100:
//! only visible rows are laid out, so the two should cost about the same.

use divan::Bencher;
use egui::{Pos2, RawInput, Rect, vec2};
use switchboard_core::i18n::{Language, Translator};
use switchboard_sdk::{
    DeliveryStatus, Role, Timestamp, TranscriptEntry,
    abi_stable::std_types::{RNone, RVec},
};
use switchboard_ui::transcript::TranscriptView;

fn main() {
    divan::main();
}

fn transcript(count: usize) -> Vec<TranscriptEntry> {
    let words = "order parcel delivery refund tomorrow morning address courier tracking thanks";
    (0..count)
        .map(|i| {
            let role = match i % 7 {
                0 => Role::System,
                n if n % 2 == 0 => Role::Agent,
                _ => Role::Contact,
            };
            let repeat = 1 + (i * 7919) % 12; // 1 to 12 lines' worth of text
            TranscriptEntry {
                id: i as i64,
                interaction: "bench".into(),
                role: role.into(),
                author: if role == Role::Agent {
                    "Ada"
                } else {
                    "Camille Martin"
                }
                .into(),
                author_key: "contact".into(),
                time: Timestamp(1_767_603_600_000 + i as i64 * 60_000),
                text: words.repeat(repeat).as_str().into(),
                attachments: RVec::new(),
                status: DeliveryStatus::Delivered.into(),
                provider_id: RNone,
            }
        })
        .collect()
}

fn input() -> RawInput {
    RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(1000.0, 800.0))),
        ..Default::default()
    }
}

#[divan::bench(args = [100, 10_000])]
fn one_frame(bencher: Bencher, messages: usize) {
    let ctx = egui::Context::default();
    let entries = transcript(messages);
    let tr = Translator::new(Language::English);
    let mut view = TranscriptView::default();
    for _ in 0..3 {
        let _ = ctx.run_ui(input(), |ui| {
            view.show(ui, &entries, "Camille Martin", &tr, &mut |_, _| {})
        });
    }
    assert!(view.measured_rows() < 100, "only visible rows are laid out");
    bencher.bench_local(|| {
        ctx.run_ui(input(), |ui| {
            view.show(ui, &entries, "Camille Martin", &tr, &mut |_, _| {})
        })
    });
}
