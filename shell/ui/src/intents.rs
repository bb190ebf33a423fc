//! What the agent asked for during a frame, as values: the views push them, and the app applies
//! them after drawing. The views depend on this module, never on the app.

/// Something the agent asked for during a frame, applied after drawing.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Intent {
    SignIn,
    SignOut,
    SetReady(String, bool),
    SetNotReady(String, Option<String>),
    /// Open the Communication view on a contact's conversations.
    ShowContact(i64),
    /// Log out of one channel (true) or back in.
    SetLoggedOut(String, bool),
    Accept(String),
    Reject(String),
    Select(String),
    Action(String, String),
    ComposerChanged(String),
    Send(String),
    MarkDone(String),
    DismissToast(usize),
    ToggleDetails(String),
    Zoom(f32),
    ResetZoom,
    /// Speak this language from now on.
    SetLanguage(switchboard_core::i18n::Language),
    TogglePlugins,
    OpenLink(String),
    TeamAct(
        switchboard_core::directory::Target,
        switchboard_core::desk::TeamAction,
    ),
    SetDisposition(String, String),
    SaveNote(String),
    ReplaceWord(String, std::ops::Range<usize>, String),
    /// Add a word to the personal dictionary, in the language of this interaction.
    AddToDictionary(String, String),
    SendConfirmed(String),
    CancelSend,
    /// Check a conversation's spelling in this language.
    SpellLanguage(String, switchboard_spell::Language),
    /// Move the keyboard focus to a widget.
    Focus(egui::Id),
    /// Open or close the shortcuts sheet.
    ToggleShortcuts,
    /// Replace the draft's characters that have a GSM-7 stand-in.
    UseGsm7(String),
    /// Hand every open interaction back to the queue, then sign out.
    SignOutHandingBack,
    /// Close the sign-out question and stay.
    StaySignedIn,
    ScheduleCallback {
        interaction: String,
        number: String,
        due: switchboard_sdk::Timestamp,
        note: String,
    },
    InsertText(String, String),
    SaveContact(String, switchboard_core::store::Contact),
    ToggleAdmin,
    /// An administrator's account action (a cluster).
    Administer(switchboard_core::backend::AccountAction),
    SaveConfig,
    RevertConfig,
    ChooseTarget(String, switchboard_core::directory::Target),
    PushUrl(String, String),
    ToggleCommunication,
    SelectContact(i64),
    StartOutbound(i64, switchboard_core::desk::Outbound),
    CancelChoosing(String),
    OpenAttachment(String, i64),
    SetCaseValue(String, String, String),
    AssignContact(String, i64),
    SaveAttachment(String, i64),
}
