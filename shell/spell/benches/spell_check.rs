//! Checking a 160-character message, in English and in French.

use switchboard_spell::{Language, SpellChecker};

fn main() {
    divan::main();
}

const ENGLISH: &str = "Hello Camille, your order has left our warehouse this morning and the courier expects to deliver it tomorrow before noon. Thanks for waiting!";
const FRENCH: &str = "Bonjour Camille, votre commande a quitté notre entrepôt ce matin et le transporteur prévoit de la livrer demain avant midi. Merci de votre patience !";

#[divan::bench(args = [Language::English, Language::French])]
fn check_160_characters(bencher: divan::Bencher, language: Language) {
    let spell = SpellChecker::load_now();
    let text = if language == Language::English {
        ENGLISH
    } else {
        FRENCH
    };
    assert!(text.chars().count() >= 140);
    bencher.bench(|| spell.misspelled(language, divan::black_box(text)));
}
