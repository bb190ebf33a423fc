//! What the SMS-family channel plugins (page mode, session mode, MMS) share, written once:
//! the interactions they track, the live segment counter, sending a reply split into SMS parts
//! (and the one-reply rule of page mode and MMS), the language and disposition badges read
//! through host services, and the side panels an SMS interaction offers.
//!
//! Built only on the SDK, like the plugins themselves. Handing an interaction over lives in
//! the `transfer` module.

mod transfer;

use std::collections::HashMap;

pub use transfer::{
    ACTION_TRANSFER, Kept, PURPOSE_TRANSFER, choose_transfer_target, request_transfer,
    transfer_action, transfer_answered,
};

use switchboard_sdk::{
    Action, Command, Composer, LogLevel, PluginError, PluginErrorKind, Services, Tone,
    TranscriptEntry, Words,
    sms::segment,
    view::{Badge, PanelIds, panels},
};

/// The words these helpers use, in English and French: a channel built on them lists these
/// after its own in `Channel::TRANSLATIONS`.
pub const COMMON_TRANSLATIONS: [(&str, &str); 2] = [
    ("en", include_str!("../i18n/en.ftl")),
    ("fr", include_str!("../i18n/fr.ftl")),
];

/// Id of the Mark done action.
pub const ACTION_DONE: &str = "done";
/// Id of the Consult action: the Team Communicator opens to pick a colleague, and the shell
/// opens an instant-message consultation inside the interaction.
pub const ACTION_CONSULT: &str = "consult";

/// The interactions a plugin tracks, by id; asking for one it does not track is the SDK's
/// unknown-interaction error.
pub struct Tracked<T>(HashMap<String, T>);

impl<T> Default for Tracked<T> {
    fn default() -> Self {
        Self(HashMap::new())
    }
}

impl<T> Tracked<T> {
    /// The interaction's state.
    pub fn get(&self, id: &str) -> Result<&T, PluginError> {
        self.0
            .get(id)
            .ok_or_else(|| PluginError::unknown_interaction(id))
    }

    /// The interaction's state, to change it.
    pub fn get_mut(&mut self, id: &str) -> Result<&mut T, PluginError> {
        self.0
            .get_mut(id)
            .ok_or_else(|| PluginError::unknown_interaction(id))
    }

    /// Starts tracking an interaction.
    pub fn insert(&mut self, id: String, state: T) {
        self.0.insert(id, state);
    }

    /// Stops tracking an interaction (it was closed).
    pub fn remove(&mut self, id: &str) {
        self.0.remove(id);
    }
}

/// The composer's segment counter for the text being typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counter {
    /// "2 SMS · 187/306 · GSM-7".
    pub text: String,
    /// The message will cost more than one part.
    pub warning: bool,
}

impl Counter {
    /// The counter for `text`.
    pub fn of(text: &str) -> Self {
        let segmentation = segment(text);
        Self {
            text: segmentation.counter_text(),
            warning: segmentation.part_count() > 1,
        }
    }
}

/// Sends `text` to the interaction's contact as SMS parts. On success the stored entry comes
/// back; on failure, the command that tells the agent why (nothing was sent).
pub fn send_sms(
    host: &Services,
    words: &Words,
    interaction: &str,
    text: &str,
) -> Result<TranscriptEntry, Command> {
    if text.trim().is_empty() {
        return Err(Command::ShowError {
            interaction: interaction.into(),
            text: words.tr("sms-type-before-sending").into(),
        });
    }
    let parts = segment(text).parts;
    match host.send_message(interaction, text, &parts) {
        Ok(entry) => {
            host.log(
                LogLevel::Info,
                &format!("reply sent in {} part(s)", parts.len()),
            );
            Ok(entry)
        }
        Err(e) => Err(Command::ShowError {
            interaction: interaction.into(),
            text: words
                .tr_args("sms-not-sent", &[("reason", &e.to_string())])
                .into(),
        }),
    }
}

