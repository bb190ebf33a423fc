//! Handing an SMS-family interaction to a colleague, a queue, a skill, a group or a routing
//! point: the toolbar action, the request once the agent picked a target (contacts refused),
//! and what each answer means (accepted: the interaction leaves the agent; refused or no
//! answer: it stays, with a line saying so). Page mode and session mode share it.

use switchboard_sdk::{
    Command, InvitationOutcome, Services, Target, Words, target_kinds, view::Action,
};

/// Id of the Transfer action.
pub const ACTION_TRANSFER: &str = "transfer";

/// Purpose given to the Team Communicator for a transfer.
pub const PURPOSE_TRANSFER: &str = "transfer";

/// The Transfer toolbar action; `why_not` says why it is off, when it is.
pub fn transfer_action(words: &Words, why_not: Option<&str>) -> Action {
    Action::new(
        ACTION_TRANSFER,
        "action-transfer",
        &words.tr("sms-transfer"),
        "transfer",
    )
    .enabled(why_not.is_none(), why_not.unwrap_or_default())
}

/// Opens the Team Communicator to pick who takes the interaction.
pub fn choose_transfer_target(interaction: &str) -> Command {
    Command::ChooseTarget {
        interaction: interaction.into(),
        purpose: PURPOSE_TRANSFER.into(),
    }
}

fn show_error(interaction: &str, text: String) -> Command {
    Command::ShowError {
        interaction: interaction.into(),
        text: text.into(),
    }
}

/// Asks the platform to hand the interaction to `target`: `Ok` when asked (a system line says
/// so), else the error to show (a contact is no transfer target).
pub fn request_transfer(
    host: &Services,
    words: &Words,
    interaction: &str,
    target: &Target,
) -> Result<(), Command> {
    let name = [("name", target.name.as_str())];
    if target.kind == target_kinds::CONTACT {
        return Err(show_error(
            interaction,
            words.tr_args("sms-transfer-to-contact", &name),
        ));
    }
    match host.transfer(interaction, target) {
        Ok(()) => {
            words.store_line(host, interaction, "sms-transfer-requested", &name);
            Ok(())
        }
        Err(e) => Err(show_error(
            interaction,
            words.tr_args(
                "sms-transfer-not-requested",
                &[("name", target.name.as_str()), ("reason", &e.to_string())],
            ),
        )),
    }
}

/// What stays with the agent when a transfer goes unanswered, for the line that says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kept {
    /// A page-mode interaction.
    Interaction,
    /// A session.
    Session,
}

/// What the target's answer means for the interaction: accepted, it is released; refused or
/// unanswered, it stays (`kept` names it), and a line says so.
pub fn transfer_answered(
    host: &Services,
    words: &Words,
    interaction: &str,
    target: &Target,
    outcome: Option<InvitationOutcome>,
    kept: Kept,
) -> Vec<Command> {
    let name = [("name", target.name.as_str())];
    match outcome {
        Some(InvitationOutcome::Accepted) => {
            words.store_line(host, interaction, "sms-transfer-accepted", &name);
            vec![Command::Release {
                interaction: interaction.into(),
            }]
        }
        Some(InvitationOutcome::Rejected { reason }) => {
            words.store_line(host, interaction, "sms-transfer-rejected", &name);
            vec![show_error(
                interaction,
                words.tr_args(
                    "sms-transfer-rejected-because",
                    &[("name", target.name.as_str()), ("reason", reason.as_str())],
                ),
            )]
        }
        _ => {
            let line = match kept {
                Kept::Interaction => "sms-transfer-unanswered-interaction",
                Kept::Session => "sms-transfer-unanswered-session",
            };
            words.store_line(host, interaction, line, &name);
            Vec::new()
        }
    }
}
