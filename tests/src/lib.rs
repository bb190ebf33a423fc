//! Helpers for Switchboard's end-to-end tests: locating the built plugin libraries, posting
//! webhooks like an SMS provider, assembling a desk over the real core, and driving headless
//! Chromium ([`webdriver`]).

pub mod counting_store;
pub mod gateway_process;
pub mod headless_agent;
pub mod parity;
pub mod webdriver;

use std::{
    io::{Read, Write},
    net::{SocketAddr, TcpStream},
    path::{Path, PathBuf},
    sync::Arc,
};

use switchboard_core::{
    clock::ManualClock,
    config::Config,
    desk::{Desk, Looked},
    plugin_host::PluginCatalog,
};
use switchboard_platform_embedded::{EmbeddedPlatform, PlatformSettings};

pub mod provider_stand_in;
use switchboard_sdk::Timestamp;
use switchboard_store_sqlite::Store;

/// The folder holding the workspace's build outputs (`target/debug`).
pub fn build_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    // target/debug/deps/<test> -> target/debug; a helper binary runs from target/debug.
    let folder = exe.parent().expect("build folder");
    if folder.file_name().is_some_and(|name| name == "deps") {
        folder.parent().map(PathBuf::from).expect("build folder")
    } else {
        folder.to_path_buf()
    }
}

/// The built `switchboard` binary, as a command (`cargo xtask test` builds it first).
pub fn switchboard_binary() -> std::process::Command {
    let exe = build_dir().join(format!("switchboard{}", std::env::consts::EXE_SUFFIX));
    assert!(
        exe.exists(),
        "{} is missing: run cargo xtask test",
        exe.display()
    );
    std::process::Command::new(exe)
}

/// The path of a built library of the workspace (`sms_page`, `panicking_plugin`...).
///
/// # Panics
/// With the command to run when the library has not been built.
pub fn library(crate_name: &str) -> PathBuf {
    let file = format!(
        "{}{crate_name}.{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_EXTENSION
    );
    let path = build_dir().join(file);
    assert!(
        path.exists(),
        "{} is missing: build the workspace first (cargo xtask test does)",
        path.display()
    );
    path
}

/// Percent-encodes a form value.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b' ' => "+".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Posts a form to the webhook like an SMS provider, returning the status code and body.
pub fn post_form(address: SocketAddr, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
    try_post_form(address, path, fields).expect("post to the webhook")
}

/// [`post_form`] that says when the server cannot be reached or hangs up (a server being
/// killed) instead of failing the test.
pub fn try_post_form(
    address: SocketAddr,
    path: &str,
    fields: &[(&str, &str)],
) -> std::io::Result<(u16, String)> {
    try_post_form_with(address, path, fields, &[])
}

/// [`try_post_form`] with more request headers (a provider's signature).
pub fn try_post_form_with(
    address: SocketAddr,
    path: &str,
    fields: &[(&str, &str)],
    headers: &[(&str, &str)],
) -> std::io::Result<(u16, String)> {
    let headers: String = headers
        .iter()
        .map(|(name, value)| format!("{name}: {value}\r\n"))
        .collect();
    let body: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    let body = body.join("&");
    let mut stream = TcpStream::connect(address)?;
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/x-www-form-urlencoded\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes())?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    let body = response
        .split("\r\n\r\n")
        .nth(1)
        .unwrap_or_default()
        .to_owned();
    Ok((status, body))
}

/// A company's web site on 127.0.0.1, in an origin of its own: every GET gets its page, which
/// the test sets (and may change) while it runs.
pub struct Site {
    /// Where it listens.
    pub address: SocketAddr,
    page: Arc<std::sync::Mutex<String>>,
}

impl Site {
    /// Starts serving an empty page; the server lives as long as the test process.
    pub fn start() -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind the site");
        let address = listener.local_addr().expect("address");
        let page = Arc::new(std::sync::Mutex::new(String::new()));
        let shared = page.clone();
        std::thread::spawn(move || {
            for mut stream in listener.incoming().flatten() {
                let mut request = [0u8; 4096];
                let _ = stream.read(&mut request);
                let html = shared.lock().unwrap_or_else(|p| p.into_inner()).clone();
                let _ = write!(
                    stream,
                    "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{html}",
                    html.len()
                );
            }
        });
        Self { address, page }
    }

    /// Its origin (`http://127.0.0.1:PORT`).
    pub fn origin(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Serves `html` from now on.
    pub fn set_page(&self, html: String) {
        *self.page.lock().unwrap_or_else(|p| p.into_inner()) = html;
    }
}

