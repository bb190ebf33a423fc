//! The third-party plugin kit, used the way sdk/README.md tells a newcomer to: the guide's
//! marked blocks run word for word (copy the template, point it at the SDK, test and build it,
//! install it beside the shell's channels, give the roles the channel, list it), then the
//! guide's customer post reaches an agent Ready on it and the template's view is drawn. And the compatibility promise: a plugin built with
//! a frozen copy of the previous SDK minor version still loads and works in today's shell.
//!
//! These builds run outside the workspace (as a third party's would), offline, into their own
//! target folder (`target/kit`) shared by both tests.

use std::{
    path::{Path, PathBuf},
    process::Command,
};

use switchboard_sdk::view::ViewModel;
use switchboard_tests::{World, build_dir, config_with_channels};

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("repository root")
        .to_path_buf()
}

/// Runs cargo in `project` like a developer would, into the shared kit target folder.
fn cargo(project: &Path, args: &[&str]) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args(args)
        .arg("--offline")
        .current_dir(project)
        .env("CARGO_TARGET_DIR", build_dir().join("..").join("kit"))
        // Nothing of the outer `cargo test` leaks into the plugin's build.
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .expect("run cargo");
    assert!(
        output.status.success(),
        "cargo {} in {} failed:\n{}",
        args.join(" "),
        project.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn kit_library(crate_name: &str) -> PathBuf {
    build_dir()
        .join("..")
        .join("kit")
        .join("debug")
        .join(format!(
            "{}{crate_name}.{}",
            std::env::consts::DLL_PREFIX,
            std::env::consts::DLL_EXTENSION
        ))
}

/// Copies a folder (without build outputs).
fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).expect("read folder") {
        let entry = entry.expect("entry");
        let name = entry.file_name();
        if name == "target" {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            copy_folder(&path, &to.join(&name));
        } else {
            std::fs::copy(&path, to.join(&name)).expect("copy file");
        }
    }
}

/// The `sh` block that follows `<!-- guide: NAME -->` in the SDK guide.
fn guide_block(name: &str) -> String {
    let guide =
        std::fs::read_to_string(repository().join("sdk").join("README.md")).expect("the SDK guide");
    let marker = format!("<!-- guide: {name} -->");
    let after = guide
        .split_once(&marker)
        .unwrap_or_else(|| panic!("the guide has no {marker}"))
        .1;
    let block = after
        .split_once("```sh\n")
        .and_then(|(_, rest)| rest.split_once("```"))
        .unwrap_or_else(|| panic!("no sh block after {marker}"))
        .0;
    block.to_owned()
}

/// Runs a block of the guide with `sh -e` in `folder`, as a developer whose clone is this
/// repository would; its output.
fn run_guide_block(folder: &Path, block: &str) -> String {
    let output = Command::new("sh")
        .args(["-e", "-c", block])
        .current_dir(folder)
        .env("SWITCHBOARD", repository())
        .env("CARGO_TARGET_DIR", build_dir().join("..").join("kit"))
        .env("CARGO_NET_OFFLINE", "true")
        // Nothing of the outer `cargo test` leaks into the plugin's build.
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .expect("run sh");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "the guide's block failed:\n{block}\n{text}"
    );
    text
}

#[test]
fn the_guide_word_for_word_takes_the_template_to_an_offered_channel() {
    assert_eq!(
        build_dir(),
        repository().join("target").join("debug"),
        "the guide's commands use the clone's target/debug"
    );
    let work = tempfile::tempdir().expect("temp dir");

    // Copy, point at the SDK, test, build, install beside the shell's channels, configure,
    // list: the guide's commands as written.
    let listing = run_guide_block(work.path(), &guide_block("build"));
    let line = listing
        .lines()
        .find(|l| l.starts_with("my-channel"))
        .unwrap_or_else(|| panic!("my-channel not listed:\n{listing}"));
    assert!(line.contains("loaded"), "{line}");
    assert!(
        !listing.lines().any(|l| l.starts_with("note:")),
        "every role lists it and nothing is wrong:\n{listing}"
    );

    // The shell as Ada, without pixels: the guide's plugins folder and configuration.
    let plugins = work.path().join("plugins");
    let config = switchboard_core::config::Config::load(&work.path().join("acme.toml"))
        .expect("the guide's configuration");
    let libraries: Vec<PathBuf> = std::fs::read_dir(&plugins)
        .expect("plugins folder")
        .flatten()
        .map(|entry| entry.path())
        .collect();
    let mut world = World::new(&libraries, config);
    world.ready_agent("my-channel");
    let webhook = world.platform.start_webhook(0).expect("webhook");

    // The customer's post, word for word but for the port.
    let post = guide_block("customer").replace("127.0.0.1:8077", &webhook.address().to_string());
    let answer = run_guide_block(work.path(), &post);
    world.desk.pump();
    let offer = world
        .desk
        .offers()
        .first()
        .unwrap_or_else(|| panic!("the channel is not offered; the webhook said {answer:?}"))
        .row
        .clone();
    assert_eq!(offer.media_type, "my-channel");
    world.desk.accept(&offer.id).expect("accepted");
    world.desk.settle();
    let view = world
        .desk
        .interaction(&offer.id)
        .and_then(|open| open.view.clone())
        .expect("the template draws its view");
    assert!(view.toolbar.iter().any(|a| a.label.as_str() == "Mark done"));
    world.agent_sends(&offer.id, "Hello! How can I help?");
    assert!(
        world
            .texts(&offer.id)
            .contains(&"Hello! How can I help?".to_owned()),
        "the reply is in the transcript"
    );
}

