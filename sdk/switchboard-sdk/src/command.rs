//! Commands a plugin returns to the host after handling an event.

use abi_stable::{StableAbi, std_types::RString};

/// Something the plugin asks the shell to do with one of its interactions.
#[repr(u8)]
#[derive(StableAbi, serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq)]
#[sabi(kind(WithNonExhaustive(size = [usize; 16], traits(Debug, Clone, PartialEq))))]
#[non_exhaustive]
pub enum Command {
    /// Close the interaction and mark it done (page-mode SMS after its reply, for example).
    /// The host still applies the disposition policy.
    MarkDone {
        /// Interaction.
        interaction: RString,
    },
    /// The conversation with the contact is over; the view stays open until Done.
    End {
        /// Interaction.
        interaction: RString,
    },
    /// Show the agent an error about this interaction (a refused action, for example).
    ShowError {
        /// Interaction.
        interaction: RString,
        /// Text shown as is.
        text: RString,
    },
    /// Clear the composer (after a successful send).
    ClearComposer {
        /// Interaction.
        interaction: RString,
    },
    /// Open the Team Communicator on this interaction to pick a target for `purpose`
    /// (`transfer`, `conference`, `consult`); [`crate::Event::TargetChosen`] follows if the
    /// agent picks one. SDK 1.3.
    ChooseTarget {
        /// Interaction.
        interaction: RString,
        /// What the target is for; also selects which actions the Team Communicator offers.
        purpose: RString,
    },
    /// The interaction left this agent (a transfer was accepted): close its view without the
    /// Done checks; it is not marked done here. SDK 1.3.
    Release {
        /// Interaction.
        interaction: RString,
    },
    // New variants go last: a variant's position is part of the ABI.
    /// An ended conversation is live again (the agent continued an ended chat): the view takes
    /// new messages and the platform is told. SDK 1.5.
    Resume {
        /// Interaction.
        interaction: RString,
    },
}
