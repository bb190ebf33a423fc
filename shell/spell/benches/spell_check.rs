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

/// One word's suggestions, computed directly (the worker does this off the UI thread; the UI
/// shows them as soon as they are ready, then from the cache).
#[divan::bench(args = [Language::English, Language::French])]
fn suggest_one_word(bencher: divan::Bencher, language: Language) {
    let spell = SpellChecker::load_now();
    let word = if language == Language::English {
        "arive"
    } else {
        "comande"
    };
    let dictionary_check = spell.check_word(language, word);
    assert!(!dictionary_check);
    bencher.bench(|| spell.suggest_now(language, divan::black_box(word)));
}
