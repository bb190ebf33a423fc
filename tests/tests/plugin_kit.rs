//! The third-party plugin kit, used the way sdk/README.md tells a newcomer to: copy the
//! template, point it at the SDK, build it with cargo, drop the library in a plugins folder and
//! see `switchboard --list-plugins` load it. And the compatibility promise: a plugin built with
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

#[test]
fn the_template_copied_and_built_as_the_readme_says_is_listed_by_the_shell() {
    let sdk = repository().join("sdk");
    let work = tempfile::tempdir().expect("temp dir");
    let project = work.path().join("acme-chat");

    // 1. Copy the template and point its two SDK paths at the clone's sdk/ folder.
    copy_folder(&sdk.join("template"), &project);
    let manifest = project.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).expect("read Cargo.toml");
    assert!(text.contains("path = \"../switchboard-sdk\""), "{text}");
    let text = text.replace("path = \"../", &format!("path = \"{}/", sdk.display()));
    std::fs::write(&manifest, text).expect("write Cargo.toml");

    // 2. Its own test against the host double passes, and it builds.
    cargo(&project, &["test", "--quiet"]);
    cargo(&project, &["build"]);

    // 3. Drop the library in a plugins folder; the shell lists it as loaded.
    let plugins = work.path().join("plugins");
    std::fs::create_dir_all(&plugins).expect("plugins folder");
    let library = kit_library("my_channel");
    std::fs::copy(&library, plugins.join(library.file_name().expect("name"))).expect("install");
    let shell = build_dir().join(format!("switchboard{}", std::env::consts::EXE_SUFFIX));
    let output = Command::new(shell)
        .args(["--list-plugins", "--plugins-dir"])
        .arg(&plugins)
        .output()
        .expect("run switchboard");
    let listing = String::from_utf8_lossy(&output.stdout);
    let line = listing
        .lines()
        .find(|l| l.starts_with("my-channel"))
        .unwrap_or_else(|| panic!("my-channel not listed:\n{listing}"));
    assert!(line.contains("loaded"), "{line}");
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
    let open = world.desk.interaction(&offer).expect("open");
    let view = open.view.as_ref().expect("the 1.2 plugin draws a view");
    assert_eq!(subtitle(view), "Contact (SDK 1.2): Camille Martin");

    world.desk.interaction_mut(&offer).expect("open").draft = "Bonjour Camille !".into();
    world.desk.send(&offer).expect("send");
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
    assert!(
        world.texts(&offer).iter().any(|t| t == "Opened by SDK 1.6"),
        "its system line is stored as text"
    );
    world
        .desk
        .set_disposition(&offer, "resolved-info")
        .expect("disposition");
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
