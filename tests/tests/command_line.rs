//! The `switchboard` binary as a newcomer runs it after `cargo xtask demo` (or `test`) built
//! and installed the plugins.

use std::process::Command;

use switchboard_tests::build_dir;

fn switchboard() -> Command {
    let exe = build_dir().join(format!("switchboard{}", std::env::consts::EXE_SUFFIX));
    assert!(
        exe.exists(),
        "{} is missing: run cargo xtask test",
        exe.display()
    );
    Command::new(exe)
}

#[test]
fn list_plugins_reads_the_default_folder_next_to_the_executable() {
    let output = switchboard()
        .arg("--list-plugins")
        .output()
        .expect("run switchboard");
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    let line = text
        .lines()
        .find(|l| l.starts_with("sms-page"))
        .unwrap_or_else(|| panic!("sms-page not listed:\n{text}"));
    assert!(line.contains("loaded"), "{line}");
}

#[test]
fn list_plugins_names_each_refused_file_and_its_reason() {
    let dir = tempfile::tempdir().expect("dir");
    let junk = dir
        .path()
        .join(format!("broken.{}", std::env::consts::DLL_EXTENSION));
    std::fs::write(&junk, "garbage").expect("write");
    let output = switchboard()
        .args(["--list-plugins", "--plugins-dir"])
        .arg(dir.path())
        .output()
        .expect("run switchboard");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("refused"), "{text}");
    assert!(text.contains("broken."), "{text}");
    assert!(text.contains("not a loadable library"), "{text}");
}

#[test]
fn a_malformed_configuration_is_refused_with_file_and_line() {
    let dir = tempfile::tempdir().expect("dir");
    let config = dir.path().join("bad.toml");
    std::fs::write(&config, "[shell]\nofer_timeout_seconds = 3\n").expect("write");
    let output = switchboard()
        .arg("--config")
        .arg(&config)
        .arg("--data-dir")
        .arg(dir.path())
        .output()
        .expect("run switchboard");
    assert!(!output.status.success());
    let text = String::from_utf8_lossy(&output.stderr);
    assert!(text.contains("bad.toml"), "{text}");
    assert!(text.contains("line 2"), "{text}");
}