/// Sends the one reply a page-mode interaction (SMS page mode, MMS) allows: refused once
/// `replied`; on success `replied` is set and the interaction closes.
pub fn reply_once(
    host: &Services,
    words: &Words,
    interaction: &str,
    replied: &mut bool,
    text: &str,
) -> Result<Vec<Command>, PluginError> {
    if *replied {
        return Err(PluginError::new(
            PluginErrorKind::Refused,
            words.tr("sms-one-reply-only"),
        ));
    }
    match send_sms(host, words, interaction, text) {
        Ok(_) => {
            *replied = true;
            Ok(vec![
                Command::ClearComposer {
                    interaction: interaction.into(),
                },
                Command::MarkDone {
                    interaction: interaction.into(),
                },
            ])
        }
        Err(command) => Ok(vec![command]),
    }
}

/// The composer of a one-reply interaction: enabled until the reply left, with the counter.
pub fn one_reply_composer(
    replied: bool,
    counter: &Counter,
    hint: String,
    answered_hint: &str,
    send_label: &str,
) -> Composer {
    Composer {
        enabled: !replied,
        hint: if replied {
            answered_hint.into()
        } else {
            hint.into()
        },
        counter: counter.text.as_str().into(),
        counter_warning: counter.warning,
        send_label: send_label.into(),
    }
}

/// The primary Mark done action.
pub fn mark_done_action(words: &Words) -> Action {
    Action::new(
        ACTION_DONE,
        "action-mark-done",
        &words.tr("sms-mark-done"),
        "done",
    )
    .tone(Tone::Primary)
}

/// The Consult action (SDK 1.5 shells open an IM consultation inside the interaction).
pub fn consult_action(words: &Words, enabled: bool) -> Action {
    Action::new(
        ACTION_CONSULT,
        "action-consult",
        &words.tr("sms-consult"),
        "consult",
    )
    .enabled(
        enabled,
        &words.tr(if enabled {
            "sms-consult-tooltip"
        } else {
            "sms-consult-ended"
        }),
    )
}

/// What the Consult action does: ask the shell to pick a colleague to consult.
pub fn consult_command(interaction: &str) -> Command {
    Command::ChooseTarget {
        interaction: interaction.into(),
        purpose: switchboard_sdk::purposes::CONSULT.into(),
    }
}

/// The customer's language from the `language` case-data key, upper-cased ("FR").
pub fn customer_language(host: &Services, interaction: &str) -> Option<String> {
    match host.case_data(interaction) {
        Ok(pairs) => pairs
            .iter()
            .find(|(key, _)| key == "language")
            .map(|(_, value)| value.to_uppercase()),
        Err(e) => {
            host.log(LogLevel::Warn, &format!("case data unavailable: {e}"));
            None
        }
    }
}

/// The recorded disposition, by the label the administrator gave it, when there is one.
pub fn disposition(host: &Services, interaction: &str) -> Option<String> {
    host.disposition_label(interaction)
        .ok()
        .filter(|label| !label.is_empty())
}

/// What the SMS-family views show from the records: the customer's language (case data) and
/// the disposition. Read when the interaction opens and again when the shell says those records
/// changed (`Event::RecordsChanged`), never from `view()`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RecordBadges {
    language: Option<String>,
    disposition: Option<String>,
}

impl RecordBadges {
    /// Reads both through the host.
    pub fn read(host: &Services, interaction: &str) -> Self {
        Self {
            language: customer_language(host, interaction),
            disposition: disposition(host, interaction),
        }
    }

    /// Reads again what `records` names (one of `switchboard_sdk::records`).
    pub fn refresh(&mut self, host: &Services, interaction: &str, records: &str) {
        if records == switchboard_sdk::records::CASE_DATA {
            self.language = customer_language(host, interaction);
        } else if records == switchboard_sdk::records::DISPOSITION {
            self.disposition = disposition(host, interaction);
        }
    }

