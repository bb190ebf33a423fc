//! The plugin host's refusals and containment: each bad library gets a clear one-line reason,
//! and the shell keeps working.

use switchboard_core::{
    desk::{ChannelStatus, Health},
    plugin_host::{PluginCatalog, PluginStatus},
};
use switchboard_store_sqlite::prelude::*;
use switchboard_tests::{World, config_with_channels, library};

fn refusal(catalog: &PluginCatalog) -> String {
    match &catalog.report().last().expect("one entry").status {
        PluginStatus::Refused(reason) => reason.clone(),
        PluginStatus::Loaded => panic!("expected a refusal"),
    }
}

#[test]
fn sms_page_loads_with_its_manifest() {
    let mut catalog = PluginCatalog::new();
    catalog.add_library(&library("sms_page"));
    let plugin = catalog.get("sms-page").expect("loaded");
    assert_eq!(plugin.manifest.name.as_str(), "SMS");
    assert!(plugin.manifest.media_types.iter().any(|m| m == "sms"));
    assert!(catalog.report_table().contains("sms-page"));
}

#[test]
fn a_file_that_is_not_a_library_is_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir
        .path()
        .join(format!("junk.{}", std::env::consts::DLL_EXTENSION));
    std::fs::write(&path, "not a library").expect("write");
    let mut catalog = PluginCatalog::new();
    catalog.add_library(&path);
    let reason = refusal(&catalog);
    assert!(reason.starts_with("not a loadable library"), "{reason}");
    assert!(catalog.available().is_empty());
}

#[test]
fn a_library_without_root_module_is_not_a_plugin() {
    let mut catalog = PluginCatalog::new();
    catalog.add_library(&library("not_a_plugin"));
    assert_eq!(
        refusal(&catalog),
        "not a Switchboard plugin (no plugin root module)"
    );
}

#[test]
fn a_plugin_built_against_a_changed_layout_is_refused_in_one_line() {
    let mut catalog = PluginCatalog::new();
    catalog.add_library(&library("changed_layout_plugin"));
    let reason = refusal(&catalog);
    assert!(
        reason.starts_with("built against an incompatible SDK layout"),
        "{reason}"
    );
    let rebuild = format!("rebuild it against SDK {}", switchboard_sdk::SDK_VERSION);
    assert!(reason.contains(&rebuild), "{reason}");
    assert!(!reason.contains('\n'));
    assert!(reason.len() < 400, "summary, not the full report: {reason}");
    assert!(reason.contains("type PluginModule"), "{reason}");
}

#[test]
fn a_plugin_for_another_sdk_major_is_refused_naming_both_versions() {
    let mut catalog = PluginCatalog::new();
    catalog.add_library(&library("future_sdk_plugin"));
    assert_eq!(
        refusal(&catalog),
        format!(
            "built for SDK 2.0.0, this shell has SDK {}",
            switchboard_sdk::SDK_VERSION
        )
    );
}

#[test]
fn a_duplicate_id_is_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let copy = dir
        .path()
        .join(format!("sms_copy.{}", std::env::consts::DLL_EXTENSION));
    std::fs::copy(library("sms_page"), &copy).expect("copy");
    let mut catalog = PluginCatalog::new();
    catalog.add_library(&library("sms_page"));
    catalog.add_library(&copy);
    assert!(refusal(&catalog).starts_with("duplicate id sms-page"));
    assert_eq!(catalog.available().len(), 1);
}

#[test]
fn scanning_a_folder_reports_each_file() {
    let dir = tempfile::tempdir().expect("dir");
    let ext = std::env::consts::DLL_EXTENSION;
    std::fs::copy(library("sms_page"), dir.path().join(format!("a_sms.{ext}"))).expect("copy");
    std::fs::copy(
        library("not_a_plugin"),
        dir.path().join(format!("b_other.{ext}")),
    )
    .expect("copy");
    std::fs::write(dir.path().join("README.txt"), "ignored").expect("write");
    let catalog = PluginCatalog::scan(dir.path());
    assert_eq!(catalog.report().len(), 2);
    assert_eq!(catalog.report()[0].status, PluginStatus::Loaded);
    assert!(matches!(
        catalog.report()[1].status,
        PluginStatus::Refused(_)
    ));
}

#[test]
fn a_panicking_plugin_is_contained_and_its_interaction_stays_readable() {
    let mut world = World::new(
        &[library("panicking_plugin")],
        config_with_channels(&["panicky"]),
    );
    world.ready_agent("panicky");
    world.customer_writes("+33612345678", "Hello");
    let id = world.accept_first_offer();
    let channel = &world.desk.channels()[0];
    match channel.health() {
        Health::Failed(reason) => {
            assert!(reason.contains("fixture panics on purpose"), "{reason}");
            // Where: the file and line of the panic, not only on the plugin's stderr.
            assert!(
                reason.contains("panicking-plugin/src/lib.rs:23"),
                "{reason}"
            );
        }
        Health::Running => panic!("plugin should be marked failed"),
    }
    let open = world.desk.interaction(&id).expect("still open");
    assert_eq!(
        open.transcript.len(),
        1,
        "transcript readable from the store"
    );
    assert!(
        open.error
            .as_deref()
            .is_some_and(|e| e.contains("panicked"))
    );
    assert!(
        world.desk.set_ready("panicky", true).is_err(),
        "no new work for a failed plugin"
    );
    assert!(
        !matches!(world.desk.channels()[0].status, ChannelStatus::Ready),
        "the failed channel shows it is not Ready"
    );
    // A second customer is not offered on the failed channel.
    world.customer_writes("+33698765432", "Anyone there?");
    world.advance_seconds(60);
    assert!(
        world.desk.offers().is_empty(),
        "nothing is offered on a failed channel"
    );
    world.desk.mark_done(&id).expect("done still works");
    world.desk.settle();
    assert!(
        world
            .store
            .interaction(&id)
            .expect("read")
            .expect("row")
            .done
    );
}
