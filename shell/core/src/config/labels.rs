//! What agents read for the administrator's keys, per language (`[labels.fr.not_ready]`,
//! `[labels.fr.dispositions]`…): Not Ready reasons, disposition codes and categories, channel
//! names and case-data keys. A key without a label here falls back to what the shell or the
//! plugin says, then to the key itself.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Which administrator keys a label names (the Administration view starts on the first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum LabelKind {
    /// A reason for Not Ready (`Break`).
    #[default]
    NotReadyReason,
    /// A disposition code (`order-status`).
    Disposition,
    /// A category of disposition codes, by its name (`Resolved`).
    DispositionCategory,
    /// A channel, by its plugin id (`sms-page`).
    Channel,
    /// A case-data key (`order`).
    CaseDataKey,
}

impl LabelKind {
    /// Every kind, in the order the Administration view lists them.
    pub const ALL: [LabelKind; 5] = [
        LabelKind::NotReadyReason,
        LabelKind::DispositionCategory,
        LabelKind::Disposition,
        LabelKind::Channel,
        LabelKind::CaseDataKey,
    ];
}

/// One language's labels, by kind then key.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct LanguageLabels {
    /// Not Ready reasons.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub not_ready: BTreeMap<String, String>,
    /// Disposition codes.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub dispositions: BTreeMap<String, String>,
    /// Disposition categories, by name.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub disposition_categories: BTreeMap<String, String>,
    /// Channels, by plugin id.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub channels: BTreeMap<String, String>,
    /// Case-data keys.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub case_data: BTreeMap<String, String>,
}

impl LanguageLabels {
    /// The labels of one kind.
    pub fn of(&self, kind: LabelKind) -> &BTreeMap<String, String> {
        match kind {
            LabelKind::NotReadyReason => &self.not_ready,
            LabelKind::Disposition => &self.dispositions,
            LabelKind::DispositionCategory => &self.disposition_categories,
            LabelKind::Channel => &self.channels,
            LabelKind::CaseDataKey => &self.case_data,
        }
    }

    /// The labels of one kind, to edit.
    pub fn of_mut(&mut self, kind: LabelKind) -> &mut BTreeMap<String, String> {
        match kind {
            LabelKind::NotReadyReason => &mut self.not_ready,
            LabelKind::Disposition => &mut self.dispositions,
            LabelKind::DispositionCategory => &mut self.disposition_categories,
            LabelKind::Channel => &mut self.channels,
            LabelKind::CaseDataKey => &mut self.case_data,
        }
    }

    /// Whether it holds no label at all.
    pub fn is_empty(&self) -> bool {
        LabelKind::ALL.iter().all(|kind| self.of(*kind).is_empty())
    }
}

/// Labels by language tag (`en`, `fr`).
pub type Labels = BTreeMap<String, LanguageLabels>;

/// The administrator's label of `key` in `language`, when there is a non-blank one.
pub fn configured<'a>(
    labels: &'a Labels,
    kind: LabelKind,
    key: &str,
    language: &str,
) -> Option<&'a str> {
    labels
        .get(language)?
        .of(kind)
        .get(key)
        .map(String::as_str)
        .filter(|label| !label.trim().is_empty())
}

/// Sets (or, when blank, removes) the administrator's label of `key` in `language`.
pub fn set(labels: &mut Labels, kind: LabelKind, key: &str, language: &str, label: &str) {
    let of_language = labels.entry(language.to_owned()).or_default();
    if label.trim().is_empty() {
        of_language.of_mut(kind).remove(key);
    } else {
        of_language
            .of_mut(kind)
            .insert(key.to_owned(), label.trim().to_owned());
    }
    if of_language.is_empty() {
        labels.remove(language);
    }
}
