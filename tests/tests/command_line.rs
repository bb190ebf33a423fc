//! The `switchboard` binary as a newcomer runs it after `cargo xtask demo` (or `test`) built
//! and installed the plugins.

use std::{io::Read as _, process::Command};

fn switchboard() -> Command {
    switchboard_tests::switchboard_binary()
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

#[test]
fn a_plugin_file_cut_short_is_refused_in_one_line_and_the_shell_lives() {
    let whole = std::fs::read(switchboard_tests::library("sms_page")).expect("sms_page built");
    let dir = tempfile::tempdir().expect("dir");
    // Cut where a copy or a full disk would stop: inside the code, the data and the headers.
    let cuts = [0x2_0000, 0x9_0000, 0x11_2000, 0x10_0000, whole.len() - 1];
    for cut in cuts {
        let file = dir.path().join(format!(
            "{}cut_{cut:x}.{}",
            std::env::consts::DLL_PREFIX,
            std::env::consts::DLL_EXTENSION
        ));
        std::fs::write(&file, &whole[..cut.min(whole.len())]).expect("write");
    }
    let output = switchboard()
        .arg("--list-plugins")
        .arg("--plugins-dir")
        .arg(dir.path())
        .output()
        .expect("run switchboard");
    assert!(
        output.status.success(),
        "the shell died: {:?}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8_lossy(&output.stdout);
    for cut in cuts {
        let line = text
            .lines()
            .find(|l| l.contains(&format!("cut_{cut:x}.")))
            .unwrap_or_else(|| panic!("cut_{cut:x} not listed:\n{text}"));
        assert!(line.contains("refused"), "{line}");
        assert!(line.contains("damaged library file"), "{line}");
    }
}

#[test]
fn list_plugins_says_which_plugins_no_role_lists_and_which_channels_no_plugin_provides() {
    let dir = tempfile::tempdir().expect("dir");
    let config = dir.path().join("roles.toml");
    std::fs::write(
        &config,
        "[roles.a]\nchannels = [\"sms-page\", \"telepathy\"]\n\
         [[agents]]\nid = \"ada\"\nname = \"Ada\"\nrole = \"a\"\n\
         [plugins]\nisolated = [\"chat\", \"fax\"]\n",
    )
    .expect("write");
    let output = switchboard()
        .arg("--list-plugins")
        .arg("--config")
        .arg(&config)
        .output()
        .expect("run switchboard");
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    let unlisted = text
        .lines()
        .find(|l| l.contains("plugin chat is loaded but no role lists it"))
        .unwrap_or_else(|| panic!("no note about chat:\n{text}"));
    assert!(
        unlisted.contains(&config.display().to_string()),
        "{unlisted}"
    );
    let missing = text
        .lines()
        .find(|l| l.contains("channel telepathy"))
        .unwrap_or_else(|| panic!("no note about telepathy:\n{text}"));
    assert!(missing.contains("no loaded plugin provides"), "{missing}");
    assert!(missing.contains("sms-page"), "names what exists: {missing}");
    assert!(
        !text.contains("plugin sms-page is loaded but"),
        "a listed plugin is not noted"
    );
    assert!(
        text.contains("note: plugin chat runs in a process of its own"),
        "{text}"
    );
    assert!(
        text.contains("note: [plugins] isolated names fax, which no plugin library provides"),
        "{text}"
    );
}

/// Runs `switchboard` with `args` and waits (at most a minute) for it to stop by itself:
/// its exit status and everything it wrote.
fn run_to_exit(args: &[&std::ffi::OsStr]) -> (std::process::ExitStatus, String) {
    let dir = tempfile::tempdir().expect("dir");
    let mut child = switchboard()
        .args(args)
        .arg("--data-dir")
        .arg(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run switchboard");
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("status") {
            break status;
        }
        if started.elapsed() > std::time::Duration::from_secs(60) {
            let _ = child.kill();
            panic!("switchboard kept running instead of refusing to start");
        }
        std::thread::park_timeout(std::time::Duration::from_millis(50));
    };
    let mut text = String::new();
    for stream in [
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn std::io::Read>),
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn std::io::Read>),
    ]
    .into_iter()
    .flatten()
    {
        let mut stream = stream;
        let _ = stream.read_to_string(&mut text);
    }
    (status, text)
}

#[test]
fn a_channel_no_plugin_provides_stops_the_start_naming_the_file_line_and_what_exists() {
    let dir = tempfile::tempdir().expect("dir");
    let config = dir.path().join("roles.toml");
    std::fs::write(
        &config,
        "[roles.a]\nchannels = [\"sms-page\",\n  \"telepathy\"]\n\
         [[agents]]\nid = \"ada\"\nname = \"Ada\"\nrole = \"a\"\n",
    )
    .expect("write");
    let (status, text) = run_to_exit(&["--config".as_ref(), config.as_os_str()]);
    assert!(!status.success(), "{text}");
    let line = text
        .lines()
        .find(|l| l.contains("telepathy"))
        .unwrap_or_else(|| panic!("no word about telepathy:\n{text}"));
    assert!(
        line.contains(&format!("{} line 3", config.display())),
        "{line}"
    );
    assert!(line.contains("role a lists channel telepathy"), "{line}");
    assert!(line.contains("sms-session"), "names what exists: {line}");
}

