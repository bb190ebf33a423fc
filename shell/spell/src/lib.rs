//! # switchboard-spell
//!
//! Spell checking for the composer, with Hunspell dictionaries (English, French) read by
//! `spellbook`. A language's dictionary loads on a background thread the first time text in
//! that language is checked (a desk that works in one language never holds the other's
//! several megabytes); checking is fast enough to run as the agent types; suggestions take tens of milliseconds per word, so they are
//! computed on a worker thread and cached, and the UI is woken when they are ready.

mod words;

use std::{
    collections::{HashMap, HashSet},
    ops::Range,
    sync::{
        Arc, Mutex, MutexGuard, OnceLock, RwLock,
        atomic::{AtomicBool, Ordering},
        mpsc,
    },
};

use spellbook::Dictionary;

pub use words::{checkable_words, word_at};

// The dictionaries of `assets/dictionaries`, deflated by `build.rs`.
const EN_AFF: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/en_US.aff.deflate"));
const EN_DIC: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/en_US.dic.deflate"));
const FR_AFF: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/fr_FR.aff.deflate"));
const FR_DIC: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/fr_FR.dic.deflate"));

/// A language Switchboard speaks: its dictionaries here, and the UI's translations in the
/// core (`switchboard_core::i18n`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    /// English (en_US).
    English,
    /// French (fr_FR).
    French,
}

impl Language {
    /// The language of a tag (`fr`, `fr-FR`, `en_US`); English otherwise.
    pub fn from_tag(tag: &str) -> Self {
        if tag.to_ascii_lowercase().starts_with("fr") {
            Language::French
        } else {
            Language::English
        }
    }

    /// The short tag (`en`, `fr`) used in case data, responses and configuration.
    pub fn tag(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::French => "fr",
        }
    }

    fn index(self) -> usize {
        match self {
            Language::English => 0,
            Language::French => 1,
        }
    }

    /// The affix and word files, unpacked (freed once the dictionary is made from them).
    fn sources(self) -> Result<(String, String), String> {
        let (aff, dic) = match self {
            Language::English => (EN_AFF, EN_DIC),
            Language::French => (FR_AFF, FR_DIC),
        };
        Ok((unpack(aff)?, unpack(dic)?))
    }
}

/// Called when background work finishes (a dictionary loaded, suggestions ready).
pub type Waker = Arc<dyn Fn() + Send + Sync>;

struct Inner {
    dictionaries: [OnceLock<Dictionary>; 2],
    /// Whether each language's dictionary was asked for (loaded once, on first need).
    asked: [AtomicBool; 2],
    loads: Mutex<Option<mpsc::Sender<Language>>>,
    /// Personal words, lower-cased, with the language they were added for (`None`: every
    /// language).
    personal: RwLock<HashSet<(Option<Language>, String)>>,
    suggestions: Mutex<HashMap<(Language, String), Vec<String>>>,
    pending: Mutex<HashSet<(Language, String)>>,
    requests: Mutex<Option<mpsc::SyncSender<(Language, String)>>>,
    waker: Mutex<Option<Waker>>,
}

