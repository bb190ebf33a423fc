//! The cost of isolating a plugin in a child process: one call into the plugin (an event
//! that asks nothing of the host), and one host call from the plugin back to the shell (the
//! fixture asks the host's clock 100 times in one event), each isolated and in-process. The
//! host is the SDK's host double, so the figures are the boundary's own cost. The fixture
//! library is built (release) by the benchmark itself.
//!
//! Per host call across the socket ≈ (isolated `now:100` − isolated `now:0`) / 100.

use std::{path::PathBuf, process::Command, sync::OnceLock, time::Duration};

use switchboard_core::plugin_host::{
    isolation::{self, IsolationSettings},
    load_library,
};
use switchboard_sdk::{Event, Event_NE, InteractionInfo, PluginBox, Timestamp};
use switchboard_sdk_testing::TestHost;

fn main() {
    divan::main();
}

/// The fixture library, built once in release.
fn library() -> &'static PathBuf {
    static LIBRARY: OnceLock<PathBuf> = OnceLock::new();
    LIBRARY.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "--release", "-p", "crashing-plugin"])
            .status()
            .expect("cargo runs");
        assert!(status.success(), "the fixture builds");
        let program = PathBuf::from(env!("CARGO_BIN_EXE_switchboard"));
        program.parent().expect("target/release").join(format!(
            "{}crashing_plugin.{}",
            std::env::consts::DLL_PREFIX,
            std::env::consts::DLL_EXTENSION
        ))
    })
}

fn accepted(plugin: &mut PluginBox, host: &TestHost) {
    host.open_interaction("bench-1");
    let info = InteractionInfo {
        id: "bench-1".into(),
        media_type: "crash".into(),
        contact_name: "Bench".into(),
        contact_address: "crash:+33612345678".into(),
        our_address: "+15550100".into(),
        case_data: Default::default(),
        created: Timestamp(0),
        agent_name: "Agent".into(),
    };
    let accepted = Event::Accepted {
        interaction: info,
        transcript: Default::default(),
    };
    plugin
        .handle(Event_NE::new(accepted))
        .into_result()
        .expect("accepted");
}

fn in_process() -> PluginBox {
    let host = TestHost::new();
    let (module, _) = load_library(library()).expect("loads");
    let mut plugin = module.create()(host.host_box())
        .into_result()
        .expect("created");
    accepted(&mut plugin, &host);
    plugin
}

fn isolated() -> PluginBox {
    let host = TestHost::new();
    let settings = IsolationSettings {
        program: PathBuf::from(env!("CARGO_BIN_EXE_switchboard")),
        call_timeout: Duration::from_secs(10),
    };
    let mut plugin =
        isolation::start("crashing", library(), &settings, host.host_box()).expect("started");
    accepted(&mut plugin, &host);
    plugin
}

fn ask_clock(plugin: &mut PluginBox, times: u32) {
    let event = Event::Send {
        interaction: "bench-1".into(),
        text: format!("now:{times}").into(),
    };
    plugin
        .handle(Event_NE::new(event))
        .into_result()
        .expect("handled");
}

#[divan::bench]
fn in_process_call(bencher: divan::Bencher) {
    let mut plugin = in_process();
    bencher.bench_local(|| ask_clock(&mut plugin, 0));
}

#[divan::bench]
fn isolated_call(bencher: divan::Bencher) {
    let mut plugin = isolated();
    bencher.bench_local(|| ask_clock(&mut plugin, 0));
}

#[divan::bench]
fn in_process_call_with_100_host_calls(bencher: divan::Bencher) {
    let mut plugin = in_process();
    bencher.bench_local(|| ask_clock(&mut plugin, 100));
}

#[divan::bench(sample_count = 30)]
fn isolated_call_with_100_host_calls(bencher: divan::Bencher) {
    let mut plugin = isolated();
    bencher.bench_local(|| ask_clock(&mut plugin, 100));
}
