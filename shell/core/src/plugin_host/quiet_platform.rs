//! A platform double for the plugin host's tests: it takes every request and has nothing to
//! say, so the tests see what the host itself checks and stores before a platform is asked.

use crate::backend::{
    Backend, BackendError, BackendEvent, NumberFacts, OutboundMessage, TransferRequest,
};

/// A platform that takes every request and has nothing to say: these tests are about
/// what the host checks and stores before the platform is asked.
pub(super) struct QuietPlatform;

impl Backend for QuietPlatform {
    fn link_up(&self) -> bool {
        true
    }
    fn sign_in(&self, _: &crate::backend::AgentSession) -> Result<(), BackendError> {
        Ok(())
    }
    fn sign_out(&self, _: &str) -> Result<(), BackendError> {
        Ok(())
    }
    fn set_ready(&self, _: &str, _: &[String], _: bool) -> Result<(), BackendError> {
        Ok(())
    }
    fn answer_offer(&self, _: &str, _: &str, _: bool) -> Result<(), BackendError> {
        Ok(())
    }
    fn send(&self, _: OutboundMessage) -> Result<(), BackendError> {
        Ok(())
    }
    fn transfer(&self, _: TransferRequest) -> Result<(), BackendError> {
        Ok(())
    }
    fn number_facts(&self, _: &str) -> NumberFacts {
        NumberFacts {
            can_receive_sms: true,
            note: String::new(),
        }
    }
    fn close(&self, _: &str) -> Result<(), BackendError> {
        Ok(())
    }
    fn poll(&self) -> Vec<BackendEvent> {
        Vec::new()
    }
    fn set_waker(&self, _: crate::backend::Waker) {}
}
