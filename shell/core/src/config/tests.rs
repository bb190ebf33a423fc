//! Configuration tests: the embedded file, refusals with lines, round trips, atomic saves.

use super::*;

#[test]
fn embedded_configuration_is_valid() {
    let config = Config::embedded();
    let ada = config.agent("ada").expect("ada");
    // The shipped roles also list third-party channels; the shell knows only these by name.
    assert_eq!(
        config.role_of(ada).expect("role").channels[..3],
        ["sms-page", "sms-session", "mms"]
    );
}

#[test]
fn unknown_key_is_refused_with_file_and_line() {
    let err = Config::parse("[shell]\noffer_timeout_seconds = 5\ncolour = 3\n", "x.toml")
        .expect_err("must fail");
    let text = err.to_string();
    assert!(text.contains("x.toml"), "{text}");
    assert!(text.contains("line 3"), "{text}");
    assert!(text.contains("colour"), "{text}");
}

#[test]
fn unknown_permission_is_refused_with_its_line() {
    let text = "[roles.a]\nchannels = []\npermissions = [\"save-images\", \"fly\"]\n";
    let err = Config::parse(text, "p.toml")
        .expect_err("must fail")
        .to_string();
    assert!(err.contains("line 3"), "{err}");
    assert!(err.contains("fly"), "{err}");
}

#[test]
fn agent_with_unknown_role_is_refused_with_its_line() {
    let err = Config::parse(
        "[[agents]]\nid = \"a\"\nname = \"A\"\nrole = \"ghost\"\n",
        "y.toml",
    )
    .expect_err("must fail")
    .to_string();
    assert!(err.contains("unknown role ghost"), "{err}");
    assert!(err.contains("line 4"), "{err}");
}

#[test]
fn timers_out_of_order_are_refused() {
    let text = "[roles.a]\nchannels = []\n[roles.a.timers]\npending_yellow_seconds = 60\npending_red_seconds = 30\n";
    let err = Config::parse(text, "t.toml")
        .expect_err("must fail")
        .to_string();
    assert!(
        err.contains("pending_red_seconds (30) must be greater"),
        "{err}"
    );
    assert!(err.contains("line 5"), "{err}");
}

#[test]
fn dispositions_on_a_channel_the_role_lacks_are_refused() {
    let text = "[roles.a]\nchannels = [\"sms-page\"]\ndispositions_required = [\"chat\"]\n";
    let err = Config::parse(text, "d.toml")
        .expect_err("must fail")
        .to_string();
    assert!(err.contains("dispositions required on chat"), "{err}");
}

#[test]
fn saved_file_loads_back_identically_and_keeps_the_previous_version() {
    let dir = std::env::temp_dir().join(format!("sb-config-{}", std::process::id()));
    let path = dir.join("switchboard.toml");
    let mut config = Config::embedded();
    save_atomically(&path, &config).expect("first save");
    config
        .roles
        .get_mut("sms-agent")
        .expect("role")
        .permissions
        .insert(Permission::SaveImages);
    config
        .roles
        .get_mut("sms-agent")
        .expect("role")
        .timers
        .pending_red_seconds = 90;
    save_atomically(&path, &config).expect("second save");
    assert_eq!(Config::load(&path).expect("reload"), config);
    let previous = Config::load(&dir.join("switchboard.toml.bak")).expect("backup");
    assert_eq!(previous, Config::embedded());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn an_interrupted_write_leaves_the_old_file_intact() {
    let dir = std::env::temp_dir().join(format!("sb-config-int-{}", std::process::id()));
    let path = dir.join("switchboard.toml");
    save_atomically(&path, &Config::embedded()).expect("first save");
    let before = std::fs::read_to_string(&path).expect("read");
    let mut changed = Config::embedded();
    changed.shell.offer_timeout_seconds = 99;
    let err = save_atomically_with(&path, &changed, |file, bytes| {
        use std::io::Write;
        file.write_all(&bytes[..bytes.len() / 2])?;
        Err(std::io::Error::other("disk full"))
    })
    .expect_err("interrupted");
    assert!(err.to_string().contains("disk full"));
    assert_eq!(std::fs::read_to_string(&path).expect("read"), before);
    assert!(
        !dir.join("switchboard.toml.tmp").exists(),
        "no half-written file left"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn an_invalid_edit_is_not_saved() {
    let dir = std::env::temp_dir().join(format!("sb-config-bad-{}", std::process::id()));
    let path = dir.join("switchboard.toml");
    let mut config = Config::embedded();
    config.agents[0].role = "nobody".into();
    let err = save_atomically(&path, &config)
        .expect_err("refused")
        .to_string();
    assert!(err.contains("unknown role nobody"), "{err}");
    assert!(!path.exists());
}

#[test]
fn disposition_tree_is_filtered_per_channel_and_codes_are_unique() {
    let config = Config::embedded();
    let sms: Vec<&str> = config
        .dispositions_for("sms-page")
        .map(|c| c.name.as_str())
        .collect();
    assert!(sms.contains(&"Orders"));
    let chat: Vec<&str> = config
        .dispositions_for("chat")
        .map(|c| c.name.as_str())
        .collect();
    assert!(!chat.contains(&"Orders") && chat.contains(&"Resolved"));
    assert_eq!(
        config.disposition_label("resolved-fixed"),
        Some("Problem fixed")
    );
    let twice = "[[dispositions]]\nname = \"A\"\ncodes = [{ code = \"x\", label = \"X\" }, { code = \"x\", label = \"Y\" }]\n";
    let err = Config::parse(twice, "c.toml")
        .expect_err("duplicate")
        .to_string();
    assert!(err.contains("defined twice"), "{err}");
}

#[test]
fn the_directory_section_lists_queues_skills_groups_and_routing_points_for_a_platform() {
    let config = Config::parse(
        "[roles.a]\nchannels = []\n\
         [[agents]]\nid = \"grace\"\nname = \"Grace Hopper\"\nnickname = \"Grace\"\nrole = \"a\"\n\
         email = \"grace@example.com\"\nphone = \"+1 555 0104\"\n\
         [directory]\n\
         queues = [{ id = \"q-billing\", name = \"Billing\", detail = \"Refunds\" }]\n\
         skills = [{ id = \"s-french\", name = \"French\" }]\n",
        "directory.toml",
    )
    .expect("parsed");
    let entries: Vec<(String, String, String)> = config
        .directory_entries()
        .into_iter()
        .map(|e| (e.kind.name().to_owned(), e.id, e.detail))
        .collect();
    assert_eq!(
        entries,
        [
            (
                "agent".to_owned(),
                "grace".to_owned(),
                "Grace · grace@example.com · +1 555 0104".to_owned()
            ),
            ("queue".into(), "q-billing".into(), "Refunds".into()),
            ("skill".into(), "s-french".into(), String::new()),
        ]
    );
    // Without queues, the one a transfer gives work back to.
    let bare = Config::parse(
        "[roles.a]\nchannels = []\n[[agents]]\nid = \"ada\"\nname = \"Ada\"\nrole = \"a\"\n",
        "bare.toml",
    )
    .expect("parsed");
    assert!(
        bare.directory_entries()
            .iter()
            .any(|e| e.id == "queue" && e.name == "Queue")
    );
    // A misspelt key is named, not ignored.
    let wrong = Config::parse("[directory]\nqueue = []\n", "wrong.toml");
    assert!(wrong.is_err(), "{wrong:?}");
}