fn unpack(packed: &[u8]) -> Result<String, String> {
    let bytes = miniz_oxide::inflate::decompress_to_vec(packed).map_err(|e| format!("{e:?}"))?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

impl Inner {
    fn wake(&self) {
        let waker = lock(&self.waker).clone();
        if let Some(wake) = waker {
            wake();
        }
    }

    /// Asks for a language's dictionary unless it is loaded or on its way.
    fn want(&self, language: Language) {
        if self.dictionaries[language.index()].get().is_some()
            || self.asked[language.index()].swap(true, Ordering::SeqCst)
        {
            return;
        }
        if let Some(loads) = lock(&self.loads).as_ref()
            && loads.send(language).is_err()
        {
            tracing::error!("dictionary {language:?}: its loading thread is gone");
        }
    }

    fn load(&self, language: Language) {
        let (aff, dic) = match language.sources() {
            Ok(sources) => sources,
            Err(e) => {
                tracing::error!("dictionary {language:?} cannot be unpacked: {e}");
                return;
            }
        };
        match Dictionary::new(&aff, &dic) {
            Ok(dictionary) => {
                let _ = self.dictionaries[language.index()].set(dictionary);
            }
            Err(e) => tracing::error!("dictionary {language:?} did not load: {e}"),
        }
    }
}

/// The spell checker. Cheap to clone; clones share dictionaries and caches.
#[derive(Clone)]
pub struct SpellChecker {
    inner: Arc<Inner>,
}

impl SpellChecker {
    fn empty() -> Self {
        Self {
            inner: Arc::new(Inner {
                dictionaries: [OnceLock::new(), OnceLock::new()],
                asked: [AtomicBool::new(false), AtomicBool::new(false)],
                loads: Mutex::new(None),
                personal: RwLock::new(HashSet::new()),
                suggestions: Mutex::new(HashMap::new()),
                pending: Mutex::new(HashSet::new()),
                requests: Mutex::new(None),
                waker: Mutex::new(None),
            }),
        }
    }

    /// Starts the thread that loads a language's dictionary when text in it is first checked,
    /// and the suggestion worker. Checking reports nothing for a language until its dictionary
    /// is loaded; the waker is called when it is.
    pub fn start() -> Self {
        let checker = Self::empty();
        let (loads, wanted) = mpsc::channel::<Language>();
        let loading = checker.inner.clone();
        let spawned = std::thread::Builder::new()
            .name("spell-load".into())
            .spawn(move || {
                for language in wanted {
                    loading.load(language);
                    loading.wake();
                }
            });
        match spawned {
            Ok(_) => *lock(&checker.inner.loads) = Some(loads),
            Err(e) => tracing::error!("spell check disabled: cannot start its loading thread: {e}"),
        }
        checker.start_suggestion_worker();
        checker
    }

    /// Loads both dictionaries before returning (tests, benchmarks).
    pub fn load_now() -> Self {
        let checker = Self::empty();
        checker.inner.load(Language::English);
        checker.inner.load(Language::French);
        checker.start_suggestion_worker();
        checker
    }

    fn start_suggestion_worker(&self) {
        // A bounded queue: a burst of right-clicks waits rather than piling up.
        let (sender, receiver) = mpsc::sync_channel::<(Language, String)>(64);
        let inner = self.inner.clone();
        let spawned = std::thread::Builder::new()
            .name("spell-suggest".into())
            .spawn(move || {
                while let Ok((language, word)) = receiver.recv() {
                    let mut out = Vec::new();
                    if let Some(dictionary) = inner.dictionaries[language.index()].get() {
                        dictionary.suggest(&word, &mut out);
                    }
                    out.truncate(8);
                    lock(&inner.suggestions).insert((language, word.clone()), out);
                    lock(&inner.pending).remove(&(language, word));
                    inner.wake();
                }
            });
        match spawned {
            Ok(_) => *lock(&self.inner.requests) = Some(sender),
            Err(e) => tracing::error!("spell suggestions disabled: {e}"),
        }
    }

    /// Sets the function called when background work finishes.
    pub fn set_waker(&self, waker: Waker) {
        *lock(&self.inner.waker) = Some(waker);
    }

    /// Starts loading a language's dictionary now, ahead of its first check.
    pub fn prepare(&self, language: Language) {
        self.inner.want(language);
    }

    /// Whether a language's dictionary is loaded.
    pub fn is_ready(&self, language: Language) -> bool {
        self.inner.dictionaries[language.index()].get().is_some()
    }

    /// Replaces the personal word list (the signed-in agent's): each word with the language
    /// it counts in (`None`: every language).
    pub fn set_personal_words(&self, words: impl IntoIterator<Item = (Option<Language>, String)>) {
        let mut personal = self
            .inner
            .personal
            .write()
            .unwrap_or_else(|p| p.into_inner());
        personal.clear();
        personal.extend(
            words
                .into_iter()
                .map(|(language, word)| (language, word.to_lowercase())),
        );
    }

    /// Adds a word to the personal word list of one language (`None`: every language).
    pub fn add_personal_word(&self, language: Option<Language>, word: &str) {
        self.inner
            .personal
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert((language, word.to_lowercase()));
    }

    /// Whether one word is spelled correctly (unknown while the dictionary loads: true).
    pub fn check_word(&self, language: Language, word: &str) -> bool {
        let Some(dictionary) = self.inner.dictionaries[language.index()].get() else {
            self.inner.want(language);
            return true;
        };
        {
            let personal = self
                .inner
                .personal
                .read()
                .unwrap_or_else(|p| p.into_inner());
            let lower = word.to_lowercase();
            if personal.contains(&(Some(language), lower.clone()))
                || personal.contains(&(None, lower))
            {
                return true;
            }
        }
        dictionary.check(word)
            || word
                .split(['\'', '’'])
                .all(|part| part.is_empty() || dictionary.check(part))
    }

    /// Byte ranges of the misspelled words of `text`.
    pub fn misspelled(&self, language: Language, text: &str) -> Vec<Range<usize>> {
        let mut words = checkable_words(text).peekable();
        // An empty reply box needs no dictionary.
        if words.peek().is_none() {
            return Vec::new();
        }
        if !self.is_ready(language) {
            self.inner.want(language);
            return Vec::new();
        }
        words
            .filter(|range| !self.check_word(language, &text[range.clone()]))
            .collect()
    }

    /// Suggestions for a word computed on the calling thread (benchmarks; the UI uses
    /// [`SpellChecker::suggestions`], which never blocks).
    pub fn suggest_now(&self, language: Language, word: &str) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(dictionary) = self.inner.dictionaries[language.index()].get() {
            dictionary.suggest(word, &mut out);
        }
        out
    }

    /// Suggestions for a word: `Some` once computed (cached), `None` while the worker computes
    /// them (asked for on the first call, so calling it early prefetches).
    pub fn suggestions(&self, language: Language, word: &str) -> Option<Vec<String>> {
        let key = (language, word.to_owned());
        if let Some(found) = lock(&self.inner.suggestions).get(&key) {
            return Some(found.clone());
        }
        if lock(&self.inner.pending).insert(key.clone())
            && let Some(sender) = lock(&self.inner.requests).as_ref()
            && sender.try_send(key.clone()).is_err()
        {
            lock(&self.inner.pending).remove(&key);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;

    #[test]
    fn finds_misspellings_in_english_and_french() {
        let spell = SpellChecker::load_now();
        let text = "Your parcell will arive tomorrow morning.";
        let wrong: Vec<&str> = spell
            .misspelled(Language::English, text)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(wrong, ["parcell", "arive"]);
        let texte = "Votre comande n'est pas encore arrivée, désolé.";
        let faux: Vec<&str> = spell
            .misspelled(Language::French, texte)
            .into_iter()
            .map(|r| &texte[r])
            .collect();
        assert_eq!(faux, ["comande"]);
    }

    #[test]
    fn a_language_loads_when_text_in_it_is_first_checked() {
        let spell = SpellChecker::start();
        let (loaded, wait) = mpsc::channel();
        let loaded = Mutex::new(loaded);
        spell.set_waker(Arc::new(move || {
            let _ = lock(&loaded).send(());
        }));
        for empty in ["", "  ", "12 €", "https://shop.example"] {
            assert!(spell.misspelled(Language::French, empty).is_empty());
        }
        assert!(!spell.is_ready(Language::English));
        assert!(!spell.is_ready(Language::French));
        assert!(
            spell.misspelled(Language::English, "arive").is_empty(),
            "nothing known while it loads"
        );
        wait.recv_timeout(Duration::from_secs(60))
            .expect("English loaded");
        assert!(spell.is_ready(Language::English));
        assert_eq!(spell.misspelled(Language::English, "arive"), vec![0..5]);
        assert!(
            !spell.is_ready(Language::French),
            "French was never needed, so it was never loaded"
        );
        spell.prepare(Language::French);
        wait.recv_timeout(Duration::from_secs(60))
            .expect("French loaded");
        assert!(spell.is_ready(Language::French));
    }

    #[test]
    fn personal_words_are_accepted_in_their_language() {
        let spell = SpellChecker::load_now();
        assert!(!spell.check_word(Language::English, "Switchboardly"));
        spell.add_personal_word(Some(Language::English), "Switchboardly");
        assert!(spell.check_word(Language::English, "switchboardly"));
        assert!(
            !spell.check_word(Language::French, "switchboardly"),
            "an English word is no French word"
        );
        spell.add_personal_word(None, "Zorblax");
        assert!(spell.check_word(Language::French, "zorblax"));
        assert!(spell.check_word(Language::English, "zorblax"));
    }

    #[test]
    fn suggestions_come_from_the_worker_and_are_cached() {
        let spell = SpellChecker::load_now();
        assert_eq!(
            spell.suggestions(Language::English, "arive"),
            None,
            "asked, not ready yet"
        );
        let started = Instant::now();
        let found = loop {
            if let Some(found) = spell.suggestions(Language::English, "arive") {
                break found;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "worker never answered"
            );
            std::thread::yield_now();
        };
        assert!(found.iter().any(|s| s == "arrive"), "{found:?}");
    }
}