/// Serves `bytes` once over HTTP on 127.0.0.1, like a provider's media store, and returns the
/// URL to fetch.
pub fn serve_once(bytes: Vec<u8>, content_type: &'static str) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind media server");
    let address = listener.local_addr().expect("address");
    std::thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            let mut request = [0u8; 1024];
            let _ = stream.read(&mut request);
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                bytes.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&bytes);
        }
    });
    format!("http://{address}/media/ME0001")
}

/// A desk over the real core: a file store, a manual clock and the embedded platform.
pub struct World {
    /// Temporary folder holding the database.
    pub dir: tempfile::TempDir,
    /// The store.
    pub store: Store,
    /// The host clock, driven by the test.
    pub clock: Arc<ManualClock>,
    /// The embedded platform.
    pub platform: EmbeddedPlatform,
    /// The store as the desk sees it, counting each call.
    pub desk_store: Arc<counting_store::CountingStore>,
    /// The desk.
    pub desk: Desk,
}

/// One role `test` with these channels, and agent `ada` in it.
pub fn config_with_channels(channels: &[&str]) -> Config {
    config_with_role(channels, "")
}

/// Like [`config_with_channels`], with more TOML lines for the role (permissions, timers).
pub fn config_with_role(channels: &[&str], role_lines: &str) -> Config {
    let list: Vec<String> = channels.iter().map(|c| format!("\"{c}\"")).collect();
    Config::parse(
        &format!(
            "[shell]\noffer_timeout_seconds = 20\n[roles.test]\nchannels = [{}]\n{role_lines}\n\
             [[agents]]\nid = \"ada\"\nname = \"Ada Lovelace\"\nnickname = \"Ada\"\nrole = \"test\"\n",
            list.join(", ")
        ),
        "test config",
    )
    .expect("test configuration")
}

impl World {
    /// Stores Ada's reply `body` as still sending, the way the desk commits it before the
    /// platform takes it (what a crash in between leaves behind).
    pub fn store_unsent_reply(
        &self,
        interaction: &str,
        body: &str,
    ) -> switchboard_sdk::TranscriptEntry {
        use switchboard_core::clock::Clock;
        use switchboard_store_sqlite::prelude::*;
        self.store
            .insert_message(
                &switchboard_core::store::NewMessage {
                    interaction: interaction.to_owned(),
                    role: switchboard_sdk::Role::Agent,
                    author: "Ada".into(),
                    author_key: "agent".into(),
                    time: self.clock.now(),
                    body: body.into(),
                    status: switchboard_sdk::DeliveryStatus::Sending,
                    provider_id: None,
                    parts: 1,
                },
                &[],
            )
            .expect("stored")
            .expect("new")
    }

    /// Signs `ada` in and makes her Ready on `channel`.
    pub fn ready_agent(&mut self, channel: &str) {
        self.desk.sign_in("ada").expect("sign in");
        self.desk.set_ready(channel, true).expect("ready");
    }

    /// A customer's SMS reaches the platform (as through the webhook), and the desk pumps it.
    pub fn customer_writes(&mut self, from: &str, body: &str) {
        self.platform
            .receive_sms(switchboard_edge::InboundSms {
                from: from.into(),
                body: body.into(),
                ..Default::default()
            })
            .expect("inbound stored");
        self.desk.pump();
    }

    /// A customer the platform knows by name writes to the main number.
    pub fn named_customer_writes(&mut self, from: &str, name: &str, body: &str) {
        self.platform
            .receive_sms(switchboard_edge::InboundSms {
                from: from.into(),
                name: Some(name.into()),
                body: body.into(),
                ..Default::default()
            })
            .expect("inbound stored");
        self.desk.pump();
    }

    /// A customer's SMS to one of our numbers (the session-mode one, say).
    pub fn customer_writes_to(&mut self, from: &str, to: &str, body: &str) {
        self.platform
            .receive_sms(switchboard_edge::InboundSms {
                from: from.into(),
                to: to.into(),
                body: body.into(),
                ..Default::default()
            })
            .expect("inbound stored");
        self.desk.pump();
    }

    /// The agent types `text` in an interaction's composer and presses Send.
    pub fn agent_sends(&mut self, interaction: &str, text: &str) {
        self.desk.interaction_mut(interaction).expect("open").draft = text.to_owned();
        self.desk.composer_changed(interaction);
        self.desk.send(interaction).expect("send");
        // Stored and handed to the platform off the window's thread.
        self.desk.settle();
        self.desk.pump();
    }

    /// What a panel asks the desk to read (a search, a past transcript), once the desk-reads
    /// thread has read it; panics with the reason when the records refused.
    pub fn looked_up<T>(&mut self, ask: impl Fn(&Desk) -> Looked<T>) -> Arc<T> {
        // Settling may change what is asked (a saved edit makes a list read again): ask again.
        for _ in 0..3 {
            match ask(&self.desk) {
                Looked::Ready(found) => return found,
                Looked::Pending => self.desk.settle(),
                Looked::Failed(reason) => panic!("not read: {reason}"),
            }
        }
        panic!("still pending after the desk settled three times")
    }

