//! Handing an SMS-family interaction to a colleague, a queue, a skill, a group or a routing
//! point: the toolbar action, the request once the agent picked a target (contacts refused),
//! and what each answer means (accepted: the interaction leaves the agent; refused or no
//! answer: it stays, with a line saying so). Page mode and session mode share it.

use switchboard_sdk::{
    Command, HostBox, InvitationOutcome, Target, abi_stable::std_types::RResult, view::Action,
};

/// Id of the Transfer action.
pub const ACTION_TRANSFER: &str = "transfer";

/// Purpose given to the Team Communicator for a transfer.
pub const PURPOSE_TRANSFER: &str = "transfer";

/// The Transfer toolbar action; `why_not` says why it is off, when it is.
pub fn transfer_action(why_not: Option<&str>) -> Action {
    Action::new(ACTION_TRANSFER, "action-transfer", "Transfer", "transfer")
        .enabled(why_not.is_none(), why_not.unwrap_or_default())
}

/// Opens the Team Communicator to pick who takes the interaction.
pub fn choose_transfer_target(interaction: &str) -> Command {
    Command::ChooseTarget {
        interaction: interaction.into(),
        purpose: PURPOSE_TRANSFER.into(),
    }
}

fn system_line(host: &HostBox, interaction: &str, text: &str) {
    if let RResult::RErr(e) = host.store_system_line(interaction.into(), text.into()) {
        host.log(
            switchboard_sdk::LogLevel::Warn,
            format!("cannot store a system line: {e}").as_str().into(),
        );
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
pub fn request_transfer(host: &HostBox, interaction: &str, target: &Target) -> Result<(), Command> {
    if target.kind == "contact" {
        return Err(show_error(
            interaction,
            format!(
                "{} is a contact; transfer to an agent, a queue, a skill, a group or a routing point.",
                target.name
            ),
        ));
    }
    match host.transfer(interaction.into(), target.clone()) {
        RResult::ROk(()) => {
            system_line(
                host,
                interaction,
                &format!("Transfer to {} requested.", target.name),
            );
            Ok(())
        }
        RResult::RErr(e) => Err(show_error(
            interaction,
            format!("The transfer to {} was not requested: {e}", target.name),
        )),
    }
}

/// What the target's answer means for the interaction (`what` names it in the lines: "session",
/// "interaction"): accepted, it is released; refused or unanswered, it stays, and a line says so.
pub fn transfer_answered(
    host: &HostBox,
    interaction: &str,
    target: &Target,
    outcome: Option<InvitationOutcome>,
    what: &str,
) -> Vec<Command> {
    match outcome {
        Some(InvitationOutcome::Accepted) => {
            system_line(
                host,
                interaction,
                &format!("{} accepted the transfer.", target.name),
            );
            vec![Command::Release {
                interaction: interaction.into(),
            }]
        }
        Some(InvitationOutcome::Rejected { reason }) => {
            system_line(
                host,
                interaction,
                &format!("{} rejected the transfer.", target.name),
            );
            vec![show_error(
                interaction,
                format!("{} rejected the transfer: {reason}", target.name),
            )]
        }
        _ => {
            system_line(
                host,
                interaction,
                &format!(
                    "{} did not answer the transfer in time; the {what} stays with you.",
                    target.name
                ),
            );
            Vec::new()
        }
    }
}