fn subtitle(view: &ViewModel) -> String {
    view.header.subtitle.to_string()
}

#[test]
fn a_plugin_built_with_the_frozen_sdk_1_2_loads_and_works_in_this_shell() {
    let fixture = repository().join("tests").join("fixtures").join("sdk-1.2");
    cargo(&fixture, &["build"]);
    let mut world = World::new(
        &[kit_library("sdk_1_2_plugin")],
        config_with_channels(&["sdk-1-2-plugin"]),
    );
    world.ready_agent("sdk-1-2-plugin");
    let plugin = &world.desk.channels()[0];
    assert!(plugin.is_running(), "refused: {}", plugin.health_text());
    let manifest = plugin.manifest().expect("manifest");
    assert_eq!(manifest.sdk_version.as_str(), "1.2.0");
    assert_ne!(switchboard_sdk::SDK_VERSION, "1.2.0", "the shell is newer");

    world.named_customer_writes("+33612345678", "Camille Martin", "Bonjour");
    let offer = world.desk.offers()[0].row.id.clone();
    world.desk.accept(&offer).expect("accept");
    world.desk.settle();
    let open = world.desk.interaction(&offer).expect("open");
    let view = open.view.as_ref().expect("the 1.2 plugin draws a view");
    assert_eq!(subtitle(view), "Contact (SDK 1.2): Camille Martin");

    world.desk.interaction_mut(&offer).expect("open").draft = "Bonjour Camille !".into();
    world.desk.send(&offer).expect("send");
    world.desk.settle();
    let sent = world.platform.gateway_sent();
    assert_eq!(
        sent.last().map(|m| m.body.as_str()),
        Some("Bonjour Camille !")
    );
}

#[test]
fn a_plugin_built_with_the_frozen_sdk_1_6_loads_works_and_sits_out_the_language_switch() {
    let fixture = repository().join("tests").join("fixtures").join("sdk-1.6");
    cargo(&fixture, &["build"]);
    let mut config = config_with_channels(&["sdk-1-6-plugin"]);
    config.dispositions = switchboard_core::config::Config::embedded().dispositions;
    config.labels = switchboard_core::config::Config::embedded().labels;
    let mut world = World::new(&[kit_library("sdk_1_6_plugin")], config);
    world.ready_agent("sdk-1-6-plugin");
    let plugin = &world.desk.channels()[0];
    assert!(plugin.is_running(), "refused: {}", plugin.health_text());
    assert_eq!(
        plugin.manifest().expect("manifest").sdk_version.as_str(),
        "1.6.0"
    );
    assert!(
        world.desk.plugin_translations().is_empty(),
        "a 1.6 plugin ships no translations: the shell asks and gets none"
    );

    world.named_customer_writes("+33612345678", "Camille Martin", "Bonjour");
    let offer = world.desk.offers()[0].row.id.clone();
    world.desk.accept(&offer).expect("accept");
    world.desk.settle();
    assert!(
        world.texts(&offer).iter().any(|t| t == "Opened by SDK 1.6"),
        "its system line is stored as text"
    );
    world
        .desk
        .set_disposition(&offer, "resolved-info")
        .expect("disposition");
    // Saved off the window's thread; the plugin hears of it once it is.
    world.desk.settle();
    let badges = |world: &World| -> Vec<String> {
        let open = world.desk.interaction(&offer).expect("open");
        let view = open.view.as_ref().expect("the 1.6 plugin draws a view");
        view.badges.iter().map(|b| b.text.to_string()).collect()
    };
    assert_eq!(badges(&world), ["Information given"]);
    assert!(
        world
            .desk
            .interaction(&offer)
            .expect("open")
            .view_parts
            .is_empty(),
        "a 1.6 plugin has no view parts: the shell asks and gets none"
    );

    // The agent switches to French: the 1.6 plugin never sees the 1.7 event, keeps running,
    // and the disposition it reads again through the host comes in French.
    world.desk.set_ui_language("fr");
    let plugin = &world.desk.channels()[0];
    assert!(
        plugin.is_running(),
        "after the switch: {}",
        plugin.health_text()
    );
    assert_eq!(badges(&world), ["Information donnée"]);

    world.desk.interaction_mut(&offer).expect("open").draft = "Bonjour Camille !".into();
    world.desk.send(&offer).expect("send");
    world.desk.settle();
    assert_eq!(
        world
            .platform
            .gateway_sent()
            .last()
            .map(|m| m.body.as_str()),
        Some("Bonjour Camille !")
    );
}

