//! An administrator's actions on the platform's accounts (disable, enable, set a password,
//! read the audit trail), carried out on the `desk-requests` thread like every platform call
//! the agent causes; the Administration view shows the state until the answer is in. The
//! platform checks the `admin` permission again.

use super::{Desk, requests::Request};
use crate::backend::{AccountAction, AccountAnswer};

/// Where the last account action is.
#[derive(Debug, Clone, PartialEq)]
pub enum AccountState {
    /// Asked; no answer yet.
    Pending,
    /// Done, with what the platform answered.
    Done(AccountAnswer),
    /// Refused, in words.
    Refused(String),
}

impl Desk {
    /// Asks the platform to carry out an account action (the role must grant `admin`).
    pub fn administer(&mut self, action: AccountAction) {
        let admin = self
            .agent
            .as_ref()
            .is_some_and(|a| a.role.grants(crate::config::Permission::Admin));
        if !admin {
            self.account_state = Some(AccountState::Refused(
                "your role does not administer accounts".into(),
            ));
            return;
        }
        self.account_state = Some(AccountState::Pending);
        self.requests.submit(Request::Administer(action));
    }

    /// The state of the last account action, if any.
    pub fn account_state(&self) -> Option<&AccountState> {
        self.account_state.as_ref()
    }

    pub(super) fn on_administered(&mut self, result: Result<AccountAnswer, String>) {
        self.account_state = Some(match result {
            Ok(answer) => AccountState::Done(answer),
            Err(reason) => AccountState::Refused(reason),
        });
    }
}
