//! Making message text safe to draw (`links::segments`), which the transcript does for every
//! visible message each frame: a plain message, and a chat message with two links (one a
//! look-alike host), a phone number and a hidden character. Target: well under 50 µs a
//! message, so twenty visible messages cost under a millisecond a frame.

use switchboard_core::links::segments;

fn main() {
    divan::main();
}

const PLAIN: &str = "Bonjour, ma commande 48213 n'est toujours pas arrivée. Pouvez-vous vérifier \
                     s'il vous plaît ? Merci d'avance pour votre aide.";

const TRICKY: &str = "Hi! The tracking page https://shop.example/track/48213 says delivered, and \
                      someone sent me https://www.shop.example@evil.example/refund and \
                      https://\u{0430}pple.example/id\u{202E}fdp.exe. Call me on +44 7700 900123.";

#[divan::bench]
fn plain_message() -> usize {
    segments(divan::black_box(PLAIN)).len()
}

#[divan::bench]
fn message_with_links_phone_and_hidden_character() -> usize {
    segments(divan::black_box(TRICKY)).len()
}