#[test]
fn a_plugin_built_against_a_changed_sdk_is_refused_naming_the_type_the_place_and_the_sizes() {
    let fixture = repository()
        .join("tests")
        .join("fixtures")
        .join("changed-sdk-plugin");
    cargo(&fixture, &["build"]);
    let mut catalog = switchboard_core::plugin_host::PluginCatalog::new();
    catalog.add_library(&kit_library("changed_sdk_plugin"));
    let report = catalog.report();
    let reason = match &report[0].status {
        switchboard_core::plugin_host::PluginStatus::Refused(reason) => reason.clone(),
        other => panic!("loaded: {other:?}"),
    };
    assert_eq!(
        reason,
        format!(
            "built against an incompatible SDK layout (type Header (at create.view.header): \
             5 fields in the plugin, 4 in this shell, size 120 bytes in the plugin, 112 in this \
             shell); rebuild it against SDK {}",
            switchboard_sdk::SDK_VERSION
        )
    );
}

#[test]
fn plugins_of_two_older_minors_load_side_by_side_in_either_order() {
    for frozen in ["sdk-1.2", "sdk-1.6"] {
        cargo(
            &repository().join("tests").join("fixtures").join(frozen),
            &["build"],
        );
    }
    // Checked one after the other in one process, as the shell loads a plugins folder: the
    // check of one library must not change the verdict on the next.
    for order in [
        ["sdk_1_2_plugin", "sdk_1_6_plugin"],
        ["sdk_1_6_plugin", "sdk_1_2_plugin"],
    ] {
        let mut catalog = switchboard_core::plugin_host::PluginCatalog::new();
        for library in order {
            catalog.add_library(&kit_library(library));
        }
        for entry in catalog.report() {
            assert_eq!(
                entry.status,
                switchboard_core::plugin_host::PluginStatus::Loaded,
                "{} after {order:?}",
                entry.file
            );
        }
    }
}

#[test]
fn the_sdk_and_the_host_double_package_and_a_plugin_builds_on_the_packages_alone() {
    let repository = repository();
    let packages = build_dir().join("..").join("kit").join("package");
    // The SDK packages and builds outside the workspace (cargo verifies the package by
    // building it on its own); the host double packages too (its build needs the SDK's
    // package, which no registry has here: the plugin below builds it).
    cargo(
        &repository,
        &["package", "-p", "switchboard-sdk", "--allow-dirty"],
    );
    cargo(
        &repository,
        &[
            "package",
            "-p",
            "switchboard-sdk-testing",
            "--allow-dirty",
            "--no-verify",
            "--exclude-lockfile",
        ],
    );
    let work = tempfile::tempdir().expect("temp dir");
    for package in ["switchboard-sdk", "switchboard-sdk-testing"] {
        let crate_file = format!("{package}-{}.crate", switchboard_sdk::SDK_VERSION);
        let status = Command::new("tar")
            .arg("xzf")
            .arg(packages.join(&crate_file))
            .current_dir(work.path())
            .status()
            .expect("tar");
        assert!(status.success(), "unpacking {crate_file}");
    }
    // A plugin in a repository of its own: the template, on the packaged crates only.
    let project = work.path().join("acme-chat");
    copy_folder(&repository.join("sdk").join("template"), &project);
    let manifest = project.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest)
        .expect("read Cargo.toml")
        .replace(
            "switchboard-sdk = { path = \"../switchboard-sdk\" }",
            &format!("switchboard-sdk = \"{}\"", switchboard_sdk::SDK_VERSION),
        )
        .replace(
            "switchboard-sdk-testing = { path = \"../switchboard-sdk-testing\" }",
            &format!(
                "switchboard-sdk-testing = \"{}\"",
                switchboard_sdk::SDK_VERSION
            ),
        );
    assert!(!text.contains("path ="), "{text}");
    let patch = format!(
        "\n[patch.crates-io]\nswitchboard-sdk = {{ path = \"../switchboard-sdk-{v}\" }}\n\
         switchboard-sdk-testing = {{ path = \"../switchboard-sdk-testing-{v}\" }}\n",
        v = switchboard_sdk::SDK_VERSION
    );
    std::fs::write(&manifest, text + &patch).expect("write Cargo.toml");
    cargo(&project, &["test", "--quiet"]);
}