    /// The badges every SMS-family view starts with.
    pub fn badges(&self, words: &Words) -> Vec<Badge> {
        let mut badges = Vec::new();
        if let Some(language) = &self.language {
            badges.push(Badge::new(
                words.tr_args("sms-customer-language", &[("language", language)]),
                Tone::Primary,
            ));
        }
        if let Some(label) = &self.disposition {
            badges.push(Badge::new(
                words.tr_args("sms-disposition", &[("label", label)]),
                Tone::Neutral,
            ));
        }
        badges
    }
}

/// The side panels of an SMS-family interaction.
pub fn sms_panels() -> PanelIds {
    [
        panels::DISPOSITION,
        panels::NOTE,
        panels::CASE_DATA,
        panels::CONTACT,
        panels::HISTORY,
        panels::RESPONSES,
        panels::CALLBACK,
    ]
    .iter()
    .map(|p| (*p).into())
    .collect()
}

/// An administrator setting in seconds, or `default` when the host has none (an older shell)
/// or it is not a number.
pub fn setting_seconds(host: &Services, name: &str, default: i64) -> i64 {
    match host.setting(name) {
        Ok(value) => value.trim().parse().unwrap_or_else(|_| {
            host.log(
                LogLevel::Warn,
                &format!("setting {name} is not a number of seconds: {value}"),
            );
            default
        }),
        Err(_) => default,
    }
}

/// The largest unit a duration is a whole number of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WholeUnit {
    /// Hours.
    Hours,
    /// Minutes.
    Minutes,
    /// Seconds.
    Seconds,
}

/// A duration as a count of its largest whole unit: 7200 s is 2 hours, 90 s is 90 seconds.
pub fn in_whole_units(seconds: i64) -> (i64, WholeUnit) {
    if seconds % 3600 == 0 && seconds >= 3600 {
        (seconds / 3600, WholeUnit::Hours)
    } else if seconds % 60 == 0 && seconds >= 60 {
        (seconds / 60, WholeUnit::Minutes)
    } else {
        (seconds, WholeUnit::Seconds)
    }
}

/// "15 minutes", "90 seconds", "2 hours": a duration for people, in the agent's language.
pub fn duration_text(words: &Words, seconds: i64) -> String {
    let (count, unit) = in_whole_units(seconds);
    let id = match unit {
        WholeUnit::Hours => "sms-hours",
        WholeUnit::Minutes => "sms-minutes",
        WholeUnit::Seconds => "sms-seconds",
    };
    words.tr_args(id, &[("count", &count.to_string())])
}

/// The first words of a message, for system lines that refer to it.
pub fn excerpt(text: &str, max_chars: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max_chars {
        flat
    } else {
        let cut: String = flat.chars().take(max_chars).collect();
        format!("{}…", cut.trim_end())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counter_warns_from_two_parts() {
        assert!(!Counter::of(&"a".repeat(160)).warning);
        let two = Counter::of(&"a".repeat(161));
        assert!(two.warning);
        assert_eq!(two.text, "2 SMS · 161/306 · GSM-7");
    }

    #[test]
    fn durations_read_naturally() {
        let english = Words::from_sources(&COMMON_TRANSLATIONS, "en");
        assert_eq!(duration_text(&english, 900), "15 minutes");
        assert_eq!(duration_text(&english, 60), "1 minute");
        assert_eq!(duration_text(&english, 7200), "2 hours");
        assert_eq!(duration_text(&english, 45), "45 seconds");
        let french = Words::from_sources(&COMMON_TRANSLATIONS, "fr");
        assert_eq!(duration_text(&french, 7200), "2 heures");
        assert_eq!(duration_text(&french, 1), "1 seconde");
    }

    #[test]
    fn the_shared_words_are_complete_in_both_languages() {
        assert_eq!(
            switchboard_sdk::Translations::new(&COMMON_TRANSLATIONS).problems(),
            Vec::<String>::new()
        );
    }

    #[test]
    fn excerpt_flattens_and_cuts() {
        assert_eq!(excerpt("Hello\n  there", 20), "Hello there");
        assert_eq!(excerpt("abcdefghij", 4), "abcd…");
    }
}