#[test]
fn the_same_plugin_under_two_names_is_refused_once_in_the_table_and_in_the_log() {
    let dir = tempfile::tempdir().expect("dir");
    let original = switchboard_tests::library("sms_page");
    for name in ["libsms_page.so", "libsms_page_copy.so"] {
        std::fs::copy(&original, dir.path().join(name)).expect("copy plugin");
    }
    let (status, text) = run_to_exit(&[
        "--list-plugins".as_ref(),
        "--plugins-dir".as_ref(),
        dir.path().as_os_str(),
    ]);
    assert!(status.success(), "{text}");
    let refused: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("duplicate id sms-page"))
        .collect();
    assert_eq!(refused.len(), 2, "a table line and a log line: {text}");
    assert!(
        refused
            .iter()
            .any(|l| l.contains("WARN") && l.contains("libsms_page_copy.so")),
        "the log names the copy: {refused:?}"
    );
}

#[test]
fn a_taken_port_is_said_naming_the_port_what_it_stops_and_where_to_change_it() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a port to take");
    let port = taken.local_addr().expect("address").port();
    let dir = tempfile::tempdir().expect("dir");
    // No display here: the window cannot open, after the servers were started (or not).
    let mut child = switchboard()
        .args(["--webhook-port", &port.to_string(), "--chat-port", "0"])
        .arg("--data-dir")
        .arg(dir.path())
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run switchboard");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while child.try_wait().expect("status").is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("the shell did not stop without a display");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    // The log goes to the standard error.
    let mut log = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut log)
        .expect("read the log");
    let line = log
        .lines()
        .find(|l| l.contains("The SMS webhook could not start"))
        .unwrap_or_else(|| panic!("no word of the webhook:\n{log}"));
    assert!(line.contains(&format!("port {port}")), "{line}");
    assert!(
        line.contains("webhook_port"),
        "says where to change it: {line}"
    );
    drop(taken);
}

#[test]
fn the_providers_auth_token_never_reaches_the_log() {
    let token = "tok-7f3e9a1c-never-log-me";
    let dir = tempfile::tempdir().expect("dir");
    let config = dir.path().join("provider.toml");
    std::fs::write(
        &config,
        "[roles.a]\nchannels = [\"sms-page\"]\n\
         [[agents]]\nid = \"ada\"\nname = \"Ada\"\nrole = \"a\"\n\
         [provider]\naccount_sid = \"ACtest\"\npublic_url = \"https://desk.example.com\"\n\
         api_base = \"http://127.0.0.1:9\"\n",
    )
    .expect("write");
    // Everything the shell logs, at every level, until it stops for want of a display.
    let mut child = switchboard()
        .arg("--config")
        .arg(&config)
        .args(["--webhook-port", "0", "--chat-port", "0", "--data-dir"])
        .arg(dir.path())
        .env("SWITCHBOARD_PROVIDER_AUTH_TOKEN", token)
        .env("RUST_LOG", "trace")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run switchboard");
    let (mut out, mut err) = (
        child.stdout.take().expect("stdout"),
        child.stderr.take().expect("stderr"),
    );
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = out.read_to_string(&mut text);
        text
    });
    let mut log = String::new();
    let _ = err.read_to_string(&mut log);
    log.push_str(&reader.join().expect("reader"));
    let _ = child.wait();
    assert!(
        log.contains("through the provider's API"),
        "the run got as far as the provider:\n{log}"
    );
    assert!(!log.contains(token), "the token was logged");
    assert!(!log.contains("7f3e9a1c"), "part of the token was logged");

    // A token file others may read stops the start, naming the file and not its content.
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, token).expect("write token");
    std::fs::write(
        &config,
        format!(
            "[roles.a]\nchannels = [\"sms-page\"]\n\
             [[agents]]\nid = \"ada\"\nname = \"Ada\"\nrole = \"a\"\n\
             [provider]\naccount_sid = \"ACtest\"\npublic_url = \"https://desk.example.com\"\n\
             auth_token_file = \"{}\"\n",
            token_file.display()
        ),
    )
    .expect("write");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&token_file, std::fs::Permissions::from_mode(0o644))
            .expect("chmod");
    }
    let (status, text) = run_to_exit(&["--config".as_ref(), config.as_os_str()]);
    assert!(!status.success());
    assert!(text.contains("chmod 600"), "{text}");
    assert!(!text.contains(token), "{text}");
}
