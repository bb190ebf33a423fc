//! What agents read for an administrator's or a plugin's key, in a language: the
//! administrator's label for that language first, then what the shell or the plugin says (a
//! disposition's label in the tree, a plugin's `channel-name`, the shell's `case-key-…`), then
//! the key itself.

use std::borrow::Cow;

use super::Desk;
use crate::{config::LabelKind, i18n::Translator};

/// The message a plugin's translations name its channel with.
pub const CHANNEL_NAME_ID: &str = "channel-name";

impl Desk {
    /// `key` of `kind` as agents read it in `language` (`en`, `fr`).
    pub fn label<'a>(&'a self, kind: LabelKind, key: &'a str, language: &str) -> Cow<'a, str> {
        if let Some(label) = self.config.label(kind, key, language) {
            return Cow::Borrowed(label);
        }
        match kind {
            LabelKind::NotReadyReason | LabelKind::DispositionCategory => Cow::Borrowed(key),
            LabelKind::Disposition => Cow::Borrowed(
                self.config
                    .dispositions
                    .iter()
                    .flat_map(|category| category.codes.iter())
                    .find(|code| code.code == key)
                    .map_or(key, |code| code.label.as_str()),
            ),
            LabelKind::Channel => self.channel_name(key, language),
            LabelKind::CaseDataKey => {
                let translator = Translator::new(crate::i18n::Language::from_tag(language));
                let id = format!("case-key-{key}");
                if translator.has(&id) {
                    Cow::Owned(translator.tr(&id))
                } else {
                    Cow::Borrowed(key)
                }
            }
        }
    }

    /// `key` of `kind` as the signed-in agent reads it, in the UI language.
    pub fn named<'a>(&'a self, kind: LabelKind, key: &'a str) -> Cow<'a, str> {
        self.label(kind, key, &self.ui_language)
    }

    /// A channel's name: its plugin's `channel-name` in `language`, else its manifest's name,
    /// else its id.
    fn channel_name<'a>(&'a self, id: &'a str, language: &str) -> Cow<'a, str> {
        if let Some(translations) = self.plugin_translations.get(id)
            && translations.has(language, CHANNEL_NAME_ID)
        {
            return Cow::Owned(translations.text(language, CHANNEL_NAME_ID, &[]));
        }
        self.catalog.get(id).map_or(Cow::Borrowed(id), |plugin| {
            Cow::Borrowed(plugin.manifest.name.as_str())
        })
    }

    /// The disposition tree with each code's label in `language`, as plugins read it
    /// ([`switchboard_sdk::Host::disposition_label`]).
    pub(super) fn disposition_tree_in(
        &self,
        language: &str,
    ) -> Vec<crate::config::DispositionCategory> {
        let mut tree = self.config.dispositions.clone();
        for category in &mut tree {
            for code in &mut category.codes {
                code.label = self
                    .label(LabelKind::Disposition, &code.code, language)
                    .into_owned();
            }
        }
        tree
    }
}