    /// Moves the host clock and lets the desk react (what the agent asked of the platform is
    /// carried out first, at the time it was asked).
    pub fn advance_seconds(&mut self, seconds: i64) {
        self.desk.settle();
        self.clock.advance_seconds(seconds);
        self.desk.pump();
    }

    /// The texts of an open interaction's transcript, in order.
    pub fn texts(&self, interaction: &str) -> Vec<String> {
        self.desk
            .interaction(interaction)
            .map(|i| i.transcript.iter().map(|e| e.text.to_string()).collect())
            .unwrap_or_default()
    }

    /// Accepts the oldest offer and returns its interaction id.
    pub fn accept_first_offer(&mut self) -> String {
        let id = self.desk.offers().first().expect("an offer").row.id.clone();
        self.desk.accept(&id).expect("accept");
        self.desk.settle();
        id
    }

    /// A world whose catalog holds the given libraries.
    pub fn new(libraries: &[PathBuf], config: Config) -> Self {
        Self::with_settings(libraries, config, |settings| settings)
    }

    /// A world whose platform settings `adjust` changes (a provider, limits).
    pub fn with_settings(
        libraries: &[PathBuf],
        config: Config,
        adjust: impl FnOnce(PlatformSettings) -> PlatformSettings,
    ) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let database = dir.path().join("switchboard.db");
        Self::build(dir, &database, libraries, config, adjust)
    }

    /// A world over the database at `database` (a new process after a crash opens the old
    /// one); media files still go to a folder of its own.
    pub fn over(database: &Path, libraries: &[PathBuf], config: Config) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        Self::build(dir, database, libraries, config, |settings| settings)
    }

    fn build(
        dir: tempfile::TempDir,
        database: &Path,
        libraries: &[PathBuf],
        config: Config,
        adjust: impl FnOnce(PlatformSettings) -> PlatformSettings,
    ) -> Self {
        let store = Store::open(database).expect("store");
        let clock = Arc::new(ManualClock::new(Timestamp(1_767_603_600_000)));
        // Media files the tests write in their folder may be read, nothing else.
        let settings = switchboard_platform_embedded::PlatformSettings::new(
            "+15550100",
            switchboard_platform_embedded::DEFAULT_SESSION_NUMBER,
        )
        .allow_media_folder(dir.path());
        let settings = adjust(settings);
        let platform = EmbeddedPlatform::with_settings(store.clone(), clock.clone(), settings)
            .expect("platform");
        let catalog = catalog_of(libraries);
        Self::assemble(dir, store, clock, platform, catalog, config)
    }

    /// A world whose plugins `isolated` names run in child processes of the built
    /// `switchboard` binary, each call waiting at most `call_timeout`.
    pub fn isolating(
        libraries: &[PathBuf],
        config: Config,
        isolated: &[&str],
        call_timeout: std::time::Duration,
    ) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("switchboard.db")).expect("store");
        let clock = Arc::new(ManualClock::new(Timestamp(1_767_603_600_000)));
        let settings = switchboard_platform_embedded::PlatformSettings::new(
            "+15550100",
            switchboard_platform_embedded::DEFAULT_SESSION_NUMBER,
        );
        let platform = EmbeddedPlatform::with_settings(store.clone(), clock.clone(), settings)
            .expect("platform");
        let mut catalog = catalog_of(libraries);
        let ids: Vec<String> = isolated.iter().map(|id| (*id).to_owned()).collect();
        let notes = catalog.isolate(
            &ids,
            &switchboard_core::plugin_host::isolation::IsolationSettings {
                program: build_dir().join(format!("switchboard{}", std::env::consts::EXE_SUFFIX)),
                call_timeout,
            },
        );
        assert!(notes.is_empty(), "{notes:?}");
        Self::assemble(dir, store, clock, platform, catalog, config)
    }

    fn assemble(
        dir: tempfile::TempDir,
        store: Store,
        clock: Arc<ManualClock>,
        platform: EmbeddedPlatform,
        catalog: PluginCatalog,
        config: Config,
    ) -> Self {
        let desk_store = Arc::new(counting_store::CountingStore::new(Arc::new(store.clone())));
        let desk = Desk::new(
            config,
            desk_store.clone(),
            clock.clone(),
            Arc::new(platform.clone()),
            catalog,
        );
        Self {
            dir,
            store,
            clock,
            platform,
            desk_store,
            desk,
        }
    }
}

/// A catalog of these plugin libraries.
fn catalog_of(libraries: &[PathBuf]) -> PluginCatalog {
    let mut catalog = PluginCatalog::new();
    for library in libraries {
        catalog.add_library(library);
    }
    catalog
}
