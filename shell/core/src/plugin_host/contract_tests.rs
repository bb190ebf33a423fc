//! The shell's plugin host held to the SDK's host contract (`switchboard_sdk_testing::contract`),
//! the same one the host double is held to: a plugin tested against the double meets the same
//! refusals here.

use std::sync::Arc;

use switchboard_sdk::{
    HostBox, Manifest, Timestamp, abi_stable::sabi_trait::TD_Opaque, host::Host_TO,
};
use switchboard_sdk_testing::contract::{HostUnderContract, assert_host_contract};

use super::{
    HostServices, PluginHost,
    test_support::{QuietPlatform, store_sms},
};
use crate::{
    clock::ManualClock,
    config::{DispositionCategory, DispositionCode},
    store::{InteractionRecords, InteractionState},
};

/// A plugin host over an SQLite store in memory, with interactions opened and closed the way
/// the desk does.
struct ShellHost {
    store: switchboard_store_sqlite::Store,
    services: Option<Arc<HostServices>>,
    opened: u32,
}

impl HostUnderContract for ShellHost {
    fn host_for(&mut self, manifest: &Manifest, disposition_code: &str) -> HostBox {
        let clock = Arc::new(ManualClock::new(Timestamp(1_767_603_600_000)));
        let services =
            HostServices::new(Arc::new(self.store.clone()), clock, Arc::new(QuietPlatform));
        services.set_disposition_tree(vec![DispositionCategory {
            name: "Contract".into(),
            channels: Vec::new(),
            codes: vec![DispositionCode {
                code: disposition_code.into(),
                label: "Resolved".into(),
            }],
        }]);
        // Ids set aside as the desk does at sign-in, so sends are shown at once.
        services.add_message_ids(
            self.store
                .reserve_message_ids("", 16)
                .expect("message ids set aside"),
        );
        self.services = Some(services.clone());
        Host_TO::from_value(PluginHost::new(manifest, &[], services), TD_Opaque)
    }

    fn open_interaction(&mut self) -> String {
        self.opened += 1;
        let id = format!("SMS-contract-{}", self.opened);
        let row = store_sms(&self.store, &id, InteractionState::Accepted, Some("ada"));
        if let Some(services) = &self.services {
            services.track_open(super::OpenFacts {
                row: row.clone(),
                case_data: Vec::new(),
                disposition: None,
                language: "en".into(),
                first_reply: None,
                contact: None,
                history: None,
            });
        }
        id
    }

    fn close_interaction(&mut self, id: &str) {
        self.store
            .close_interaction(id, true, Timestamp(1))
            .expect("closed");
        if let Some(services) = &self.services {
            services.forget_open(id);
        }
    }
}

#[test]
fn the_shells_plugin_host_keeps_the_host_contract() {
    assert_host_contract(&mut ShellHost {
        store: switchboard_store_sqlite::Store::open_in_memory().expect("store"),
        services: None,
        opened: 0,
    });
}
